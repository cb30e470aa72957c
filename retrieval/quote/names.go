package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/text"
)

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
			for d := s - 2; d >= 0 && d >= s-identityScanBack; d-- {
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
	for open >= 0 && open > k-maxAsideTokens && !toks[open].is("(") {
		if toks[open].is(")") && open != k || toks[open].capital() {
			return 0, 0, false
		}
		open--
	}
	if open < 1 || !toks[open].is("(") || !toks[open-1].capital() {
		return 0, 0, false
	}
	for close = open + 1; close < len(toks) && close <= open+maxAsideTokens; close++ {
		t := toks[close]
		if t.is(")") {
			break
		}
		if t.capital() || !t.word && !t.is(".") {
			return 0, 0, false
		}
	}
	if close == open+1 || close >= len(toks) || close > open+maxAsideTokens || close+1 >= len(toks) || !toks[close+1].capital() || k > close {
		return 0, 0, false
	}
	return open, close, true
}

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

// nameEnd is the end of a name token without its possessive ending.
func nameEnd(t qtok) int {
	return t.start + len(strings.TrimSuffix(strings.TrimSuffix(t.text, "’s"), "'s"))
}

// roleAround returns the role the story gives the name toks[s..e] where it
// stands: an appositive after it (", an adjunct professor at …,", ", who was
// …,"), "of the Carnegie Endowment …" right after it, or an appositive before
// it ("Powell’s deputy, Richard Armitage,").
func roleAround(p string, toks []qtok, s, e int) string {
	for _, step := range roleSteps {
		if role, ok := step(p, toks, s, e); ok {
			return role
		}
	}
	return ""
}

// roleSteps are the places roleAround looks for a role, in order; the first
// that applies decides.
var roleSteps = [...]func(p string, toks []qtok, s, e int) (string, bool){
	appositiveAfter, ofPhraseAfter, lowerTitleBefore, appositiveBefore,
}

// appositiveAfter reads the appositive after the name toks[s..e]: ", an
// adjunct professor at …," or ", who was …,".
func appositiveAfter(p string, toks []qtok, s, e int) (string, bool) {
	n := len(toks)
	if e+2 >= n || !toks[e+1].is(",") {
		return "", false
	}
	a, b := e+2, segmentEnd(toks, e+2)
	closed := b == n || toks[b].is(",") || toks[b].is(".") || toks[b].is(")") || toks[b].is(";")
	for k := a; k < b && closed; k++ {
		// a clause, not an appositive: "According to Smith, the deal was done"
		closed = !finiteVerbs[toks[k].lower()] || toks[a].is("who")
	}
	if b <= a || !closed {
		return "", false
	}
	first := toks[a]
	switch {
	case first.is("who") && b > a+1:
		return relativeRole(p, toks, a, b), true
	case appositiveOpeners[first.lower()] || first.possessive() || lowerTitle(first.text):
		return p[first.start:toks[b-1].end], true
	}
	return "", false
}

// ofPhraseAfter reads "of the Carnegie Endowment …" right after the name
// toks[s..e].
func ofPhraseAfter(p string, toks []qtok, s, e int) (string, bool) {
	if e+2 >= len(toks) || !(toks[e+1].is("of") || toks[e+1].is("at")) || !(toks[e+2].is("the") || toks[e+2].capital()) {
		return "", false
	}
	b := segmentEnd(toks, e+1)
	// Stop before a verb of saying: "Sadjepour of Carnegie said".
	for k := e + 1; k < b; k++ {
		if speechVerbs[toks[k].text] != 0 {
			b = k
			break
		}
	}
	if b > e+2 {
		return p[toks[e+1].start:toks[b-1].end], true
	}
	return "", false
}

// lowerTitleBefore reads a lower-case title before the name toks[s..e]:
// "then-secretary of state Colin Powell".
func lowerTitleBefore(p string, toks []qtok, s, e int) (string, bool) {
	if s < 1 || !toks[s-1].word || toks[s-1].capital() {
		return "", false
	}
	b := s
	for b-1 >= 0 && toks[b-1].word && !toks[b-1].capital() && (lowerTitle(toks[b-1].text) || toks[b-1].is("of") && b-2 >= 0 && lowerTitle(toks[b-2].text)) {
		b--
	}
	if b < s && lowerTitle(toks[b].text) {
		return p[toks[b].start:toks[s-1].end], true
	}
	return "", false
}

// appositiveBefore reads an appositive set before the name toks[s..e]:
// "Powell’s deputy, Richard Armitage,".
func appositiveBefore(p string, toks []qtok, s, e int) (string, bool) {
	n := len(toks)
	if s < 2 || !toks[s-1].is(",") || e+1 >= n || !(toks[e+1].is(",") || toks[e+1].is(".")) {
		return "", false
	}
	a := segmentStart(toks, s-2)
	if a <= s-2 && s-1-a <= maxRoleBeforeTokens && (toks[a].possessive() || appositiveOpeners[toks[a].lower()]) {
		return p[toks[a].start:toks[s-2].end], true
	}
	return "", false
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

// roleBefore reports whether the comma toks[k] closes a short role that
// opens its sentence or follows a quotation ("Halvard’s chief executive,",
// "The company’s lawyer,") and returns where the role starts.
func (a *unitAn) roleBefore(k int) (int, bool) {
	if k-1 < a.ts || !a.toks[k].is(",") {
		return 0, false
	}
	s := segmentStart(a.toks, k-1)
	if s < a.ts || k-s > maxRoleBeforeName || k-s < 2 {
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
	if b-s > maxTitleWords || b-s == 1 && determiners[a.toks[s].lower()] {
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

// OrganisationName reports whether a speaker's name, as Quote.Speaker gives
// it, names an organisation or a place rather than a person: its last word
// ends such names ("European Union", "Carnegie Endowment", "Reuters") or it
// is an acronym ("NATO").
func OrganisationName(name string) bool {
	words := strings.Fields(name)
	if len(words) == 0 {
		return false
	}
	last := strings.TrimSuffix(strings.TrimSuffix(words[len(words)-1], "’s"), "'s")
	last = strings.TrimSuffix(last, ".")
	return orgWords[last] || allCapsWord(last) && utf8.RuneCountInString(last) > 1
}
