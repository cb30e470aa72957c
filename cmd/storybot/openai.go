package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

// Defaults for the zero fields of openAIConfig.
const (
	defaultOpenAIBaseURL      = "https://api.openai.com/v1"
	defaultOpenAIEmbedModel   = "text-embedding-3-small"
	defaultOpenAIChatModel    = "gpt-4o-mini"
	defaultOpenAITimeout      = bot.DefaultWait
	defaultOpenAIMaxRetries   = 3
	defaultOpenAIRetryBase    = 500 * time.Millisecond
	defaultOpenAIMaxRetryWait = 20 * time.Second
)

// openAIConfig configures access to OpenAI or to any OpenAI-compatible
// server (Ollama, vLLM, LM Studio, llama.cpp): the one client the embedder
// and the chat answerer share. Its zero value talks to OpenAI with the
// default models, a 30-second timeout and 3 retries; withDefaults shows the
// values that are used. String and LogValue hide the API key.
type openAIConfig struct {
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
	// HTTPClient, if set, supplies the base transport, redirect policy,
	// cookie jar and overall Timeout that retries are layered over. It is
	// copied, not modified.
	HTTPClient *http.Client
}

// withDefaults returns the configuration with every zero field set to its
// default, so callers can read the models, timeout and retries in effect.
func (c openAIConfig) withDefaults() openAIConfig {
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
	return c
}

// String describes the configuration without the API key.
func (c openAIConfig) String() string {
	d := c.withDefaults()
	return fmt.Sprintf("openai{base_url=%s api_key=%s embed_model=%s chat_model=%s timeout=%s max_retries=%d}",
		redactedURL(d.BaseURL), keyState(c.APIKey), d.EmbedModel, d.ChatModel, d.Timeout, d.MaxRetries)
}

// GoString describes the configuration for %#v without the API key.
func (c openAIConfig) GoString() string { return c.String() }

// LogValue describes the configuration for slog without the API key.
func (c openAIConfig) LogValue() slog.Value {
	d := c.withDefaults()
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

// newOpenAIClient returns a go-openai client for cfg: its base URL and API
// key, and an HTTP client that bounds each attempt by cfg.Timeout and
// retries 429 and 5xx answers with exponential backoff and jitter,
// honouring Retry-After. The retries work for every go-openai call, so the
// embedder and the chat answerer share one client.
func newOpenAIClient(cfg openAIConfig) *openai.Client {
	cfg = cfg.withDefaults()
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = newRetryingHTTPClient(cfg)
	return openai.NewClientWithConfig(oc)
}

// newOpenAIEmbedder returns the embedder for cfg's embedding model on
// client, naming the server in errors without its password and keeping the
// API key out of them.
func newOpenAIEmbedder(client *openai.Client, cfg openAIConfig) *retrieval.OpenAIEmbedder {
	cfg = cfg.withDefaults()
	return retrieval.NewOpenAIEmbedder(client, cfg.EmbedModel, retrieval.OpenAIEmbedderOptions{
		Server: redactedURL(cfg.BaseURL),
		Secret: cfg.APIKey,
	})
}
