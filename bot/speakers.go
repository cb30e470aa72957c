package bot

import (
	"cmp"
	"slices"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// Speakers returns the distinct speakers quoted in passages, most quoted
// first, ties in alphabetical order. Unattributed quotes are left out.
func Speakers(passages []retrieval.Passage) []string {
	count := map[string]int{}
	var names []string
	for _, p := range passages {
		for _, q := range p.Quotes {
			name := strings.TrimSpace(q.Speaker)
			if name == "" {
				continue
			}
			if count[name] == 0 {
				names = append(names, name)
			}
			count[name]++
		}
	}
	slices.SortStableFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), strings.Compare(a, b))
	})
	return names
}

// SpeakerMatches reports whether name, as a user typed it, is part of the
// speaker's name, ignoring case: "sadjepour" matches "Karim Sadjepour".
// An unattributed quote (speaker "") matches nothing.
func SpeakerMatches(speaker, name string) bool {
	return speaker != "" && strings.Contains(strings.ToLower(speaker), strings.ToLower(name))
}

// QuotesBy returns the quotes of the speaker named by name: the speaker
// whose name equals it, ignoring case, or else the one speaker whose name
// SpeakerMatches it; with the speaker's name as the story gives it, and
// each quote once. It returns no quotes for an empty name, or for a name
// that is part of two speakers' names and equal to neither.
func QuotesBy(passages []retrieval.Passage, name string) (string, []retrieval.Quote) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	if who, qs := quotesMatching(passages, func(s string) bool { return strings.EqualFold(s, name) }); len(qs) > 0 {
		return who, qs
	}
	return quotesMatching(passages, func(s string) bool { return SpeakerMatches(s, name) })
}

// quotesMatching returns the quotes whose speaker match accepts, and that
// speaker; nothing when match accepts two different speakers.
func quotesMatching(passages []retrieval.Passage, match func(speaker string) bool) (string, []retrieval.Quote) {
	var who string
	var out []retrieval.Quote
	for _, p := range passages {
		for _, q := range p.Quotes {
			if q.Speaker == "" || !match(q.Speaker) {
				continue
			}
			if who != "" && !strings.EqualFold(who, q.Speaker) {
				return "", nil // ambiguous
			}
			who = q.Speaker
			if !slices.ContainsFunc(out, func(o retrieval.Quote) bool { return o.Paragraph == q.Paragraph && o.Text == q.Text }) {
				out = append(out, q)
			}
		}
	}
	return who, out
}
