package bot

import (
	"fmt"
	"strings"

	"github.com/storybot/storybot/retrieval/text"
)

// render writes an extractive answer in Discord markdown: a lead line, each
// picked sentence quoted verbatim with its speaker and paragraph, and the
// story's credit.
func render(whoSaid, contested bool, picked []candidate, cites []Citation) string {
	var b strings.Builder
	switch {
	case whoSaid && cites[0].Speaker != "":
		fmt.Fprintf(&b, "**%s** said it%s:\n", cites[0].Speaker, viaPhrase(picked[0], cites[0].Speaker))
	case contested:
		b.WriteString("The story gives more than one side:\n")
	default:
		b.WriteString("Here’s what the story says:\n")
	}
	for i, c := range cites {
		b.WriteString(quoteLine(c, picked[i]))
		b.WriteByte('\n')
	}
	b.WriteString(credit(cites))
	return b.String()
}

// quoteLine renders one citation: a direct quotation with its speaker, or
// the sentence as a block quote with whoever the story attributes it to.
func quoteLine(c Citation, cand candidate) string {
	who := attribution(c, cand)
	if c.Quote != cand.text {
		return fmt.Sprintf("> “%s” — %s (¶%d)", strings.TrimRight(c.Quote, ",;: "), who, c.Paragraph)
	}
	if who == "" {
		return fmt.Sprintf("> %s (¶%d)", c.Quote, c.Paragraph)
	}
	return fmt.Sprintf("> %s — %s (¶%d)", c.Quote, who, c.Paragraph)
}

// attribution names the speaker with the role the story gives, and who
// relays the words when they are second hand.
func attribution(c Citation, cand candidate) string {
	if c.Speaker == "" {
		return ""
	}
	s := c.Speaker
	if role := shortRole(c.Role); role != "" {
		if strings.HasPrefix(role, "of ") {
			s += " " + role
		} else {
			s += ", " + role
		}
	}
	return s + viaPhrase(cand, c.Speaker)
}

func viaPhrase(c candidate, speaker string) string {
	for _, q := range c.quotes {
		if q.Speaker == speaker && q.Via != "" && q.Via != speaker {
			return ", as relayed by " + q.Via
		}
	}
	return ""
}

// shortRole keeps a role readable in one line. A long role ("an adjunct
// professor at John Hopkins University and president of the National
// Iranian American Council") keeps its first whole part, cut before " and "
// or a comma, rather than stopping mid-name with an ellipsis.
func shortRole(role string) string {
	role = strings.TrimSpace(strings.Trim(role, ","))
	if len(role) <= 70 {
		return role
	}
	cut := -1
	for _, sep := range []string{" and ", ", ", "; "} {
		if i := strings.Index(role, sep); i > 15 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut > 0 && cut <= 90 {
		return role[:cut]
	}
	return text.Truncate(role, 80)
}

// credit names the stories and publications an answer quotes.
func credit(cites []Citation) string {
	seen := map[string]bool{}
	var parts []string
	for _, c := range cites {
		if seen[c.Story] {
			continue
		}
		seen[c.Story] = true
		s := "“" + c.Story + "”"
		if c.Publication != "" {
			s += ", " + c.Publication
		}
		parts = append(parts, s)
	}
	return "_Source: " + strings.Join(parts, "; ") + "_"
}
