package retrieval

import (
	"math"
	"sync"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval/wordvec"
)

// Soft term matching scores a passage by how well each word of the question
// is matched by some word of the passage: exactly (same stem) or by a near
// synonym in word-vector space ("yearly" by "annually", "trouble" by
// "criticized"). Question words are weighted by their rarity in the corpus.
// Unlike an averaged passage vector it does not dilute one matching word in
// a long paragraph, and unlike BM25 it bridges paraphrase; it costs a few
// thousand small dot products per passage, so it reranks candidates only.

// softFloor is the word-vector cosine below which two words count as
// unrelated: GloVe gives most unrelated pairs 0.1–0.35.
const softFloor = 0.35

// softWord is one distinct content word of a text.
type softWord struct {
	stem string
	vec  []float32 // unit length; nil when the table lacks the word
}

// softIndex holds, per passage, its distinct content words and their
// vectors, computed once per snapshot.
type softIndex struct {
	docs [][]softWord
	df   map[string]int // passages containing each stem
	n    int
}

var (
	softTableOnce sync.Once
	softTable     *wordvec.Table
)

func wordTable() *wordvec.Table {
	softTableOnce.Do(func() { softTable = wordvec.Default() })
	return softTable
}

func newSoftIndex(texts []string) *softIndex {
	ix := &softIndex{docs: make([][]softWord, len(texts)), df: map[string]int{}, n: len(texts)}
	cache := map[string]softWord{}
	for d, text := range texts {
		seen := map[string]bool{}
		for _, w := range Words(text) {
			if english.IsStopWord(w) || seen[w] {
				continue
			}
			seen[w] = true
			sw, ok := cache[w]
			if !ok {
				sw = makeSoftWord(w)
				cache[w] = sw
			}
			ix.docs[d] = append(ix.docs[d], sw)
		}
		stems := map[string]bool{}
		for _, sw := range ix.docs[d] {
			if !stems[sw.stem] {
				stems[sw.stem] = true
				ix.df[sw.stem]++
			}
		}
	}
	return ix
}

func makeSoftWord(w string) softWord {
	sw := softWord{stem: english.Stem(w, false)}
	t := wordTable()
	i, ok := t.Lookup(w)
	if !ok {
		return sw
	}
	v := t.AppendVector(make([]float32, 0, t.Dims()), i)
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if norm == 0 {
		return sw
	}
	inv := float32(1 / math.Sqrt(norm))
	for j := range v {
		v[j] *= inv
	}
	sw.vec = v
	return sw
}

// query prepares a question: its distinct content words with IDF weights.
func (ix *softIndex) query(q string) ([]softWord, []float64) {
	var words []softWord
	var weights []float64
	seen := map[string]bool{}
	for _, w := range Words(q) {
		if english.IsStopWord(w) || seen[w] {
			continue
		}
		seen[w] = true
		sw := makeSoftWord(w)
		df := float64(ix.df[sw.stem])
		words = append(words, sw)
		weights = append(weights, math.Log(1+(float64(ix.n)-df+0.5)/(df+0.5)))
	}
	return words, weights
}

// score is the weighted share of the question's words that passage d
// matches, in [0, 1].
func (ix *softIndex) score(d int, words []softWord, weights []float64) float64 {
	var sum, total float64
	for i, qw := range words {
		total += weights[i]
		best := 0.0
		for _, pw := range ix.docs[d] {
			if pw.stem == qw.stem {
				best = 1
				break
			}
			if qw.vec == nil || pw.vec == nil {
				continue
			}
			if c := float64(dot(qw.vec, pw.vec)); c > best {
				best = c
			}
		}
		if best < 1 {
			best = max(0, (best-softFloor)/(1-softFloor))
		}
		sum += weights[i] * best
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
