package bot

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// Questions whose words the story covers but whose answer it does not
// give. Coverage cannot see these ("what did Khamenei say about Athens?":
// Khamenei, Athens and saying are all in the story), so each shape of
// question is checked for the kind of answer it needs.

// actsRe matches the word after a surname that makes the person the
// subject of a verb ("Cheney had rejected the proposal"). A person who acts
// has a position the story reports, even unquoted.
var actsRe = regexp.MustCompile(`^(had|has|have|was|were|is|would|did|could|will|\w+ed|\w+s)$`)

// notQuoted returns the name of a person the question asks to hear from
// whom the story names but never quotes nor credits with a claim; "" when
// the story does quote them, or when the question does not ask for anyone.
// storyPassages returns the story's passages; it is called only when q asks
// for someone's words, so other questions do not walk the index. The person
// must be written in the story as a person: with a first name or a title
// before the surname, or as someone's aide or adviser.
func notQuoted(q question, storyPassages func() []retrieval.Passage) string {
	surname, thinking := q.asked.surname, q.asked.thinking
	if surname == "" {
		return ""
	}
	passages := storyPassages()
	for _, p := range passages {
		for _, qt := range p.Quotes {
			for _, name := range []string{qt.Speaker, qt.Via} {
				if slices.Contains(retrieval.Words(name), surname) {
					return "" // quoted, or relaying someone: answerable
				}
			}
		}
	}
	if thinking && actsInStory(passages, surname) {
		return "" // what they thought shows in what they did
	}
	return personNamedIn(passages, surname)
}

// personNamedIn returns how the first of passages that writes the person
// of surname as a person names them (personNamed); "" when none does.
func personNamedIn(passages []retrieval.Passage, surname string) string {
	for _, p := range passages {
		if full := personNamed(p.Text, surname); full != "" {
			return full
		}
	}
	return ""
}

// actsInStory reports whether the story has the person of surname as the
// subject of a verb.
func actsInStory(passages []retrieval.Passage, surname string) bool {
	for _, p := range passages {
		toks := strings.Fields(p.Text)
		for i, tok := range toks[:max(len(toks)-1, 0)] {
			ws := retrieval.Words(tok)
			if len(ws) > 0 && ws[len(ws)-1] == surname && !strings.ContainsAny(tok, ",.;:’'") && actsRe.MatchString(strings.ToLower(toks[i+1])) {
				return true
			}
		}
	}
	return false
}

// personTitles precede a person's name in news prose.
var personTitles = map[string]bool{
	"president": true, "leader": true, "secretary": true, "adviser": true, "advisor": true, "rep.": true,
	"sen.": true, "gen.": true, "ambassador": true, "minister": true, "envoy": true, "judge": true,
	"mr.": true, "ms.": true, "mrs.": true, "dr.": true, "gov.": true, "mayor": true, "chief": true,
}

// personNamed returns how story names the person whose surname (lowercase)
// is given, as "First Surname", when story writes them as a person: a
// capitalised first name or a title right before the surname. "" when it
// does not.
func personNamed(story, surname string) string {
	toks := strings.Fields(story)
	for i, tok := range toks {
		ws := retrieval.Words(tok)
		// The surname is a token's last word: "Osei-Mensah" is Mensah's.
		if len(ws) == 0 || ws[len(ws)-1] != surname || !capitalised(tok) || i == 0 {
			continue
		}
		prev := toks[i-1]
		bare := strings.TrimRight(strings.TrimRight(tok, ",.;:"), "’'s")
		switch {
		case personalRoleAfter(toks[i+1:]) && (strings.HasSuffix(tok, "’s") || strings.HasSuffix(tok, "'s") || strings.EqualFold(prev, "a") || strings.EqualFold(prev, "an")):
			return bare // "Bush’s senior political adviser", "a Powell aide"
		case personTitles[strings.ToLower(prev)]:
			return strings.TrimRight(tok, ",.;:’'s")
		case capitalised(prev) && !strings.ContainsAny(prev, ".,;:”’") && i >= 2 && !text.EndsSentence(toks[i-2]):
			return prev + " " + strings.TrimRight(tok, ",.;:’'s")
		}
	}
	return ""
}

// personalRoles are the people a person has: only a person has an aide.
var personalRoles = map[string]bool{"adviser": true, "advisor": true, "aide": true, "aides": true, "deputy": true,
	"spokesman": true, "spokeswoman": true, "spokesperson": true, "wife": true, "husband": true, "lawyer": true, "attorney": true}

// personalRoleAfter reports whether one of the first three tokens names a
// personal role.
func personalRoleAfter(toks []string) bool {
	for _, t := range toks[:min(personalRoleWindow, len(toks))] {
		if personalRoles[strings.ToLower(strings.Trim(t, ",.;:"))] {
			return true
		}
	}
	return false
}

func capitalised(tok string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(tok, "“\"‘'("))
	return unicode.IsUpper(r)
}

// responseWordRe is the words with which a story reports a response.
var responseWordRe = regexp.MustCompile(`(?i)\b(respond|responded|responding|responds|response|responses|react|reacted|reacting|reaction|reactions|repl(y|ied|ies)|answer|answered|den(y|ied|ies)|rejected|dismissed|retort(ed)?|counter(ed)?|welcomed|accused|criticized|condemned|praised|acknowledged|opposed|favou?red)\b`)

// noResponse reports whether q asks how someone responded and no sentence
// of the candidates has that someone before a word of response ("Washington
// did not respond" answers "how did Washington respond", not "how did Iran
// respond").
//
// Only an agent responds in words: someone the story names (a word it
// writes, and only with a capital) or a noun of a person. "How did the stock
// react?" asks how a price moved, which no word of response reports.
func noResponse(q question, cands []candidate, agent func(word string) bool) bool {
	who := q.responder
	if !slices.ContainsFunc(who, agent) {
		return false
	}
	for _, c := range cands {
		loc := responseWordRe.FindStringIndex(c.text)
		if loc == nil {
			continue
		}
		before := retrieval.Words(c.text[:loc[0]])
		for _, w := range who {
			for _, b := range before {
				if b == w || strings.HasPrefix(b, w) || strings.HasPrefix(w, b) && len(b) >= responderPrefixMinLetters {
					return false
				}
			}
		}
	}
	return true
}
