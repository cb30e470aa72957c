package retrieval

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/text"
)

// A web page copied as text carries page furniture around the story: skip
// links, taglines and section names before the headline; sharing,
// republishing, newsletter and browser notices after the last paragraph.
// pageText separates the story from it with general rules:
//
//   - the body starts at the first prose paragraph; the headline is the last
//     headline-shaped line before it, and everything above the headline is
//     chrome;
//   - the body ends at the first end-of-article marker ("Republish this
//     story", "Related", "Share this", a copyright line, a browser notice …)
//     after the body started, or after the last prose paragraph;
//   - bylines and datelines between the headline and the body become
//     metadata; furniture lines inside the body ("Advertisement") are dropped.

// pageParts is what pageText finds in a copied page.
type pageParts struct {
	Title       string
	Author      string
	Publication string // what the page's own metadata names, if anything
	Date        string
	Paragraphs  []string
}

// endMarkers start the footer: once one appears after the body has begun,
// nothing below it is story. They are matched against whole lines,
// case-insensitively, after trimming punctuation.
var endMarkers = regexp.MustCompile(`^(?i:` +
	`republish( this)?( story| article)?|please read before republishing|` +
	`share( this)?( story| article)?( on .*)?|` +
	`related( stories| articles| coverage| content)?|read (more|next)|more (from|on|stories|in) .{0,40}|` +
	`recommended( for you)?|most (read|popular|viewed)|trending( now)?|` +
	`(sign up|subscribe)( .{0,60})?|(our |the )?newsletters?( .{0,40})?|` +
	`(leave a |view |show )?comments?( \(\d+\))?|topics|tags?|filed under.*|` +
	`(copyright|©|\(c\)) .*|all rights reserved.*|` +
	`we (don[’']t|do not) support .{0,40}(browser|explorer).*|` +
	`(please )?(use|upgrade|switch to) .{0,60}(browser|chrome|firefox|safari|edge).*|` +
	`(please )?enable javascript.*|` +
	`about the author|support (our|independent) journalism.*|donate( now)?` +
	`)$`)

// furniture is page furniture that may appear anywhere, even inside the body.
var furniture = regexp.MustCompile(`^(?i:` +
	`skip (to|navigation).*|(main )?menu|search|close|open|log ?in|sign ?in|home|` +
	`advertisement|sponsored( content)?|ad|` +
	`(click|tap) (here|to) .*|listen( to (this|the) (story|article))?.*|` +
	`print|email|e-mail|facebook|twitter|x|linkedin|whatsapp|` +
	`(image|photo|photograph|illustration|video)( by| credit| courtesy)?:? .{0,80}|` +
	`getty images|ap photo.*|reuters.*|` +
	`\d+ min(ute)?s? read|` +
	`updated( on)?:? .{0,40}|published( on)?:? .{0,40}` +
	`)$`)

var (
	bylineRe   = regexp.MustCompile(`^(?i:by)\s+(\p{Lu}[\p{L}.’'\-]*(\s+(\p{Lu}[\p{L}.’'\-]*|and|&|de|van|von|al-\p{L}+))*)\s*$`)
	datelineRe = regexp.MustCompile(`^(?i:(published|updated|posted)( on)?:?\s*)?` +
		`((mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?` +
		`(\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\p{L}{3,9}\s+\d{4}|\d{4}-\d{2}-\d{2})` +
		`([,\s].{0,30})?$`)
)

// pageText extracts the story from the text of a copied web page or a plain
// text file. A headline on the first line and blank lines (or line breaks)
// between paragraphs are the plain form; page chrome around it is removed.
func pageText(text string) pageParts {
	lines := textBlocks(text)
	var parts pageParts

	start := -1
	for i, l := range lines {
		if isProse(l) && !isEndMarker(l) && !isFurniture(l) {
			start = i
			break
		}
	}
	if start < 0 {
		return parts
	}

	// The headline is the last headline-shaped line above the body; what
	// lies between it and the body is byline, dateline or dek furniture.
	head := -1
	for i := start - 1; i >= 0; i-- {
		if isHeadline(lines[i]) {
			head = i
			break
		}
	}
	if head >= 0 {
		parts.Title = lines[head]
		for _, l := range lines[head+1 : start] {
			switch {
			case bylineRe.MatchString(l):
				if parts.Author == "" {
					parts.Author = bylineRe.FindStringSubmatch(l)[1]
				}
			case datelineRe.MatchString(l):
				if parts.Date == "" {
					parts.Date = l
				}
			}
		}
	}

	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if isEndMarker(lines[i]) {
			end = i
			break
		}
	}
	// Short non-prose lines at the tail (captions, share buttons) are not
	// the story's last paragraph.
	for end > start+1 && !isProse(lines[end-1]) && !shortLastParagraph(lines, start, end) {
		end--
	}
	for _, l := range lines[start:end] {
		if isFurniture(l) {
			continue
		}
		parts.Paragraphs = append(parts.Paragraphs, l)
	}
	return parts
}

// textBlocks splits text into trimmed, non-empty units: one per line, except
// that a hard-wrapped paragraph (long lines that do not end a sentence) is
// joined back into one.
func textBlocks(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var out []string
	for _, block := range strings.Split(text, "\n\n") {
		var lines []string
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 1 && hardWrapped(lines) {
			out = append(out, strings.Join(lines, " "))
			continue
		}
		out = append(out, lines...)
	}
	return out
}

// hardWrapped reports whether the lines of a block read as one paragraph
// broken at a fixed width: every line but the last is long and ends
// mid-sentence.
func hardWrapped(lines []string) bool {
	for _, l := range lines[:len(lines)-1] {
		if utf8.RuneCountInString(l) < 40 || text.EndsSentence(l) {
			return false
		}
	}
	return true
}

// isProse reports whether a line reads as a paragraph of running text: enough
// words, mostly lowercase, and a sentence end.
func isProse(l string) bool {
	words := strings.Fields(l)
	if len(words) >= 25 {
		return true
	}
	return len(words) >= 8 && text.EndsSentence(l) && !mostlyCapitalized(words)
}

// isHeadline reports whether a line is shaped like a headline: a handful of
// words, no final full stop, not page furniture.
func isHeadline(l string) bool {
	words := strings.Fields(l)
	if len(words) < 3 || len(words) > 30 {
		return false
	}
	if isFurniture(l) || isEndMarker(l) || bylineRe.MatchString(l) || datelineRe.MatchString(l) {
		return false
	}
	if strings.HasSuffix(l, ".") && !strings.HasSuffix(l, "...") {
		return false
	}
	// ALL-CAPS lines are taglines and section banners, not headlines.
	return !allCaps(l)
}

func isEndMarker(l string) bool {
	return endMarkers.MatchString(strings.Trim(l, " .:!|»›>-–—"))
}

func isFurniture(l string) bool {
	return furniture.MatchString(strings.Trim(l, " .:!|»›>-–—"))
}

func mostlyCapitalized(words []string) bool {
	caps := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, `"“‘'(`))
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return caps*4 > len(words)*3
}

func allCaps(l string) bool {
	letters := 0
	for _, r := range l {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0
}

// shortLastParagraph reports whether lines[end-1], the last line of the
// body, is a short closing sentence of the story ("The board meets again
// Jan. 8.") rather than furniture: a lower-case sentence ending in a full
// stop, right after a prose paragraph.
func shortLastParagraph(lines []string, start, end int) bool {
	if end < len(lines) && !isEndMarker(lines[end]) || end-2 < start || !isProse(lines[end-2]) {
		return false
	}
	l := lines[end-1]
	words := strings.Fields(l)
	return len(words) >= 4 && strings.HasSuffix(l, ".") && !mostlyCapitalized(words) && !isFurniture(l) && !isEndMarker(l)
}
