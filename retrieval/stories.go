package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Story-level scoring. A folder of many stories holds paragraphs that look
// alike across stories (every diplomacy story has an offer, talks and a
// spokesman), and one paragraph says little about which story a question
// is about; the whole story says much more: the names, places and events a
// question mentions are spread over its paragraphs. So the stories are
// scored as whole documents too (BM25 and soft term matching over all their
// words), and a passage's score is raised by its story's: the passages of
// the story the question is about come first, and a paragraph of another
// story must match much better to rank among them.

// storyIndex scores whole stories. It is built only when an index holds
// more than one story.
type storyIndex struct {
	of      []int // passage → story
	lexical *lexicalIndex
	soft    *softIndex
}

func newStoryIndex(passages []Passage) *storyIndex {
	ids := map[string]int{}
	// Pointers, because append copies the builders when it grows the slice
	// and a strings.Builder written before the copy panics if written after
	// it (a damaged index file can interleave the stories' passages).
	var texts []*strings.Builder
	of := make([]int, len(passages))
	for i, p := range passages {
		id, ok := ids[p.Story]
		if !ok {
			id = len(texts)
			ids[p.Story] = id
			texts = append(texts, &strings.Builder{})
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

// scores returns, for each hit, its story's score for query in [0, 1]:
// BM25 and soft term matching over the whole story, each scaled to [0, 1]
// over the stories of the hits, averaged. byID maps a passage id to its
// index. It returns nil when the hits come from fewer than two stories.
func (st *storyIndex) scores(query string, hits []Hit, byID map[string]int) []float64 {
	if st == nil || len(hits) == 0 {
		return nil
	}
	stories := map[int]bool{}
	for _, h := range hits {
		stories[st.of[byID[h.ID]]] = true
	}
	if len(stories) < 2 {
		return nil
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
	out := make([]float64, len(hits))
	for i, h := range hits {
		s := st.of[byID[h.ID]]
		out[i] = (lexS[s] + softS[s]) / 2
	}
	return out
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

// storyVocabularies returns, for each story, the set of its words and of
// their stems.
func storyVocabularies(passages []Passage) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	stems := map[string]string{}
	for _, p := range passages {
		v := out[p.Story]
		if v == nil {
			v = map[string]bool{}
			out[p.Story] = v
		}
		for _, w := range Words(p.Text) {
			st, ok := stems[w]
			if !ok {
				st = english.Stem(w, false)
				stems[w] = st
			}
			v[w], v[st] = true, true
		}
	}
	return out
}

// lowerCaseWords returns, for each story, the words it writes starting in
// lower case somewhere: a word it also capitalises is then a common word
// that starts a name ("River" in "Charles River"), not a name of its own.
func lowerCaseWords(passages []Passage) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, p := range passages {
		v := out[p.Story]
		if v == nil {
			v = map[string]bool{}
			out[p.Story] = v
		}
		for _, tok := range strings.Fields(p.Text) {
			tok = strings.TrimLeft(tok, "“\"‘'([")
			if r, _ := utf8.DecodeRuneInString(tok); unicode.IsLower(r) {
				for _, w := range Words(tok) {
					v[w] = true
				}
			}
		}
	}
	return out
}

// StoryWritesLower reports whether the story (by slug) writes word, which
// is lower case, in lower case somewhere.
func (ix *Index) StoryWritesLower(story, word string) bool {
	s := ix.cur.Load()
	return s != nil && s.lower[story][word]
}

// StoryUses reports whether the story (by slug) uses word, or a word of
// the same stem; word is lowercase.
func (ix *Index) StoryUses(story, word string) bool {
	s := ix.cur.Load()
	if s == nil {
		return false
	}
	v := s.vocab[story]
	return v[word] || v[english.Stem(word, false)]
}
