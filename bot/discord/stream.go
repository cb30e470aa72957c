package discord

import (
	"sync"
	"time"
)

// editEvery is the least time between two edits of a streamed answer.
const editEvery = time.Second

// progressEditor shows a model's answer in the deferred response while it
// is written: each report replaces the text to show, and the response is
// edited with the latest at most once per every (editEvery in the bot).
type progressEditor struct {
	r     *reply
	every time.Duration

	mu     sync.Mutex
	latest string
	last   time.Time // when the response was last edited

	wake    chan struct{}
	done    chan struct{}
	stopped chan struct{}
}

// startProgress starts editing r's deferred response as reports come, at
// most once per every.
func startProgress(r *reply, every time.Duration) *progressEditor {
	p := &progressEditor{r: r, every: every, wake: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	go p.loop()
	return p
}

// report sets the text to show; it never blocks the model's stream.
func (p *progressEditor) report(text string) {
	p.mu.Lock()
	p.latest = text
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// stop ends the edits and waits for one in flight; the next edit of the
// response may come p.every after the time it returns.
func (p *progressEditor) stop() time.Time {
	close(p.done)
	<-p.stopped
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

func (p *progressEditor) loop() {
	defer close(p.stopped)
	shown := ""
	for {
		select {
		case <-p.done:
			return
		case <-p.wake:
		}
		p.mu.Lock()
		wait := p.every - time.Since(p.last)
		p.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-p.done:
				t.Stop()
				return
			case <-t.C:
			}
		}
		p.mu.Lock()
		text := p.latest
		p.mu.Unlock()
		if text == "" || text == shown {
			continue
		}
		p.r.edit(clip(text, maxContent-20)+"\n-# writing…", nil)
		shown = text
		p.mu.Lock()
		p.last = time.Now()
		p.mu.Unlock()
	}
}
