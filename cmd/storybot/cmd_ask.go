package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/storybot/storybot/bot"
)

func runAsk(ctx context.Context, cfg config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per question")
	if err := parseFlags(fs, args, "ask [--json] [QUESTION]"); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	answer := func(q string) error {
		ans, err := a.engine.Ask(ctx, q)
		if err != nil {
			return err
		}
		return writeAnswer(stdout, ans, *asJSON)
	}
	if q := joinArgs(fs.Args()); q != "" {
		return answer(q)
	}
	return askEachLine(ctx, a.engine, log, stdin, stdout, *asJSON)
}

// writeAnswer prints one answer: a JSON line, or the text and a blank line.
func writeAnswer(w io.Writer, ans bot.Answer, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(ans)
	}
	_, err := fmt.Fprintln(w, terminalText(ans))
	return err
}

// lineError is what `ask --json` prints for a line that could not be
// answered at all (the index or the embedder failed): the question and the
// reason, in place of its answer, so that every line still gets one object.
type lineError struct {
	Question string `json:"question"`
	Error    string `json:"error"`
}

// askEachLine answers every non-blank line of stdin, one answer (or one
// error) per line, and goes on after any of them. A line too long to hold
// is refused with its length. It fails at the end if some line could not be
// answered, or at once if the output cannot be written.
func askEachLine(ctx context.Context, e *bot.Engine, log *slog.Logger, stdin io.Reader, stdout io.Writer, asJSON bool) error {
	var asked, failed int
	err := readLines(ctx, stdin, maxLineBytes, func(l inputLine) error {
		if !l.cut() && strings.TrimSpace(l.Text) == "" {
			return nil
		}
		asked++
		ans := tooLongAnswer(l)
		if !l.cut() {
			var err error
			if ans, err = e.Ask(ctx, l.Text); err != nil {
				failed++
				log.Error("question not answered", "line", asked, "err", err)
				q := bot.CleanQuestion(truncateRunes(l.Text, 200))
				if asJSON {
					return json.NewEncoder(stdout).Encode(lineError{Question: q, Error: err.Error()})
				}
				_, err = fmt.Fprintf(stdout, "error: %v\n\n", err)
				return err
			}
		}
		if err := writeAnswer(stdout, ans, asJSON); err != nil {
			return err
		}
		if !asJSON {
			_, err := fmt.Fprintln(stdout)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d questions could not be answered", failed, asked)
	}
	return nil
}

// terminalText renders an answer for a terminal: Discord's markdown is kept
// (it reads fine as text), plus a note on how it was made when relevant.
func terminalText(a bot.Answer) string {
	s := a.Answer
	if a.Note != "" {
		s += "\n(" + a.Note + ")"
	}
	return s
}
