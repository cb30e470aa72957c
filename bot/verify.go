package bot

import (
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// Thresholds of quote verification.
const (
	// minQuoteWords is the fewest words a quoted span needs to be treated as
	// a quotation and cited. Shorter spans ("grand bargain", a title) are
	// left alone when the story has them verbatim and removed when it does
	// not.
	minQuoteWords = 3
	// mendSimilarity is the token similarity at or above which a quotation
	// that is not verbatim is taken for a near-copy of the passage's words
	// and replaced by them: one word changed in ten passes, a paraphrase
	// does not.
	mendSimilarity = 0.8
	// maxMendTokens is the longest quotation, in words, the mender tries.
	maxMendTokens = 100
	// mendBudget bounds the work of mending in one answer, in cells of the
	// word-alignment tables: an ordinary answer (a few quotations of a few
	// dozen words against five 250-word passages) needs a few million; a
	// hostile one gets its unmendable quotations removed instead of tying up
	// a core.
	mendBudget = 30_000_000
)

// verification is a model's answer checked against the passages it was
// given (passage i is cited as [i+1]).
type verification struct {
	Text      string     // the answer: quotes mended, failed ones removed, a note appended when anything was removed
	Citations []Citation // one per verified quotation, in order of appearance
	Verified  int        // quotations found verbatim in a passage
	Mended    int        // near-copies replaced by the passage's exact words
	Removed   int        // quotations that could not be verified, removed with their sentence
	Recited   int        // quotations found in a passage other than the one cited, their citation corrected
	BadRefs   int        // citation numbers naming no given passage, removed
}

// edit replaces text[start:end] with repl.
type edit struct {
	start, end int
	repl       string
}

// draft is what verification has decided so far: the counts, the
// quotations verified, and the edits and removals the answer is to get.
type draft struct {
	v        verification
	verified []found
	edits    []edit
	removes  []edit // merged once every span is checked
}

// found is a verified quotation: passage i, its words, where it stands in
// the answer.
type found struct {
	i     int
	quote string
	at    int
}

// verifyAnswer checks every citation and quotation in a model's answer
// against the passages: a citation must name a given passage, and a quoted
// span must be verbatim (as retrieval.Fold compares) in the passage it cites,
// or in any passage when it cites none. A near-copy is mended to the
// passage's words; anything else is removed with its sentence, and the
// answer says so.
//
// It works in four steps: find the quotations and their citations
// (findQuotes), check each quoted span against the passages (checkSpans),
// check the citations (checkCitations), and rewrite the answer (rewrite).
func verifyAnswer(text string, passages []retrieval.Passage) verification {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), removedMark, "")
	spans, groups := findQuotes(text)
	d := checkSpans(text, spans, groups, passages)
	checkCitations(text, spans, groups, passages, &d)
	d.v.Text = rewrite(text, &d)
	return d.v
}

// removedAt reports whether the answer's byte at goes with a removal.
func removedAt(removes []edit, at int) bool {
	for _, r := range removes {
		if at >= r.start && at < r.end {
			return true
		}
	}
	return false
}
