package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"
)

func runIndex(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	if err := parseFlags(fs, args, "index"); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return runIndexShared(ctx, cfg, log, stdout)
	}
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	res, err := a.refresh(ctx)
	if err != nil {
		return err
	}
	info := a.index.Info()
	fmt.Fprintf(stdout, "stories   %d\npassages  %d\nembedded  %d\nreused    %d\nadded     %d\nchanged   %d\nremoved   %d\nskipped   %d files\nembedder  %s\ntime      %s\n",
		res.Stories, res.Passages, res.Embedded, res.Reused, res.Added, res.Changed, res.Removed,
		len(res.Problems), info.Embedder, res.Duration.Round(time.Microsecond))
	return nil
}
