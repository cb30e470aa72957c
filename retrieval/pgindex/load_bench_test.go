package pgindex

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/pgindex/pgtest"
	"github.com/storybot/storybot/retrieval/wordvec"
)

var benchLarge = flag.Bool("large", false, "also benchmark 100k passages")

// syntheticStories is n paragraphs of 40–80 words, 20 to a story, drawn
// as retrieval's search benchmarks draw theirs: four words in five from a
// Zipf distribution over the 30,000 most frequent words of the embedded
// GloVe table, one in five from the default story, with a fixed seed.
func syntheticStories(tb testing.TB, n int) fstest.MapFS {
	tb.Helper()
	raw, err := data.FS.ReadFile("forward-iran-outreach.txt")
	if err != nil {
		tb.Fatal(err)
	}
	story := strings.Fields(string(raw))
	t := wordvec.Default()
	common := make([]string, t.Len())
	for i := range t.Len() {
		common[i] = t.Word(i)
	}
	slices.SortFunc(common, func(a, b string) int {
		ia, _ := t.Lookup(a)
		ib, _ := t.Lookup(b)
		return t.Rank(ia) - t.Rank(ib)
	})
	common = common[:30000]
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.07, 2, uint64(len(common)-1))
	fsys := fstest.MapFS{}
	for s := 0; s*20 < n; s++ {
		var b strings.Builder
		fmt.Fprintf(&b, "Synthetic story %d\n", s)
		for p := 0; p < 20 && s*20+p < n; p++ {
			words := make([]string, 40+r.IntN(40))
			for j := range words {
				if r.IntN(5) == 0 {
					words[j] = story[r.IntN(len(story))]
				} else {
					words[j] = common[zipf.Uint64()]
				}
			}
			b.WriteString(strings.Join(words, " ") + ".\n")
		}
		fsys[fmt.Sprintf("s%05d.txt", s)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// BenchmarkLoad measures what a process does when a version is
// announced: read it from PostgreSQL (read-ms) and install it into a
// fresh in-memory index, saving the local copy (install-ms); the heap the
// installed index holds per passage (heap-B/passage) and the local copy's
// size per passage (file-B/passage). The version is built once (build-s:
// ingest, embed with the local embedder, write). -short keeps 1k; -large
// adds 100k.
func BenchmarkLoad(b *testing.B) {
	sizes := []int{1000, 10000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	if *benchLarge {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			db := pgtest.Database(b)
			ctx := context.Background()
			e := retrieval.NewLocalEmbedder()
			builder := benchShared(b, db, e, "")
			start := time.Now()
			res, err := builder.Build(ctx, syntheticStories(b, n))
			if err != nil {
				b.Fatal(err)
			}
			built := time.Since(start)
			defer builder.Close()
			n := res.Passages // a few paragraphs merge or split on ingest

			var read, install time.Duration
			var heap, file int64
			for b.Loop() {
				b.StopTimer()
				dir := b.TempDir()
				runtime.GC()
				var m0 runtime.MemStats
				runtime.ReadMemStats(&m0)
				ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
				if err != nil {
					b.Fatal(err)
				}
				// A bare replica on the builder's pool: Open would load
				// the version itself.
				s := &Shared{opts: Options{Embedder: e, LocalDir: dir}, ix: ix, log: builder.log, pool: builder.pool}
				b.StartTimer()
				t0 := time.Now()
				ps, vecs, id, created, err := s.read(ctx, res.Version)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				s.loadMu.Lock()
				err = s.installLocked(ctx, res.Version, ps, vecs, id, created)
				s.loadMu.Unlock()
				if err != nil {
					b.Fatal(err)
				}
				read, install = read+t1.Sub(t0), install+time.Since(t1)
				b.StopTimer()
				ps, vecs = nil, nil
				runtime.GC()
				var m1 runtime.MemStats
				runtime.ReadMemStats(&m1)
				heap = int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
				runtime.KeepAlive(s)
				if fi, err := os.Stat(filepath.Join(dir, "storybot-index.gob")); err == nil {
					file = fi.Size()
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(read.Milliseconds())/float64(b.N), "read-ms")
			b.ReportMetric(float64(install.Milliseconds())/float64(b.N), "install-ms")
			b.ReportMetric(float64(heap)/float64(n), "heap-B/passage")
			b.ReportMetric(float64(file)/float64(n), "file-B/passage")
			b.ReportMetric(built.Seconds(), "build-s")
			b.ReportMetric(float64(n), "passages")
		})
	}
}

// benchShared opens a Shared on db with a fresh index that keeps its
// local copy in dir, without following new versions.
func benchShared(tb testing.TB, db string, e retrieval.Embedder, dir string) *Shared {
	tb.Helper()
	ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := Open(context.Background(), Options{URL: db, Index: ix, Embedder: e, LocalDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
