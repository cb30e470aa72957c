package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Acronyms: readers abbreviate what stories spell out ("the IRGC" for
// "Iran’s Revolutionary Guards Corps", "NSF" for "the National Science
// Foundation"). Each snapshot collects the initials of every run of
// capitalised words in its passages, so that a question's acronym can be
// searched by the words it stands for.

// acronymFunctionWords may stand inside a name without giving a letter.
var acronymFunctionWords = map[string]bool{"of": true, "for": true, "and": true, "the": true, "on": true, "de": true}

// acronymTable maps lowercase initials (2 to 6 letters) to the first
// capitalised phrase of the corpus that they spell.
type acronymTable map[string]string

func newAcronymTable(texts []string) acronymTable {
	t := acronymTable{}
	for _, text := range texts {
		var run []string
		flush := func() {
			// Trailing function words give no letter and are not part
			// of the name.
			for len(run) > 0 && acronymFunctionWords[strings.ToLower(run[len(run)-1])] {
				run = run[:len(run)-1]
			}
			// Every capitalised word may start the name: "Officers of
			// Iran’s Revolutionary Guards" also spells IRG.
			for from := range run {
				if acronymFunctionWords[run[from]] {
					continue
				}
				var initials []byte
				for _, w := range run[from:] {
					if !acronymFunctionWords[w] {
						initials = append(initials, byte(unicode.ToLower(rune(w[0]))))
					}
				}
				if n := len(initials); n >= 2 && n <= 6 {
					if _, ok := t[string(initials)]; !ok {
						t[string(initials)] = strings.Join(run[from:], " ")
					}
				}
			}
			run = run[:0]
		}
		for _, tok := range strings.Fields(text) {
			word := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) })
			r, _ := utf8.DecodeRuneInString(word)
			switch {
			case len(run) == 0 && acronymFunctionWords[strings.ToLower(word)]:
				// "The National Science Foundation": an article opening
				// the sentence is not part of the name.
			case word != "" && unicode.IsUpper(r) && r < utf8.RuneSelf:
				run = append(run, word)
			case len(run) > 0 && acronymFunctionWords[word]:
				run = append(run, word)
			default:
				flush()
			}
			if strings.ContainsAny(tok, ",.;:!?()”\"") {
				flush() // a name does not run across punctuation
			}
		}
		flush()
	}
	return t
}

// Expand returns the phrase an acronym (3 to 6 letters, any case) stands
// for in the serving index, allowing one letter more in the acronym than
// the phrase gives ("IRGC" for "Iran’s Revolutionary Guards"); ok is false
// when the corpus spells out no such name.
func (ix *Index) Expand(acronym string) (phrase string, ok bool) {
	s := ix.cur.Load()
	if s == nil || len(acronym) < 3 || len(acronym) > 6 {
		return "", false
	}
	a := strings.ToLower(acronym)
	if p, ok := s.acronyms[a]; ok {
		return p, true
	}
	p, ok := s.acronyms[a[:len(a)-1]]
	return p, ok
}
