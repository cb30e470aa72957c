package bot

import (
	"context"
	"fmt"
	"log/slog"
	"math"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// Ask answers one question. Refusals are answers (Refused is set); an error
// means the bot could not work at all (no index, an embedder failure).
func (e *Engine) Ask(ctx context.Context, question string) (Answer, error) {
	return e.AskAbout(ctx, question, "")
}

// AskAbout answers question as Ask does, but within story, the story a
// conversation has been about (its slug; "" for none), unless the question
// moves to another: most of its words are the other story's alone. With
// many stories loaded, "how did the stock react?" is about the layoffs
// asked of before, though another story has a stock too.
func (e *Engine) AskAbout(ctx context.Context, question, story string) (Answer, error) {
	q := CleanQuestion(question)
	a := Answer{Question: q, Mode: ModeExtractive, Citations: []Citation{}, Retrieved: []Retrieved{}}
	if e.Chat != nil {
		a.Mode = ModeLLM
	}
	t, all, err := e.prepare(ctx, q, story)
	if err != nil {
		return a, err
	}
	defer func() { a.Fired = t.fired }()
	for _, h := range all {
		a.Retrieved = append(a.Retrieved, Retrieved{PassageID: h.ID, Paragraph: h.Paragraph, Score: h.Score, Text: h.Text})
	}
	refuse := func(r rule) (Answer, error) {
		a.Refused = true
		a.Mode = ModeExtractive
		hint := t.hint
		if r.Reason == refuseEmpty {
			hint = e.exampleHint()
		}
		a.Answer = refusalText(r.Reason, hint)
		a.Fired = t.fired
		e.logger().Debug("refused", "rule", r.Name, "p_answer", t.pAnswer)
		return a, nil
	}
	if r, ok := e.firstRefusal(t, true, ""); ok {
		if r.Name == "too-long" {
			a.Question = text.Truncate(q, 80)
			a.Refused = true
			a.Fired = t.fired
			a.Answer = fmt.Sprintf("Your question is %d characters long; questions are limited to %d. Please ask a shorter one.", t.q.runes, MaxQuestionRunes)
			return a, nil
		}
		return refuse(r)
	}
	if r, ok := e.firstRefusal(t, false, ""); ok {
		switch r.Reason {
		case refuseOffTopic:
			t.hint = e.coverage(t.hits)
		case refuseNotInText:
			if t.hint == "" {
				t.hint = closestHint(t.hits, t.cands)
			}
		}
		return refuse(r)
	}

	if e.Chat != nil {
		la, err := e.answerLLM(ctx, q, t.hits)
		if err == nil {
			la.Question, la.Retrieved = q, a.Retrieved
			if la.Citations == nil {
				la.Citations = []Citation{}
			}
			la.Fired = t.fired
			return la, nil
		}
		e.logger().Warn("model answer failed; answering extractively", "err", err)
		a.Mode = ModeLLMFallback
		a.Note = "the model could not answer (" + shortText(err.Error()) + "); this answer was picked from the story without it"
	}
	ex := e.extractive(t)
	a.Answer, a.Citations, a.Fired = ex.text, ex.citations, t.fired
	return a, nil
}

// oneStory keeps the hits of one story: an answer quotes one story, so that
// its quotes, its speakers and its "the story says" belong together. The
// story is the one most likely to hold the answer. A hit's score is the
// fitted ranker's logit (a softmax over the candidates), so a story's
// likelihood is the sum of its hits' exp(score): several paragraphs of one
// story that score nearly as well as a stray first one outweigh it, but
// four middling paragraphs of a long story do not outweigh the one that
// holds every word asked ("Who commissioned the Tapestry?"). Adding the
// scores themselves did: on the public data's fitted stories, cite was
// 0.873 with sums and 0.908 with likelihoods (held-out stories: 0.933 and
// 0.948); see docs/benchmarks.md.
func oneStory(hits []retrieval.Hit) []retrieval.Hit {
	if len(hits) == 0 {
		return hits
	}
	total := map[string]float64{}
	best := hits[0].Story
	for _, h := range hits {
		// Relative to the first hit, so that exp cannot overflow.
		total[h.Story] += math.Exp(h.Score - hits[0].Score)
		if total[h.Story] > total[best] {
			best = h.Story
		}
	}
	var out []retrieval.Hit
	for _, h := range hits {
		if h.Story == best {
			out = append(out, h)
		}
	}
	return out
}

// keepStory narrows found, the search's ranking, to one story: story, the
// one the conversation is about, when found holds it and most of the
// question's words are not only the best hits' story's (best); else best.
// kept reports whether it kept story in place of best's.
func (e *Engine) keepStory(found []retrieval.Hit, best []retrieval.Hit, story string, terms []string) (hits []retrieval.Hit, kept bool) {
	if story == "" || len(best) == 0 || best[0].Story == story {
		return best, false
	}
	for _, h := range found {
		if h.Story == story {
			hits = append(hits, h)
		}
	}
	if len(hits) == 0 {
		return best, false
	}
	// "what about the dock strike?" is in another story's words: more than
	// half of them are that story's and not this one's.
	only := 0
	for _, w := range terms {
		if !e.Index.StoryUses(story, w) && e.Index.StoryUses(best[0].Story, w) {
			only++
		}
	}
	if 2*only > len(terms) {
		return best, false
	}
	return hits[:min(len(hits), max(e.K, minK))], true
}

// passagesOf returns the indexed passages of one story.
func passagesOf(ix *retrieval.Index, story string) []retrieval.Passage {
	return ix.StoryPassages(story)
}

// coverage says what the bot does answer questions about, for an off-topic
// refusal: the story, or how many stories.
func (e *Engine) coverage(hits []retrieval.Hit) string {
	if n := len(e.Index.Info().Stories); n > 1 {
		return fmt.Sprintf("I answer questions about the %d stories I’ve been given.", n)
	}
	if len(hits) == 0 {
		return ""
	}
	h := hits[0]
	if h.Publication == "" {
		return fmt.Sprintf("I answer questions about _%s_.", h.Title)
	}
	return fmt.Sprintf("I answer questions about _%s_ (%s).", h.Title, h.Publication)
}

// closestHint points a refusal to the paragraph nearest the question.
func closestHint(hits []retrieval.Hit, cands []candidate) string {
	if len(hits) == 0 {
		return ""
	}
	h := hits[0]
	return fmt.Sprintf("The closest it comes is ¶%d of “%s”: %s", h.Paragraph, h.Title, text.Truncate(h.Text, 160))
}

func (e *Engine) logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.New(slog.DiscardHandler)
}
