package discord

import (
	"strings"
	"testing"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

func TestDMMessageTypesThenReplies(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	m := u.message(t, dm(whoSaid))
	sent := u.s.find(inChannel(m.ChannelID, mSend))
	if len(sent) != 1 {
		t.Fatalf("sent %v, want one reply", sent)
	}
	u.s.waitFor(t, 1, inChannel(m.ChannelID, mTyping)) // the indicator runs on its own goroutine
	msg := sent[0].send
	if !strings.Contains(msg.Content, "Sadjepour") || !strings.Contains(msg.Content, "¶8") {
		t.Errorf("reply = %q", msg.Content)
	}
	if msg.Reference == nil || msg.Reference.MessageID != m.ID || msg.Reference.FailIfNotExists == nil || *msg.Reference.FailIfNotExists {
		t.Errorf("reply references %+v, want message %s, sent even if it was deleted", msg.Reference, m.ID)
	}
	checkNoPings(t, sent[0])
	if len(msg.Embeds) != 1 || len(msg.Components) != 1 {
		t.Errorf("embeds %+v components %+v, want the citations and the buttons", msg.Embeds, msg.Components)
	}
	if _, remembered := u.h.answers.get(sent[0].id, u.h.now()); !remembered {
		t.Error("the answer was not remembered for replies")
	}
}

func TestWhichMessagesAreAnswered(t *testing.T) {
	otherBot := discordfake.User{ID: "1180000000000000555", Username: "otherbot", Discriminator: "0", Bot: true}
	fromOtherBot := mention(whoSaid)
	fromOtherBot.Author = otherBot
	fromItself := dm(whoSaid)
	fromItself.Author = discordfake.User{ID: botUserID, Username: "storybot"}
	tests := []struct {
		name     string
		msg      discordfake.Message
		answered bool
	}{
		{"a DM", dm(whoSaid), true},
		{"a mention in a server", mention(whoSaid), true},
		{"a plain message in a server", discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid, GuildID: discordfake.DefaultGuildID}), false},
		{"a mention from another bot", fromOtherBot, false},
		{"the bot's own message", fromItself, false},
		{"an empty DM (an attachment alone)", dm("  "), false},
		{"a reply to someone else's message", discordfake.Reply(discordfake.ReplySpec{
			MessageSpec: discordfake.MessageSpec{Content: whoSaid, GuildID: discordfake.DefaultGuildID},
			To:          "1180000000000000999", ToAuthor: discordfake.User{ID: "1180000000000000444", Username: "someone"},
		}).Message, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, Config{}, nil, nil)
			m := u.message(t, tt.msg)
			sent := u.s.find(func(c call) bool { return c.method == mSend })
			if !tt.answered {
				if len(sent) != 0 {
					t.Errorf("answered with %v; want it ignored", sent)
				}
				return
			}
			if len(sent) != 1 || sent[0].send.Reference == nil || sent[0].send.Reference.MessageID != m.ID || !strings.Contains(sent[0].content(), "Sadjepour") {
				t.Errorf("sent %v, want the answer as a reply", sent)
			}
			checkNoPings(t, sent[0])
		})
	}
}

// A bare mention gets the prompt to ask something, with an example built
// from the loaded story's quotes.
func TestBareMentionPromptsWithExample(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	u.message(t, mention(""))
	sent := u.s.find(inChannel(discordfake.DefaultChannelID, mSend))
	if want := "Ask me a question about the story, e.g. “what did Trita Parsi say?”"; len(sent) != 1 || sent[0].content() != want {
		t.Errorf("sent %v, want %q", sent, want)
	}
	checkNoPings(t, sent[0])
}

func TestMessageReplyFails(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"rate-limited", err429},
		{"timed out", errTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, Config{}, nil, nil)
			u.s.failNext(mSend, tt.err)
			m := u.message(t, dm(whoSaid))
			if sent := u.s.find(inChannel(m.ChannelID, mSend)); len(sent) != 1 || sent[0].err == nil {
				t.Errorf("sent %v; want one failed try", sent)
			}
			if line := logLine(u.logs.String(), "could not send the reply"); !strings.Contains(line, "err=") {
				t.Errorf("the failure was not logged:\n%s", u.logs)
			}
			// The bot goes on answering.
			if a := u.answerTo(t, dm(whoSaid)); !strings.Contains(a.content, "Sadjepour") {
				t.Errorf("the next answer = %q", a.content)
			}
		})
	}
}
