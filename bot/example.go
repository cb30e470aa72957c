package bot

import (
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval"
)

// ExampleQuestion returns a question the loaded stories can answer, for the
// prompt to ask something and for help text: "what did <speaker> say?" about
// the person the stories quote most. It is "" when no one is quoted by a
// full name. It names only what is loaded, so help never points at a story
// the bot does not have. Ties go to the speaker quoted first, so the same
// stories always give the same example.
func ExampleQuestion(passages []retrieval.Passage) string {
	count := map[string]int{}
	var order []string
	for _, p := range passages {
		for _, q := range p.Quotes {
			name := strings.TrimSpace(q.Speaker)
			if !personName(name) || retrieval.OrganisationName(name) {
				continue
			}
			if count[name] == 0 {
				order = append(order, name)
			}
			count[name]++
		}
	}
	best := ""
	for _, name := range order {
		if best == "" || count[name] > count[best] {
			best = name
		}
	}
	if best == "" {
		return ""
	}
	return "what did " + best + " say?"
}

// Example is ExampleQuestion over the engine's index.
func (e *Engine) Example() string {
	if e == nil || e.Index == nil {
		return ""
	}
	return ExampleQuestion(e.Index.Passages())
}

// exampleHint is the line the prompt to ask something ends with, or "".
func (e *Engine) exampleHint() string {
	if q := e.Example(); q != "" {
		return "For example: " + q
	}
	return ""
}

// personName reports whether s reads as a person's full name: two to five
// words, each capitalised but for name particles ("bin", "van") inside it,
// none a possessive, and no leading article ("The Wall Street Journal", "a
// Corvane director" and "analysts" are no one's name).
func personName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	switch words[0] {
	case "The", "A", "An":
		return false
	}
	for i, w := range words {
		if strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s") {
			return false
		}
		r := []rune(w)[0]
		if unicode.IsUpper(r) {
			continue
		}
		if i == 0 || i == len(words)-1 || !nameParticle[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

var nameParticle = map[string]bool{"bin": true, "ibn": true, "al": true, "el": true, "de": true, "da": true,
	"del": true, "della": true, "di": true, "van": true, "von": true, "der": true, "den": true, "la": true, "le": true, "du": true}
