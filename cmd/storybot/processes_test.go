package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/internal/testlog"
	"github.com/storybot/storybot/retrieval/pgindex/pgtest"
)

// These tests run storybot as real processes: the binary, built once,
// against the loopback fake Discord (in the test process) and a
// PostgreSQL database of the test's own.

// storybotBinary builds cmd/storybot into the test's temporary folder.
func storybotBinary(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "storybot")
	if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// proc is one storybot process.
type proc struct {
	name string
	cmd  *exec.Cmd
	logs *testlog.Buffer
	done chan struct{}
}

// startProc runs `storybot serve` with env (on top of a minimal
// environment) until the test ends or it is killed.
func startProc(t *testing.T, bin, name string, env map[string]string) *proc {
	t.Helper()
	p := &proc{name: name, logs: &testlog.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Dir = t.TempDir() // no .env there
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("--- %s's log:\n%s", p.name, p.logs.String())
		}
	})
	return p
}

// kill9 ends the process with SIGKILL, as a crash would.
func (p *proc) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// waitLog waits for a log line matching re and returns it.
func (p *proc) waitLog(t *testing.T, re string, within time.Duration) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(within)
	for {
		for line := range strings.Lines(p.logs.String()) {
			if rx.MatchString(line) {
				return strings.TrimSpace(line)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s logged no line matching %q within %s:\n%s", p.name, re, within, p.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slash dispatches a command in guild and returns the text of its
// answer (the last edit of @original, or the message it was answered with).
func slash(t *testing.T, f *discordfake.Fake, name, guild string, opts ...discordfake.Option) string {
	t.Helper()
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: name, GuildID: guild, Options: opts, Permissions: 0x20})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cb, err := f.WaitFor(ctx, discordfake.Match("POST", "/interactions/"+in.ID+"/*/callback"))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
		} `json:"data"`
	}
	json.Unmarshal(cb.JSON(), &body)
	if body.Type != 5 { // answered at once
		return body.Data.Content
	}
	// Deferred: wait for the final edit ("Reindexing…" comes first).
	for {
		edits := f.Find(func(r discordfake.Request) bool {
			return r.Method == "PATCH" && strings.HasSuffix(r.Path, "/"+in.Token+"/messages/@original")
		})
		if len(edits) > 0 {
			var e struct {
				Content string `json:"content"`
			}
			json.Unmarshal(edits[len(edits)-1].JSON(), &e)
			if e.Content != "Reindexing…" {
				return e.Content
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("/%s in guild %s: no answer", name, guild)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func askOpt(q string) discordfake.Option { return discordfake.StringOption("question", q) }

func dbVersions(t *testing.T, db string) []int64 {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	rows, _ := conn.Query(t.Context(), `SELECT version FROM index_versions WHERE complete ORDER BY version`)
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func addStory(t *testing.T, dir, name string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".txt"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestProcessesShardsAndSharedIndex shows issue 13's demonstrations with
// two real storybot processes running shards 0 and 1 of 2 and sharing
// one index through PostgreSQL:
//
//  1. questions in guilds of both shards are answered; the commands are
//     registered once;
//  2. /reindex in one process: the other answers from the new version
//     within 2 s, and no question fails meanwhile;
//  3. kill -9 of one process: the other keeps serving its shard; the
//     restarted one catches up to the newest version;
//  4. /reindex in both processes at once makes one new version.
func TestProcessesShardsAndSharedIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs storybot processes")
	}
	db := pgtest.Database(t)
	f := discordfake.New(t, discordfake.Options{Shards: 2, Token: "proc-token"})
	stories := t.TempDir()
	for _, name := range []string{"forward-iran-outreach.txt", "forward-iran-outreach.json"} {
		raw, _ := os.ReadFile(filepath.Join("..", "..", "data", name))
		os.WriteFile(filepath.Join(stories, name), raw, 0o644)
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	bin := storybotBinary(t)
	start := func(shard int, name string) *proc {
		return startProc(t, bin, name, map[string]string{
			"DISCORD_TOKEN": "proc-token", "DISCORD_API_URL": f.APIURL(),
			"STORYBOT_SHARDS": "auto", "STORYBOT_SHARD_IDS": fmt.Sprint(shard),
			"STORYBOT_DATABASE_URL": db, "STORYBOT_INDEX_DIR": dirs[shard], "STORYBOT_DATA_DIR": stories,
			"STORYBOT_RATE": "1000", "LOG_LEVEL": "info",
		})
	}
	p := []*proc{start(0, "p0"), nil}
	p[0].waitLog(t, `msg="discord bot ready"`, 60*time.Second)
	p[1] = start(1, "p1")
	p[1].waitLog(t, `msg="discord bot ready"`, 60*time.Second)
	guild := func(shard, k int) string { return discordfake.GuildOnShard(shard, 2, k) }
	const whoSaid = "who said it wasn't an official overture?"

	// 1. Both shards answer; one registration.
	for shard := range 2 {
		got := slash(t, f, "ask", guild(shard, 1), askOpt(whoSaid))
		if !strings.Contains(got, "Sadjepour") {
			t.Errorf("shard %d: %q", shard, got)
		}
		line := p[shard].waitLog(t, `msg=answered.*guild=`+guild(shard, 1), 5*time.Second)
		t.Logf("1. shard %d answered in its guild: %s", shard, line)
	}
	if n := len(f.Find(discordfake.Match("PUT", "/applications/*/commands"))); n != 1 {
		t.Errorf("commands registered %d times, want once", n)
	}
	t.Logf("1. commands registered %d time(s), by: %s", len(f.Find(discordfake.Match("PUT", "/applications/*/commands"))),
		p[0].waitLog(t, `msg="commands registered"`, time.Second))

	// 2. /reindex in p0 while p1 keeps answering.
	addStory(t, stories, "lumora-layoffs")
	stop := make(chan struct{})
	var asked, failed int
	var wg sync.WaitGroup
	wg.Go(func() {
		for k := 10; ; k++ {
			select {
			case <-stop:
				return
			default:
			}
			got := slash(t, f, "ask", guild(1, k), askOpt(whoSaid))
			asked++
			if !strings.Contains(got, "Sadjepour") {
				failed++
				t.Errorf("2. a question to p1 failed during the reindex: %q", got)
			}
		}
	})
	reindexed := slash(t, f, "reindex", guild(0, 2))
	doneAt := time.Now()
	t.Logf("2. /reindex in p0: %q", reindexed)
	var lumoraAt time.Time
	for time.Since(doneAt) < 5*time.Second {
		if got := slash(t, f, "ask", guild(1, 3), askOpt("how many jobs is Lumora cutting?")); strings.Contains(got, "1,800") {
			lumoraAt = time.Now()
			break
		}
	}
	close(stop)
	wg.Wait()
	if lumoraAt.IsZero() || lumoraAt.Sub(doneAt) > 2*time.Second {
		t.Errorf("2. p1 did not answer from the new version within 2 s (after %s)", lumoraAt.Sub(doneAt))
	}
	t.Logf("2. p1 answered from version 2 %s after p0's reindex reply; %d questions to p1 meanwhile, %d failed; p1: %s",
		lumoraAt.Sub(doneAt).Round(time.Millisecond), asked, failed, p[1].waitLog(t, `msg="loaded index version".*version=2`, time.Second))

	// 3. kill -9 p1; p0 keeps serving; version 3 is built while p1 is
	// down; the restarted p1 catches up.
	p[1].kill9(t)
	t.Logf("3. p1 killed with SIGKILL")
	if got := slash(t, f, "ask", guild(0, 4), askOpt(whoSaid)); !strings.Contains(got, "Sadjepour") {
		t.Errorf("3. p0 after p1's death: %q", got)
	}
	addStory(t, stories, "port-calder-dock-strike")
	t.Logf("3. /reindex in p0 while p1 is down: %q", slash(t, f, "reindex", guild(0, 5)))
	p[1] = start(1, "p1-restarted")
	p[1].waitLog(t, `msg="discord bot ready"`, 60*time.Second)
	t.Logf("3. restarted p1: %s", p[1].waitLog(t, `msg="loaded index version".*version=3`, time.Second))
	if n := len(f.Find(discordfake.Match("PUT", "/applications/*/commands"))); n != 1 {
		t.Errorf("3. commands registered %d times after p1's restart, want still once", n)
	}
	story := slash(t, f, "story", guild(1, 6))
	if !strings.Contains(story, "version 3") {
		t.Errorf("3. restarted p1's /story: %q", story)
	}
	t.Logf("3. restarted p1's /story ends: %q", story[strings.LastIndex(story, "Index built"):])

	// 4. /reindex in both at once.
	addStory(t, stories, "millbrook-lead-lines")
	before := dbVersions(t, db)
	var r0, r1 string
	wg.Go(func() { r0 = slash(t, f, "reindex", guild(0, 7)) })
	wg.Go(func() { r1 = slash(t, f, "reindex", guild(1, 7)) })
	wg.Wait()
	after := dbVersions(t, db)
	t.Logf("4. versions before %v, after %v\n   p0: %q\n   p1: %q", before, after, r0, r1)
	if len(after) == 0 || len(before) == 0 || after[len(after)-1] != before[len(before)-1]+1 {
		t.Errorf("4. two reindexes at once: versions %v → %v, want exactly one new", before, after)
	}
	for i, pr := range p {
		for line := range strings.Lines(pr.logs.String()) {
			if strings.Contains(line, "coalesced") || strings.Contains(line, "waiting for it") ||
				strings.Contains(line, "built index version") && strings.Contains(line, fmt.Sprintf("version=%d", after[len(after)-1])) {
				t.Logf("4. p%d: %s", i, strings.TrimSpace(line))
			}
		}
	}
}
