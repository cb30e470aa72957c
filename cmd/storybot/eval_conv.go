package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/storybot/storybot/bot"
)

// convItem is one turn of a conversation question set: an eval item with
// the conversation it belongs to and its gold standalone question.
type convItem struct {
	evalItem
	Conversation string `json:"conversation"`
	Standalone   string `json:"standalone"`
}

// Groups of a conversation report.
const (
	groupFirst    = "first turn"
	groupFollowUp = "follow-up"
	groupAlone    = "no memory" // the follow-up asked with no conversation: the floor
	groupGold     = "gold"      // the gold standalone question asked alone: the ceiling
)

// wantsConversations reports whether an eval command line scores a
// conversation set (`eval --conversations FILE`).
func wantsConversations(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "conversations" {
			return true
		}
	}
	return false
}

// runEvalConversations scores a conversation set: each conversation's
// turns are asked in order within one conversation, and first turns are
// scored apart from follow-ups. For comparison, each follow-up is also
// asked on its own (no conversation) and as its gold standalone question.
func runEvalConversations(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	file := fs.String("conversations", "", "a conversation set (JSON lines with \"conversation\" and \"standalone\")")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlags(fs, args, "eval --conversations FILE [--json]"); err != nil {
		return err
	}
	if *file == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	items, err := readConvItems(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", *file, err)
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	convs := &bot.Conversations{Engine: a.engine}
	var scored []evalItem
	var outcomes []evalOutcome
	var misses []string
	add := func(it convItem, group string, r bot.Answer, took time.Duration) {
		e := it.evalItem
		e.Kind = group
		scored = append(scored, e)
		outcomes = append(outcomes, outcomeOf(a, r, took))
	}
	seen := map[string]bool{}
	for _, it := range items {
		start := time.Now()
		r, err := convs.Ask(ctx, it.Conversation, it.Question)
		if err != nil {
			return fmt.Errorf("%s: %w", it.ID, err)
		}
		took := time.Since(start)
		if !seen[it.Conversation] {
			seen[it.Conversation] = true
			add(it, groupFirst, r.Answer, took)
			continue
		}
		add(it, groupFollowUp, r.Answer, took)
		if o := outcomes[len(outcomes)-1]; it.Answerable && !citesEvidence(o, it.Evidence) || !it.Answerable && !o.Refused {
			misses = append(misses, fmt.Sprintf("%s %q read as %q (gold %q)", it.ID, it.Question, r.Standalone, it.Standalone))
		}
		for _, alt := range []struct{ group, q string }{{groupAlone, it.Question}, {groupGold, it.Standalone}} {
			start := time.Now()
			ans, err := a.engine.Ask(ctx, alt.q)
			if err != nil {
				return fmt.Errorf("%s: %w", it.ID, err)
			}
			add(it, alt.group, ans, time.Since(start))
		}
	}
	report := scoreAll(scored, outcomes)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	writeTable(stdout, report)
	if len(misses) > 0 {
		fmt.Fprintf(stdout, "\nfollow-ups missed (%d):\n", len(misses))
		for _, m := range misses {
			fmt.Fprintln(stdout, "  "+m)
		}
	}
	return nil
}

// citesEvidence reports whether a citation's passage holds an evidence
// string: the cite hit of one item.
func citesEvidence(o evalOutcome, evidence []string) bool {
	for _, c := range o.Citations {
		if hasEvidence([]string{c.Passage}, 1, evidence) {
			return true
		}
	}
	return false
}

// outcomeOf is what scoring needs of one answer.
func outcomeOf(a *app, ans bot.Answer, took time.Duration) evalOutcome {
	o := evalOutcome{Latency: took, Refused: ans.Refused}
	for _, r := range ans.Retrieved {
		o.Retrieved = append(o.Retrieved, r.Text)
	}
	for _, c := range ans.Citations {
		p, _ := a.index.Passage(c.PassageID)
		o.Citations = append(o.Citations, evalCitation{Passage: p.Text, Quote: c.Quote, Speaker: c.Speaker})
	}
	return o
}

// readConvItems reads a conversation set, naming the line of any error.
func readConvItems(r io.Reader) ([]convItem, error) {
	return readQuestionLines(r, func(it *convItem) error {
		switch {
		case strings.TrimSpace(it.Question) == "":
			return errors.New("no question")
		case it.Conversation == "":
			return errors.New("no conversation")
		case strings.TrimSpace(it.Standalone) == "":
			return errors.New("no standalone question")
		}
		return nil
	})
}
