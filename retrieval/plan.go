package retrieval

import (
	"fmt"
	"slices"
)

// updatePlan is what an Update must do to make the index hold a corpus:
// how the corpus differs from the serving index, which vectors it keeps and
// which texts are still to be embedded. Planning reads nothing but its
// arguments, so it is tested on its own.
type updatePlan struct {
	// stats counts the passages, the ids added, changed and removed, and
	// the passages whose vector is reused; Embedded is set by embedMissing.
	stats UpdateStats
	// vectors holds an embedding per content hash: at first those of the
	// serving index, then also those embedMissing computes.
	vectors map[string][]float32
	// embed lists the distinct texts that have no vector yet, in corpus
	// order.
	embed []string
	// waiting maps each text of embed to the content hashes that are to
	// receive its vector.
	waiting map[string][]string
}

// planUpdate compares passages with the serving index's passages old, whose
// embeddings by content hash are oldVectors (it takes that map over). It
// fails when an id appears twice in passages.
func planUpdate(passages, old []Passage, oldVectors map[string][]float32) (updatePlan, error) {
	plan := updatePlan{
		stats:   UpdateStats{Passages: len(passages)},
		vectors: oldVectors,
		waiting: map[string][]string{},
	}
	if plan.vectors == nil {
		plan.vectors = map[string][]float32{}
	}
	seen, err := uniqueIDs(passages)
	if err != nil {
		return plan, err
	}
	oldHash := make(map[string]string, len(old))
	for _, p := range old {
		oldHash[p.ID] = p.Hash
	}
	for id := range oldHash {
		if !seen[id] {
			plan.stats.Removed++
		}
	}
	for _, p := range passages {
		h, ok := oldHash[p.ID]
		switch {
		case !ok:
			plan.stats.Added++
		case h != p.Hash:
			plan.stats.Changed++
		}
		plan.need(p)
	}
	return plan, nil
}

// need records that p must have a vector: the one already known for its
// hash, or one still to be computed. An embedding is of the text alone,
// while the hash also covers the story's title and publication. So a text
// that several passages share (a boilerplate paragraph in two stories, wire
// copy, a split-off piece equal to another piece) is embedded once, and its
// vector is given to every hash that carries it.
func (plan *updatePlan) need(p Passage) {
	if _, ok := plan.vectors[p.Hash]; ok {
		plan.stats.Reused++
		return
	}
	hashes, queued := plan.waiting[p.Text]
	if !queued {
		plan.embed = append(plan.embed, p.Text)
	}
	if !slices.Contains(hashes, p.Hash) {
		plan.waiting[p.Text] = append(hashes, p.Hash)
	}
}

// changesNothing reports whether the plan neither adds, changes nor
// removes an id and has nothing to embed.
func (plan *updatePlan) changesNothing() bool {
	s := plan.stats
	return s.Added+s.Changed+s.Removed == 0 && len(plan.embed) == 0
}

// give hands vecs[i], the embedding of plan.embed[i], to every hash
// waiting for that text.
func (plan *updatePlan) give(vecs [][]float32) {
	for i, text := range plan.embed {
		for _, h := range plan.waiting[text] {
			plan.vectors[h] = vecs[i]
		}
	}
}

// vectorsOf returns the planned embedding of each passage, in order.
func (plan *updatePlan) vectorsOf(passages []Passage) [][]float32 {
	vecs := make([][]float32, len(passages))
	for i, p := range passages {
		vecs[i] = plan.vectors[p.Hash]
	}
	return vecs
}

// uniqueIDs returns the set of passage ids, or an error naming the first
// id that appears twice.
func uniqueIDs(passages []Passage) (map[string]bool, error) {
	seen := make(map[string]bool, len(passages))
	for _, p := range passages {
		if seen[p.ID] {
			return nil, fmt.Errorf("passage id %q appears twice", p.ID)
		}
		seen[p.ID] = true
	}
	return seen, nil
}
