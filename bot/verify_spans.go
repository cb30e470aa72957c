package bot

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// spanChecker checks the quoted spans of one answer against its passages.
type spanChecker struct {
	text     string
	passages []retrieval.Passage
	groups   []citeGroup
	folds    []*foldIndex // the passages folded, as they are needed
	budget   int          // what is left of mendBudget
	d        draft
}

// checkSpans is the second step of verification: each quoted span is
// verified, mended or removed. A span too short to be a quotation is only
// kept or removed.
func checkSpans(text string, spans []quoteSpan, groups []citeGroup, passages []retrieval.Passage) draft {
	c := spanChecker{text: text, passages: passages, groups: groups, folds: make([]*foldIndex, len(passages)), budget: mendBudget}
	for si := range spans {
		c.check(&spans[si])
	}
	c.d.removes = mergeRanges(c.d.removes)
	return c.d
}

// check verifies one span: elided, verbatim, or a near-copy to mend, in
// the passages it cites first; else it goes with its sentence.
func (c *spanChecker) check(s *quoteSpan) {
	core := c.text[s.core0:s.core1]
	words := len(strings.Fields(core))
	if words == 0 {
		return
	}
	targets, others := citedPassages(s, c.groups, len(c.passages))
	order := append(append([]int(nil), targets...), others...)
	if words < minQuoteWords {
		// A phrase, a title or a scare quote: fine when verbatim, not
		// worth a citation of its own.
		if _, _, ok := findVerbatim(core, order, c.fold); ok {
			c.closeOpen(s)
			return
		}
		c.remove(s)
		return
	}
	if i, pieces, ok := findElided(core, order, c.fold); ok {
		c.d.v.Verified++
		c.recite(s, targets, i)
		c.closeOpen(s)
		for _, q := range pieces {
			c.cite(s, i, q)
		}
		return
	}
	if i, q, ok := findVerbatim(core, order, c.fold); ok {
		c.d.v.Verified++
		c.recite(s, targets, i)
		c.closeOpen(s)
		c.cite(s, i, q)
		return
	}
	i, q, ok := findNearCopy(core, targets, c.passages, &c.budget)
	if !ok {
		i, q, ok = findNearCopy(core, others, c.passages, &c.budget)
	}
	if ok {
		c.d.v.Mended++
		c.recite(s, targets, i)
		c.d.edits = append(c.d.edits, edit{s.core0, s.core1, q + s.closeMark})
		c.cite(s, i, q)
		return
	}
	c.remove(s)
}

// fold returns passage i folded, folding it the first time it is needed.
func (c *spanChecker) fold(i int) *foldIndex {
	if c.folds[i] == nil {
		f := newFoldIndex(c.passages[i].Text)
		c.folds[i] = &f
	}
	return c.folds[i]
}

// cite records quote, of passage i, as verified at span s.
func (c *spanChecker) cite(s *quoteSpan, i int, quote string) {
	c.d.verified = append(c.d.verified, found{i, quote, s.open})
}

// remove removes span s with its sentence.
func (c *spanChecker) remove(s *quoteSpan) {
	c.d.removes = append(c.d.removes, edit{s.clause0, s.clause1, removedMark})
	c.d.v.Removed++
}

// closeOpen adds the closing mark a span left open lacks.
func (c *spanChecker) closeOpen(s *quoteSpan) {
	if s.closeMark != "" {
		c.d.edits = append(c.d.edits, edit{s.core1, s.core1, s.closeMark})
	}
}

// recite corrects the citation of a quotation found in passage i, which
// it does not cite.
func (c *spanChecker) recite(s *quoteSpan, targets []int, i int) {
	if len(targets) == 0 || containsInt(targets, i) {
		return
	}
	c.d.v.Recited++
	for _, g := range s.groups {
		if c.groups[g].owners == 1 {
			c.groups[g].drop = true
		}
	}
	c.d.edits = append(c.d.edits, edit{s.close, s.close, " [" + strconv.Itoa(i+1) + "]"})
}

// citedPassages splits the passage indexes into those the span cites and
// the rest. A span that cites no valid passage cites none.
func citedPassages(s *quoteSpan, groups []citeGroup, n int) (targets, others []int) {
	for _, gi := range s.groups {
		for _, num := range groups[gi].nums {
			if num >= 1 && num <= n && !containsInt(targets, num-1) {
				targets = append(targets, num-1)
			}
		}
	}
	for i := range n {
		if !containsInt(targets, i) {
			others = append(others, i)
		}
	}
	return targets, others
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// findVerbatim looks for quote, folded, in the passages in order, and
// returns the first passage that holds it with the passage's own words.
func findVerbatim(quote string, order []int, fold func(int) *foldIndex) (int, string, bool) {
	fq := retrieval.Fold(quote)
	if fq == "" {
		return 0, "", false
	}
	for _, i := range order {
		f := fold(i)
		if at := strings.Index(f.s, fq); at >= 0 {
			return i, f.original(at, at+len(fq)), true
		}
	}
	return 0, "", false
}

// ellipsisRe splits an elided quotation into its pieces.
var ellipsisRe = regexp.MustCompile(`\s*(?:…|\.\.\.+|\[…\]|\[\.\.\.\])\s*`)

// findElided verifies a quotation with an ellipsis inside: every piece
// must be verbatim in one passage, in order. It returns that passage and
// the pieces to cite: those of minQuoteWords words or more, or the longest.
func findElided(quote string, order []int, fold func(int) *foldIndex) (int, []string, bool) {
	var pieces []string
	for _, p := range ellipsisRe.Split(quote, -1) {
		c0, c1 := trimQuoteEdges(p)
		if c0 < c1 {
			pieces = append(pieces, p[c0:c1])
		}
	}
	if len(pieces) < 2 {
		return 0, nil, false
	}
	for _, i := range order {
		f := fold(i)
		var found []string
		at := 0
		for _, p := range pieces {
			fp := retrieval.Fold(p)
			k := strings.Index(f.s[at:], fp)
			if k < 0 {
				break
			}
			found = append(found, f.original(at+k, at+k+len(fp)))
			at += k + len(fp)
		}
		if len(found) < len(pieces) {
			continue
		}
		var cite []string
		longest := found[0]
		for _, q := range found {
			if len(strings.Fields(q)) >= minQuoteWords {
				cite = append(cite, q)
			}
			if len(q) > len(longest) {
				longest = q
			}
		}
		if len(cite) == 0 {
			cite = []string{longest}
		}
		return i, cite, true
	}
	return 0, nil, false
}
