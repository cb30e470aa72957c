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

func TestStreamedAnswerEdits(t *testing.T) {
	reply := "Karim Sadjepour said “This doesn’t mean an official Iranian overture to the U.S. and Israel” [1]. " +
		"He added that “Iran promised to build a hotel in Athens for the Israelis” [1]. " +
		"Rezai was prone to “do his own thing” [1], according to *Book Reveals Details of Iran’s Diplomatic Outreach to Israel* (The Forward)."
	srv := streamingModel(t, reply, 70*time.Millisecond) // about 3 s in all
	eng, ix := newEngine(t)
	eng.Chat = streamClient(srv.URL+"/v1", 10*time.Second)
	eng.Model, eng.Wait = "m", 10*time.Second
	tb := startBot(t, Config{}, eng, ix)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	final, err := tb.f.WaitFor(ctx, func(r discordfake.Request) bool {
		return r.Method == "PATCH" && strings.HasSuffix(r.Path, in.Token+"/messages/@original") && strings.Contains(string(r.JSON()), `"custom_id"`)
	})
	if err != nil {
		logRequests(t, tb.f)
		t.Fatal(err)
	}
	edits := tb.f.Find(func(r discordfake.Request) bool {
		return r.Method == "PATCH" && strings.HasSuffix(r.Path, in.Token+"/messages/@original") && r.Status == 200
	})
	if len(edits) < 3 {
		t.Fatalf("%d edits; want the answer to grow in several", len(edits))
	}
	for i, e := range edits {
		c := decode[messageBody](t, e).Content
		if strings.Contains(c, "hotel") || strings.Contains(c, "build") {
			t.Errorf("edit %d shows a fabricated quotation: %q", i, c)
		}
		if i > 0 {
			if gap := e.Time.Sub(edits[i-1].Time); gap < 950*time.Millisecond {
				t.Errorf("edits %d and %d came %s apart; want at most one a second", i-1, i, gap)
			}
		}
	}
	last := decode[messageBody](t, final).Content
	if final.Seq != edits[len(edits)-1].Seq || !strings.Contains(last, "do his own thing") || strings.Contains(last, "writing…") {
		t.Errorf("final edit = %q; want the verified answer, last", last)
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
