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

// checkHostileBody holds a message the bot sent to the rules that hold
// whatever it was asked: no ping, nothing that rewrites the reader's
// screen, something said.
func checkHostileBody(t *testing.T, name string, r discordfake.Request) {
	t.Helper()
	raw := string(r.JSON())
	msg := decode[messageBody](t, r)
	noPings(t, msg.AllowedMentions)
	if strings.TrimSpace(msg.Content) == "" && len(msg.Embeds) == 0 {
		t.Errorf("%s: an empty message", name)
	}
	for _, bad := range []string{"@everyone", "@here", `\u001b`, `\u0000`, "\u202e", "<@&123456789012345678>", "<@123456789012345678>", "pwned"} {
		if strings.Contains(raw, bad) {
			t.Errorf("%s: the message holds %q: %.300s", name, bad, raw)
		}
	}
	if n := len([]rune(msg.Content)); n > 2000 {
		t.Errorf("%s: %d characters", name, n)
	}
}

func TestHostileQuestionsThroughAsk(t *testing.T) {
	tb := startBot(t, Config{GuildID: discordfake.DefaultGuildID, Rate: 1000}, nil, nil)
	ctx := testContext(t)
	sent := map[string]discordfake.Interaction{}
	for name, q := range hostileQuestions() {
		in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(q)})
		dispatch(t, tb.f, "INTERACTION_CREATE", in)
		sent[name] = in
	}
	for name, in := range sent {
		checkHostileBody(t, name, originalEdits(t, ctx, tb.f, in, 1)[0])
	}
	if strings.Contains(tb.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", tb.logs.String())
	}
}

func TestHostileQuestionsThroughDM(t *testing.T) {
	tb := startBot(t, Config{Rate: 1000}, nil, nil)
	ctx := testContext(t)
	for name, q := range hostileQuestions() {
		m := discordfake.MessageCreate(discordfake.MessageSpec{Content: q})
		dispatch(t, tb.f, "MESSAGE_CREATE", m)
		sent, err := tb.f.WaitFor(ctx, func(r discordfake.Request) bool {
			return r.Method == "POST" && r.Path == "/channels/"+m.ChannelID+"/messages" && strings.Contains(string(r.JSON()), m.ID)
		})
		if err != nil {
			t.Fatalf("%s: no reply: %v", name, err)
		}
		checkHostileBody(t, name, sent)
	}
	if strings.Contains(tb.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", tb.logs.String())
	}
}
