package text

import (
	"strings"
	"unicode/utf8"
)

// Truncate returns s when it has at most n runes. Otherwise it returns the
// first n runes, cut back to the last space when that space lies past the
// middle (so a word is not split where a little can be given up), followed
// by "…". It is storybot's one truncator: of questions echoed back, errors,
// roles and passages shown in a line.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := s
	runes := 0
	for i := range s {
		if runes == n {
			cut = s[:i]
			break
		}
		runes++
	}
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
