package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval/text"
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
	ask := "Ask a question about the story"
	if ex := a.engine.Example(); ex != "" {
		ask += " (for example: " + ex + ")" // from the loaded stories, never a fixed one
	}
	fmt.Fprintf(stdout, "storybot — %d %s, %d passages (%s).\n%s; follow-ups continue it, /new starts afresh. An empty line or Ctrl-D quits.\n\n> ",
		len(info.Stories), text.Plural(len(info.Stories), "story", "stories"), info.Passages, mode, ask)
	// The session is one conversation; /new (or :new) starts the next.
	convs := &bot.Conversations{Engine: a.engine}
	conversation := 1
	err = eachLineUntilBlank(ctx, stdin, func(l inputLine) error {
		if l.cut() {
			fmt.Fprintf(stdout, "%s\n\n> ", terminalText(tooLongAnswer(l)))
			return nil
		}
		q := strings.TrimSpace(l.Text)
		if q == "/new" || q == ":new" {
			conversation++
			fmt.Fprint(stdout, "(new conversation)\n\n> ")
			return nil
		}
		ans, err := convs.Ask(ctx, fmt.Sprint("chat-", conversation), q)
		if err != nil {
			log.Error("question not answered", "err", err)
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

// eachLineUntilBlank calls fn for each line of a conversation; a blank line,
// the end of r or the end of ctx ends it. A line too long to hold arrives
// cut (see readLines) and does not end the conversation.
func eachLineUntilBlank(ctx context.Context, r io.Reader, fn func(inputLine) error) error {
	lines := make(chan inputLine)
	done := make(chan error, 1)
	go func() {
		done <- readLines(ctx, r, maxLineBytes, func(l inputLine) error {
			select {
			case lines <- l:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-done:
			return err
		case l := <-lines:
			if !l.cut() && strings.TrimSpace(l.Text) == "" {
				return nil
			}
			if err := fn(l); err != nil {
				return err
			}
		}
	}
}
