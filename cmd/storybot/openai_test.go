package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/internal/openaifake"
	"github.com/storybot/storybot/retrieval"
)

const (
	testKey   = "sk-test-SECRET-0123456789"
	testModel = "test-embed"
	// testMaxWait caps retry waits in tests: long enough to observe, short
	// enough to keep the tests fast.
	testMaxWait = 40 * time.Millisecond
)

// The client's retries, timeouts and redaction are tested through the
// embedder on the shared fake OpenAI server, and through chat calls.
type (
	fakeOpenAI  = openaifake.Server
	fakeOptions = openaifake.Options
	fakeReply   = openaifake.Reply
)

var (
	newFakeOpenAI = openaifake.New
	fakeVector    = openaifake.Vector
	fakeTexts     = openaifake.Texts
)

// testConfig is a configuration for the fake at f with fast retries.
func testConfig(f *fakeOpenAI) openAIConfig {
	return openAIConfig{
		APIKey:         f.Options().Key,
		BaseURL:        f.BaseURL(),
		EmbedModel:     f.Options().Model,
		Timeout:        5 * time.Second,
		RetryBaseDelay: time.Millisecond,
		MaxRetryWait:   testMaxWait,
	}
}

func TestOpenAIConfigWithDefaults(t *testing.T) {
	client := &http.Client{}
	tests := []struct {
		name string
		in   openAIConfig
		want openAIConfig
	}{
		{
			name: "zero value",
			want: openAIConfig{
				BaseURL: "https://api.openai.com/v1", EmbedModel: "text-embedding-3-small", ChatModel: "gpt-4o-mini",
				Timeout: 30 * time.Second, MaxRetries: 3, RetryBaseDelay: 500 * time.Millisecond,
				MaxRetryWait: 20 * time.Second,
			},
		},
		{
			name: "set fields are kept, trailing slash trimmed",
			in: openAIConfig{
				APIKey: "k", BaseURL: "http://localhost:11434/v1/", EmbedModel: "nomic-embed-text", ChatModel: "llama3.2",
				Timeout: time.Second, MaxRetries: 1, RetryBaseDelay: time.Millisecond, MaxRetryWait: time.Second,
				HTTPClient: client,
			},
			want: openAIConfig{
				APIKey: "k", BaseURL: "http://localhost:11434/v1", EmbedModel: "nomic-embed-text", ChatModel: "llama3.2",
				Timeout: time.Second, MaxRetries: 1, RetryBaseDelay: time.Millisecond, MaxRetryWait: time.Second,
				HTTPClient: client,
			},
		},
		{
			name: "negative timeout and retries mean none",
			in:   openAIConfig{Timeout: -1, MaxRetries: -1},
			want: openAIConfig{
				BaseURL: "https://api.openai.com/v1", EmbedModel: "text-embedding-3-small", ChatModel: "gpt-4o-mini",
				Timeout: -1, MaxRetries: -1, RetryBaseDelay: 500 * time.Millisecond,
				MaxRetryWait: 20 * time.Second,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.withDefaults(); got != tt.want {
				t.Errorf("WithDefaults() = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestOpenAIClientRetries(t *testing.T) {
	overloaded := `{"error":{"message":"the server is overloaded","type":"server_error"}}`
	future := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name         string
		replies      []fakeReply
		maxRetries   int
		wantRequests int
		wantErr      []string      // substrings of the error; none means success
		wantGap      time.Duration // least time between the first two requests
	}{
		{
			name:         "429 with Retry-After seconds waits, capped, then succeeds",
			replies:      []fakeReply{{Status: 429, Header: map[string]string{"Retry-After": "1"}, Body: `{"error":{"message":"slow down"}}`}},
			wantRequests: 2,
			wantGap:      testMaxWait,
		},
		{
			name:         "429 with Retry-After HTTP date waits, capped, then succeeds",
			replies:      []fakeReply{{Status: 429, Header: map[string]string{"Retry-After": future}}},
			wantRequests: 2,
			wantGap:      testMaxWait,
		},
		{
			name:         "429 with retry-after-ms waits that long",
			replies:      []fakeReply{{Status: 429, Header: map[string]string{"Retry-After-Ms": "25"}}},
			wantRequests: 2,
			wantGap:      25 * time.Millisecond,
		},
		{
			name:         "500 then success",
			replies:      []fakeReply{{Status: 500, Body: overloaded}},
			wantRequests: 2,
		},
		{
			name:         "502, 503, 504 then success",
			replies:      []fakeReply{{Status: 502}, {Status: 503}, {Status: 504}},
			wantRequests: 4,
		},
		{
			name:         "400 is not retried",
			replies:      []fakeReply{{Status: 400, Body: `{"error":{"message":"input is too long","type":"invalid_request_error"}}`}},
			wantRequests: 1,
			wantErr:      []string{"status code: 400", "input is too long"},
		},
		{
			name:         "401 is not retried",
			replies:      []fakeReply{{Status: 401, Body: `{"error":{"message":"bad key"}}`}},
			wantRequests: 1,
			wantErr:      []string{"status code: 401"},
		},
		{
			name:         "404 is not retried",
			replies:      []fakeReply{{Status: 404, Body: "404 page not found"}},
			wantRequests: 1,
			wantErr:      []string{"status code: 404"},
		},
		{
			name:         "501 is not retried",
			replies:      []fakeReply{{Status: 501, Body: `{"error":{"message":"this server does not support embeddings"}}`}},
			wantRequests: 1,
			wantErr:      []string{"status code: 501", "does not support embeddings"},
		},
		{
			name:         "gives up after MaxRetries",
			replies:      slices.Repeat([]fakeReply{{Status: 503, Body: overloaded}}, 5),
			maxRetries:   2,
			wantRequests: 3,
			wantErr:      []string{"giving up after 3 attempts", "status code: 503", "the server is overloaded"},
		},
		{
			name:         "gives up after MaxRetries on a body that is not JSON",
			replies:      slices.Repeat([]fakeReply{{Status: 502, Body: "<html>bad gateway</html>"}}, 5),
			maxRetries:   1,
			wantRequests: 2,
			wantErr:      []string{"giving up after 2 attempts", "status code: 502", "bad gateway"},
		},
		{
			name:         "negative MaxRetries disables retries",
			replies:      []fakeReply{{Status: 503, Body: overloaded}},
			maxRetries:   -1,
			wantRequests: 1,
			wantErr:      []string{"status code: 503"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Replies: tt.replies})
			cfg := testConfig(f)
			cfg.MaxRetries = tt.maxRetries
			e := newOpenAIEmbedder(newOpenAIClient(cfg), cfg)
			texts := fakeTexts(3)

			start := time.Now()
			got, err := e.Embed(t.Context(), texts)
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("Embed took %v; retries should wait at most %v", elapsed, testMaxWait)
			}
			if n := f.Requests(); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("Embed succeeded, want an error containing %q", tt.wantErr)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			for i, text := range texts {
				if !slices.Equal(got[i], fakeVector(text, 8)) {
					t.Errorf("vector %d is not the fake's vector for its text", i)
				}
			}
			// Every retry must resend the whole body, not an emptied reader.
			for i, b := range f.Bodies() {
				if !slices.Equal(b.Input, texts) {
					t.Errorf("request %d input = %q, want %q", i+1, b.Input, texts)
				}
			}
			if at := f.Arrivals(); len(at) >= 2 {
				if gap := at[1].Sub(at[0]); gap < tt.wantGap || gap > time.Second {
					t.Errorf("wait before retry = %v, want between %v and 1s", gap, tt.wantGap)
				}
			}
		})
	}
}

// TestOpenAIClientRetriesAnyCall checks that the retries are not tied to
// embeddings: the chat answerer shares the client.
func TestOpenAIClientRetriesAnyCall(t *testing.T) {
	var calls atomic.Int32
	var bodies [2][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		if n <= 2 {
			bodies[n-1] = body
		}
		if r.URL.Path != "/v1/chat/completions" {
			t.Errorf("path = %q, want /v1/chat/completions", r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("Authorization = %q, want the bearer key", got)
		}
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, `{"error":{"message":"busy"}}`, http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1","object":"chat.completion","model":"gpt-4o-mini",
			"choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]}`)
	}))
	defer srv.Close()

	client := newOpenAIClient(openAIConfig{
		APIKey: testKey, BaseURL: srv.URL + "/v1", RetryBaseDelay: time.Millisecond, MaxRetryWait: testMaxWait,
	})
	resp, err := client.CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{
		Model:    "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "hi"}},
	})
	if err != nil {
		t.Fatalf("CreateChatCompletion: %v", err)
	}
	if got := resp.Choices[0].Message.Content; got != "hello" {
		t.Errorf("content = %q, want %q", got, "hello")
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	if len(bodies[0]) == 0 || !bytes.Equal(bodies[0], bodies[1]) {
		t.Errorf("retried body = %q, want the first body %q", bodies[1], bodies[0])
	}
}

func TestOpenAIClientContextEndsRetries(t *testing.T) {
	busy := fakeReply{Status: 429, Header: map[string]string{"Retry-After": "5"}, Body: `{"error":{"message":"rate limited"}}`}
	tests := []struct {
		name    string
		ctx     func(t *testing.T) (context.Context, func(req int))
		wantErr []string
		wantIs  error
	}{
		{
			name: "cancel while waiting to retry",
			ctx: func(t *testing.T) (context.Context, func(int)) {
				ctx, cancel := context.WithCancel(t.Context())
				t.Cleanup(cancel)
				return ctx, func(int) { time.AfterFunc(20*time.Millisecond, cancel) }
			},
			wantErr: []string{"waiting to retry after 429"},
			wantIs:  context.Canceled,
		},
		{
			name: "cancel during the request",
			ctx: func(t *testing.T) (context.Context, func(int)) {
				ctx, cancel := context.WithCancel(t.Context())
				t.Cleanup(cancel)
				return ctx, func(int) { cancel() }
			},
			wantIs: context.Canceled,
		},
		{
			name: "deadline before Retry-After gives up at once",
			ctx: func(t *testing.T) (context.Context, func(int)) {
				ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
				t.Cleanup(cancel)
				return ctx, nil
			},
			wantErr: []string{"giving up after 1 attempt,", "would pass the deadline", "rate limited"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, onRequest := tt.ctx(t)
			f := newFakeOpenAI(t, fakeOptions{
				Key: testKey, Model: testModel, OnRequest: onRequest,
				Replies: slices.Repeat([]fakeReply{busy}, 5),
			})
			cfg := testConfig(f)
			cfg.MaxRetryWait = 10 * time.Second // so that only the context can end the wait
			e := newOpenAIEmbedder(newOpenAIClient(cfg), cfg)

			start := time.Now()
			_, err := e.Embed(ctx, fakeTexts(2))
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("Embed took %v after the context ended", elapsed)
			}
			if err == nil {
				t.Fatal("Embed succeeded, want an error")
			}
			if n := f.Requests(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %v", err, tt.wantIs)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestOpenAIClientTimeout(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Hang: true})
	cfg := testConfig(f)
	cfg.Timeout = 50 * time.Millisecond
	e := newOpenAIEmbedder(newOpenAIClient(cfg), cfg)

	start := time.Now()
	_, err := e.Embed(t.Context(), fakeTexts(1))
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Embed took %v with a 50ms timeout", elapsed)
	}
	if err == nil || !strings.Contains(err.Error(), "no response within 50ms") {
		t.Errorf("error = %v, want one saying no response within 50ms", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %q is not context.DeadlineExceeded", err)
	}
}

func TestOpenAIClientEmptyAPIKey(t *testing.T) {
	// The fake fails the test if an Authorization header arrives.
	f := newFakeOpenAI(t, fakeOptions{Model: "nomic-embed-text"})
	cfg := testConfig(f)
	if _, err := newOpenAIEmbedder(newOpenAIClient(cfg), cfg).Embed(t.Context(), fakeTexts(2)); err != nil {
		t.Fatalf("Embed without an API key: %v", err)
	}
}

// countingTransport counts the requests that pass through it.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestOpenAIClientUsesGivenHTTPClient(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Replies: []fakeReply{{Status: 500}}})
	ct := &countingTransport{}
	hc := &http.Client{Transport: ct}
	cfg := testConfig(f)
	cfg.HTTPClient = hc
	if _, err := newOpenAIEmbedder(newOpenAIClient(cfg), cfg).Embed(t.Context(), fakeTexts(2)); err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if got := ct.n.Load(); got != 2 {
		t.Errorf("requests through the given transport = %d, want 2 (one retry)", got)
	}
	if hc.Transport != ct {
		t.Errorf("the given client's transport was replaced")
	}
}

func TestOpenAIConfigHidesAPIKey(t *testing.T) {
	cfg := openAIConfig{APIKey: testKey, BaseURL: "https://user:password@example.com/v1"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "openai", cfg)
	renderings := map[string]string{
		"%v":   fmt.Sprintf("%v", cfg),
		"%+v":  fmt.Sprintf("%+v", cfg),
		"%#v":  fmt.Sprintf("%#v", cfg),
		"%s":   fmt.Sprintf("%s", cfg),
		"slog": logged.String(),
	}
	for how, s := range renderings {
		if strings.Contains(s, testKey) || strings.Contains(s, "password") {
			t.Errorf("%s shows a secret: %s", how, s)
		}
		if !strings.Contains(s, "example.com") {
			t.Errorf("%s lost the base URL: %s", how, s)
		}
	}
	var entry map[string]any
	if err := json.Unmarshal(logged.Bytes(), &entry); err != nil {
		t.Fatalf("slog output is not JSON: %v", err)
	}
}

func TestOpenAIEmbedderDefaultModel(t *testing.T) {
	want := retrieval.EmbedderIdentity{Kind: "openai", Model: "text-embedding-3-small"}
	cfg := openAIConfig{}
	if got := newOpenAIEmbedder(newOpenAIClient(cfg), cfg).Identity(); got != want {
		t.Errorf("Identity() = %v, want %v", got, want)
	}
}

// The transport takes the API key out of error bodies, for the embedder
// and for any other call on the shared client.
func TestOpenAIClientNeverShowsAPIKey(t *testing.T) {
	echo := fmt.Sprintf(`{"error":{"message":"Incorrect API key provided: %s","type":"invalid_request_error"}}`, testKey)

	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Replies: slices.Repeat([]fakeReply{{Status: 503, Body: echo}}, 5)})
	cfg := testConfig(f)
	_, err := newOpenAIEmbedder(newOpenAIClient(cfg), cfg).Embed(t.Context(), fakeTexts(2))
	if err == nil || !strings.Contains(err.Error(), "giving up after 4 attempts") {
		t.Fatalf("err = %v, want one giving up after 4 attempts", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(s, testKey) {
			t.Errorf("error shows the API key: %s", s)
		}
	}

	f = newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Replies: []fakeReply{{Status: 401, Body: echo}}})
	client := newOpenAIClient(testConfig(f))
	_, err = client.CreateEmbeddings(t.Context(), openai.EmbeddingRequestStrings{Input: []string{"x"}, Model: testModel})
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 401 {
		t.Errorf("client error = %v, want an *openai.APIError with status 401", err)
	}
	if err != nil && strings.Contains(err.Error(), testKey) {
		t.Errorf("client error shows the API key: %v", err)
	}
}

// When retries run out, the last answer still surfaces as the error
// go-openai would have returned for it.
func TestOpenAIClientKeepsErrorTypes(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel,
		Replies: slices.Repeat([]fakeReply{{Status: 429, Body: `{"error":{"message":"quota","type":"insufficient_quota"}}`}}, 3)})
	cfg := testConfig(f)
	cfg.MaxRetries = 1
	_, err := newOpenAIEmbedder(newOpenAIClient(cfg), cfg).Embed(t.Context(), fakeTexts(1))
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *openai.APIError", err)
	}
	if apiErr.HTTPStatusCode != 429 || apiErr.Type != "insufficient_quota" {
		t.Errorf("APIError = status %d type %q, want 429 insufficient_quota", apiErr.HTTPStatusCode, apiErr.Type)
	}
	if n := f.Requests(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

// The chat answerer's calls are retried as the embedder's are (these cases
// were bot's, from when bot's tests built the retrying client).
func TestOpenAIClientChatRetries(t *testing.T) {
	const overloaded = `{"error":{"message":"overloaded","type":"server_error"}}`
	type reply struct {
		status     int
		retryAfter string
	}
	tests := []struct {
		name     string
		replies  []reply // then success
		wantErr  string
		requests int
		within   time.Duration
	}{
		{name: "500s after retries", replies: slices.Repeat([]reply{{status: 500}}, 4), wantErr: "giving up after 4 attempts", requests: 4},
		{name: "429 after retries", replies: slices.Repeat([]reply{{status: 429}}, 4), wantErr: "429", requests: 4},
		{name: "429 with Retry-After, then success", replies: []reply{{status: 429, retryAfter: "1"}}, requests: 2, within: 2 * time.Second},
		{name: "500 then success", replies: []reply{{status: 500}}, requests: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1))
				w.Header().Set("Content-Type", "application/json")
				if n <= len(tt.replies) {
					if ra := tt.replies[n-1].retryAfter; ra != "" {
						w.Header().Set("Retry-After", ra)
					}
					w.WriteHeader(tt.replies[n-1].status)
					io.WriteString(w, overloaded)
					return
				}
				io.WriteString(w, `{"id":"1","object":"chat.completion","model":"m",
					"choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]}`)
			}))
			defer srv.Close()
			client := newOpenAIClient(openAIConfig{
				BaseURL: srv.URL + "/v1", RetryBaseDelay: time.Millisecond, MaxRetryWait: 50 * time.Millisecond, Timeout: 5 * time.Second,
			})
			start := time.Now()
			_, err := client.CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{
				Model:    "m",
				Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "hi"}},
			})
			elapsed := time.Since(start)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CreateChatCompletion: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
			}
			if got := int(calls.Load()); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if tt.within != 0 && elapsed > tt.within {
				t.Errorf("took %s, want under %s", elapsed, tt.within)
			}
		})
	}
}
