// Package pgindex shares one versioned storybot index among processes
// through PostgreSQL. The database holds numbered index versions
// (stories, passages with their metadata, quotes and speakers, and the
// vectors by content hash, with the embedder that made them); a version
// is written in one transaction, marked complete and announced with
// NOTIFY. Every process LISTENs and loads each new version into its own
// in-process retrieval.Index, which swaps it in at once, so searching
// stays in memory and questions never wait for the database.
//
// Only one build runs in the whole cluster, under an advisory lock; a
// build asked for while another runs waits for it and reports its version
// instead of making another. When PostgreSQL cannot be reached the
// process serves its last local copy and keeps trying.
package pgindex

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/storybot/storybot/retrieval"
)

// channel is the NOTIFY channel that announces a complete version; the
// payload is its number.
const channel = "storybot_index"

// Advisory lock keys: "storybot" in ASCII, plus one.
const (
	buildLockKey   int64 = 0x73746f7279626f74
	migrateLockKey int64 = buildLockKey + 1
)

// Defaults for Options fields left zero.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultRetryInterval  = 2 * time.Second
	DefaultPollInterval   = 30 * time.Second
	// DefaultKeepVersions is how many complete versions a build keeps;
	// older ones, and vectors no version uses, are deleted.
	DefaultKeepVersions = 3
)

// Options configures Open. URL, Index and Embedder are required.
type Options struct {
	// URL is the PostgreSQL connection string (postgres://…). It is never
	// logged.
	URL string
	// Index is the process's in-memory index; each version is installed
	// into it. Open it with Dir set to LocalDir so that the last version
	// loaded survives a restart without the database.
	Index *retrieval.Index
	// Embedder embeds the passages a build finds no stored vector for; it
	// must be the one Index uses.
	Embedder retrieval.Embedder
	// LocalDir is where the number of the version in Index's local copy
	// is kept; "" keeps nothing.
	LocalDir string
	// Stories is what the first version is built from when the database
	// holds none yet; nil builds nothing at start.
	Stories fs.FS
	// Log receives the logs; nil discards them.
	Log *slog.Logger

	ConnectTimeout time.Duration // one connection attempt; default DefaultConnectTimeout
	RetryInterval  time.Duration // between reconnection attempts; default DefaultRetryInterval
	PollInterval   time.Duration // a check for new versions besides NOTIFY; default DefaultPollInterval
	KeepVersions   int           // default DefaultKeepVersions
}

// Shared is a process's replica of the shared index. It satisfies the
// interface the Discord face needs (Passages, Info, Reindex, Status).
type Shared struct {
	opts    Options
	ix      *retrieval.Index
	log     *slog.Logger
	connCfg *pgx.ConnConfig
	pool    *pgxpool.Pool

	version atomic.Int64 // the version serving; 0 when none came from the database
	online  atomic.Bool  // the listener is connected
	local   atomic.Bool  // serving an index built locally, not a shared version

	loadMu sync.Mutex // one install at a time
	kick   chan struct{}
	stop   context.CancelFunc
	done   sync.WaitGroup
}

// Open connects, applies the migrations and brings opts.Index to the
// newest complete version built by this embedder (building the first one
// from opts.Stories if there is none); then it follows new versions in the
// background until Close. If PostgreSQL cannot be reached, Open logs so,
// serves the local copy (or, lacking one, an index built locally from
// opts.Stories) and keeps trying in the background. It fails only on a
// bad URL or options, or when the schema cannot be migrated.
func Open(ctx context.Context, opts Options) (*Shared, error) {
	switch {
	case opts.Index == nil || opts.Embedder == nil:
		return nil, errors.New("open shared index: no index or embedder")
	case opts.URL == "":
		return nil, errors.New("open shared index: no database URL")
	}
	opts.ConnectTimeout = cmp.Or(opts.ConnectTimeout, DefaultConnectTimeout)
	opts.RetryInterval = cmp.Or(opts.RetryInterval, DefaultRetryInterval)
	opts.PollInterval = cmp.Or(opts.PollInterval, DefaultPollInterval)
	opts.KeepVersions = cmp.Or(opts.KeepVersions, DefaultKeepVersions)
	s := &Shared{opts: opts, ix: opts.Index, log: opts.Log, kick: make(chan struct{}, 1)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "pgindex")
	var err error
	// pgx's errors name the host and user, never the password.
	if s.connCfg, err = pgx.ParseConfig(opts.URL); err != nil {
		return nil, fmt.Errorf("open shared index: STORYBOT_DATABASE_URL: %w", err)
	}
	s.connCfg.ConnectTimeout = opts.ConnectTimeout
	poolCfg, err := pgxpool.ParseConfig(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("open shared index: STORYBOT_DATABASE_URL: %w", err)
	}
	poolCfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	// Queries are few (a check per notification, a load per version), so
	// a ping per use is cheap, and a connection the server dropped (a
	// restart) is replaced rather than failing the next query.
	poolCfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return true }
	if s.pool, err = pgxpool.NewWithConfig(ctx, poolCfg); err != nil {
		return nil, fmt.Errorf("open shared index: %w", err)
	}
	localVersion := readLocalVersion(opts.LocalDir)
	if len(s.ix.Passages()) > 0 {
		s.version.Store(localVersion)
	}

	err = s.start(ctx)
	if err == nil {
		s.online.Store(true)
	} else {
		var unreachable *unreachableError
		if !errors.As(err, &unreachable) {
			s.pool.Close()
			return nil, err
		}
		s.log.Warn("PostgreSQL is unreachable; serving the local copy of the index until it is back",
			"local_version", s.version.Load(), "passages", len(s.ix.Passages()), "err", unreachable.err)
		if len(s.ix.Passages()) == 0 && opts.Stories != nil {
			s.log.Warn("no local copy either; building the index locally from the story files")
			if _, err := s.ix.Reindex(ctx, opts.Stories); err != nil {
				s.log.Error("local build failed", "err", err)
			} else {
				s.local.Store(true)
			}
		}
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = stop
	s.done.Add(2)
	go func() { defer s.done.Done(); s.listen(bg) }()
	go func() { defer s.done.Done(); s.follow(bg) }()
	return s, nil
}

// unreachableError marks a failure to reach the database at all.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return "PostgreSQL unreachable: " + e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// start migrates and catches up, or builds the first version.
func (s *Shared) start(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, s.opts.ConnectTimeout)
	conn, err := s.pool.Acquire(pctx)
	cancel()
	if err != nil {
		return &unreachableError{err}
	}
	applied, err := migrate(ctx, conn.Conn())
	conn.Release()
	if err != nil {
		return fmt.Errorf("open shared index: %w", err)
	}
	if len(applied) > 0 {
		s.log.Info("database schema migrated", "applied", applied)
	}
	latest, err := s.latest(ctx)
	if err != nil {
		return &unreachableError{err}
	}
	switch {
	case latest == 0 && s.opts.Stories != nil:
		s.log.Info("the database holds no index version yet; building the first")
		if _, err := s.Build(ctx, s.opts.Stories); err != nil {
			s.log.Error("first build failed; serving the local copy", "err", err)
		}
	case latest > 0 && (latest != s.version.Load() || len(s.ix.Passages()) == 0):
		if err := s.load(ctx, latest); err != nil {
			s.log.Error("loading the newest version failed; serving the local copy", "version", latest, "err", err)
		}
	case latest > 0:
		s.log.Info("the local copy is the newest version", "version", latest, "passages", len(s.ix.Passages()))
	}
	return nil
}

// Close stops following new versions and closes the connections.
func (s *Shared) Close() {
	if s.stop != nil {
		s.stop()
	}
	s.done.Wait()
	s.pool.Close()
}

// Version returns the number of the version serving; 0 when none came
// from the database.
func (s *Shared) Version() int64 { return s.version.Load() }

// Online reports whether the process is connected to PostgreSQL and
// listening for new versions.
func (s *Shared) Online() bool { return s.online.Load() }

// Passages returns the serving version's passages.
func (s *Shared) Passages() []retrieval.Passage { return s.ix.Passages() }

// Passage returns the serving version's passage with the given id.
func (s *Shared) Passage(id string) (retrieval.Passage, bool) { return s.ix.Passage(id) }

// Info describes the serving version.
func (s *Shared) Info() retrieval.Info { return s.ix.Info() }

// Status is a sentence for /story: which shared version is serving, and
// whether the database is reachable.
func (s *Shared) Status() string {
	v := s.version.Load()
	switch {
	case s.online.Load() && v > 0:
		return fmt.Sprintf("Shared index: version %d (PostgreSQL).", v)
	case s.online.Load():
		return "Shared index: no version yet (PostgreSQL)."
	case s.local.Load():
		return "Shared index: PostgreSQL is unreachable; serving an index built locally from the story files."
	case v > 0:
		return fmt.Sprintf("Shared index: PostgreSQL is unreachable; serving the local copy of version %d.", v)
	default:
		return "Shared index: PostgreSQL is unreachable; serving the local copy."
	}
}

// Reindex builds a new version from src (see Build); it is what /reindex
// runs.
func (s *Shared) Reindex(ctx context.Context, src fs.FS) (retrieval.ReindexResult, error) {
	res, err := s.Build(ctx, src)
	return res.ReindexResult, err
}
