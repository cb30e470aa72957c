package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/pgindex"
)

// sharedIndexDir is where a process keeps its local copy of the shared
// index: apart from the local-only index, so that switching
// STORYBOT_DATABASE_URL on and off never passes one for the other.
func sharedIndexDir(cfg config, id retrieval.EmbedderIdentity) string {
	return filepath.Join(cfg.IndexDir, "shared", retrieval.Slugify(id.Kind+"-"+id.Model))
}

// openShared connects the app's index to the shared one in PostgreSQL;
// first, when the database holds no version, builds one from first (nil:
// build nothing at start).
func (a *app) openShared(ctx context.Context, first fs.FS) error {
	sh, err := pgindex.Open(ctx, pgindex.Options{
		URL:      a.cfg.DatabaseURL,
		Index:    a.index,
		Embedder: a.embedder,
		LocalDir: sharedIndexDir(a.cfg, a.embedder.Identity()),
		Stories:  first,
		Log:      a.log,
	})
	if err != nil {
		return err
	}
	a.shared = sh
	return nil
}

// runIndexShared is `storybot index` with STORYBOT_DATABASE_URL: it
// builds the next shared version (or joins the build running elsewhere)
// and prints what changed.
func runIndexShared(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) error {
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	if err := a.openShared(ctx, nil); err != nil {
		return err
	}
	defer a.shared.Close()
	if !a.shared.Online() {
		return fmt.Errorf("index: PostgreSQL is unreachable; no shared version can be built")
	}
	res, err := a.shared.Build(ctx, a.stories)
	for _, p := range res.Problems {
		log.Warn("story skipped", "err", p)
	}
	if err != nil {
		return err
	}
	outcome := "built"
	switch {
	case res.Coalesced:
		outcome = "built by the reindex that was running in another process"
	case res.Unchanged:
		outcome = "unchanged (the stories match the newest version)"
	}
	info := a.index.Info()
	fmt.Fprintf(stdout, "version   %d, %s\nstories   %d\npassages  %d\nembedded  %d\nreused    %d\nadded     %d\nchanged   %d\nremoved   %d\nskipped   %d files\nembedder  %s\ntime      %s\n",
		res.Version, outcome, res.Stories, res.Passages, res.Embedded, res.Reused, res.Added, res.Changed, res.Removed,
		len(res.Problems), info.Embedder, res.Duration.Round(time.Microsecond))
	return nil
}
