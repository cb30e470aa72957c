package discord

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
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
	u := newUnit(t, Config{MaxConcurrent: 1}, eng, ix)
	u.h.editEvery = time.Millisecond
	var wg sync.WaitGroup
	serve := func(payload any) *discordgo.Interaction {
		in := event[discordgo.InteractionCreate](t, payload).Interaction
		wg.Go(func() { u.h.handleInteraction(u.s, &discordgo.InteractionCreate{Interaction: in}) })
		return in
	}
	first := serve(askCmd(discordfake.DefaultGuildID, whoSaid))
	<-g.entered
	second := serve(discordfake.SlashCommand(discordfake.CommandSpec{Name: cmdAsk, GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid),
		User: discordfake.User{ID: "1180000000000000301", Username: "other"}}))
	notice := u.s.waitFor(t, 1, about(second, mEdit))[0].content()
	// And a DM, which is told its place in a message it removes later.
	m := event[discordgo.MessageCreate](t, dm(whoSaid))
	wg.Go(func() { u.h.handleMessage(u.s, botUserID, m) })
	dmNotice := u.s.waitFor(t, 1, inChannel(m.ChannelID, mSend))[0]
	close(g.release)
	wg.Wait()
	if !strings.Contains(notice, "you're 1st in line") {
		t.Errorf("waiting user told %q; want their place in line", notice)
	}
	if !strings.Contains(dmNotice.content(), "you're 2nd in line") {
		t.Errorf("waiting DM told %q; want its place in line", dmNotice.content())
	}
	if del := u.s.find(inChannel(m.ChannelID, mMsgDel)); len(del) != 1 || del[0].message != dmNotice.id {
		t.Errorf("deleted %v; want the DM's queue notice removed", del)
	}
	for _, in := range []*discordgo.Interaction{first, second} {
		edits := u.s.find(about(in, mEdit))
		if last := edits[len(edits)-1].content(); !strings.Contains(last, "Sadjepour") {
			t.Errorf("answer after the queue = %q", last)
		}
	}
}

func TestMentionFloodGetsOneNotice(t *testing.T) {
	u := newUnit(t, Config{Rate: 2}, nil, nil)
	for i := range 8 {
		q := whoSaid
		if i%2 == 1 {
			q = "" // a bare mention
		}
		u.message(t, mention(q))
	}
	// Two mentions fit the rate: the first question is answered, and the
	// bare mention after it gets the prompt, the one notice a user gets a
	// minute; the rest get nothing.
	var notices, answers int
	for _, c := range u.s.find(inChannel(discordfake.DefaultChannelID, mSend)) {
		switch c := c.content(); {
		case strings.Contains(c, "try again in") || strings.Contains(c, "Ask me a question"):
			notices++
		case strings.Contains(c, "Sadjepour"):
			answers++
		}
	}
	if notices != 1 || answers != 1 {
		t.Errorf("%d notices and %d answers for 8 mentions at 2 a minute; want 1 notice and 1 answer", notices, answers)
	}
}
