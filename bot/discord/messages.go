package discord

import (
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
)

// onMessage answers direct messages, and messages in a server that
// mention the bot, as questions.
func (h *handler) onMessage(s *discordgo.Session, m *discordgo.MessageCreate) {
	if m == nil || m.Message == nil || m.Author == nil || m.Author.Bot {
		return
	}
	botID, _ := sessionIDs(s)
	if m.Author.ID == botID {
		return
	}
	question := m.Content
	kind := "dm"
	if m.GuildID != "" {
		kind = "mention"
		if !mentions(m.Message, botID) {
			return
		}
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
	log := h.log.With("user", m.Author.ID, "guild", m.GuildID, "command", kind, "message", m.ID)
	defer func() {
		if v := recover(); v != nil {
			log.Error("handler panicked", "panic", v, "stack", string(debug.Stack()))
			h.sendReply(s, m.Message, []string{textInternal}, nil, log)
		}
	}()

	if question == "" {
		prompt := "Ask me a question about the story."
		if ex := bot.ExampleQuestion(h.index.Passages()); ex != "" {
			prompt = "Ask me a question about the story, e.g. “" + ex + "”"
		}
		h.sendReply(s, m.Message, []string{prompt}, nil, log)
		return
	}
	if ok, wait := h.limiter.Allow(m.Author.ID, h.now()); !ok {
		log.Info("rate limited", "retry_in", wait.Round(time.Second))
		h.sendReply(s, m.Message, []string{rateNotice(wait)}, nil, log)
		return
	}
	if err := s.ChannelTyping(m.ChannelID); err != nil {
		log.Warn("typing indicator failed", "err", err)
	}
	start := time.Now()
	a, err := h.ask(h.work, question)
	if err != nil {
		log.Error("answer failed", "err", err)
		h.sendReply(s, m.Message, []string{textAskError}, nil, log)
		return
	}
	chunks, embed := renderAnswer(a)
	h.sendReply(s, m.Message, chunks, embed, log)
	log.Info("answered", "mode", a.Mode, "refused", a.Refused, "citations", len(a.Citations),
		"messages", len(chunks), "took", time.Since(start).Round(time.Millisecond))
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
// embed with the last; nothing it sends can ping.
func (h *handler) sendReply(s *discordgo.Session, m *discordgo.Message, chunks []string, embed *discordgo.MessageEmbed, log interface {
	Error(string, ...any)
}) {
	noFail := false
	for i, c := range chunks {
		msg := &discordgo.MessageSend{Content: c, AllowedMentions: noMentions()}
		if i == 0 {
			msg.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &noFail}
		}
		if i == len(chunks)-1 && embed != nil {
			msg.Embeds = []*discordgo.MessageEmbed{embed}
		}
		if _, err := s.ChannelMessageSendComplex(m.ChannelID, msg); err != nil {
			log.Error("could not send the reply", "err", err)
			return
		}
	}
}
