package discord

import (
	"context"
	"sync"

	"github.com/storybot/storybot/retrieval"
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
