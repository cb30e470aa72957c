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

// findQuoteSpans pairs the quotation marks of p as text.PairQuotes does,
// and drops the quotations that hold nothing but space.
func findQuoteSpans(p string) []quoteSpan {
	var spans []quoteSpan
	for _, q := range text.PairQuotes(p) {
		if strings.TrimSpace(p[q.OpenEnd:q.Close]) != "" {
			spans = append(spans, quoteSpan{open: q.Open, openEnd: q.OpenEnd, close: q.Close, closeEnd: q.CloseEnd})
		}
	}
	return spans
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
