package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

// Fitting the answer model (bot/answerer.json) in three stages: the
// sentence model on every candidate sentence of the answerable questions;
// then, with it in use, the answer model on the questions no refusal rule
// decides, with its threshold set on held-out predictions; then how many
// sentences to quote.

const (
	// targetWrong is the share of answerable questions the bot may refuse,
	// all refusals counted: a wrongly refused answer costs a reader more
	// than a quoted non-answer that says where the story comes closest.
	targetWrong = 0.02
	answerL2    = 1e-3
	answerIters = 1500
)

// traced is one training question with what the engine saw.
type traced struct {
	it    evalItem
	group string
	w     float64
	tr    bot.Trace
}

func traceAll(ctx context.Context, corpora []*fitCorpus) ([]traced, error) {
	var out []traced
	for _, fc := range corpora {
		for _, it := range fc.items {
			tr, err := fc.app.engine.Trace(ctx, it.Question)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.ID, err)
			}
			out = append(out, traced{it: it, group: fc.group(it), w: fc.src.weight, tr: tr})
		}
	}
	return out, nil
}

// answers reports whether sentence s answers the item: it holds an
// accepted answer and lies in the gold paragraph, or it overlaps an
// evidence string.
func answers(it evalItem, s bot.SentenceTrace) bool {
	if it.byParagraph() {
		return s.Story == it.Story && s.Paragraph == it.Paragraph &&
			slices.ContainsFunc(it.Answers, func(a string) bool { return answerIn(s.Text, a) })
	}
	return slices.ContainsFunc(it.Evidence, func(ev string) bool {
		return retrieval.ContainsFolded(s.Text, ev) || retrieval.ContainsFolded(ev, s.Text)
	})
}

func fitAnswerModel(ctx context.Context, corpora []*fitCorpus, out io.Writer) (bot.AnswerModel, error) {
	m := bot.CurrentAnswerModel()
	m.SentenceFeatures, m.AnswerFeatures = bot.SentenceFeatureNames, bot.AnswerFeatureNames
	ts, err := traceAll(ctx, corpora)
	if err != nil {
		return m, err
	}
	bestSentence := fitSentenceModel(&m, ts, out)
	bot.SetAnswerModel(m)
	// The answer features depend on the sentence model: trace again.
	if ts, err = traceAll(ctx, corpora); err != nil {
		return m, err
	}
	ref, wrong, decided := fitAnswerStage(&m, ts, out)
	m.Fit = map[string]any{
		"command":                      "go run ./cmd/storybot fit --write",
		"held_out_best_sentence":       roundWeights([]float64{bestSentence})[0],
		"held_out_refusal":             roundWeights([]float64{ref})[0],
		"held_out_wrongly_refused":     roundWeights([]float64{wrong})[0],
		"target_wrongly_refused":       targetWrong,
		"questions_decided_by_model":   decided,
		"stories_never_fitted_on_note": "eval --split heldout",
	}
	return m, nil
}

// fitSentenceModel fits the sentence model on every candidate sentence of
// the answerable questions, reports how often its best sentence answers
// with each story left out, and returns that rate over all of them.
func fitSentenceModel(m *bot.AnswerModel, ts []traced, out io.Writer) float64 {
	var sx []logExample
	for _, t := range ts {
		if !t.it.Answerable || t.tr.Features == nil {
			continue
		}
		for _, s := range t.tr.Sentences {
			sx = append(sx, logExample{x: s.Features, y: answers(t.it, s), group: t.group, w: t.w})
		}
	}
	nsf := len(bot.SentenceFeatureNames)
	fmt.Fprintf(out, "sentences: %d; the best sentence answers (questions with an answering sentence), story left out of the fit:\n", len(sx))
	cvHit, cvN := 0, 0
	for _, g := range groupsOf(ts) {
		w := fitLogistic(outOfGroup(sx, g), nsf, answerL2, answerIters)
		h, n := bestSentenceRate(inGroup(ts, g), w)
		h0, _ := bestSentenceRate(inGroup(ts, g), m.SentenceWeights)
		fmt.Fprintf(out, "  %-20s n=%4d  %.3f → %.3f\n", g, n, ratioOf(h0, n), ratioOf(h, n))
		cvHit, cvN = cvHit+h, cvN+n
	}
	fmt.Fprintf(out, "  %-20s n=%4d  → %.3f\n", "all (held out)", cvN, ratioOf(cvHit, cvN))
	m.SentenceWeights = roundWeights(fitLogistic(sx, nsf, answerL2, answerIters))
	fmt.Fprintf(out, "sentence weights: %v\n", m.SentenceWeights)
	return ratioOf(cvHit, cvN)
}

// bestSentenceRate counts the answerable questions with an answering
// sentence (n) and those whose best sentence under weights w answers (hit).
func bestSentenceRate(ts []traced, w []float64) (hit, n int) {
	for _, t := range ts {
		if !t.it.Answerable || t.tr.Features == nil || !slices.ContainsFunc(t.tr.Sentences, func(s bot.SentenceTrace) bool { return answers(t.it, s) }) {
			continue
		}
		n++
		best := 0
		for i, s := range t.tr.Sentences {
			if logitOf(w, s.Features) > logitOf(w, t.tr.Sentences[best].Features) {
				best = i
			}
		}
		if answers(t.it, t.tr.Sentences[best]) {
			hit++
		}
	}
	return hit, n
}

// fitAnswerStage fits the answer model on the questions no refusal rule
// decides and sets its threshold on held-out predictions; it returns the
// held-out refusal and wrong-refusal rates and how many questions it decides.
func fitAnswerStage(m *bot.AnswerModel, ts []traced, out io.Writer) (ref, wrong float64, decided int) {
	naf := len(bot.AnswerFeatureNames)
	var ax []logExample
	axOf := map[int]int{} // trace → example
	for i, t := range ts {
		if t.tr.Features == nil || len(t.tr.Fired) > 0 {
			continue // a rule decides it
		}
		axOf[i] = len(ax)
		ax = append(ax, logExample{x: t.tr.Features, y: t.it.Answerable, group: t.group, w: t.w})
	}
	oof := make([]float64, len(ax))
	for _, g := range groupsOf(ts) {
		w := fitLogisticSigned(outOfGroup(ax, g), naf, bot.AnswerFeatureSigns[:], answerL2, answerIters)
		for i, e := range ax {
			if e.group == g {
				oof[i] = logistic(w, e.x)
			}
		}
	}
	fmt.Fprintf(out, "answer model: held-out AUC %.3f over the %d questions it decides\n", auc(oof, ax), len(ax))
	// The threshold: the highest at which the held-out predictions, with
	// the rules' refusals, wrongly refuse at most targetWrong.
	cands := slices.Clone(oof)
	sort.Float64s(cands)
	th := 0.0
	for _, c := range cands {
		if _, w := refusalRates(ts, axOf, oof, c); w <= targetWrong {
			th = c
		}
	}
	ref, wrong = refusalRates(ts, axOf, oof, th)
	fmt.Fprintf(out, "answer model: %d questions decided by it; held out: refusal %.3f, wrongly refused %.3f, balanced %.3f at threshold %.4f\n",
		len(ax), ref, wrong, (ref+1-wrong)/2, th)
	m.AnswerWeights = roundWeights(fitLogisticSigned(ax, naf, bot.AnswerFeatureSigns[:], answerL2, answerIters))
	m.Threshold = roundWeights([]float64{th})[0]
	fmt.Fprintf(out, "answer weights: %v\n", m.AnswerWeights)
	return ref, wrong, len(ax)
}

// refusalRates are the weighted refusal and wrong-refusal rates when the
// rules refuse what they refuse and the model, with held-out predictions
// oof, refuses under threshold th.
func refusalRates(ts []traced, axOf map[int]int, oof []float64, th float64) (refused, wrong float64) {
	var unans, ans float64
	for i, t := range ts {
		r := t.tr.Features == nil || len(t.tr.Fired) > 0
		if j, ok := axOf[i]; ok {
			r = oof[j] < th
		}
		if t.it.Answerable {
			ans += t.w
			if r {
				wrong += t.w
			}
		} else {
			unans += t.w
			if r {
				refused += t.w
			}
		}
	}
	return refused / unans, wrong / ans
}

// outOfGroup returns the examples of every group but g.
func outOfGroup(ex []logExample, g string) []logExample {
	var out []logExample
	for _, e := range ex {
		if e.group != g {
			out = append(out, e)
		}
	}
	return out
}

func logitOf(w, x []float64) float64 { return w[len(w)-1] + dotF(w[:len(w)-1], x) }

func ratioOf(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func groupsOf(ts []traced) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range ts {
		if !seen[t.group] {
			seen[t.group] = true
			out = append(out, t.group)
		}
	}
	sort.Strings(out)
	return out
}

func inGroup(ts []traced, g string) []traced {
	var out []traced
	for _, t := range ts {
		if t.group == g {
			out = append(out, t)
		}
	}
	return out
}

// auc is the area under the ROC curve of scores p for the examples' labels:
// the chance that an answerable question scores above an unanswerable one.
func auc(p []float64, ex []logExample) float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	var rankSum, pos, neg float64
	for r, i := range idx {
		if ex[i].y {
			rankSum += float64(r + 1)
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}
