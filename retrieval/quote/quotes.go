package quote

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/text"
)

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

// party is a speaker as the text gives it, before or after resolution.
type party struct {
	name      string // a full name, an organisation, or a description as written
	role      string
	desc      bool   // a description ("a senior Israeli who …"), not a name
	plural    bool   // "some Iran experts", "they"
	pronoun   string // lower-case pronoun when the text names no one
	head      string // lower-case head noun of a description
	principal string // for an aide or spokesperson: whom they speak for
}

// cue kinds.
const (
	cueVerb       = iota // "X said", "said X", "X told the Forward that"
	cueParticiple        // ", stressing that …" — the speaker of the main clause
	cueCoord             // "…, but noted …" — the same speaker, subject left out
	cueAccording         // "according to X"
	cuePassive           // "was disputed by X"
)

// cue is one attribution in a sentence: a verb of saying (or "according
// to", "was disputed by"), who it names, and the claim it introduces.
type cue struct {
	kind     int
	verb     string // as written
	from, to int    // byte range of the whole attribution (subject, verb, adjuncts)
	vstart   int    // byte offset of the verb
	subj     []party
	obj      []party // "X quotes Y as saying": Y
	cs, ce   int     // the claim's byte range; cs < 0 when there is none
	inverted bool    // "said X"
	trailing bool    // "…, X said." closing the sentence
	paren    bool    // "Rezai, he said, was …"
	outer    int     // the cue that relays this one, or -1
	dropped  bool    // relays an inner cue and claims nothing itself
	ignored  bool    // inside another speaker's claim
	message  bool    // "X sent Y an e-mail stating that …": X's words, relayed by whoever tells of them
	speakers []party // resolved
	via      string
	inner    string // "X quoted Y as saying": "saying", whose complement follows
}

// mention is a full name found in the story, for resolving surnames.
type mention struct {
	name string
	para int
}

// identity records "the analyst was Zeev Schiff": a description's head noun
// named.
type identity struct {
	name string
	para int
}

// attributor holds what ExtractQuotes knows across paragraphs.
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

// scanCaps records the words paragraph i capitalises away from the head of
// a sentence or quotation.
func (x *attributor) scanCaps(i int) {
	toks := x.toks[i]
	for k := 1; k < len(toks); k++ {
		if !toks[k].capital() {
			continue
		}
		switch toks[k-1].text {
		case ".", "?", "!", "“", "\"", ":", "(", "—", "‘":
			continue
		}
		x.midCaps[toks[k].bare()] = true
	}
}

// introWord reports whether toks[k] opens its unit as an introductory word
// set off by a comma ("Already, Donald J. Trump has …", "Separately, …"):
// a capitalised word the story never capitalises inside a sentence, so no
// name.
func (a *unitAn) introWord(k int) bool {
	if k+1 >= a.te || !a.toks[k+1].is(",") || !a.toks[k].capital() {
		return false
	}
	for j := a.ts; j < k; j++ {
		if !a.isMark(j) {
			return false
		}
	}
	return !a.x.midCaps[a.toks[k].bare()] || isLyAdverb(qtok{text: strings.ToLower(a.toks[k].text), word: true})
}

// scanNames records the full names of people in paragraph i with the roles
// the story gives them, and the descriptions it names.
func (x *attributor) scanNames(i int) {
	toks := x.toks[i]
	p := x.paras[i]
	for k := 0; k < len(toks); k++ {
		if !toks[k].capital() {
			continue
		}
		s, e := k, k
		for e+1 < len(toks) && !toks[e].possessive() && nameToken(toks, e+1) {
			e++
		}
		k = e
		ps, ok := findPerson(toks, s, e)
		if !ok || ps.orgLike || ps.words < 2 {
			continue
		}
		name := p[toks[ps.s].start:nameEnd(toks[ps.e])]
		role := roleAround(p, toks, s, e)
		if role == "" && ps.s > ps.fs {
			role = p[toks[ps.fs].start:toks[ps.s-1].end]
		}
		surname := toks[ps.e].bare()
		x.bySurname[surname] = append(x.bySurname[surname], mention{name: name, para: i})
		if _, ok := x.roleOf[name]; !ok || x.roleOf[name] == "" {
			x.roleOf[name] = role
		}
		// "the analyst was Zeev Schiff"
		if s >= 2 && (toks[s-1].is("was") || toks[s-1].is("is")) && toks[s-2].word {
			for d := s - 2; d >= 0 && d >= s-6; d-- {
				if l := toks[d].lower(); l == "the" {
					head := toks[s-2].lower()
					x.identities[head] = append(x.identities[head], identity{name: name, para: i})
					break
				} else if !toks[d].word {
					break
				}
			}
		}
	}
}

// nameToken reports whether toks[k] continues a capitalised name: a capital
// word, an initial or title, or a particle ("bin", "van") between capitals.
func nameToken(toks []qtok, k int) bool {
	t := toks[k]
	if t.capital() {
		return true
	}
	if _, _, ok := nameAside(toks, k); ok {
		return true
	}
	return t.word && nameParticles[t.text] && k+1 < len(toks) && toks[k+1].capital()
}

// nameAside reports whether toks[k] lies in a short lower-case aside in
// brackets between the words of a name ("Lt. Gen. (ret.) Raghav
// Menon-Iyer") and returns the brackets' indices.
func nameAside(toks []qtok, k int) (open, close int, ok bool) {
	open = k
	for open >= 0 && open > k-4 && !toks[open].is("(") {
		if toks[open].is(")") && open != k || toks[open].capital() {
			return 0, 0, false
		}
		open--
	}
	if open < 1 || !toks[open].is("(") || !toks[open-1].capital() {
		return 0, 0, false
	}
	for close = open + 1; close < len(toks) && close <= open+4; close++ {
		t := toks[close]
		if t.is(")") {
			break
		}
		if t.capital() || !t.word && !t.is(".") {
			return 0, 0, false
		}
	}
	if close == open+1 || close >= len(toks) || close > open+4 || close+1 >= len(toks) || !toks[close+1].capital() || k > close {
		return 0, 0, false
	}
	return open, close, true
}

var nameParticles = setOf("bin", "ibn", "al", "el", "de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du", "dos", "das")

// personSpan is the person inside a capitalised phrase toks[s..e]: the
// phrase without leading function words ("While", "Both") and titles ("Vice
// President", "Ohio Rep.").
type personSpan struct {
	fs      int  // the first token after leading function words
	s, e    int  // the name, titles removed
	words   int  // tokens in the name
	orgLike bool // an organisation or place rather than a person
}

// findPerson finds the person in the capitalised phrase toks[s..e]; it fails
// when the phrase is all function words.
func findPerson(toks []qtok, s, e int) (personSpan, bool) {
	for s <= e && capFunctionWords[toks[s].bare()] {
		s++
	}
	if s > e {
		return personSpan{}, false
	}
	fs := s
	// Everything up to the last title abbreviation is title: "former Ohio
	// Rep. Bob Ney".
	for k := e - 1; k >= s; k-- {
		if strings.HasSuffix(toks[k].text, ".") && text.IsTitleAbbrev(strings.ToLower(toks[k].bare())) {
			s = k + 1
			break
		}
	}
	for s < e && titleWords[toks[s].bare()] {
		s++
	}
	// A title after words that qualify it is title too: "Board President
	// Ana Ferreira", "Halbrook Police Chief Veronica Hale".
	for k := e - 2; k > s; k-- {
		if titleWords[toks[k].bare()] && toks[k].capital() && !titleWords[toks[k+1].bare()] {
			s = k + 1
			break
		}
	}
	// "Gen. (ret.) Raghav Menon-Iyer": the aside belongs to the title.
	for s < e {
		if _, c, ok := nameAside(toks, s); ok && c < e {
			s = c + 1
			for s < e && titleWords[toks[s].bare()] {
				s++
			}
			continue
		}
		break
	}
	ps := personSpan{fs: fs, s: s, e: e, words: e - s + 1}
	last := toks[e].bare()
	ps.orgLike = orgWords[last] || titleWords[last] && s == e
	if allCapsWord(last) && utf8.RuneCountInString(last) > 1 {
		ps.orgLike = true // "NATO", "BBC"
	}
	return ps, true
}

func allCapsWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// nameEnd is the end of a name token without its possessive ending.
func nameEnd(t qtok) int {
	return t.start + len(strings.TrimSuffix(strings.TrimSuffix(t.text, "’s"), "'s"))
}

// roleAround returns the role the story gives the name toks[s..e] where it
// stands: an appositive after it (", an adjunct professor at …,", ", who was
// …,"), "of the Carnegie Endowment …" right after it, or an appositive before
// it ("Powell’s deputy, Richard Armitage,").
func roleAround(p string, toks []qtok, s, e int) string {
	n := len(toks)
	if e+2 < n && toks[e+1].is(",") {
		a, b := e+2, segmentEnd(toks, e+2)
		closed := b == n || toks[b].is(",") || toks[b].is(".") || toks[b].is(")") || toks[b].is(";")
		for k := a; k < b && closed; k++ {
			// a clause, not an appositive: "According to Smith, the deal was done"
			closed = !finiteVerbs[toks[k].lower()] || toks[a].is("who")
		}
		if b > a && closed {
			first := toks[a]
			switch {
			case first.is("who") && b > a+1:
				return relativeRole(p, toks, a, b)
			case appositiveOpeners[first.lower()] || first.possessive() || lowerTitle(first.text):
				return p[first.start:toks[b-1].end]
			}
		}
	}
	if e+2 < n && (toks[e+1].is("of") || toks[e+1].is("at")) && (toks[e+2].is("the") || toks[e+2].capital()) {
		b := segmentEnd(toks, e+1)
		// Stop before a verb of saying: "Sadjepour of Carnegie said".
		for k := e + 1; k < b; k++ {
			if speechVerbs[toks[k].text] != 0 {
				b = k
				break
			}
		}
		if b > e+2 {
			return p[toks[e+1].start:toks[b-1].end]
		}
	}
	// "then-secretary of state Colin Powell"
	if s >= 1 && toks[s-1].word && !toks[s-1].capital() {
		b := s
		for b-1 >= 0 && toks[b-1].word && !toks[b-1].capital() && (lowerTitle(toks[b-1].text) || toks[b-1].is("of") && b-2 >= 0 && lowerTitle(toks[b-2].text)) {
			b--
		}
		if b < s && lowerTitle(toks[b].text) {
			return p[toks[b].start:toks[s-1].end]
		}
	}
	if s >= 2 && toks[s-1].is(",") && e+1 < n && (toks[e+1].is(",") || toks[e+1].is(".")) {
		a := segmentStart(toks, s-2)
		if a <= s-2 && s-1-a <= 8 && (toks[a].possessive() || appositiveOpeners[toks[a].lower()]) {
			return p[toks[a].start:toks[s-2].end]
		}
	}
	return ""
}

// lowerTitle reports whether w is a title written in lower case before a
// name: "secretary", "then-secretary", "state" (of "secretary of state").
func lowerTitle(w string) bool {
	for _, pre := range []string{"then-", "ex-", "former-"} {
		w = strings.TrimPrefix(w, pre)
	}
	if w == "" || w == "former" {
		return w == "former"
	}
	r, size := utf8.DecodeRuneInString(w)
	return titleWords[string(unicode.ToUpper(r))+w[size:]]
}

// relativeRole returns the role in the relative clause toks[a:b] ("who was
// chief of staff to …" → "chief of staff to …"); a clause that is not a role
// is kept whole ("who is seeking the nomination").
func relativeRole(p string, toks []qtok, a, b int) string {
	k := a + 1
	for k < b && relativeCopulas[toks[k].lower()] {
		k++
	}
	if k > a+1 && k < b && (appositiveOpeners[toks[k].lower()] || lowerTitle(toks[k].text) || toks[k].capital()) {
		return p[toks[k].start:toks[b-1].end]
	}
	return p[toks[a].start:toks[b-1].end]
}

// relativeCopulas are the words between "who" and a role: "who was the …".
var relativeCopulas = setOf("is", "was", "has", "had", "been", "served", "serves", "as", "then", "now", "also", "once")

// appositiveOpeners start a noun phrase that describes the name beside it.
var appositiveOpeners = setOf("a", "an", "the", "former", "ex", "then", "now", "longtime", "veteran", "acting", "senior", "chief", "deputy", "its", "his", "her", "their")

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

// verb classes.
const (
	vSay      = 1 + iota // said, contends, maintains …: a clause or "that" follows
	vTell                // told, informed: an object, then "that"
	vQuoteAs             // quotes, quoted: "X quotes Y as saying"
	vDescribe            // describes: "what X describes as …"
	vName                // called, dubbed: "called the fines “a poison pill”"
)

var speechVerbs = func() map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(`said says added adds noted notes stressed stresses contended contends
		maintained maintains claimed claims argued argues insisted insists acknowledged acknowledges
		admitted admits explained explains recalled recalls stated states asserted asserts warned warns
		predicted predicts suggested suggests declared declares believes believed conceded concedes
		concluded concludes observed observes emphasized emphasizes emphasised emphasises mentioned
		mentions announced announces confirmed confirms denied denies replied replies responded responds
		testified testifies alleged alleges complained complains speculated speculates wrote writes
		asked asks countered counters agreed disputed disputes disclosed discloses revealed
		reveals recounted recounts remarked remarks answered answers reported reports cautioned cautions
		saying adding noting stressing contending maintaining claiming arguing insisting acknowledging
		admitting explaining recalling stating asserting warning predicting suggesting declaring
		conceding concluding observing emphasizing mentioning announcing confirming denying replying
		responding testifying alleging complaining writing asking countering disputing
		disclosing revealing cautioning`) {
		m[w] = vSay
	}
	for _, w := range strings.Fields(`told tells telling informed informs informing assured assures assuring reminded reminds reminding`) {
		m[w] = vTell
	}
	for _, w := range strings.Fields(`quotes quoted quoting cites cited citing`) {
		m[w] = vQuoteAs
	}
	for _, w := range strings.Fields(`describes described describing characterizes characterized characterizing`) {
		m[w] = vDescribe
	}
	for _, w := range strings.Fields(`called calls calling dubbed dubs termed terms labeled labelled labels`) {
		m[w] = vName
	}
	return m
}()

// disputeVerbs take "by" in the passive: "was disputed by a senior Israeli".
var disputeVerbs = setOf("disputed", "questioned", "challenged", "contradicted", "denied", "rejected", "rebutted", "contested", "doubted")

// findCues finds the attribution cues of the unit.
func (a *unitAn) findCues() {
	for k := a.ts; k < a.te; k++ {
		t := a.toks[k]
		if !t.word || a.inQuote(t.start) {
			continue
		}
		switch {
		case t.lower() == "according" && k+1 < a.te && a.toks[k+1].is("to"):
			a.according(k)
		case (disputeVerbs[t.text] || t.is("called") && k+3 < a.te && a.toks[k+1].is("into") && a.toks[k+2].is("question")) && a.passive(k):
		case speechVerbs[t.text] != 0:
			a.verbCue(k)
		}
	}
	sort.SliceStable(a.cues, func(i, j int) bool { return a.cues[i].from < a.cues[j].from })
}

// according reads "according to X" at toks[k].
func (a *unitAn) according(k int) {
	c := cue{kind: cueAccording, from: a.toks[k].start, vstart: a.toks[k].start, cs: -1, outer: -1}
	c.verb = a.p[a.toks[k].start:a.toks[k+1].end]
	np, end, ok := a.npAfter(k + 2)
	if !ok {
		return
	}
	c.subj = []party{np}
	c.to = a.toks[end-1].end
	// "…, according to X, a former …," — the role is part of the cue.
	switch {
	case k == a.ts || k == a.ts+1 && a.isMark(a.ts):
		if end < a.te && a.toks[end].is(",") && end+1 < a.te {
			c.cs, c.ce = a.toks[end+1].start, a.clauseEnd(end+1)
		}
	case k > a.ts && a.toks[k-1].is(",") && (end >= a.te || a.toks[end].is(".")):
		c.trailing = true
		c.cs, c.ce = a.u.Start, a.toks[k-1].start
	default:
		c.paren = true
		c.cs, c.ce = a.u.Start, a.unitEnd()
	}
	a.cues = append(a.cues, c)
}

// passive reads "X was disputed by Y" at toks[k], whose whole sentence is
// Y's claim, and reports whether it found it.
func (a *unitAn) passive(k int) bool {
	j := k - 1
	for j >= a.ts && adverbs[a.toks[j].lower()] {
		j--
	}
	if j < a.ts || !passiveAux[a.toks[j].lower()] {
		return false
	}
	v := k + 1
	if a.toks[k].is("called") {
		v = k + 3
	}
	if v >= a.te || !a.toks[v].is("by") {
		return false
	}
	np, end, ok := a.npAfter(v + 1)
	if !ok {
		return false
	}
	c := cue{kind: cuePassive, from: a.toks[j].start, vstart: a.toks[k].start, outer: -1}
	c.verb = a.p[a.toks[j].start:a.toks[v].end]
	c.to = a.toks[end-1].end
	c.subj = []party{np}
	c.cs, c.ce = a.u.Start, a.unitEnd()
	a.cues = append(a.cues, c)
	return true
}

var passiveAux = setOf("was", "were", "is", "are", "been", "being", "be")

// adverbs may stand between a subject and its verb, or a verb and "that".
var adverbs = setOf("has", "have", "had", "would", "will", "also", "recently", "later", "previously",
	"once", "then", "often", "repeatedly", "himself", "herself", "themselves", "publicly", "privately",
	"earlier", "further", "again", "just", "long", "already", "still", "even", "never", "not", "did",
	"does", "do", "reportedly", "separately", "could", "may", "might", "must", "should", "can",
	"first", "flatly", "openly", "always", "now", "subsequently", "initially", "yesterday", "today")

// verbCue reads a verb of saying at toks[k].
func (a *unitAn) verbCue(k int) {
	t := a.toks[k]
	class := speechVerbs[t.text]
	if k > a.ts {
		prev := a.toks[k-1]
		l := prev.lower()
		if prev.possessive() || determiners[l] || l == "to" || passiveAux[l] {
			return // "the claims", "Parsi’s claims", "declined to say", "was told"
		}
	}
	if (class == vName || class == vDescribe) && a.namingClaim(k) {
		return // "…, calling it a missed opportunity"
	}
	if class == vName && k+1 < a.te && namingParticles[a.toks[k+1].lower()] {
		return // "called for", "called on"
	}
	c := cue{kind: cueVerb, verb: t.text, from: t.start, vstart: t.start, to: t.end, cs: -1, outer: -1}
	after := k + 1
	if class == vSay && strings.HasSuffix(t.text, "ing") && a.messageCue(k) {
		return // "X sent Y an e-mail stating that …"
	}
	if strings.HasSuffix(t.text, "ing") {
		// A participle attributes only after a comma or at the head of the
		// sentence: "…, stressing that", "While acknowledging that".
		prevOK := k == a.ts
		if k > a.ts {
			prev := a.toks[k-1]
			prevOK = prev.is(",") || participleLeads[prev.lower()] && (k-1 == a.ts || a.toks[k-2].is(","))
			if participleLeads[prev.lower()] {
				c.from = prev.start
			}
		}
		if !prevOK || k > a.ts && a.toks[k-1].lower() == "without" {
			return // "without telling them he was paid": nothing was said
		}
		c.kind = cueParticiple
	} else if np, end, ok := a.invertedSubject(k); ok {
		c.inverted = true
		c.subj = []party{np}
		c.to = a.toks[end-1].end
		after = end
	} else {
		subj, from, coord := a.subjectBefore(k)
		switch {
		case coord:
			c.kind = cueCoord
			c.from = from
		case len(subj) == 0:
			return
		default:
			c.subj, c.from = subj, from
		}
	}
	if class == vQuoteAs {
		// "Parsi quotes an anonymous senior Israeli analyst as saying that …"
		np, end, ok := a.npAfter(after)
		if ok && np.desc && end+2 < a.te && a.toks[end].is(",") && a.toks[end+1].capital() {
			// "quotes the state’s chief hydrologist, Amos Fairley, as saying"
			if named, e2, ok2 := a.npAfter(end + 1); ok2 && !named.desc && named.name != "" && e2+1 < a.te && a.toks[e2].is(",") && a.toks[e2+1].is("as") {
				if named.role == "" {
					named.role = np.name
				}
				np, end = named, e2
			}
		}
		if ok && end+1 < a.te && a.toks[end].is(",") && a.toks[end+1].is("as") {
			end++ // "quoted Anna Bell, the company’s lawyer, as saying"
		}
		if !ok || end+1 >= a.te || !a.toks[end].is("as") {
			return
		}
		c.obj = []party{np}
		after = end + 1
		for after < a.te && (a.toks[after].is("having") || speechVerbs[a.toks[after].text] != 0) {
			if speechVerbs[a.toks[after].text] == vSay {
				c.inner = a.toks[after].text
			}
			after++
		}
		c.to = a.toks[after-1].end
		if c.inner != "" {
			class = vSay // what follows "as saying" is the inner verb's complement
		}
	}
	a.complement(&c, after, class)
	a.cues = append(a.cues, c)
}

var namingParticles = setOf("for", "on", "off", "up", "in", "into", "back", "out", "upon", "it", "a", "an", "to")

// participleLeads may open a sentence before a participle: "While
// acknowledging that …".
var participleLeads = setOf("while", "after", "before", "despite", "by", "when", "without", "in", "though", "although")

// determiners open a noun phrase.
var determiners = setOf("a", "an", "the", "some", "several", "many", "most", "other", "another",
	"both", "all", "few", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "these", "those", "this", "his", "her", "its", "their", "our", "my", "your", "no", "any",
	"each", "every", "numerous", "various", "certain")

// complement finds what follows the verb phrase starting at toks[k]: the
// claim ("that …", a bare clause), or nothing; and whether the cue is set in
// commas inside the sentence or closes it.
func (a *unitAn) complement(c *cue, k int, class int) {
	j := k
	for j < a.te && (adverbs[a.toks[j].lower()] || isLyAdverb(a.toks[j])) {
		j++
	}
	if j > k {
		c.to = a.toks[j-1].end
	}
	switch {
	case j >= a.te || a.toks[j].is(".") || a.toks[j].is("?") || a.toks[j].is("!"):
		a.maybeTrailing(c)
		return
	case a.toks[j].is("that") && j+1 < a.te:
		c.cs = a.toks[j+1].start
	case class == vDescribe && a.toks[j].is("as") && j+1 < a.te:
		c.cs = a.toks[j+1].start
	case a.toks[j].is(",") || a.toks[j].is(":") || a.isMark(j):
		a.maybeParen(c, j)
		return
	case class == vDescribe || class == vName:
		return
	case a.toks[j].is("to") && j+1 < a.te && a.toks[j+1].word && !a.toks[j+1].capital() && !determiners[a.toks[j+1].lower()] && !objectPronouns[a.toks[j+1].lower()]:
		return // "declined to say", "agreed to drop": no claim follows
	case class == vTell || prepositions[a.toks[j].lower()] || class == vQuoteAs:
		for m := j; m < a.te && m < j+12; m++ {
			t := a.toks[m]
			if e, ok := a.titleAt(m); ok {
				m = e // the title of a show or book is part of the phrase
				continue
			}
			if t.is("that") && m+1 < a.te {
				c.cs = a.toks[m+1].start
				break
			}
			if class == vTell && m > j && subjectPronouns[t.lower()] && a.bareClause(m, "said") {
				c.cs = t.start // "told aides he would …": the clause needs no "that"
				break
			}
			if separator(t) || a.isMark(m) {
				c.to = a.toks[m-1].end
				if t.is(",") {
					a.maybeParen(c, m)
				} else if t.is(".") {
					a.maybeTrailing(c)
				}
				return
			}
		}
		if c.cs < 0 {
			return
		}
	case c.inner != "" && a.bareClause(j, c.inner):
		c.cs = a.toks[j].start
	case bareClauseVerbs[c.verb] && a.bareClause(j, c.verb):
		c.cs = a.toks[j].start
	default:
		return
	}
	c.ce = a.clauseEnd(a.tokAt(c.cs))
}

// clauseEnd is where a claim starting at toks[k] ends: the end of the
// sentence, or a semicolon or ", but he …" that opens a clause of the
// writer's own.
func (a *unitAn) clauseEnd(k int) int {
	for ; k < a.te; k++ {
		t := a.toks[k]
		if a.inQuote(t.start) {
			continue
		}
		if t.is(";") {
			return t.start
		}
		if t.is(",") && k+2 < a.te && clauseJoiners[a.toks[k+1].lower()] && subjectPronouns[a.toks[k+2].lower()] {
			return t.start
		}
		// "… the bill "as soon as we have the votes," but he declined …"
		if a.closesQuote(k) && k > 0 && a.toks[k-1].is(",") && k+2 < a.te && clauseJoiners[a.toks[k+1].lower()] && subjectPronouns[a.toks[k+2].lower()] {
			return t.end
		}
	}
	return a.unitEnd()
}

var clauseJoiners = setOf("but", "and", "although", "though", "while", "yet", "whereas")

var objectPronouns = setOf("him", "her", "them", "me", "us", "reporters", "colleagues")

// bareClauseVerbs take a reported clause without "that": "said he was",
// "acknowledged he had". Other verbs of saying take an object ("wrote the
// bill", "denied the report") unless "that" follows.
var bareClauseVerbs = setOf("said", "says", "saying", "added", "adds", "adding", "acknowledged",
	"acknowledges", "acknowledging", "admitted", "admits", "argued", "argues", "arguing", "believes",
	"believed", "claimed", "claims", "claiming", "contended", "contends", "insisted", "insists",
	"insisting", "maintained", "maintains", "conceded", "concedes", "predicted", "predicts",
	"suggested", "suggests", "noted", "notes", "noting", "stressed", "stresses", "stressing",
	"warned", "warns", "warning", "recalled", "recalls", "asserted", "asserts", "told", "tells")

// bareClause reports whether a reported clause starts at toks[j]: a subject
// pronoun, or a noun phrase followed shortly by a finite verb ("said the
// House was still several votes short").
//
// After "said", "says" or "saying", which rarely take an object, any run
// of three words or more is a clause ("said the attack killed 12").
func (a *unitAn) bareClause(j int, verb string) bool {
	t := a.toks[j]
	l := t.lower()
	if subjectPronouns[l] || l == "there" || l == "it" {
		return true
	}
	if !t.word || functionWords[l] && !determiners[l] || prepositions[l] || whWords[l] {
		return false
	}
	words := 1
	for k := j + 1; k < a.te && k < j+14; k++ {
		if a.isMark(k) {
			continue
		}
		if separator(a.toks[k]) {
			break
		}
		if finiteVerbs[a.toks[k].lower()] {
			return true
		}
		words++
	}
	return (verb == "said" || verb == "says" || verb == "saying") && words >= 3
}

// whWords open an indirect question, which reports no claim: "said how many".
var whWords = setOf("how", "whether", "what", "why", "when", "where", "who", "which", "if")

// finiteVerbs mark a clause: auxiliaries and forms of "be" and "have".
var finiteVerbs = setOf("is", "are", "was", "were", "has", "have", "had", "will", "would", "could",
	"should", "can", "may", "might", "must", "did", "does", "do", "shall")

var prepositions = setOf("at", "in", "on", "to", "during", "after", "before", "last", "this", "from",
	"via", "through", "by", "with", "over", "for", "about", "under", "earlier", "late", "early", "when")

func isLyAdverb(t qtok) bool {
	return t.word && strings.HasSuffix(t.text, "ly") && unicode.IsLower(text.FirstRune(t.text)) && len(t.text) > 4
}

var subjectPronouns = setOf("he", "she", "they", "we", "i")

// maybeTrailing marks a cue that closes its sentence after a comma: "…,
// Parsi writes." Its claim is what precedes, unless that is a quotation.
func (a *unitAn) maybeTrailing(c *cue) {
	k := a.tokAt(c.from) - 1
	if k < a.ts || !a.toks[k].is(",") {
		return
	}
	c.trailing = true
	if a.quotationOnly(a.u.Start, a.toks[k].start) {
		return
	}
	c.cs, c.ce = a.u.Start, a.toks[k].start
}

// maybeParen marks a cue set in commas inside a sentence — "Rezai, he said,
// was prone to …" — whose claim is the whole sentence. A cue next to a
// quotation ("“…,” he said, “…”") is the quotation's attribution instead.
func (a *unitAn) maybeParen(c *cue, comma int) {
	k := a.tokAt(c.from) - 1
	if c.kind != cueVerb || c.inverted || k <= a.ts || !a.toks[k].is(",") || !a.toks[comma].is(",") {
		return
	}
	if a.isMark(k-1) || a.closesQuote(k-1) || comma+1 >= a.te || a.isMark(comma+1) {
		return
	}
	next := a.toks[comma+1]
	if !next.word || !unicode.IsLower(text.FirstRune(next.text)) || strings.HasSuffix(next.text, "ing") {
		return
	}
	c.paren = true
	c.cs, c.ce = a.u.Start, a.unitEnd()
}

// quotationOnly reports whether p[from:to] is nothing but one quotation.
func (a *unitAn) quotationOnly(from, to int) bool {
	for _, q := range a.spans {
		if q.open < from || q.closeEnd > to {
			continue
		}
		if strings.TrimSpace(a.p[from:q.open]) == "" && strings.Trim(a.p[q.closeEnd:to], " ,.") == "" {
			return true
		}
	}
	return false
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

// invertedSubject reads "…,” said Karim Sadjepour of …" — a verb after a
// quotation or comma followed by its subject.
func (a *unitAn) invertedSubject(k int) (party, int, bool) {
	if k == a.ts {
		return party{}, 0, false
	}
	prev := a.toks[k-1]
	if !(prev.is(",") || a.closesQuote(k-1)) {
		return party{}, 0, false
	}
	np, end, ok := a.npAfter(k + 1)
	if !ok || np.pronoun != "" {
		return party{}, 0, false
	}
	if prev.is(",") && np.desc {
		// "Lukas Brenner, a former adviser, said the episode showed …": a
		// named subject with its appositive before the verb makes what
		// follows the claim, not the speaker.
		if subj, _, coord := a.subjectBefore(k); !coord && len(subj) > 0 && !subj[0].desc && subj[0].pronoun == "" && subj[0].name != "" {
			return party{}, 0, false
		}
	}
	if end < a.te {
		// "said Smith." / "said the official, who …" — not "said the plan “…”"
		next := a.toks[end]
		switch next.text {
		case ".", ",", ";", "?", "!", ")", "who", "of", "at", "in", "from":
		default:
			if !a.closesQuote(end) {
				return party{}, 0, false
			}
		}
	}
	return np, end, true
}

// npAfter reads a speaker starting at toks[k]: a name with its role, a
// pronoun, or a description up to the next comma. It returns the index
// after what it read (the role included).
func (a *unitAn) npAfter(k int) (party, int, bool) {
	if k >= a.te || !a.toks[k].word {
		return party{}, 0, false
	}
	t := a.toks[k]
	l := t.lower()
	switch {
	case subjectPronouns[l] || l == "him" || l == "her" || l == "them":
		return party{pronoun: pronounCase(l), plural: l == "they" || l == "them" || l == "we"}, k + 1, true
	case t.capital() && (!capFunctionWords[t.bare()] || text.IsTitleAbbrev(strings.ToLower(t.bare())) && k+1 < a.te && a.toks[k+1].capital()) && !descNouns[l]:
		e := k
		for e+1 < a.te && !a.toks[e].possessive() && nameToken(a.toks, e+1) {
			e++
		}
		if a.toks[e].possessive() {
			return party{}, 0, false
		}
		return a.nameParty(k, e)
	case !t.capital() && !determiners[l]:
		// "said board member Tamsin Greaves": a title in lower case.
		if pt, end, ok := a.lowerTitledName(k); ok {
			return pt, end, true
		}
		if !descNouns[l] {
			return party{}, 0, false
		}
		fallthrough
	case determiners[l] || descNouns[l]:
		e := k
		for e+1 < a.te {
			n := a.toks[e+1]
			if separator(n) || n.is("but") || n.is("and") || n.is("as") || speechVerbs[n.text] != 0 || a.inQuote(n.start) {
				break
			}
			e++
		}
		return a.descParty(k, e), e + 1, true
	}
	return party{}, 0, false
}

// lowerTitledName reads a name after up to three lower-case words of title
// at toks[k]: "board member Tamsin Greaves", "public defender Ann Lee".
func (a *unitAn) lowerTitledName(k int) (party, int, bool) {
	b := k
	for b < a.te && b < k+3 && a.toks[b].word && !a.toks[b].capital() {
		l := a.toks[b].lower()
		if functionWords[l] || determiners[l] || finiteVerbs[l] || speechVerbs[a.toks[b].text] != 0 || adverbs[l] || strings.HasSuffix(l, "ed") || strings.HasSuffix(l, "ing") {
			return party{}, 0, false
		}
		b++
	}
	if b == k || b >= a.te || !a.toks[b].capital() || capFunctionWords[a.toks[b].bare()] {
		return party{}, 0, false
	}
	e := b
	for e+1 < a.te && !a.toks[e].possessive() && nameToken(a.toks, e+1) {
		e++
	}
	ps, ok := findPerson(a.toks, b, e)
	if !ok || ps.orgLike || ps.words < 2 || a.toks[e].possessive() {
		return party{}, 0, false
	}
	pt, end, ok := a.nameParty(b, e)
	if !ok {
		return party{}, 0, false
	}
	if pt.role == "" || strings.HasPrefix(pt.role, "who ") {
		pt.role = a.p[a.toks[k].start:a.toks[b-1].end]
	}
	return pt, end, true
}

func pronounCase(l string) string {
	switch l {
	case "him":
		return "he"
	case "her":
		return "she"
	case "them":
		return "they"
	}
	return l
}

// nameParty makes a party of the capitalised phrase toks[s..e], reading its
// role from around it; the index returned is after the role when the role
// follows the name.
func (a *unitAn) nameParty(s, e int) (party, int, bool) {
	ps, ok := findPerson(a.toks, s, e)
	if !ok {
		return party{}, 0, false
	}
	pt := party{name: a.p[a.toks[ps.s].start:nameEnd(a.toks[ps.e])]}
	end := e + 1
	pt.role = roleAround(a.p, a.toks, s, e)
	if pt.role != "" {
		if r := strings.Index(a.p[a.toks[e].end:], pt.role); r >= 0 && r <= 3 {
			end = a.tokAt(a.toks[e].end + r + len(pt.role))
		}
	}
	if pt.role == "" && ps.s > ps.fs {
		pt.role = a.p[a.toks[ps.fs].start:a.toks[ps.s-1].end]
	}
	if ps.orgLike {
		pt.name = a.p[a.toks[ps.fs].start:nameEnd(a.toks[e])]
	}
	if ps.words == 1 && descNouns[strings.ToLower(pt.name)] {
		return a.descParty(s, e), end, true
	}
	return pt, end, true
}

// descParty makes a description party of toks[s..e]: "some Iran experts",
// "a senior Israeli who attended the session".
func (a *unitAn) descParty(s, e int) party {
	pt := party{desc: true, name: a.p[a.toks[s].start:a.toks[e].end]}
	h := e
	for k := s + 1; k <= e; k++ {
		if descStops[a.toks[k].lower()] {
			h = k - 1
			break
		}
	}
	pt.head = strings.ToLower(a.toks[h].bare())
	pt.plural = pluralNoun(pt.head)
	return pt
}

var descStops = setOf("who", "that", "which", "of", "familiar", "with", "from", "at", "in", "on", "for", "close", "involved", "to", "whose", "briefed")

func pluralNoun(w string) bool {
	switch w {
	case "people", "police", "staff", "media", "press", "clergy", "personnel", "others":
		return true
	}
	return strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "is") && !strings.HasSuffix(w, "us")
}

// descNouns are plural nouns for people that open a sentence as its
// subject, capitalised there but no name: "Officials said".
var descNouns = setOf("officials", "critics", "experts", "analysts", "diplomats", "sources", "aides",
	"people", "residents", "witnesses", "observers", "police", "investigators", "prosecutors",
	"lawmakers", "scientists", "researchers", "others", "supporters", "opponents", "activists",
	"economists", "historians", "scholars", "advocates", "leaders", "organizers", "officers",
	"doctors", "teachers", "parents", "students", "workers", "voters", "members", "authorities")

// subjectBefore finds the subject of the verb at toks[v]: "Parsi", "he",
// "Peggy Cifrino, a Powell aide,", "Both Flynt Leverett, who …, and
// Lawrence Wilkerson, who …,", "some Iran experts, who", "The Israeli". coord
// reports a verb whose subject is left out after "but" or "and".
func (a *unitAn) subjectBefore(v int) (subj []party, from int, coord bool) {
	j := v - 1
	for j >= a.ts {
		t := a.toks[j]
		l := t.lower()
		if negations[l] {
			return nil, 0, false // "has not said whether": no attribution
		}
		if adverbs[l] || isLyAdverb(t) {
			j--
			continue
		}
		// ", however," between the subject and its verb
		if t.is(",") && j-2 >= a.ts && interjections[a.toks[j-1].lower()] && a.toks[j-2].is(",") {
			j -= 3
			continue
		}
		break
	}
	if j < a.ts {
		return nil, 0, false
	}
	if o, ok := a.titleOpening(j); ok && a.toks[j-1].is(",") && o-1 > a.ts {
		// "Kaine, appearing on “Meet the Press,” said": the title ends an
		// aside set in commas; the subject stands before the aside.
		if s := segmentStart(a.toks, o-1); s-1 > a.ts && a.toks[s-1].is(",") {
			return a.appositiveChain(s-1, false)
		}
	}
	t := a.toks[j]
	l := t.lower()
	switch {
	case l == "but" || l == "and" || l == "yet" || l == "or":
		return nil, t.start, true
	case l == "who":
		k := j - 1
		if k >= a.ts && a.toks[k].is(",") {
			// "Sen. Luis Ortega, a Republican from Dayton, who had called …"
			if subj, from, _ := a.appositiveChain(k, true); len(subj) > 0 {
				return subj, from, false
			}
			k--
		}
		if k < a.ts {
			return nil, 0, false
		}
		pt, s, ok := a.npBefore(k)
		if !ok {
			return nil, 0, false
		}
		return []party{pt}, a.toks[s].start, false
	case subjectPronouns[l]:
		return []party{{pronoun: l, plural: l == "they" || l == "we"}}, t.start, false
	case t.is(","):
		return a.appositiveChain(j, false)
	case t.word:
		pt, s, ok := a.npBefore(j)
		if !ok {
			return nil, 0, false
		}
		if subj, from, ok := a.jointSubject(pt, s); ok {
			return subj, from, false
		}
		return []party{pt}, a.toks[s].start, false
	}
	return nil, 0, false
}

// functionWords cannot end a noun phrase that is a verb's subject.
var functionWords = setOf("of", "to", "for", "in", "on", "at", "with", "by", "from", "and", "or", "as",
	"than", "the", "a", "an", "that", "which", "whose", "into", "about", "over", "under", "but", "if",
	"because", "so", "not", "no", "be", "been", "being", "is", "was", "were", "are", "it", "its", "this")

// orgConnectors join the words of an organisation's name: "Carnegie
// Endowment for Peace", "University of California".
var orgConnectors = setOf("of", "for", "the", "and", "on", "at", "de", "in")

var negations = setOf("not", "never", "didn’t", "didn't", "hasn’t", "hasn't", "haven’t", "haven't", "won’t", "won't", "wouldn’t", "wouldn't", "doesn’t", "doesn't", "don’t", "don't", "declined", "refused")

var interjections = setOf("however", "meanwhile", "too", "though", "also", "instead", "nonetheless", "nevertheless", "meantime")

// npBefore reads the noun phrase that ends at toks[j]: a capitalised name
// (with any title), or a description from its determiner.
func (a *unitAn) npBefore(j int) (party, int, bool) {
	t := a.toks[j]
	if !t.word || t.possessive() || functionWords[t.lower()] {
		return party{}, 0, false
	}
	if t.capital() {
		s := j
		for s-1 >= a.ts && nameToken(a.toks, s-1) && !a.toks[s-1].possessive() && !a.inQuote(a.toks[s-1].start) {
			s--
		}
		// "Karim Sadjepour of the Carnegie Endowment for Peace said"
		if s-2 >= a.ts && orgConnectors[a.toks[s-1].text] {
			for k := s - 1; k >= a.ts && k >= s-10; k-- {
				if (a.toks[k].is("of") || a.toks[k].is("at")) && k-1 >= a.ts && a.toks[k-1].capital() {
					e := k - 1
					b := e
					for b-1 >= a.ts && nameToken(a.toks, b-1) && !a.toks[b-1].possessive() {
						b--
					}
					if ps, ok := findPerson(a.toks, b, e); ok && !ps.orgLike && ps.words >= 2 {
						pt, _, _ := a.nameParty(b, e)
						return pt, b, true
					}
					break
				}
				if !a.toks[k].capital() && !orgConnectors[a.toks[k].text] {
					break
				}
			}
		}
		if s-1 >= a.ts && objectPrepositions[a.toks[s-1].text] {
			// "A memoir by a former aide to Gov. Walter Brennick says": the
			// name is the object of "to"; the subject is the whole phrase.
			seg := segmentStart(a.toks, s-1)
			if seg < a.ts {
				seg = a.ts
			}
			if seg < s-1 && (determiners[a.toks[seg].lower()] || a.toks[seg].capital() && capFunctionWords[a.toks[seg].bare()]) {
				return a.descParty(seg, j), seg, true
			}
		}
		if d, ok := a.headBeforeName(s, j); ok {
			// "Karvenia’s embassy in Washington", "a spokesman for India’s
			// Ministry of External Affairs": the name is the object of a
			// preposition; the speaker is the noun phrase that holds it.
			return a.descParty(d, j), d, true
		}
		if determiners[a.toks[s].lower()] && s < j {
			// "The Israeli"
			return a.descParty(s, j), s, true
		}
		if s-1 >= a.ts && determiners[a.toks[s-1].lower()] {
			// "a Powell aide"
			return a.descParty(s-1, j), s - 1, true
		}
		ps, ok := findPerson(a.toks, s, j)
		if !ok {
			return party{}, 0, false
		}
		if descNouns[strings.ToLower(a.toks[ps.s].bare())] && ps.s == j {
			return a.descParty(s, j), s, true
		}
		pt, _, _ := a.nameParty(s, j)
		return pt, s, true
	}
	// A description: back to the determiner that opens it, within its
	// segment and after the last preposition.
	seg := segmentStart(a.toks, j)
	if seg < a.ts {
		seg = a.ts
	}
	for k := j; k >= seg; k-- {
		l := a.toks[k].lower()
		if k < j && (l == "by" || l == "from" || l == "among" || l == "that") {
			if k+1 <= j && (determiners[a.toks[k+1].lower()] || descNouns[a.toks[k+1].lower()] || a.toks[k+1].capital()) {
				return a.descParty(k+1, j), k + 1, true
			}
			return party{}, 0, false
		}
		if k == seg && (determiners[l] || descNouns[l] || a.toks[k].possessive() && a.toks[k].capital() && k < j) {
			// "some Iran experts", "Qatar’s foreign ministry"
			return a.descParty(k, j), k, true
		}
	}
	// "Critics of the administration", opening its segment.
	if l := a.toks[seg].lower(); descNouns[l] || determiners[l] {
		return a.descParty(seg, j), seg, true
	}
	return party{}, 0, false
}

// headBeforeName reports whether the capitalised run ending at toks[j] and
// starting at toks[s] is the object of a preposition after a lower-case
// noun ("embassy in Washington") in a noun phrase that opens its segment
// with a determiner or a possessive; it returns where that phrase starts.
func (a *unitAn) headBeforeName(s, j int) (int, bool) {
	k := s - 1
	for k > a.ts && k > s-8 && (a.toks[k].capital() || orgConnectors[a.toks[k].text]) {
		k--
	}
	if k < a.ts || k+1 >= s || !prepositionOfHead[a.toks[k+1].text] {
		return 0, false
	}
	h := a.toks[k]
	if !h.word || h.capital() || functionWords[h.lower()] || finiteVerbs[h.lower()] || speechVerbs[h.text] != 0 || strings.HasSuffix(h.lower(), "ed") {
		return 0, false
	}
	seg := segmentStart(a.toks, k)
	if seg < a.ts {
		seg = a.ts
	}
	if k-seg > 3 {
		return 0, false
	}
	st := a.toks[seg]
	if !(determiners[st.lower()] || st.possessive() && st.capital()) {
		return 0, false
	}
	for d := seg + 1; d < k; d++ {
		if l := a.toks[d].lower(); functionWords[l] || finiteVerbs[l] {
			return 0, false
		}
	}
	return seg, true
}

var prepositionOfHead = setOf("in", "of", "for", "at")

// objectPrepositions take a name as their object, which is then no one's
// subject: "an aide to Gov. Walter Brennick says".
var objectPrepositions = setOf("to", "by", "with", "about", "against", "toward", "towards", "under", "between", "among", "than")

// appositiveChain reads the subject that ends in a comma before its verb:
// "Peggy Cifrino, a Powell aide," or "Both A, who …, and B, who …,".
//
// With trailing, the name may end a longer segment ("The change won over
// Sen. Luis Ortega, a Republican from Dayton, who …").
func (a *unitAn) appositiveChain(j int, trailing bool) ([]party, int, bool) {
	var subj []party
	role := ""
	from := 0
	for j >= a.ts && a.toks[j].is(",") {
		e := j - 1
		s := segmentStart(a.toks, e)
		if s < a.ts {
			s = a.ts
		}
		if e < s {
			break
		}
		first := a.toks[s]
		fl := first.lower()
		switch {
		case s == e && unicode.IsDigit(text.FirstRune(first.text)):
			// an age: "John Smith, 45, said"
		case fl == "who":
			role = relativeRole(a.p, a.toks, s, e+1)
		case !first.capital() && fl != "and" && fl != "both" && len(subj) == 0 && a.toks[e].capital() && a.titledNameAt(s, e) > s:
			// "X’s lawyer, the public defender Siobhan Kealoha-Burke, said"
			b := a.titledNameAt(s, e)
			pt, _, ok := a.nameParty(b, e)
			if !ok {
				return subj, from, false
			}
			if role != "" {
				pt.role = role
			} else if pt.role == "" {
				pt.role = a.p[first.start:a.toks[b-1].end]
			}
			return []party{pt}, a.toks[b].start, false
		case !first.capital() && fl != "and" && fl != "both" || first.possessive():
			if e-s > 30 {
				return subj, from, false
			}
			role = a.p[first.start:a.toks[e].end]
		default:
			ns := s
			compound := false
			if a.toks[ns].lower() == "and" {
				ns++
				compound = true
			}
			if ns <= e && determiners[a.toks[ns].lower()] && !trailing && len(subj) == 0 {
				// "The senator, a Democrat from Ohio, said"
				pt := a.descParty(ns, e)
				if role != "" {
					pt.role = role
				}
				return []party{pt}, a.toks[ns].start, false
			}
			if ns < e && e-ns <= 2 && descNouns[a.toks[e].lower()] && !trailing && len(subj) == 0 {
				// "European officials, who …, said"
				pt := a.descParty(ns, e)
				if role != "" {
					pt.role = role
				}
				return []party{pt}, a.toks[ns].start, false
			}
			if ns > e || !a.toks[e].capital() {
				return subj, from, false
			}
			// the name is the capitalised run that ends the segment
			b := e
			for b-1 >= ns && nameToken(a.toks, b-1) && !a.toks[b-1].possessive() {
				b--
			}
			if b != ns && !trailing && !(b == ns+1 && capFunctionWords[a.toks[ns].bare()]) {
				return subj, from, false
			}
			pt, _, ok := a.nameParty(b, e)
			if !ok {
				return subj, from, false
			}
			if role != "" {
				pt.role = role
			}
			role = ""
			subj = append([]party{pt}, subj...)
			from = a.toks[b].start
			if !compound {
				if rs, ok := a.roleBefore(b - 1); ok {
					// "“…,” Halvard’s chief executive, Rohan Dastur, said":
					// the role set before the name belongs to the subject.
					from = a.toks[rs].start
					if subj[0].role == "" {
						subj[0].role = a.p[a.toks[rs].start:a.toks[b-2].end]
					}
				}
				return subj, from, false
			}
		}
		j = s - 1
	}
	return subj, from, false
}

// roleBefore reports whether the comma toks[k] closes a short role that
// opens its sentence or follows a quotation ("Halvard’s chief executive,",
// "The company’s lawyer,") and returns where the role starts.
func (a *unitAn) roleBefore(k int) (int, bool) {
	if k-1 < a.ts || !a.toks[k].is(",") {
		return 0, false
	}
	s := segmentStart(a.toks, k-1)
	if s < a.ts || k-s > 6 || k-s < 2 {
		return 0, false
	}
	first := a.toks[s]
	if !(first.possessive() || first.lower() == "the" || first.lower() == "its" || first.lower() == "his" || first.lower() == "her" || first.lower() == "their") {
		return 0, false
	}
	for j := s + 1; j < k; j++ {
		if l := a.toks[j].lower(); !a.toks[j].word || finiteVerbs[l] || speechVerbs[a.toks[j].text] != 0 || functionWords[l] && l != "of" {
			return 0, false
		}
	}
	// The role opens the unit, or follows a quotation and its comma.
	switch {
	case s == a.ts:
	case s-1 >= a.ts && a.closesQuote(s-1):
	case s-2 >= a.ts && a.toks[s-1].is(",") && a.closesQuote(s-2):
	default:
		return 0, false
	}
	return s, true
}

// titledNameAt returns where the name of a person starts in the segment
// toks[s..e] that is lower-case words of title and a name of two words or
// more ("the public defender Siobhan Kealoha-Burke"), or -1.
func (a *unitAn) titledNameAt(s, e int) int {
	b := e
	for b-1 > s && nameToken(a.toks, b-1) && !a.toks[b-1].possessive() {
		b--
	}
	if b-s > 4 || b-s == 1 && determiners[a.toks[s].lower()] {
		return -1 // "a Virginia Democrat" is a role, not a title and a name
	}
	for k := s; k < b; k++ {
		t := a.toks[k]
		l := t.lower()
		if !t.word || t.capital() || k > s && (functionWords[l] || determiners[l]) || finiteVerbs[l] || speechVerbs[t.text] != 0 || strings.HasSuffix(l, "ed") || strings.HasSuffix(l, "ing") {
			return -1
		}
	}
	if ps, ok := findPerson(a.toks, b, e); !ok || ps.orgLike || ps.words < 2 {
		return -1
	}
	return b
}

// nest decides which cues relay others and where each claim ends.
func (a *unitAn) nest() {
	cs := a.cues
	for ci := range cs {
		c := &cs[ci]
		for oi := range cs {
			// "said Sen. Maria Delgado, a Democrat … who wrote the bill": a
			// verb inside another attribution's name and role is part of it.
			if oi != ci && !cs[oi].ignored && c.vstart > cs[oi].from && c.vstart < cs[oi].to && c.vstart != cs[oi].vstart {
				c.ignored = true
			}
		}
		if c.ignored {
			continue
		}
		if c.trailing {
			for oi := 0; oi < ci; oi++ {
				o := &cs[oi]
				if o.ignored || o.from < a.u.Start || o.from >= c.from {
					continue
				}
				if o.cs >= 0 && o.ce > a.boundaryBefore(c.from) {
					o.ce = a.boundaryBefore(c.from)
				}
				if o.outer < 0 && o.cs >= 0 && c.cs >= 0 {
					o.outer = ci
					c.dropped = true
				}
			}
			continue
		}
		for oi := ci - 1; oi >= 0; oi-- {
			o := &cs[oi]
			if o.ignored || o.cs < 0 || c.from < o.cs || c.from >= o.ce {
				continue
			}
			switch {
			case o.paren || o.kind == cuePassive:
				// the whole sentence is the claim; a cue inside it stands
			case c.message:
				// "Wilkerson disclosed that … Powell sent Wilkerson an
				// e-mail stating that …": the sender's words, relayed by
				// the one who tells of the message, whose claim stands.
				c.outer = oi
				if c.ce > o.ce {
					c.ce = o.ce
				}
			case c.kind == cueParticiple || c.kind == cueCoord || o.kind == cueParticiple:
				o.ce = a.boundaryBefore(c.from)
			case strings.TrimSpace(a.p[o.cs:c.from]) == "":
				// The claim opens with another attribution: "noted he had
				// said at the time that …". The inner speaker speaks, the
				// outer one relays; an inner verb with no claim of its own
				// ("he had warned the council") leaves the outer claim whole.
				c.outer = oi
				if c.cs >= 0 {
					o.dropped = true
					if c.ce > o.ce {
						c.ce = o.ce
					}
				}
			default:
				c.ignored = true
			}
			break
		}
	}
}

// boundaryBefore is the offset where a claim that a later cue at b cuts
// short ends: before the comma (and "but") that leads to the cue.
func (a *unitAn) boundaryBefore(b int) int {
	k := a.tokAt(b) - 1
	for k >= a.ts && (a.toks[k].is("but") || a.toks[k].is("and") || participleLeads[a.toks[k].lower()]) {
		k--
	}
	if k >= a.ts && a.toks[k].is(",") {
		return a.toks[k].start
	}
	if k >= a.ts {
		return a.toks[k].end
	}
	return b
}

// resolve turns each cue's subject into speakers: full names for surnames,
// people for pronouns, earlier descriptions for definite ones.
func (a *unitAn) resolve() {
	cs := a.cues
	var resolveOne func(ci int)
	done := make([]bool, len(cs))
	resolveOne = func(ci int) {
		if done[ci] {
			return
		}
		done[ci] = true
		c := &cs[ci]
		var outer *party
		if c.outer >= 0 {
			resolveOne(c.outer)
			if o := cs[c.outer].speakers; len(o) > 0 {
				outer = &o[0]
				c.via = o[0].name
			}
		}
		if (c.kind == cueParticiple || c.kind == cueCoord) && len(c.subj) == 0 {
			// A participle or a coordinated verb speaks for its sentence's
			// subject: the nearest cue before it, else after it.
			for oi := ci - 1; oi >= 0 && len(c.speakers) == 0; oi-- {
				if !cs[oi].ignored && oi != c.outer {
					resolveOne(oi)
					c.speakers = cs[oi].speakers
				}
			}
			for oi := ci + 1; oi < len(cs) && len(c.speakers) == 0; oi++ {
				if !cs[oi].ignored && cs[oi].kind != cueParticiple && cs[oi].kind != cueCoord && cs[oi].outer != ci {
					resolveOne(oi)
					c.speakers = cs[oi].speakers
				}
			}
			if len(c.speakers) == 0 {
				// "Parsi echoed those assertions, claiming that …"
				if pt, ok := a.sentenceSubject(); ok {
					c.speakers = []party{a.x.resolveParty(pt, a.para, nil)}
				}
			}
			return
		}
		var ps []party
		src := c.subj
		if len(c.obj) > 0 {
			src = c.obj
			if len(c.subj) > 0 {
				c.via = a.x.resolveParty(c.subj[0], a.para, nil).name
			}
		}
		for _, s := range src {
			r := a.x.resolveParty(s, a.para, outer)
			ps = append(ps, r)
		}
		c.speakers = ps
		for _, r := range ps {
			if r.name != "" {
				a.x.remember(r)
			}
		}
		if len(ps) > 1 {
			a.x.remember(party{name: ps[0].name, plural: true})
		}
	}
	for ci := range cs {
		if !cs[ci].ignored {
			resolveOne(ci)
		}
	}
}

// noteSubject remembers the person a sentence without attribution is about
// ("Dr. Ana Ruiz … has treated dozens of children."), whom a "she said" in
// the next sentence most likely means.
func (a *unitAn) noteSubject() {
	for _, c := range a.cues {
		if !c.ignored {
			return
		}
	}
	pt, ok := a.sentenceSubject()
	if ok && !pt.desc {
		if r := a.x.resolveName(pt, a.para); strings.Contains(r.name, " ") {
			a.x.remember(r)
			return
		}
	}
	// "Asked whether …, Vantongeren paused." / "The American envoy,
	// Jonathan Mercer-Blake, rejected …": the name after the first comma,
	// followed by a comma or a verb.
	for k := a.ts; k < a.te && k < a.ts+25; k++ {
		if a.inQuote(a.toks[k].start) {
			return
		}
		if !a.toks[k].is(",") {
			continue
		}
		s := k + 1
		if s >= a.te || !a.toks[s].capital() || capFunctionWords[a.toks[s].bare()] || a.inQuote(a.toks[s].start) {
			return
		}
		e := s
		for e+1 < a.te && !a.toks[e].possessive() && nameToken(a.toks, e+1) {
			e++
		}
		if a.toks[e].possessive() || e+1 >= a.te || !(a.toks[e+1].is(",") || a.toks[e+1].word && !a.toks[e+1].capital()) {
			return
		}
		ps, ok := findPerson(a.toks, s, e)
		if !ok || ps.orgLike {
			return
		}
		r := a.x.resolveName(party{name: a.p[a.toks[ps.s].start:nameEnd(a.toks[ps.e])]}, a.para)
		if strings.Contains(r.name, " ") {
			a.x.remember(r)
		}
		return
	}
}

// sentenceSubject reads a name that opens the unit.
func (a *unitAn) sentenceSubject() (party, bool) {
	k := a.ts
	for k < a.te && a.isMark(k) {
		k++
	}
	if a.introWord(k) {
		k += 2
	}
	for k < a.te && capFunctionWords[a.toks[k].bare()] {
		k++
	}
	if k >= a.te || !a.toks[k].capital() || a.toks[k].possessive() {
		return party{}, false
	}
	e := k
	for e+1 < a.te && !a.toks[e].possessive() && nameToken(a.toks, e+1) {
		e++
	}
	if a.toks[e].possessive() {
		return party{}, false
	}
	pt, _, ok := a.nameParty(k, e)
	return pt, ok && pt.name != ""
}

// resolveParty resolves one subject in paragraph para. outer is the speaker
// who relays it, if any.
func (x *attributor) resolveParty(s party, para int, outer *party) party {
	switch {
	case s.pronoun == "he" || s.pronoun == "she":
		if outer != nil && outer.principal != "" {
			return x.resolveName(party{name: outer.principal}, para)
		}
		for k := len(x.recent) - 1; k >= 0; k-- {
			if r := x.recent[k]; !r.plural && r.name != "" {
				return r
			}
		}
		return party{}
	case s.pronoun == "they":
		for k := len(x.recent) - 1; k >= 0; k-- {
			if r := x.recent[k]; r.plural && r.name != "" {
				return r
			}
		}
		return party{}
	case s.pronoun != "":
		return party{} // "I", "we" outside a quotation: the writer
	case s.desc:
		if id, ok := x.identify(s.head, para); ok {
			r := x.resolveName(party{name: id}, para)
			return r
		}
		if l := strings.ToLower(s.name); strings.HasPrefix(l, "the ") {
			for k := len(x.recent) - 1; k >= 0; k-- {
				if r := x.recent[k]; r.desc && r.head == s.head {
					return r
				}
			}
		}
		s.principal = principalOf(s.name)
		return s
	}
	return x.resolveName(s, para)
}

// remember adds a speaker to the recent ones that pronouns may refer to;
// only the last few matter.
func (x *attributor) remember(p party) {
	const keep = 32
	if len(x.recent) >= 2*keep {
		x.recent = append(x.recent[:0], x.recent[len(x.recent)-keep:]...)
	}
	x.recent = append(x.recent, p)
}

// identify returns the name a description's head noun is given nearby: "the
// analyst was Zeev Schiff".
func (x *attributor) identify(head string, para int) (string, bool) {
	ids := x.identities[head]
	k := sort.Search(len(ids), func(k int) bool { return ids[k].para >= para-1 })
	if k < len(ids) && ids[k].para <= para+2 {
		return ids[k].name, true
	}
	return "", false
}

// resolveName expands a surname to the full name the story introduces and
// fills in the role the story gives that person.
func (x *attributor) resolveName(s party, para int) party {
	name := s.name
	if ms := x.bySurname[name]; len(ms) > 0 && !strings.Contains(name, " ") {
		// the latest full name given up to this paragraph, else the first
		// one given later
		k := sort.Search(len(ms), func(k int) bool { return ms[k].para > para })
		if k > 0 {
			k--
		}
		name = ms[k].name
	}
	s.name = name
	if s.role == "" {
		s.role = x.roleOf[name]
	}
	s.principal = principalOf(s.role)
	return s
}

// principalOf returns whom an aide or spokesperson speaks for, from their
// role: "a Powell aide" → "Powell", "a spokeswoman for Gov. Ann Lee" →
// "Ann Lee".
func principalOf(role string) string {
	l := strings.ToLower(role)
	found := false
	for _, w := range []string{"aide", "spokesman", "spokeswoman", "spokesperson", "press secretary", "assistant to", "lawyer for", "attorney for", "representative for", "chief of staff to"} {
		if strings.Contains(l, w) {
			found = true
			break
		}
	}
	if !found {
		return ""
	}
	toks := quoteTokens(role)
	for k := 0; k < len(toks); k++ {
		if !toks[k].capital() || capFunctionWords[toks[k].bare()] {
			continue
		}
		e := k
		for e+1 < len(toks) && !toks[e].possessive() && nameToken(toks, e+1) {
			e++
		}
		if ps, ok := findPerson(toks, k, e); ok && !ps.orgLike {
			return role[toks[ps.s].start:nameEnd(toks[ps.e])]
		}
		k = e
	}
	return ""
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
		quote.Fragment = !adjacent && !startsUnit && len(strings.Fields(text)) <= 4
		out = append(out, quote)
	}
	return out
}

// attributionOf returns the cue that attributes quotation q and whether it
// stands right beside it (“…,” said X / X said: “…”).
func (a *unitAn) attributionOf(q quoteSpan) (int, bool) {
	best := -1
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
	// Inside a claim: the innermost claim that holds it.
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
	if best >= 0 {
		return best, false
	}
	// Otherwise the nearest cue of the sentence, preferring one before it.
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
	return best, false
}

// trimQuoteText trims white space and a final comma or full stop (which
// belong to the sentence around a quotation) from p[from:to].
func trimQuoteText(p string, from, to int) (int, int) {
	from, to = text.TrimSpaceBounds(p, from, to)
	if to > from && (p[to-1] == ',' || p[to-1] == ';' || p[to-1] == ':') {
		to--
	} else if to > from && p[to-1] == '.' && !strings.HasSuffix(p[from:to], "..") {
		w := text.WordBefore(p[from:to], to-1-from)
		if text.AbbreviationClass(w) == text.AbbrevNone || text.AbbreviationClass(w) == text.AbbrevNumber {
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

var titleSmallWords = setOf("a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from", "as", "but", "nor")

var titleCues = setOf("in", "on", "book", "titled", "entitled", "film", "novel", "memoir", "report", "column", "article", "essay", "song", "album", "show", "series", "play", "movie", "documentary", "op-ed", "headline",
	"program", "programme", "podcast", "broadcast", "episode", "newspaper", "magazine", "newsletter", "website", "blog", "study", "paper")

// claims turns the cues with a claim into reported-claim Quotes.
func (a *unitAn) claims() []Quote {
	var out []Quote
	for ci, c := range a.cues {
		if c.ignored || c.dropped || c.cs < 0 || len(c.speakers) == 0 {
			continue
		}
		from, to := trimClaim(a.p, c.cs, c.ce)
		if from >= to || len(strings.Fields(a.p[from:to])) < 2 || a.quotationOnly(from, to) {
			continue
		}
		if c.kind == cuePassive && a.speakerClaimsElsewhere(ci) {
			continue
		}
		for _, sp := range c.speakers {
			if sp.name == "" {
				continue
			}
			out = append(out, Quote{
				Paragraph: a.para + 1,
				Text:      a.p[from:to],
				Sentence:  a.u.Text,
				Speaker:   sp.name,
				Role:      sp.role,
				Via:       c.via,
				Verb:      c.verb,
				Offset:    from,
			})
		}
	}
	return out
}

// speakerClaimsElsewhere reports whether the speaker of a passive cue ("was
// called into question by some Iran experts, who noted that …") makes a
// claim of their own in the same sentence, which says more.
func (a *unitAn) speakerClaimsElsewhere(ci int) bool {
	name := a.cues[ci].speakers[0].name
	for cj, c := range a.cues {
		if cj != ci && !c.ignored && !c.dropped && c.cs >= 0 && len(c.speakers) > 0 && c.speakers[0].name == name {
			return true
		}
	}
	return false
}

func trimClaim(p string, from, to int) (int, int) {
	from, to = text.TrimSpaceBounds(p, from, to)
	for to > from && strings.ContainsRune(",;:—–", rune(p[to-1])) {
		to--
		from, to = text.TrimSpaceBounds(p, from, to)
	}
	return from, to
}

// capFunctionWords open sentences and phrases capitalised without being
// part of a name.
var capFunctionWords = setOf("The", "A", "An", "In", "On", "At", "While", "During", "After", "Before",
	"When", "But", "And", "Or", "Both", "Neither", "Either", "Former", "According", "Then", "Now", "If",
	"As", "For", "With", "Since", "Though", "Although", "Because", "Meanwhile", "However", "Still",
	"Yet", "So", "Last", "Next", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I",
	"His", "Her", "Their", "Its", "Our", "My", "Some", "Many", "Most", "Other", "Such", "All", "One",
	"Every", "Each", "Under", "Over", "By", "From", "To", "Of", "Among", "Despite", "Without", "Unlike",
	"Like", "Even", "Only", "Just", "Also", "Why", "What", "How", "Who", "Where", "Instead", "Earlier",
	"Later", "Today", "Yesterday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday", "Asked", "Speaking", "Unlike", "Until", "Whether", "There", "Here", "Never", "No", "Not",
	"Mr", "Mrs", "Ms", "Dr")

// titleWords are capitalised words of a title before a name.
var titleWords = setOf("President", "Vice", "Secretary", "Adviser", "Advisor", "Leader", "Supreme",
	"Minister", "Prime", "Foreign", "Defense", "Defence", "State", "Senator", "Representative",
	"Governor", "Mayor", "Judge", "Justice", "Chief", "Ambassador", "General", "Professor", "Rabbi",
	"Father", "Sheikh", "Ayatollah", "King", "Queen", "Prince", "Princess", "Speaker", "Chairman",
	"Chairwoman", "Chair", "Commissioner", "Director", "Attorney", "Security", "National", "Deputy",
	"Assistant", "Press", "Spokesman", "Spokeswoman", "Commander", "Sir", "Lord", "Dame", "Detective",
	"Officer", "Sheriff", "Councilman", "Councilwoman", "Councilmember", "Assemblyman",
	"Assemblywoman", "Congressman", "Congresswoman", "Lieutenant", "Colonel", "Major", "Captain",
	"Sergeant", "Admiral", "Bishop", "Cardinal", "Pope", "Imam", "Interior", "Homeland", "Treasury",
	"Health", "Energy", "Labor", "Education", "Transportation", "Agriculture", "Commerce", "Finance",
	"Senior", "Executive", "Managing", "Editor", "Superintendent", "Inspector", "Rev", "Reverend",
	"Ambassador-at-Large", "First", "Comptroller", "Treasurer", "Auditor", "Clerk", "Controller",
	"Alderman", "Alderwoman", "Councilor", "Trustee", "Coach", "Sister", "Brother", "Pastor", "Elder",
	"Magistrate", "Marshal", "Constable", "Nurse", "Delegate", "Solicitor", "Registrar", "Prosecutor",
	"Warden", "Chaplain", "Mufti", "Patriarch", "Metropolitan", "Archbishop", "Emir", "Sultan", "Crown", "Lady", "Principal", "Dean", "Provost", "Chancellor", "Premier",
	"Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "Capt", "Adm", "Prof", "Mr", "Mrs", "Ms", "Dr")

// orgWords end the names of organisations and places, not people.
var orgWords = setOf("University", "College", "Council", "Ministry", "Department", "Endowment",
	"Institute", "Foundation", "Committee", "Party", "Agency", "Administration", "Guards", "Guard",
	"Republic", "Company", "Association", "Center", "Centre", "Times", "Post", "News", "Journal",
	"Forward", "Newsweek", "Press", "Congress", "Senate", "House", "Court", "Bank", "Fund", "Group",
	"Organization", "Organisation", "Office", "Service", "Commission", "Board", "Authority", "Union",
	"Corporation", "Corp", "Inc", "Ltd", "Co", "LLC", "Network", "Church", "Embassy", "Army", "Navy",
	"Force", "Forces", "Police", "School", "Hospital", "Club", "Society", "League", "Alliance",
	"Coalition", "Front", "Movement", "Project", "Program", "Programme", "Initiative", "Media",
	"Radio", "Television", "Magazine", "Daily", "Herald", "Tribune", "Gazette", "Street", "Avenue",
	"City", "County", "States", "Nations", "Kingdom", "Gulf", "East", "West", "North", "South", "Sea",
	"River", "Valley", "Bay", "Island", "Islands", "Mountains", "Strait", "Ocean", "Airport", "Station",
	"Park", "Square", "Hall", "Museum", "Library", "Region", "Province", "District", "Territory",
	"Accord", "Accords", "Act", "Treaty", "Plan", "Conference", "Summit", "Talks", "Reuters", "Post-Dispatch")

// namingClaim reads "…, calling it a missed opportunity" or "…, describing
// them as reckless" at the participle toks[k]: a judgment the subject of the
// sentence passes without quotation marks, which is their claim. It reports
// whether it added a cue; a quotation after "calling it" is left to the
// quotation's own attribution.
func (a *unitAn) namingClaim(k int) bool {
	t := a.toks[k]
	if !strings.HasSuffix(t.text, "ing") || k-1 <= a.ts || !a.toks[k-1].is(",") || k+2 >= a.te {
		return false
	}
	if o := a.toks[k+1].lower(); o != "it" && o != "them" {
		return false
	}
	st := k + 2
	if speechVerbs[t.text] == vDescribe {
		if !a.toks[st].is("as") {
			return false
		}
		st++
	}
	if st >= a.te || !a.toks[st].word || a.inQuote(a.toks[st].start) {
		return false
	}
	if l := a.toks[st].lower(); namingParticles[l] && l != "a" && l != "an" || prepositions[l] || functionWords[l] && !determiners[l] {
		return false // "calling it off", "calling it to order"
	}
	c := cue{kind: cueParticiple, verb: t.text, from: t.start, vstart: t.start, to: a.toks[st-1].end, outer: -1}
	c.cs, c.ce = a.toks[st].start, a.clauseEnd(st)
	c.subj = a.actingSubject(k - 1)
	a.cues = append(a.cues, c)
	return true
}

// actingSubject returns the subject of the main clause that ends at toks[end]
// when that clause reports an act rather than speech ("Critics of the
// administration have since blasted the decision"): the noun phrase before
// its first verb, opening the sentence or following an introductory phrase.
// It returns nothing when a verb of saying comes first, whose cue then
// speaks for the sentence.
func (a *unitAn) actingSubject(end int) []party {
	for v := a.ts + 1; v < end; v++ {
		t := a.toks[v]
		if !t.word || a.inQuote(t.start) {
			continue
		}
		l := t.lower()
		if speechVerbs[t.text] != 0 {
			return nil
		}
		if !finiteVerbs[l] && !(strings.HasSuffix(l, "ed") && len(l) > 3 && !t.capital() && !determiners[a.toks[v-1].lower()]) {
			continue
		}
		subj, from, coord := a.subjectBefore(v)
		if coord || len(subj) == 0 {
			return nil
		}
		for _, s := range subj {
			if s.pronoun == "i" || s.pronoun == "we" {
				return nil
			}
		}
		if f := a.tokAt(from); f > a.ts && !a.toks[f-1].is(",") && !(f-1 == a.ts && a.isMark(a.ts)) {
			return nil
		}
		return subj
	}
	return nil
}

// messageNouns are what a person sends that carries their words.
var messageNouns = setOf("letter", "letters", "e-mail", "e-mails", "email", "emails", "memo", "memos",
	"memorandum", "note", "notes", "message", "messages", "text", "texts", "cable", "telegram", "fax")

// sendVerbs send a message.
var sendVerbs = setOf("sent", "sends", "wrote", "writes", "e-mailed", "emailed", "mailed", "faxed", "texted", "forwarded")

// messageCue reads "Powell sent Wilkerson an e-mail stating that …" or "Lee
// wrote a letter to the board saying …" at the participle toks[k]: the
// claim is the sender's, relayed by whoever tells of the message. It
// reports whether it added a cue.
func (a *unitAn) messageCue(k int) bool {
	plain := func(m int) bool {
		t := a.toks[m]
		l := t.lower()
		return t.word && !a.inQuote(t.start) && !finiteVerbs[l] && speechVerbs[t.text] == 0 && !sendVerbs[l]
	}
	n := k - 1
	if n <= a.ts {
		return false
	}
	if !messageNouns[a.toks[n].lower()] {
		// "… a letter to the board saying"
		m := n
		for m > a.ts && m > k-6 && !a.toks[m].is("to") && plain(m) {
			m--
		}
		if m == n || m <= a.ts || !a.toks[m].is("to") || !messageNouns[a.toks[m-1].lower()] {
			return false
		}
		n = m - 1
	}
	d := n - 1
	for d > a.ts && d > n-4 && !determiners[a.toks[d].lower()] && plain(d) && !a.toks[d].capital() {
		d--
	}
	if d <= a.ts || !determiners[a.toks[d].lower()] {
		return false
	}
	v := d - 1
	for v > a.ts && v > d-6 && !sendVerbs[a.toks[v].lower()] && plain(v) {
		v--
	}
	if v <= a.ts || !sendVerbs[a.toks[v].lower()] {
		return false
	}
	subj, from, coord := a.subjectBefore(v)
	if coord || len(subj) == 0 {
		return false
	}
	t := a.toks[k]
	c := cue{kind: cueVerb, verb: t.text, from: from, vstart: t.start, to: t.end, cs: -1, outer: -1, subj: subj, message: true}
	a.complement(&c, k+1, vSay)
	a.cues = append(a.cues, c)
	return true
}

// jointSubject extends the name pt, which starts at toks[s], to the people
// who share its verb: "Ann Lee and Tom Reyes said", "Both Ann Lee, who …,
// and Tom Reyes have said", "Lee, Reyes and Bo Park said". Each is a full
// name or a surname the story gives in full; the first opens the clause.
func (a *unitAn) jointSubject(pt party, s int) ([]party, int, bool) {
	named := func(p party) bool {
		return !p.desc && p.pronoun == "" && p.name != "" && (strings.Contains(p.name, " ") || len(a.x.bySurname[p.name]) > 0)
	}
	opens := func(f int) bool {
		g := f - 1
		if g >= a.ts && a.toks[g].lower() == "both" {
			g--
		}
		return g < a.ts || a.toks[g].is(",") || g == a.ts && a.isMark(g)
	}
	j := s - 2
	if !named(pt) || j < a.ts || !a.toks[s-1].is("and") {
		return nil, 0, false
	}
	if a.toks[j].is(",") {
		// "Both Ann Lee, who …, and Tom Reyes said"
		chain, from, _ := a.appositiveChain(j, false)
		if len(chain) == 0 || !opens(a.tokAt(from)) {
			return nil, 0, false
		}
		for _, p := range chain {
			if !named(p) {
				return nil, 0, false
			}
		}
		return append(chain, pt), from, true
	}
	first, f, ok := a.npBefore(j)
	if ok && first.desc && a.toks[f].lower() == "both" && f < j {
		// "Both Ann Lee and …": "both" is no determiner of a name
		first, _, ok = a.nameParty(f+1, j)
	}
	if !ok || !named(first) {
		return nil, 0, false
	}
	subj := []party{first, pt}
	// "Lee, Reyes and Park said"
	for f-2 >= a.ts && a.toks[f-1].is(",") {
		p, g, ok := a.npBefore(f - 2)
		if !ok || !named(p) {
			break
		}
		subj, f = append([]party{p}, subj...), g
	}
	if !opens(f) {
		return nil, 0, false
	}
	for i := range subj {
		if capFunctionWords[subj[i].role] {
			subj[i].role = "" // "Both"
		}
	}
	return subj, a.toks[f].start, true
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
