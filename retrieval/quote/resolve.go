package quote

import (
	"sort"
	"strings"
)

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
	for k := a.ts; k < a.te && k < a.ts+namedSubjectScan; k++ {
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
