// Package text holds the plain-text primitives that retrieval, quote and
// bot share: the sentence splitter and the abbreviation rules it rests on,
// the one quotation-mark pairing policy (PairQuotes), and the truncator.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a piece of a text: the byte offsets [Start, End) into it and the
// text itself, so that Text == text[Start:End].
type Span struct {
	Start, End int
	Text       string
}

// Sentences splits text into sentences, in order. Each sentence is trimmed of
// surrounding white space, and every byte of text that is not white space
// lies in exactly one sentence.
//
// A sentence ends at ".", "?" or "!" (with any closing quotation marks or
// brackets after it) followed by white space and the start of a new sentence,
// and at a blank line. A full stop does not end a sentence after a title
// ("Rep. Bob Ney", "Dr."), inside a number ("3.5"), after "No." or a month
// ("Jan.") before a number, or after an initial or an abbreviation ("George W.
// Bush", "the U.S. and Israel") unless the next word is one that usually opens
// a sentence ("… in the U.S. The next day …"). A quotation that closes with
// ".”" or "?”" and is followed by its attribution (“… now?” Smith asked) stays
// in one sentence, as does one closed with ",”".
func Sentences(text string) []Span {
	var spans []Span
	emit := func(from, to int) {
		from, to = TrimSpaceBounds(text, from, to)
		if from < to {
			spans = append(spans, Span{Start: from, End: to, Text: text[from:to]})
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' && blankLineAt(text, i):
			// A blank line always separates sentences, punctuated or not.
			emit(start, i)
			start = i
			i += size
		case r == '.' || r == '?' || r == '!':
			end, ok := sentenceEndAt(text, i)
			if ok {
				emit(start, end)
				start = end
				i = end
				continue
			}
			i = end
		default:
			i += size
		}
	}
	emit(start, len(text))
	return spans
}

// sentenceEndAt looks at the terminator at text[i] and reports where the
// sentence it may close ends (after the terminators and any closing marks)
// and whether it does close one. When it does not, the returned offset is
// where scanning should resume.
func sentenceEndAt(text string, i int) (int, bool) {
	first := text[i]
	j := i
	for j < len(text) && (text[j] == '.' || text[j] == '?' || text[j] == '!') {
		j++
	}
	terms := text[i:j]
	// A full stop inside a word or number ("3.5", "U.S.-led") or an ellipsis
	// never ends a sentence here.
	if first == '.' && strings.HasPrefix(terms, "...") && !strings.ContainsAny(terms, "?!") {
		return j, false
	}
	if bracketedAbbrev(text, i, j, terms) {
		return j, false
	}
	j, closedQuote := closersAfter(text, j)
	if j == len(text) {
		return j, true
	}
	r, _ := utf8.DecodeRuneInString(text[j:])
	if !unicode.IsSpace(r) {
		return j, false
	}
	k := skipSpace(text, j)
	if k == len(text) {
		return j, true
	}
	next, _ := utf8.DecodeRuneInString(text[k:])
	nextWord := leadingWord(text[k:])
	if strings.Contains(text[j:k], "\n\n") || blankLineIn(text[j:k]) {
		return j, true
	}
	if unicode.IsLower(next) {
		// “Why?” he asked. / approx. five / U.S. officials
		return j, false
	}
	if closedQuote && attributionFollows(text[k:]) {
		// “We are leaving now.” Smith said — sloppy but common.
		return j, false
	}
	if strings.ContainsAny(terms, "?!") {
		return j, true
	}
	if !opensSentence(next) {
		return j, false
	}
	if closedQuote {
		return j, true
	}
	return j, abbrevEnds(WordBefore(text, i), next, nextWord)
}

// bracketedAbbrev reports whether the full stop text[i:j] ends a short
// abbreviation in brackets: "Lt. Gen. (ret.) Raghav Menon-Iyer".
func bracketedAbbrev(text string, i, j int, terms string) bool {
	if terms != "." || j >= len(text) || text[j] != ')' {
		return false
	}
	w := WordBefore(text, i)
	return w != "" && len(w) <= 4 && i-len(w) > 0 && text[i-len(w)-1] == '('
}

// closersAfter skips the closing quotation marks and brackets from text[j]
// and reports where they end and whether a quotation mark was among them.
func closersAfter(text string, j int) (int, bool) {
	closedQuote := false
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isCloser(r) {
			break
		}
		if r == '\'' || r == '"' {
			// A straight mark only closes when nothing but space follows it.
			n, _ := utf8.DecodeRuneInString(text[j+size:])
			if j+size < len(text) && !unicode.IsSpace(n) && !isCloser(n) {
				break
			}
		}
		if r == '”' || r == '"' || r == '’' || r == '\'' || r == '»' {
			closedQuote = true
		}
		j += size
	}
	return j, closedQuote
}

// skipSpace returns the offset of the first rune at or after text[k] that
// is not white space.
func skipSpace(text string, k int) int {
	for k < len(text) {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsSpace(r) {
			break
		}
		k += size
	}
	return k
}

// abbrevEnds reports whether a full stop after word, followed by a space
// and the rune next (which opens nextWord), ends the sentence.
func abbrevEnds(word string, next rune, nextWord string) bool {
	switch AbbreviationClass(word) {
	case AbbrevTitle:
		return false
	case AbbrevNumber:
		return !unicode.IsDigit(next)
	case AbbrevMonth:
		if unicode.IsDigit(next) {
			return false
		}
		return sentenceStarters[nextWord] || isOpeningMark(next)
	case AbbrevAmbiguous:
		return sentenceStarters[nextWord] || isOpeningMark(next)
	}
	return true
}

// The abbreviation classes (AbbreviationClass) decide whether a full stop after a word can end a
// sentence.
const (
	AbbrevNone      = iota // an ordinary word: the stop ends the sentence
	AbbrevTitle            // "Mr.", "Sen.": never ends one
	AbbrevNumber           // "No.": not before a number
	AbbrevMonth            // "Jan.": not before a number, else ambiguous
	AbbrevAmbiguous        // "U.S.", "Inc.", an initial: only before a typical sentence opener
)

// IsTitleAbbrev reports whether lower, a lower-case word without its full
// stop, is a title abbreviation such as "mr", "sen" or "gen".
func IsTitleAbbrev(lower string) bool { return titleAbbrevs[lower] }

var titleAbbrevs = WordSet("mr", "mrs", "ms", "messrs", "dr", "prof", "sen", "sens", "rep", "reps",
	"gov", "govs", "lt", "col", "gen", "sgt", "capt", "cmdr", "adm", "maj", "rev", "hon", "pres",
	"supt", "atty", "amb", "brig", "cpl", "pvt", "fr", "msgr", "insp", "det", "del", "assemb",
	"vs", "v", "e.g", "i.e", "cf", "approx", "ca")

var monthAbbrevs = WordSet("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

var numberAbbrevs = WordSet("no", "nos", "vol", "vols", "fig", "para")

var ambiguousAbbrevs = WordSet("inc", "corp", "co", "ltd", "llc", "jr", "sr", "st", "ave", "blvd", "rd",
	"mt", "ft", "bros", "etc", "a.m", "p.m", "est", "univ", "assn", "intl", "dept")

// sentenceStarters are words that open sentences far more often than they
// follow an abbreviation inside one.
var sentenceStarters = WordSet("The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His",
	"Her", "Its", "Their", "Our", "This", "That", "These", "Those", "There", "But", "And", "Or",
	"So", "Yet", "In", "On", "At", "For", "After", "Before", "When", "While", "If", "As", "Still",
	"However", "Meanwhile", "Then", "Now", "Some", "Many", "Most", "Both", "Such", "What", "Why",
	"How", "Who", "Where", "Although", "Though", "Because", "Since", "During", "Until", "Last",
	"Next", "Earlier", "Later", "Instead", "Neither", "Nor", "Not", "No", "Yes", "Each", "Every",
	"All", "One", "Another", "Officials", "Critics")

// AbbreviationClass returns the class of word (without its full stop):
// AbbrevNone for an ordinary word, else the kind of abbreviation it is.
func AbbreviationClass(word string) int {
	if word == "" {
		return AbbrevNone
	}
	lower := strings.ToLower(word)
	switch {
	case titleAbbrevs[lower]:
		return AbbrevTitle
	case numberAbbrevs[lower] && unicode.IsUpper(FirstRune(word)):
		return AbbrevNumber
	case monthAbbrevs[lower] && unicode.IsUpper(FirstRune(word)):
		return AbbrevMonth
	case ambiguousAbbrevs[lower]:
		return AbbrevAmbiguous
	case isInitial(word) || isDottedAcronym(word):
		return AbbrevAmbiguous
	}
	return AbbrevNone
}

// AbbreviationStop reports whether the full stop at s[i] closes an
// abbreviation ("U.S.", "Mr.", "Inc.", the initial of "George W.") and so
// belongs to the word, rather than to the sentence: a quotation trimmed of
// its final punctuation keeps it. The stop of "No." is the sentence's, as
// "No." is an abbreviation only before a number.
func AbbreviationStop(s string, i int) bool {
	c := AbbreviationClass(WordBefore(s, i))
	return c != AbbrevNone && c != AbbrevNumber
}

// WordBefore returns the word that ends at the full stop text[i], without
// the stop: letters, digits, inner dots and apostrophes ("U.S", "gov't").
func WordBefore(text string, i int) string {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '\'' || r == '’' {
			j -= size
			continue
		}
		break
	}
	return strings.TrimLeft(text[j:i], ".'’")
}

// isInitial reports whether w is a single capital letter, as in "George W.".
func isInitial(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && unicode.IsUpper(r)
}

// isDottedAcronym reports whether w is letters joined by dots, as "U.S" or
// "a.m" (the final dot already removed).
func isDottedAcronym(w string) bool {
	if !strings.Contains(w, ".") {
		return false
	}
	for _, part := range strings.Split(w, ".") {
		n := utf8.RuneCountInString(part)
		if n == 0 || n > 2 {
			return false
		}
		for _, r := range part {
			if !unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}

// opensSentence reports whether r can be the first character of a sentence
// that follows a full stop: a capital, a digit, an opening mark, or a letter
// of a script without case.
func opensSentence(r rune) bool {
	switch {
	case unicode.IsUpper(r) || unicode.IsDigit(r) || isOpeningMark(r):
		return true
	case unicode.IsLetter(r):
		return !unicode.IsLower(r)
	}
	return r == '—' || r == '–' || r == '-' || r == '*' || r == '•'
}

func isOpeningMark(r rune) bool {
	return r == '“' || r == '"' || r == '‘' || r == '\'' || r == '(' || r == '[' || r == '«'
}

func isCloser(r rune) bool {
	return r == '”' || r == '"' || r == '’' || r == '\'' || r == ')' || r == ']' || r == '»'
}

// attributionFollows reports whether s opens with a speaker and a verb of
// saying ("Smith said", "Sen. Jane Doe asked"), which shows that a quotation
// just closed with a full stop or question mark is still inside its
// sentence.
func attributionFollows(s string) bool {
	if len(s) > 200 {
		s = s[:200] // the attribution, if any, is in the next few words
	}
	fields := strings.Fields(s)
	for n, f := range fields {
		if n > 4 {
			return false
		}
		w := strings.TrimRight(f, ",.;:")
		if n > 0 && saysVerbs[w] {
			return true
		}
		if !unicode.IsUpper(FirstRune(w)) || sentenceStarters[w] {
			return false
		}
	}
	return false
}

// saysVerbs are the past and present forms of verbs that attribute a
// quotation placed right after it.
var saysVerbs = WordSet("said", "says", "asked", "asks", "added", "adds", "told", "tells", "wrote",
	"writes", "replied", "replies", "recalled", "recalls", "noted", "notes", "explained",
	"explains", "continued", "continues", "insisted", "insists", "declared", "declares",
	"responded", "responds", "warned", "warns", "stressed", "stresses", "argued", "argues")

// leadingWord returns the letters that open s.
func leadingWord(s string) string {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += size
	}
	return s[:end]
}

// blankLineAt reports whether the newline at text[i] is followed, after
// spaces or tabs, by another newline.
func blankLineAt(text string, i int) bool {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\n':
			return true
		case ' ', '\t', '\r':
			continue
		}
		return false
	}
	return false
}

func blankLineIn(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && blankLineAt(s, i) {
			return true
		}
	}
	return false
}

// EndsSentence reports whether s ends with sentence punctuation (".", "?",
// "!" or "…"), possibly followed by closing quotation marks or brackets
// and white space.
func EndsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isCloser(r) })
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!' || r == '…'
}

// TrimSpaceBounds narrows [from, to) to exclude white space at either end.
func TrimSpaceBounds(text string, from, to int) (int, int) {
	for from < to {
		r, size := utf8.DecodeRuneInString(text[from:to])
		if !unicode.IsSpace(r) {
			break
		}
		from += size
	}
	for to > from {
		r, size := utf8.DecodeLastRuneInString(text[from:to])
		if !unicode.IsSpace(r) {
			break
		}
		to -= size
	}
	return from, to
}

// FirstRune returns the first rune of s, or utf8.RuneError when s is empty.
func FirstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// WordSet returns the set of words: the shape of every word list in
// storybot.
func WordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
