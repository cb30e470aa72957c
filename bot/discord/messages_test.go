package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

func TestDMMessageTypesThenReplies(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	m := discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid})
	dispatch(t, tb.f, "MESSAGE_CREATE", m)
	sent, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/channels/"+m.ChannelID+"/messages"))
	if err != nil {
		t.Fatal(err)
	}
	typing := tb.f.Find(discordfake.Match("POST", "/channels/"+m.ChannelID+"/typing"))
	if len(typing) != 1 || typing[0].Seq > sent.Seq {
		t.Errorf("typing = %v, want one before the reply (#%d)", typing, sent.Seq)
	}
	msg := decode[messageBody](t, sent)
	if !strings.Contains(msg.Content, "Sadjepour") || !strings.Contains(msg.Content, "¶8") {
		t.Errorf("reply = %q", msg.Content)
	}
	if msg.MessageReference == nil || msg.MessageReference.MessageID != m.ID {
		t.Errorf("reply references %+v, want message %s", msg.MessageReference, m.ID)
	}
	noPings(t, msg.AllowedMentions)
	if len(msg.Embeds) != 1 {
		t.Errorf("embeds = %+v", msg.Embeds)
	}
}

func TestChannelMessageNeedsAMention(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	plain := discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid, GuildID: discordfake.DefaultGuildID})
	dispatch(t, tb.f, "MESSAGE_CREATE", plain)
	fromBot := discordfake.MessageCreate(discordfake.MessageSpec{Content: discordfake.Mention(tb.f.BotUser().ID) + " " + whoSaid,
		GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{tb.f.BotUser()},
		Author: discordfake.User{ID: "1180000000000000555", Username: "otherbot", Discriminator: "0", Bot: true}})
	dispatch(t, tb.f, "MESSAGE_CREATE", fromBot)
	mention := discordfake.MessageCreate(discordfake.MessageSpec{Content: discordfake.Mention(tb.f.BotUser().ID) + " " + whoSaid,
		GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{tb.f.BotUser()}})
	dispatch(t, tb.f, "MESSAGE_CREATE", mention)
	sent, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/channels/"+discordfake.DefaultChannelID+"/messages"))
	if err != nil {
		t.Fatal(err)
	}
	msg := decode[messageBody](t, sent)
	if msg.MessageReference == nil || msg.MessageReference.MessageID != mention.ID {
		t.Errorf("reply references %+v, want the mention %s", msg.MessageReference, mention.ID)
	}
	if !strings.Contains(msg.Content, "Sadjepour") {
		t.Errorf("reply = %q", msg.Content)
	}
	noPings(t, msg.AllowedMentions)
	// Handlers run concurrently: give the ignored messages a moment, then
	// check nothing answered them.
	time.Sleep(200 * time.Millisecond)
	if n := len(tb.f.Find(discordfake.Match("POST", "/channels/*/messages"))); n != 1 {
		t.Errorf("%d messages sent, want 1 (the plain message and the bot's must be ignored)", n)
	}
}

// A bare mention gets the prompt to ask something, with an example built
// from the loaded story's quotes.
func TestBareMentionPromptsWithExample(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	mention := discordfake.MessageCreate(discordfake.MessageSpec{Content: discordfake.Mention(tb.f.BotUser().ID),
		GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{tb.f.BotUser()}})
	dispatch(t, tb.f, "MESSAGE_CREATE", mention)
	sent, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/channels/"+discordfake.DefaultChannelID+"/messages"))
	if err != nil {
		t.Fatal(err)
	}
	msg := decode[messageBody](t, sent)
	if want := "Ask me a question about the story, e.g. “what did Trita Parsi say?”"; msg.Content != want {
		t.Errorf("reply = %q, want %q", msg.Content, want)
	}
	noPings(t, msg.AllowedMentions)
}
