package retrieval_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// BenchmarkIndex measures indexing n synthetic passages from scratch with
// the local embedder:
//
//   - local: into a fresh in-memory index (Options.Dir "");
//   - local-persist: into a fresh index saved to a temporary folder, as the
//     bot does;
//   - local-embed-only: the local embedder alone over the same texts, to
//     show how much of "local" is embedding;
//   - local-reopen: a restart with an unchanged corpus, Open of the saved
//     index then Update with the same passages (nothing is embedded).
//
// Each reports passages/s. -short skips n=10000.
func BenchmarkIndex(b *testing.B) {
	sizes := []int{1000, 10000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	ctx := context.Background()
	e := retrieval.NewLocalEmbedder()
	for _, n := range sizes {
		ps := syntheticPassages(b, n)
		texts := make([]string, n)
		for i, p := range ps {
			texts[i] = p.Text
		}

		b.Run(fmt.Sprintf("local/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				ix, err := retrieval.Open(retrieval.Options{Embedder: e})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ix.Update(ctx, ps); err != nil {
					b.Fatal(err)
				}
			}
			reportPassagesPerSecond(b, n)
		})

		b.Run(fmt.Sprintf("local-persist/n=%d", n), func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "index")
			for b.Loop() {
				b.StopTimer()
				if err := os.RemoveAll(dir); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
				if err != nil {
					b.Fatal(err)
				}
				if len(ix.Passages()) != 0 {
					b.Fatal("the index folder was not emptied")
				}
				if _, err := ix.Update(ctx, ps); err != nil {
					b.Fatal(err)
				}
			}
			reportPassagesPerSecond(b, n)
			b.ReportMetric(float64(indexFileSize(b, dir)), "file-bytes")
		})

		b.Run(fmt.Sprintf("local-embed-only/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Embed(ctx, texts); err != nil {
					b.Fatal(err)
				}
			}
			reportPassagesPerSecond(b, n)
		})

		b.Run(fmt.Sprintf("local-reopen/n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			first, _ := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
			if _, err := first.Update(ctx, ps); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
				if err != nil {
					b.Fatal(err)
				}
				st, err := ix.Update(ctx, ps)
				if err != nil {
					b.Fatal(err)
				}
				if st.Embedded != 0 || st.Reused != n {
					b.Fatalf("restart with an unchanged corpus: %+v", st)
				}
			}
			reportPassagesPerSecond(b, n)
		})
	}
}

// BenchmarkIndexOpenAI indexes 1000 synthetic passages with the OpenAI
// embedder against the fake server (in this process, 8-dimensional
// vectors), persisting to a temporary folder as the bot does, at the default
// batch size B = 96. It reports the embedding requests and inputs per
// operation:
//
//   - first: a fresh index, ceil(N/B) = 11 requests, N inputs;
//   - unchanged: an Update with the same passages, 0 requests;
//   - one-changed: an Update in which one paragraph changed (alternately
//     to and from its edited text), 1 request of 1 input.
//
// The times and allocations include the fake server's side of every
// request; they say little about a real server. TestOpenAIIndexRequestCounts
// asserts the counts.
func BenchmarkIndexOpenAI(b *testing.B) {
	const n = 1000
	batch := retrieval.DefaultOpenAIBatchSize
	ctx := context.Background()
	ps := syntheticPassages(b, n)
	changed := withOneChange(ps, n/2)

	// run times op b.N times and reports the fake's requests and inputs
	// per operation, checking them against want.
	run := func(b *testing.B, fake *fakeOpenAI, want fakeCounts, op func()) {
		before := countsOf(fake)
		for b.Loop() {
			op()
		}
		got := countsOf(fake).since(before)
		b.ReportMetric(float64(got.requests)/float64(b.N), "requests/op")
		b.ReportMetric(float64(got.inputs)/float64(b.N), "inputs/op")
		reportPassagesPerSecond(b, n)
		if got != (fakeCounts{want.requests * b.N, want.inputs * b.N}) {
			b.Errorf("%d operations: %d requests with %d inputs, want %d and %d per operation",
				b.N, got.requests, got.inputs, want.requests, want.inputs)
		}
	}
	update := func(b *testing.B, ix *retrieval.Index, ps []retrieval.Passage) {
		if _, err := ix.Update(ctx, ps); err != nil {
			b.Fatal(err)
		}
	}
	open := func(b *testing.B, dir string, fake *fakeOpenAI) *retrieval.Index {
		ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: openAIEmbedder(fake, 0)})
		if err != nil {
			b.Fatal(err)
		}
		return ix
	}

	b.Run(fmt.Sprintf("first/n=%d/B=%d", n, batch), func(b *testing.B) {
		fake := newFakeOpenAI(b, fakeOptions{Model: "fake-embed", MaxInputs: batch})
		dir := filepath.Join(b.TempDir(), "index")
		run(b, fake, fakeCounts{(n + batch - 1) / batch, n}, func() {
			b.StopTimer()
			if err := os.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			update(b, open(b, dir, fake), ps)
		})
	})

	b.Run(fmt.Sprintf("unchanged/n=%d/B=%d", n, batch), func(b *testing.B) {
		fake := newFakeOpenAI(b, fakeOptions{Model: "fake-embed", MaxInputs: batch})
		ix := open(b, b.TempDir(), fake)
		update(b, ix, ps)
		run(b, fake, fakeCounts{}, func() { update(b, ix, ps) })
	})

	b.Run(fmt.Sprintf("one-changed/n=%d/B=%d", n, batch), func(b *testing.B) {
		fake := newFakeOpenAI(b, fakeOptions{Model: "fake-embed", MaxInputs: batch})
		ix := open(b, b.TempDir(), fake)
		update(b, ix, ps)
		next := changed
		run(b, fake, fakeCounts{1, 1}, func() {
			update(b, ix, next)
			if &next[0] == &changed[0] {
				next = ps
			} else {
				next = changed
			}
		})
	})
}

// reportPassagesPerSecond reports how many passages an operation of n
// passages got through per second.
func reportPassagesPerSecond(b *testing.B, n int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/s, "passages/s")
	}
}

// indexFileSize is the size of the index file in dir.
func indexFileSize(b *testing.B, dir string) int64 {
	fi, err := os.Stat(filepath.Join(dir, "storybot-index.gob"))
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}
