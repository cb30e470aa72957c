// Package openaifake is an OpenAI-compatible embeddings server for tests,
// shared by the embedder's tests in retrieval and the client's (retries,
// timeouts, redaction) in cmd/storybot. It never touches the internet.
package openaifake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// Server is an OpenAI-compatible embeddings server for tests. It serves
// POST /v1/embeddings (so clients must join the path to their base URL),
// checks the method, path, Authorization header and JSON body of every
// request, counts requests and inputs, and answers with Vector for each
// input, after first playing any queued replies.
type Server struct {
	t    testing.TB
	srv  *httptest.Server
	opts Options

	mu       sync.Mutex
	queue    []Reply
	requests int
	inputs   int
	arrivals []time.Time
	bodies   []EmbedRequest
}

// Options configures a Server; it is fixed once the server starts.
type Options struct {
	Key       string // expected bearer token; "" expects no Authorization header
	Model     string // expected model
	Dims      int    // length of the vectors served; default 8
	MaxInputs int    // largest batch allowed; 0 means any
	WantDims  int    // expected "dimensions" request field; 0 expects none
	Shuffle   bool   // serve the vectors in reverse order, with matching indices
	// Replies are played, one per request, before normal service.
	Replies []Reply
	// Tamper, if set, may change a good response before it is sent; req is
	// the 1-based request number.
	Tamper func(req int, data []Embedding) []Embedding
	// OnRequest, if set, is called as request req arrives, before replying.
	OnRequest func(req int)
	// Hang makes the server answer nothing until the client gives up.
	Hang bool
}

// Reply is one canned answer.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
}

// EmbedRequest is the part of an embeddings request the fake checks.
type EmbedRequest struct {
	Input          []string `json:"input"`
	Model          string   `json:"model"`
	Dimensions     int      `json:"dimensions"`
	EncodingFormat string   `json:"encoding_format"`
}

// Embedding is one item of an embeddings response.
type Embedding struct {
	Object    string    `json:"object"`
	Index     int       `json:"index"`
	Embedding []float32 `json:"embedding"`
}

// New starts a fake server that is closed when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Dims == 0 {
		opts.Dims = 8
	}
	f := &Server{t: t, opts: opts, queue: slices.Clone(opts.Replies)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serveHTTP))
	t.Cleanup(f.srv.Close)
	return f
}

// Options returns the options the server was started with.
func (f *Server) Options() Options { return f.opts }

// BaseURL is the URL clients should be configured with.
func (f *Server) BaseURL() string { return f.srv.URL + "/v1" }

// Requests is how many requests arrived.
func (f *Server) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Inputs is how many texts arrived, over all requests.
func (f *Server) Inputs() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inputs
}

// Bodies returns the decoded request bodies, in arrival order.
func (f *Server) Bodies() []EmbedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.bodies)
}

// Arrivals returns when each request arrived.
func (f *Server) Arrivals() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.arrivals)
}

func (f *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("openaifake: read body: %v", err)
	}
	var body EmbedRequest
	bodyErr := json.Unmarshal(raw, &body)

	f.mu.Lock()
	f.requests++
	n := f.requests
	f.inputs += len(body.Input)
	f.arrivals = append(f.arrivals, time.Now())
	f.bodies = append(f.bodies, body)
	var reply *Reply
	if len(f.queue) > 0 {
		reply = &f.queue[0]
		f.queue = f.queue[1:]
	}
	f.mu.Unlock()

	f.check(n, r, body, bodyErr)
	if f.opts.OnRequest != nil {
		f.opts.OnRequest(n)
	}
	switch {
	case reply != nil:
		for k, v := range reply.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(reply.Status)
		io.WriteString(w, reply.Body)
		return
	case f.opts.Hang:
		<-r.Context().Done()
		return
	case bodyErr != nil:
		http.Error(w, `{"error":{"message":"bad json","type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}

	data := make([]Embedding, len(body.Input))
	for i, text := range body.Input {
		data[i] = Embedding{Object: "embedding", Index: i, Embedding: Vector(text, f.opts.Dims)}
	}
	if f.opts.Shuffle {
		slices.Reverse(data)
	}
	if f.opts.Tamper != nil {
		data = f.opts.Tamper(n, data)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list",
		"data":   data,
		"model":  body.Model,
		"usage":  map[string]int{"prompt_tokens": len(body.Input), "total_tokens": len(body.Input)},
	})
}

// check reports anything about request n that a real server would reject.
func (f *Server) check(n int, r *http.Request, body EmbedRequest, bodyErr error) {
	errorf := func(format string, args ...any) {
		f.t.Errorf("openaifake: request %d: %s", n, fmt.Sprintf(format, args...))
	}
	if r.Method != http.MethodPost {
		errorf("method %s, want POST", r.Method)
	}
	if r.URL.Path != "/v1/embeddings" {
		errorf("path %q, want /v1/embeddings", r.URL.Path)
	}
	auth, hasAuth := r.Header.Get("Authorization"), len(r.Header.Values("Authorization")) > 0
	switch {
	case f.opts.Key == "" && hasAuth:
		errorf("Authorization header %q sent without an API key", auth)
	case f.opts.Key != "" && auth != "Bearer "+f.opts.Key:
		errorf("Authorization header %q, want the bearer key", auth)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		errorf("Content-Type %q, want application/json", ct)
	}
	if bodyErr != nil {
		errorf("body is not JSON: %v", bodyErr)
		return
	}
	if body.Model != f.opts.Model {
		errorf("model %q, want %q", body.Model, f.opts.Model)
	}
	if len(body.Input) == 0 {
		errorf("no input")
	}
	if f.opts.MaxInputs > 0 && len(body.Input) > f.opts.MaxInputs {
		errorf("%d inputs, want at most %d", len(body.Input), f.opts.MaxInputs)
	}
	if body.Dimensions != f.opts.WantDims {
		errorf("dimensions %d, want %d", body.Dimensions, f.opts.WantDims)
	}
	if body.EncodingFormat != "" && body.EncodingFormat != "float" {
		errorf("encoding_format %q, want float", body.EncodingFormat)
	}
}

// Vector is the fake's deterministic embedding of text: distinct texts
// get distinct vectors, so tests can check which text a vector belongs to.
func Vector(text string, dims int) []float32 {
	v := make([]float32, dims)
	for j := range v {
		h := fnv.New32a()
		fmt.Fprintf(h, "%d\x00%s", j, text)
		v[j] = float32(h.Sum32()%10000) / 10000
	}
	return v
}

// Texts returns n distinct texts.
func Texts(n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("passage %d: the story's words", i)
	}
	return texts
}
