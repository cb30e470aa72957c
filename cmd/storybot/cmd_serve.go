package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

func runServe(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if cfg.DiscordToken == "" {
		return errors.New("serve needs DISCORD_TOKEN (see README: setting up the Discord application)")
	}
	return errors.New("serve: the Discord side is not built yet")
}
