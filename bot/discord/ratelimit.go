package discord

import (
	"sync"
	"time"
)

// rateWindow is the span a per-user rate counts over.
const rateWindow = time.Minute

// limiter is a per-user sliding-window rate limit: at most n events per
// user in any rateWindow. It is safe for concurrent use.
type limiter struct {
	n int

	mu    sync.Mutex
	seen  map[string][]time.Time // user id → times of their recent events, oldest first
	calls int                    // Allow calls since the last sweep
}

func newLimiter(n int) *limiter {
	return &limiter{n: n, seen: map[string][]time.Time{}}
}

// Allow records an event for user at now and reports whether it is within
// the limit; when it is not, wait is how long until it would be (the event
// is then not recorded).
func (l *limiter) Allow(user string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls >= 1024 {
		l.sweepLocked(now)
	}
	ts := prune(l.seen[user], now)
	if len(ts) >= l.n {
		l.seen[user] = ts
		return false, ts[len(ts)-l.n].Add(rateWindow).Sub(now)
	}
	l.seen[user] = append(ts, now)
	return true, 0
}

// sweepLocked forgets users with no event in the window, so the map does
// not grow with every user ever seen.
func (l *limiter) sweepLocked(now time.Time) {
	l.calls = 0
	for u, ts := range l.seen {
		if ts = prune(ts, now); len(ts) == 0 {
			delete(l.seen, u)
		} else {
			l.seen[u] = ts
		}
	}
}

// prune drops the times that have left the window ending at now.
func prune(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= rateWindow {
		i++
	}
	if i == len(ts) {
		return nil
	}
	return ts[i:]
}

// noticeGate lets each user be sent a notice (the rate-limit notice, the
// prompt for a bare mention) at most once per rateWindow, so that one user
// cannot make the bot flood a channel. It is safe for concurrent use.
type noticeGate struct {
	mu   sync.Mutex
	last map[string]time.Time // user id → when they were last sent a notice
}

func newNoticeGate() *noticeGate { return &noticeGate{last: map[string]time.Time{}} }

// Allow reports whether user may be sent a notice at now, and if so
// records it.
func (g *noticeGate) Allow(user string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.last[user]; ok && now.Sub(t) < rateWindow {
		return false
	}
	if len(g.last) >= 4096 {
		for u, t := range g.last {
			if now.Sub(t) >= rateWindow {
				delete(g.last, u)
			}
		}
	}
	g.last[user] = now
	return true
}
