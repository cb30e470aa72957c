package discord

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bwmarrin/discordgo"
	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/data"
)

// slowChat is a model that takes its time: each answer comes after a
// random delay in [min, max), and cites the first passage without quoting.
type slowChat struct {
	min, max time.Duration
	calls    atomic.Int64
}

func (s *slowChat) CreateChatCompletion(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	s.calls.Add(1)
	d := s.min + time.Duration(rand.Int64N(int64(s.max-s.min)))
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return openai.ChatCompletionResponse{}, ctx.Err()
	}
	return openai.ChatCompletionResponse{Choices: []openai.ChatCompletionChoice{{
		Message:      openai.ChatCompletionMessage{Role: "assistant", Content: "The story covers this in its opening [1]."},
		FinishReason: "stop",
	}}}, nil
}

// TestLoadManyAsksDuringReindex sends 200 /ask at once, each from its own
// user, to a bot whose model is slow, while a moderator's /reindex runs,
// plus a burst from one user past the rate. Every interaction must be
// deferred in time and then answered (or told it is rate-limited); memory
// must stay bounded. STORYBOT_LOAD_FULL=1 uses a 1–3 s model, as the issue
// asks; the default is a 20–60 ms model, to keep CI short.
func TestLoadManyAsksDuringReindex(t *testing.T) {
	const asks, burst = 200, 10
	model := &slowChat{min: 20 * time.Millisecond, max: 60 * time.Millisecond}
	maxConcurrent := 4
	wait := 60 * time.Second
	if os.Getenv("STORYBOT_LOAD_FULL") != "" {
		model = &slowChat{min: time.Second, max: 3 * time.Second}
		maxConcurrent, wait = 8, 5*time.Minute
	}
	eng, ix := newEngine(t)
	eng.Chat, eng.Model, eng.Wait = model, "slow-fake", 10*time.Second

	// The reindex has something to do: the story with one paragraph more.
	story, err := data.FS.ReadFile("forward-iran-outreach.txt")
	if err != nil {
		t.Fatal(err)
	}
	stories := fstest.MapFS{"forward-iran-outreach.txt": &fstest.MapFile{Data: []byte(strings.Replace(string(story),
		"Parsi", "Parsi (the author of the book)", 1))}}
	if meta, err := data.FS.ReadFile("forward-iran-outreach.json"); err == nil {
		stories["forward-iran-outreach.json"] = &fstest.MapFile{Data: meta}
	}
	tb := startBot(t, Config{GuildID: discordfake.DefaultGuildID, MaxConcurrent: maxConcurrent, Stories: stories}, eng, ix)
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()

	// Memory, sampled while the load runs.
	var peak atomic.Uint64
	stopSampling := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})

	var ins []discordfake.Interaction
	for i := range asks {
		user := discordfake.User{ID: fmt.Sprintf("11900000000%08d", i), Username: fmt.Sprintf("asker%d", i), Discriminator: "0"}
		ins = append(ins, discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, User: user,
			Options: ask([]string{whoSaid, "who organizes the conference in Athens?", "what did Iran offer?", "what is a good pizza recipe?"}[i%4])}))
	}
	flooder := discordfake.User{ID: "1190000000099999999", Username: "flooder", Discriminator: "0"}
	var flood []discordfake.Interaction
	for range burst {
		flood = append(flood, discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, User: flooder, Options: ask(whoSaid)}))
	}
	reindex := discordfake.SlashCommand(reindexSpec(int64(discordgo.PermissionManageGuild)))

	sentAt := map[string]time.Time{}
	start := time.Now()
	for i, in := range ins {
		sentAt[in.Token] = dispatch(t, tb.f, "INTERACTION_CREATE", in)
		if i == asks/2 {
			dispatch(t, tb.f, "INTERACTION_CREATE", reindex)
		}
	}
	for _, in := range flood {
		dispatch(t, tb.f, "INTERACTION_CREATE", in)
	}

	// Every ask: a deferral (the fake refuses one after 3 s), then the answer.
	var latencies []time.Duration
	for _, in := range ins {
		cb, body := callback(t, ctx, tb.f, in)
		if cb.Status != 204 || body.Type != 5 {
			t.Errorf("ask %s: first response %d type %d, want a deferral", in.ID, cb.Status, body.Type)
			continue
		}
		// The answer is the edit after any "you're Nth in line" notice.
		edit, err := tb.f.WaitFor(ctx, func(r discordfake.Request) bool {
			if r.Method != "PATCH" || r.Path != "/webhooks/"+tb.f.AppID()+"/"+in.Token+"/messages/@original" {
				return false
			}
			var b messageBody
			return r.Decode(&b) == nil && !strings.HasPrefix(b.Content, "⏳")
		})
		if err != nil {
			t.Fatalf("ask %s: no answer: %v", in.ID, err)
		}
		if edit.Status != 200 {
			t.Errorf("ask %s: answer edit got %d (expired token?)", in.ID, edit.Status)
		}
		if c := decode[messageBody](t, edit).Content; strings.TrimSpace(c) == "" {
			t.Errorf("ask %s: empty answer", in.ID)
		}
		latencies = append(latencies, edit.Time.Sub(sentAt[in.Token]))
	}
	limited := 0
	for _, in := range flood {
		_, body := callback(t, ctx, tb.f, in)
		switch {
		case body.Type == 4 && body.Data != nil && strings.Contains(body.Data.Content, "asking quickly"):
			limited++
		case body.Type == 5:
			originalEdits(t, ctx, tb.f, in, 1)
		default:
			t.Errorf("flood ask: %+v", body)
		}
	}
	if limited == 0 {
		t.Errorf("none of %d asks in a burst from one user was rate-limited", burst)
	}
	edits := originalEdits(t, ctx, tb.f, reindex, 2)
	if c := decode[messageBody](t, edits[len(edits)-1]).Content; !strings.HasPrefix(c, "Reindexed") {
		t.Errorf("reindex: %q", c)
	}
	close(stopSampling)
	sampler.Wait()

	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		return latencies[int(float64(len(latencies)-1)*p)].Round(time.Millisecond)
	}
	t.Logf("%d asks (model %v–%v, %d at once) during a reindex, plus %d from one user (%d rate-limited): all answered in %v; latency p50 %v, p99 %v, max %v; model calls %d; peak heap %d MiB",
		asks, model.min, model.max, maxConcurrent, burst, limited, time.Since(start).Round(time.Millisecond),
		pct(0.5), pct(0.99), latencies[len(latencies)-1].Round(time.Millisecond), model.calls.Load(), peak.Load()>>20)
	if peak.Load() > 1<<30 {
		t.Errorf("peak heap %d MiB", peak.Load()>>20)
	}
}
