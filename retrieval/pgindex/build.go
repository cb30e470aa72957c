package pgindex

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/retrieval"
)

// BuildResult says what Build did.
type BuildResult struct {
	retrieval.ReindexResult
	// Version is the version serving afterwards: the one built, or the
	// newest when nothing changed or another build answered for this one.
	Version int64
	// Coalesced reports that another process's build was running when
	// this one was asked for, and its version stands for both.
	Coalesced bool
	// Unchanged reports that the stories matched the newest version, so
	// no version was written.
	Unchanged bool
}

// Build loads every story in src and writes them as the next version:
// under an advisory lock, so one build runs in the whole cluster; in one
// transaction, after which the version is marked complete and announced
// with NOTIFY. Passages whose text (hash) already has a vector from this
// embedder reuse it; only the others are embedded. When another build
// holds the lock, Build waits for it and, if it produced a version,
// returns that one (Coalesced) without building. The new version is then
// installed in this process's index at once; the others load it when
// notified. On error the serving index and the database are unchanged.
func (s *Shared) Build(ctx context.Context, src fs.FS) (BuildResult, error) {
	start := time.Now()
	var res BuildResult
	stories, problems := retrieval.LoadStories(src)
	res.Stories, res.Problems = len(stories), problems
	if len(stories) == 0 {
		if len(problems) == 0 {
			return res, errors.New("build index version: the story folder holds no .txt, .md or .html story")
		}
		return res, fmt.Errorf("build index version: no story could be loaded: %w", errors.Join(problems...))
	}
	var passages []retrieval.Passage
	for _, st := range stories {
		passages = append(passages, retrieval.Passages(st)...)
	}
	res.Passages = len(passages)

	// The lock lives as long as this connection: a build that dies
	// releases it with its session.
	conn, err := pgx.ConnectConfig(ctx, s.connCfg)
	if err != nil {
		return res, fmt.Errorf("build index version: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	before, err := s.latest(ctx)
	if err != nil {
		return res, fmt.Errorf("build index version: %w", err)
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, buildLockKey).Scan(&got); err != nil {
		return res, fmt.Errorf("build index version: lock: %w", err)
	}
	if !got {
		s.log.Info("an index build is running in another process; waiting for it", "newest", before)
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, buildLockKey); err != nil {
			return res, fmt.Errorf("build index version: wait for the running build: %w", err)
		}
		after, err := s.latest(ctx)
		if err != nil {
			return res, fmt.Errorf("build index version: %w", err)
		}
		if after > before {
			conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, buildLockKey)
			if err := s.catchUp(ctx); err != nil {
				return res, fmt.Errorf("build index version: %w", err)
			}
			res.Version, res.Coalesced = after, true
			res.Passages = len(s.ix.Passages())
			res.Duration = time.Since(start)
			s.log.Info("reindex coalesced with the build that was running", "version", after)
			return res, nil
		}
	}

	v, err := s.buildLocked(ctx, conn, passages, &res)
	if err != nil {
		return res, fmt.Errorf("build index version: %w", err)
	}
	res.Version = v
	res.Duration = time.Since(start)
	return res, nil
}

// buildLocked writes passages as the next version, holding the build
// lock on conn, and installs it; it returns the version serving after.
func (s *Shared) buildLocked(ctx context.Context, conn *pgx.Conn, passages []retrieval.Passage, res *BuildResult) (int64, error) {
	id := s.opts.Embedder.Identity()
	key := embedderKey(id)
	fp, err := fingerprint(key, passages)
	if err != nil {
		return 0, err
	}

	// What the newest version holds, to count changes and spot none.
	latest, err := s.latest(ctx)
	if err != nil {
		return 0, err
	}
	oldHash := map[string]string{}
	if latest > 0 {
		var oldFP string
		if err := conn.QueryRow(ctx, `SELECT fingerprint FROM index_versions WHERE version = $1`, latest).Scan(&oldFP); err != nil {
			return 0, err
		}
		if oldFP == fp {
			res.Version, res.Unchanged, res.Reused = latest, true, len(passages)
			if err := s.catchUp(ctx); err != nil {
				return 0, err
			}
			return latest, nil
		}
		rows, err := conn.Query(ctx, `SELECT id, hash FROM passages WHERE version = $1`, latest)
		if err != nil {
			return 0, err
		}
		var pid, h string
		_, err = pgx.ForEachRow(rows, []any{&pid, &h}, func() error { oldHash[pid] = h; return nil })
		if err != nil {
			return 0, err
		}
	}
	seen := map[string]bool{}
	for _, p := range passages {
		if seen[p.ID] {
			return 0, fmt.Errorf("passage id %q appears twice", p.ID)
		}
		seen[p.ID] = true
		switch h, ok := oldHash[p.ID]; {
		case !ok:
			res.Added++
		case h != p.Hash:
			res.Changed++
		}
	}
	for pid := range oldHash {
		if !seen[pid] {
			res.Removed++
		}
	}

	// Stored vectors by hash; embed the rest.
	hashes := make([]string, 0, len(passages))
	for _, p := range passages {
		hashes = append(hashes, p.Hash)
	}
	known := map[string][]float32{}
	rows, err := conn.Query(ctx, `SELECT hash, vector FROM vectors WHERE embedder = $1 AND hash = ANY($2)`, key, hashes)
	if err != nil {
		return 0, err
	}
	var h string
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&h, &raw}, func() error {
		vec, err := decodeVector(raw, 0)
		known[h] = vec
		return err
	})
	if err != nil {
		return 0, err
	}
	var todo []string
	var todoHash []string
	queued := map[string]bool{}
	for _, p := range passages {
		if _, ok := known[p.Hash]; ok || queued[p.Hash] {
			continue
		}
		queued[p.Hash] = true
		todo, todoHash = append(todo, p.Text), append(todoHash, p.Hash)
	}
	res.Reused = len(passages) - len(todo)
	fresh := map[string][]float32{}
	if len(todo) > 0 {
		vecs, err := s.opts.Embedder.Embed(ctx, todo)
		if err != nil {
			return 0, fmt.Errorf("embed %d passages: %w", len(todo), err)
		}
		if len(vecs) != len(todo) {
			return 0, fmt.Errorf("the embedder returned %d vectors for %d passages", len(vecs), len(todo))
		}
		res.Embedded = len(todo)
		for i, h := range todoHash {
			known[h], fresh[h] = vecs[i], vecs[i]
		}
	}
	vecs := make([][]float32, len(passages))
	for i, p := range passages {
		vecs[i] = known[p.Hash]
		if id.Dimensions == 0 {
			id.Dimensions = len(vecs[i])
		}
		if len(vecs[i]) != id.Dimensions {
			return 0, fmt.Errorf("passage %s has a %d-dimension embedding, the index uses %d", p.ID, len(vecs[i]), id.Dimensions)
		}
	}

	// Holding loadMu from before the commit (and its NOTIFY) until the
	// version is installed keeps this process's follower from reading
	// back what it has in hand.
	s.loadMu.Lock()
	v, created, err := s.write(ctx, conn, id, fp, passages, fresh)
	if err == nil {
		err = s.installLocked(ctx, v, passages, vecs, id, created)
	}
	s.loadMu.Unlock()
	if err != nil {
		return 0, err
	}
	s.prune(ctx, conn)
	s.log.Info("built index version", "version", v, "passages", len(passages), "added", res.Added, "changed", res.Changed,
		"removed", res.Removed, "embedded", res.Embedded, "reused", res.Reused)
	return v, nil
}

// write stores the next version in one transaction, marks it complete
// and announces it; NOTIFY is delivered when the transaction commits.
func (s *Shared) write(ctx context.Context, conn *pgx.Conn, id retrieval.EmbedderIdentity, fp string, passages []retrieval.Passage, fresh map[string][]float32) (int64, time.Time, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	defer tx.Rollback(ctx)
	var v int64
	var created time.Time
	err = tx.QueryRow(ctx, `INSERT INTO index_versions (version, embedder_kind, embedder_model, embedder_dims, fingerprint)
		SELECT COALESCE(max(version), 0) + 1, $1, $2, $3, $4 FROM index_versions
		RETURNING version, created_at`, id.Kind, id.Model, id.Dimensions, fp).Scan(&v, &created)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("new version: %w", err)
	}
	key := embedderKey(id)
	vrows := make([][]any, 0, len(fresh))
	for h, vec := range fresh {
		vrows = append(vrows, []any{key, h, encodeVector(vec)})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"vectors"}, []string{"embedder", "hash", "vector"}, pgx.CopyFromRows(vrows)); err != nil {
		return 0, time.Time{}, fmt.Errorf("write vectors: %w", err)
	}
	var srows [][]any
	seen := map[string]bool{}
	for _, p := range passages {
		if !seen[p.Story] {
			seen[p.Story] = true
			srows = append(srows, []any{v, p.Story, p.Title, p.Publication})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stories"}, []string{"version", "slug", "title", "publication"}, pgx.CopyFromRows(srows)); err != nil {
		return 0, time.Time{}, fmt.Errorf("write stories: %w", err)
	}
	prows := make([][]any, len(passages))
	for i, p := range passages {
		q := p.Quotes
		if q == nil {
			q = []retrieval.Quote{}
		}
		quotes, err := json.Marshal(q)
		if err != nil {
			return 0, time.Time{}, fmt.Errorf("encode quotes of %s: %w", p.ID, err)
		}
		prows[i] = []any{v, i, p.ID, p.Story, p.Paragraph, p.Part, p.Text, p.Hash, string(quotes)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"passages"},
		[]string{"version", "ord", "id", "story", "paragraph", "part", "text", "hash", "quotes"}, pgx.CopyFromRows(prows)); err != nil {
		return 0, time.Time{}, fmt.Errorf("write passages: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE index_versions SET complete = true, completed_at = clock_timestamp(), passages = $2 WHERE version = $1`, v, len(passages)); err != nil {
		return 0, time.Time{}, fmt.Errorf("complete version: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, fmt.Sprint(v)); err != nil {
		return 0, time.Time{}, fmt.Errorf("notify: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, time.Time{}, fmt.Errorf("commit version %d: %w", v, err)
	}
	return v, created, nil
}

// prune keeps the newest KeepVersions versions of each embedder (a
// cluster moving to another model keeps the old model's versions until
// it has moved) and deletes the rest, and the vectors no remaining
// version uses. It is housekeeping: failures are logged, and the next
// build tries again.
func (s *Shared) prune(ctx context.Context, conn *pgx.Conn) {
	tag, err := conn.Exec(ctx, `DELETE FROM index_versions WHERE version IN (
		SELECT version FROM (
			SELECT version, row_number() OVER (PARTITION BY embedder_kind, embedder_model ORDER BY version DESC) AS age
			FROM index_versions) v
		WHERE age > $1)`, s.opts.KeepVersions)
	if err != nil {
		s.log.Warn("could not delete old index versions", "err", err)
		return
	}
	if tag.RowsAffected() == 0 {
		return
	}
	if _, err := conn.Exec(ctx, `DELETE FROM vectors x WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.hash = x.hash)`); err != nil {
		s.log.Warn("could not delete unused vectors", "err", err)
	}
}

// fingerprint hashes the passages, metadata and all, and the embedder:
// equal fingerprints mean an identical version.
func fingerprint(embedder string, passages []retrieval.Passage) (string, error) {
	h := sha256.New()
	h.Write([]byte(embedder + "\n"))
	if err := json.NewEncoder(h).Encode(passages); err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
