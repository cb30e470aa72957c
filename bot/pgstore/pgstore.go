// Package pgstore keeps storybot's conversation memory, the answers a
// reply may continue and the 👍/👎 feedback in PostgreSQL, the database
// that already holds the shared index (retrieval/pgindex, whose migrations
// create the tables), so that a restart or a shard moved to another
// process keeps them. It implements bot.ConversationStore,
// bot.AnswerStore and bot.FeedbackStore.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval/pgindex"
)

// connectTimeout bounds one connection attempt; the callers bound each
// call as well, and fall back to the process's memory when it fails.
const connectTimeout = 2 * time.Second

// downFor is how long the store is not tried again after it could not
// reach the database, so that an outage costs one wait, not one per
// question.
const downFor = 10 * time.Second

// errDown is returned while the database is taken to be down.
var errDown = errors.New("PostgreSQL was unreachable moments ago; not trying again yet")

// Store is the PostgreSQL store. Its methods are safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool

	mu        sync.Mutex // held while migrating
	migrated  atomic.Bool
	downUntil atomic.Int64 // unix nanoseconds; see downFor
}

var (
	_ bot.ConversationStore = (*Store)(nil)
	_ bot.AnswerStore       = (*Store)(nil)
	_ bot.FeedbackStore     = (*Store)(nil)
)

// Open makes a Store on the database at url (postgres://…, never logged).
// It does not connect yet: each call connects as needed and brings the
// schema up to date the first time, so a database that is down at start
// is used once it is back.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open store: STORYBOT_DATABASE_URL: %w", err)
	}
	cfg.ConnConfig.ConnectTimeout = connectTimeout
	// A connection the server dropped is replaced, not failed on.
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return true }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close closes the store's connections.
func (s *Store) Close() { s.pool.Close() }

// ready reports whether the store may be used now: the database is not
// known to be down, and the migrations have been applied (once per
// Store; a caller that finds them being applied does not wait).
func (s *Store) ready(ctx context.Context) error {
	if time.Now().UnixNano() < s.downUntil.Load() {
		return errDown
	}
	if s.migrated.Load() {
		return nil
	}
	if !s.mu.TryLock() {
		return errors.New("the schema is being brought up to date")
	}
	defer s.mu.Unlock()
	if s.migrated.Load() {
		return nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return s.failed(err)
	}
	defer conn.Release()
	if err := pgindex.Migrate(ctx, conn.Conn()); err != nil {
		return s.failed(err)
	}
	s.migrated.Store(true)
	return nil
}

// failed notes err: one that did not come from the server (it could not
// be reached, or the call timed out) marks the database down for downFor.
func (s *Store) failed(err error) error {
	var pgErr *pgconn.PgError
	if err != nil && !errors.As(err, &pgErr) && !errors.Is(err, pgx.ErrNoRows) {
		s.downUntil.Store(time.Now().Add(downFor).UnixNano())
	}
	return err
}

// Turns returns the last n turns of the conversation key, oldest first,
// unless it expired by now.
func (s *Store) Turns(ctx context.Context, key string, n int, now time.Time) ([]bot.Turn, error) {
	if err := s.ready(ctx); err != nil {
		return nil, fmt.Errorf("read conversation: %w", err)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT question, standalone, passage_ids, speakers, refused, created_at FROM (
			SELECT * FROM conversation_turns
			WHERE conversation = $1 AND expires_at > $2
			ORDER BY turn DESC LIMIT $3) last
		ORDER BY turn`, key, now, n)
	if err != nil {
		return nil, fmt.Errorf("read conversation: %w", s.failed(err))
	}
	turns, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.Turn, error) {
		var t bot.Turn
		err := row.Scan(&t.Question, &t.Standalone, &t.PassageIDs, &t.Speakers, &t.Refused, &t.At)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("read conversation: %w", s.failed(err))
	}
	return turns, nil
}

// AddTurn appends t to the conversation key, keeps its last n turns and
// sets the whole conversation to expire at expires. A conversation that
// had expired starts afresh. Expired turns and answers of every
// conversation are swept on the way.
func (s *Store) AddTurn(ctx context.Context, key string, t bot.Turn, n int, expires time.Time) error {
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("add turn: %w", err)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One writer per conversation at a time, so turn numbers do not
		// collide.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('storybot-conversation:' || $1, 0))`, key); err != nil {
			return err
		}
		// Sweep what has expired (the expiry indexes keep this cheap).
		if _, err := tx.Exec(ctx, `DELETE FROM conversation_turns WHERE expires_at <= $1`, t.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM conversation_answers WHERE expires_at <= $1`, t.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO conversation_turns
				(conversation, turn, question, standalone, answer, passage_ids, speakers, refused, created_at, expires_at)
			SELECT $1, coalesce(max(turn), 0) + 1, $2, $3, '', $4, $5, $6, $7, $8
			FROM conversation_turns WHERE conversation = $1`,
			key, t.Question, t.Standalone, nonNil(t.PassageIDs), nonNil(t.Speakers), t.Refused, t.At, expires); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE conversation_turns SET expires_at = $2 WHERE conversation = $1`, key, expires); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			DELETE FROM conversation_turns WHERE conversation = $1
			AND turn <= (SELECT max(turn) FROM conversation_turns WHERE conversation = $1) - $2`, key, n)
		return err
	})
	if err != nil {
		return fmt.Errorf("add turn: %w", s.failed(err))
	}
	return nil
}

// AddAnswer records ref under id until expires, replacing what was there.
func (s *Store) AddAnswer(ctx context.Context, id string, ref bot.AnswerRef, expires time.Time) error {
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("add answer: %w", err)
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO conversation_answers (id, conversation, question, standalone, answer_mode, passage_ids, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET conversation = $2, question = $3, standalone = $4, answer_mode = $5,
			passage_ids = $6, expires_at = $7`,
		id, ref.Conversation, ref.Question, ref.Standalone, ref.Mode, nonNil(ref.PassageIDs), expires)
	if err != nil {
		return fmt.Errorf("add answer: %w", s.failed(err))
	}
	return nil
}

// Answer returns the ref recorded under id, unless it expired by now.
func (s *Store) Answer(ctx context.Context, id string, now time.Time) (bot.AnswerRef, bool, error) {
	if err := s.ready(ctx); err != nil {
		return bot.AnswerRef{}, false, fmt.Errorf("read answer: %w", err)
	}
	var ref bot.AnswerRef
	err := s.pool.QueryRow(ctx, `
		SELECT conversation, question, standalone, answer_mode, passage_ids
		FROM conversation_answers WHERE id = $1 AND expires_at > $2`, id, now).
		Scan(&ref.Conversation, &ref.Question, &ref.Standalone, &ref.Mode, &ref.PassageIDs)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return bot.AnswerRef{}, false, nil
	case err != nil:
		return bot.AnswerRef{}, false, fmt.Errorf("read answer: %w", s.failed(err))
	}
	return ref, true, nil
}

// AddFeedback records one 👍/👎, as the feedback log does.
func (s *Store) AddFeedback(ctx context.Context, e bot.FeedbackEntry) error {
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("add feedback: %w", err)
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO feedback (time, verdict, question, standalone, answer_mode, passage_ids, guild, user_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.Time, e.Verdict, e.Question, e.Standalone, e.AnswerMode, nonNil(e.PassageIDs), e.Guild, e.User)
	if err != nil {
		return fmt.Errorf("add feedback: %w", s.failed(err))
	}
	return nil
}

// nonNil makes a nil slice an empty array, since the columns are NOT NULL.
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
