package discord

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval/text"
)

// Discord's message and embed limits.
const (
	maxContent     = 2000
	maxEmbedTitle  = 256
	maxEmbedFields = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000
)

// noMentions suppresses every ping: it serialises as {"parse":[]}.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// renderAnswer turns an answer into message contents, each at most
// maxContent characters, and an embed of its citations (nil when it cites
// nothing).
func renderAnswer(a bot.Answer) ([]string, *discordgo.MessageEmbed) {
	text := strings.TrimSpace(a.Answer)
	if text == "" {
		text = "I couldn't find an answer to that in the story."
	}
	if a.Note != "" {
		text += "\n-# " + a.Note
	}
	return splitMessage(text, maxContent), citationEmbed(a.Citations)
}

// renderReply is renderAnswer for an answer in a conversation: a
// follow-up says how it was read, so a reader can see what was answered.
func renderReply(r bot.Reply) ([]string, *discordgo.MessageEmbed) {
	a := r.Answer
	if r.Rewrite != "" {
		read := "read as: “" + clip(r.Standalone, 300) + "”"
		if a.Note != "" {
			read = a.Note + "; " + read
		}
		a.Note = read
	}
	return renderAnswer(a)
}

// citationEmbed lists the citations as embed fields, within Discord's
// per-field, field-count and total limits. The title is the (first)
// story and the footer its publication.
func citationEmbed(cites []bot.Citation) *discordgo.MessageEmbed {
	if len(cites) == 0 {
		return nil
	}
	e := &discordgo.MessageEmbed{Title: clip(cites[0].Story, maxEmbedTitle)}
	pubs := []string{}
	for _, c := range cites {
		if c.Publication != "" && !slices.Contains(pubs, c.Publication) {
			pubs = append(pubs, c.Publication)
		}
	}
	if len(pubs) > 0 {
		e.Footer = &discordgo.MessageEmbedFooter{Text: clip(strings.Join(pubs, " · "), maxFooter)}
	}
	total := runeLen(e.Title)
	if e.Footer != nil {
		total += runeLen(e.Footer.Text)
	}
	for _, c := range cites {
		if len(e.Fields) == maxEmbedFields {
			break
		}
		name := fmt.Sprintf("¶%d", c.Paragraph)
		if c.Speaker != "" {
			name += " — " + c.Speaker
		}
		if c.Story != "" && c.Story != cites[0].Story {
			name += " (" + c.Story + ")"
		}
		name = clip(name, maxFieldName)
		value := clip("“"+c.Quote+"”", maxFieldValue)
		if strings.TrimSpace(c.Quote) == "" {
			continue
		}
		n := runeLen(name) + runeLen(value)
		if total+n > maxEmbedTotal {
			break
		}
		total += n
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value})
	}
	return e
}

// splitMessage cuts text into pieces of at most limit runes. It cuts
// between lines where it can, so a quoted line ("> “…” — Name (¶8)") is
// never split; a single line longer than limit is cut between sentences,
// then between words, and only as a last resort inside a word. A cut
// block quote carries on as a block quote.
func splitMessage(text string, limit int) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n "); s != "" {
			out = append(out, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(text, "\n") {
		n := runeLen(line)
		if curLen > 0 && curLen+1+n > limit {
			flush()
		}
		if n <= limit {
			if curLen > 0 {
				cur.WriteByte('\n')
				curLen++
			}
			cur.WriteString(line)
			curLen += n
			continue
		}
		// One line too long for a message of its own.
		flush()
		out = append(out, splitLine(line, limit)...)
	}
	flush()
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// splitLine cuts one over-long line, preferring sentence ends, then
// spaces. Pieces after the first of a "> " line keep the "> " prefix.
func splitLine(line string, limit int) []string {
	prefix := ""
	if strings.HasPrefix(line, "> ") {
		prefix = "> "
	}
	var out []string
	rest := line
	for runeLen(rest) > limit {
		cut := cutPoint(rest, limit)
		out = append(out, strings.TrimRight(rest[:cut], " "))
		rest = prefix + strings.TrimLeft(rest[cut:], " ")
	}
	if strings.TrimSpace(strings.TrimPrefix(rest, prefix)) != "" {
		out = append(out, rest)
	}
	return out
}

// cutPoint returns a byte offset at most limit runes into s where s may be
// cut: after the last sentence end, else at the last space, else at the
// limit itself.
func cutPoint(s string, limit int) int {
	end := len(s)
	n := 0
	for i := range s {
		if n == limit {
			end = i
			break
		}
		n++
	}
	head := s[:end]
	best := -1
	for i := 0; i+1 < len(head); i++ {
		switch head[i] {
		case '.', '?', '!':
			if head[i+1] == ' ' {
				best = i + 1
			}
		}
	}
	if best > len(head)/3 {
		return best
	}
	if i := strings.LastIndexByte(head, ' '); i > len(head)/3 {
		return i
	}
	return end
}

// clip shortens s to at most n runes, "…" included: Discord's limits count
// the whole text.
func clip(s string, n int) string {
	if runeLen(s) <= n {
		return s
	}
	return text.Truncate(s, n-1)
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
