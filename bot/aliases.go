package bot

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

// Questions abbreviate the names that stories spell out: "the US" for "the
// United States". The abbreviation is also a common word in lowercase ("us")
// or a single letter after tokenising ("U.S." → "u", "s"), so without help
// it matches nothing. The search query keeps the abbreviation and adds the
// full name.
var (
	aliasRe = regexp.MustCompile(`\b(?:U\.S\.A\.|U\.S\.|USA|US|U\.K\.|UK|U\.N\.|UN|EU)(?:\W|$)`)
	aliases = map[string]string{
		"US": "United States", "U.S.": "United States", "USA": "United States", "U.S.A.": "United States",
		"UK": "United Kingdom Britain", "U.K.": "United Kingdom Britain",
		"UN": "United Nations", "U.N.": "United Nations", "EU": "European Union",
	}
)

// searchQuery returns q with the full names of the abbreviations it uses
// added, for retrieval. A question typed in capitals keeps its words as
// they are: there "US" is as likely the pronoun.
func searchQuery(q string) string {
	upper, letters := 0, 0
	for _, r := range q {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters == 0 || upper*2 > letters {
		return q
	}
	var extra []string
	for _, m := range aliasRe.FindAllString(q, -1) {
		abbr := strings.TrimRightFunc(m, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
		if full, ok := aliases[abbr]; ok {
			extra = append(extra, full)
		} else if full, ok := aliases[strings.TrimSuffix(abbr, ".")+"."]; ok {
			extra = append(extra, full)
		}
	}
	if len(extra) == 0 {
		return q
	}
	return q + " (" + strings.Join(extra, ", ") + ")"
}

// withAcronyms returns q with the names its acronyms stand for in the
// index added ("what is the IRGC" → "… (Iran’s Revolutionary Guards)"): a
// word of three to six capitals, or one the word table does not know,
// that spells the initials of a name the stories write out.
func (e *Engine) withAcronyms(q string) string {
	var extra []string
	for _, tok := range strings.Fields(q) {
		w := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) })
		if len(w) < acronymMinLetters || len(w) > acronymMaxLetters {
			continue
		}
		if strings.ToUpper(w) != w && retrieval.WordRank(strings.ToLower(w)) < unknownRank {
			continue // an everyday word, not an acronym
		}
		if phrase, ok := e.Index.Expand(w); ok && !strings.Contains(q, phrase) {
			extra = append(extra, phrase)
		}
	}
	if len(extra) == 0 {
		return q
	}
	return q + " (" + strings.Join(extra, ", ") + ")"
}

// unknownRank is the rank WordRank gives a word the table lacks.
const unknownRank = 400_000
