package bot

import (
	"regexp"
	"strings"
	"unicode"
)

// mentionRe matches Discord mention syntax: users, roles, channels, and the
// mass pings @everyone and @here (also when a word goes on: "@everyone00").
var mentionRe = regexp.MustCompile(`<@[!&]?\d+>|<#\d+>|@(everyone|here)`)

// CleanQuestion makes user text safe to process and to echo: control
// characters become spaces, bidirectional controls are dropped, white space
// is collapsed, and mentions are defused so that echoing the question can
// never ping anyone.
func CleanQuestion(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u200b' || r == '\ufeff', unicode.Is(unicode.Bidi_Control, r):
			// Bidi controls (RTL overrides) could make an echoed question read backwards.
			return -1
		case unicode.IsControl(r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r):
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return mentionRe.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "@") {
			return "@\u200b" + m[1:] // a zero-width space stops the ping
		}
		return "(mention)"
	})
}
