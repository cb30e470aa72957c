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
	word string
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
	sw := softWord{word: w, stem: english.Stem(w, false)}
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

// chatStopWords are words people type in questions that say nothing about
// the topic: chat spellings of function words and conversational fillers.
var chatStopWords = map[string]bool{
	"whats": true, "wats": true, "wat": true, "thats": true, "whos": true, "hows": true, "whys": true,
	"doesnt": true, "dont": true, "didnt": true, "isnt": true, "wasnt": true, "arent": true, "werent": true,
	"cant": true, "wont": true, "im": true, "ive": true, "pls": true, "plz": true, "please": true, "thru": true,
	"u": true, "ur": true, "r": true, "ya": true, "gonna": true, "wanna": true, "gotta": true, "lol": true,
	"idk": true, "tho": true, "w": true, "like": true, "just": true, "really": true, "actually": true,
	"even": true, "thing": true, "stuff": true, "anyone": true, "someone": true, "hey": true, "hi": true,
	"ok": true, "okay": true, "yeah": true, "tell": true, "know": true, "me": true,
}

// query prepares a question: its distinct content words with IDF weights.
func (ix *softIndex) query(q string) ([]softWord, []float64) {
	var words []softWord
	var weights []float64
	seen := map[string]bool{}
	for _, w := range Words(q) {
		if english.IsStopWord(w) || chatStopWords[w] || seen[w] {
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
	return weightedShare(matchWords(words, ix.docs[d]), weights)
}

// matchWords returns, for each question word, how well doc matches it: 1
// for the same stem, else the best word-vector cosine (0 without vectors).
func matchWords(words, doc []softWord) []float64 {
	out := make([]float64, len(words))
	for i, qw := range words {
		for _, pw := range doc {
			if pw.stem == qw.stem {
				out[i] = 1
				break
			}
			if qw.vec != nil && pw.vec != nil {
				out[i] = max(out[i], float64(dot(qw.vec, pw.vec)))
			}
		}
	}
	return out
}

// weightedShare is the weighted share of question words matched, with
// cosines below softFloor counting as no match.
func weightedShare(matches, weights []float64) float64 {
	var sum, total float64
	for i, best := range matches {
		total += weights[i]
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

// Matcher measures how well texts match one question, word by word: the
// same soft term matching that reranks search results, exposed so that an
// answerer can pick sentences and tell a question the story covers from one
// it does not.
type Matcher struct {
	soft    *softIndex
	words   []softWord
	weights []float64
}

// Matcher prepares question for matching against the serving index's
// vocabulary statistics. It works on an empty index too (every word then
// weighs the same).
func (ix *Index) Matcher(question string) *Matcher {
	soft := &softIndex{df: map[string]int{}}
	if s := ix.cur.Load(); s != nil {
		soft = s.soft
	}
	words, weights := soft.query(question)
	return &Matcher{soft: soft, words: words, weights: weights}
}

// Terms returns the question's content words, in order.
func (m *Matcher) Terms() []string {
	out := make([]string, len(m.words))
	for i, w := range m.words {
		out[i] = w.stem
	}
	return out
}

// Match returns, for each of the question's content words, how well text
// matches it: 1 for the same word stem, else the best word-vector cosine
// with a word of text (0 when neither side has a vector).
func (m *Matcher) Match(text string) []float64 {
	return matchWords(m.words, newSoftIndex([]string{text}).docs[0])
}

// Weights returns each content word's weight: its rarity in the corpus.
func (m *Matcher) Weights() []float64 { return m.weights }

// Score is the weighted share of the question's words that text matches,
// in [0, 1], with the same floor for near-synonyms as search uses.
func (m *Matcher) Score(text string) float64 {
	return m.score(m.Match(text))
}

// ScoreMatches is Score over the per-word matches of Match, so a caller
// that combines several texts' matches need not match twice.
func (m *Matcher) ScoreMatches(matches []float64) float64 { return m.score(matches) }

func (m *Matcher) score(matches []float64) float64 { return weightedShare(matches, m.weights) }

// Words returns the question's content words as typed (lowercase).
func (m *Matcher) Words() []string {
	out := make([]string, len(m.words))
	for i, w := range m.words {
		out[i] = w.word
	}
	return out
}
