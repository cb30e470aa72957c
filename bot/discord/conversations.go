package discord

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
)

// Bounds of what the bot remembers about its own messages.
const (
	maxRemembered = 20000         // answer messages and threads
	rememberFor   = 2 * time.Hour // longer than a conversation's idle time
	typingEvery   = 8 * time.Second
)

// answerRecord is what a bot answer message answered: its conversation,
// and what feedback on it records.
type answerRecord struct {
	key        string // the conversation it belongs to
	question   string
	standalone string
	mode       string
	passageIDs []string
}

// remembered maps the ids of the bot's answer messages and of the threads
// it started to their conversation, so that a reply to an answer, or a
// message in the thread, continues it. It is bounded and forgets old
// entries; it is safe for concurrent use.
type remembered struct {
	mu sync.Mutex
	m  map[string]rememberedEntry
}

type rememberedEntry struct {
	rec answerRecord
	at  time.Time
}

func (r *remembered) put(id string, rec answerRecord, now time.Time) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]rememberedEntry{}
	}
	if _, ok := r.m[id]; !ok && len(r.m) >= maxRemembered {
		oldest, oldestAt := "", now
		for k, e := range r.m {
			if now.Sub(e.at) >= rememberFor {
				delete(r.m, k)
			} else if e.at.Before(oldestAt) {
				oldest, oldestAt = k, e.at
			}
		}
		if len(r.m) >= maxRemembered {
			delete(r.m, oldest)
		}
	}
	r.m[id] = rememberedEntry{rec: rec, at: now}
}

func (r *remembered) get(id string, now time.Time) (answerRecord, bool) {
	if id == "" {
		return answerRecord{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.m[id]
	if !ok || now.Sub(e.at) >= rememberFor {
		return answerRecord{}, false
	}
	return e.rec, true
}

// messageConversation says which conversation a user's message continues,
// and whether the bot should answer it at all: a DM always; in a server, a
// message that mentions the bot (a reply to the bot's answer does by
// default) or, when its content can be read (the Message Content intent),
// a reply to an answer or a message in a thread the bot started.
func (h *handler) messageConversation(m *discordgo.Message, botID string) (key string, ok bool) {
	if m.GuildID == "" {
		return "dm:" + m.ChannelID, true
	}
	var refID string
	if m.MessageReference != nil {
		refID = m.MessageReference.MessageID
	}
	// The Store is asked only about messages addressed to the bot (a
	// mention, or a readable reply to it), not about every message of a
	// channel it can read.
	mentioned := mentions(m, botID)
	readable := strings.TrimSpace(stripMention(m.Content, botID)) != ""
	refToBot := m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil && m.ReferencedMessage.Author.ID == botID
	rec, isAnswer := h.recallAnswer(refID, mentioned || readable && refToBot)
	replyToBot := isAnswer || refToBot
	thread, inThread := h.recallAnswer(m.ChannelID, mentioned)
	if !mentioned && !(readable && (replyToBot || inThread)) {
		return "", false
	}
	switch {
	case isAnswer:
		return rec.key, true
	case replyToBot:
		return "reply:" + refID, true // an answer from before a restart: its memory is gone
	case inThread:
		return thread.key, true
	}
	return "msg:" + m.ID, true
}

// interactionConversation is the conversation an /ask continues: the DM,
// or the thread the bot started that it was used in; else a new one.
func (h *handler) interactionConversation(in *discordgo.Interaction) string {
	if in.GuildID == "" {
		return "dm:" + in.ChannelID
	}
	if rec, ok := h.recallAnswer(in.ChannelID, true); ok {
		return rec.key
	}
	return "ask:" + in.ID
}

// converse answers one question of a conversation within the concurrency
// bound, telling a waiting user their place in the queue through wait.
func (h *handler) converse(ctx context.Context, key, question string, wait func(place int)) (bot.Reply, error) {
	ctx, cancel := context.WithTimeout(ctx, askTimeout)
	defer cancel()
	if err := h.queue.Acquire(ctx, wait); err != nil {
		return bot.Reply{}, fmt.Errorf("waiting for a free answer slot: %w", err)
	}
	defer h.queue.Release()
	return h.convs.Ask(ctx, key, question)
}

// recordOf is what an answer message remembers.
func recordOf(key string, r bot.Reply) answerRecord {
	rec := answerRecord{key: key, question: r.Question, standalone: r.Standalone, mode: r.Mode}
	for _, c := range r.Citations {
		if !containsString(rec.passageIDs, c.PassageID) {
			rec.passageIDs = append(rec.passageIDs, c.PassageID)
		}
	}
	return rec
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
