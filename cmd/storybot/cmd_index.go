package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"
)

func runIndex(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	check := fs.Bool("check", false, "load the stored index without changing it, and say whether it is whole")
	if err := parseFlags(fs, args, "index [--check]"); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return runIndexShared(ctx, cfg, log, stdout)
	}
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	if *check {
		info := a.index.Info()
		if info.Passages == 0 {
			return errors.New("index check: no usable index stored (see the log for why)")
		}
		fmt.Fprintf(stdout, "stories   %d\npassages  %d\nembedder  %s\nbuilt     %s\ndigest    %s\n",
			len(info.Stories), info.Passages, info.Embedder, info.BuiltAt.Format(time.RFC3339), info.Digest)
		return nil
	}
	res, err := a.refresh(ctx)
	if err != nil {
		return err
	}
	info := a.index.Info()
	fmt.Fprintf(stdout, "stories   %d\npassages  %d\nembedded  %d\nreused    %d\nadded     %d\nchanged   %d\nremoved   %d\nskipped   %d files\nembedder  %s\ntime      %s\ndigest    %s\n",
		res.Stories, res.Passages, res.Embedded, res.Reused, res.Added, res.Changed, res.Removed,
		len(res.Problems), info.Embedder, res.Duration.Round(time.Microsecond), info.Digest)
	for _, p := range res.Problems {
		fmt.Fprintf(stdout, "skipped   %v\n", p)
	}
	return nil
}
