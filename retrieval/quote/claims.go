package quote

import (
	"strings"

	"github.com/storybot/storybot/retrieval/text"
)

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
