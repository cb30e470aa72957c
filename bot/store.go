package bot

import (
	"context"
	"time"
)

// storeWait bounds one call to a ConversationStore: an answer never waits
// longer than this for the database, and falls back to the process's
// memory instead.
const storeWait = 2 * time.Second

// ConversationStore keeps conversation turns outside the process, in a
// database every process shares, so that a restart, or a conversation
// that moves to another process with its shard, keeps its memory.
// Conversations reads a conversation's history from it and writes each
// turn to it as well as to its own memory, which it falls back on when
// the store fails.
type ConversationStore interface {
	// Turns returns the last n turns of the conversation key, oldest
	// first; none when the conversation has expired by now.
	Turns(ctx context.Context, key string, n int, now time.Time) ([]Turn, error)
	// AddTurn appends t to the conversation key, keeps its last n turns,
	// and makes the whole conversation expire at expires.
	AddTurn(ctx context.Context, key string, t Turn, n int, expires time.Time) error
}

// FeedbackStore records feedback entries in a database, besides the
// feedback log.
type FeedbackStore interface {
	AddFeedback(ctx context.Context, e FeedbackEntry) error
}

// AnswerRef is what an answer given in a conversation leaves for a later
// reply to it: the conversation it belongs to and what it answered. A
// front end keys it by the id of the message that carried the answer (or
// of a thread opened on it).
type AnswerRef struct {
	Conversation string
	Question     string
	Standalone   string
	Mode         string
	PassageIDs   []string
}

// AnswerStore keeps AnswerRefs outside the process, like
// ConversationStore keeps turns.
type AnswerStore interface {
	// AddAnswer records ref under id until expires.
	AddAnswer(ctx context.Context, id string, ref AnswerRef, expires time.Time) error
	// Answer returns the ref recorded under id, if it has not expired by
	// now.
	Answer(ctx context.Context, id string, now time.Time) (AnswerRef, bool, error)
}
