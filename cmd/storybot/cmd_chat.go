package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/storybot/storybot/bot"
)

func runChat(ctx context.Context, cfg config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("chat takes no arguments; to answer one question use: storybot ask %s", strings.Join(args, " "))
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	info := a.index.Info()
	mode := "extractive answers, offline"
	if cfg.useModel() {
		mode = "model answers with verified quotes"
	}
	fmt.Fprintf(stdout, "storybot — %d stories, %d passages (%s).\nAsk a question about the story; follow-ups continue it, /new starts afresh. An empty line or Ctrl-D quits.\n\n> ", len(info.Stories), info.Passages, mode)
	// The session is one conversation; /new (or :new) starts the next.
	convs := &bot.Conversations{Engine: a.engine}
	conversation := 1
	err = eachLineUntilBlank(ctx, stdin, func(q string) error {
		if q == "/new" || q == ":new" {
			conversation++
			fmt.Fprint(stdout, "(new conversation)\n\n> ")
			return nil
		}
		ans, err := convs.Ask(ctx, fmt.Sprint("chat-", conversation), q)
		if err != nil {
			fmt.Fprintf(stdout, "Sorry, something went wrong answering that: %v\n\n> ", err)
			return nil
		}
		if note := readAs(ans); note != "" {
			fmt.Fprintln(stdout, note)
		}
		fmt.Fprintf(stdout, "%s\n\n> ", terminalText(ans.Answer))
		return nil
	})
	fmt.Fprintln(stdout)
	return err
}

// eachLineUntilBlank is eachLine for a conversation: a blank line ends it.
func eachLineUntilBlank(ctx context.Context, r io.Reader, fn func(string) error) error {
	lines := make(chan string)
	done := make(chan error, 1)
	go func() {
		done <- eachLineRaw(r, lines)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-done:
			return err
		case line := <-lines:
			if strings.TrimSpace(line) == "" {
				return nil
			}
			if err := fn(strings.TrimSpace(line)); err != nil {
				return err
			}
		}
	}
}

// eachLineRaw sends every line of r to lines, then returns the read error.
func eachLineRaw(r io.Reader, lines chan<- string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		lines <- sc.Text()
	}
	return sc.Err()
}
