package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

// streamingModel is an OpenAI-compatible server that streams reply a few
// characters at a time, pausing between pieces.
func streamingModel(t *testing.T, reply string, pause time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Stream bool `json:"stream"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		if !req.Stream {
			http.Error(w, `{"error":{"message":"this fake only streams"}}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		send := func(delta map[string]any, finish any) {
			b, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
				"choices": []map[string]any{{"index": 0, "delta": delta, "finish_reason": finish}}})
			fmt.Fprintf(w, "data: %s\n\n", b)
			w.(http.Flusher).Flush()
		}
		runes := []rune(reply)
		for i := 0; i < len(runes); i += 6 {
			time.Sleep(pause)
			send(map[string]any{"content": string(runes[i:min(i+6, len(runes))])}, nil)
		}
		send(map[string]any{}, "stop")
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestStreamedAnswerEdits: a model's answer grows in the deferred
// response as it is written, an edit at most every editEvery (shortened
// here from a second to keep the test quick), and only what the story
// bears out is shown; the last edit is the verified answer.
func TestStreamedAnswerEdits(t *testing.T) {
	t.Parallel() // it mostly waits for the model
	const every = 100 * time.Millisecond
	reply := "Karim Sadjepour said “This doesn’t mean an official Iranian overture to the U.S. and Israel” [1]. " +
		"He added that “Iran promised to build a hotel in Athens for the Israelis” [1]. " +
		"Rezai was prone to “do his own thing” [1], according to *Book Reveals Details of Iran’s Diplomatic Outreach to Israel* (The Forward)."
	srv := streamingModel(t, reply, 10*time.Millisecond) // about 0.6 s in all
	eng, ix := newEngine(t)
	eng.Chat = streamClient(srv.URL+"/v1", 10*time.Second)
	eng.Model, eng.Wait = "m", 10*time.Second
	u := newUnit(t, Config{}, eng, ix)
	u.h.editEvery = every
	in := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid))
	edits := u.s.find(about(in, mEdit))
	if len(edits) < 3 {
		t.Fatalf("%d edits; want the answer to grow in several", len(edits))
	}
	for i, e := range edits {
		c := e.content()
		if strings.Contains(c, "hotel") || strings.Contains(c, "build") {
			t.Errorf("edit %d shows a fabricated quotation: %q", i, c)
		}
		if i > 0 {
			if gap := e.at.Sub(edits[i-1].at); gap < every*95/100 {
				t.Errorf("edits %d and %d came %s apart; want at most one every %s", i-1, i, gap, every)
			}
		}
	}
	final := edits[len(edits)-1]
	if c := final.content(); !strings.Contains(c, "do his own thing") || strings.Contains(c, "writing…") || len(final.components()) == 0 {
		t.Errorf("final edit = %q with %d components; want the verified answer, with its buttons, last", c, len(final.components()))
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
