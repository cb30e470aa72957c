package bot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// findQuotes is the first step of verification: it finds the quoted spans
// of text and the citations, and ties each span to its citations.
func findQuotes(text string) ([]quoteSpan, []citeGroup) {
	var groups []citeGroup
	for _, m := range citeRe.FindAllStringIndex(text, -1) {
		groups = append(groups, citeGroup{start: m[0], end: m[1], nums: citeNumbers(text[m[0]:m[1]])})
	}
	spans := quoteSpans(text)
	associate(spans, groups)
	return spans, groups
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

// quoteSpans finds the quoted spans of text, line by line, pairing the
// marks as text.PairQuotes does. A span left open runs to where the
// pairing stops it (the end of its line, or the next quotation), less any
// citations there, and gets the closing mark it lacks.
func quoteSpans(answer string) []quoteSpan {
	var spans []quoteSpan
	for lineStart := 0; lineStart <= len(answer); {
		lineEnd := strings.IndexByte(answer[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(answer)
		} else {
			lineEnd += lineStart
		}
		spans = append(spans, lineSpans(answer[lineStart:lineEnd], lineStart)...)
		lineStart = lineEnd + 1
	}
	return spans
}

// lineSpans returns the quoted spans of one line of the answer, which
// starts at offset lineStart.
func lineSpans(line string, lineStart int) []quoteSpan {
	var spans []quoteSpan
	sentences := retrieval.Sentences(line)
	prev := 0
	for _, q := range text.PairQuotes(line) {
		s := quoteSpan{open: q.Open, prev: prev}
		in0 := q.OpenEnd
		// Citations written inside the marks, or after a quotation left
		// open, belong after it.
		in1 := in0 + len(trimTrailingCites(line[in0:q.Close]))
		if q.Closed() {
			s.close = q.CloseEnd
			s.cites0, s.cites1 = in1, q.Close
		} else {
			s.close = in1
			s.closeMark = "”"
			if line[q.Open:q.OpenEnd] == `"` {
				s.closeMark = `"`
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
	}
	return spans
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
		if r == '.' && j-size > i && text.AbbreviationStop(s[i:j], j-size-i) {
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

// listPrefixRe matches the Markdown list or quote mark that opens a line.
var listPrefixRe = regexp.MustCompile(`^\s*(?:[-*+•>]|\d+[.)])\s+`)

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
