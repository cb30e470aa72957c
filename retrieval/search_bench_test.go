package retrieval_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	chromem "github.com/philippgille/chromem-go"

	"github.com/storybot/storybot/retrieval"
)

// syntheticPassages makes n passages of news-like text from the default
// story's vocabulary, with a fixed seed so every run searches the same data.
func syntheticPassages(tb testing.TB, n int) []retrieval.Passage {
	tb.Helper()
	var vocab []string
	for _, p := range defaultStory(tb).Paragraphs {
		vocab = append(vocab, strings.Fields(p)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	ps := make([]retrieval.Passage, n)
	for i := range ps {
		words := make([]string, 40+r.IntN(40))
		for j := range words {
			words[j] = vocab[r.IntN(len(vocab))]
		}
		ps[i] = retrieval.Passage{ID: fmt.Sprintf("synthetic#p%d", i+1), Story: "synthetic", Paragraph: i + 1, Text: strings.Join(words, " "), Hash: fmt.Sprint(i)}
	}
	return ps
}

// BenchmarkSearch compares storybot's hybrid search with a raw chromem-go
// QueryEmbedding over the same vectors. -short skips the large sizes.
func BenchmarkSearch(b *testing.B) {
	sizes := []int{1000, 10000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	ctx := context.Background()
	e := retrieval.NewLocalEmbedder()
	const q = "who said the Iranian offer was not an official overture to Israel"
	for _, n := range sizes {
		ps := syntheticPassages(b, n)
		ix, _ := retrieval.Open(retrieval.Options{Embedder: e})
		if _, err := ix.Update(ctx, ps); err != nil {
			b.Fatal(err)
		}
		texts := make([]string, n)
		for i, p := range ps {
			texts[i] = p.Text
		}
		vecs, _ := e.Embed(ctx, texts)
		db := chromem.NewDB()
		c, _ := db.CreateCollection("raw", nil, nil)
		docs := make([]chromem.Document, n)
		for i := range docs {
			docs[i] = chromem.Document{ID: ps[i].ID, Embedding: vecs[i], Content: texts[i]}
		}
		if err := c.AddDocuments(ctx, docs, 2); err != nil {
			b.Fatal(err)
		}
		qv, _ := e.Embed(ctx, []string{q})

		b.Run(fmt.Sprintf("hybrid/n=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := ix.Search(ctx, q, 5); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("raw-chromem/n=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := c.QueryEmbedding(ctx, qv[0], 40, nil, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
