package bot_test

import (
	"strings"
	"testing"
)

// A line with no word in it asks nothing: it gets the prompt to ask
// something, not an answer built from whatever the search returns.
func TestAskNothingAsked(t *testing.T) {
	e := newEngine(t)
	for _, q := range []string{"", "   ", "?", " ? ", "...", "?!¿", "🔥🔥🔥", "\x00\x01", "\u202e\u200b"} {
		a := mustAsk(t, e, q)
		if !a.Refused || !strings.HasPrefix(a.Answer, "Ask me a question") || len(a.Citations) != 0 {
			t.Errorf("Ask(%q) = refused %v, %q", q, a.Refused, a.Answer)
		}
	}
	// Markup with nothing to look up is refused, whichever way.
	for _, q := range []string{"\x1b[0m", "@everyone", "<@123>"} {
		if a := mustAsk(t, e, q); !a.Refused || len(a.Citations) != 0 {
			t.Errorf("Ask(%q) = %q", q, a.Answer)
		}
	}
	// One letter or digit is something to look up.
	if a := mustAsk(t, e, "Athens?"); a.Refused && strings.HasPrefix(a.Answer, "Ask me a question") {
		t.Errorf("Ask(\"Athens?\") got the empty prompt")
	}
}
