package discord

import (
	"context"
	"fmt"
	"sync"
)

// queue bounds how many answers are worked on at once; the rest wait in
// line, first come first served, and are told their place. It is safe
// for concurrent use.
type queue struct {
	slots int

	mu      sync.Mutex
	running int
	waiting []chan struct{} // closed when the waiter is handed a slot
}

func newQueue(slots int) *queue { return &queue{slots: slots} }

// Acquire takes a slot, waiting in line when none is free: then it calls
// wait with the place in line (1 is next) before it waits. It fails when
// ctx ends first.
func (q *queue) Acquire(ctx context.Context, wait func(place int)) error {
	q.mu.Lock()
	if q.running < q.slots && len(q.waiting) == 0 {
		q.running++
		q.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	q.waiting = append(q.waiting, ch)
	place := len(q.waiting)
	q.mu.Unlock()
	if wait != nil {
		wait(place)
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		defer q.mu.Unlock()
		for i, w := range q.waiting {
			if w == ch {
				q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
				return ctx.Err()
			}
		}
		// Handed a slot just as ctx ended: give it to the next in line.
		q.releaseLocked()
		return ctx.Err()
	}
}

// Release gives a slot back, to the first in line if anyone waits.
func (q *queue) Release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.releaseLocked()
}

func (q *queue) releaseLocked() {
	if len(q.waiting) > 0 {
		close(q.waiting[0])
		q.waiting = q.waiting[1:]
		return
	}
	q.running--
}

// queueNotice tells a waiting user their place in line.
func queueNotice(place int) string {
	return fmt.Sprintf("⏳ Busy — you're %s in line. Your answer will appear here.", ordinal(place))
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
