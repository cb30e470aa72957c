package retrieval_test

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

// fakeOpenAI is an OpenAI-compatible embeddings server for tests. It serves
// POST /v1/embeddings (so clients must join the path to their base URL),
// checks the method, path, Authorization header and JSON body of every
// request, counts requests and inputs, and answers with fakeVector for each
// input, after first playing any queued replies.
type fakeOpenAI struct {
	t    testing.TB
	srv  *httptest.Server
	opts fakeOptions

	mu       sync.Mutex
	queue    []fakeReply
	requests int
	inputs   int
	arrivals []time.Time
	bodies   []fakeEmbedRequest
}

// fakeOptions configures a fakeOpenAI; it is fixed once the server starts.
type fakeOptions struct {
	Key       string // expected bearer token; "" expects no Authorization header
	Model     string // expected model
	Dims      int    // length of the vectors served; default 8
	MaxInputs int    // largest batch allowed; 0 means any
	WantDims  int    // expected "dimensions" request field; 0 expects none
	Shuffle   bool   // serve the vectors in reverse order, with matching indices
	// Replies are played, one per request, before normal service.
	Replies []fakeReply
	// Tamper, if set, may change a good response before it is sent; req is
	// the 1-based request number.
	Tamper func(req int, data []fakeEmbedding) []fakeEmbedding
	// OnRequest, if set, is called as request req arrives, before replying.
	OnRequest func(req int)
	// Hang makes the server answer nothing until the client gives up.
	Hang bool
}

// fakeReply is one canned answer.
type fakeReply struct {
	Status int
	Header map[string]string
	Body   string
}

// fakeEmbedRequest is the part of an embeddings request the fake checks.
type fakeEmbedRequest struct {
	Input          []string `json:"input"`
	Model          string   `json:"model"`
	Dimensions     int      `json:"dimensions"`
	EncodingFormat string   `json:"encoding_format"`
}

// fakeEmbedding is one item of an embeddings response.
type fakeEmbedding struct {
	Object    string    `json:"object"`
	Index     int       `json:"index"`
	Embedding []float32 `json:"embedding"`
}

// newFakeOpenAI starts a fake server that is closed when the test ends.
func newFakeOpenAI(t testing.TB, opts fakeOptions) *fakeOpenAI {
	t.Helper()
	if opts.Dims == 0 {
		opts.Dims = 8
	}
	f := &fakeOpenAI{t: t, opts: opts, queue: slices.Clone(opts.Replies)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serveHTTP))
	t.Cleanup(f.srv.Close)
	return f
}

// BaseURL is the URL clients should be configured with.
func (f *fakeOpenAI) BaseURL() string { return f.srv.URL + "/v1" }

// Requests is how many requests arrived.
func (f *fakeOpenAI) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Inputs is how many texts arrived, over all requests.
func (f *fakeOpenAI) Inputs() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inputs
}

// Bodies returns the decoded request bodies, in arrival order.
func (f *fakeOpenAI) Bodies() []fakeEmbedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.bodies)
}

// Arrivals returns when each request arrived.
func (f *fakeOpenAI) Arrivals() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.arrivals)
}

func (f *fakeOpenAI) serveHTTP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("fake openai: read body: %v", err)
	}
	var body fakeEmbedRequest
	bodyErr := json.Unmarshal(raw, &body)

	f.mu.Lock()
	f.requests++
	n := f.requests
	f.inputs += len(body.Input)
	f.arrivals = append(f.arrivals, time.Now())
	f.bodies = append(f.bodies, body)
	var reply *fakeReply
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

	data := make([]fakeEmbedding, len(body.Input))
	for i, text := range body.Input {
		data[i] = fakeEmbedding{Object: "embedding", Index: i, Embedding: fakeVector(text, f.opts.Dims)}
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
func (f *fakeOpenAI) check(n int, r *http.Request, body fakeEmbedRequest, bodyErr error) {
	errorf := func(format string, args ...any) {
		f.t.Errorf("fake openai: request %d: %s", n, fmt.Sprintf(format, args...))
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

// fakeVector is the fake's deterministic embedding of text: distinct texts
// get distinct vectors, so tests can check which text a vector belongs to.
func fakeVector(text string, dims int) []float32 {
	v := make([]float32, dims)
	for j := range v {
		h := fnv.New32a()
		fmt.Fprintf(h, "%d\x00%s", j, text)
		v[j] = float32(h.Sum32()%10000) / 10000
	}
	return v
}

// fakeTexts returns n distinct texts.
func fakeTexts(n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("passage %d: the story's words", i)
	}
	return texts
}
