package quote

import (
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval/text"
)

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
	if prev.is(",") && np.desc && sendVerbs[a.toks[k].text] {
		// "…, wrote a series of memos urging …": a verb that takes a
		// document as its object has that object after it, not its
		// subject; only after a quotation ("“…,” wrote Parsi") or with a
		// name does the subject follow it.
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
	case a.opensName(k):
		return a.nameAfter(k)
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
		return a.descAfter(k)
	}
	return party{}, 0, false
}

// opensName reports whether toks[k] opens a name: a capitalised word that
// is not a function word ("The") unless it is a title abbreviation before a
// capital ("Gen. Ortiz"), and not a noun of description ("Officials").
func (a *unitAn) opensName(k int) bool {
	t := a.toks[k]
	return t.capital() && (!capFunctionWords[t.bare()] || text.IsTitleAbbrev(strings.ToLower(t.bare())) && k+1 < a.te && a.toks[k+1].capital()) && !descNouns[t.lower()]
}

// nameAfter reads the name that starts at toks[k], with its role.
func (a *unitAn) nameAfter(k int) (party, int, bool) {
	e := k
	for e+1 < a.te && !a.toks[e].possessive() && nameToken(a.toks, e+1) {
		e++
	}
	if a.toks[e].possessive() {
		return party{}, 0, false
	}
	return a.nameParty(k, e)
}

// descAfter reads the description that starts at toks[k], up to the next
// separator, conjunction, verb of saying or quotation.
func (a *unitAn) descAfter(k int) (party, int, bool) {
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

// lowerTitledName reads a name after up to three lower-case words of title
// at toks[k]: "board member Tamsin Greaves", "public defender Ann Lee".
func (a *unitAn) lowerTitledName(k int) (party, int, bool) {
	b := k
	for b < a.te && b < k+maxLowerTitleWords && a.toks[b].word && !a.toks[b].capital() {
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
		if r := strings.Index(a.p[a.toks[e].end:], pt.role); r >= 0 && r <= maxRoleGapBytes {
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

// subjectBefore finds the subject of the verb at toks[v]: "Parsi", "he",
// "Peggy Cifrino, a Powell aide,", "Both Flynt Leverett, who …, and
// Lawrence Wilkerson, who …,", "some Iran experts, who", "The Israeli". coord
// reports a verb whose subject is left out after "but" or "and".
func (a *unitAn) subjectBefore(v int) (subj []party, from int, coord bool) {
	j, ok := a.subjectEnd(v)
	if !ok {
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
		return a.relativeSubject(j)
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

// subjectEnd returns the last token of the subject of the verb at toks[v],
// skipping adverbs and a ", however," set between them; it reports false
// when a negation ("has not said whether") or the unit's start comes first.
func (a *unitAn) subjectEnd(v int) (int, bool) {
	j := v - 1
	for j >= a.ts {
		t := a.toks[j]
		l := t.lower()
		if negations[l] {
			return 0, false // "has not said whether": no attribution
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
	return j, j >= a.ts
}

// relativeSubject reads the subject of a verb after "who" at toks[j]: the
// noun phrase the relative clause hangs on.
func (a *unitAn) relativeSubject(j int) ([]party, int, bool) {
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
}

// npBefore reads the noun phrase that ends at toks[j]: a capitalised name
// (with any title), or a description from its determiner.
func (a *unitAn) npBefore(j int) (party, int, bool) {
	t := a.toks[j]
	if !t.word || t.possessive() || functionWords[t.lower()] {
		return party{}, 0, false
	}
	if t.capital() {
		return a.nameBefore(j)
	}
	return a.descBefore(j)
}

// nameBefore is npBefore for a capitalised word toks[j]: the name that ends
// there, or the noun phrase that holds it.
func (a *unitAn) nameBefore(j int) (party, int, bool) {
	s := j
	for s-1 >= a.ts && nameToken(a.toks, s-1) && !a.toks[s-1].possessive() && !a.inQuote(a.toks[s-1].start) {
		s--
	}
	if pt, b, ok := a.personOfOrg(s); ok {
		return pt, b, true
	}
	if pt, b, ok := a.phraseOfObject(s, j); ok {
		return pt, b, true
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

// personOfOrg reads the person before an organisation's name that starts
// at toks[s]: "Karim Sadjepour of the Carnegie Endowment for Peace said".
func (a *unitAn) personOfOrg(s int) (party, int, bool) {
	if s-2 < a.ts || !orgConnectors[a.toks[s-1].text] {
		return party{}, 0, false
	}
	for k := s - 1; k >= a.ts && k >= s-orgScanBack; k-- {
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
			return party{}, 0, false
		}
		if !a.toks[k].capital() && !orgConnectors[a.toks[k].text] {
			return party{}, 0, false
		}
	}
	return party{}, 0, false
}

// phraseOfObject reads the noun phrase whose preposition takes the name
// toks[s..j] as its object: "A memoir by a former aide to Gov. Walter
// Brennick says": the name is the object of "to"; the subject is the whole
// phrase.
func (a *unitAn) phraseOfObject(s, j int) (party, int, bool) {
	if s-1 < a.ts || !objectPrepositions[a.toks[s-1].text] {
		return party{}, 0, false
	}
	seg := max(segmentStart(a.toks, s-1), a.ts)
	if seg < s-1 && (determiners[a.toks[seg].lower()] || a.toks[seg].capital() && capFunctionWords[a.toks[seg].bare()]) {
		return a.descParty(seg, j), seg, true
	}
	return party{}, 0, false
}

// descBefore is npBefore for a lower-case word toks[j]: a description, back
// to the determiner that opens it, within its segment and after the last
// preposition.
func (a *unitAn) descBefore(j int) (party, int, bool) {
	seg := max(segmentStart(a.toks, j), a.ts)
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
	for k > a.ts && k > s-headScanBack && (a.toks[k].capital() || orgConnectors[a.toks[k].text]) {
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
	if k-seg > maxHeadOffset {
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

// appositiveChain reads the subject that ends in a comma before its verb:
// "Peggy Cifrino, a Powell aide," or "Both A, who …, and B, who …,".
//
// With trailing, the name may end a longer segment ("The change won over
// Sen. Luis Ortega, a Republican from Dayton, who …").
func (a *unitAn) appositiveChain(j int, trailing bool) ([]party, int, bool) {
	var ch chain
	for j >= a.ts && a.toks[j].is(",") {
		e := j - 1
		s := max(segmentStart(a.toks, e), a.ts)
		if e < s {
			break
		}
		if a.chainSegment(s, e, trailing, &ch) {
			break
		}
		j = s - 1
	}
	return ch.subj, ch.from, false
}

// chain is what appositiveChain has read so far, walking back over the
// comma-set segments before a verb.
type chain struct {
	subj []party // the speakers, in text order
	role string  // a role read from a segment after the name it belongs to
	from int     // byte offset where the subject starts
}

// chainSegment reads the comma-set segment toks[s..e] into ch and reports
// whether the chain ends there.
func (a *unitAn) chainSegment(s, e int, trailing bool, ch *chain) bool {
	first := a.toks[s]
	fl := first.lower()
	switch {
	case s == e && unicode.IsDigit(text.FirstRune(first.text)):
		// an age: "John Smith, 45, said"
	case fl == "who":
		ch.role = relativeRole(a.p, a.toks, s, e+1)
	case !first.capital() && fl != "and" && fl != "both" && len(ch.subj) == 0 && a.toks[e].capital() && a.titledNameAt(s, e) > s:
		// "X’s lawyer, the public defender Siobhan Kealoha-Burke, said"
		b := a.titledNameAt(s, e)
		pt, _, ok := a.nameParty(b, e)
		if !ok {
			return true
		}
		if ch.role != "" {
			pt.role = ch.role
		} else if pt.role == "" {
			pt.role = a.p[first.start:a.toks[b-1].end]
		}
		ch.subj, ch.from = []party{pt}, a.toks[b].start
		return true
	case !first.capital() && fl != "and" && fl != "both" || first.possessive():
		if e-s > maxRoleTokens {
			return true
		}
		ch.role = a.p[first.start:a.toks[e].end]
	default:
		return a.chainName(s, e, trailing, ch)
	}
	return false
}

// chainName reads a segment toks[s..e] that names a speaker ("Peggy
// Cifrino", "and Bob Smith") or describes one ("The senator") into ch and
// reports whether the chain ends there.
func (a *unitAn) chainName(s, e int, trailing bool, ch *chain) bool {
	ns := s
	compound := false
	if a.toks[ns].lower() == "and" {
		ns++
		compound = true
	}
	if pt, ok := a.chainDesc(ns, e, trailing, ch); ok {
		ch.subj, ch.from = []party{pt}, a.toks[ns].start
		return true
	}
	if ns > e || !a.toks[e].capital() {
		return true
	}
	// the name is the capitalised run that ends the segment
	b := e
	for b-1 >= ns && nameToken(a.toks, b-1) && !a.toks[b-1].possessive() {
		b--
	}
	if b != ns && !trailing && !(b == ns+1 && capFunctionWords[a.toks[ns].bare()]) {
		return true
	}
	pt, _, ok := a.nameParty(b, e)
	if !ok {
		return true
	}
	if ch.role != "" {
		pt.role = ch.role
	}
	ch.role = ""
	ch.subj = append([]party{pt}, ch.subj...)
	ch.from = a.toks[b].start
	if compound {
		return false
	}
	if rs, ok := a.roleBefore(b - 1); ok {
		// "“…,” Halvard’s chief executive, Rohan Dastur, said":
		// the role set before the name belongs to the subject.
		ch.from = a.toks[rs].start
		if ch.subj[0].role == "" {
			ch.subj[0].role = a.p[a.toks[rs].start:a.toks[b-2].end]
		}
	}
	return true
}

// chainDesc reads a description that opens the chain, toks[ns..e]: "The
// senator, a Democrat from Ohio, said", "European officials, who …, said".
func (a *unitAn) chainDesc(ns, e int, trailing bool, ch *chain) (party, bool) {
	if trailing || len(ch.subj) > 0 || ns > e {
		return party{}, false
	}
	if determiners[a.toks[ns].lower()] || ns < e && e-ns <= 2 && descNouns[a.toks[e].lower()] {
		pt := a.descParty(ns, e)
		if ch.role != "" {
			pt.role = ch.role
		}
		return pt, true
	}
	return party{}, false
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

// jointSubject extends the name pt, which starts at toks[s], to the people
// who share its verb: "Ann Lee and Tom Reyes said", "Both Ann Lee, who …,
// and Tom Reyes have said", "Lee, Reyes and Bo Park said". Each is a full
// name or a surname the story gives in full; the first opens the clause.
func (a *unitAn) jointSubject(pt party, s int) ([]party, int, bool) {
	named, opens := a.jointName, a.opensJoint
	j := s - 2
	if !named(pt) || j < a.ts || !a.toks[s-1].is("and") {
		return nil, 0, false
	}
	if a.toks[j].is(",") {
		return a.jointChain(pt, j)
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

// jointName reports whether p can share a verb in a joint subject: a full
// name, or a surname the story gives in full.
func (a *unitAn) jointName(p party) bool {
	return !p.desc && p.pronoun == "" && p.name != "" && (strings.Contains(p.name, " ") || len(a.x.bySurname[p.name]) > 0)
}

// opensJoint reports whether a joint subject starting at toks[f] (after any
// "Both") opens its clause.
func (a *unitAn) opensJoint(f int) bool {
	g := f - 1
	if g >= a.ts && a.toks[g].lower() == "both" {
		g--
	}
	return g < a.ts || a.toks[g].is(",") || g == a.ts && a.isMark(g)
}

// jointChain is jointSubject when the comma at toks[j] closes an
// appositive chain before "and pt": "Both Ann Lee, who …, and Tom Reyes
// said".
func (a *unitAn) jointChain(pt party, j int) ([]party, int, bool) {
	chain, from, _ := a.appositiveChain(j, false)
	if len(chain) == 0 || !a.opensJoint(a.tokAt(from)) {
		return nil, 0, false
	}
	for _, p := range chain {
		if !a.jointName(p) {
			return nil, 0, false
		}
	}
	return append(chain, pt), from, true
}
