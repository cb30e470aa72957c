package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/pgindex"
)

// app is storybot wired together: the embedder, the index and where the
// stories come from.
type app struct {
	cfg      config
	log      *slog.Logger
	embedder retrieval.Embedder
	index    *retrieval.Index
	stories  fs.FS
	engine   *bot.Engine
	// shared is the index shared through PostgreSQL, when
	// STORYBOT_DATABASE_URL is set; index is then its replica.
	shared *pgindex.Shared
}

// newApp builds the embedder and opens the persisted index. It does not
// ingest; call refresh for that.
func newApp(cfg config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log}
	if cfg.useModel() {
		oc := openAIConfig{
			APIKey:     cfg.OpenAIKey,
			BaseURL:    cfg.OpenAIBaseURL,
			EmbedModel: cfg.EmbedModel,
			ChatModel:  cfg.ChatModel,
		}
		client := newOpenAIClient(oc)
		a.embedder = newOpenAIEmbedder(client, oc)
		a.engine = &bot.Engine{Chat: client, Model: oc.withDefaults().ChatModel}
	} else {
		a.engine = &bot.Engine{}
		a.embedder = retrieval.NewLocalEmbedder()
	}
	a.stories = data.FS
	if cfg.DataDir != "" {
		fi, err := os.Stat(cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("STORYBOT_DATA_DIR %q is not a folder: %w", cfg.DataDir, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("STORYBOT_DATA_DIR %q is not a folder", cfg.DataDir)
		}
		a.stories = os.DirFS(cfg.DataDir)
	}
	// One folder per embedder, so switching models back and forth does not
	// throw away the other's embeddings.
	id := a.embedder.Identity()
	dir := filepath.Join(cfg.IndexDir, retrieval.Slugify(id.Kind+"-"+id.Model))
	if cfg.DatabaseURL != "" {
		dir = sharedIndexDir(cfg, id)
	}
	ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: a.embedder, Logger: log})
	if err != nil {
		return nil, err
	}
	a.index = ix
	a.engine.Index, a.engine.Log, a.engine.Wait = ix, log, bot.DefaultWait
	return a, nil
}

// refresh brings the index up to date with the story files, logging files
// that could not be loaded.
func (a *app) refresh(ctx context.Context) (retrieval.ReindexResult, error) {
	res, err := a.index.Reindex(ctx, a.stories)
	for _, p := range res.Problems {
		a.log.Warn("story skipped", "err", p)
	}
	return res, err
}

// openApp is newApp followed by refresh: what every answering command needs.
func openApp(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	a, err := newApp(cfg, log)
	if err != nil {
		return nil, err
	}
	if cfg.DatabaseURL != "" {
		return a, a.openShared(ctx, a.stories)
	}
	if _, err := a.refresh(ctx); err != nil {
		return nil, err
	}
	return a, nil
}
