package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/storybot/storybot/bot/discord"
	"github.com/storybot/storybot/bot/pgstore"
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
	var store discord.Store
	if cfg.DatabaseURL != "" {
		// Conversations, the answers replies continue and feedback live
		// in the same database as the shared index.
		s, err := pgstore.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer s.Close()
		store = s
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
		Store:         store,
	}, a.engine, index)
}
