package discord

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/internal/testlog"
)

// runProcess runs the bot as one storybot process would, with its own
// engine and index, against f until the test ends. (The processes of
// these tests are goroutines that share the one fake.)
func runProcess(t *testing.T, f *discordfake.Fake, name string, cfg Config) *testlog.Buffer {
	t.Helper()
	logs := &testlog.Buffer{}
	cfg.Token, cfg.HTTPClient = "tok-"+strings.ReplaceAll(t.Name(), "/", "-"), f.Client()
	cfg.Log = slog.New(slog.NewTextHandler(io.MultiWriter(logs, t.Output()), &slog.HandlerOptions{Level: slog.LevelDebug})).With("process", name)
	if cfg.IdentifyInterval == 0 {
		cfg.IdentifyInterval = 50 * time.Millisecond
	}
	eng, ix := newEngine(t)
	// The test's context ends before any cleanup runs, so the processes
	// of a test stop together.
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, cfg, eng, ix) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run %s: %v", name, err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("Run %s did not return after cancel", name)
		}
	})
	return logs
}

// askIn asks whoSaid with /ask in guild, one of shards, and returns the
// answer. discordgo can drop a connection it has just resumed (the old
// connection's heartbeat fails and closes the session again), and the fake
// does not replay what it dispatched meanwhile; so askIn dispatches once
// the guild's shard is ready, and asks afresh when no answer comes.
func askIn(t *testing.T, ctx context.Context, f *discordfake.Fake, guild string, shards int) string {
	t.Helper()
	for ctx.Err() == nil {
		if err := f.WaitShardReady(ctx, discordfake.ShardOf(guild, shards), shards); err != nil {
			t.Fatal(err)
		}
		in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: guild, Options: ask(whoSaid)})
		if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
			continue // the shard dropped again
		}
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		edits, err := f.WaitForN(wctx, 1, func(r discordfake.Request) bool {
			return r.Method == "PATCH" && r.Path == "/webhooks/"+f.AppID()+"/"+in.Token+"/messages/@original" && r.Status == 200
		})
		cancel()
		if err == nil {
			return decode[messageBody](t, edits[0]).Content
		}
		t.Logf("no answer from guild %s (shard %d) in 3 s; asking again", guild, discordfake.ShardOf(guild, shards))
	}
	t.Fatalf("no answer from guild %s: %v", guild, ctx.Err())
	return ""
}

// TestTwoProcessesTwoShards is issue 13's first demonstration: two
// processes run shards 0 and 1 of 2 against the fake Discord; questions
// in guilds of both shards are answered, and the commands are registered
// once, by the process running shard 0.
func TestTwoProcessesTwoShards(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t, discordfake.Options{Shards: 2})
	ctx := testContext(t)
	logs := map[int]*testlog.Buffer{}
	for id := range 2 {
		// STORYBOT_SHARDS=auto (the fake recommends 2), STORYBOT_SHARD_IDS=id.
		logs[id] = runProcess(t, f, fmt.Sprintf("p%d", id), Config{ShardIDs: []int{id}})
		if err := f.WaitShardReady(ctx, id, 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.WaitFor(ctx, discordfake.Match("PUT", "/applications/*/commands")); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct{ guild string }{
		{discordfake.GuildOnShard(0, 2, 1)},
		{discordfake.GuildOnShard(1, 2, 1)},
		{discordfake.GuildOnShard(1, 2, 2)},
		{discordfake.GuildOnShard(0, 2, 2)},
	} {
		shard := discordfake.ShardOf(c.guild, 2)
		got := askIn(t, ctx, f, c.guild, 2)
		t.Logf("guild %s (shard %d): %.70q", c.guild, shard, got)
		if !strings.Contains(got, "Sadjepour") {
			t.Errorf("guild %s (shard %d): answer %q does not quote Sadjepour", c.guild, shard, got)
		}
		want := fmt.Sprintf("shard=%d", shard)
		if line := waitLogLine(ctx, logs[shard], "answered", c.guild); !strings.Contains(line, want) {
			t.Errorf("shard %d's process logged %q, want a line with %s", shard, line, want)
		}
		if line := logLine(logs[1-shard].String(), "answered", c.guild); line != "" {
			t.Errorf("the other process answered guild %s too: %s", c.guild, line)
		}
	}

	puts := f.Find(discordfake.Match("PUT", "/applications/*/commands"))
	if len(puts) != 1 {
		t.Errorf("commands registered %d times, want once", len(puts))
	}
	if !strings.Contains(logs[0].String(), "commands registered") || strings.Contains(logs[1].String(), "commands registered") {
		t.Error("the commands were not registered by shard 0's process alone")
	}
	var shards []string
	for _, id := range f.Identifies() {
		shards = append(shards, fmt.Sprint(id.Shard))
	}
	slices.Sort(shards)
	if fmt.Sprint(shards) != "[[0 2] [1 2]]" {
		t.Errorf("IDENTIFY shards = %v, want [0 2] and [1 2]", shards)
	}
}

// waitLogLine waits (until ctx ends) for logLine to find a line.
func waitLogLine(ctx context.Context, logs *testlog.Buffer, words ...string) string {
	for {
		if line := logLine(logs.String(), words...); line != "" || ctx.Err() != nil {
			return line
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logLine returns the first log line holding every one of words, or "".
func logLine(logs string, words ...string) string {
	for line := range strings.Lines(logs) {
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(line, w)
		}
		if ok {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// TestShardReconnectsAlone drops one shard of a process running two: it
// reconnects by itself, the other shard's connection is untouched, and
// both answer afterwards.
func TestShardReconnectsAlone(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t, discordfake.Options{Shards: 2, MaxConcurrency: 2})
	ctx := testContext(t)
	logs := runProcess(t, f, "p", Config{})
	for id := range 2 {
		if err := f.WaitShardReady(ctx, id, 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.WaitFor(ctx, discordfake.Match("PUT", "/applications/*/commands")); err != nil {
		t.Fatal(err)
	}
	before := len(f.Identifies())
	framesBefore := len(f.Frames())

	if n := f.CloseShard(1, 4000, "Unknown error."); n != 1 {
		t.Fatalf("CloseShard closed %d connections, want 1", n)
	}
	if err := f.WaitShardReady(ctx, 1, 2); err != nil {
		t.Fatal(err)
	}
	// Shard 1 resumed (op 6) or identified again; shard 0 did neither.
	for _, id := range f.Identifies()[before:] {
		if fmt.Sprint(id.Shard) != "[1 2]" {
			t.Errorf("shard %v identified again, want only shard 1", id.Shard)
		}
	}
	resumes := 0
	for _, fr := range f.Frames()[framesBefore:] {
		if fr.Op == 6 {
			resumes++
		}
	}
	if resumes+len(f.Identifies())-before != 1 {
		t.Errorf("%d resumes and %d identifies after the drop, want one in all", resumes, len(f.Identifies())-before)
	}
	for id := range 2 {
		if got := askIn(t, ctx, f, discordfake.GuildOnShard(id, 2, 3), 2); !strings.Contains(got, "Sadjepour") {
			t.Errorf("shard %d after the drop: answer %q", id, got)
		}
	}
	if line := waitLogLine(ctx, logs, "gateway disconnected"); !strings.Contains(line, "shard=1") {
		t.Errorf("disconnect logged as %q, want shard=1", line)
	}
}

// TestIdentifyBuckets starts four shards with max_concurrency 2: shards
// 0 and 1 identify together, and 2 and 3 one interval later.
func TestIdentifyBuckets(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t, discordfake.Options{Shards: 4, MaxConcurrency: 2})
	ctx := testContext(t)
	const interval = 400 * time.Millisecond
	runProcess(t, f, "p", Config{IdentifyInterval: interval})
	for id := range 4 {
		if err := f.WaitShardReady(ctx, id, 4); err != nil {
			t.Fatal(err)
		}
	}
	at := map[int]time.Time{}
	for _, id := range f.Identifies() {
		at[id.Shard[0]] = id.Time
	}
	first, second := at[0], at[2]
	if at[1].After(first) {
		first = at[1]
	}
	if at[3].Before(second) {
		second = at[3]
	}
	if gap := second.Sub(first); gap < interval-50*time.Millisecond {
		t.Errorf("bucket 2 identified %s after bucket 1, want at least %s", gap, interval)
	}
	if d := at[1].Sub(at[0]).Abs(); d > interval*3/4 {
		t.Errorf("shards 0 and 1 identified %s apart, want together", d)
	}
}

// TestAutoShardsWithoutGatewayBot: when GET /gateway/bot fails, the
// default (auto) runs one shard, as the bot did before shards.
func TestAutoShardsWithoutGatewayBot(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t, discordfake.Options{})
	f.FailNext("GET", "/gateway/bot", 1, 404)
	logs := runProcess(t, f, "p", Config{})
	ctx := testContext(t)
	if err := f.WaitShardReady(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	if got := askIn(t, ctx, f, discordfake.DefaultGuildID, 1); !strings.Contains(got, "Sadjepour") {
		t.Errorf("answer %q", got)
	}
	if line := waitLogLine(ctx, logs, "running one shard"); line == "" {
		t.Error("no warning that the shard count fell back to one")
	}
}

// TestShardHandlersShareState: every shard's handler is a copy, but the
// state issue 10 added (conversations, the answers they remember, the
// queue, the notice gate, the reindex coalescer, the bot's id) is one,
// shared by pointer, not copied per shard.
func TestShardHandlersShareState(t *testing.T) {
	eng, ix := newEngine(t)
	h := newHandler(t.Context(), Config{}, eng, ix)
	defer h.hardStop()
	a, b := h.forShard(0), h.forShard(1)
	if a.lifecycle != b.lifecycle || a.queue != b.queue || a.notices != b.notices || a.limiter != b.limiter || a.convs != b.convs {
		t.Fatal("the shards' handlers do not share their state")
	}
	now := time.Now()
	a.answers.put("answer-1", answerRecord{key: "dm:1", question: "who?"}, now)
	if rec, ok := b.answers.get("answer-1", now); !ok || rec.key != "dm:1" {
		t.Errorf("shard 1 does not see the answer shard 0 remembered: %+v %v", rec, ok)
	}
	a.setBotID("42")
	if got := b.botID(); got != "42" {
		t.Errorf("shard 1's bot id = %q, want the one set through shard 0", got)
	}
}

// TestReindexCoalescedAcrossShards: a /reindex in a guild of shard 1
// while one from a guild of shard 0 runs, in the same process, waits for
// the next run instead of starting a second one beside it.
func TestReindexCoalescedAcrossShards(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t, discordfake.Options{Shards: 2, MaxConcurrency: 2})
	ctx := testContext(t)
	g := gatedFS{entered: make(chan struct{}, 1), release: make(chan struct{})}
	runProcess(t, f, "p", Config{Stories: g})
	for id := range 2 {
		if err := f.WaitShardReady(ctx, id, 2); err != nil {
			t.Fatal(err)
		}
	}
	perms := int64(discordgo.PermissionManageGuild)
	first := discordfake.SlashCommand(discordfake.CommandSpec{Name: "reindex", GuildID: discordfake.GuildOnShard(0, 2, 1), Permissions: perms})
	dispatch(t, f, "INTERACTION_CREATE", first)
	select {
	case <-g.entered:
	case <-ctx.Done():
		close(g.release)
		t.Fatal("the first reindex never started")
	}
	second := discordfake.SlashCommand(discordfake.CommandSpec{Name: "reindex", GuildID: discordfake.GuildOnShard(1, 2, 1), Permissions: perms})
	dispatch(t, f, "INTERACTION_CREATE", second)
	if c := decode[messageBody](t, originalEdits(t, ctx, f, second, 1)[0]).Content; !strings.Contains(c, "yours will run") {
		t.Errorf("a reindex on shard 1 while shard 0's runs was told %q", c)
	}
	close(g.release)
	for _, in := range []discordfake.Interaction{first, second} {
		if c := decode[messageBody](t, originalEdits(t, ctx, f, in, 2)[1]).Content; !strings.HasPrefix(c, "Reindexed 1 story") {
			t.Errorf("reindex result: %q", c)
		}
	}
}
