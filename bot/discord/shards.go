package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// DefaultIdentifyInterval is Discord's session-start window: in each 5 s,
// max_concurrency shards may identify.
const DefaultIdentifyInterval = 5 * time.Second

// shardPlan is which shards a process runs and how fast it may start them.
type shardPlan struct {
	count          int   // shards of the whole bot
	ids            []int // shards this process runs, ascending
	maxConcurrency int   // shards that may identify together
}

// planShards settles the shard count (asking Discord when cfg.Shards is
// 0), the shards to run and max_concurrency, all from Discord's GET
// /gateway/bot. When that call fails, "auto" means one shard, and the
// shards start one at a time.
func planShards(cfg Config, log *slog.Logger) (shardPlan, error) {
	p := shardPlan{count: cfg.Shards, maxConcurrency: 1}
	s, err := newSession(cfg)
	if err != nil {
		return p, fmt.Errorf("new session: %w", err)
	}
	gb, err := s.GatewayBot()
	switch {
	case err != nil && cfg.Shards == 0:
		// As before shards existed: one session. A bot that needs more
		// will hear so from the gateway (close code 4011).
		log.Warn("Discord did not recommend a shard count (GET /gateway/bot); running one shard", "err", err)
	case err != nil:
		log.Warn("Discord did not say how many shards may start at once; starting them one at a time", "err", err)
	default:
		if cfg.Shards == 0 {
			p.count = gb.Shards
		}
		p.maxConcurrency = max(1, gb.SessionStartLimit.MaxConcurrency)
	}
	p.count = max(1, p.count)
	if cfg.ShardIDs == nil {
		for id := range p.count {
			p.ids = append(p.ids, id)
		}
	} else {
		p.ids = slices.Clone(cfg.ShardIDs)
		slices.Sort(p.ids)
		p.ids = slices.Compact(p.ids)
	}
	if len(p.ids) == 0 {
		return p, errors.New("no shard to run")
	}
	if last := p.ids[len(p.ids)-1]; p.ids[0] < 0 || last >= p.count {
		return p, fmt.Errorf("shards %v are not all within 0..%d (%d shards)", p.ids, p.count-1, p.count)
	}
	if err == nil && gb.SessionStartLimit.Remaining > 0 && gb.SessionStartLimit.Remaining < len(p.ids) {
		log.Warn("fewer session starts left today than shards to start", "remaining", gb.SessionStartLimit.Remaining, "shards", len(p.ids))
	}
	return p, nil
}

// newSession makes a session of the bot's, not yet connected.
func newSession(cfg Config) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, err
	}
	if cfg.HTTPClient != nil {
		s.Client = cfg.HTTPClient
	}
	return s, nil
}

// buckets groups the shards that may identify together: Discord's
// rate-limit key is shard_id % max_concurrency, so the shards
// [k·mc, (k+1)·mc) form bucket k, and the buckets start in turn.
func (p shardPlan) buckets() [][]int {
	var out [][]int
	for _, id := range p.ids {
		k := id / p.maxConcurrency
		if len(out) == 0 || out[len(out)-1][0]/p.maxConcurrency != k {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], id)
	}
	return out
}

// shardSession is one shard's gateway session and its handler.
type shardSession struct {
	id int
	s  *discordgo.Session
	h  *handler
}

// openShards opens a session per shard, a bucket at a time with the
// identify interval between buckets, and returns those it opened (in
// shard order) for the caller to close. When ctx ends between buckets it
// returns what it opened so far and no error. discordgo reconnects each
// session on its own, so a shard that drops does not disturb the others.
func (h *handler) openShards(ctx context.Context, p shardPlan) ([]shardSession, error) {
	interval := h.cfg.IdentifyInterval
	if interval <= 0 {
		interval = DefaultIdentifyInterval
	}
	var (
		opened  []shardSession
		limiter *discordgo.RateLimiter // REST limits are the bot's, not a shard's
	)
	for i, bucket := range p.buckets() {
		if i > 0 {
			t := time.NewTimer(interval)
			select {
			case <-ctx.Done():
				t.Stop()
				return opened, nil
			case <-t.C:
			}
		}
		batch := make([]shardSession, len(bucket))
		errs := make([]error, len(bucket))
		var wg sync.WaitGroup
		for j, id := range bucket {
			s, err := newSession(h.cfg)
			if err != nil {
				return opened, fmt.Errorf("shard %d: new session: %w", id, err)
			}
			if limiter == nil {
				limiter = s.Ratelimiter
			}
			s.Ratelimiter = limiter
			s.ShardID, s.ShardCount = id, p.count
			s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages | discordgo.IntentsGuildMessages
			sh := h.forShard(id)
			sh.watch(s)
			batch[j] = shardSession{id: id, s: s, h: sh}
			wg.Go(func() {
				if err := s.Open(); err != nil {
					errs[j] = fmt.Errorf("shard %d of %d: %w", id, p.count, err)
				}
			})
		}
		wg.Wait()
		for j, sh := range batch {
			if errs[j] == nil {
				opened = append(opened, sh)
			}
		}
		if err := errors.Join(errs...); err != nil {
			return opened, err
		}
		for _, sh := range batch {
			sh.h.log.Info("shard connected", "shard_count", p.count)
		}
	}
	return opened, nil
}

// watch adds the shard's event handlers to s, and logs its gateway
// coming and going.
func (h *handler) watch(s *discordgo.Session) {
	s.AddHandler(h.onInteraction)
	s.AddHandler(h.onMessage)
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		h.mu.Lock()
		closing := h.closing
		h.mu.Unlock()
		if !closing {
			h.log.Warn("gateway disconnected; reconnecting")
		}
	})
	s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { h.log.Info("gateway resumed") })
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		if r.User != nil {
			h.setBotID(r.User.ID) // shared by every shard's handler
		}
		h.log.Info("gateway ready", "guilds", len(r.Guilds))
	})
}
