package retrieval

import (
	"math"
	"sort"

	"github.com/kljensen/snowball/english"
)

// BM25 parameters: the usual defaults, which suit paragraph-sized passages.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// lexicalIndex is an inverted index scored with BM25 over stemmed,
// stop-word-free terms. It is immutable once built, so searches share it
// without locks.
type lexicalIndex struct {
	postings map[string][]posting
	docLen   []float32
	avgLen   float32
}

type posting struct {
	doc int32
	tf  float32
}

// terms is the lexical view of a text: words, minus stop words, stemmed.
func terms(text string) []string {
	words := Words(text)
	out := words[:0]
	for _, w := range words {
		if english.IsStopWord(w) {
			continue
		}
		out = append(out, english.Stem(w, false))
	}
	return out
}

func newLexicalIndex(texts []string) *lexicalIndex {
	ix := &lexicalIndex{postings: map[string][]posting{}, docLen: make([]float32, len(texts))}
	var total float64
	tf := map[string]float32{}
	for d, text := range texts {
		clear(tf)
		ts := terms(text)
		for _, t := range ts {
			tf[t]++
		}
		for t, n := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(d), tf: n})
		}
		ix.docLen[d] = float32(len(ts))
		total += float64(len(ts))
	}
	if len(texts) > 0 {
		ix.avgLen = float32(total / float64(len(texts)))
	}
	if ix.avgLen == 0 {
		ix.avgLen = 1
	}
	return ix
}

// scored is a document index with its score.
type scored struct {
	doc   int
	score float64
}

// search returns up to n documents with a positive BM25 score for query,
// best first.
func (ix *lexicalIndex) search(query string, n int) []scored {
	n = min(n, len(ix.docLen))
	if n <= 0 {
		return nil
	}
	N := float64(len(ix.docLen))
	acc := map[int32]float64{}
	seen := map[string]bool{}
	for _, t := range terms(query) {
		if seen[t] {
			continue
		}
		seen[t] = true
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		df := float64(len(ps))
		idf := math.Log(1 + (N-df+0.5)/(df+0.5))
		for _, p := range ps {
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*float64(ix.docLen[p.doc])/float64(ix.avgLen))
			acc[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	out := make([]scored, 0, len(acc))
	for d, s := range acc {
		out = append(out, scored{doc: int(d), score: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].doc < out[j].doc
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
