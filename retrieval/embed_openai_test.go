package retrieval_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/retrieval"
)

const (
	testKey   = "sk-test-SECRET-0123456789"
	testModel = "test-embed"
)

// testEmbedder is the embedder on the fake at f, with the fake's key and
// model, through a plain go-openai client: retries and timeouts are the
// client's business (cmd/storybot's retry transport, tested there).
func testEmbedder(f *fakeOpenAI, opts retrieval.OpenAIEmbedderOptions) *retrieval.OpenAIEmbedder {
	return embedderAt(f.BaseURL(), f.Options().Key, f.Options().Model, opts)
}

// embedderAt is the embedder for model on the server at base.
func embedderAt(base, key, model string, opts retrieval.OpenAIEmbedderOptions) *retrieval.OpenAIEmbedder {
	oc := openai.DefaultConfig(key)
	oc.BaseURL = base
	if opts.Server == "" {
		opts.Server = base
	}
	opts.Secret = key
	return retrieval.NewOpenAIEmbedder(openai.NewClientWithConfig(oc), model, opts)
}

func TestOpenAIEmbedderBatches(t *testing.T) {
	tests := []struct {
		texts, batch, wantRequests int
	}{
		{texts: 0, batch: 0, wantRequests: 0},
		{texts: 1, batch: 0, wantRequests: 1},
		{texts: 96, batch: 0, wantRequests: 1},
		{texts: 97, batch: 0, wantRequests: 2},
		{texts: 250, batch: 0, wantRequests: 3},
		{texts: 19, batch: 5, wantRequests: 4},
		{texts: 20, batch: 5, wantRequests: 4},
		{texts: 3, batch: 1, wantRequests: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d texts, batch %d", tt.texts, tt.batch), func(t *testing.T) {
			maxInputs := tt.batch
			if maxInputs == 0 {
				maxInputs = 96
			}
			f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, MaxInputs: maxInputs})
			e := testEmbedder(f, retrieval.OpenAIEmbedderOptions{BatchSize: tt.batch})
			texts := fakeTexts(tt.texts)

			got, err := e.Embed(t.Context(), texts)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			if n := f.Requests(); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
			if n := f.Inputs(); n != tt.texts {
				t.Errorf("inputs sent = %d, want %d", n, tt.texts)
			}
			if len(got) != len(texts) {
				t.Fatalf("got %d vectors, want %d", len(got), len(texts))
			}
			for i, text := range texts {
				if !slices.Equal(got[i], fakeVector(text, 8)) {
					t.Errorf("vector %d is not the fake's vector for text %d", i, i)
				}
			}
		})
	}
}

func TestOpenAIEmbedderReordersByIndex(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Shuffle: true, MaxInputs: 4})
	texts := fakeTexts(10)

	got, err := testEmbedder(f, retrieval.OpenAIEmbedderOptions{BatchSize: 4}).Embed(t.Context(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	for i, text := range texts {
		if !slices.Equal(got[i], fakeVector(text, 8)) {
			t.Errorf("vector %d is not the fake's vector for text %d", i, i)
		}
	}
}

func TestOpenAIEmbedderIdentity(t *testing.T) {
	tests := []struct {
		name       string
		model      string
		dims       int // configured
		served     int // served by the fake
		wantBefore retrieval.EmbedderIdentity
		wantAfter  retrieval.EmbedderIdentity
	}{
		{
			name: "dimensions learned from the first response", model: "nomic-embed-text", served: 12,
			wantBefore: retrieval.EmbedderIdentity{Kind: "openai", Model: "nomic-embed-text"},
			wantAfter:  retrieval.EmbedderIdentity{Kind: "openai", Model: "nomic-embed-text", Dimensions: 12},
		},
		{
			name: "configured dimensions known at once", model: "text-embedding-3-small", dims: 16, served: 16,
			wantBefore: retrieval.EmbedderIdentity{Kind: "openai", Model: "text-embedding-3-small", Dimensions: 16},
			wantAfter:  retrieval.EmbedderIdentity{Kind: "openai", Model: "text-embedding-3-small", Dimensions: 16},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantParam := 0
			if strings.HasPrefix(tt.model, "text-embedding-3") {
				wantParam = tt.dims
			}
			f := newFakeOpenAI(t, fakeOptions{Model: tt.model, Dims: tt.served, WantDims: wantParam})
			e := testEmbedder(f, retrieval.OpenAIEmbedderOptions{Dimensions: tt.dims})
			if got := e.Identity(); got != tt.wantBefore {
				t.Errorf("Identity() before Embed = %v, want %v", got, tt.wantBefore)
			}
			if _, err := e.Embed(t.Context(), fakeTexts(2)); err != nil {
				t.Fatalf("Embed: %v", err)
			}
			if got := e.Identity(); got != tt.wantAfter {
				t.Errorf("Identity() after Embed = %v, want %v", got, tt.wantAfter)
			}
		})
	}
}

func TestOpenAIEmbedderDimensionsParameter(t *testing.T) {
	tests := []struct {
		model     string
		dims      int
		wantParam int
	}{
		{model: "text-embedding-3-small", dims: 256, wantParam: 256},
		{model: "text-embedding-3-large", dims: 0, wantParam: 0},
		{model: "nomic-embed-text", dims: 8, wantParam: 0}, // checked, not sent
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.model, tt.dims), func(t *testing.T) {
			served := tt.dims
			if served == 0 {
				served = 8
			}
			// The fake fails the test if "dimensions" is not wantParam.
			f := newFakeOpenAI(t, fakeOptions{Model: tt.model, Dims: served, WantDims: tt.wantParam})
			e := testEmbedder(f, retrieval.OpenAIEmbedderOptions{Dimensions: tt.dims})
			if _, err := e.Embed(t.Context(), fakeTexts(3)); err != nil {
				t.Fatalf("Embed: %v", err)
			}
		})
	}
}

func TestOpenAIEmbedderBadResponses(t *testing.T) {
	shorten := func(i int) func(int, []fakeEmbedding) []fakeEmbedding {
		return func(_ int, data []fakeEmbedding) []fakeEmbedding {
			data[i].Embedding = data[i].Embedding[:len(data[i].Embedding)-1]
			return data
		}
	}
	tests := []struct {
		name    string
		texts   int
		batch   int
		dims    int // configured
		served  int
		tamper  func(req int, data []fakeEmbedding) []fakeEmbedding
		wantErr string
	}{
		{
			name: "too few vectors", texts: 3,
			tamper:  func(_ int, d []fakeEmbedding) []fakeEmbedding { return d[:2] },
			wantErr: "returned 2 vectors for 3 texts",
		},
		{
			name: "too many vectors", texts: 2,
			tamper:  func(_ int, d []fakeEmbedding) []fakeEmbedding { return append(d, d[0]) },
			wantErr: "returned 3 vectors for 2 texts",
		},
		{
			name: "index out of range", texts: 2,
			tamper:  func(_ int, d []fakeEmbedding) []fakeEmbedding { d[1].Index = 7; return d },
			wantErr: "returned index 7 for a batch of 2 texts",
		},
		{
			name: "duplicate index", texts: 3,
			tamper:  func(_ int, d []fakeEmbedding) []fakeEmbedding { d[2].Index = 0; return d },
			wantErr: "returned index 0 twice",
		},
		{
			name: "empty vector", texts: 2,
			tamper:  func(_ int, d []fakeEmbedding) []fakeEmbedding { d[1].Embedding = nil; return d },
			wantErr: "empty vector for text 1",
		},
		{
			name: "lengths differ within a response", texts: 3,
			tamper:  shorten(2),
			wantErr: "vectors of different lengths in one response: 8 and 7",
		},
		{
			name: "lengths differ between batches", texts: 4, batch: 2,
			tamper: func(req int, d []fakeEmbedding) []fakeEmbedding {
				if req == 2 {
					for i := range d {
						d[i].Embedding = d[i].Embedding[:4]
					}
				}
				return d
			},
			wantErr: "batch 2 of 2: embedding server at ",
		},
		{
			name: "length differs from the configured dimensions", texts: 2, dims: 16, served: 8,
			wantErr: "returned 8-dimensional vectors, want 16 (the configured dimensions)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Dims: tt.served, Tamper: tt.tamper})
			e := testEmbedder(f, retrieval.OpenAIEmbedderOptions{BatchSize: tt.batch, Dimensions: tt.dims})
			_, err := e.Embed(t.Context(), fakeTexts(tt.texts))
			if err == nil {
				t.Fatalf("Embed succeeded, want an error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if want := fmt.Sprintf("embed %d texts: ", tt.texts); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
		})
	}
}

func TestOpenAIEmbedderLearnedDimensionsChange(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Tamper: func(req int, d []fakeEmbedding) []fakeEmbedding {
		if req > 1 {
			for i := range d {
				d[i].Embedding = append(d[i].Embedding, 0)
			}
		}
		return d
	}})
	e := testEmbedder(f, retrieval.OpenAIEmbedderOptions{})
	if _, err := e.Embed(t.Context(), fakeTexts(2)); err != nil {
		t.Fatalf("first Embed: %v", err)
	}
	_, err := e.Embed(t.Context(), fakeTexts(2))
	const want = "returned 9-dimensional vectors after earlier ones of 8"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("second Embed error = %v, want one containing %q", err, want)
	}
	if got := e.Identity().Dimensions; got != 8 {
		t.Errorf("Identity().Dimensions = %d after a bad response, want 8", got)
	}
}

// closedAddr returns a loopback address that nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestOpenAIEmbedderUnreachable(t *testing.T) {
	base := "http://" + closedAddr(t) + "/v1"
	e := embedderAt(base, testKey, testModel, retrieval.OpenAIEmbedderOptions{})

	start := time.Now()
	_, err := e.Embed(t.Context(), fakeTexts(3))
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Embed took %v; a refused connection should fail at once", elapsed)
	}
	want := "embedding server at " + base + " unreachable: "
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want one containing %q", err, want)
	}
}

func TestOpenAIEmbedderNeverShowsAPIKey(t *testing.T) {
	echo := fmt.Sprintf(`{"error":{"message":"Incorrect API key provided: %s","type":"invalid_request_error"}}`, testKey)
	tests := []struct {
		name    string
		replies []fakeReply
		tamper  func(int, []fakeEmbedding) []fakeEmbedding
		base    string // overrides the fake's URL
		wantErr string
	}{
		{name: "401 echoing the key", replies: []fakeReply{{Status: 401, Body: echo}}, wantErr: "Incorrect API key provided: [redacted]"},
		{name: "400 echoing the key as text", replies: []fakeReply{{Status: 400, Body: "bad key " + testKey}}, wantErr: "bad key [redacted]"},
		{name: "503 echoing the key", replies: []fakeReply{{Status: 503, Body: echo}}, wantErr: "Incorrect API key provided: [redacted]"},
		{name: "wrong vector count", tamper: func(_ int, d []fakeEmbedding) []fakeEmbedding { return d[:1] }, wantErr: "returned 1 vectors"},
		{name: "unreachable", base: "http://" + closedAddr(t) + "/v1", wantErr: "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, Replies: tt.replies, Tamper: tt.tamper})
			base := f.BaseURL()
			if tt.base != "" {
				base = tt.base
			}
			_, err := embedderAt(base, testKey, testModel, retrieval.OpenAIEmbedderOptions{}).Embed(t.Context(), fakeTexts(2))
			if err == nil {
				t.Fatal("Embed succeeded, want an error")
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				if strings.Contains(s, testKey) {
					t.Errorf("error shows the API key: %s", s)
				}
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestOpenAIEmbedderKeepsErrorTypes(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel,
		Replies: []fakeReply{{Status: 429, Body: `{"error":{"message":"quota","type":"insufficient_quota"}}`}}})
	_, err := testEmbedder(f, retrieval.OpenAIEmbedderOptions{}).Embed(t.Context(), fakeTexts(1))
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *openai.APIError", err)
	}
	if apiErr.HTTPStatusCode != 429 || apiErr.Type != "insufficient_quota" {
		t.Errorf("APIError = status %d type %q, want 429 insufficient_quota", apiErr.HTTPStatusCode, apiErr.Type)
	}
}

func TestOpenAIEmbedderConcurrent(t *testing.T) {
	f := newFakeOpenAI(t, fakeOptions{Key: testKey, Model: testModel, MaxInputs: 3})
	e := testEmbedder(f, retrieval.OpenAIEmbedderOptions{BatchSize: 3})
	texts := fakeTexts(7)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := e.Embed(context.Background(), texts)
			if err != nil {
				t.Errorf("Embed: %v", err)
				return
			}
			for i, text := range texts {
				if !slices.Equal(got[i], fakeVector(text, 8)) {
					t.Errorf("vector %d is not the fake's vector for text %d", i, i)
				}
			}
			_ = e.Identity()
		})
	}
	wg.Wait()
	if n := f.Requests(); n != 8*3 {
		t.Errorf("requests = %d, want %d", n, 8*3)
	}
}

// ExampleNewOpenAIEmbedder embeds passages with a local Ollama server, which
// needs no API key, through a client the chat answerer can share.
func ExampleNewOpenAIEmbedder() {
	oc := openai.DefaultConfig("")
	oc.BaseURL = "http://localhost:11434/v1"
	client := openai.NewClientWithConfig(oc) // also for client.CreateChatCompletion
	embedder := retrieval.NewOpenAIEmbedder(client, "nomic-embed-text", retrieval.OpenAIEmbedderOptions{Server: oc.BaseURL})
	vectors, err := embedder.Embed(context.Background(), []string{"first passage", "second passage"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(vectors), embedder.Identity())
}
