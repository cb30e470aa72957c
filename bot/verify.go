package bot

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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

// citeRe matches a citation: [3], [1, 2], [1; 4].
var citeRe = regexp.MustCompile(`\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]`)

// trailingCitesRe matches citations, and the space around them, that open
// a text: what may follow a sentence and still belong to it.
var trailingCitesRe = regexp.MustCompile(`^(?:[ \t]*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+`)

// citeGroup is one [n, …] in the answer.
type citeGroup struct {
	start, end int   // byte offsets in the answer
	nums       []int // as written; out-of-range numbers included
	owners     int   // quotations the group is associated with
	drop       bool  // remove the group (its quotation was re-cited)
}

// quoteSpan is one quoted span of the answer.
type quoteSpan struct {
	open, close   int    // the span with its marks: [open, close)
	core0, core1  int    // the quoted words without edge punctuation or citations
	closeMark     string // mark to add after core1 when the model left the quote open; "" when closed
	clause0       int    // the sentence that holds the span, with the citations that follow it
	clause1       int
	cites0        int // citations written inside the closing mark: [cites0, cites1)
	cites1        int
	groups        []int // indexes of the associated citation groups
	lineEnd, prev int   // end of the span's line; end of the previous span on the line (or the line start)
}

// edit replaces text[start:end] with repl.
type edit struct {
	start, end int
	repl       string
}

// verifyAnswer checks every citation and quotation in a model's answer
// against the passages: a citation must name a given passage, and a quoted
// span must be verbatim (as retrieval.Fold compares) in the passage it cites,
// or in any passage when it cites none. A near-copy is mended to the
// passage's words; anything else is removed with its sentence, and the
// answer says so.
func verifyAnswer(text string, passages []retrieval.Passage) verification {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), removedMark, "")
	folds := make([]*foldIndex, len(passages))
	fold := func(i int) *foldIndex {
		if folds[i] == nil {
			f := newFoldIndex(passages[i].Text)
			folds[i] = &f
		}
		return folds[i]
	}

	var groups []citeGroup
	for _, m := range citeRe.FindAllStringIndex(text, -1) {
		groups = append(groups, citeGroup{start: m[0], end: m[1], nums: citeNumbers(text[m[0]:m[1]])})
	}
	spans := findQuotes(text)
	associate(spans, groups)

	var (
		v       verification
		edits   []edit
		removes []edit
	)
	// found is a verified quotation: passage i, its words, where it stands.
	type found struct {
		i     int
		quote string
		at    int
	}
	var verified []found
	budget := mendBudget

	for si := range spans {
		s := &spans[si]
		addCitation := func(i int, quote string) { verified = append(verified, found{i, quote, s.open}) }
		core := text[s.core0:s.core1]
		words := len(strings.Fields(core))
		if words == 0 {
			continue
		}
		targets, others := citedPassages(s, groups, len(passages))
		order := append(append([]int(nil), targets...), others...)
		// recite corrects the citation of a quotation found in a passage it
		// does not cite.
		recite := func(i int) {
			if len(targets) == 0 || containsInt(targets, i) {
				return
			}
			v.Recited++
			for _, g := range s.groups {
				if groups[g].owners == 1 {
					groups[g].drop = true
				}
			}
			edits = append(edits, edit{s.close, s.close, " [" + strconv.Itoa(i+1) + "]"})
		}
		closeOpen := func() {
			if s.closeMark != "" {
				edits = append(edits, edit{s.core1, s.core1, s.closeMark})
			}
		}

		if words < minQuoteWords {
			// A phrase, a title or a scare quote: fine when verbatim, not
			// worth a citation of its own.
			if _, _, ok := findVerbatim(core, order, fold); ok {
				closeOpen()
				continue
			}
			removes = append(removes, edit{s.clause0, s.clause1, removedMark})
			v.Removed++
			continue
		}
		if i, pieces, ok := findElided(core, order, fold); ok {
			v.Verified++
			recite(i)
			closeOpen()
			for _, q := range pieces {
				addCitation(i, q)
			}
			continue
		}
		if i, q, ok := findVerbatim(core, order, fold); ok {
			v.Verified++
			recite(i)
			closeOpen()
			addCitation(i, q)
			continue
		}
		i, q, ok := findNearCopy(core, targets, passages, &budget)
		if !ok {
			i, q, ok = findNearCopy(core, others, passages, &budget)
		}
		if ok {
			v.Mended++
			recite(i)
			edits = append(edits, edit{s.core0, s.core1, q + s.closeMark})
			addCitation(i, q)
			continue
		}
		removes = append(removes, edit{s.clause0, s.clause1, removedMark})
		v.Removed++
	}

	// What a removed sentence held is gone with it: its citations, and
	// any verified quotation beside the failed one.
	removes = mergeRanges(removes)
	removed := func(at int) bool {
		for _, r := range removes {
			if at >= r.start && at < r.end {
				return true
			}
		}
		return false
	}
	type cited struct {
		i     int
		quote string
	}
	seen := map[cited]bool{}
	for _, f := range verified {
		if removed(f.at) || seen[cited{f.i, f.quote}] {
			continue
		}
		seen[cited{f.i, f.quote}] = true
		p := passages[f.i]
		speaker, role := speakerOf(p, f.quote)
		v.Citations = append(v.Citations, Citation{
			N: f.i + 1, PassageID: p.ID, Story: p.Title, Publication: p.Publication,
			Paragraph: p.Paragraph, Quote: f.quote, Speaker: speaker, Role: role,
		})
	}

	// Each citation keeps its valid numbers; one with none left goes.
	final := make([]string, len(groups))
	for gi, g := range groups {
		if removed(g.start) {
			continue
		}
		var valid []int
		for _, n := range g.nums {
			if n >= 1 && n <= len(passages) {
				valid = append(valid, n)
			}
		}
		v.BadRefs += len(g.nums) - len(valid)
		if !g.drop && len(valid) > 0 {
			final[gi] = formatCite(valid)
		}
	}
	moved := make([]bool, len(groups))
	for _, s := range spans {
		if s.cites0 == s.cites1 {
			continue
		}
		// Citations written inside the closing mark move after it.
		var out []string
		for gi, g := range groups {
			if g.start >= s.cites0 && g.end <= s.cites1 {
				moved[gi] = true
				if final[gi] != "" {
					out = append(out, final[gi])
				}
			}
		}
		edits = append(edits, edit{s.cites0, s.cites1, ""})
		if len(out) > 0 {
			edits = append(edits, edit{s.close, s.close, " " + strings.Join(out, "")})
		}
	}
	for gi, g := range groups {
		switch {
		case moved[gi] || removed(g.start):
		case final[gi] == "":
			start := g.start
			for start > 0 && (text[start-1] == ' ' || text[start-1] == '\t') {
				start--
			}
			edits = append(edits, edit{start, g.end, ""})
		case final[gi] != text[g.start:g.end]:
			edits = append(edits, edit{g.start, g.end, final[gi]})
		}
	}

	out := applyEdits(text, edits, removes)
	out = tidy(out)
	if note := verifyNote(v.Removed, v.BadRefs); note != "" {
		if out != "" {
			out += "\n\n"
		}
		out += note
	}
	v.Text = out
	return v
}

// verifyNote is the italic line that tells a reader what was removed.
func verifyNote(removed, badRefs int) string {
	var parts []string
	switch {
	case removed == 1:
		parts = append(parts, "one quotation could not be verified against the story and was removed")
	case removed > 1:
		parts = append(parts, fmt.Sprintf("%d quotations could not be verified against the story and were removed", removed))
	}
	switch {
	case badRefs == 1:
		parts = append(parts, "a citation of a passage that does not exist was removed")
	case badRefs > 1:
		parts = append(parts, fmt.Sprintf("%d citations of passages that do not exist were removed", badRefs))
	}
	if len(parts) == 0 {
		return ""
	}
	return "_(" + strings.Join(parts, "; ") + ")_"
}

func citeNumbers(s string) []int {
	var nums []int
	for _, f := range strings.FieldsFunc(strings.Trim(s, "[]"), func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			n = -1 // too large to parse: certainly out of range
		}
		nums = append(nums, n)
	}
	return nums
}

func formatCite(nums []int) string {
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// isOpenQuote and isCloseQuote are the double quotation marks of an answer;
// single marks are left alone, as apostrophes look the same.
func isOpenQuote(r rune) bool  { return r == '“' || r == '"' || r == '„' }
func isCloseQuote(r rune) bool { return r == '”' || r == '"' || r == '“' }

// findQuotes finds the quoted spans of text, line by line: a span opens with
// “, „ or " and closes with the next ” or " (or a misplaced “) on the same
// line. A span left open runs to the end of its line, less any citations
// there.
func findQuotes(text string) []quoteSpan {
	var spans []quoteSpan
	for lineStart := 0; lineStart <= len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		line := text[lineStart:lineEnd]
		sentences := retrieval.Sentences(line)
		prev := 0
		for i := 0; i < len(line); {
			r, size := utf8.DecodeRuneInString(line[i:])
			if !isOpenQuote(r) {
				i += size
				continue
			}
			s := quoteSpan{open: i, prev: prev}
			in0 := i + size
			j := nestedClose(line, in0, r)
			if j < 0 {
				j = in0
				for j < len(line) {
					c, csize := utf8.DecodeRuneInString(line[j:])
					if isCloseQuote(c) {
						break
					}
					j += csize
				}
			}
			// Citations written inside the marks, or after a quotation left
			// open, belong after it.
			in1 := in0 + len(trimTrailingCites(line[in0:j]))
			if j < len(line) {
				_, csize := utf8.DecodeRuneInString(line[j:])
				s.close = j + csize
				s.cites0, s.cites1 = in1, j
			} else {
				s.close = in1
				s.closeMark = `"`
				if r != '"' {
					s.closeMark = "”"
				}
			}
			c0, c1 := trimQuoteEdges(line[in0:in1])
			s.core0, s.core1 = in0+c0, in0+c1
			s.clause0, s.clause1 = clauseAround(line, sentences, s.open, s.close)
			s.lineEnd = len(line)
			for _, p := range []*int{&s.open, &s.close, &s.core0, &s.core1, &s.clause0, &s.clause1, &s.cites0, &s.cites1, &s.lineEnd, &s.prev} {
				*p += lineStart
			}
			spans = append(spans, s)
			prev = max(s.close-lineStart, in0)
			i = prev
		}
		lineStart = lineEnd + 1
	}
	return spans
}

// nestedClose returns the offset of the ” that closes a quotation opened
// with “ at from, reading a “ inside it as a quotation within the
// quotation (a model quoting a sentence that quotes someone); -1 when the
// marks do not pair up so on the line, or the quotation opened with a mark
// that has no distinct closing form, and the first closing mark is taken.
func nestedClose(line string, from int, open rune) int {
	if open != '“' && open != '„' {
		return -1
	}
	depth := 0
	for j := from; j < len(line); {
		c, size := utf8.DecodeRuneInString(line[j:])
		switch c {
		case '“', '„':
			depth++
		case '”':
			if depth == 0 {
				return j
			}
			depth--
		}
		j += size
	}
	return -1
}

// trimTrailingCites returns s without the citations and space that end it.
func trimTrailingCites(s string) string {
	for {
		t := strings.TrimRight(s, " \t")
		all := citeRe.FindAllStringIndex(t, -1)
		if len(all) == 0 || all[len(all)-1][1] != len(t) {
			return t
		}
		s = t[:all[len(all)-1][0]]
	}
}

// trimQuoteEdges returns the offsets of s without the white space and
// punctuation at its edges that a quotation may gain or lose (“…,” “…”
// “…Israel.”), and without an ellipsis that opens or closes it. The stop of
// an abbreviation ("U.S.") is kept.
func trimQuoteEdges(s string) (int, int) {
	i, j := 0, len(s)
	for i < j {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !edgeMark(r) {
			break
		}
		i += size
	}
	for j > i {
		r, size := utf8.DecodeLastRuneInString(s[i:j])
		if !edgeMark(r) {
			break
		}
		if r == '.' && j-size > i && abbreviationStop(s[i:j]) {
			break
		}
		j -= size
	}
	return i, j
}

func edgeMark(r rune) bool {
	switch r {
	case ',', '.', ';', ':', '…', '!', '?', '-', '–', '—', '*', '_', '\'', '‘', '’', '"', '“', '”', '(', ')':
		return true
	}
	return unicode.IsSpace(r)
}

// abbreviationStop reports whether the full stop that ends s closes an
// abbreviation such as "U.S." rather than a sentence.
func abbreviationStop(s string) bool {
	w := s[strings.LastIndexFunc(s, unicode.IsSpace)+1:]
	w = strings.TrimSuffix(w, ".")
	return strings.Contains(w, ".") && !strings.Contains(w, "..")
}

// clauseAround returns the part of line to remove with the span
// [open, close): the sentences it lies in and any citations right after
// them, with the space before it when it does not open the line.
func clauseAround(line string, sentences []retrieval.Span, open, close int) (int, int) {
	start, end := open, close
	for _, s := range sentences {
		if s.Start <= open && open < s.End {
			start = min(start, s.Start)
		}
		if s.Start < close && close <= s.End {
			end = max(end, s.End)
		}
	}
	if m := trailingCitesRe.FindStringIndex(line[end:]); m != nil {
		end += m[1]
	}
	// A list mark that opens the line stays, so that the rest of the item
	// keeps it; an item left empty is dropped by tidy.
	if m := listPrefixRe.FindStringIndex(line); m != nil && start < m[1] && m[1] <= open {
		start = m[1]
	}
	for start > 0 && (line[start-1] == ' ' || line[start-1] == '\t') {
		start--
	}
	return start, end
}

// associate ties each quotation to its citations: those after it in its
// sentence (or right after the sentence), before the next quotation; else
// those before it in its sentence, after the previous quotation.
func associate(spans []quoteSpan, groups []citeGroup) {
	for si := range spans {
		s := &spans[si]
		next := s.lineEnd
		if si+1 < len(spans) && spans[si+1].open < next {
			next = spans[si+1].open
		}
		for gi, g := range groups {
			if g.start >= s.core1 && g.start < min(next, s.clause1) && !(g.start >= s.core0 && g.end <= s.core1) {
				s.groups = append(s.groups, gi)
			}
		}
		if len(s.groups) == 0 {
			for gi, g := range groups {
				if g.start >= max(s.clause0, s.prev) && g.end <= s.open {
					s.groups = append(s.groups, gi)
				}
			}
		}
		for _, gi := range s.groups {
			groups[gi].owners++
		}
	}
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

// speakerOf names who speaks the quoted words in p: the speaker of a known
// quotation whose words hold them, else of one whose sentence does; "" for
// the story's own narration.
func speakerOf(p retrieval.Passage, quote string) (speaker, role string) {
	for _, q := range p.Quotes {
		if q.Text != "" && retrieval.ContainsFolded(q.Text, quote) {
			return q.Speaker, q.Role
		}
	}
	for _, q := range p.Quotes {
		if q.Sentence != "" && retrieval.ContainsFolded(q.Sentence, quote) {
			return q.Speaker, q.Role
		}
	}
	return "", ""
}

// mergeRanges sorts removals and merges those that overlap or touch.
func mergeRanges(removes []edit) []edit {
	sort.Slice(removes, func(i, j int) bool { return removes[i].start < removes[j].start })
	var merged []edit
	for _, r := range removes {
		if n := len(merged); n > 0 && r.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, r.end)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// applyEdits applies the edits and the merged removals to text. A removal
// wins over any edit that touches it.
func applyEdits(text string, edits, merged []edit) string {
	all := append([]edit(nil), merged...)
	for _, e := range edits {
		hit := false
		for _, r := range merged {
			if e.start < r.end && e.end > r.start || e.start == e.end && e.start > r.start && e.start < r.end {
				hit = true
				break
			}
		}
		if !hit {
			all = append(all, e)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].end < all[j].end
	})
	var b strings.Builder
	at := 0
	for _, e := range all {
		if e.start < at {
			continue // overlaps an edit already applied
		}
		b.WriteString(text[at:e.start])
		b.WriteString(e.repl)
		at = e.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// listPrefixRe matches the Markdown list or quote mark that opens a line.
var listPrefixRe = regexp.MustCompile(`^\s*(?:[-*+•>]|\d+[.)])\s+`)

// removedMark stands where a sentence was removed until tidy has dropped
// the lines left empty by removals.
const removedMark = "\x00"

// listMarkRe matches a line left with nothing but Markdown list or quote
// marks, or emphasis.
var listMarkRe = regexp.MustCompile(`^\s*(?:[-*+•>]|\d+[.)])?\s*[*_]*\s*$`)

// tidy drops the lines that removals emptied (leaving at most a list mark),
// trailing space, and runs of blank lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		removed := strings.Contains(l, removedMark)
		l = strings.TrimRight(strings.ReplaceAll(l, removedMark, ""), " \t")
		switch {
		case removed && listMarkRe.MatchString(l):
			continue
		case strings.TrimSpace(l) == "":
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		if removed {
			l = strings.TrimLeft(l, " \t")
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// foldIndex is a text folded as retrieval.Fold folds it, with the byte
// range of the original that each folded byte came from, so that a match in
// the folded text can be returned in the original's own words.
type foldIndex struct {
	orig, s    string
	start, end []int
}

func newFoldIndex(orig string) foldIndex {
	var (
		b       strings.Builder
		f       = foldIndex{orig: orig}
		pending bool // a space is due before the next character
	)
	emit := func(s string, from, to int) {
		if pending && b.Len() > 0 {
			b.WriteByte(' ')
			f.start = append(f.start, from)
			f.end = append(f.end, from)
		}
		pending = false
		b.WriteString(s)
		for range len(s) {
			f.start = append(f.start, from)
			f.end = append(f.end, to)
		}
	}
	for i := 0; i < len(orig); {
		c := orig[i]
		if c < utf8.RuneSelf {
			if asciiSpace(c) {
				pending = true
			} else {
				emit(orig[i:i+1], i, i+1)
			}
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(orig[i:])
		// retrieval.Fold maps rune by rune, so folding one rune alone is
		// folding it in place; a rune that folds to nothing is space.
		if r := retrieval.Fold(orig[i : i+size]); r == "" {
			pending = true
		} else {
			emit(r, i, i+size)
		}
		i += size
	}
	f.s = b.String()
	return f
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// original returns the original text behind the folded bytes [i, j).
func (f *foldIndex) original(i, j int) string {
	return f.orig[f.start[i]:f.end[j-1]]
}

// wordToken is a word of a quotation or passage: its comparison form and
// the byte offsets of the word without edge punctuation.
type wordToken struct {
	norm       string
	start, end int
}

// wordTokens splits s at white space into words for the near-copy search.
func wordTokens(s string) []wordToken {
	var toks []wordToken
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		if c0, c1 := trimQuoteEdges(s[i:j]); c0 < c1 {
			w := strings.TrimSuffix(strings.ToLower(retrieval.Fold(s[i+c0:i+c1])), ".")
			toks = append(toks, wordToken{norm: w, start: i + c0, end: i + c1})
		}
		i = j
	}
	return toks
}

// findNearCopy finds the span of the passages, in order, most like quote:
// the window of words whose similarity (twice the longest common
// subsequence of words over the two lengths) is highest, at least
// mendSimilarity. It returns the passage and the span in its own words.
// Passages too long for what is left of budget are skipped.
func findNearCopy(quote string, order []int, passages []retrieval.Passage, budget *int) (int, string, bool) {
	q := wordTokens(quote)
	if len(q) < minQuoteWords || len(q) > maxMendTokens {
		return 0, "", false
	}
	best, bestSim, bestText := -1, 0.0, ""
	for _, i := range order {
		text := passages[i].Text
		p := wordTokens(text)
		// Each start position fills at most a (len(q)+slack) × len(q) table.
		cost := len(p) * (len(q) + max(2, len(q)/5)) * len(q)
		if cost > *budget {
			continue
		}
		*budget -= cost
		s0, s1, sim := bestWindow(q, p)
		if s1 > s0 && sim > bestSim {
			best, bestSim, bestText = i, sim, text[p[s0].start:p[s1-1].end]
		}
	}
	if best < 0 || bestSim < mendSimilarity {
		return 0, "", false
	}
	return best, bestText, true
}

// bestWindow returns the window p[s0:s1] most similar to q, and its
// similarity. Windows are a few words shorter or longer than q, so that a
// dropped or added word still matches.
func bestWindow(q, p []wordToken) (s0, s1 int, sim float64) {
	n := len(q)
	slack := max(2, n/5)
	minL, maxL := max(1, n-slack), n+slack
	prev, cur := make([]int, n+1), make([]int, n+1)
	for s := 0; s+minL <= len(p); s++ {
		clear(prev)
		for l := 1; l <= maxL && s+l <= len(p); l++ {
			w := p[s+l-1].norm
			cur[0] = 0
			for j := 1; j <= n; j++ {
				if q[j-1].norm == w {
					cur[j] = prev[j-1] + 1
				} else {
					cur[j] = max(prev[j], cur[j-1])
				}
			}
			prev, cur = cur, prev
			if l < minL {
				continue
			}
			d := 2 * float64(prev[n]) / float64(n+l)
			if d > sim || d == sim && s1 > s0 && abs(l-n) < abs(s1-s0-n) {
				s0, s1, sim = s, s+l, d
			}
		}
	}
	return s0, s1, sim
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
