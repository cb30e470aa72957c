package discord

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/internal/testlog"
	"github.com/storybot/storybot/internal/testmain"
	"github.com/storybot/storybot/retrieval"
)

// TestMain lets the parallel tests, the end-to-end ones, run all at once
// (testmain.RunWaiting).
func TestMain(m *testing.M) { testmain.RunWaiting(m) }

const whoSaid = "who said it wasn't an official overture?"

// newEngine builds an engine over a fresh index of the default story.
func newEngine(t *testing.T) (*bot.Engine, *retrieval.Index) {
	t.Helper()
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reindex(t.Context(), data.FS); err != nil {
		t.Fatal(err)
	}
	return &bot.Engine{Index: ix}, ix
}

// testBot is a bot running through Run against a fake Discord.
type testBot struct {
	f     *discordfake.Fake
	logs  *testlog.Buffer
	token string
}

// startBot runs the bot on its own fake until the test ends: the bot
// stops (and its session closes) before the fake closes. cfg's token,
// HTTP client (which takes the bot to the fake, leaving discordgo's
// process-wide endpoints alone) and log are filled in.
func startBot(t *testing.T, cfg Config, eng *bot.Engine, ix *retrieval.Index) *testBot {
	t.Helper()
	f := discordfake.New(t, discordfake.Options{})
	tb := &testBot{f: f, logs: &testlog.Buffer{}, token: "tok-" + strings.ReplaceAll(t.Name(), "/", "-")}
	cfg.Token, cfg.HTTPClient = tb.token, f.Client()
	cfg.Log = slog.New(slog.NewTextHandler(io.MultiWriter(tb.logs, t.Output()), &slog.HandlerOptions{Level: slog.LevelDebug}))
	if eng == nil {
		eng, ix = newEngine(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, cfg, eng, ix) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not return after cancel")
		}
		if strings.Contains(tb.logs.String(), tb.token) {
			t.Error("the token appears in the logs")
		}
	})
	wctx := testContext(t)
	if err := f.WaitReady(wctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WaitFor(wctx, func(r discordfake.Request) bool {
		return r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") && r.Status == 200
	}); err != nil {
		select {
		case err := <-errc:
			t.Fatalf("Run: %v", err)
		default:
		}
		t.Fatal(err)
	}
	return tb
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// callbackBody is an interaction callback as the fake received it.
type callbackBody struct {
	Type int `json:"type"`
	Data *struct {
		Content         string          `json:"content"`
		Flags           int             `json:"flags"`
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
		Choices         []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"choices"`
	} `json:"data"`
}

// messageBody is a message create or edit as the fake received it.
type messageBody struct {
	Content         string          `json:"content"`
	Flags           int             `json:"flags"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	Embeds          []struct {
		Title  string `json:"title"`
		Footer *struct {
			Text string `json:"text"`
		} `json:"footer"`
		Fields []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
	} `json:"embeds"`
	MessageReference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

func decode[T any](t *testing.T, r discordfake.Request) T {
	t.Helper()
	var v T
	if err := r.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// dispatch sends an event and returns when it was sent.
func dispatch(t *testing.T, f *discordfake.Fake, typ string, d any) time.Time {
	t.Helper()
	at := time.Now()
	if err := f.Dispatch(typ, d); err != nil {
		t.Fatal(err)
	}
	return at
}

// callback waits for the interaction's first response.
func callback(t *testing.T, ctx context.Context, f *discordfake.Fake, in discordfake.Interaction) (discordfake.Request, callbackBody) {
	t.Helper()
	r, err := f.WaitFor(ctx, discordfake.Match("POST", "/interactions/"+in.ID+"/*/callback"))
	if err != nil {
		t.Fatal(err)
	}
	return r, decode[callbackBody](t, r)
}

// originalEdits waits for n successful edits of the interaction's @original.
func originalEdits(t *testing.T, ctx context.Context, f *discordfake.Fake, in discordfake.Interaction, n int) []discordfake.Request {
	t.Helper()
	rs, err := f.WaitForN(ctx, n, func(r discordfake.Request) bool {
		return r.Method == "PATCH" && r.Path == "/webhooks/"+f.AppID()+"/"+in.Token+"/messages/@original" && r.Status == 200
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// logRequests writes the recorded REST calls, bodies trimmed.
func logRequests(t *testing.T, f *discordfake.Fake) {
	t.Helper()
	for _, r := range f.Requests() {
		body := string(r.JSON())
		if len(body) > 300 {
			body = body[:300] + "…"
		}
		t.Logf("REST %s %s → %d %s", r.Method, r.Path, r.Status, body)
	}
}

func ask(question string, opts ...discordfake.Option) []discordfake.Option {
	return append([]discordfake.Option{discordfake.StringOption("question", question)}, opts...)
}

// noPings checks that a message body suppresses every mention.
func noPings(t *testing.T, raw json.RawMessage) {
	t.Helper()
	var am struct {
		Parse *[]string `json:"parse"`
	}
	if err := json.Unmarshal(raw, &am); err != nil || am.Parse == nil || len(*am.Parse) != 0 {
		t.Errorf("allowed_mentions = %s, want parse []", raw)
	}
}
