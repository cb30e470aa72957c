package bot

import (
	"strconv"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// checkCitations is the third step of verification. What a removed
// sentence held is gone with it: its citations, and any verified quotation
// beside the failed one. Each verified quotation becomes a Citation; each
// citation keeps its valid numbers, one with none left goes, and
// citations written inside a closing mark move after it.
func checkCitations(text string, spans []quoteSpan, groups []citeGroup, passages []retrieval.Passage, d *draft) {
	d.v.Citations = citationsOf(d.verified, d.removes, passages)
	final := keptCites(groups, d.removes, len(passages), &d.v.BadRefs)
	moved := make([]bool, len(groups))
	for _, s := range spans {
		d.edits = append(d.edits, moveInnerCites(s, groups, final, moved)...)
	}
	d.edits = append(d.edits, citeEdits(text, groups, final, moved, d.removes)...)
}

// citationsOf returns the citations of the verified quotations that were
// not removed, each passage and quotation once.
func citationsOf(verified []found, removes []edit, passages []retrieval.Passage) []Citation {
	type cited struct {
		i     int
		quote string
	}
	var out []Citation
	seen := map[cited]bool{}
	for _, f := range verified {
		if removedAt(removes, f.at) || seen[cited{f.i, f.quote}] {
			continue
		}
		seen[cited{f.i, f.quote}] = true
		p := passages[f.i]
		speaker, role := speakerOf(p, f.quote)
		out = append(out, Citation{
			N: f.i + 1, PassageID: p.ID, Story: p.Title, Publication: p.Publication,
			Paragraph: p.Paragraph, Quote: f.quote, Speaker: speaker, Role: role,
		})
	}
	return out
}

// keptCites returns, for each citation group, what it becomes: its valid
// numbers, or "" when it goes. It counts the numbers naming no passage in
// badRefs.
func keptCites(groups []citeGroup, removes []edit, n int, badRefs *int) []string {
	final := make([]string, len(groups))
	for gi, g := range groups {
		if removedAt(removes, g.start) {
			continue
		}
		var valid []int
		for _, num := range g.nums {
			if num >= 1 && num <= n {
				valid = append(valid, num)
			}
		}
		*badRefs += len(g.nums) - len(valid)
		if !g.drop && len(valid) > 0 {
			final[gi] = formatCite(valid)
		}
	}
	return final
}

// moveInnerCites returns the edits that move the citations written inside
// span s's closing mark after it, and marks them moved.
func moveInnerCites(s quoteSpan, groups []citeGroup, final []string, moved []bool) []edit {
	if s.cites0 == s.cites1 {
		return nil
	}
	var out []string
	for gi, g := range groups {
		if g.start >= s.cites0 && g.end <= s.cites1 {
			moved[gi] = true
			if final[gi] != "" {
				out = append(out, final[gi])
			}
		}
	}
	edits := []edit{{s.cites0, s.cites1, ""}}
	if len(out) > 0 {
		edits = append(edits, edit{s.close, s.close, " " + strings.Join(out, "")})
	}
	return edits
}

// citeEdits returns the edits that drop or rewrite the citation groups
// that were neither moved nor removed with their sentence.
func citeEdits(text string, groups []citeGroup, final []string, moved []bool, removes []edit) []edit {
	var edits []edit
	for gi, g := range groups {
		switch {
		case moved[gi] || removedAt(removes, g.start):
		case final[gi] == "":
			start := g.start
			for start > 0 && (text[start-1] == ' ' || text[start-1] == '\t') {
				start--
			}
			edits = append(edits, edit{start, g.end, ""})
		case final[gi] != text[g.start:g.end]:
			edits = append(edits, edit{g.start, g.end, final[gi]})
		}
	}
	return edits
}

// speakerOf names who speaks the quoted words in p: the speaker of a known
// quotation whose words hold them, else of one whose sentence does; "" for
// the story's own narration.
func speakerOf(p retrieval.Passage, quote string) (speaker, role string) {
	for _, q := range p.Quotes {
		if q.Text != "" && retrieval.ContainsFolded(q.Text, quote) {
			return q.Speaker, q.Role
		}
	}
	for _, q := range p.Quotes {
		if q.Sentence != "" && retrieval.ContainsFolded(q.Sentence, quote) {
			return q.Speaker, q.Role
		}
	}
	return "", ""
}

func formatCite(nums []int) string {
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
