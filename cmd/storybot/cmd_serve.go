package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/storybot/storybot/bot/discord"
)

func runServe(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return errors.New("serve takes no arguments; configure it with the environment or .env")
	}
	if cfg.DiscordToken == "" {
		return errors.New("serve needs DISCORD_TOKEN (see the README: setting up the Discord application)")
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	var index discord.Index = a.index
	if a.shared != nil {
		defer a.shared.Close()
		index = a.shared
	}
	log.Info("connecting to Discord", "guild", cfg.GuildID, "model", cfg.useModel(), "passages", a.index.Info().Passages,
		"shared_index", a.shared != nil)
	return discord.Run(ctx, discord.Config{
		Token:         cfg.DiscordToken,
		GuildID:       cfg.GuildID,
		APIURL:        cfg.DiscordAPIURL,
		OwnerIDs:      cfg.OwnerIDs,
		ModRoleID:     cfg.ModRoleID,
		Rate:          cfg.Rate,
		Stories:       a.stories,
		Log:           log,
		Shards:        cfg.Shards,
		ShardIDs:      cfg.ShardIDs,
		MaxConcurrent: cfg.MaxConcurrent,
		FeedbackPath:  feedbackPath(cfg),
	}, a.engine, index)
}
