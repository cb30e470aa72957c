package bot

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// rewrite is the last step of verification: it applies the edits and
// removals to text, tidies what the removals left, and adds the note that
// tells a reader what was removed.
func rewrite(text string, d *draft) string {
	out := tidy(applyEdits(text, d.edits, d.removes))
	if note := verifyNote(d.v.Removed, d.v.BadRefs); note != "" {
		if out != "" {
			out += "\n\n"
		}
		out += note
	}
	return out
}

// verifyNote is the italic line that tells a reader what was removed.
func verifyNote(removed, badRefs int) string {
	var parts []string
	switch {
	case removed == 1:
		parts = append(parts, "one quotation could not be verified against the story and was removed")
	case removed > 1:
		parts = append(parts, fmt.Sprintf("%d quotations could not be verified against the story and were removed", removed))
	}
	switch {
	case badRefs == 1:
		parts = append(parts, "a citation of a passage that does not exist was removed")
	case badRefs > 1:
		parts = append(parts, fmt.Sprintf("%d citations of passages that do not exist were removed", badRefs))
	}
	if len(parts) == 0 {
		return ""
	}
	return "_(" + strings.Join(parts, "; ") + ")_"
}

// mergeRanges sorts removals and merges those that overlap or touch.
func mergeRanges(removes []edit) []edit {
	sort.Slice(removes, func(i, j int) bool { return removes[i].start < removes[j].start })
	var merged []edit
	for _, r := range removes {
		if n := len(merged); n > 0 && r.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, r.end)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// applyEdits applies the edits and the merged removals to text. A removal
// wins over any edit that touches it.
func applyEdits(text string, edits, merged []edit) string {
	all := append([]edit(nil), merged...)
	for _, e := range edits {
		hit := false
		for _, r := range merged {
			if e.start < r.end && e.end > r.start || e.start == e.end && e.start > r.start && e.start < r.end {
				hit = true
				break
			}
		}
		if !hit {
			all = append(all, e)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].end < all[j].end
	})
	var b strings.Builder
	at := 0
	for _, e := range all {
		if e.start < at {
			continue // overlaps an edit already applied
		}
		b.WriteString(text[at:e.start])
		b.WriteString(e.repl)
		at = e.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// removedMark stands where a sentence was removed until tidy has dropped
// the lines left empty by removals.
const removedMark = "\x00"

// listMarkRe matches a line left with nothing but Markdown list or quote
// marks, or emphasis.
var listMarkRe = regexp.MustCompile(`^\s*(?:[-*+•>]|\d+[.)])?\s*[*_]*\s*$`)

// tidy drops the lines that removals emptied (leaving at most a list mark),
// trailing space, and runs of blank lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		removed := strings.Contains(l, removedMark)
		l = strings.TrimRight(strings.ReplaceAll(l, removedMark, ""), " \t")
		switch {
		case removed && listMarkRe.MatchString(l):
			continue
		case strings.TrimSpace(l) == "":
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		if removed {
			l = strings.TrimLeft(l, " \t")
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
