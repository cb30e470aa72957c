// Package quote finds the quotations and reported claims in a story's body
// paragraphs and ties each to its speaker, with the speaker's role. Extract
// is the entry point; the rest of the package is the attribution machinery,
// one file per job: tokens, names and titles, cues, noun phrases, pronoun
// resolution, claims, and lexicon.go with the word lists they consult.
package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/text"
)

// Quote is a direct quotation or a reported claim, tied to its speaker.
type Quote struct {
	Paragraph int    // 1-based paragraph number
	Text      string // the quoted words, verbatim, without the quotation marks
	Sentence  string // the whole sentence that holds the quote, verbatim
	Speaker   string // the person's full name as the story gives it; "" if unknown
	Role      string // the speaker's role as the story gives it, e.g. "of the Carnegie Endowment for Peace"
	Direct    bool   // true for a quotation in quotation marks, false for a reported claim

	// Via is who relays the quote when it is not the speaker's own telling:
	// the author whose book reports it ("Rove acknowledged …, Parsi
	// writes"), the aide who recalls what her principal said. Empty when the
	// speaker is quoted first hand.
	Via string
	// Verb is the attribution cue as written: "said", "contends",
	// "according to", "was disputed by". Empty when the speaker was carried
	// over from an earlier sentence.
	Verb string
	// Fragment reports whether a direct quote is a few words set inside a
	// sentence of the story's own ("the “intriguing” proposal"), rather than
	// a quoted statement; an answer may prefer to show the whole Sentence.
	Fragment bool
	// Offset is the byte offset of Text in its paragraph.
	Offset int
}

// Extract finds the direct quotations and reported claims in the body
// paragraphs of one story and ties each to its speaker. The result holds one
// slice per paragraph, in order; Quote.Paragraph is 1-based.
//
// A direct quotation is text in quotation marks, curly or straight: a whole
// statement (“…,” said X), one broken by its attribution (“…,” he said,
// “…”), or a few words set inside a sentence (the “intriguing” proposal),
// which is marked Fragment. Titles of works (In “Treacherous Alliance,” …)
// are not quotations. A reported claim is the clause a verb of saying
// introduces without quotation marks ("Parsi contends that …", "according
// to X, …", "…, Parsi writes"); its Direct is false.
//
// The speaker comes from the attribution cue around the quote: a name and a
// verb of saying in either order, "according to", "X quotes Y as saying"
// (Y speaks, X relays), "was disputed by", ", who noted that". A surname is
// resolved to the full name the story introduced ("Parsi" → "Trita Parsi"),
// "he", "she" and "they" to the most recent speaker that fits, a definite
// description ("The Israeli") to the earlier one it repeats, and "he" in what
// an aide or spokesperson reports to the person they speak for. The role is
// the appositive or title the story gives the speaker. Quote.Text is always a
// byte-exact substring of its paragraph, at Quote.Offset.
func Extract(paragraphs []string) [][]Quote {
	x := newAttributor(paragraphs)
	out := make([][]Quote, len(paragraphs))
	for i := range paragraphs {
		out[i] = x.paragraph(i)
	}
	return out
}

// attributor holds what Extract knows across paragraphs.
type attributor struct {
	paras      []string
	toks       [][]qtok
	bySurname  map[string][]mention  // full names by surname, in story order
	roleOf     map[string]string     // the first role the story gives a full name
	identities map[string][]identity // by head noun, in story order
	recent     []party               // resolved speakers, oldest first
	lastQuote  party                 // the speaker of the last direct quotation
	lastPara   int                   // its paragraph, or -1
	// midCaps holds the words the story capitalises where no sentence
	// starts: names. A word capitalised only at the head of sentences is
	// capitalised for its position ("Already, …"), not as a name.
	midCaps map[string]bool
}

func newAttributor(paragraphs []string) *attributor {
	x := &attributor{
		paras:      paragraphs,
		lastPara:   -1,
		bySurname:  map[string][]mention{},
		roleOf:     map[string]string{},
		identities: map[string][]identity{},
		midCaps:    map[string]bool{},
	}
	x.toks = make([][]qtok, len(paragraphs))
	for i, p := range paragraphs {
		x.toks[i] = quoteTokens(p)
		x.scanNames(i)
		x.scanCaps(i)
	}
	return x
}

// paragraph extracts the quotes of paragraph i.
func (x *attributor) paragraph(i int) []Quote {
	p := x.paras[i]
	spans := findQuoteSpans(p)
	var out []Quote
	for _, u := range quoteUnits(p, spans) {
		out = append(out, x.unit(i, u, spans)...)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Offset < out[b].Offset })
	return out
}

// maxUnitBytes bounds the text analysed as one sentence. No news sentence
// comes near it; text that does (a run-on paste, a hostile file) is cut into
// pieces so that the work stays linear in its length.
const maxUnitBytes = 2000

// quoteUnits returns the sentences of p, merged where a quotation runs over
// several, so that every quotation lies inside one unit.
func quoteUnits(p string, spans []quoteSpan) []text.Span {
	var units []text.Span
	for _, s := range text.Sentences(p) {
		if n := len(units); n > 0 && crosses(spans, units[n-1].End) && s.End-units[n-1].Start <= maxUnitBytes {
			units[n-1].End = s.End
			units[n-1].Text = p[units[n-1].Start:s.End]
			continue
		}
		for s.End-s.Start > maxUnitBytes {
			cut := s.Start + maxUnitBytes
			if sp := strings.LastIndexAny(p[s.Start:cut], " \t\n"); sp > 0 {
				cut = s.Start + sp
			}
			for cut > s.Start && !utf8.RuneStart(p[cut]) {
				cut--
			}
			if cut == s.Start {
				cut = s.Start + maxUnitBytes
			}
			units = append(units, text.Span{Start: s.Start, End: cut, Text: p[s.Start:cut]})
			from, _ := text.TrimSpaceBounds(p, cut, s.End)
			s = text.Span{Start: from, End: s.End, Text: p[from:s.End]}
		}
		if s.End > s.Start {
			units = append(units, s)
		}
	}
	return units
}

// crosses reports whether a quotation runs over offset at; spans are in
// order and do not overlap.
func crosses(spans []quoteSpan, at int) bool {
	k := sort.Search(len(spans), func(k int) bool { return spans[k].open >= at })
	return k > 0 && spans[k-1].closeEnd > at
}

// unitAn is the analysis of one sentence (or run of sentences a quotation
// spans).
type unitAn struct {
	x      *attributor
	para   int
	p      string
	toks   []qtok
	ts, te int // token range
	u      text.Span
	spans  []quoteSpan // quotations in the unit
	cues   []cue
}

func (x *attributor) unit(i int, u text.Span, all []quoteSpan) []Quote {
	a := &unitAn{x: x, para: i, p: x.paras[i], toks: x.toks[i], u: u}
	a.ts = sort.Search(len(a.toks), func(k int) bool { return a.toks[k].start >= u.Start })
	a.te = sort.Search(len(a.toks), func(k int) bool { return a.toks[k].start >= u.End })
	from := sort.Search(len(all), func(k int) bool { return all[k].open >= u.Start })
	to := sort.Search(len(all), func(k int) bool { return all[k].open >= u.End })
	a.spans = all[from:to]
	a.findCues()
	a.nest()
	a.resolve()
	out := a.directQuotes()
	a.noteSubject()
	return append(out, a.claims()...)
}

// inQuote reports whether byte offset b lies inside a quotation's marks.
func (a *unitAn) inQuote(b int) bool {
	for _, q := range a.spans {
		if b >= q.openEnd && b < q.close {
			return true
		}
	}
	return false
}

// isMark reports whether toks[k] is a quotation mark.
func (a *unitAn) isMark(k int) bool {
	if k < a.ts || k >= a.te {
		return false
	}
	switch a.toks[k].text {
	case "“", "”", "\"":
		return true
	}
	return false
}

// closesQuote reports whether toks[k] is the closing mark of a quotation;
// the title of a work in quotation marks is a name, not one.
func (a *unitAn) closesQuote(k int) bool {
	for _, q := range a.spans {
		if a.toks[k].start == q.close && q.close < q.closeEnd {
			_, cued := isWorkTitle(a.p, q, a.toks, a.tokAt(q.open))
			return !cued
		}
	}
	return false
}

// titleOpening reports whether toks[k] closes the title of a work (see
// titleAt) and returns the index of its opening mark.
func (a *unitAn) titleOpening(k int) (int, bool) {
	if !a.isMark(k) {
		return 0, false
	}
	for _, q := range a.spans {
		if a.toks[k].start != q.close || q.close >= q.closeEnd {
			continue
		}
		o := a.tokAt(q.open)
		if _, ok := a.titleAt(o); ok {
			return o, true
		}
	}
	return 0, false
}

// titleAt reports whether toks[k] opens the title of a work in quotation
// marks that a word before it names as one ("said on “Meet the Press” that
// …", "in his book “…”"), and returns the index of its closing mark.
func (a *unitAn) titleAt(k int) (int, bool) {
	for _, q := range a.spans {
		if a.toks[k].start != q.open || q.close >= q.closeEnd {
			continue
		}
		if _, cued := isWorkTitle(a.p, q, a.toks, k); cued {
			return a.tokAt(q.close), true
		}
	}
	return 0, false
}

// directQuotes attributes each quotation of the unit.
func (a *unitAn) directQuotes() []Quote {
	var out []Quote
	for _, q := range a.spans {
		ts, te := trimQuoteText(a.p, q.openEnd, q.close)
		if ts >= te {
			continue
		}
		text := a.p[ts:te]
		ci, adjacent := a.attributionOf(q)
		if title, cued := isWorkTitle(a.p, q, a.toks, a.tokAt(q.open)); cued || title && !adjacent {
			continue
		}
		quote := Quote{
			Paragraph: a.para + 1,
			Text:      text,
			Sentence:  a.p[min(a.u.Start, ts):max(a.u.End, te)],
			Direct:    true,
			Offset:    ts,
		}
		startsUnit := strings.TrimSpace(a.p[a.u.Start:q.open]) == ""
		switch {
		case ci >= 0 && len(a.cues[ci].speakers) > 0:
			c := a.cues[ci]
			sp := c.speakers[0]
			quote.Speaker, quote.Role, quote.Via, quote.Verb = sp.name, sp.role, c.via, c.verb
			if sp.name != "" {
				a.x.lastQuote, a.x.lastPara = sp, a.para
			}
		case ci < 0 && startsUnit && a.x.lastPara >= a.para-1 && a.x.lastQuote.name != "":
			// A quotation that continues the last speaker's words.
			quote.Speaker, quote.Role = a.x.lastQuote.name, a.x.lastQuote.role
		}
		quote.Fragment = !adjacent && !startsUnit && len(strings.Fields(text)) <= maxFragmentWords
		out = append(out, quote)
	}
	return out
}

// attributionOf returns the cue that attributes quotation q and whether it
// stands right beside it (“…,” said X / X said: “…”).
func (a *unitAn) attributionOf(q quoteSpan) (int, bool) {
	if ci, ok := a.besideCue(q); ok {
		return ci, true
	}
	if ci, ok := a.claimHolding(q); ok {
		return ci, false
	}
	return a.nearestCue(q), false
}

// besideCue returns the cue that stands right beside quotation q: after
// its closing mark (“…,” Parsi said) or before its opening one (Parsi said:
// “…”).
func (a *unitAn) besideCue(q quoteSpan) (int, bool) {
	for ci, c := range a.cues {
		if c.ignored || c.dropped && c.outer < 0 && c.kind != cuePassive {
			continue
		}
		// “…,” Parsi said — the cue follows the closing mark.
		if c.from >= q.closeEnd && strings.Trim(a.p[q.closeEnd:c.from], " ,—–-") == "" && (c.cs < 0 || c.kind == cueVerb && c.cs >= c.to && c.trailing) {
			return ci, true
		}
		// Parsi said: “…” — the cue precedes the opening mark.
		if c.to <= q.open && c.from < q.open {
			gap := strings.TrimSpace(a.p[c.to:q.open])
			if gap == "," || gap == ":" || gap == "" || gap == "that" || gap == "—" {
				if c.cs < 0 || c.cs >= q.open-1 {
					return ci, true
				}
			}
		}
	}
	return -1, false
}

// claimHolding returns the innermost claim that holds quotation q.
func (a *unitAn) claimHolding(q quoteSpan) (int, bool) {
	best := -1
	for ci, c := range a.cues {
		if c.ignored || c.cs < 0 || c.dropped {
			continue
		}
		if c.cs <= q.open && q.closeEnd <= c.ce+len("”.") {
			if best < 0 || c.cs >= a.cues[best].cs {
				best = ci
			}
		}
	}
	return best, best >= 0
}

// nearestCue returns the nearest cue of the sentence to quotation q,
// preferring one before it, or -1.
func (a *unitAn) nearestCue(q quoteSpan) int {
	best := -1
	for ci, c := range a.cues {
		if c.ignored || len(c.speakers) == 0 {
			continue
		}
		if c.from < q.open {
			best = ci
		} else if best < 0 {
			best = ci
			break
		}
	}
	return best
}

// trimQuoteText trims white space and a final comma or full stop (which
// belong to the sentence around a quotation) from p[from:to].
func trimQuoteText(p string, from, to int) (int, int) {
	from, to = text.TrimSpaceBounds(p, from, to)
	if to > from && (p[to-1] == ',' || p[to-1] == ';' || p[to-1] == ':') {
		to--
	} else if to > from && p[to-1] == '.' && !strings.HasSuffix(p[from:to], "..") {
		if !text.AbbreviationStop(p[from:to], to-1-from) {
			to--
		}
	}
	return text.TrimSpaceBounds(p, from, to)
}

// isWorkTitle reports whether quotation q, whose opening mark is toks[k],
// reads as the title of a work (In “Treacherous Alliance,” …): every word
// capitalised but small ones, no closing punctuation of a statement. cued
// reports that a word like "book" or "in" just before it says so.
func isWorkTitle(p string, q quoteSpan, toks []qtok, k int) (title, cued bool) {
	inner := strings.TrimRight(strings.TrimSpace(p[q.openEnd:q.close]), ",")
	if inner == "" || strings.ContainsAny(inner[len(inner)-1:], ".?!") {
		return false, false
	}
	words := strings.Fields(inner)
	for i, w := range words {
		r := text.FirstRune(w)
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			continue
		}
		if i > 0 && titleSmallWords[w] {
			continue
		}
		return false, false
	}
	for j := k - 1; j >= 0 && j >= k-2; j-- {
		if titleCues[toks[j].lower()] {
			return true, true
		}
	}
	return len(words) >= 2, false
}
