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
	s, vec, lex, err := ix.candidates(ctx, query, k, mode)
	if err != nil {
		return nil, err
	}
	var hits []Hit
	switch mode {
	case Vector:
		hits = vec
	case Lexical:
		hits = lex
	case Soft:
		hits = s.softRank(query, vec, lex)
	default:
		hits, _ = s.rank(query, vec, lex)
	}
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits, nil
}

// RankCandidates returns every candidate the hybrid ranking considers for
// query, best first, with its ranking features (named by
// RankFeatureNames): what cmd/fitgen fits the ranking weights on.
func (ix *Index) RankCandidates(ctx context.Context, query string, k int) ([]Hit, [][]float64, error) {
	s, vec, lex, err := ix.candidates(ctx, query, k, Hybrid)
	if err != nil {
		return nil, nil, err
	}
	hits, feats := s.rank(query, vec, lex)
	out := make([][]float64, len(feats))
	for i := range feats {
		out[i] = feats[i][:]
	}
	return hits, out, nil
}

// candidates returns the serving snapshot and the vector and lexical top
// lists for query, as deep as fusion looks for k results.
func (ix *Index) candidates(ctx context.Context, query string, k int, mode Mode) (s *snapshot, vec, lex []Hit, err error) {
	s = ix.cur.Load()
	if s == nil || len(s.passages) == 0 {
		return nil, nil, nil, ErrEmptyIndex
	}
	n := len(s.passages)
	k = min(max(k, 1), n)
	// Fusion looks deeper than k so that a passage ranked moderately by
	// both signals can beat one ranked high by only one. Four times k (at
	// least 20) kept the many-story test's scores of 40 while halving the
	// soft reranking, the dearest step of a search.
	depth := min(n, max(4*k, 20))
	if mode != Lexical {
		qv, err := ix.embedder.Embed(ctx, []string{query})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("search: embed question: %w", err)
		}
		if len(qv) != 1 || len(qv[0]) != s.identity.Dimensions {
			return nil, nil, nil, fmt.Errorf("search: question embedding does not match the index's %d dimensions", s.identity.Dimensions)
		}
		// Never more results than the collection holds: chromem-go refuses.
		res, err := s.collection.QueryEmbedding(ctx, qv[0], min(depth, s.collection.Count()), nil, nil)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("search: %w", err)
		}
		for _, r := range res {
			i, ok := s.byID[passageIDOf(r.Metadata)]
			if !ok {
				continue
			}
			vec = append(vec, Hit{Passage: s.passages[i], Similarity: r.Similarity, Score: float64(r.Similarity)})
		}
	}
	if mode != Vector {
		for _, r := range s.lexical.search(query, depth) {
			lex = append(lex, Hit{Passage: s.passages[r.doc], BM25: r.score, Score: r.score})
		}
	}
	return s, vec, lex, nil
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
