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
// deferred in time (Discord allows 3 s) and then answered (or told it is
// rate-limited); memory must stay bounded. STORYBOT_LOAD_FULL=1 uses a
// 1–3 s model, as the issue asks; the default is a 2–6 ms model, to keep
// the test run short.
func TestLoadManyAsksDuringReindex(t *testing.T) {
	t.Parallel() // it mostly waits for the model
	const asks, burst = 200, 10
	model := &slowChat{min: 2 * time.Millisecond, max: 6 * time.Millisecond}
	maxConcurrent := 4
	if os.Getenv("STORYBOT_LOAD_FULL") != "" {
		model = &slowChat{min: time.Second, max: 3 * time.Second}
		maxConcurrent = 8
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
	u := newUnit(t, Config{GuildID: discordfake.DefaultGuildID, MaxConcurrent: maxConcurrent, Stories: stories}, eng, ix)

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

	var ins []*discordgo.Interaction
	for i := range asks {
		user := discordfake.User{ID: fmt.Sprintf("11900000000%08d", i), Username: fmt.Sprintf("asker%d", i), Discriminator: "0"}
		ins = append(ins, event[discordgo.InteractionCreate](t, discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, User: user,
			Options: ask([]string{whoSaid, "who organizes the conference in Athens?", "what did Iran offer?", "what is a good pizza recipe?"}[i%4])})).Interaction)
	}
	flooder := discordfake.User{ID: "1190000000099999999", Username: "flooder", Discriminator: "0"}
	var flood []*discordgo.Interaction
	for range burst {
		flood = append(flood, event[discordgo.InteractionCreate](t, discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, User: flooder, Options: ask(whoSaid)})).Interaction)
	}
	reindex := event[discordgo.InteractionCreate](t, discordfake.SlashCommand(reindexSpec(int64(discordgo.PermissionManageGuild)))).Interaction

	// Each event is served on its own goroutine, as discordgo does.
	var handlers sync.WaitGroup
	serve := func(in *discordgo.Interaction) time.Time {
		at := time.Now()
		handlers.Go(func() { u.h.handleInteraction(u.s, &discordgo.InteractionCreate{Interaction: in}) })
		return at
	}
	sentAt := map[string]time.Time{}
	start := time.Now()
	for i, in := range ins {
		sentAt[in.ID] = serve(in)
		if i == asks/2 {
			serve(reindex)
		}
	}
	for _, in := range flood {
		serve(in)
	}
	handlers.Wait()
	close(stopSampling)
	sampler.Wait()

	// Every ask: a deferral in time, then the answer.
	var latencies []time.Duration
	for _, in := range ins {
		calls := u.s.find(about(in, ""))
		if len(calls) < 2 || calls[0].respond == nil || calls[0].respond.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Errorf("ask %s: %v, want a deferral, then the answer", in.ID, calls)
			continue
		}
		if d := calls[0].at.Sub(sentAt[in.ID]); d > 3*time.Second {
			t.Errorf("ask %s deferred after %s", in.ID, d)
		}
		// The answer is the last edit, after any "you're Nth in line" notice.
		last := calls[len(calls)-1]
		if last.method != mEdit || strings.TrimSpace(last.content()) == "" || strings.HasPrefix(last.content(), "⏳") {
			t.Errorf("ask %s: last call %v, want the answer", in.ID, last)
		}
		latencies = append(latencies, last.at.Sub(sentAt[in.ID]))
	}
	limited := 0
	for _, in := range flood {
		first := u.s.find(about(in, mRespond))[0]
		switch {
		case first.respond.Type == discordgo.InteractionResponseChannelMessageWithSource && strings.Contains(first.content(), "asking quickly"):
			limited++
		case first.respond.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource:
			if len(u.s.find(about(in, mEdit))) == 0 {
				t.Errorf("flood ask %s was deferred but never answered", in.ID)
			}
		default:
			t.Errorf("flood ask: %v", first)
		}
	}
	if limited != burst-u.h.rate {
		t.Errorf("%d of %d asks in a burst from one user were rate-limited, want %d", limited, burst, burst-u.h.rate)
	}
	edits := u.s.find(about(reindex, mEdit))
	if c := edits[len(edits)-1].content(); !strings.HasPrefix(c, "Reindexed") {
		t.Errorf("reindex: %q", c)
	}

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
