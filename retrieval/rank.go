package retrieval

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// Hybrid ranking. Each candidate passage (the union of the vector and the
// lexical top lists) is described by a few general signals, and its score is
// their weighted sum. The weights are not set by hand: cmd/fitgen fits them
// on public data (SQuAD 2.0 articles) and the team's question sets, as a
// softmax over each question's candidates, and writes ranker.json.
//
// The signals are what every question-answering retriever looks at: how
// close the passage is in meaning (vectors), how rare and how many of the
// question's words it holds (BM25, soft matching), and the same for its best
// single sentence, since a question is most often answered by one sentence
// and a long paragraph dilutes it. With several stories, the story's own
// score says which story the question is about.

// Ranking features, in the order of ranker.json.
const (
	featVec        = iota // cosine similarity, scaled to [0, 1] over the candidates
	featLex               // passage BM25, scaled to [0, 1] over the candidates
	featSoft              // passage soft term matching, scaled to [0, 1] over the candidates
	featSoftRaw           // passage soft term matching, the weighted share of question words matched
	featSentLex           // the best sentence's BM25, over the best of all candidates' sentences
	featSentSoft          // the best sentence's soft term matching share
	featStory             // the story's score among the candidates' stories; 0 with one story
	featSentExact         // the best sentence's weighted share of question words present as such (same stem)
	featBigram            // share of the question's adjacent word pairs that the passage has side by side
	featSentBigram        // the same, for the passage's best sentence
	featLexLog            // log(1 + passage BM25), unscaled
	featPairSoft          // the best two adjacent sentences' soft term matching share
	numRankFeatures
)

// RankFeatureNames names the ranking features, in order.
var RankFeatureNames = []string{"vector", "bm25", "soft", "soft_raw", "sentence_bm25", "sentence_soft", "story", "sentence_exact", "bigram", "sentence_bigram", "bm25_log", "pair_soft"}

//go:embed ranker.json
var rankerJSON []byte

// rankWeights are the fitted weights of the ranking features.
var rankWeights = mustRankWeights(rankerJSON)

// RankModel is the ranker.json format: the features' names and weights.
type RankModel struct {
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	// Fit says how the weights were fitted and what they scored.
	Fit map[string]any `json:"fit,omitempty"`
}

func mustRankWeights(b []byte) [numRankFeatures]float64 {
	var m RankModel
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("retrieval: ranker.json: %v", err))
	}
	if !slices.Equal(m.Features, RankFeatureNames) || len(m.Weights) != numRankFeatures {
		panic(fmt.Sprintf("retrieval: ranker.json has features %v, the code %v", m.Features, RankFeatureNames))
	}
	var w [numRankFeatures]float64
	copy(w[:], m.Weights)
	return w
}

// sentenceIndex holds the sentences of every passage, so that a passage can
// also be scored by its best sentence.
type sentenceIndex struct {
	first  []int32    // passage i's sentences are first[i] … first[i+1]-1
	terms  [][]string // stemmed content terms of each sentence
	words  [][]int32  // distinct soft-vocabulary words of each sentence
	df     map[string]int
	avgLen float64
}

func newSentenceIndex(texts []string, soft *softIndex) *sentenceIndex {
	ix := &sentenceIndex{first: make([]int32, 0, len(texts)+1), df: map[string]int{}}
	st := stemmer{}
	var total float64
	seen := map[string]bool{}
	for _, text := range texts {
		ix.first = append(ix.first, int32(len(ix.terms)))
		for _, sp := range Sentences(text) {
			ts := st.terms(sp.Text)
			ix.terms = append(ix.terms, ts)
			ix.words = append(ix.words, soft.ids(sp.Text))
			total += float64(len(ts))
			clear(seen)
			for _, t := range ts {
				if !seen[t] {
					seen[t] = true
					ix.df[t]++
				}
			}
		}
	}
	ix.first = append(ix.first, int32(len(ix.terms)))
	ix.avgLen = 1
	if n := len(ix.terms); n > 0 && total > 0 {
		ix.avgLen = total / float64(n)
	}
	return ix
}

// bm25 scores sentence i for the question's distinct terms.
func (ix *sentenceIndex) bm25(i int, qterms []string) float64 {
	ts := ix.terms[i]
	if len(ts) == 0 {
		return 0
	}
	n := float64(len(ix.terms))
	norm := bm25K1 * (1 - bm25B + bm25B*float64(len(ts))/ix.avgLen)
	var score float64
	for _, q := range qterms {
		tf := 0.0
		for _, t := range ts {
			if t == q {
				tf++
			}
		}
		if tf == 0 {
			continue
		}
		df := float64(ix.df[q])
		score += math.Log(1+(n-df+0.5)/(df+0.5)) * tf * (bm25K1 + 1) / (tf + norm)
	}
	return score
}

// pairs returns the set of adjacent pairs of a term sequence.
func pairs(ts []string) map[[2]string]bool {
	out := map[[2]string]bool{}
	for i := 1; i < len(ts); i++ {
		out[[2]string{ts[i-1], ts[i]}] = true
	}
	return out
}

// exactShare is the weighted share of question words matched exactly (the
// same stem), not by a synonym.
func exactShare(matches, weights []float64) float64 {
	var sum, total float64
	for i, v := range matches {
		total += weights[i]
		if v == 1 {
			sum += weights[i]
		}
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

// distinctTerms returns the question's stemmed content terms, each once.
func distinctTerms(query string) []string {
	var out []string
	for _, t := range terms(query) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// rankFeatures describes each candidate by the ranking features. vec and lex
// are the two top lists the candidates come from; cands is their union.
func (s *snapshot) rankFeatures(query string, cands, vec, lex []Hit) [][numRankFeatures]float64 {
	feats := make([][numRankFeatures]float64, len(cands))
	at := make(map[string]int, len(cands))
	for i, h := range cands {
		at[h.ID] = i
	}
	scaleInto := func(list []Hit, f int, val func(Hit) float64) {
		if len(list) == 0 {
			return
		}
		hi, lo := val(list[0]), val(list[0])
		for _, h := range list {
			hi, lo = max(hi, val(h)), min(lo, val(h))
		}
		if hi <= lo {
			return
		}
		for _, h := range list {
			feats[at[h.ID]][f] = (val(h) - lo) / (hi - lo)
		}
	}
	scaleInto(vec, featVec, func(h Hit) float64 { return float64(h.Similarity) })
	scaleInto(lex, featLex, func(h Hit) float64 { return h.BM25 })

	words, weights := s.soft.query(query)
	m := s.soft.matcher(words)
	qterms := distinctTerms(query)
	qpairs := pairs(terms(query))
	softRaw := make([]Hit, len(cands))
	bestSentLex := 0.0
	for i, h := range cands {
		d := s.byID[h.ID]
		share := 0.0
		if len(words) > 0 {
			share = weightedShare(m.match(d), weights)
		}
		feats[i][featSoftRaw] = share
		softRaw[i] = Hit{Passage: Passage{ID: h.ID}, Score: share}
		feats[i][featLexLog] = math.Log1p(h.BM25)
		found := map[[2]string]bool{}
		var prev []float64
		for j := s.sentences.first[d]; j < s.sentences.first[d+1]; j++ {
			if len(words) > 0 {
				matches := m.matchIDs(s.sentences.words[j])
				if prev != nil {
					pair := make([]float64, len(matches))
					for k := range pair {
						pair[k] = max(prev[k], matches[k])
					}
					feats[i][featPairSoft] = max(feats[i][featPairSoft], weightedShare(pair, weights))
				} else {
					feats[i][featPairSoft] = weightedShare(matches, weights)
				}
				prev = matches
				feats[i][featSentSoft] = max(feats[i][featSentSoft], weightedShare(matches, weights))
				feats[i][featSentExact] = max(feats[i][featSentExact], exactShare(matches, weights))
			}
			feats[i][featSentLex] = max(feats[i][featSentLex], s.sentences.bm25(int(j), qterms))
			if len(qpairs) > 0 {
				in := 0
				for p := range pairs(s.sentences.terms[j]) {
					if qpairs[p] && !found[p] {
						found[p] = true
					}
					if qpairs[p] {
						in++
					}
				}
				feats[i][featSentBigram] = max(feats[i][featSentBigram], min(1, float64(in)/float64(len(qpairs))))
			}
		}
		if len(qpairs) > 0 {
			feats[i][featBigram] = float64(len(found)) / float64(len(qpairs))
		}
		bestSentLex = max(bestSentLex, feats[i][featSentLex])
	}
	scaleInto(softRaw, featSoft, func(h Hit) float64 { return h.Score })
	if bestSentLex > 0 {
		for i := range feats {
			feats[i][featSentLex] /= bestSentLex
		}
	}
	for i, v := range s.stories.scores(query, cands, s.byID) {
		feats[i][featStory] = v
	}
	return feats
}

// rank scores the union of the vector and lexical candidates by the fitted
// weights, best first, and returns them with their features.
func (s *snapshot) rank(query string, vec, lex []Hit) ([]Hit, [][numRankFeatures]float64) {
	var cands []Hit
	seen := map[string]int{}
	for _, list := range [][]Hit{vec, lex} {
		for _, h := range list {
			if i, ok := seen[h.ID]; ok {
				cands[i].Similarity = max(cands[i].Similarity, h.Similarity)
				cands[i].BM25 = max(cands[i].BM25, h.BM25)
				continue
			}
			seen[h.ID] = len(cands)
			cands = append(cands, h)
		}
	}
	feats := s.rankFeatures(query, cands, vec, lex)
	for i := range cands {
		var score float64
		for f, w := range rankWeights {
			score += w * feats[i][f]
		}
		cands[i].Score = score
	}
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case cands[a].Score > cands[b].Score:
			return -1
		case cands[a].Score < cands[b].Score:
			return 1
		}
		return 0
	})
	hits := make([]Hit, len(cands))
	fs := make([][numRankFeatures]float64, len(cands))
	for i, o := range order {
		hits[i], fs[i] = cands[o], feats[o]
	}
	return hits, fs
}

// SetRankWeights replaces the ranking weights in use. It is for `storybot
// fit`, which refits them; it is not safe while searches run.
func SetRankWeights(w []float64) { copy(rankWeights[:], w) }
