package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// turn is one question on its way to an answer: what the rules and the
// fitted models look at, computed once.
type turn struct {
	q       question
	hits    []retrieval.Hit // the retrieved passages of the one story answered from
	m       *retrieval.Matcher
	cands   []candidate // every sentence of hits, scored by the sentence model
	feats   []float64   // the answer features
	pAnswer float64     // the answer model's probability that the story answers q
	hint    string      // what a refusal may add
	fired   []string    // the rules that fired, in order
}

// Trace is what the engine saw and decided for one question: the features
// the fitted models read, for `storybot fit`, and the rules that fired.
type Trace struct {
	Question  string
	Retrieved []retrieval.Hit
	// Sentences are the candidate sentences with their features (named by
	// SentenceFeatureNames).
	Sentences []SentenceTrace
	// Features are the answer features (named by AnswerFeatureNames); nil
	// when a rule refused before the search.
	Features []float64
	Fired    []string
}

// SentenceTrace is one candidate sentence.
type SentenceTrace struct {
	Story     string
	Paragraph int
	Text      string
	Features  []float64
}

// Trace answers q as Ask does and reports what it saw.
func (e *Engine) Trace(ctx context.Context, question string) (Trace, error) {
	t, _, err := e.prepare(ctx, CleanQuestion(question), "")
	if err != nil {
		return Trace{}, err
	}
	if t.feats != nil {
		// The refusal rules that run after the search, but the fitted
		// model's own: the fit needs to know which questions they refuse.
		e.firstRefusal(t, false, "unlikely-answered")
	}
	tr := Trace{Question: t.q.text, Retrieved: t.hits, Features: t.feats, Fired: t.fired}
	for _, c := range t.cands {
		tr.Sentences = append(tr.Sentences, SentenceTrace{Story: c.hit.Story, Paragraph: c.hit.Paragraph, Text: c.text, Features: c.feats[:]})
	}
	return tr, nil
}

// prepare searches for q, scores its sentences and its answerability, and
// returns the refusal rule that fires, if one does. all is the search's
// ranking before it is narrowed to one story.
func (e *Engine) prepare(ctx context.Context, q, story string) (t *turn, all []retrieval.Hit, err error) {
	t = &turn{q: parseQuestion(q)}
	if _, ok := e.firstRefusal(t, true, ""); ok {
		return t, nil, nil
	}
	sq := e.withAcronyms(t.q.search)
	k := max(e.K, minK)
	depth := k
	if story != "" {
		// A follow-up looks deeper, for its story's passages among the
		// others'.
		depth *= followUpDepth
	}
	found, err := e.Index.Search(ctx, sq, depth)
	if err != nil {
		return t, nil, fmt.Errorf("answer %q: %w", text.Truncate(q, 60), err)
	}
	all = found[:min(k, len(found))]
	t.hits = oneStory(all)
	t.m = e.Index.Matcher(sq)
	if story != "" {
		if hits, kept := e.keepStory(found, t.hits, story, t.m.Words()); kept {
			// The answer is built from the conversation's story: those
			// are the passages it retrieved.
			t.hits, all = hits, hits
		}
	}
	if t.q.want == typeTitle && len(t.hits) > 0 {
		t.hits = withTitle(t.hits, passagesOf(e.Index, t.hits[0].Story), t.q)
	}
	t.cands = e.scoreSentences(t)
	t.feats = e.answerFeatures(t)
	t.pAnswer = sigmoid(linear(answerer.AnswerWeights, t.feats))
	return t, all, nil
}

// scoreSentences splits the passages into sentences and scores each with
// the sentence model.
func (e *Engine) scoreSentences(t *turn) []candidate {
	cands := candidates(t.hits, t.m)
	// Sentences are told apart by the words that are rare within their
	// story; which story it is was settled by the words rare among all.
	sm := t.m
	if len(t.hits) > 0 {
		sm = e.Index.ForStory(t.m, t.hits[0].Story)
	}
	want, qwords, aboutSpeech := t.q.want, t.q.lower, t.q.aboutSpeech
	named := speakersNamedIn(t.q, t.hits)
	top := 0.0
	if len(t.hits) > 0 {
		top = t.hits[0].Score
	}
	for i := range cands {
		c := &cands[i]
		f := &c.feats
		f[sfSoft] = sm.ScoreMatches(c.matches)
		f[sfExact] = sm.ExactShare(c.matches)
		if top > 0 {
			f[sfPassage] = max(c.hit.Score, 0) / top
		}
		if c.rank == 0 {
			f[sfFirst] = 1
		}
		counts := false // a number of what a "how many" question counts
		if want != typeNone {
			typed := hasTypedAnswer(want, c.text, qwords)
			if typed && want == typeNumber && len(t.q.counted) > 0 {
				// Any number is not an answer: it must count the thing asked.
				typed = countsAsked(c.text, t.q.counted, t.m)
				counts = typed
			}
			if typed {
				f[sfTyped] = 1
			} else {
				f[sfUntyped] = 1
			}
		}
		if aboutSpeech && len(c.quotes) > 0 {
			f[sfSpeech] = 1
		}
		for _, qt := range c.quotes {
			if named[qt.Speaker] {
				f[sfNamed] = 1
				break
			}
		}
		words := retrieval.Words(c.text)
		f[sfLength] = log1p(float64(len(words)))
		fresh, content := 0, 0
		for _, w := range words {
			if len(w) < minWordLetters {
				continue
			}
			content++
			if !qwords[w] && !qwords[w+"s"] {
				fresh++
			}
		}
		if content > 0 {
			f[sfNew] = float64(fresh) / float64(content)
		}
		c.logit = linear(answerer.SentenceWeights, f[:])
		// The order of sentences within an answer: the hand-set mix that
		// the fitted sentence model did not beat end to end (see
		// sentenceMix).
		c.score = sentenceMix.soft*f[sfSoft] + sentenceMix.passage*f[sfPassage] +
			sentenceMix.speech*f[sfSpeech] + sentenceMix.named*f[sfNamed] + sentenceMix.typed*f[sfTyped]
		if counts {
			c.score += sentenceMix.counted
		}
	}
	return cands
}

// answerFeatures describes how well the story answers t's question.
func (e *Engine) answerFeatures(t *turn) []float64 {
	f := make([]float64, numAnswerFeatures)
	if len(t.hits) == 0 {
		f[afUncovered], f[afUncoveredS], f[afNoTyped] = 1, 1, 1
		return f
	}
	ranked := slices.Clone(t.cands)
	slices.SortStableFunc(ranked, func(a, b candidate) int { return cmp.Compare(b.logit, a.logit) })
	ranked = ranked[:min(modelTopSentences, len(ranked))]
	if len(ranked) > 0 {
		best := ranked[0]
		f[afBest] = best.logit
		f[afSoft], f[afExact] = best.feats[sfSoft], best.feats[sfExact]
	}
	// A question about what is not so, whose best sentence, the one the
	// answer would quote, says nothing is not so: the story states the
	// positive. A why-question is left out: it asks for a cause, and the
	// sentence giving it need not repeat the negation.
	if t.q.negated && !asksWhy(t.q.text) && len(ranked) > 0 && !slices.ContainsFunc(quotedWith(ranked[0], t.cands), func(c candidate) bool { return denies(c.text) }) {
		f[afNegation] = 1
	}
	f[afUncoveredS], f[afUncovered] = uncovered(t.m, t.hits[:min(topPassages, len(t.hits))])
	gw := generalWeights(t.m)
	f[afGeneralMissS], f[afGeneralMiss] = uncoveredWeighted(t.m, t.hits[:min(topPassages, len(t.hits))], gw, uncoveredBelow)
	f[afGeneralMissC], _ = uncoveredWeighted(t.m, t.hits[:min(topPassages, len(t.hits))], gw, closeSynonym)
	if namesStoryEntity(t.q, t.hits, func(w string) bool { return e.Index.StoryWritesLower(t.hits[0].Story, w) }) {
		f[afNamesStory] = 1
	}
	var err error
	if f[afCloseness], err = closeness(t.q.text, t.hits); err != nil {
		// The feature stays 0, as if nothing were close; the answer goes on.
		e.logger().Warn("topic closeness not measured", "err", err)
	}
	story := t.hits[0].Story
	var texts []string
	for _, h := range t.hits {
		texts = append(texts, h.Text)
	}
	// An acronym of a name the passages spell out ("IRGC") is a name the
	// story uses.
	f[afNamedMiss] = namedMissing(t.q.names, func(w string) bool { return e.Index.StoryUses(story, w) || acronymOf(w, texts) })
	if t.q.want != typeNone {
		f[afNoTyped] = 1
		for _, c := range ranked {
			if c.feats[sfTyped] == 1 {
				f[afNoTyped] = 0
			}
		}
	}
	_, f[afMissTop] = uncovered(t.m, t.hits[:1])
	topWords := map[string]bool{}
	for _, w := range retrieval.Words(t.hits[0].Text) {
		topWords[w] = true
		topWords[english.Stem(w, false)] = true
	}
	f[afNamesMissTop] = namedMissing(t.q.names, func(w string) bool {
		return topWords[w] || topWords[english.Stem(w, false)] || acronymOf(w, texts[:1])
	})
	matches, weights := t.m.Match(t.hits[0].Text), t.m.Weights()
	var rarest, rarestMiss float64
	for i, v := range matches {
		rarest = max(rarest, weights[i])
		if v < 1 {
			rarestMiss = max(rarestMiss, weights[i])
		}
	}
	if rarest > 0 {
		f[afRarestMiss] = rarestMiss / rarest
	}
	f[afWords] = log1p(float64(len(t.m.Terms())))
	f[afTop] = t.hits[0].Score
	if len(t.hits) > 1 {
		f[afMargin] = t.hits[0].Score - t.hits[1].Score
	}
	return f
}

// bestCandidate is the sentence the fitted sentence model ranks first, the
// one an answer leads with; the zero candidate when there is none.
func bestCandidate(cands []candidate) candidate {
	var best candidate
	for i, c := range cands {
		if i == 0 || c.logit > best.logit {
			best = c
		}
	}
	return best
}

// quotedWith returns best, and when best quotes someone, the sentence that
// follows it in its passage if that opens a quotation too: a quotation cut
// by its attribution ("…,” said the mayor. “That is not good enough.”)
// carries on there, and an answer quotes the speaker's words together.
func quotedWith(best candidate, cands []candidate) []candidate {
	out := []candidate{best}
	if !slices.ContainsFunc(best.quotes, func(q retrieval.Quote) bool { return q.Direct }) {
		return out
	}
	var next *candidate
	for i, c := range cands {
		if c.hit.ID == best.hit.ID && c.start > best.start && (next == nil || c.start < next.start) {
			next = &cands[i]
		}
	}
	if next != nil && strings.IndexAny(strings.TrimSpace(next.text), "“\"") == 0 {
		out = append(out, *next)
	}
	return out
}
