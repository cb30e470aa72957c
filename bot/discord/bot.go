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
	"net/http"
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
	// HTTPClient, when set, makes the REST calls of every session (for
	// example through a proxy's transport); nil uses discordgo's client.
	// Unlike APIURL it is the bot's own, not process-wide, so tests that
	// each run a bot against their own fake Discord may run in parallel.
	HTTPClient *http.Client
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
	// Store, when set, keeps conversations, the answers replies continue
	// and the feedback in a database every process shares, so that a
	// restart or a moved shard keeps them; nil keeps them in this process
	// (and the feedback in the log only).
	Store Store
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

	// Shards is the number of gateway shards of the whole bot; 0 asks
	// Discord for its recommendation (GET /gateway/bot).
	Shards int
	// ShardIDs are the shards this process runs, each below Shards; nil
	// runs all of them. Only the process running shard 0 registers the
	// commands, and DMs arrive on shard 0.
	ShardIDs []int
	// IdentifyInterval is the wait between buckets of shards identifying
	// (max_concurrency shards identify together); 0 means
	// DefaultIdentifyInterval.
	IdentifyInterval time.Duration
}

// Run connects to Discord, registers the commands and serves questions
// until ctx ends; then it stops taking new work, waits (a while) for the
// handlers in flight and disconnects. It runs one gateway session per
// shard in cfg.ShardIDs (all of cfg.Shards by default), every session
// sharing the engine, the index, the rate limits and the concurrency
// bound; only the process that runs shard 0 registers the commands. It
// returns an error when it cannot connect or register the commands, and
// nil after a clean shutdown.
func Run(ctx context.Context, cfg Config, engine *bot.Engine, index Index) error {
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

	plan, err := planShards(cfg, h.log)
	if err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	sessions, err := h.openShards(ctx, plan)
	defer func() {
		// Close sleeps about a second per session; close them together.
		var wg sync.WaitGroup
		for _, sh := range sessions {
			wg.Go(func() {
				if err := sh.s.Close(); err != nil {
					sh.h.log.Warn("closing the gateway", "err", err)
				}
			})
		}
		wg.Wait()
		h.log.Info("discord bot stopped")
	}()
	switch {
	case err != nil:
		return fmt.Errorf("discord: connect: %w", err)
	case ctx.Err() != nil:
		return nil // stopped while the shards were connecting
	}

	registered := 0
	scope := "global"
	if cfg.GuildID != "" {
		scope = "guild " + cfg.GuildID
	}
	// Every shard's handler shares the lifecycle, so this sets the bot's
	// id for all of them (READY sets it again per shard).
	botID, appID := sessionIDs(sessions[0].s)
	h.setBotID(botID)
	if s0 := sessions[0]; s0.id == 0 {
		// Commands are the application's, not a shard's: the process
		// that runs shard 0 registers them for everyone, and clears the
		// scope not in use.
		if appID == "" {
			return errors.New("discord: READY carried no application id")
		}
		cmds, err := s0.s.ApplicationCommandBulkOverwrite(appID, cfg.GuildID, commandsFor(cfg.ModRoleID != "", bot.ExampleQuestion(h.index.Passages())))
		if err != nil {
			return fmt.Errorf("discord: register commands: %w", err)
		}
		h.clearOtherScope(s0.s, appID)
		registered = len(cmds)
		h.log.Info("commands registered", "bot_user", botID, "application", appID, "commands", registered, "scope", scope)
	}
	h.log.Info("discord bot ready", "shards", plan.ids, "shard_count", plan.count, "commands", registered,
		"rate_per_minute", h.rate, "max_concurrent", h.queue.slots)

	<-ctx.Done()
	h.log.Info("discord bot stopping")
	grace := cfg.ShutdownGrace
	if grace <= 0 {
		grace = shutdownGrace
	}
	h.drain(grace)
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

// Index is what the Discord face needs of the index: the passages and a
// description for /quote and /story, a passage by id for the Sources
// button, and a rebuild for /reindex.
// *retrieval.Index is one; an index shared through a database, whose
// Reindex builds a version every process loads, is another. An Index may
// also have a Status() string method, a sentence /story shows (for
// example that the shared index is unreachable).
type Index interface {
	Passages() []retrieval.Passage
	Passage(id string) (retrieval.Passage, bool)
	Info() retrieval.Info
	Reindex(ctx context.Context, src fs.FS) (retrieval.ReindexResult, error)
}

// handler holds what the event handlers share. Each shard has its own
// handler, a copy whose log names the shard; everything else in it is
// shared, by pointer or by value that does not change.
type handler struct {
	cfg     Config
	engine  *bot.Engine
	index   Index
	stories fs.FS
	log     *slog.Logger
	rate    int
	limiter *limiter
	notices *noticeGate
	queue   *queue
	now     func() time.Time

	// editEvery is the least time between two edits of a streamed
	// answer: the package's editEvery, shorter in tests.
	editEvery time.Duration

	convs    *bot.Conversations
	feedback *bot.FeedbackLog

	// work outlives Run's ctx so that answers in flight at shutdown are
	// still delivered; it ends when the grace period does.
	work     context.Context
	stopWork context.CancelFunc

	*lifecycle
}

// lifecycle is the handlers' shared mutable state: the bookkeeping of
// work in flight, the /reindex coalescer, the answers remembered for
// conversations and the bot's id. Every shard's handler points to the one
// lifecycle, so none of it is copied by forShard.
type lifecycle struct {
	mu      sync.Mutex // guards closing and wg.Add
	closing bool
	wg      sync.WaitGroup

	reindexes coalescer // /reindex runs, one at a time, coalesced

	answers remembered // answer messages and threads → their conversation

	idMu sync.Mutex
	self string // the bot's user id
}

// forShard returns the handler for one shard's session: the same state,
// with the shard in every log line.
func (h *handler) forShard(id int) *handler {
	c := *h
	c.log = h.log.With("shard", id)
	return &c
}

// indexNote is the index's Status sentence, if it has one.
func (h *handler) indexNote() string {
	if s, ok := h.index.(interface{ Status() string }); ok {
		return s.Status()
	}
	return ""
}

// withNote appends note, if any, to text on a line of its own.
func withNote(text, note string) string {
	if note == "" {
		return text
	}
	return clip(text+"\n"+note, maxContent)
}

func newHandler(ctx context.Context, cfg Config, engine *bot.Engine, index Index) *handler {
	h := &handler{cfg: cfg, engine: engine, index: index, stories: cfg.Stories, log: cfg.Log, rate: cfg.Rate, now: cfg.Clock, lifecycle: &lifecycle{}, editEvery: editEvery}
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
	if cfg.Store != nil {
		h.convs.Store = cfg.Store
	}
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
