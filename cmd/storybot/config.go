package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/joho/godotenv"

	"github.com/storybot/storybot/bot/discord"
)

// config is everything storybot reads from its environment. Secrets stay in
// here and are never logged.
type config struct {
	DiscordToken  string
	GuildID       string
	DiscordAPIURL string
	OwnerIDs      []string
	ModRoleID     string

	OpenAIKey     string
	OpenAIBaseURL string
	ChatModel     string
	EmbedModel    string

	DataDir  string
	IndexDir string
	Rate     int
	LogLevel slog.Level

	// Shards is the bot's gateway shard count; 0 is "auto" (Discord's
	// recommendation). ShardIDs are the shards this process runs; nil is
	// all of them.
	Shards   int
	ShardIDs []int
	// DatabaseURL, when set, is the PostgreSQL database that holds the
	// shared, versioned index. It is a secret (it may hold a password).
	DatabaseURL string
	// MaxConcurrent is how many answers Discord works on at once.
	MaxConcurrent int
}

// useModel reports whether a model server is configured; without one
// storybot runs fully offline.
func (c config) useModel() bool { return c.OpenAIKey != "" || c.OpenAIBaseURL != "" }

// loadConfig reads the environment, with a .env file in the working
// directory filling in what the environment leaves unset.
func loadConfig(getenv func(string) string) (config, error) {
	dotenv, err := godotenv.Read(".env")
	if err != nil && !os.IsNotExist(err) {
		return config{}, fmt.Errorf("read .env: %w", err)
	}
	get := func(key string) string {
		if v := getenv(key); v != "" {
			return strings.TrimSpace(v)
		}
		return strings.TrimSpace(dotenv[key])
	}
	c := config{
		DiscordToken:  get("DISCORD_TOKEN"),
		GuildID:       get("DISCORD_GUILD_ID"),
		DiscordAPIURL: get("DISCORD_API_URL"),
		ModRoleID:     get("STORYBOT_MOD_ROLE_ID"),
		OpenAIKey:     get("OPENAI_API_KEY"),
		OpenAIBaseURL: get("OPENAI_BASE_URL"),
		ChatModel:     get("STORYBOT_CHAT_MODEL"),
		EmbedModel:    get("STORYBOT_EMBED_MODEL"),
		DataDir:       get("STORYBOT_DATA_DIR"),
		IndexDir:      get("STORYBOT_INDEX_DIR"),
		Rate:          discord.DefaultRate,
		DatabaseURL:   get("STORYBOT_DATABASE_URL"),
	}
	for _, id := range strings.FieldsFunc(get("STORYBOT_OWNER_IDS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		c.OwnerIDs = append(c.OwnerIDs, id)
	}
	if v := get("STORYBOT_RATE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return config{}, fmt.Errorf("STORYBOT_RATE must be a whole number of questions per minute, got %q", v)
		}
		c.Rate = n
	}
	if c.Shards, err = parseShards(get("STORYBOT_SHARDS")); err != nil {
		return config{}, err
	}
	if c.ShardIDs, err = parseShardIDs(get("STORYBOT_SHARD_IDS")); err != nil {
		return config{}, err
	}
	if c.Shards > 0 {
		for _, id := range c.ShardIDs {
			if id >= c.Shards {
				return config{}, fmt.Errorf("STORYBOT_SHARD_IDS names shard %d, but STORYBOT_SHARDS is %d (shards 0 to %d)", id, c.Shards, c.Shards-1)
			}
		}
	}
	if v := get("STORYBOT_MAX_CONCURRENT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return config{}, fmt.Errorf("STORYBOT_MAX_CONCURRENT must be a whole number of answers at once, got %q", v)
		}
		c.MaxConcurrent = n
	}
	if v := get("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return config{}, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", v)
		}
	}
	if c.IndexDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		c.IndexDir = filepath.Join(base, "storybot")
	}
	return c, nil
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
