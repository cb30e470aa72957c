package main

import (
	"bufio"
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
	convs := &bot.Conversations{Engine: a.engine}
	answer := func(conversation, q string) error {
		ans, err := convs.Ask(ctx, conversation, q)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(ans)
		}
		if note := readAs(ans); note != "" {
			fmt.Fprintln(stdout, note)
		}
		_, err = fmt.Fprintln(stdout, terminalText(ans.Answer))
		return err
	}
	if q := joinArgs(fs.Args()); q != "" {
		return answer("", q)
	}
	return eachLine(ctx, stdin, func(line string) error {
		conversation, q, err := parseTurn(line)
		if err != nil {
			return err
		}
		if err := answer(conversation, q); err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintln(stdout)
		}
		return nil
	})
}

// eachLine calls fn for every non-blank line of r until ctx ends.
func eachLine(ctx context.Context, r io.Reader, fn func(string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return err
		}
	}
	return sc.Err()
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
