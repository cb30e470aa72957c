package retrieval

import (
	"strings"
	"unicode"
)

// Words splits text into lowercase word tokens: runs of letters and digits,
// with inner apostrophes kept ("doesn’t" stays one word, curly or straight)
// and a trailing possessive "'s" dropped so "Iran’s" matches "Iran".
func Words(text string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		w = strings.TrimSuffix(w, "'s")
		w = strings.Trim(w, "'")
		if w != "" {
			words = append(words, w)
		}
	}
	runes := []rune(text)
	for i, r := range runes {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case isApostrophe(r) && b.Len() > 0 && i+1 < len(runes) && unicode.IsLetter(runes[i+1]):
			b.WriteByte('\'')
		default:
			flush()
		}
	}
	flush()
	return words
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ'
}
