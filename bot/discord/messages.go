package discord

import (
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
)

// handleMessage answers direct messages, and messages in a server that
// mention the bot (whose user id is botID), as questions, through s. A DM
// continues the DM's conversation; a reply to one of the bot's answers, or
// a message in a thread the bot started, continues that answer's
// conversation.
func (h *handler) handleMessage(s session, botID string, m *discordgo.MessageCreate) {
	if m == nil || m.Message == nil || m.Author == nil || m.Author.Bot {
		return
	}
	if m.Author.ID == botID {
		return
	}
	key, ok := h.messageConversation(m.Message, botID)
	if !ok {
		return
	}
	kind := "dm"
	question := m.Content
	if m.GuildID != "" {
		kind = "mention"
		question = stripMention(question, botID)
	}
	question = strings.TrimSpace(question)
	if question == "" && m.GuildID == "" {
		return // an attachment or sticker alone: nothing to answer
	}
	if !h.begin() {
		return
	}
	defer h.end()
	log := h.log.With("user", m.Author.ID, "guild", m.GuildID, "command", kind, "message", m.ID, "conversation", key)
	defer func() {
		if v := recover(); v != nil {
			log.Error("handler panicked", "panic", v, "stack", string(debug.Stack()))
			h.sendReply(s, m.Message, []string{textInternal}, nil, nil, log)
		}
	}()

	// The limit comes before the prompt for a bare mention, and a user is
	// told either at most once a window: nobody can make the bot flood a
	// channel.
	if ok, wait := h.limiter.Allow(m.Author.ID, h.now()); !ok {
		log.Info("rate limited", "retry_in", wait.Round(time.Second))
		if h.notices.Allow(m.Author.ID, h.now()) {
			h.sendReply(s, m.Message, []string{rateNotice(wait)}, nil, nil, log)
		}
		return
	}
	if question == "" {
		if h.notices.Allow(m.Author.ID, h.now()) {
			prompt := "Ask me a question about the story."
			if ex := bot.ExampleQuestion(h.index.Passages()); ex != "" {
				prompt = "Ask me a question about the story, e.g. “" + ex + "”"
			}
			h.sendReply(s, m.Message, []string{prompt}, nil, nil, log)
		}
		return
	}
	stopTyping := keepTyping(s, m.ChannelID, log)
	defer stopTyping()
	start := time.Now()
	var notice *discordgo.Message
	a, err := h.converse(h.work, key, question, func(place int) {
		notice = h.sendReply(s, m.Message, []string{queueNotice(place)}, nil, nil, log)
	})
	if notice != nil {
		if err := s.ChannelMessageDelete(notice.ChannelID, notice.ID); err != nil {
			log.Warn("could not remove the queue notice", "err", err)
		}
	}
	if err != nil {
		log.Error("answer failed", "err", err)
		h.sendReply(s, m.Message, []string{h.failText()}, nil, nil, log)
		return
	}
	chunks, embed := renderReply(a)
	stopTyping()
	sent := h.sendReply(s, m.Message, chunks, embed, answerButtons(a), log)
	if sent != nil {
		h.rememberAnswer(sent.ID, recordOf(key, a))
	}
	log.Info("answered", "mode", a.Mode, "refused", a.Refused, "citations", len(a.Citations),
		"messages", len(chunks), "standalone", a.Standalone, "took", time.Since(start).Round(time.Millisecond))
}

// mentions says whether m mentions the user id.
func mentions(m *discordgo.Message, id string) bool {
	if id == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == id {
			return true
		}
	}
	return false
}

// stripMention removes the mentions of id from content.
func stripMention(content, id string) string {
	content = strings.ReplaceAll(content, "<@"+id+">", " ")
	content = strings.ReplaceAll(content, "<@!"+id+">", " ")
	return strings.Join(strings.Fields(content), " ")
}

// sendReply sends chunks to m's channel, the first as a reply to m, the
// embed and the components with the last; nothing it sends can ping. It
// returns the last message sent, or nil when sending failed.
func (h *handler) sendReply(s session, m *discordgo.Message, chunks []string, embed *discordgo.MessageEmbed,
	components []discordgo.MessageComponent, log interface{ Error(string, ...any) }) *discordgo.Message {
	noFail := false
	var last *discordgo.Message
	for i, c := range chunks {
		msg := &discordgo.MessageSend{Content: c, AllowedMentions: noMentions()}
		if i == 0 {
			msg.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &noFail}
		}
		if i == len(chunks)-1 {
			if embed != nil {
				msg.Embeds = []*discordgo.MessageEmbed{embed}
			}
			msg.Components = components
		}
		sent, err := s.ChannelMessageSendComplex(m.ChannelID, msg)
		if err != nil {
			log.Error("could not send the reply", "err", err)
			return nil
		}
		last = sent
	}
	return last
}

// keepTyping shows the typing indicator in channel until stop is called,
// renewing it before Discord's 10 seconds run out.
func keepTyping(s session, channel string, log interface{ Warn(string, ...any) }) (stop func()) {
	done := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(typingEvery)
		defer t.Stop()
		for {
			if err := s.ChannelTyping(channel); err != nil {
				log.Warn("typing indicator failed", "err", err)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}
