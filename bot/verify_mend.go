package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval"
)

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
