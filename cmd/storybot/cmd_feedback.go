package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/storybot/storybot/bot"
)

// feedbackPath is the feedback log: feedback.jsonl in the index folder,
// shared by every embedder's index.
func feedbackPath(cfg config) string { return filepath.Join(cfg.IndexDir, "feedback.jsonl") }

// runFeedback prints the feedback log's counts per day and the most
// disliked answers, or, with --export, the 👎 questions as eval-format
// lines for a person to complete.
func runFeedback(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("feedback", flag.ContinueOnError)
	export := fs.Bool("export", false, "print the 👎 questions as eval-format JSON lines")
	top := fs.Int("top", 10, "how many of the most disliked answers to list")
	if err := parseFlags(fs, args, "feedback [--export] [--top N]"); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	entries, err := loadFeedback(feedbackPath(cfg), log)
	if err != nil {
		return err
	}
	if *export {
		return exportFeedback(entries, stdout)
	}
	return summarizeFeedback(entries, *top, stdout)
}

func loadFeedback(path string, log *slog.Logger) ([]bot.FeedbackEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	defer f.Close()
	entries, skipped, err := bot.ReadFeedback(f)
	if skipped > 0 {
		log.Warn("feedback lines skipped: they do not parse", "lines", skipped, "file", path)
	}
	return entries, err
}

// summarizeFeedback prints the counts per day, then the questions with the
// most 👎 (by standalone question).
func summarizeFeedback(entries []bot.FeedbackEntry, top int, w io.Writer) error {
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "No feedback yet.")
		return err
	}
	type count struct{ up, down int }
	days := map[string]*count{}
	disliked := map[string]*count{}
	for _, e := range entries {
		day := e.Time.UTC().Format("2006-01-02")
		if days[day] == nil {
			days[day] = &count{}
		}
		q := cmp.Or(e.Standalone, e.Question, "(question not recorded)")
		if disliked[q] == nil {
			disliked[q] = &count{}
		}
		if e.Verdict == bot.VerdictUp {
			days[day].up++
			disliked[q].up++
		} else {
			days[day].down++
			disliked[q].down++
		}
	}
	fmt.Fprintf(w, "%-10s %5s %5s\n", "day", "👍", "👎")
	for _, d := range slices.Sorted(maps.Keys(days)) {
		fmt.Fprintf(w, "%-10s %5d %5d\n", d, days[d].up, days[d].down)
	}
	qs := slices.DeleteFunc(slices.Collect(maps.Keys(disliked)), func(q string) bool { return disliked[q].down == 0 })
	slices.SortFunc(qs, func(a, b string) int {
		return cmp.Or(cmp.Compare(disliked[b].down, disliked[a].down), cmp.Compare(disliked[a].up, disliked[b].up), strings.Compare(a, b))
	})
	if len(qs) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nmost disliked:\n")
	for _, q := range qs[:min(top, len(qs))] {
		fmt.Fprintf(w, "%5d 👎 %3d 👍  %s\n", disliked[q].down, disliked[q].up, q)
	}
	return nil
}

// exportFeedback writes each 👎 question once, as an eval-format line whose
// answerable and evidence a person fills in.
func exportFeedback(entries []bot.FeedbackEntry, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	seen := map[string]bool{}
	n := 0
	for _, e := range entries {
		q := cmp.Or(e.Standalone, e.Question)
		if e.Verdict != bot.VerdictDown || q == "" || seen[q] {
			continue
		}
		seen[q] = true
		n++
		line := struct {
			ID         string   `json:"id"`
			Question   string   `json:"question"`
			Answerable *bool    `json:"answerable"`
			Evidence   []string `json:"evidence"`
			Kind       string   `json:"kind"`
			Note       string   `json:"note"`
		}{
			ID: fmt.Sprintf("feedback-%02d", n), Question: q, Evidence: []string{}, Kind: "",
			Note: fmt.Sprintf("👎 on %s (%s answer, passages %s); fill in answerable, evidence and kind", e.Time.UTC().Format("2006-01-02"), e.AnswerMode, strings.Join(e.PassageIDs, ", ")),
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}
