package retrieval

import (
	"container/heap"
	"math"
	"sync"

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
	n        int
	scratch  sync.Pool // *lexicalScratch, reused across searches
}

// lexicalScratch is one search's working memory: a score per document, all
// zero between searches, and the documents touched. Reusing it keeps a
// search over a large index from allocating in proportion to the index.
type lexicalScratch struct {
	acc     []float32
	touched []int32
}

// posting is one passage containing a term, with the term's BM25 weight in
// it, computed at build time: everything but the term's IDF.
type posting struct {
	doc    int32
	weight float32
}

// terms is the lexical view of a text: words, minus stop words, stemmed.
func terms(text string) []string {
	return stemmer(nil).terms(text)
}

// stemmer stems words, remembering each word's stem when it has a cache:
// indexing a corpus meets the same words again and again, and Snowball is
// the dearest step of it.
type stemmer map[string]string

func (st stemmer) terms(text string) []string {
	words := Words(text)
	out := words[:0]
	for _, w := range words {
		stem, ok := st[w]
		if !ok {
			if english.IsStopWord(w) {
				stem = ""
			} else {
				stem = english.Stem(w, false)
			}
			if st != nil {
				st[w] = stem
			}
		}
		if stem != "" {
			out = append(out, stem)
		}
	}
	return out
}

func newLexicalIndex(texts []string) *lexicalIndex {
	ix := &lexicalIndex{postings: map[string][]posting{}, n: len(texts)}
	docTerms := make([][]string, len(texts))
	st := stemmer{}
	var total float64
	for d, text := range texts {
		docTerms[d] = st.terms(text)
		total += float64(len(docTerms[d]))
	}
	avgLen := 1.0
	if len(texts) > 0 && total > 0 {
		avgLen = total / float64(len(texts))
	}
	tf := map[string]float64{}
	for d, ts := range docTerms {
		clear(tf)
		for _, t := range ts {
			tf[t]++
		}
		norm := bm25K1 * (1 - bm25B + bm25B*float64(len(ts))/avgLen)
		for t, n := range tf {
			w := n * (bm25K1 + 1) / (n + norm)
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(d), weight: float32(w)})
		}
	}
	return ix
}

// scored is a document index with its score.
type scored struct {
	doc   int
	score float64
}

// search returns up to n documents with a positive BM25 score for query,
// best first (ties by document order). Scores accumulate in a dense array
// reused across searches, and only the best n are kept, in a heap: no map
// and no full sort, however many passages share the question's words.
func (ix *lexicalIndex) search(query string, n int) []scored {
	n = min(n, ix.n)
	if n <= 0 {
		return nil
	}
	sc, _ := ix.scratch.Get().(*lexicalScratch)
	if sc == nil {
		sc = &lexicalScratch{acc: make([]float32, ix.n)}
	}
	acc, touched := sc.acc, sc.touched[:0]
	N := float64(ix.n)
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
		idf := float32(math.Log(1 + (N-df+0.5)/(df+0.5)))
		for _, p := range ps {
			if acc[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			acc[p.doc] += idf * p.weight
		}
	}
	top := make(topScored, 0, n+1)
	for _, d := range touched {
		s := scored{doc: int(d), score: float64(acc[d])}
		acc[d] = 0
		if len(top) < n {
			heap.Push(&top, s)
		} else if top.less(top[0], s) {
			top[0] = s
			heap.Fix(&top, 0)
		}
	}
	sc.touched = touched
	ix.scratch.Put(sc)
	out := make([]scored, len(top))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&top).(scored)
	}
	return out
}

// topScored is a min-heap of results: its root is the worst one kept.
type topScored []scored

// less orders a below b when a is the worse result: a lower score, or an
// equal score from a later document.
func (h topScored) less(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}

func (h topScored) Len() int           { return len(h) }
func (h topScored) Less(i, j int) bool { return h.less(h[i], h[j]) }
func (h topScored) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topScored) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *topScored) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
