package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval/text"
)

// maxLineBytes is how much of one input line is kept. A question is at most
// bot.MaxQuestionRunes runes (4 bytes each at worst) and a longer one is
// refused whole, so keeping more would only cost memory: a 16 MB line costs
// 64 kB, and the lines after it are read as usual.
const maxLineBytes = 64 << 10

// inputLine is one line of input, however long it was.
type inputLine struct {
	Text  string // the line without its end of line, cut to at most the reader's limit (at a rune boundary)
	Bytes int    // the whole line's length in bytes
}

// cut reports whether the line was longer than what Text holds.
func (l inputLine) cut() bool { return l.Bytes > len(l.Text) }

// readLines calls fn for every line of r until r ends, fn fails or ctx is
// done. Unlike bufio.Scanner it has no line too long to read: a line over
// limit bytes is passed cut, with its whole length, and reading goes on.
func readLines(ctx context.Context, r io.Reader, limit int, fn func(inputLine) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, raw, err := readLine(br, limit)
		if errors.Is(err, io.EOF) && raw == 0 {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read input: %w", err)
		}
		if ferr := fn(line); ferr != nil {
			return ferr
		}
		if err != nil { // io.EOF after a last line with no end of line
			return nil
		}
	}
}

// readLine reads one line, keeping at most limit bytes of it. raw counts
// the bytes read, end of line included.
func readLine(br *bufio.Reader, limit int) (line inputLine, raw int, err error) {
	var (
		kept  []byte
		total int
		prev  byte // the last byte of the previous chunk, for a "\r\n" split between two
	)
	for {
		chunk, err := br.ReadSlice('\n')
		total += len(chunk)
		raw += len(chunk)
		if room := limit - len(kept); room > 0 {
			kept = append(kept, chunk[:min(room, len(chunk))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(chunk) > 0 {
				prev = chunk[len(chunk)-1]
			}
			continue
		}
		// Drop the end of line: "\n", "\r\n", or a "\r" at the very end.
		if n := len(chunk); n > 0 && chunk[n-1] == '\n' {
			total--
			chunk = chunk[:n-1]
		}
		last := prev
		if n := len(chunk); n > 0 {
			last = chunk[n-1]
		}
		if total > 0 && last == '\r' {
			total--
		}
		kept = kept[:min(len(kept), total)]
		if total > len(kept) {
			kept = trimPartialRune(kept)
		}
		return inputLine{Text: string(kept), Bytes: total}, raw, err
	}
}

// trimPartialRune drops a UTF-8 sequence cut off at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// tooLongAnswer refuses a line too long to have been kept whole, stating its
// length and the limit, as the engine does for a long question it holds.
func tooLongAnswer(l inputLine) bot.Answer {
	return bot.Answer{
		Question:  bot.CleanQuestion(text.Truncate(l.Text, 80)),
		Answer:    fmt.Sprintf("Your question is %d bytes long; questions are limited to %d characters. Please ask a shorter one.", l.Bytes, bot.MaxQuestionRunes),
		Refused:   true,
		Mode:      bot.ModeExtractive,
		Citations: []bot.Citation{},
		Retrieved: []bot.Retrieved{},
	}
}
