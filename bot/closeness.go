package bot

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
)

// Topic closeness: how near a question is, in meaning, to the passages
// retrieved for it. Word coverage alone cannot tell a paraphrase ("was it
// the war hawks who torpedoed it?": no word of it is in the story) from an
// off-topic question that shares a few everyday words with the story ("write
// me a script that scrapes messages": "write", "messages"). Their averaged
// word vectors can: the paraphrase sits near a paragraph of the story, the
// off-topic question far from all of them.
//
// It is measured with the built-in word vectors whatever embedder the index
// uses, so that its thresholds (farBelow and closeAbove, in tuning.go) keep
// their meaning.

var topicEmbedder = sync.OnceValue(retrieval.NewLocalEmbedder)

// closeness returns the best cosine similarity between q and the texts of
// hits under the built-in word vectors, in [-1, 1]; 0 when there is nothing
// to compare, or with the error when the texts could not be embedded.
func closeness(q string, hits []retrieval.Hit) (float64, error) {
	if len(hits) == 0 {
		return 0, nil
	}
	texts := make([]string, 0, len(hits)+1)
	texts = append(texts, q)
	for _, h := range hits {
		texts = append(texts, h.Text)
	}
	vs, err := topicEmbedder().Embed(context.Background(), texts)
	if err != nil {
		return 0, fmt.Errorf("topic closeness: embed %d texts: %w", len(texts), err)
	}
	best := -1.0
	for _, v := range vs[1:] {
		best = max(best, cosine(vs[0], v))
	}
	return best, nil
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// namesStoryEntity reports whether q names one of the people, places or
// organisations of the retrieved passages: a content word of q that the
// passages write capitalised in mid-sentence ("Rezai", "Athens", "May").
// Such a question is about the story however far its other words wander, so
// closeness does not make it off-topic. A word the story also writes in
// lower case somewhere (writesLower: "center" beside "Science Center") is
// an everyday word that a name happens to contain; it names the story's
// entity only when the question, too, writes it capitalised.
func namesStoryEntity(q question, hits []retrieval.Hit, writesLower func(word string) bool) bool {
	proper := map[string]bool{}
	for _, h := range hits {
		capitalisedIn(h.Text, proper)
	}
	for _, w := range q.content {
		if proper[w] && (!writesLower(w) || slices.Contains(q.names, w)) {
			return true
		}
	}
	return false
}

// capitalisedIn adds the words text writes capitalised in mid-sentence to
// proper.
func capitalisedIn(text string, proper map[string]bool) {
	prevEnds := true // the first word starts a sentence
	for _, tok := range strings.Fields(text) {
		word := strings.TrimLeft(tok, "“\"‘'([")
		if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) && !prevEnds {
			for _, w := range retrieval.Words(word) {
				proper[w] = true
			}
		}
		prevEnds = strings.ContainsAny(tok[len(tok)-1:], ".?!")
	}
}
