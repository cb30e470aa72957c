package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/storybot/storybot/retrieval"
)

func runEval(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	mode := fs.String("mode", "hybrid", "hybrid answers with the full engine; vector or lexical score retrieval alone")
	rulesFlag := fs.Bool("rules", false, "count how often each answer rule fires, and score the set again without each")
	split := fs.String("split", "all", "public-data items only: heldout (the stories kept out of every fit), train, or all")
	removed := fs.Bool("answers-removed", false, "public data: ask about the stories with every third paragraph cut; questions whose answer went must be refused")
	if err := parseFlags(fs, args, "eval [--json] [--mode M] [--split S] [--answers-removed] FILE"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	items, err := readEvalItems(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", fs.Arg(0), err)
	}
	if items, err = splitItems(items, *split); err != nil {
		return err
	}
	if *removed {
		if cfg.DataDir == "" {
			return fmt.Errorf("--answers-removed: set STORYBOT_DATA_DIR to the public data's stories")
		}
		tmp, err := os.MkdirTemp("", "storybot-removed-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if items, err = withAnswersRemoved(cfg.DataDir, filepath.Join(tmp, "stories"), items); err != nil {
			return err
		}
		cfg.DataDir, cfg.IndexDir = filepath.Join(tmp, "stories"), filepath.Join(tmp, "index")
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	if *rulesFlag {
		return evalRules(ctx, a, items, stdout)
	}
	outcomes, err := evalOutcomes(ctx, a, items, *mode)
	if err != nil {
		return err
	}
	report := scoreAll(items, outcomes)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	writeTable(stdout, report)
	return nil
}

// evalOutcomes answers every item (or, in a mode other than hybrid, only
// searches for it) and records what scoring needs.
func evalOutcomes(ctx context.Context, a *app, items []evalItem, mode string) ([]evalOutcome, error) {
	outcomes := make([]evalOutcome, len(items))
	for i, it := range items {
		if mode != string(retrieval.Hybrid) {
			// Retrieval alone, to compare the rankings.
			start := time.Now()
			hits, err := a.index.SearchMode(ctx, it.Question, 5, retrieval.Mode(mode))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.ID, err)
			}
			o := evalOutcome{Latency: time.Since(start)}
			for _, h := range hits {
				o.Retrieved = append(o.Retrieved, h.Text)
				o.Where = append(o.Where, storyPara{h.Story, h.Paragraph})
			}
			outcomes[i] = o
			continue
		}
		start := time.Now()
		ans, err := a.engine.Ask(ctx, it.Question)
		o := evalOutcome{Latency: time.Since(start), Refused: ans.Refused, Fired: ans.Fired}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", it.ID, err)
		}
		for _, r := range ans.Retrieved {
			p, _ := a.index.Passage(r.PassageID)
			o.Retrieved = append(o.Retrieved, r.Text)
			o.Where = append(o.Where, storyPara{p.Story, p.Paragraph})
		}
		for _, c := range ans.Citations {
			p, _ := a.index.Passage(c.PassageID)
			o.Citations = append(o.Citations, evalCitation{Where: storyPara{p.Story, p.Paragraph}, Passage: p.Text, Quote: c.Quote, Speaker: c.Speaker})
		}
		outcomes[i] = o
	}
	return outcomes, nil
}
