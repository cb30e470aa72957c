package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"

	openai "github.com/sashabaranov/go-openai"
)

// DefaultOpenAIBatchSize is how many texts an OpenAIEmbedder sends in one
// embeddings request unless told otherwise.
const DefaultOpenAIBatchSize = 96

// OpenAIEmbedder embeds texts with the embeddings endpoint of OpenAI or of
// an OpenAI-compatible server, many texts per request. It is safe for
// concurrent use.
type OpenAIEmbedder struct {
	client    *openai.Client
	model     string
	server    string // how errors name the server
	batchSize int
	want      int  // configured dimensions; 0 when learned
	sendDims  bool // whether to ask the API for want dimensions
	secret    string

	mu   sync.Mutex
	dims int // configured, or learned from the first response; 0 until known
}

var _ Embedder = (*OpenAIEmbedder)(nil)

// OpenAIEmbedderOptions tunes an OpenAIEmbedder. Its zero value works.
type OpenAIEmbedderOptions struct {
	// BatchSize is how many texts go into one embeddings request, so that
	// N texts cost ceil(N/BatchSize) requests. Zero means
	// DefaultOpenAIBatchSize.
	BatchSize int
	// Dimensions is the vector length the embedder must return; zero
	// learns it from the first response. It is also sent to the API as
	// "dimensions" for the text-embedding-3 models, which can shorten their
	// vectors; other servers may reject that parameter, so it is not sent
	// to them.
	Dimensions int
	// Server names the server in errors ("embedding server at <Server>
	// unreachable"): its base URL with any password hidden. Empty means
	// "the configured URL".
	Server string
	// Secret, the API key, is removed from the text of any error, as a
	// last guard against a server that echoes the key it was sent.
	Secret string
}

// NewOpenAIEmbedder returns an embedder that embeds with model through
// client, which must not be nil. The client brings the base URL, the API
// key and any retries and timeouts (cmd/storybot layers them over its HTTP
// client), so the chat answerer can share it.
func NewOpenAIEmbedder(client *openai.Client, model string, opts OpenAIEmbedderOptions) *OpenAIEmbedder {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultOpenAIBatchSize
	}
	if opts.Server == "" {
		opts.Server = "the configured URL"
	}
	want := max(opts.Dimensions, 0)
	return &OpenAIEmbedder{
		client:    client,
		model:     model,
		server:    opts.Server,
		batchSize: opts.BatchSize,
		want:      want,
		// Only the text-embedding-3 family is known to accept "dimensions";
		// other servers may reject the field, so for them it is only checked.
		sendDims: want > 0 && strings.HasPrefix(model, "text-embedding-3"),
		secret:   opts.Secret,
		dims:     want,
	}
}

// Identity names the embedder as kind "openai" with its model and vector
// length; the length is 0 until configured or learned from a response.
func (e *OpenAIEmbedder) Identity() EmbedderIdentity {
	e.mu.Lock()
	defer e.mu.Unlock()
	return EmbedderIdentity{Kind: "openai", Model: e.model, Dimensions: e.dims}
}

// Embed returns one vector per text, in order. It sends the texts in
// batches of the configured size, so N texts cost ceil(N/size) requests, and
// checks that every response has one vector per text, all of one length.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	batches := (len(texts) + e.batchSize - 1) / e.batchSize
	for b := range batches {
		lo := b * e.batchSize
		hi := min(lo+e.batchSize, len(texts))
		if err := e.embedBatch(ctx, texts[lo:hi], out[lo:hi], lo); err != nil {
			if batches > 1 {
				err = fmt.Errorf("batch %d of %d: %w", b+1, batches, err)
			}
			return nil, e.redact(fmt.Errorf("embed %d texts: %w", len(texts), err))
		}
	}
	return out, nil
}

// embedBatch embeds texts into out; offset is the position of texts[0] in
// the caller's slice, so that errors name the caller's text numbers.
func (e *OpenAIEmbedder) embedBatch(ctx context.Context, texts []string, out [][]float32, offset int) error {
	req := openai.EmbeddingRequestStrings{Input: texts, Model: openai.EmbeddingModel(e.model)}
	if e.sendDims {
		req.Dimensions = e.want
	}
	resp, err := e.client.CreateEmbeddings(ctx, req)
	if err != nil {
		return e.requestError(ctx, err)
	}
	if len(resp.Data) != len(texts) {
		return fmt.Errorf("embedding server at %s returned %d vectors for %d texts", e.server, len(resp.Data), len(texts))
	}
	// Servers may answer out of order; index says which text a vector is for.
	n := 0
	for _, d := range resp.Data {
		i := d.Index
		switch {
		case i < 0 || i >= len(texts):
			return fmt.Errorf("embedding server at %s returned index %d for a batch of %d texts", e.server, i, len(texts))
		case out[i] != nil:
			return fmt.Errorf("embedding server at %s returned index %d twice", e.server, i)
		case len(d.Embedding) == 0:
			return fmt.Errorf("embedding server at %s returned an empty vector for text %d", e.server, offset+i)
		case n == 0:
			n = len(d.Embedding)
		case len(d.Embedding) != n:
			return fmt.Errorf("embedding server at %s returned vectors of different lengths in one response: %d and %d",
				e.server, n, len(d.Embedding))
		}
		out[i] = d.Embedding
	}
	return e.checkDims(n)
}

// checkDims compares a response's vector length with the configured one, or
// with the one learned from the first response, which it records.
func (e *OpenAIEmbedder) checkDims(n int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.want > 0 && n != e.want:
		return fmt.Errorf("embedding server at %s returned %d-dimensional vectors, want %d (the configured dimensions)",
			e.server, n, e.want)
	case e.dims == 0:
		e.dims = n
	case n != e.dims:
		return fmt.Errorf("embedding server at %s returned %d-dimensional vectors after earlier ones of %d; did its model change?",
			e.server, n, e.dims)
	}
	return nil
}

// requestError says what went wrong with an embeddings call, naming the
// server but not repeating go-openai's "Post <url>:" prefix.
func (e *OpenAIEmbedder) requestError(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() != nil {
		if !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%w)", err, context.Cause(ctx))
		}
		return fmt.Errorf("embedding request to %s: %w", e.server, err)
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return fmt.Errorf("embedding server at %s unreachable: %w", e.server, err)
	}
	return fmt.Errorf("embedding server at %s: %w", e.server, err)
}

// redact removes the API key from an error's text, as a last guard for a
// client that does not redact error bodies or a server that echoes the key.
func (e *OpenAIEmbedder) redact(err error) error {
	if e.secret == "" || !strings.Contains(err.Error(), e.secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), e.secret, "[redacted]"), err: err}
}

// redactedError shows a redacted message but keeps the chain for errors.Is
// and errors.As.
type redactedError struct {
	msg string
	err error
}

func (r *redactedError) Error() string { return r.msg }
func (r *redactedError) Unwrap() error { return r.err }
