package retrieval

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxPassageBytes is the size above which a paragraph is split at sentence
// boundaries into several passages: long enough for any ordinary news
// paragraph, short enough that one passage stays about one topic.
const MaxPassageBytes = 1500

// Passages cuts a story into passages, one per paragraph (several for an
// overlong one), with stable ids, content hashes and the quotations found in
// each.
func Passages(s Story) []Passage {
	quotes := ExtractQuotes(s.Paragraphs)
	var out []Passage
	for i, para := range s.Paragraphs {
		n := i + 1
		pieces := splitParagraph(para, MaxPassageBytes)
		for j, text := range pieces {
			p := Passage{
				ID:          fmt.Sprintf("%s#p%d", s.Slug, n),
				Story:       s.Slug,
				Title:       s.Title,
				Publication: s.Publication,
				Paragraph:   n,
				Text:        text,
				Hash:        contentHash(s, text),
			}
			if len(pieces) > 1 {
				p.Part = j + 1
				p.ID = fmt.Sprintf("%s#p%d.%d", s.Slug, n, j+1)
			}
			for _, q := range quotes[i] {
				if strings.Contains(text, q.Text) {
					p.Quotes = append(p.Quotes, q)
				}
			}
			out = append(out, p)
		}
	}
	return out
}

// contentHash covers everything an embedding or a search result depends on,
// so that a changed title or publication is re-indexed too.
func contentHash(s Story, text string) string {
	h := sha256.New()
	for _, f := range []string{s.Title, s.Publication, text} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// splitParagraph splits text at sentence boundaries into pieces of at most
// limit bytes. A single sentence longer than limit (a run-on line, a table
// pasted as one paragraph) is cut between words, or between characters if
// it has no spaces, so that no passage is too long to embed.
func splitParagraph(text string, limit int) []string {
	if len(text) <= limit {
		return []string{text}
	}
	var pieces []string
	add := func(piece string) {
		piece = strings.TrimSpace(piece)
		for len(piece) > limit {
			cut := cutAt(piece, limit)
			pieces = append(pieces, strings.TrimSpace(piece[:cut]))
			piece = strings.TrimSpace(piece[cut:])
		}
		if piece != "" {
			pieces = append(pieces, piece)
		}
	}
	start, end := 0, 0
	for _, s := range Sentences(text) {
		if s.End-start > limit && end > start {
			add(text[start:end])
			start = s.Start
		}
		end = s.End
	}
	add(text[start:])
	return pieces
}

// cutAt is where to cut s, longer than limit bytes, to leave a first piece
// of at most limit bytes: after the last space that fits, else at the last
// rune boundary that fits.
func cutAt(s string, limit int) int {
	if i := strings.LastIndexAny(s[:limit+1], " \t\n"); i > 0 {
		return i
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 {
		cut = limit // not UTF-8; any cut will do
	}
	return cut
}
