package discord

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/storybot/storybot/bot"
)

func TestSplitMessageKeepsQuoteLinesWhole(t *testing.T) {
	var b strings.Builder
	b.WriteString("**Karim Sadjepour** said it:\n")
	var lines []string
	for i := range 30 {
		l := fmt.Sprintf("> “%s” — Karim Sadjepour (¶%d)", strings.Repeat("word ", 20+i%7), i+1)
		lines = append(lines, l)
		b.WriteString(l + "\n")
	}
	b.WriteString("_Source: “Story”, The Forward_")
	text := b.String()
	chunks := splitMessage(text, maxContent)
	if len(chunks) < 2 {
		t.Fatalf("%d chunks for %d characters", len(chunks), utf8.RuneCountInString(text))
	}
	for i, c := range chunks {
		if n := utf8.RuneCountInString(c); n > maxContent || n == 0 {
			t.Errorf("chunk %d has %d characters", i, n)
		}
	}
	if got := strings.Join(chunks, "\n"); got != text {
		t.Errorf("chunks do not rejoin to the text")
	}
	for _, l := range lines {
		found := false
		for _, c := range chunks {
			for _, cl := range strings.Split(c, "\n") {
				if cl == l {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("quote line split: %q", l)
		}
	}
}

func TestSplitMessageLongLine(t *testing.T) {
	sentence := "This is one sentence of the story, long enough to matter. "
	line := "> " + strings.Repeat(sentence, 80) // ~4,700 characters
	chunks := splitMessage(line, maxContent)
	if len(chunks) != 3 {
		t.Fatalf("%d chunks, want 3", len(chunks))
	}
	for i, c := range chunks {
		if n := utf8.RuneCountInString(c); n > maxContent {
			t.Errorf("chunk %d has %d characters", i, n)
		}
		if !strings.HasPrefix(c, "> ") {
			t.Errorf("chunk %d lost its block quote: %.20q", i, c)
		}
		if i < len(chunks)-1 && !strings.HasSuffix(c, ".") {
			t.Errorf("chunk %d not cut at a sentence end: …%q", i, c[len(c)-20:])
		}
	}
	// No words are lost.
	joined := strings.Join(chunks, " ")
	if strings.Count(joined, "sentence") != 80 {
		t.Errorf("words lost: %d sentences", strings.Count(joined, "sentence"))
	}
	// A word longer than the limit is cut anyway.
	chunks = splitMessage(strings.Repeat("x", 4500), maxContent)
	if len(chunks) != 3 || utf8.RuneCountInString(chunks[0]) != maxContent {
		t.Errorf("unbreakable line: %d chunks", len(chunks))
	}
	if got := splitMessage("short", maxContent); len(got) != 1 || got[0] != "short" {
		t.Errorf("short text = %q", got)
	}
}

func TestCitationEmbedLimits(t *testing.T) {
	var cites []bot.Citation
	for i := range 40 {
		cites = append(cites, bot.Citation{N: i + 1, Story: strings.Repeat("T", 300), Publication: "The Forward",
			Paragraph: i + 1, Speaker: "Karim Sadjepour", Quote: strings.Repeat("q", 1500)})
	}
	e := citationEmbed(cites)
	if utf8.RuneCountInString(e.Title) > maxEmbedTitle || e.Footer == nil || e.Footer.Text != "The Forward" {
		t.Errorf("title %d chars, footer %+v", utf8.RuneCountInString(e.Title), e.Footer)
	}
	total := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Footer.Text)
	if len(e.Fields) == 0 || len(e.Fields) > maxEmbedFields {
		t.Fatalf("%d fields", len(e.Fields))
	}
	for _, f := range e.Fields {
		if utf8.RuneCountInString(f.Value) > maxFieldValue || utf8.RuneCountInString(f.Name) > maxFieldName {
			t.Errorf("field too long: %d/%d", utf8.RuneCountInString(f.Name), utf8.RuneCountInString(f.Value))
		}
		total += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if total > maxEmbedTotal {
		t.Errorf("embed totals %d characters", total)
	}
	if citationEmbed(nil) != nil {
		t.Error("an embed for no citations")
	}
}

func TestRenderAnswerOverTheLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("Here’s what the story says:\n")
	for i := range 25 {
		fmt.Fprintf(&b, "> “%s” — Karim Sadjepour (¶%d)\n", strings.Repeat("quoted words ", 10), i+1)
	}
	chunks, embed := renderAnswer(bot.Answer{Answer: b.String(), Citations: []bot.Citation{{Story: "S", Publication: "P", Paragraph: 8, Quote: "q"}}})
	if len(chunks) < 2 || embed == nil {
		t.Fatalf("%d chunks, embed %v", len(chunks), embed)
	}
	for _, c := range chunks {
		for _, l := range strings.Split(c, "\n") {
			if strings.HasPrefix(l, "> ") && !strings.HasSuffix(l, ")") {
				t.Errorf("cut quote line %q", l)
			}
		}
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(5)
	now := time.Unix(1_700_000_000, 0)
	for i := range 5 {
		if ok, _ := l.Allow("u", now.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("event %d refused", i+1)
		}
	}
	ok, wait := l.Allow("u", now.Add(10*time.Second))
	if ok || wait != 50*time.Second {
		t.Errorf("sixth event: ok %v wait %v, want refused for 50s", ok, wait)
	}
	if ok, _ := l.Allow("v", now.Add(10*time.Second)); !ok {
		t.Error("another user refused")
	}
	if ok, _ := l.Allow("u", now.Add(61*time.Second)); !ok {
		t.Error("refused after the window slid")
	}
	if got := rateNotice(50 * time.Second); got != "You're asking quickly — try again in 50s." {
		t.Errorf("notice = %q", got)
	}
}
