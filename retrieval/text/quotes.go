package text

import (
	"unicode"
	"unicode/utf8"
)

// Quotation is one quotation of a text as PairQuotes pairs its marks: the
// opening mark at [Open, OpenEnd) and the closing mark at [Close,
// CloseEnd). A quotation that never closes has Close == CloseEnd: where it
// stops, at the opening mark of the next quotation or the end of the text.
type Quotation struct {
	Open, OpenEnd   int
	Close, CloseEnd int
}

// Closed reports whether the quotation has a closing mark.
func (q Quotation) Closed() bool { return q.CloseEnd > q.Close }

// PairQuotes pairs the double quotation marks of s, in order. It is the one
// pairing policy of storybot: the quotations of a story (retrieval/quote)
// and of a model's answer (bot's verification) are read alike. Single marks
// are left to the text, since "’" is also the apostrophe.
//
//   - A quotation opens at “, „ or a straight ", except a straight mark
//     right after a digit (5'10", inches). A ” with no quotation open is
//     left alone.
//   - One opened with a curly mark closes at the ” that balances it,
//     reading a “…” inside it as a quotation within the quotation; one
//     opened with " closes at the next ".
//   - When no such mark follows, it closes at the first ”, or at a " or “
//     written where a closing mark goes (after a word, before space,
//     punctuation or the end): a model's or a writer's slip. A “ or „
//     before that opens the next quotation, and the first one stops there
//     unclosed; with neither, it runs to the end of s.
//
// Callers pair what belongs together: a paragraph of a story, a line of an
// answer.
func PairQuotes(s string) []Quotation {
	var out []Quotation
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !opensQuotation(s, i, r) {
			i += size
			continue
		}
		q := Quotation{Open: i, OpenEnd: i + size}
		q.Close, q.CloseEnd = closeOf(s, q.OpenEnd, r)
		out = append(out, q)
		i = q.CloseEnd
	}
	return out
}

// opensQuotation reports whether the mark r at s[i] opens a quotation.
func opensQuotation(s string, i int, r rune) bool {
	switch r {
	case '“', '„':
		return true
	case '"':
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		return i == 0 || !unicode.IsDigit(prev)
	}
	return false
}

// closeOf returns the closing mark, [close, closeEnd), of the quotation
// opened with open whose words start at s[from]; close == closeEnd when it
// has none.
func closeOf(s string, from int, open rune) (int, int) {
	if j, size := ownClose(s, from, open); j >= 0 {
		return j, j + size
	}
	for j := from; j < len(s); {
		c, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case c == '”', (c == '"' || c == '“') && closingPosition(s, j, size):
			return j, j + size
		case c == '“' || c == '„':
			return j, j
		}
		j += size
	}
	return len(s), len(s)
}

// ownClose returns the offset and size of the mark that closes a quotation
// opened with open in its own style: the next " for a straight mark, the
// balancing ” for a curly one; -1 when there is none.
func ownClose(s string, from int, open rune) (int, int) {
	depth := 0
	for j := from; j < len(s); {
		c, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case open == '"':
			if c == '"' {
				return j, size
			}
		case c == '“' || c == '„':
			depth++
		case c == '”':
			if depth == 0 {
				return j, size
			}
			depth--
		}
		j += size
	}
	return -1, 0
}

// closingPosition reports whether the mark s[j:j+size] stands where a
// closing mark goes: after a character that is not space, and before
// space, punctuation or the end of s.
func closingPosition(s string, j, size int) bool {
	if j == 0 {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:j])
	if unicode.IsSpace(prev) {
		return false
	}
	next, n := utf8.DecodeRuneInString(s[j+size:])
	return n == 0 || unicode.IsSpace(next) || unicode.IsPunct(next)
}
