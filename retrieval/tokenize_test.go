package retrieval

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// wordsReference is the first, plain implementation of Words, kept as the
// specification that the fast one is checked against.
func wordsReference(text string) []string {
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

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Iran’s offer", []string{"iran", "offer"}},
		{"doesn’t DOESN'T", []string{"doesn't", "doesn't"}},
		{"U.S. 2003, Ha’aretz", []string{"u", "s", "2003", "ha'aretz"}},
		{"rock 'n' roll", []string{"rock", "n", "roll"}},
		{"Zürich ÉCOLE naïve", []string{"zürich", "école", "naïve"}},
		{"ends'", []string{"ends"}},
		{"\xff\xfeabc", []string{"abc"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"Iran’s “grand bargain” offer", "doesn't", "Ha’aretz's", "a'b'c", "Ǆ ǅ", "x\u02bcy", "İstanbul", "\xff'a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Words(s), wordsReference(s); !slices.Equal(got, want) {
			t.Fatalf("Words(%q) = %q, want %q", s, got, want)
		}
	})
}
