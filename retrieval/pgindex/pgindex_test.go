package pgindex_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/internal/testlog"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/pgindex"
	"github.com/storybot/storybot/retrieval/pgindex/pgtest"
)

const whoSaid = "who said it wasn't an official overture?"

// countingEmbedder is the local embedder, counting the texts it embeds
// and optionally slow, to hold a build open.
type countingEmbedder struct {
	retrieval.Embedder
	texts atomic.Int64
	delay time.Duration
}

func (e *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.texts.Add(int64(len(texts)))
	if e.delay > 0 {
		select {
		case <-time.After(e.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return e.Embedder.Embed(ctx, texts)
}

// process is one storybot process's share of the index: its own
// in-memory index, local copy folder and engine. (Tests run processes as
// goroutines; cmd/storybot's tests run real ones.)
type process struct {
	sh   *pgindex.Shared
	ix   *retrieval.Index
	eng  *bot.Engine
	emb  *countingEmbedder
	logs *testlog.Buffer
}

func startProcess(t *testing.T, name, dbURL, stories, dir string, delay time.Duration) *process {
	t.Helper()
	p := &process{emb: &countingEmbedder{Embedder: localEmbedder, delay: delay}, logs: &testlog.Buffer{}}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(p.logs, t.Output()), nil)).With("process", name)
	var err error
	if p.ix, err = retrieval.Open(retrieval.Options{Dir: dir, Embedder: p.emb, Logger: log}); err != nil {
		t.Fatal(err)
	}
	p.sh, err = pgindex.Open(t.Context(), pgindex.Options{
		URL: dbURL, Index: p.ix, Embedder: p.emb, LocalDir: dir, Stories: os.DirFS(stories), Log: log,
		RetryInterval: 100 * time.Millisecond, ConnectTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.sh.Close)
	p.eng = &bot.Engine{Index: p.ix}
	return p
}

var localEmbedder = retrieval.NewLocalEmbedder()

// storyDir returns a folder holding the default story.
func storyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, "../../data/forward-iran-outreach.txt", dir)
	copyFile(t, "../../data/forward-iran-outreach.json", dir)
	return dir
}

func copyFile(t *testing.T, src, dir string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

const lumora = "../../cmd/storybot/testdata/corpus/lumora-layoffs.txt"

func hasStory(ps []retrieval.Passage, slug string) bool {
	for _, p := range ps {
		if p.Story == slug {
			return true
		}
	}
	return false
}

func versions(t *testing.T, dbURL string) []int64 {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
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

// completedAt is when version v was marked complete, just before its
// transaction committed.
func completedAt(t *testing.T, dbURL string, v int64) time.Time {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var at time.Time
	if err := conn.QueryRow(t.Context(), `SELECT completed_at FROM index_versions WHERE version = $1`, v).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func TestFirstStartBuildsAndSecondLoads(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	if a.sh.Version() != 1 || len(a.ix.Passages()) == 0 {
		t.Fatalf("a: version %d with %d passages, want version 1 built", a.sh.Version(), len(a.ix.Passages()))
	}
	b := startProcess(t, "b", db, stories, t.TempDir(), 0)
	if b.sh.Version() != 1 || len(b.ix.Passages()) != len(a.ix.Passages()) {
		t.Fatalf("b: version %d with %d passages, want version 1 with %d", b.sh.Version(), len(b.ix.Passages()), len(a.ix.Passages()))
	}
	if n := b.emb.texts.Load(); n != 0 {
		t.Errorf("b embedded %d texts; loading a version should embed none", n)
	}
	// The loaded version is the built one, metadata and all.
	for i, p := range a.ix.Passages() {
		q := b.ix.Passages()[i]
		if p.ID != q.ID || p.Hash != q.Hash || p.Title != q.Title || len(p.Quotes) != len(q.Quotes) {
			t.Fatalf("passage %d: built %+v, loaded %+v", i, p, q)
		}
	}
	ans, err := b.eng.Ask(t.Context(), whoSaid)
	if err != nil || !strings.Contains(ans.Answer, "Sadjepour") {
		t.Errorf("b answers %q, %v", ans.Answer, err)
	}
	if got := b.sh.Status(); got != "Shared index: version 1 (PostgreSQL)." {
		t.Errorf("Status = %q", got)
	}
	if got := versions(t, db); len(got) != 1 {
		t.Errorf("versions %v, want one", got)
	}
}

// TestReindexReachesTheOther is issue 13's second demonstration: a
// reindex in one process; the other answers from the new version within
// 2 s, and no question fails meanwhile.
func TestReindexReachesTheOther(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	b := startProcess(t, "b", db, stories, t.TempDir(), 0)
	waitFor(t, "b listening", 5*time.Second, b.sh.Online)

	// Questions to b, all the while.
	stop := make(chan struct{})
	var asked, failed atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			ans, err := b.eng.Ask(context.Background(), whoSaid)
			asked.Add(1)
			if err != nil || !strings.Contains(ans.Answer, "Sadjepour") {
				failed.Add(1)
				t.Errorf("question failed during the reindex: %q, %v", ans.Answer, err)
			}
		}
	})

	// When b starts serving version 2, to the millisecond.
	served := make(chan time.Time, 1)
	go func() {
		for b.sh.Version() < 2 {
			time.Sleep(time.Millisecond)
		}
		served <- time.Now()
	}()
	copyFile(t, lumora, stories)
	res, err := a.sh.Build(t.Context(), os.DirFS(stories))
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || res.Added == 0 || res.Coalesced || res.Unchanged {
		t.Fatalf("build = %+v, want version 2 with passages added", res)
	}
	var at time.Time
	select {
	case at = <-served:
	case <-time.After(2 * time.Second):
		t.Fatal("b does not serve version 2 within 2 s of a's build")
	}
	took := at.Sub(completedAt(t, db, 2))
	t.Logf("b serves version 2 %s after a's build committed it", took.Round(time.Millisecond))
	if took > 2*time.Second {
		t.Errorf("b took %s to serve the new version, want at most 2 s", took)
	}
	if !hasStory(b.ix.Passages(), "lumora-layoffs") {
		t.Error("b's version 2 lacks the new story")
	}
	ans, err := b.eng.Ask(t.Context(), "how many jobs is Lumora cutting?")
	if err != nil || !strings.Contains(ans.Answer, "1,800") {
		t.Errorf("b on the new story: %q, %v", ans.Answer, err)
	}
	close(stop)
	wg.Wait()
	t.Logf("%d questions asked of b during the reindex, %d failed", asked.Load(), failed.Load())
	if asked.Load() == 0 {
		t.Error("no question was asked during the reindex")
	}
}

func TestIncrementalReusesVectors(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	first := a.emb.texts.Load()
	if first != int64(len(a.ix.Passages())) {
		t.Errorf("the first build embedded %d texts for %d passages", first, len(a.ix.Passages()))
	}

	// Nothing changed: no new version.
	res, err := a.sh.Build(t.Context(), os.DirFS(stories))
	if err != nil || !res.Unchanged || res.Version != 1 || res.Embedded != 0 {
		t.Errorf("unchanged rebuild = %+v, %v; want version 1 unchanged", res, err)
	}

	// One paragraph edited: one text embedded, the rest reused.
	path := filepath.Join(stories, "forward-iran-outreach.txt")
	raw, _ := os.ReadFile(path)
	edited := strings.Replace(string(raw), "Sadjepour", "Sadjadpour", 1)
	if edited == string(raw) {
		t.Fatal("the edit changed nothing")
	}
	os.WriteFile(path, []byte(edited), 0o644)
	res, err = a.sh.Build(t.Context(), os.DirFS(stories))
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || res.Changed != 1 || res.Embedded != 1 || res.Reused != res.Passages-1 {
		t.Errorf("edited rebuild = %+v; want version 2, 1 changed, 1 embedded, the rest reused", res)
	}
	// Another process loads version 2 without embedding anything.
	b := startProcess(t, "b", db, stories, t.TempDir(), 0)
	if b.sh.Version() != 2 || b.emb.texts.Load() != 0 {
		t.Errorf("b: version %d, embedded %d; want 2, 0", b.sh.Version(), b.emb.texts.Load())
	}
}

// TestConcurrentReindexOneVersion is issue 13's fourth demonstration: two
// reindexes at once in different processes produce one new version.
func TestConcurrentReindexOneVersion(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	// a's embedder is slow, so that b asks while a's build holds the lock.
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	b := startProcess(t, "b", db, stories, t.TempDir(), 0)
	a.emb.delay = 800 * time.Millisecond
	copyFile(t, lumora, stories)

	var ra, rb pgindex.BuildResult
	var ea, eb error
	var wg sync.WaitGroup
	wg.Go(func() { ra, ea = a.sh.Build(context.Background(), os.DirFS(stories)) })
	time.Sleep(200 * time.Millisecond) // a takes the lock first
	wg.Go(func() { rb, eb = b.sh.Build(context.Background(), os.DirFS(stories)) })
	wg.Wait()
	if ea != nil || eb != nil {
		t.Fatalf("builds: %v, %v", ea, eb)
	}
	t.Logf("a: version %d coalesced=%v embedded=%d; b: version %d coalesced=%v embedded=%d",
		ra.Version, ra.Coalesced, ra.Embedded, rb.Version, rb.Coalesced, rb.Embedded)
	// Normally a builds and b coalesces; on a loaded machine b may get
	// the lock first. Either way: one version, one build, one coalesced.
	if ra.Version != 2 || rb.Version != 2 || ra.Coalesced == rb.Coalesced {
		t.Errorf("a got %d (coalesced %v), b got %d (coalesced %v); want both 2, one coalesced", ra.Version, ra.Coalesced, rb.Version, rb.Coalesced)
	}
	if got := versions(t, db); len(got) != 2 {
		t.Errorf("complete versions %v, want [1 2]", got)
	}
	for _, res := range []pgindex.BuildResult{ra, rb} {
		if res.Coalesced && res.Embedded != 0 {
			t.Errorf("a coalesced reindex embedded %d texts, want none", res.Embedded)
		}
	}
	if !hasStory(b.ix.Passages(), "lumora-layoffs") {
		t.Error("b does not serve the new version")
	}
}

// TestUnreachableServesLocalCopy: with PostgreSQL gone the process
// serves the copy it loaded last, and says so.
func TestUnreachableServesLocalCopy(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	dir := t.TempDir()
	a := startProcess(t, "a", db, stories, dir, 0)
	want := len(a.ix.Passages())
	a.sh.Close()

	// A server that is not there: a socket folder with no server in it.
	bad := "postgres://storybot@/postgres?host=" + t.TempDir()
	b := startProcess(t, "b", bad, stories, dir, 0)
	if got := len(b.ix.Passages()); got != want || b.sh.Version() != 1 {
		t.Errorf("b serves %d passages of version %d, want the local copy's %d of version 1", got, b.sh.Version(), want)
	}
	if got := b.sh.Status(); !strings.Contains(got, "unreachable") || !strings.Contains(got, "version 1") {
		t.Errorf("Status = %q, want it to say PostgreSQL is unreachable and name version 1", got)
	}
	if !strings.Contains(b.logs.String(), "PostgreSQL is unreachable") {
		t.Error("the log does not say PostgreSQL is unreachable")
	}
	ans, err := b.eng.Ask(t.Context(), whoSaid)
	if err != nil || !strings.Contains(ans.Answer, "Sadjepour") {
		t.Errorf("b answers %q, %v", ans.Answer, err)
	}

	// No local copy either: built locally from the stories.
	c := startProcess(t, "c", bad, stories, t.TempDir(), 0)
	if len(c.ix.Passages()) != want || !strings.Contains(c.sh.Status(), "built locally") {
		t.Errorf("c: %d passages, status %q", len(c.ix.Passages()), c.sh.Status())
	}
}

// TestRestartCatchesUp: a process that was down while versions were
// built loads the newest when it starts again, from its local copy's
// version onwards.
func TestRestartCatchesUp(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	bdir := t.TempDir()
	b := startProcess(t, "b", db, stories, bdir, 0)
	b.sh.Close() // b is down

	copyFile(t, lumora, stories)
	if res, err := a.sh.Build(t.Context(), os.DirFS(stories)); err != nil || res.Version != 2 {
		t.Fatalf("build: %+v, %v", res, err)
	}
	b = startProcess(t, "b2", db, stories, bdir, 0)
	if b.sh.Version() != 2 || !hasStory(b.ix.Passages(), "lumora-layoffs") {
		t.Errorf("restarted b serves version %d, want 2", b.sh.Version())
	}
}

func TestMigrationsOnce(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { startProcess(t, "p", db, stories, t.TempDir(), 0) })
	}
	wg.Wait()
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM storybot_migrations`).Scan(&n); err != nil || n != 3 {
		t.Errorf("migrations applied: %d, %v; want 3", n, err)
	}
	if got := versions(t, db); len(got) != 1 {
		t.Errorf("three processes starting at once on an empty database made versions %v, want one", got)
	}
	var speakers int
	if err := conn.QueryRow(t.Context(), `SELECT count(DISTINCT speaker) FROM quotes WHERE speaker <> ''`).Scan(&speakers); err != nil || speakers == 0 {
		t.Errorf("speakers in the quotes view: %d, %v", speakers, err)
	}
}

// TestListenerReconnects: when the database drops the process's
// connections, it reconnects, and a version built meanwhile is loaded.
func TestListenerReconnects(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	b := startProcess(t, "b", db, stories, t.TempDir(), 0)
	waitFor(t, "b listening", 5*time.Second, b.sh.Online)

	// Cut every connection but the test's own, as a server restart would,
	// once both processes' listeners are up.
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	waitFor(t, "both listeners connected", 5*time.Second, func() bool {
		var n int
		err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN%'`).Scan(&n)
		return err == nil && n == 2
	})
	if _, err := conn.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	copyFile(t, lumora, stories)
	if res, err := a.sh.Build(t.Context(), os.DirFS(stories)); err != nil || res.Version != 2 {
		t.Fatalf("build after the cut: %+v, %v", res, err)
	}
	waitFor(t, "b serving version 2 after reconnecting", 5*time.Second, func() bool { return b.sh.Version() == 2 })
	if !strings.Contains(b.logs.String(), "lost PostgreSQL") {
		t.Error("b did not log losing PostgreSQL")
	}
}

// TestPruneKeepsNewest: builds keep the newest versions and drop the
// vectors only dropped versions used.
func TestPruneKeepsNewest(t *testing.T) {
	db := pgtest.Database(t)
	stories := storyDir(t)
	a := startProcess(t, "a", db, stories, t.TempDir(), 0)
	path := filepath.Join(stories, "extra.txt")
	for i := range 4 {
		os.WriteFile(path, []byte(fmt.Sprintf("Extra story %d\nA paragraph that changes with every version, number %d.\n", i, i)), 0o644)
		if _, err := a.sh.Build(t.Context(), os.DirFS(stories)); err != nil {
			t.Fatal(err)
		}
	}
	if got := fmt.Sprint(versions(t, db)); got != "[3 4 5]" {
		t.Errorf("versions %s, want [3 4 5]", got)
	}
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var orphans int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM vectors x
		WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.hash = x.hash)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d vectors no version uses (%v), want 0", orphans, err)
	}
}
