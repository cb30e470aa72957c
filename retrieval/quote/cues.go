package quote

import (
	"sort"
	"strings"
	"unicode"

	"github.com/storybot/storybot/retrieval/text"
)

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
		v = k + calledIntoQuestionBy
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

// verbCue reads a verb of saying at toks[k].
func (a *unitAn) verbCue(k int) {
	t := a.toks[k]
	class := speechVerbs[t.text]
	if a.notSaying(k, class) {
		return
	}
	c := cue{kind: cueVerb, verb: t.text, from: t.start, vstart: t.start, to: t.end, cs: -1, outer: -1}
	after := k + 1
	if class == vSay && strings.HasSuffix(t.text, "ing") && a.messageCue(k) {
		return // "X sent Y an e-mail stating that …"
	}
	if !a.cueSubject(&c, k, &after) {
		return
	}
	if class == vQuoteAs {
		var ok bool
		if after, class, ok = a.quotedAs(&c, after, class); !ok {
			return
		}
	}
	a.complement(&c, after, class)
	a.cues = append(a.cues, c)
}

// notSaying reports whether the verb of saying at toks[k], of the given
// class, is used here for something other than attribution.
func (a *unitAn) notSaying(k, class int) bool {
	if k > a.ts {
		prev := a.toks[k-1]
		l := prev.lower()
		if prev.possessive() || determiners[l] || l == "to" || passiveAux[l] {
			return true // "the claims", "Parsi’s claims", "declined to say", "was told"
		}
	}
	if (class == vName || class == vDescribe) && a.namingClaim(k) {
		return true // "…, calling it a missed opportunity"
	}
	if class == vName && k+1 < a.te && namingParticles[a.toks[k+1].lower()] {
		return true // "called for", "called on"
	}
	return false
}

// cueSubject finds who speaks for the verb cue c at toks[k]: a participle's
// lead, an inverted subject ("said X", which moves *after past it), or the
// subject before the verb. It reports false when the verb has none.
func (a *unitAn) cueSubject(c *cue, k int, after *int) bool {
	t := a.toks[k]
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
			return false // "without telling them he was paid": nothing was said
		}
		c.kind = cueParticiple
	} else if np, end, ok := a.invertedSubject(k); ok {
		c.inverted = true
		c.subj = []party{np}
		c.to = a.toks[end-1].end
		*after = end
	} else {
		subj, from, coord := a.subjectBefore(k)
		switch {
		case coord:
			c.kind = cueCoord
			c.from = from
		case len(subj) == 0:
			return false
		default:
			c.subj, c.from = subj, from
		}
	}
	return true
}

// quotedAs reads the relayed speaker of "X quotes Y as saying" after the
// verb, from toks[after]: it sets c.obj and c.inner and returns where the
// complement starts and the verb class that governs it, or false when the
// pattern does not hold.
func (a *unitAn) quotedAs(c *cue, after, class int) (int, int, bool) {
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
		return after, class, false
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
	return after, class, true
}

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
	case a.stopAt(j):
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
	case a.infinitive(j):
		return // "declined to say", "agreed to drop": no claim follows
	case class == vTell || prepositions[a.toks[j].lower()] || class == vQuoteAs:
		if !a.claimAfterObject(c, j, class) {
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

// stopAt reports whether the unit ends at toks[j]: past its last token or
// at a sentence's closing mark.
func (a *unitAn) stopAt(j int) bool {
	return j >= a.te || a.toks[j].is(".") || a.toks[j].is("?") || a.toks[j].is("!")
}

// infinitive reports whether toks[j] opens an infinitive ("to say", "to
// drop") rather than a phrase naming the listener ("to reporters").
func (a *unitAn) infinitive(j int) bool {
	return a.toks[j].is("to") && j+1 < a.te && a.toks[j+1].word && !a.toks[j+1].capital() && !determiners[a.toks[j+1].lower()] && !objectPronouns[a.toks[j+1].lower()]
}

// claimAfterObject finds the claim after the object of a verb of telling
// or a prepositional phrase ("told reporters on Monday that …") from
// toks[j], setting c.cs; it reports whether there is one. At a separator
// it closes the cue instead.
func (a *unitAn) claimAfterObject(c *cue, j, class int) bool {
	for m := j; m < a.te && m < j+objectScan; m++ {
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
			return false
		}
	}
	return c.cs >= 0
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
	for k := j + 1; k < a.te && k < j+bareClauseScan; k++ {
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
	return (verb == "said" || verb == "says" || verb == "saying") && words >= minBareClauseWords
}

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

// nest decides which cues relay others and where each claim ends.
func (a *unitAn) nest() {
	for ci := range a.cues {
		a.ignoreInsideAttribution(ci)
		c := &a.cues[ci]
		if c.ignored {
			continue
		}
		if c.trailing {
			a.nestTrailing(ci)
			continue
		}
		a.nestInClaim(ci)
	}
}

// ignoreInsideAttribution marks cue ci ignored when its verb lies inside
// another attribution's name and role: "said Sen. Maria Delgado, a
// Democrat … who wrote the bill".
func (a *unitAn) ignoreInsideAttribution(ci int) {
	cs := a.cues
	c := &cs[ci]
	for oi := range cs {
		if oi != ci && !cs[oi].ignored && c.vstart > cs[oi].from && c.vstart < cs[oi].to && c.vstart != cs[oi].vstart {
			c.ignored = true
		}
	}
}

// nestTrailing cuts short the claims of the earlier cues before a trailing
// cue ci ("…, X said.") and lets ci relay them.
func (a *unitAn) nestTrailing(ci int) {
	cs := a.cues
	c := &cs[ci]
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
}

// nestInClaim settles cue ci against the nearest earlier claim that holds
// it: it stands, is relayed, cuts that claim short, or is ignored.
func (a *unitAn) nestInClaim(ci int) {
	cs := a.cues
	c := &cs[ci]
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
		return
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
		for m > a.ts && m > k-messageToScan && !a.toks[m].is("to") && plain(m) {
			m--
		}
		if m == n || m <= a.ts || !a.toks[m].is("to") || !messageNouns[a.toks[m-1].lower()] {
			return false
		}
		n = m - 1
	}
	d := n - 1
	for d > a.ts && d > n-messageDeterminerScan && !determiners[a.toks[d].lower()] && plain(d) && !a.toks[d].capital() {
		d--
	}
	if d <= a.ts || !determiners[a.toks[d].lower()] {
		return false
	}
	v := d - 1
	for v > a.ts && v > d-sendVerbScan && !sendVerbs[a.toks[v].lower()] && plain(v) {
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
