package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/storybot/storybot/retrieval"
)

func runSearch(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	k := fs.Int("k", 5, "number of passages")
	mode := fs.String("mode", "hybrid", "ranking: hybrid, vector or lexical")
	if err := parseFlags(fs, args, "search [--k N] [--mode hybrid|vector|lexical] QUESTION"); err != nil {
		return err
	}
	q := joinArgs(fs.Args())
	if q == "" {
		fs.Usage()
		return errUsage
	}
	m := retrieval.Mode(*mode)
	if m != retrieval.Hybrid && m != retrieval.Vector && m != retrieval.Lexical {
		return errors.New("--mode must be hybrid, vector or lexical")
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	hits, err := a.index.SearchMode(ctx, q, *k, m)
	if err != nil {
		return err
	}
	for i, h := range hits {
		fmt.Fprintf(stdout, "%d. %s  score %.4f  cos %.3f  bm25 %.2f\n   %s\n\n", i+1, h.ID, h.Score, h.Similarity, h.BM25, h.Text)
	}
	return nil
}
