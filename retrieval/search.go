package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Mode chooses how Search ranks passages.
type Mode string

// The ranking modes. Hybrid is the default; the others exist to measure it.
const (
	Hybrid  Mode = "hybrid"  // vector and lexical rankings fused
	Vector  Mode = "vector"  // chromem-go cosine similarity alone
	Lexical Mode = "lexical" // BM25 alone
	Soft    Mode = "soft"    // soft term matching alone, over the vector and lexical candidates
)

// Hit is one search result.
type Hit struct {
	Passage
	Score      float64 // the ranking score in the chosen mode (higher is better)
	Similarity float32 // cosine similarity to the question; 0 when not computed
	BM25       float64 // lexical score; 0 when no term matched
}

// Search returns the k passages that best answer query, best first.
func (ix *Index) Search(ctx context.Context, query string, k int) ([]Hit, error) {
	return ix.SearchMode(ctx, query, k, Hybrid)
}

// SearchMode is Search with an explicit ranking mode.
func (ix *Index) SearchMode(ctx context.Context, query string, k int, mode Mode) ([]Hit, error) {
	s := ix.cur.Load()
	if s == nil || len(s.passages) == 0 {
		return nil, ErrEmptyIndex
	}
	n := len(s.passages)
	k = min(max(k, 1), n)
	var hits []Hit
	// Fusion looks deeper than k so that a passage ranked moderately by
	// both signals can beat one ranked high by only one. Four times k (at
	// least 20) kept the many-story test's scores of 40 while halving the
	// soft reranking, the dearest step of a search.
	depth := min(n, max(4*k, 20))

	var vec []Hit
	if mode != Lexical {
		qv, err := ix.embedder.Embed(ctx, []string{query})
		if err != nil {
			return nil, fmt.Errorf("search: embed question: %w", err)
		}
		if len(qv) != 1 || len(qv[0]) != s.identity.Dimensions {
			return nil, fmt.Errorf("search: question embedding does not match the index's %d dimensions", s.identity.Dimensions)
		}
		// Never more results than the collection holds: chromem-go refuses.
		res, err := s.collection.QueryEmbedding(ctx, qv[0], min(depth, s.collection.Count()), nil, nil)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, r := range res {
			i, ok := s.byID[passageIDOf(r.Metadata)]
			if !ok {
				continue
			}
			vec = append(vec, Hit{Passage: s.passages[i], Similarity: r.Similarity, Score: float64(r.Similarity)})
		}
	}
	var lex []Hit
	if mode != Vector {
		for _, r := range s.lexical.search(query, depth) {
			lex = append(lex, Hit{Passage: s.passages[r.doc], BM25: r.score, Score: r.score})
		}
	}

	switch mode {
	case Vector:
		hits = vec
	case Lexical:
		hits = lex
	case Soft:
		hits = s.softRank(query, vec, lex)
	default:
		hits = fuse(vec, lex, s.softRank(query, vec, lex))
		s.stories.boost(query, hits, s.byID)
	}
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits, nil
}

func passageIDOf(meta map[string]string) string { return meta["id"] }

// softRank reranks the union of the candidates by soft term matching.
func (s *snapshot) softRank(query string, lists ...[]Hit) []Hit {
	words, weights := s.soft.query(query)
	if len(words) == 0 {
		return nil
	}
	seen := map[string]bool{}
	m := s.soft.matcher(words)
	var out []Hit
	for _, list := range lists {
		for _, h := range list {
			if seen[h.ID] {
				continue
			}
			seen[h.ID] = true
			h.Score = weightedShare(m.match(s.byID[h.ID]), weights)
			out = append(out, h)
		}
	}
	sortByScore(out)
	return out
}

// sortByScore sorts hits best first, keeping the order of equal scores.
func sortByScore(hits []Hit) {
	slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
}

// fuse combines the three signals: each list's scores are scaled to [0, 1]
// over its candidates and summed with equal weights. On the dev set this
// beat reciprocal rank fusion (hit@3 0.86 against 0.83), which punishes a
// passage that one signal misses entirely, as BM25 does every paraphrase.
func fuse(vec, lex, soft []Hit) []Hit {
	const wv, wl, ws = 1.0, 1.0, 1.0
	byID := map[string]*Hit{}
	var order []string
	get := func(h Hit) *Hit {
		if d, ok := byID[h.ID]; ok {
			return d
		}
		c := h
		c.Score = 0
		byID[h.ID] = &c
		order = append(order, h.ID)
		return &c
	}
	scale := func(list []Hit, w float64, val func(Hit) float64, set func(*Hit, Hit)) {
		if len(list) == 0 {
			return
		}
		hi, lo := val(list[0]), val(list[0])
		for _, h := range list {
			hi, lo = max(hi, val(h)), min(lo, val(h))
		}
		for _, h := range list {
			d := get(h)
			set(d, h)
			if hi > lo {
				d.Score += w * (val(h) - lo) / (hi - lo)
			}
		}
	}
	scale(vec, wv, func(h Hit) float64 { return float64(h.Similarity) }, func(d *Hit, h Hit) { d.Similarity = h.Similarity })
	scale(lex, wl, func(h Hit) float64 { return h.BM25 }, func(d *Hit, h Hit) { d.BM25 = h.BM25 })
	scale(soft, ws, func(h Hit) float64 { return h.Score }, func(d *Hit, h Hit) {})
	out := make([]Hit, len(order))
	for i, id := range order {
		out[i] = *byID[id]
	}
	sortByScore(out)
	return out
}
