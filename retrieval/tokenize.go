package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words splits text into lowercase word tokens: runs of letters and digits,
// with inner apostrophes kept ("doesn’t" stays one word, curly or straight)
// and a trailing possessive "'s" dropped so "Iran’s" matches "Iran".
//
// It runs on every passage at index time and on every sentence an answer
// considers, so it walks the string once without converting it to runes,
// and a token that is already lowercase ASCII is a substring of text, not a
// copy.
func Words(text string) []string {
	var words []string
	var b strings.Builder
	start, plain := -1, true // start of the current token in text; still a plain substring
	emit := func(w string) {
		w = strings.TrimSuffix(w, "'s")
		w = strings.Trim(w, "'")
		if w != "" {
			words = append(words, w)
		}
	}
	flush := func(end int) {
		switch {
		case start < 0:
		case plain:
			emit(text[start:end])
		default:
			emit(b.String())
			b.Reset()
		}
		start, plain = -1, true
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			if start < 0 {
				start = i
			}
			if !plain {
				b.WriteByte(byte(r))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			if plain {
				plain = false
				b.WriteString(text[start:i])
			}
			b.WriteRune(unicode.ToLower(r))
		case isApostrophe(r) && start >= 0 && nextIsLetter(text[i+size:]):
			if r == '\'' && plain {
				break // the straight apostrophe is itself: still a substring
			}
			if plain {
				plain = false
				b.WriteString(text[start:i])
			}
			b.WriteByte('\'')
		default:
			flush(i)
		}
		i += size
	}
	flush(len(text))
	return words
}

func nextIsLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ'
}
