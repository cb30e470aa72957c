// Package discord is storybot's Discord face: it registers the slash
// commands, answers them and direct messages through a bot.Engine, and
// keeps Discord's rules (defer at once, message and embed limits, no
// pings) and its own (per-user rate limits, bounded concurrency,
// moderator-only reindexing).
package discord

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
)

// Defaults for Config fields left zero.
const (
	DefaultRate          = 6 // questions per user per minute
	DefaultMaxConcurrent = 4 // engine calls at once
)

// Time bounds.
const (
	askTimeout     = 2 * time.Minute  // one engine.Ask (well inside the 15-minute interaction token)
	reindexTimeout = 10 * time.Minute // one /reindex
	shutdownGrace  = 30 * time.Second // how long Run waits for in-flight handlers
)

// Config configures Run. Only Token is required.
type Config struct {
	// Token is the bot token, without the "Bot " prefix. It is never logged.
	Token string
	// GuildID registers the commands in that server only (they appear at
	// once); empty registers them globally, which DMs need.
	GuildID string
	// APIURL, when set, is Discord's REST root for a proxy or a test fake,
	// as SetAPIURL takes it.
	APIURL string
	// OwnerIDs are the users who may /reindex from a DM.
	OwnerIDs []string
	// ModRoleID is a role that may /reindex besides Manage Server.
	ModRoleID string
	// Rate is how many questions a user may ask per minute; 0 means
	// DefaultRate.
	Rate int
	// MaxConcurrent bounds the engine calls running at once; 0 means
	// DefaultMaxConcurrent.
	MaxConcurrent int
	// FeedbackPath is the feedback log the 👍/👎 buttons append to,
	// normally feedback.jsonl in the index folder; empty records nothing.
	FeedbackPath string
	// Stories is the story folder /reindex loads; nil means the embedded
	// default corpus.
	Stories fs.FS
	// ShutdownGrace is how long Run waits, once ctx ends, for the answers
	// in flight before it cancels them; 0 means 30 s.
	ShutdownGrace time.Duration
	// Clock is the bot's time, for rate limits and conversation memory; nil
	// means time.Now. Tests set it to move time on.
	Clock func() time.Time
	// Log receives the bot's logs; nil discards them.
	Log *slog.Logger
}

// Run connects to Discord, registers the commands and serves questions
// until ctx ends; then it stops taking new work, waits (a while) for the
// handlers in flight and disconnects. It returns an error when it cannot
// connect or register the commands, and nil after a clean shutdown.
func Run(ctx context.Context, cfg Config, engine *bot.Engine, index *retrieval.Index) error {
	switch {
	case cfg.Token == "":
		return errors.New("discord: no bot token")
	case engine == nil || index == nil:
		return errors.New("discord: no engine or index")
	}
	if cfg.APIURL != "" {
		if err := SetAPIURL(cfg.APIURL); err != nil {
			return fmt.Errorf("discord: %w", err)
		}
	}
	h := newHandler(ctx, cfg, engine, index)
	defer h.hardStop()

	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return fmt.Errorf("discord: new session: %w", err)
	}
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages | discordgo.IntentsGuildMessages
	s.AddHandler(h.onInteraction)
	s.AddHandler(h.onMessage)
	if err := s.Open(); err != nil {
		return fmt.Errorf("discord: connect: %w", err)
	}

	botID, appID := sessionIDs(s)
	h.setBotID(botID)
	if appID == "" {
		s.Close()
		return errors.New("discord: READY carried no application id")
	}
	cmds, err := s.ApplicationCommandBulkOverwrite(appID, cfg.GuildID, commandsFor(cfg.ModRoleID != ""))
	if err != nil {
		s.Close()
		return fmt.Errorf("discord: register commands: %w", err)
	}
	h.clearOtherScope(s, appID)
	scope := "global"
	if cfg.GuildID != "" {
		scope = "guild " + cfg.GuildID
	}
	h.log.Info("discord bot ready", "bot_user", botID, "application", appID, "commands", len(cmds), "scope", scope,
		"rate_per_minute", h.rate, "max_concurrent", h.queue.slots)

	<-ctx.Done()
	h.log.Info("discord bot stopping")
	grace := cfg.ShutdownGrace
	if grace <= 0 {
		grace = shutdownGrace
	}
	h.drain(grace)
	if err := s.Close(); err != nil {
		h.log.Warn("closing the gateway", "err", err)
	}
	h.log.Info("discord bot stopped")
	return nil
}

// clearOtherScope removes the commands of the scope not in use, so that
// switching between DISCORD_GUILD_ID and global registration does not
// leave every command listed twice: in guild mode the global set, in
// global mode the set of every server the bot is in.
func (h *handler) clearOtherScope(s *discordgo.Session, appID string) {
	none := []*discordgo.ApplicationCommand{}
	if h.cfg.GuildID != "" {
		if _, err := s.ApplicationCommandBulkOverwrite(appID, "", none); err != nil {
			h.log.Warn("could not clear the global commands", "err", err)
		}
		return
	}
	guilds, err := s.UserGuilds(200, "", "", false)
	if err != nil {
		h.log.Warn("could not list the servers to clear their commands", "err", err)
		return
	}
	for _, g := range guilds {
		if _, err := s.ApplicationCommandBulkOverwrite(appID, g.ID, none); err != nil {
			h.log.Warn("could not clear a server's commands", "guild", g.ID, "err", err)
		}
	}
}

// sessionIDs returns the bot's user id and its application id from READY.
func sessionIDs(s *discordgo.Session) (botID, appID string) {
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User != nil {
		botID = s.State.User.ID
	}
	if s.State.Application != nil {
		appID = s.State.Application.ID
	}
	if appID == "" {
		appID = botID // applications made since 2019 share the bot user's id
	}
	return botID, appID
}

// handler holds what the event handlers share.
type handler struct {
	cfg     Config
	engine  *bot.Engine
	index   *retrieval.Index
	stories fs.FS
	log     *slog.Logger
	rate    int
	limiter *limiter
	notices *noticeGate
	queue   *queue
	now     func() time.Time

	convs    *bot.Conversations
	answers  remembered // answer messages and threads → their conversation
	feedback *bot.FeedbackLog

	idMu sync.Mutex
	self string // the bot's user id

	// work outlives Run's ctx so that answers in flight at shutdown are
	// still delivered; it ends when the grace period does.
	work     context.Context
	stopWork context.CancelFunc

	mu      sync.Mutex // guards closing and wg.Add
	closing bool
	wg      sync.WaitGroup

	reindexes coalescer // /reindex runs, one at a time, coalesced
}

func newHandler(ctx context.Context, cfg Config, engine *bot.Engine, index *retrieval.Index) *handler {
	h := &handler{cfg: cfg, engine: engine, index: index, stories: cfg.Stories, log: cfg.Log, rate: cfg.Rate, now: cfg.Clock}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.log = h.log.With("component", "discord")
	if h.rate <= 0 {
		h.rate = DefaultRate
	}
	h.limiter = newLimiter(h.rate)
	n := cfg.MaxConcurrent
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	h.queue = newQueue(n)
	h.notices = newNoticeGate()
	h.convs = &bot.Conversations{Engine: engine, Now: func() time.Time { return h.now() }}
	if cfg.FeedbackPath != "" {
		h.feedback = &bot.FeedbackLog{Path: cfg.FeedbackPath}
	}
	if h.stories == nil {
		h.stories = data.FS
	}
	h.work, h.stopWork = context.WithCancel(context.WithoutCancel(ctx))
	return h
}

// begin registers a handler in flight; it reports false once the bot is
// shutting down, and the handler must then do nothing.
func (h *handler) begin() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return false
	}
	h.wg.Add(1)
	return true
}

func (h *handler) end() { h.wg.Done() }

// drain stops new work and waits up to grace for the handlers in flight;
// then it cancels what is left and waits a little more for it to finish.
func (h *handler) drain(grace time.Duration) {
	h.mu.Lock()
	h.closing = true
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(grace):
	}
	h.log.Warn("handlers still running after the grace period; cancelling them")
	h.stopWork()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		h.log.Error("handlers did not finish after cancellation")
	}
}

func (h *handler) hardStop() {
	h.mu.Lock()
	h.closing = true
	h.mu.Unlock()
	h.stopWork()
}

// rateNotice is the text a user gets who asks faster than the rate.
func rateNotice(wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return fmt.Sprintf("You're asking quickly — try again in %ds.", secs)
}

// Texts users see when something fails; the details go to the log.
const (
	textInternal   = "Sorry, something went wrong. Please try again."
	textAskError   = "Sorry, I couldn't answer that just now. Please try again in a moment."
	textRestarting = "I'm restarting — please ask again in a minute."
)

// failText is what a user is told when their answer failed: that the bot
// is restarting, when the failure is the shutdown cancelling it.
func (h *handler) failText() string {
	if h.work.Err() != nil {
		return textRestarting
	}
	return textAskError
}
