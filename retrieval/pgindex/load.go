package pgindex

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/retrieval"
)

// embedderKey names an embedder in the vectors table: kind/model. The
// dimensions are the version's, known once something was embedded.
func embedderKey(id retrieval.EmbedderIdentity) string { return id.Kind + "/" + id.Model }

// latest returns the newest complete version built by this process's
// embedder, or 0.
func (s *Shared) latest(ctx context.Context) (int64, error) {
	id := s.opts.Embedder.Identity()
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM index_versions
		WHERE complete AND embedder_kind = $1 AND embedder_model = $2`, id.Kind, id.Model).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("newest index version: %w", err)
	}
	return v, nil
}

// catchUp loads the newest complete version if it is newer than the one
// serving.
func (s *Shared) catchUp(ctx context.Context) error {
	v, err := s.latest(ctx)
	if err != nil {
		return err
	}
	if v > s.version.Load() || (v > 0 && s.local.Load()) {
		return s.load(ctx, v)
	}
	return nil
}

// load reads version v and installs it, unless it is serving already
// (a build in this process installs its version itself).
func (s *Shared) load(ctx context.Context, v int64) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	if v <= s.version.Load() && !s.local.Load() {
		return nil
	}
	start := time.Now()
	ps, vecs, id, created, err := s.read(ctx, v)
	if err != nil {
		return err
	}
	read := time.Since(start)
	if err := s.installLocked(ctx, v, ps, vecs, id, created); err != nil {
		return err
	}
	s.log.Info("loaded index version", "version", v, "passages", len(ps),
		"read", read.Round(time.Millisecond), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// read returns version v's passages in corpus order with their vectors.
func (s *Shared) read(ctx context.Context, v int64) ([]retrieval.Passage, [][]float32, retrieval.EmbedderIdentity, time.Time, error) {
	var (
		id      retrieval.EmbedderIdentity
		n       int
		created time.Time
	)
	fail := func(err error) ([]retrieval.Passage, [][]float32, retrieval.EmbedderIdentity, time.Time, error) {
		return nil, nil, id, created, fmt.Errorf("read index version %d: %w", v, err)
	}
	// One snapshot for the row count and the rows, so that a version
	// pruned meanwhile reads as missing rather than short.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback(ctx)
	err = tx.QueryRow(ctx, `SELECT embedder_kind, embedder_model, embedder_dims, passages, created_at
		FROM index_versions WHERE version = $1 AND complete`, v).Scan(&id.Kind, &id.Model, &id.Dimensions, &n, &created)
	if err != nil {
		return fail(err)
	}
	rows, err := tx.Query(ctx, `SELECT p.id, p.story, s.title, s.publication, p.paragraph, p.part, p.text, p.hash, p.quotes, x.vector
		FROM passages p
		JOIN stories s ON s.version = p.version AND s.slug = p.story
		JOIN vectors x ON x.embedder = $2 AND x.hash = p.hash
		WHERE p.version = $1 ORDER BY p.ord`, v, embedderKey(id))
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	ps := make([]retrieval.Passage, 0, n)
	vecs := make([][]float32, 0, n)
	var quotes, raw []byte
	for rows.Next() {
		var p retrieval.Passage
		if err := rows.Scan(&p.ID, &p.Story, &p.Title, &p.Publication, &p.Paragraph, &p.Part, &p.Text, &p.Hash, &quotes, &raw); err != nil {
			return fail(err)
		}
		if err := json.Unmarshal(quotes, &p.Quotes); err != nil {
			return fail(fmt.Errorf("passage %s: quotes: %w", p.ID, err))
		}
		if len(p.Quotes) == 0 {
			p.Quotes = nil
		}
		vec, err := decodeVector(raw, id.Dimensions)
		if err != nil {
			return fail(fmt.Errorf("passage %s: %w", p.ID, err))
		}
		ps, vecs = append(ps, p), append(vecs, vec)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if len(ps) != n {
		return fail(fmt.Errorf("%d of its %d passages have a stored vector", len(ps), n))
	}
	return ps, vecs, id, created, nil
}

// installLocked swaps version v into the process's index, unless a
// newer one is serving already, and records it as the local copy.
// s.loadMu must be held.
func (s *Shared) installLocked(ctx context.Context, v int64, ps []retrieval.Passage, vecs [][]float32, id retrieval.EmbedderIdentity, created time.Time) error {
	if v <= s.version.Load() && !s.local.Load() {
		return nil
	}
	if err := s.ix.Install(ctx, ps, vecs, id, created); err != nil {
		return fmt.Errorf("install index version %d: %w", v, err)
	}
	s.version.Store(v)
	s.local.Store(false)
	if err := writeLocalVersion(s.opts.LocalDir, v); err != nil {
		s.log.Warn("could not record the local copy's version", "err", err)
	}
	return nil
}

// listen holds a connection that LISTENs for new versions, reconnecting
// until ctx ends; each (re)connection and notification asks follow to
// catch up, so versions announced while disconnected are not missed.
func (s *Shared) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		if ctx.Err() != nil {
			break
		}
		if s.online.Swap(false) {
			s.log.Warn("lost PostgreSQL; serving the current version until it is back", "version", s.version.Load(), "err", err)
		} else {
			s.log.Debug("PostgreSQL still unreachable", "err", err)
		}
		t := time.NewTimer(s.opts.RetryInterval)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
	s.online.Store(false)
}

func (s *Shared) listenOnce(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, s.connCfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	if !s.online.Swap(true) {
		s.log.Info("listening for new index versions", "version", s.version.Load())
	}
	s.wake()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		s.log.Debug("new index version announced", "version", n.Payload)
		s.wake()
	}
}

// wake asks follow to catch up; wakes while it works collapse into one.
func (s *Shared) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// follow loads new versions in the background, when woken and every
// PollInterval, so questions keep using the serving version meanwhile.
func (s *Shared) follow(ctx context.Context) {
	t := time.NewTicker(s.opts.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case <-t.C:
			if !s.online.Load() {
				continue
			}
		}
		if err := s.catchUp(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("could not load the newest index version; will retry", "err", err)
		}
	}
}

// localVersionFile records which version the local copy of the index is.
const localVersionFile = "shared-version"

func readLocalVersion(dir string) int64 {
	if dir == "" {
		return 0
	}
	raw, err := os.ReadFile(filepath.Join(dir, localVersionFile))
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseInt(string(raw), 10, 64)
	return v
}

func writeLocalVersion(dir string, v int64) error {
	if dir == "" {
		return nil
	}
	tmp, err := os.CreateTemp(dir, localVersionFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", localVersionFile, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(strconv.FormatInt(v, 10)); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", localVersionFile, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", localVersionFile, err)
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, localVersionFile))
}
