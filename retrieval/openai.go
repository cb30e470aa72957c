package retrieval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults for the zero fields of OpenAIConfig.
const (
	defaultOpenAIBaseURL      = "https://api.openai.com/v1"
	defaultOpenAIEmbedModel   = "text-embedding-3-small"
	defaultOpenAIChatModel    = "gpt-4o-mini"
	defaultOpenAITimeout      = 30 * time.Second
	defaultOpenAIMaxRetries   = 3
	defaultOpenAIRetryBase    = 500 * time.Millisecond
	defaultOpenAIMaxRetryWait = 20 * time.Second
	defaultOpenAIBatchSize    = 96
)

// Limits on how much of an error response is read, so that a misbehaving
// server cannot make us buffer an unbounded body.
const (
	maxErrorBody = 1 << 20
	maxDrainBody = 64 << 10
)

// OpenAIConfig configures access to OpenAI or to any OpenAI-compatible server
// (Ollama, vLLM, LM Studio, llama.cpp). Its zero value talks to OpenAI with
// the default models, a 30-second timeout and 3 retries; WithDefaults shows
// the values that are used. String and LogValue hide the API key.
type OpenAIConfig struct {
	// APIKey is sent as a bearer token. Empty sends no Authorization header,
	// which is what local servers expect. It never appears in errors.
	APIKey string
	// BaseURL is the API root including its version path, for example
	// "http://localhost:11434/v1" for Ollama. Empty means OpenAI.
	BaseURL string
	// EmbedModel names the embedding model; empty means
	// "text-embedding-3-small".
	EmbedModel string
	// ChatModel names the chat model; empty means "gpt-4o-mini".
	ChatModel string
	// Timeout bounds each attempt of a request, from sending it to closing
	// the response body; every retry gets a fresh budget and the caller's
	// context bounds the whole call. Zero means 30 s; negative means none.
	Timeout time.Duration
	// MaxRetries is how many times a request answered with 429 or a 5xx
	// status (but 501) is retried. Zero means 3; negative means never.
	MaxRetries int
	// RetryBaseDelay is the backoff before the first retry; it doubles with
	// each further retry, with jitter. Zero means 500 ms.
	RetryBaseDelay time.Duration
	// MaxRetryWait caps any single wait between attempts, including one a
	// server asks for with Retry-After. Zero means 20 s.
	MaxRetryWait time.Duration
	// EmbedBatchSize is how many texts go into one embeddings request, so
	// that N texts cost ceil(N/EmbedBatchSize) requests. Zero means 96.
	EmbedBatchSize int
	// EmbedDimensions is the vector length the embedder must return; zero
	// learns it from the first response. It is also sent to the API as
	// "dimensions" for the text-embedding-3 models, which can shorten their
	// vectors; other servers may reject that parameter, so it is not sent to
	// them.
	EmbedDimensions int
	// HTTPClient, if set, supplies the base transport, redirect policy,
	// cookie jar and overall Timeout that retries are layered over. It is
	// copied, not modified.
	HTTPClient *http.Client
}

// WithDefaults returns the configuration with every zero field set to its
// default, so callers can read the models, timeout and retries in effect.
func (c OpenAIConfig) WithDefaults() OpenAIConfig {
	if c.BaseURL == "" {
		c.BaseURL = defaultOpenAIBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.EmbedModel == "" {
		c.EmbedModel = defaultOpenAIEmbedModel
	}
	if c.ChatModel == "" {
		c.ChatModel = defaultOpenAIChatModel
	}
	if c.Timeout == 0 {
		c.Timeout = defaultOpenAITimeout
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = defaultOpenAIMaxRetries
	}
	if c.RetryBaseDelay <= 0 {
		c.RetryBaseDelay = defaultOpenAIRetryBase
	}
	if c.MaxRetryWait <= 0 {
		c.MaxRetryWait = defaultOpenAIMaxRetryWait
	}
	if c.EmbedBatchSize <= 0 {
		c.EmbedBatchSize = defaultOpenAIBatchSize
	}
	return c
}

// String describes the configuration without the API key.
func (c OpenAIConfig) String() string {
	d := c.WithDefaults()
	return fmt.Sprintf("openai{base_url=%s api_key=%s embed_model=%s chat_model=%s timeout=%s max_retries=%d}",
		redactedURL(d.BaseURL), keyState(c.APIKey), d.EmbedModel, d.ChatModel, d.Timeout, d.MaxRetries)
}

// GoString describes the configuration for %#v without the API key.
func (c OpenAIConfig) GoString() string { return c.String() }

// LogValue describes the configuration for slog without the API key.
func (c OpenAIConfig) LogValue() slog.Value {
	d := c.WithDefaults()
	return slog.GroupValue(
		slog.String("base_url", redactedURL(d.BaseURL)),
		slog.String("api_key", keyState(c.APIKey)),
		slog.String("embed_model", d.EmbedModel),
		slog.String("chat_model", d.ChatModel),
		slog.Duration("timeout", d.Timeout),
		slog.Int("max_retries", d.MaxRetries),
	)
}

func keyState(key string) string {
	if key == "" {
		return "unset"
	}
	return "set"
}

// redactedURL hides any password in a base URL, for messages and logs.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}

// NewOpenAIClient returns a go-openai client for cfg: its base URL and API
// key, and an HTTP client that bounds each attempt by cfg.Timeout and
// retries 429 and 5xx answers with exponential backoff and jitter, honouring
// Retry-After. The retries work for every go-openai call, so the embedder
// and the chat answerer can share one client.
func NewOpenAIClient(cfg OpenAIConfig) *openai.Client {
	cfg = cfg.WithDefaults()
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = newRetryingHTTPClient(cfg)
	return openai.NewClientWithConfig(oc)
}

// newRetryingHTTPClient layers a retryTransport over cfg.HTTPClient's
// transport, or over http.DefaultTransport.
func newRetryingHTTPClient(cfg OpenAIConfig) *http.Client {
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
			return nil, fmt.Errorf("giving up after %s: %w", pluralAttempts(attempt+1), statusError(resp, t.secret))
		}
		wait := t.wait(attempt, resp.Header)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, fmt.Errorf("giving up after %s, as the %s wait before the next would pass the deadline: %w",
				pluralAttempts(attempt+1), wait.Round(time.Millisecond), statusError(resp, t.secret))
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

func pluralAttempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return strconv.Itoa(n) + " attempts"
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
