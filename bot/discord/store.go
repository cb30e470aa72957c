package discord

import (
	"context"
	"time"

	"github.com/storybot/storybot/bot"
)

// Store keeps what the bot remembers in a database every process shares
// (bot/pgstore), so that a restart, or a shard moved to another process,
// keeps it: the conversations' turns, the answers a reply or a thread may
// continue, and the 👍/👎 feedback (which also goes to the feedback log).
type Store interface {
	bot.ConversationStore
	bot.AnswerStore
	bot.FeedbackStore
}

// storeWait bounds one call to the Store; past it the bot goes on with
// what it holds in memory.
const storeWait = 2 * time.Second

// rememberAnswer records that the message (or thread) id carries an
// answer of rec's conversation, in memory and in the Store.
func (h *handler) rememberAnswer(id string, rec answerRecord) {
	if id == "" {
		return
	}
	now := h.now()
	h.answers.put(id, rec, now)
	if h.cfg.Store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(h.work, storeWait)
	defer cancel()
	ref := bot.AnswerRef{Conversation: rec.key, Question: rec.question, Standalone: rec.standalone, Mode: rec.mode, PassageIDs: rec.passageIDs}
	if err := h.cfg.Store.AddAnswer(ctx, id, ref, now.Add(rememberFor)); err != nil {
		h.log.Warn("could not store the answer; it is remembered by this process only", "answer", id, "err", err)
	}
}

// recallAnswer returns what the message (or thread) id answered: from
// memory, or else, when ask is set, from the Store, which knows the
// answers of earlier runs and of other processes.
func (h *handler) recallAnswer(id string, ask bool) (answerRecord, bool) {
	now := h.now()
	rec, ok := h.answers.get(id, now)
	if ok || id == "" || !ask || h.cfg.Store == nil {
		return rec, ok
	}
	ctx, cancel := context.WithTimeout(h.work, storeWait)
	defer cancel()
	ref, ok, err := h.cfg.Store.Answer(ctx, id, now)
	if err != nil {
		h.log.Warn("could not read a stored answer", "answer", id, "err", err)
		return answerRecord{}, false
	}
	if !ok {
		return answerRecord{}, false
	}
	rec = answerRecord{key: ref.Conversation, question: ref.Question, standalone: ref.Standalone, mode: ref.Mode, passageIDs: ref.PassageIDs}
	h.answers.put(id, rec, now)
	return rec, true
}

// storeFeedback records e in the Store, if there is one.
func (h *handler) storeFeedback(e bot.FeedbackEntry) error {
	if h.cfg.Store == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(h.work, storeWait)
	defer cancel()
	return h.cfg.Store.AddFeedback(ctx, e)
}
