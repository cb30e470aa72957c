package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/text"
)

// qtok is a word or punctuation mark of a paragraph, with its byte offsets.
type qtok struct {
	text       string
	start, end int
	word       bool
}

func (t qtok) is(s string) bool { return t.text == s }

func (t qtok) lower() string { return strings.ToLower(t.text) }

// bare is the word without a possessive ending or an abbreviation's stop.
func (t qtok) bare() string {
	w := strings.TrimSuffix(t.text, ".")
	for _, suf := range []string{"’s", "'s"} {
		w = strings.TrimSuffix(w, suf)
	}
	return w
}

func (t qtok) possessive() bool {
	return t.word && (strings.HasSuffix(t.text, "’s") || strings.HasSuffix(t.text, "'s"))
}

// capital reports whether the token is a word that starts with a capital.
func (t qtok) capital() bool {
	return t.word && unicode.IsUpper(text.FirstRune(t.text))
}

// quoteTokens splits p into words (letters and digits, with inner
// apostrophes, hyphens and dots, and the stop of an abbreviation) and single
// punctuation marks; white space is dropped.
func quoteTokens(p string) []qtok {
	var toks []qtok
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + size
			for j < len(p) {
				r2, s2 := utf8.DecodeRuneInString(p[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2) {
					j += s2
					continue
				}
				if r2 == '’' || r2 == '\'' || r2 == '-' || r2 == '.' || r2 == '&' {
					r3, _ := utf8.DecodeRuneInString(p[j+s2:])
					if j+s2 < len(p) && (unicode.IsLetter(r3) || unicode.IsDigit(r3)) {
						j += s2
						continue
					}
				}
				break
			}
			if j < len(p) && p[j] == '.' && text.AbbreviationClass(p[i:j]) != text.AbbrevNone {
				j++
			}
			toks = append(toks, qtok{text: p[i:j], start: i, end: j, word: true})
			i = j
		default:
			toks = append(toks, qtok{text: p[i : i+size], start: i, end: i + size})
			i += size
		}
	}
	return toks
}

// quoteSpan is one quotation in a paragraph: the offsets of its opening mark
// and of its closing mark (both at the paragraph's end when it runs on into
// the next paragraph, as news style does for a long quotation).
type quoteSpan struct {
	open, openEnd   int
	close, closeEnd int
}

// findQuoteSpans pairs the quotation marks of p. Curly marks pair with curly
// ones and straight with straight; single quotation marks are left to the
// text, since "’" is also the apostrophe.
func findQuoteSpans(p string) []quoteSpan {
	var spans []quoteSpan
	cur, curly := -1, false
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == '“':
			if cur >= 0 {
				// The previous quotation never closed; it ends here.
				spans[cur].close, spans[cur].closeEnd = i, i
			}
			spans = append(spans, quoteSpan{open: i, openEnd: i + size})
			cur, curly = len(spans)-1, true
		case r == '”' && cur >= 0 && curly:
			spans[cur].close, spans[cur].closeEnd = i, i+size
			cur = -1
		case r == '"' && cur >= 0 && !curly:
			spans[cur].close, spans[cur].closeEnd = i, i+size
			cur = -1
		case r == '"' && cur < 0:
			prev, _ := utf8.DecodeLastRuneInString(p[:i])
			if i > 0 && unicode.IsDigit(prev) {
				break // 5'10" — inches, not a quotation
			}
			spans = append(spans, quoteSpan{open: i, openEnd: i + size})
			cur, curly = len(spans)-1, false
		}
		i += size
	}
	if cur >= 0 {
		spans[cur].close, spans[cur].closeEnd = len(p), len(p)
	}
	kept := spans[:0]
	for _, q := range spans {
		if strings.TrimSpace(p[q.openEnd:q.close]) != "" {
			kept = append(kept, q)
		}
	}
	return kept
}

func allCapsWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// separator reports whether a token ends a segment of a sentence.
func separator(t qtok) bool {
	if t.word {
		return false
	}
	switch t.text {
	case ",", ";", ":", ".", "?", "!", "“", "”", "\"", "(", ")", "—", "–", "[", "]":
		return true
	}
	return false
}

// segmentEnd returns the index of the first separator at or after k.
func segmentEnd(toks []qtok, k int) int {
	for k < len(toks) && !separator(toks[k]) {
		k++
	}
	return k
}

// segmentStart returns the index of the first token of the segment that
// holds toks[k].
func segmentStart(toks []qtok, k int) int {
	for k >= 0 && !separator(toks[k]) {
		k--
	}
	return k + 1
}

func isLyAdverb(t qtok) bool {
	return t.word && strings.HasSuffix(t.text, "ly") && unicode.IsLower(text.FirstRune(t.text)) && len(t.text) > 4
}

// tokAt returns the index of the token that starts at byte offset b (or the
// first one after it).
func (a *unitAn) tokAt(b int) int {
	return sort.Search(len(a.toks), func(k int) bool { return a.toks[k].start >= b })
}

// unitEnd is the end of the unit without its final full stop.
func (a *unitAn) unitEnd() int {
	end := a.u.End
	if end > a.u.Start && a.p[end-1] == '.' {
		if k := a.tokAt(end-1) - 1; k >= 0 && a.toks[k].end == end && strings.HasSuffix(a.toks[k].text, ".") {
			return end // "… the U.S." keeps the abbreviation's stop
		}
		end--
	}
	return end
}

func pluralNoun(w string) bool {
	switch w {
	case "people", "police", "staff", "media", "press", "clergy", "personnel", "others":
		return true
	}
	return strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "is") && !strings.HasSuffix(w, "us")
}
