package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// coalescer runs reindexes one at a time. A request while one runs does
// not start another at once, nor is it refused: it waits for the next
// run, which starts when the current one ends and which every request made
// meanwhile shares, since they all want the files as they are now.
type coalescer struct {
	mu      sync.Mutex
	running *reindexRun // the run in progress, nil when idle
	next    *reindexRun // the run that follows it, once someone asked
}

type reindexRun struct {
	done chan struct{}
	res  retrieval.ReindexResult
	err  error
}

// Do asks for a reindex and returns the result of the run that serves the
// request; queued reports (before waiting) whether that run has to wait
// for the one in progress.
func (c *coalescer) Do(run func() (retrieval.ReindexResult, error), queued func(bool)) (retrieval.ReindexResult, error) {
	c.mu.Lock()
	var r *reindexRun
	if c.running == nil {
		r = &reindexRun{done: make(chan struct{})}
		c.running = r
		go c.exec(r, run)
	} else {
		if c.next == nil {
			c.next = &reindexRun{done: make(chan struct{})}
		}
		r = c.next
	}
	wait := r != c.running
	c.mu.Unlock()
	if queued != nil {
		queued(wait)
	}
	<-r.done
	return r.res, r.err
}

// exec runs r, then the run queued meanwhile, until none is.
func (c *coalescer) exec(r *reindexRun, run func() (retrieval.ReindexResult, error)) {
	for r != nil {
		r.res, r.err = run()
		// Hand over to the queued run before telling r's requesters, so
		// that a request made after they hear the result starts a run of
		// its own rather than queueing behind a finished one.
		c.mu.Lock()
		done := r
		r, c.next = c.next, nil
		c.running = r
		c.mu.Unlock()
		close(done.done)
	}
}

// reindexNow runs one reindex of the story folder.
func (h *handler) reindexNow() (retrieval.ReindexResult, error) {
	ctx, cancel := context.WithTimeout(h.work, reindexTimeout)
	defer cancel()
	return h.index.Reindex(ctx, h.stories)
}

// mayReindex says whether the user of in may run /reindex: in a server,
// members with Manage Server or Administrator or the moderator role; in a
// DM, the owners.
func (h *handler) mayReindex(in *discordgo.Interaction) bool {
	if in.Member == nil {
		return in.User != nil && slices.Contains(h.cfg.OwnerIDs, in.User.ID)
	}
	if in.Member.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0 {
		return true
	}
	return h.cfg.ModRoleID != "" && slices.Contains(in.Member.Roles, h.cfg.ModRoleID)
}

func (h *handler) handleReindex(r *reply) {
	if !h.mayReindex(r.in) {
		r.log.Warn("reindex refused: not allowed")
		msg := "Only moderators (Manage Server) can reindex."
		if r.in.Member == nil {
			msg = "Only the bot's owners can reindex from a DM."
		}
		r.message(msg, true)
		return
	}
	if err := r.deferReply(true); err != nil {
		r.log.Error("could not defer the interaction", "err", err)
		return
	}
	res, err := h.reindexes.Do(h.reindexNow, func(queued bool) {
		if queued {
			r.log.Info("reindex queued behind the one running")
			r.edit("A reindex is running; yours will run as soon as it ends…", nil)
			return
		}
		r.edit("Reindexing…", nil)
	})
	if err != nil {
		r.log.Error("reindex failed", "err", err, "stories", res.Stories, "problems", len(res.Problems))
		r.edit(clip("Reindex failed: "+err.Error(), 1800)+"\nThe previous index is still serving.", nil)
		return
	}
	r.log.Info("reindexed", "stories", res.Stories, "passages", res.Passages, "added", res.Added, "changed", res.Changed,
		"removed", res.Removed, "embedded", res.Embedded, "reused", res.Reused, "took", res.Duration, "problems", len(res.Problems))
	r.edit(withNote(reindexText(res), h.indexNote()), nil)
}

// reindexText reports a reindex to the moderator.
func reindexText(res retrieval.ReindexResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reindexed %d %s: %d passages (added %d, changed %d, removed %d; embedded %d, reused %d) in %s.",
		res.Stories, text.Plural(res.Stories, "story", "stories"), res.Passages, res.Added, res.Changed, res.Removed,
		res.Embedded, res.Reused, res.Duration.Round(time.Millisecond))
	if len(res.Problems) > 0 {
		fmt.Fprintf(&b, "\n%d %s could not be loaded:", len(res.Problems), text.Plural(len(res.Problems), "file", "files"))
		for _, p := range res.Problems {
			b.WriteString("\n• " + clip(p.Error(), 300))
		}
	}
	return clip(b.String(), maxContent)
}
