package retrieval_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	chromem "github.com/philippgille/chromem-go"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/wordvec"
)

// benchLarge adds the 100k-passage corpus to the search benchmarks. It is a
// flag, not the default, because building it (embedding 100k passages and
// loading them into two collections) takes about a minute on two cores.
var benchLarge = flag.Bool("large", false, "also benchmark 100k passages")

// benchSizes are the corpus sizes the benchmarks run: 1k always, 10k unless
// -short, 100k with -large.
func benchSizes() []int {
	sizes := []int{1000}
	if !testing.Short() {
		sizes = append(sizes, 10000)
	}
	if *benchLarge {
		sizes = append(sizes, 100000)
	}
	return sizes
}

// syntheticVocab is the word list synthetic passages draw from: the 30,000
// most frequent English words of the embedded GloVe table, in frequency
// order, so that a Zipf draw gives news-like word frequencies (many "the",
// few "overture"), followed by the default story's own words, so that
// questions about the story find postings.
func syntheticVocab(tb testing.TB) (common, story []string) {
	tb.Helper()
	vocabOnce.Do(func() { vocabCommon, vocabStory = buildVocab(defaultStory(tb)) })
	return vocabCommon, vocabStory
}

var (
	vocabOnce               sync.Once
	vocabCommon, vocabStory []string
)

func buildVocab(s retrieval.Story) (common, story []string) {
	t := wordvec.Default()
	type ranked struct {
		w    string
		rank int
	}
	var all []ranked
	for i := range t.Len() {
		all = append(all, ranked{t.Word(i), t.Rank(i)})
	}
	slices.SortFunc(all, func(a, b ranked) int { return a.rank - b.rank })
	for _, r := range all[:30000] {
		common = append(common, r.w)
	}
	for _, p := range s.Paragraphs {
		story = append(story, strings.Fields(p)...)
	}
	return common, story
}

// syntheticPassages makes n passages of 40–80 words, with a fixed seed so
// every run searches the same data: four words in five are drawn from a
// Zipf distribution over common English, one in five from the default story.
func syntheticPassages(tb testing.TB, n int) []retrieval.Passage {
	tb.Helper()
	common, story := syntheticVocab(tb)
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.07, 2, uint64(len(common)-1))
	ps := make([]retrieval.Passage, n)
	for i := range ps {
		words := make([]string, 40+r.IntN(40))
		for j := range words {
			if r.IntN(5) == 0 {
				words[j] = story[r.IntN(len(story))]
			} else {
				words[j] = common[zipf.Uint64()]
			}
		}
		ps[i] = retrieval.Passage{
			ID: fmt.Sprintf("synthetic#p%d", i+1), Story: "synthetic", Title: "Synthetic", Publication: "Bench",
			Paragraph: i + 1, Text: strings.Join(words, " "), Hash: fmt.Sprint(i),
		}
	}
	return ps
}

// benchCorpus is one synthetic corpus, embedded once per process and shared
// by the storybot index and the raw chromem-go collection.
type benchCorpus struct {
	passages []retrieval.Passage
	vectors  [][]float32
	index    *retrieval.Index
	raw      *chromem.Collection
}

var benchCorpora sync.Map // n → *benchCorpus

// vectorsEmbedder serves precomputed passage vectors and embeds anything
// else (the questions) with the local embedder, so that a corpus is
// embedded once however many benchmarks use it.
type vectorsEmbedder struct {
	local *retrieval.LocalEmbedder
	known map[string][]float32
}

func (e vectorsEmbedder) Identity() retrieval.EmbedderIdentity { return e.local.Identity() }

func (e vectorsEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if v, ok := e.known[t]; ok {
			out[i] = v
			continue
		}
		v, err := e.local.Embed(ctx, []string{t})
		if err != nil {
			return nil, err
		}
		out[i] = v[0]
	}
	return out, nil
}

func corpus(b *testing.B, n int) *benchCorpus {
	b.Helper()
	if c, ok := benchCorpora.Load(n); ok {
		return c.(*benchCorpus)
	}
	ctx := context.Background()
	ps := syntheticPassages(b, n)
	texts := make([]string, n)
	for i, p := range ps {
		texts[i] = p.Text
	}
	local := retrieval.NewLocalEmbedder()
	vecs, err := local.Embed(ctx, texts)
	if err != nil {
		b.Fatal(err)
	}
	known := make(map[string][]float32, n)
	for i, t := range texts {
		known[t] = vecs[i]
	}
	ix, err := retrieval.Open(retrieval.Options{Embedder: vectorsEmbedder{local, known}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ix.Update(ctx, ps); err != nil {
		b.Fatal(err)
	}
	db := chromem.NewDB()
	raw, err := db.CreateCollection("raw", nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	docs := make([]chromem.Document, n)
	for i := range docs {
		docs[i] = chromem.Document{ID: ps[i].ID, Embedding: vecs[i], Content: texts[i]}
	}
	if err := raw.AddDocuments(ctx, docs, 2); err != nil {
		b.Fatal(err)
	}
	c := &benchCorpus{passages: ps, vectors: vecs, index: ix, raw: raw}
	benchCorpora.Store(n, c)
	return c
}

// benchQuestions are typical questions, some sharing many words with the
// corpus and some few.
var benchQuestions = []string{
	"who said the Iranian offer was not an official overture to Israel",
	"what did the book say about the meeting in Athens",
	"why did the administration reject the proposal",
	"when were all channels of communication closed",
}

// BenchmarkSearch compares storybot's hybrid search with a raw chromem-go
// QueryEmbedding over the same vectors, asking chromem-go for as many
// results as hybrid search does for k=5 (20). Run with -large for 100k passages.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	local := retrieval.NewLocalEmbedder()
	qvs, err := local.Embed(ctx, benchQuestions)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes() {
		c := corpus(b, n)
		b.Run(fmt.Sprintf("hybrid/n=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := c.index.Search(ctx, benchQuestions[i%len(benchQuestions)], 5); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("raw-chromem/n=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := c.raw.QueryEmbedding(ctx, qvs[i%len(qvs)], 20, nil, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The floor under any exhaustive scan: reading every vector once
		// and taking a dot product, on one core, in a flat array.
		b.Run(fmt.Sprintf("flat-scan/n=%d", n), func(b *testing.B) {
			dims := len(c.vectors[0])
			flat := make([]float32, 0, n*dims)
			for _, v := range c.vectors {
				flat = append(flat, v...)
			}
			b.SetBytes(int64(4 * len(flat)))
			var sink float32
			for i := 0; b.Loop(); i++ {
				q := qvs[i%len(qvs)]
				for d := 0; d < len(flat); d += dims {
					sink = max(sink, dot(q, flat[d:d+dims]))
				}
			}
			_ = sink
		})
	}
}

// BenchmarkMemoryBandwidth measures how fast one core streams memory that
// is not in cache: it sums a 1 GiB array (four times this machine's 260 MiB L3) of
// 64-bit integers with four independent sums, so the loop waits on memory,
// not on arithmetic. The MB/s it reports is the estimate that the vector
// scans are compared with: bytes of vectors ÷ this rate.
func BenchmarkMemoryBandwidth(b *testing.B) {
	n := 128 << 20
	if testing.Short() {
		n = 32 << 20 // CI only checks that it runs
	}
	a := make([]uint64, n)
	for i := range a {
		a[i] = uint64(i)
	}
	b.SetBytes(int64(8 * len(a)))
	var sink uint64
	for b.Loop() {
		var s0, s1, s2, s3 uint64
		for i := 0; i+4 <= len(a); i += 4 {
			s0 += a[i]
			s1 += a[i+1]
			s2 += a[i+2]
			s3 += a[i+3]
		}
		sink += s0 + s1 + s2 + s3
	}
	_ = sink
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
