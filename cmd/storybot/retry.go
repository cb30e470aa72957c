package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/retrieval/text"
)

// Limits on how much of an error response is read, so that a misbehaving
// server cannot make us buffer an unbounded body.
const (
	maxErrorBody = 1 << 20
	maxDrainBody = 64 << 10
)

// newRetryingHTTPClient layers a retryTransport over cfg.HTTPClient's
// transport, or over http.DefaultTransport.
func newRetryingHTTPClient(cfg openAIConfig) *http.Client {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient // a copy: the caller's client keeps its transport
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	maxRetries := max(cfg.MaxRetries, 0)
	hc.Transport = &retryTransport{
		base:       base,
		maxRetries: maxRetries,
		baseDelay:  cfg.RetryBaseDelay,
		maxWait:    cfg.MaxRetryWait,
		timeout:    max(cfg.Timeout, 0),
		secret:     cfg.APIKey,
	}
	return &hc
}

// retryTransport retries requests answered with 429 or 5xx. It rewinds the
// request body with GetBody for each attempt, waits with exponential backoff
// and jitter or for the server's Retry-After (capped by maxWait), stops when
// the request's context ends, and never retries other statuses or transport
// errors: a refused connection fails at once rather than after the backoff.
type retryTransport struct {
	base       http.RoundTripper
	maxRetries int
	baseDelay  time.Duration
	maxWait    time.Duration
	timeout    time.Duration // per attempt; 0 means none
	secret     string        // the API key, only to redact it from error bodies
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// Without GetBody a consumed body cannot be sent again.
	rewindable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 0; ; attempt++ {
		body := req.Body
		if attempt > 0 && req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("rewind request body for retry: %w", err)
			}
			body = b
		}
		resp, err := t.try(req, body)
		if err != nil {
			return nil, err
		}
		if !retryableStatus(resp.StatusCode) || !rewindable {
			return t.redactErrorBody(resp), nil
		}
		if attempt >= t.maxRetries {
			return nil, fmt.Errorf("giving up after %d %s: %w", attempt+1, text.Plural(attempt+1, "attempt", "attempts"), statusError(resp, t.secret))
		}
		wait := t.wait(attempt, resp.Header)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, fmt.Errorf("giving up after %d %s, as the %s wait before the next would pass the deadline: %w",
				attempt+1, text.Plural(attempt+1, "attempt", "attempts"), wait.Round(time.Millisecond), statusError(resp, t.secret))
		}
		status := resp.Status
		drain(resp)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("waiting to retry after %s: %w", status, context.Cause(ctx))
		case <-timer.C:
		}
	}
}

// try sends one attempt, bounded by the per-attempt timeout. On success the
// timeout stays armed until the caller closes the response body.
func (t *retryTransport) try(req *http.Request, body io.ReadCloser) (*http.Response, error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
	}
	r := req.Clone(ctx)
	r.Body = body
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		cancel()
		if t.timeout > 0 && errors.Is(err, context.DeadlineExceeded) && req.Context().Err() == nil {
			return nil, fmt.Errorf("no response within %s: %w", t.timeout, err)
		}
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// wait is how long to wait before retry number attempt+1: what the server
// asked for, or exponential backoff with jitter, never more than maxWait.
func (t *retryTransport) wait(attempt int, h http.Header) time.Duration {
	if d, ok := retryAfter(h, time.Now(), t.maxWait); ok {
		return min(d, t.maxWait)
	}
	d := t.maxWait
	if attempt < 30 && t.baseDelay<<attempt < t.maxWait {
		d = t.baseDelay << attempt
	}
	// Equal jitter: half fixed, half random, so that clients throttled
	// together do not retry together.
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads how long the server asked us to wait: OpenAI's
// retry-after-ms, or Retry-After in seconds or as an HTTP date. Values above
// limit are clamped to it before conversion, so huge values cannot overflow.
func retryAfter(h http.Header, now time.Time, limit time.Duration) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(min(ms, float64(limit/time.Millisecond)) * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, int64(limit/time.Second)+1)) * time.Second, true
	}
	if when, err := http.ParseTime(v); err == nil {
		return max(when.Sub(now), 0), true
	}
	return 0, false
}

// retryableStatus reports whether a status is worth retrying: rate limits
// and server errors, but not 501, which llama.cpp and others use for "this
// server does not do that" and which no retry will change.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests ||
		code >= 500 && code <= 599 && code != http.StatusNotImplemented
}

// statusError turns the last failed response into the error go-openai would
// have returned for it, so that callers can still use errors.As with
// *openai.APIError or *openai.RequestError.
func statusError(resp *http.Response, secret string) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	body = redactBytes(body, secret)
	var er openai.ErrorResponse
	if json.Unmarshal(body, &er) == nil && er.Error != nil {
		er.Error.HTTPStatus = resp.Status
		er.Error.HTTPStatusCode = resp.StatusCode
		return er.Error
	}
	return &openai.RequestError{
		HTTPStatus:     resp.Status,
		HTTPStatusCode: resp.StatusCode,
		Err:            errors.New(strings.ToLower(http.StatusText(resp.StatusCode))),
		Body:           bytes.TrimSpace(body),
	}
}

// redactErrorBody removes the API key from an error response's body before
// go-openai copies the body into an error: some servers echo the key they
// were sent.
func (t *retryTransport) redactErrorBody(resp *http.Response) *http.Response {
	if resp.StatusCode < 400 || t.secret == "" {
		return resp
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	if err != nil {
		body = fmt.Appendf(body, " (reading error body: %v)", err)
	}
	body = redactBytes(body, t.secret)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp
}

func redactBytes(b []byte, secret string) []byte {
	if secret == "" {
		return b
	}
	return bytes.ReplaceAll(b, []byte(secret), []byte("[redacted]"))
}

// drain reads a little of a response we are about to retry, so that its
// connection can be reused, and closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrainBody)
	resp.Body.Close()
}

// cancelOnClose releases an attempt's timeout when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
