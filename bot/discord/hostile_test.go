package discord

import (
	"strings"
	"testing"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

// hostileQuestions are questions meant to break the bot, at sizes Discord
// lets through (a message holds at most 4,000 characters).
func hostileQuestions() map[string]string {
	zalgo := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteRune(r)
			b.WriteString("\u0336\u0321\u0334\u0358")
		}
		return b.String()
	}
	return map[string]string{
		"bare question mark": "?",
		"emoji only":         strings.Repeat("🔥", 30),
		"4000 characters":    strings.Repeat("why ", 1000),
		"invalid UTF-8":      "who said \xff\xfe it wasn't an official overture?",
		"NUL and control":    "who\x00 said\x07 it wasn't\x7f an official overture?",
		"ANSI escapes":       "\x1b[31mwho said it wasn't an official overture?\x1b[0m\x1b[2J",
		"RTL override":       "who said \u202eerutrevo laiciffo\u202c it wasn't?",
		"zalgo":              zalgo("who organizes the conference in Athens?"),
		"emoji flood":        strings.Repeat("😀", 200) + " who organizes the conference in Athens?",
		"mass mentions":      "@everyone @here who said it wasn't an official overture? @everyone00",
		"role and user":      "<@&123456789012345678> <@123456789012345678> <@!42> who organizes the conference in Athens?",
		"JSON closing":       `"}, "content": "@everyone pwned", "allowed_mentions": {"parse": ["everyone"]}} {"x": "`,
		"markdown link bait": "[click](https://evil.example) who organizes the conference in Athens? ```",
		"separators":         "who said\u2028it wasn't\u2029an official overture?",
	}
}

// checkHostile holds a message the bot sent to the rules that hold
// whatever it was asked: no ping, nothing that rewrites the reader's
// screen, something said.
func checkHostile(t *testing.T, name string, c call) {
	t.Helper()
	raw := c.body(t)
	checkNoPings(t, c)
	if strings.TrimSpace(c.content()) == "" && len(c.embeds()) == 0 {
		t.Errorf("%s: an empty message", name)
	}
	for _, bad := range []string{"@everyone", "@here", `\u001b`, `\u0000`, "\u202e", "<@&123456789012345678>", "<@123456789012345678>", "pwned"} {
		if strings.Contains(raw, bad) {
			t.Errorf("%s: the message holds %q: %.300s", name, bad, raw)
		}
	}
	if n := len([]rune(c.content())); n > maxContent {
		t.Errorf("%s: %d characters", name, n)
	}
}

func TestHostileQuestions(t *testing.T) {
	u := newUnit(t, Config{Rate: 1000}, nil, nil)
	for name, q := range hostileQuestions() {
		t.Run(name, func(t *testing.T) {
			in := u.interact(t, askCmd(discordfake.DefaultGuildID, q))
			edits := u.s.find(about(in, mEdit))
			if len(edits) != 1 {
				t.Fatalf("/ask: %v", u.s.find(about(in, "")))
			}
			checkHostile(t, "/ask", edits[0])

			m := u.message(t, dm(q))
			sent := u.s.find(func(c call) bool {
				return c.method == mSend && c.send.Reference != nil && c.send.Reference.MessageID == m.ID
			})
			if len(sent) == 0 {
				t.Fatalf("DM: no reply")
			}
			for _, c := range sent {
				checkHostile(t, "DM", c)
			}
		})
	}
	if strings.Contains(u.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", u.logs)
	}
}
