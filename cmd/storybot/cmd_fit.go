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
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// `storybot fit` refits the weights of the ranking (retrieval/ranker.json)
// from public data (shared/eval/squad2, without its held-out stories) and the
// team's question sets, reports leave-one-story-out scores, and with --write
// writes the file. Run from the repository root; the same data gives the
// same bytes.

// offTopicTrain is the half of the written off-topic messages that the fit
// sees; offtopic-heldout.jsonl is the other half, never fitted on.
const offTopicTrain = "cmd/storybot/testdata/offtopic-train.jsonl"

// fitSource is one corpus and the question sets asked about it.
type fitSource struct {
	name    string // for cross-validation groups: "" groups by the item's story
	dataDir string // "" is the built-in story
	sets    []string
	weight  float64 // of each question
}

func runFit(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	squad := fs.String("squad", "../shared/eval/squad2", "the public data folder")
	write := fs.Bool("write", false, "write the fitted weights into the source tree")
	if err := parseFlags(fs, args, "fit [--squad DIR] [--write]"); err != nil {
		return err
	}
	sources := []fitSource{
		{dataDir: filepath.Join(*squad, "stories"), sets: []string{filepath.Join(*squad, "questions.jsonl"), offTopicTrain}, weight: 1},
		{name: "forward", sets: []string{"../shared/eval/dev.jsonl", "cmd/storybot/testdata/probe.jsonl", "cmd/storybot/testdata/holdout.jsonl", offTopicTrain}, weight: 6},
	}
	var lists []rankList
	var corpora []*fitCorpus
	for _, src := range sources {
		c, err := openFitCorpus(ctx, cfg, log, src)
		if err != nil {
			return err
		}
		defer c.close()
		corpora = append(corpora, c)
		ls, err := c.rankLists(ctx)
		if err != nil {
			return err
		}
		lists = append(lists, ls...)
	}
	const l2, iters = 1e-3, 1500
	nf := len(retrieval.RankFeatureNames)

	// Leave one story out: fit on the others, score the one left out.
	groups := map[string]bool{}
	for _, l := range lists {
		groups[l.group] = true
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	fmt.Fprintf(stdout, "ranking: %d questions; hit@1 of each story left out of the fit (current weights → refitted)\n", len(lists))
	cvHit, curHit, n := 0.0, 0.0, 0
	for _, g := range names {
		var train, test []rankList
		for _, l := range lists {
			if l.group == g {
				test = append(test, l)
			} else {
				train = append(train, l)
			}
		}
		w := fitSoftmax(train, nf, l2, iters)
		cur, fit := rankHit1(test, currentRankWeights()), rankHit1(test, w)
		fmt.Fprintf(stdout, "  %-20s n=%4d  %.3f → %.3f\n", g, len(test), cur, fit)
		cvHit += fit * float64(len(test))
		curHit += cur * float64(len(test))
		n += len(test)
	}
	fmt.Fprintf(stdout, "  %-20s n=%4d  %.3f → %.3f\n", "all (held out)", n, curHit/float64(n), cvHit/float64(n))
	w := roundWeights(fitSoftmax(lists, nf, l2, iters))
	fmt.Fprintf(stdout, "weights: %v\n", w)
	model := retrieval.RankModel{Features: retrieval.RankFeatureNames, Weights: w, Fit: map[string]any{
		"command":           "go run ./cmd/storybot fit --write",
		"questions":         len(lists),
		"held_out_hit1_cv":  roundWeights([]float64{cvHit / float64(n)})[0],
		"held_out_stories":  "eval --split heldout: never fitted on",
		"l2":                l2,
		"iterations":        iters,
		"team_set_weight":   sources[1].weight,
		"public_set_weight": sources[0].weight,
	}}
	retrieval.SetRankWeights(w)
	am, err := fitAnswerModel(ctx, corpora, stdout)
	if err != nil {
		return err
	}
	if !*write {
		return nil
	}
	if err := writeJSON("retrieval/ranker.json", model); err != nil {
		return err
	}
	return writeJSON("bot/answerer.json", am)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// currentRankWeights reads the weights in the source tree's ranker.json.
func currentRankWeights() []float64 {
	var m retrieval.RankModel
	if b, err := os.ReadFile("retrieval/ranker.json"); err == nil && json.Unmarshal(b, &m) == nil {
		return m.Weights
	}
	return make([]float64, len(retrieval.RankFeatureNames))
}

// rankHit1 is the share of lists whose best-scored candidate is right.
func rankHit1(lists []rankList, w []float64) float64 {
	if len(lists) == 0 {
		return 0
	}
	hit := 0
	for _, l := range lists {
		best := 0
		for i, x := range l.feats {
			if dotF(w, x) > dotF(w, l.feats[best]) {
				best = i
			}
		}
		if l.gold[best] {
			hit++
		}
	}
	return float64(hit) / float64(len(lists))
}

// fitCorpus is one source's corpus, indexed in a temporary folder, and its
// training questions.
type fitCorpus struct {
	src   fitSource
	app   *app
	tmp   string
	items []evalItem
}

func openFitCorpus(ctx context.Context, cfg config, log *slog.Logger, src fitSource) (*fitCorpus, error) {
	tmp, err := os.MkdirTemp("", "storybot-fit-")
	if err != nil {
		return nil, err
	}
	fc := &fitCorpus{src: src, tmp: tmp}
	if err := fc.open(ctx, cfg, log); err != nil {
		fc.close()
		return nil, err
	}
	return fc, nil
}

// open reads the corpus's question sets (their training part) and opens its
// stories.
func (fc *fitCorpus) open(ctx context.Context, cfg config, log *slog.Logger) error {
	for _, set := range fc.src.sets {
		f, err := os.Open(set)
		if err != nil {
			return err
		}
		items, err := readEvalItems(f)
		f.Close()
		if err == nil {
			items, err = splitItems(items, "train")
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", set, err)
		}
		fc.items = append(fc.items, items...)
	}
	c := cfg
	c.DataDir, c.IndexDir = fc.src.dataDir, filepath.Join(fc.tmp, "index")
	var err error
	fc.app, err = openApp(ctx, c, log)
	return err
}

func (fc *fitCorpus) close() { os.RemoveAll(fc.tmp) }

// group is the cross-validation group of an item: its story, or for
// off-topic messages one of four folds.
func (fc *fitCorpus) group(it evalItem) string {
	if it.Kind == "off-topic" && strings.HasPrefix(it.ID, "off-") {
		n, _ := strconv.Atoi(strings.TrimPrefix(it.ID, "off-"))
		return fmt.Sprintf("off-topic-%d", n%4)
	}
	if fc.src.name != "" {
		return fc.src.name
	}
	return it.Story
}

// rankLists turns each answerable training question into its list of
// ranking candidates. Questions whose right passage is not among the
// candidates teach the ranking nothing and are left out.
func (fc *fitCorpus) rankLists(ctx context.Context) ([]rankList, error) {
	var out []rankList
	{
		a, src := fc.app, fc.src
		for _, it := range fc.items {
			if !it.Answerable {
				continue
			}
			hits, feats, err := a.index.RankCandidates(ctx, it.Question, 5)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.ID, err)
			}
			l := rankList{feats: feats, gold: make([]bool, len(hits)), group: src.name, w: src.weight}
			if l.group == "" {
				l.group = it.Story
			}
			for i, h := range hits {
				if it.byParagraph() {
					l.gold[i] = h.Story == it.Story && h.Paragraph == it.Paragraph
				} else {
					l.gold[i] = hasEvidence([]string{h.Text}, 1, it.Evidence)
				}
			}
			if slices.Contains(l.gold, true) {
				out = append(out, l)
			}
		}
	}
	return out, nil
}
