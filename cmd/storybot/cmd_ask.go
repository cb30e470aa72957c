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
	"github.com/storybot/storybot/retrieval/text"
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
	if q := joinArgs(fs.Args()); q != "" {
		// A question on its own: no conversation, but the same reply shape.
		ans, err := (&bot.Conversations{Engine: a.engine}).Ask(ctx, "", q)
		if err != nil {
			return err
		}
		return writeAnswer(stdout, ans, *asJSON)
	}
	return askEachLine(ctx, a.engine, log, stdin, stdout, *asJSON)
}

// writeAnswer prints one answer: a JSON line, or the text (after how a
// follow-up was read, if it was).
func writeAnswer(w io.Writer, ans bot.Reply, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(ans)
	}
	if note := readAs(ans); note != "" {
		if _, err := fmt.Fprintln(w, note); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, terminalText(ans.Answer))
	return err
}

// lineError is what `ask --json` prints for a line that could not be
// answered at all (a malformed conversation turn, or the index or the
// embedder failed): the question, its conversation if it named one, and
// the reason, in place of its answer, so that every line still gets one
// object.
type lineError struct {
	Question     string `json:"question"`
	Conversation string `json:"conversation,omitempty"`
	Error        string `json:"error"`
}

// askEachLine answers every non-blank line of stdin, one answer (or one
// error) per line, and goes on after any of them. A line is a question on
// its own, or a JSON conversation turn (see parseTurn) whose conversation
// the answers keep. A line too long to hold is refused with its length. It
// fails at the end if some line could not be answered, or at once if the
// output cannot be written.
func askEachLine(ctx context.Context, e *bot.Engine, log *slog.Logger, stdin io.Reader, stdout io.Writer, asJSON bool) error {
	convs := &bot.Conversations{Engine: e}
	var asked, failed int
	err := readLines(ctx, stdin, maxLineBytes, func(l inputLine) error {
		line := strings.TrimSpace(l.Text)
		if !l.cut() && line == "" {
			return nil
		}
		asked++
		var ans bot.Reply
		if l.cut() {
			ans.Answer = tooLongAnswer(l)
			ans.Standalone = ans.Question
		} else {
			conversation, q, err := parseTurn(line)
			if err == nil {
				ans, err = convs.Ask(ctx, conversation, q)
			}
			if err != nil {
				failed++
				log.Error("question not answered", "line", asked, "conversation", conversation, "err", err)
				if q == "" {
					q = line
				}
				q = bot.CleanQuestion(text.Truncate(q, 200))
				if asJSON {
					return json.NewEncoder(stdout).Encode(lineError{Question: q, Conversation: conversation, Error: err.Error()})
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
