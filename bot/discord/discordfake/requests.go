package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Request is one REST request the fake received.
type Request struct {
	// Seq numbers the requests in the order the fake took them, from 1.
	Seq    int
	Time   time.Time
	Method string
	// Path is the URL path below the API root ("/channels/42/messages"
	// for /api/v9/channels/42/messages); a path outside /api/v<N> is
	// kept whole and answered 404.
	Path  string
	Query url.Values
	// Header holds the request headers; Authorization keeps its scheme
	// only ("Bot [redacted]").
	Header http.Header
	Body   []byte
	// Status and Response are what the fake answered.
	Status   int
	Response []byte
}

// String gives the request line and the answer, as in "POST
// /channels/42/messages → 200".
func (r Request) String() string {
	s := r.Method + " " + r.Path
	if len(r.Query) > 0 {
		s += "?" + r.Query.Encode()
	}
	return fmt.Sprintf("%s → %d", s, r.Status)
}

// JSON returns the request's JSON payload: the body, or the payload_json
// part of a multipart body (discordgo sends files that way).
func (r Request) JSON() []byte {
	p, _, err := splitPayload(r.Header.Get("Content-Type"), r.Body)
	if err != nil {
		return nil
	}
	return p
}

// Decode decodes the request's JSON payload into v.
func (r Request) Decode(v any) error {
	p, _, err := splitPayload(r.Header.Get("Content-Type"), r.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(p, v); err != nil {
		return fmt.Errorf("decode %s %s: %w", r.Method, r.Path, err)
	}
	return nil
}

// Match returns a predicate for Requests with the method ("" for any) and
// a path matching pattern in the syntax of path.Match, where * stands for
// one path segment: Match("POST", "/channels/*/messages").
func Match(method, pattern string) func(Request) bool {
	if _, err := path.Match(pattern, ""); err != nil {
		panic(fmt.Sprintf("discordfake: bad pattern %q: %v", pattern, err))
	}
	return func(r Request) bool {
		if method != "" && r.Method != method {
			return false
		}
		ok, _ := path.Match(pattern, r.Path)
		return ok
	}
}

// Requests returns every request received so far, in order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Find returns the requests received so far that match.
func (f *Fake) Find(match func(Request) bool) []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// WaitFor returns the first request, received before or after the call,
// that matches; it fails when ctx ends first, listing what was received.
func (f *Fake) WaitFor(ctx context.Context, match func(Request) bool) (Request, error) {
	rs, err := f.WaitForN(ctx, 1, match)
	if err != nil {
		return Request{}, err
	}
	return rs[0], nil
}

// WaitForN waits until n requests match and returns the first n.
func (f *Fake) WaitForN(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	var found []Request
	err := f.waitUntil(ctx, fmt.Sprintf("%d matching requests", n), func() bool {
		found = found[:0]
		for _, r := range f.requests {
			if match(r) {
				found = append(found, r)
			}
		}
		return len(found) >= n
	}, f.describeRequestsLocked)
	if err != nil {
		return nil, err
	}
	return found[:n], nil
}

func (f *Fake) describeRequestsLocked() string {
	if len(f.requests) == 0 {
		return "; no requests received"
	}
	var b strings.Builder
	b.WriteString("; received:")
	for _, r := range f.requests {
		b.WriteString("\n\t" + r.String())
	}
	return b.String()
}
