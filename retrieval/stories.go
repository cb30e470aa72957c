package retrieval

import "strings"

// Story-level scoring. A folder of many stories holds paragraphs that look
// alike across stories (every diplomacy story has an offer, talks and a
// spokesman), and one paragraph says little about which story a question
// is about; the whole story says much more: the names, places and events a
// question mentions are spread over its paragraphs. So the stories are
// scored as whole documents too (BM25 and soft term matching over all their
// words), and a passage's score is raised by its story's: the passages of
// the story the question is about come first, and a paragraph of another
// story must match much better to rank among them.

// storyWeight is how much a story's score (in [0, 1]) adds to a passage's
// fused score (in [0, 3]). Half of the three signals: enough to keep the
// right story's paragraphs together, not enough to bury a far better
// paragraph elsewhere.
const storyWeight = 1.5

// storyIndex scores whole stories. It is built only when an index holds
// more than one story.
type storyIndex struct {
	of      []int // passage → story
	lexical *lexicalIndex
	soft    *softIndex
}

func newStoryIndex(passages []Passage) *storyIndex {
	ids := map[string]int{}
	var texts []strings.Builder
	of := make([]int, len(passages))
	for i, p := range passages {
		id, ok := ids[p.Story]
		if !ok {
			id = len(texts)
			ids[p.Story] = id
			texts = append(texts, strings.Builder{})
		}
		of[i] = id
		texts[id].WriteString(p.Text)
		texts[id].WriteString("\n\n")
	}
	if len(texts) < 2 {
		return nil
	}
	docs := make([]string, len(texts))
	for i := range texts {
		docs[i] = texts[i].String()
	}
	return &storyIndex{of: of, lexical: newLexicalIndex(docs), soft: newSoftIndex(docs)}
}

// boost adds to each hit its story's score for query: BM25 and soft term
// matching over the whole story, each scaled to [0, 1] over the stories of
// the hits, averaged, times storyWeight. byID maps a passage id to its
// index. Hits are re-sorted.
func (st *storyIndex) boost(query string, hits []Hit, byID map[string]int) {
	if st == nil || len(hits) == 0 {
		return
	}
	stories := map[int]bool{}
	for _, h := range hits {
		stories[st.of[byID[h.ID]]] = true
	}
	if len(stories) < 2 {
		return
	}
	lex := map[int]float64{}
	for _, r := range st.lexical.search(query, st.lexical.n) {
		if stories[r.doc] {
			lex[r.doc] = r.score
		}
	}
	words, weights := st.soft.query(query)
	m := st.soft.matcher(words)
	soft := map[int]float64{}
	for s := range stories {
		soft[s] = weightedShare(m.match(s), weights)
	}
	lexS, softS := scaleOver(stories, lex), scaleOver(stories, soft)
	for i := range hits {
		s := st.of[byID[hits[i].ID]]
		hits[i].Score += storyWeight * (lexS[s] + softS[s]) / 2
	}
	sortByScore(hits)
}

// scaleOver maps each key's value (0 when absent) linearly onto [0, 1]
// over keys.
func scaleOver(keys map[int]bool, vals map[int]float64) map[int]float64 {
	first := true
	var lo, hi float64
	for k := range keys {
		v := vals[k]
		if first {
			lo, hi, first = v, v, false
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	out := make(map[int]float64, len(keys))
	for k := range keys {
		if hi > lo {
			out[k] = (vals[k] - lo) / (hi - lo)
		}
	}
	return out
}
