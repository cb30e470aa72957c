package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// The answering commands arrive with the answer engine.

func runServe(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	return errors.New("serve: not built yet")
}

func runChat(ctx context.Context, cfg config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	return errors.New("chat: not built yet; try `storybot search QUESTION`")
}

func runAsk(ctx context.Context, cfg config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	return errors.New("ask: not built yet")
}

func runQuotes(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	return errors.New("quotes: not built yet")
}
