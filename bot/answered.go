package bot

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/wordnet"
)

// What a turn's answer gave, for a follow-up to point back at: the title it
// quoted ("it" after "what is the book called?") and the person it named
// ("he" after "who made the pitch?").

// titleGiven returns the title turn t's answer gave when its question asked
// for one ("what is the book called?"): what the work is now called.
func (c *Conversations) titleGiven(t Turn) string {
	if t.Refused || expectedType(t.Standalone) != typeTitle {
		return ""
	}
	for _, id := range t.PassageIDs {
		if p, ok := c.Engine.Index.Passage(id); ok {
			if title := titleIn(p.Text); title != "" {
				return title
			}
		}
	}
	return ""
}

// personAnswered returns the person turn t's answer named when its
// question asked who did something ("who made the pitch?"): the first
// person's name in the cited sentence nearest the question, that the
// question does not give. A question about who said something is answered
// by the cited speaker instead, and gets "". A question who a person it
// names is ("who is Mohsen Rezai?") is about that person.
func (c *Conversations) personAnswered(t Turn) string {
	if who := namedIn(t.Standalone); who != "" {
		return who
	}
	if t.Refused || len(t.PassageIDs) == 0 || !askedWhoDid(t.Standalone) {
		return ""
	}
	p, ok := c.Engine.Index.Passage(t.PassageIDs[0])
	if !ok {
		return ""
	}
	q := parseQuestion(t.Standalone)
	sentences := nearestSentences(p.Text, q)
	fresh := func(name string) bool {
		return !slices.ContainsFunc(retrieval.Words(name), func(w string) bool { return q.wordSet[w] })
	}
	passages := passagesOf(c.Engine.Index, p.Story)
	// A full name the sentence writes ("Zeev Schiff") comes first, when the
	// story also calls them by surname as it does a person …
	for _, s := range sentences {
		for _, name := range namesWritten(s) {
			if fresh(name) && personName(name) && !retrieval.OrganisationName(name) && (namedAlone(passages, name) || givenName(name)) {
				return name
			}
		}
	}
	// … then a surname alone ("Rezai"), a person when the story writes
	// them as one somewhere, with a first name or a title.
	for _, s := range sentences {
		for _, name := range namesWritten(s) {
			if strings.Contains(name, " ") || !fresh(name) {
				continue
			}
			if full := personNamedIn(passages, strings.ToLower(name)); personName(full) && !retrieval.OrganisationName(full) {
				return full
			}
		}
	}
	return ""
}

// namedAlone reports whether the story calls the person of the full name
// by the last word alone somewhere ("Koskivaara said"), as news does after
// a first mention: what tells a person's name from two capitalised words
// that are not one ("Cold War").
func namedAlone(passages []retrieval.Passage, full string) bool {
	parts := strings.Fields(full)
	last := strings.ToLower(parts[len(parts)-1])
	for _, p := range passages {
		toks := strings.Fields(p.Text)
		for i, tok := range toks {
			ws := retrieval.Words(tok)
			if len(ws) == 0 || ws[len(ws)-1] != last || !capitalised(tok) {
				continue
			}
			if i == 0 || !strings.EqualFold(strings.Trim(toks[i-1], "“\"‘'("), parts[len(parts)-2]) {
				return true
			}
		}
	}
	return false
}

// givenName reports whether the first word of a full name is no common
// English word, as "Zeev" is not and "Cold" is: WordNet relates nothing
// to it.
func givenName(full string) bool {
	first := strings.ToLower(strings.Fields(full)[0])
	return len(wordnet.Related(english.Stem(first, false))) == 0
}

// nearestSentences returns the sentences of text that share a content word
// with q, those sharing most first.
func nearestSentences(text string, q question) []string {
	type scored struct {
		text   string
		shared int
	}
	var sentences []scored
	for _, sp := range retrieval.Sentences(text) {
		sentence := text[sp.Start:sp.End]
		shared := 0
		for _, w := range retrieval.Words(sentence) {
			if slices.Contains(q.content, w) {
				shared++
			}
		}
		if shared > 0 {
			sentences = append(sentences, scored{sentence, shared})
		}
	}
	slices.SortStableFunc(sentences, func(a, b scored) int { return cmp.Compare(b.shared, a.shared) })
	out := make([]string, len(sentences))
	for i, s := range sentences {
		out[i] = s.text
	}
	return out
}

// askedWhoDid reports whether q asks who did something, not who said it,
// nor who someone it names is ("who is Mohsen Rezai?": he is the person the
// conversation is about, whoever the answer names beside him).
func askedWhoDid(q string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(q)), "who ") && !whoSaidRe.MatchString(q) && namedIn(q) == ""
}

// whoIsRe finds "who is X", X of one to four words, and captures X and its
// first word.
var whoIsRe = regexp.MustCompile(`(?i)^\W*who(?:'s|’s| is| was| are| were) (([\w’'-]+)(?: [\w’'-]+){0,3})\W*$`)

// namedIn returns X of "who is X" when X is a name, capitalised: not led
// by an article, a possessive or a pronoun as a role is ("who was the Swiss
// ambassador?", "who is Parsi's source?"); "" otherwise.
func namedIn(q string) string {
	m := whoIsRe.FindStringSubmatch(q)
	if m == nil {
		return ""
	}
	w := strings.ToLower(m[2])
	if determiners[w] || personalPronouns[w] || thingPronouns[w] || isPossessiveWord(qword{lower: strings.ReplaceAll(w, "’", "'")}) {
		return ""
	}
	// A name typed in lower case is written as a name, so that a later
	// question that carries it reads it as one.
	words := strings.Fields(m[1])
	for i, w := range words {
		if w == strings.ToLower(w) {
			words[i] = upperFirst(w)
		}
	}
	return strings.Join(words, " ")
}

// namesWritten returns the whole names a sentence writes ("Zeev Schiff"),
// as nameSpans reads them in a question.
func namesWritten(sentence string) []string {
	ws := splitQWords(sentence)
	var out []string
	for _, sp := range nameSpans(ws) {
		out = append(out, joinSpan(ws, sp))
	}
	return out
}
