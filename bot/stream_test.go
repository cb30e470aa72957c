package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// fakeStream is an OpenAI-compatible server that streams one scripted
// reply in pieces, as server-sent events, pausing between them.
func fakeStream(t testing.TB, pieces []string, pause time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Stream bool `json:"stream"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		if r.URL.Path != "/v1/chat/completions" || !req.Stream {
			t.Errorf("fake stream: %s %s stream=%v; want a streamed chat completion", r.Method, r.URL.Path, req.Stream)
			http.Error(w, "no", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		send := func(delta map[string]any, finish any) {
			b, _ := json.Marshal(map[string]any{
				"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": 1, "model": "m",
				"choices": []map[string]any{{"index": 0, "delta": delta, "finish_reason": finish}},
			})
			fmt.Fprintf(w, "data: %s\n\n", b)
			fl.Flush()
		}
		send(map[string]any{"role": "assistant", "content": ""}, nil)
		for _, p := range pieces {
			time.Sleep(pause)
			send(map[string]any{"content": p}, nil)
		}
		send(map[string]any{}, "stop")
		fmt.Fprint(w, "data: [DONE]\n\n")
		fl.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// words splits s into pieces of a few characters, as a model streams.
func streamPieces(s string, n int) []string {
	var out []string
	r := []rune(s)
	for i := 0; i < len(r); i += n {
		out = append(out, string(r[i:min(i+n, len(r))]))
	}
	return out
}

const streamedReply = "Karim Sadjepour said “This doesn’t mean an official Iranian overture to the U.S. and Israel” [1]. " +
	"He added that “Iran promised to build a hotel in Athens for the Israelis” [1]. " +
	"Rezai was prone to “do his own thing” [1], according to *Book Reveals Details of Iran’s Diplomatic Outreach to Israel* (The Forward)."

func TestStreamShowsOnlyVerifiedQuotes(t *testing.T) {
	srv := fakeStream(t, streamPieces(streamedReply, 7), 0)
	e := &Engine{Index: mustIndex(t), Model: "m", Wait: 5 * time.Second,
		Chat: streamClient(srv.URL+"/v1", 5*time.Second)}
	var mu sync.Mutex
	var shown []string
	ctx := WithProgress(context.Background(), func(s string) {
		mu.Lock()
		shown = append(shown, s)
		mu.Unlock()
	})
	a, err := e.Ask(ctx, overtureQ)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != ModeLLM || strings.Contains(a.Answer, "hotel") || !strings.Contains(a.Answer, "do his own thing") {
		t.Fatalf("final answer (%s) = %q", a.Mode, a.Answer)
	}
	if len(shown) < 3 {
		t.Fatalf("%d progress reports; want the answer to grow", len(shown))
	}
	for _, s := range shown {
		if strings.Contains(s, "hotel") || strings.Contains(s, "build") {
			t.Errorf("a fabricated quotation was shown mid-stream: %q", s)
		}
		if strings.Count(s, "“") != strings.Count(s, "”") {
			t.Errorf("an unclosed quotation was shown mid-stream: %q", s)
		}
	}
	if last := shown[len(shown)-1]; !strings.Contains(last, "do his own thing") {
		t.Errorf("last report = %q", last)
	}
}

func TestVerifiedSoFar(t *testing.T) {
	passages := mustStoryPassages(t)
	tests := []struct{ name, partial, want string }{
		{"plain text", "Karim Sadjepour said", "Karim Sadjepour said"},
		{"an open quotation is held back", "Sadjepour said “This doesn’t mean an official", "Sadjepour said"},
		{"a closed true quotation is shown", "Rezai was prone to “do his own thing” [8", "Rezai was prone to “do his own thing”"},
		{"a possible refusal is held back", "NOT IN ST", ""},
		{"a refusal is held back", "**NOT IN STORY:** the story does not", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verifiedSoFar(tt.partial, passages); got != tt.want {
				t.Errorf("verifiedSoFar(%q) = %q; want %q", tt.partial, got, tt.want)
			}
		})
	}
	fabricated := verifiedSoFar("He said “Iran promised to build a hotel in Athens” and left", passages)
	if strings.Contains(fabricated, "hotel") {
		t.Errorf("a fabricated quotation was shown: %q", fabricated)
	}
}

// streamClient is a go-openai client of the fake at baseURL (cmd/storybot
// layers its retries over the same client in production).
func streamClient(baseURL string, timeout time.Duration) *openai.Client {
	oc := openai.DefaultConfig("")
	oc.BaseURL = baseURL
	oc.HTTPClient = &http.Client{Timeout: timeout}
	return openai.NewClientWithConfig(oc)
}
