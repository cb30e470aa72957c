package discord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

// gatedChat is a chat model that answers nothing until released, then
// fails, so the engine falls back on the extractive answer.
type gatedChat struct {
	entered chan struct{}
	release chan struct{}
}

func (g gatedChat) CreateChatCompletion(ctx context.Context, _ openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	select {
	case g.entered <- struct{}{}:
	default:
	}
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	return openai.ChatCompletionResponse{}, errors.New("gated chat: no model here")
}

func TestQueueTellsThePlaceInLine(t *testing.T) {
	eng, ix := newEngine(t)
	g := gatedChat{entered: make(chan struct{}, 1), release: make(chan struct{})}
	eng.Chat = g
	tb := startBot(t, Config{MaxConcurrent: 1}, eng, ix)
	ctx := testContext(t)
	first := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	dispatch(t, tb.f, "INTERACTION_CREATE", first)
	select {
	case <-g.entered:
	case <-ctx.Done():
		close(g.release)
		t.Fatal("the first answer never started")
	}
	second := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid),
		User: discordfake.User{ID: "1180000000000000301", Username: "other"}})
	dispatch(t, tb.f, "INTERACTION_CREATE", second)
	notice := decode[messageBody](t, originalEdits(t, ctx, tb.f, second, 1)[0]).Content
	close(g.release)
	if !strings.Contains(notice, "you're 1st in line") {
		t.Errorf("waiting user told %q; want their place in line", notice)
	}
	for _, in := range []discordfake.Interaction{first, second} {
		rs, err := tb.f.WaitFor(ctx, func(r discordfake.Request) bool {
			return r.Method == "PATCH" && strings.HasSuffix(r.Path, in.Token+"/messages/@original") && strings.Contains(string(r.JSON()), "Sadjepour")
		})
		if err != nil {
			t.Fatalf("no answer after the queue: %v", err)
		}
		_ = rs
	}
}

func TestMentionFloodGetsOneNotice(t *testing.T) {
	tb := startBot(t, Config{Rate: 2}, nil, nil)
	ctx := testContext(t)
	botUser := tb.f.BotUser()
	for i := range 8 {
		content := discordfake.Mention(botUser.ID) + " " + whoSaid
		if i%2 == 1 {
			content = discordfake.Mention(botUser.ID) // a bare mention
		}
		m := discordfake.MessageCreate(discordfake.MessageSpec{Content: content, GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{botUser}})
		dispatch(t, tb.f, "MESSAGE_CREATE", m)
	}
	// Two mentions fit the rate; the rest, and the bare mentions, get one
	// notice in all. Handlers run in any order, so wait for the replies to
	// settle.
	if _, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/channels/"+discordfake.DefaultChannelID+"/messages")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	var notices, answers int
	for _, r := range tb.f.Find(discordfake.Match("POST", "/channels/"+discordfake.DefaultChannelID+"/messages")) {
		c := decode[messageBody](t, r).Content
		switch {
		case strings.Contains(c, "try again in") || strings.Contains(c, "Ask me a question"):
			notices++
		case strings.Contains(c, "Sadjepour"):
			answers++
		}
	}
	if notices != 1 || answers > 2 {
		logRequests(t, tb.f)
		t.Errorf("%d notices and %d answers for 8 mentions at 2 a minute; want 1 notice and at most 2 answers", notices, answers)
	}
}
