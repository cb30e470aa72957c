package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// Every rule that changes an answer, with its name and its reason, in the
// order they are tried. A refusal rule that fires ends the question with its
// refusal; a shaping rule changes how the answer is put together. Logs say
// which rules fired, and `storybot eval --rules` counts them and measures
// what each one is worth by answering the set again without it.

// rule is one named decision.
type rule struct {
	Name   string
	Reason string // the refusal it gives; "" for a rule that shapes an answer
	Why    string
	// before: the rule looks at the question alone and is tried before the
	// search.
	before bool
	fires  func(e *Engine, t *turn) bool
}

// Rules lists the rules, in the order they are tried.
func Rules() []rule { return rules }

var rules = []rule{
	{Name: "empty", Reason: refuseEmpty, before: true,
		Why:   "nothing to search for: a blank question, or one of punctuation only, is asked to ask something",
		fires: func(e *Engine, t *turn) bool { return len(t.q.words) == 0 }},
	{Name: "too-long", Reason: refuseTooLong, before: true,
		Why:   "a question over MaxQuestionRunes is refused with the limit stated, never silently cut",
		fires: func(e *Engine, t *turn) bool { return t.q.runes > MaxQuestionRunes }},
	{Name: "injection", Reason: refuseInjection, before: true,
		Why:   "an attempt to set the rules aside or to have quotations invented gets no quotation",
		fires: func(e *Engine, t *turn) bool { return t.q.injection }},
	{Name: "chrome", Reason: refuseChrome,
		Why: "questions about the web page around the story (terms, site, browser) are not about the story",
		fires: func(e *Engine, t *turn) bool {
			return t.q.chrome && t.feats[afUncovered] >= chromeUncovered
		}},
	{Name: "off-topic", Reason: refuseOffTopic,
		Why: "far in meaning from every retrieved paragraph and mostly not in its words, and naming no one of the story",
		fires: func(e *Engine, t *turn) bool {
			if len(t.m.Terms()) == 0 || len(t.hits) == 0 {
				return true
			}
			if t.feats[afNamesStory] == 1 {
				return false
			}
			near, soft, exact := t.feats[afCloseness], t.feats[afUncoveredS], t.feats[afUncovered]
			return near < farBelow && exact >= offTopicFarUncovered ||
				near < closeAbove && (soft > offTopicSoftUncovered || soft >= offTopicSomeSoft && exact >= offTopicMostExact || exact >= offTopicAllExact)
		}},
	{Name: "personal", Reason: refuseOffTopic,
		Why:   "a message about the asker's own life (my, our, should I, anyone) that names no one of the story, and whose words the story mostly never uses, is chat rather than a question about the story",
		fires: func(e *Engine, t *turn) bool { return t.q.personal && e.chatToStory(t) }},
	{Name: "no-question", Reason: refuseOffTopic,
		Why:   "a message that asks nothing (no question word, no question mark, no opening auxiliary, no request) and names no one of the story, whose words the story mostly never uses, is a remark in the chat (\"ok brb dinner\"), not a question about the story",
		fires: func(e *Engine, t *turn) bool { return !t.q.asks && e.chatToStory(t) }},
	{Name: "byline", Reason: refuseNotInText,
		Why: "a question about who wrote the article itself is not answered by what the article reports, whoever in it wrote or said something",
		fires: func(e *Engine, t *turn) bool {
			if !t.q.byline {
				return false
			}
			t.hint = "Its text doesn’t name who wrote it"
			if len(t.hits) > 0 && t.hits[0].Publication != "" {
				t.hint += "; it was published by " + t.hits[0].Publication
			}
			t.hint += "."
			return true
		}},
	{Name: "reader-present", Reason: refuseOffTopic,
		Why: "a message that names no one of the story and is anchored in the reader's own present (tonight, this weekend, last night), a time the story never writes, is about the reader's day, not the story",
		fires: func(e *Engine, t *turn) bool {
			if t.q.present == "" || len(t.hits) == 0 || t.feats[afNamesStory] == 1 {
				return false
			}
			story := passagesOf(e.Index, t.hits[0].Story)
			return !slices.ContainsFunc(story, func(p retrieval.Passage) bool {
				return strings.Contains(strings.ToLower(p.Text), t.q.present)
			})
		}},
	{Name: "focus-missing", Reason: refuseNotInText,
		Why:   "the topic a question asks about (“about X”, “what is X”) is in none of the top passages",
		fires: func(e *Engine, t *turn) bool { return focusMissing(t.q, t.hits[:min(topPassages, len(t.hits))]) }},
	{Name: "name-missing", Reason: refuseNotInText,
		Why:   "the question asks for a name (of a group, a place, a hotel, a company, a person: a kind of thing English names) and the best sentences give none, while speaking of that kind of thing; or the sentence the answer would quote says the name is withheld (anonymous, refused to be identified)",
		fires: func(e *Engine, t *turn) bool { return asksForMissingName(t.q, t.cands) }},
	{Name: "no-response", Reason: refuseNotInText,
		Why: "the question asks how someone responded, and no sentence has them respond",
		fires: func(e *Engine, t *turn) bool {
			story := t.hits[0].Story
			return noResponse(t.q, t.cands, func(w string) bool {
				return personNounForm(w) || e.Index.StoryUses(story, w) && !e.Index.StoryWritesLower(story, w)
			})
		}},
	{Name: "no-age", Reason: refuseNotInText,
		Why: "the question asks for an age (how old, at what age) and none of the best sentences gives one in the forms English prose uses",
		fires: func(e *Engine, t *turn) bool {
			return t.q.want == typeAge && t.feats[afNoTyped] == 1
		}},
	{Name: "not-quoted", Reason: refuseNotInText,
		Why: "the question asks for someone's words, and the story names them but never quotes them",
		fires: func(e *Engine, t *turn) bool {
			who := notQuoted(t.q, func() []retrieval.Passage { return passagesOf(e.Index, t.hits[0].Story) })
			if who != "" {
				t.hint = fmt.Sprintf("It mentions %s but doesn’t quote them or report what they said.", who)
			}
			return who != ""
		}},
	{Name: "negation-unmatched", Reason: refuseNotInText,
		Why:   "the question asks about what did not happen or is not so, and none of the best sentences says that anything is not so: the story states only the positive",
		fires: func(e *Engine, t *turn) bool { return t.feats[afNegation] == 1 }},
	{Name: "antonym-swapped", Reason: refuseNotInText,
		Why: "the question's best sentence, the one the answer would quote, writes the opposite of one of the question's adjectives (\"the largest\" for \"the smallest\"), and not the adjective itself: the story says the contrary of what is asked",
		fires: func(e *Engine, t *turn) bool {
			best := bestCandidate(t.cands)
			asked, written := antonymSwapped(t.q.text, best.text)
			if asked != "" {
				t.hint = fmt.Sprintf("The closest it comes is ¶%d of “%s”, which says “%s”, not “%s”: %s",
					best.hit.Paragraph, best.hit.Title, written, asked, text.Truncate(best.text, 160))
			}
			return asked != ""
		}},
	{Name: "unlikely-answered", Reason: refuseNotInText,
		Why: "the fitted answer model (answerer.json) gives the story less than its threshold of answering the question",
		fires: func(e *Engine, t *turn) bool {
			return t.pAnswer < answerer.Threshold
		}},

	// Rules that shape an answer.
	{Name: "who-said", Why: "a question asking who said something leads with the speaker's name",
		fires: func(e *Engine, t *turn) bool { return t.q.whoSaid }},
	{Name: "title", Why: "a question asking for the title of a work (the book, the film, the report) leads with the sentence that gives a title in quotation marks, taken from the passage nearest to where the story mentions the work",
		fires: func(e *Engine, t *turn) bool { return t.q.want == typeTitle }},
	{Name: "contested", Why: "a yes-or-no question, or one asking whether a claim holds, also quotes a sentence that disputes it (a dispute cue or negation), from another voice",
		fires: func(e *Engine, t *turn) bool { return t.q.contested }},
	{Name: "multi-part", Why: "a question of two parts, or a comparison, may quote up to four sentences, so that both parts' evidence is cited",
		fires: func(e *Engine, t *turn) bool { return t.q.multiPart }},
}

// chatToStory reports whether t's message, naming no one of the story,
// is in words the story mostly never uses (personalUncovered): what makes
// a personal message or a remark chat rather than a question about it.
func (e *Engine) chatToStory(t *turn) bool {
	if t.feats[afNamesStory] == 1 {
		return false
	}
	story := t.hits[0].Story
	return foreignToStory(t.m, func(w string) bool { return e.Index.StoryUses(story, w) }) >= personalUncovered
}

// ruleOn reports whether the rule of that name is in force: rules an
// engine disables (to measure them) are skipped.
func (e *Engine) ruleOn(name string) bool { return !e.Disabled[name] }

// shapes reports whether the shaping rule of that name fires for t, and
// records it.
func (e *Engine) shapes(name string, t *turn) bool {
	if !e.ruleOn(name) {
		return false
	}
	for _, r := range rules {
		if r.Name == name && r.fires(e, t) {
			t.fired = append(t.fired, name)
			return true
		}
	}
	return false
}

// firstRefusal tries the refusal rules of one stage in order, but the one
// named skip, and returns the first that fires.
func (e *Engine) firstRefusal(t *turn, before bool, skip string) (rule, bool) {
	for _, r := range rules {
		if r.Reason == "" || r.before != before || !e.ruleOn(r.Name) || r.Name == skip {
			continue
		}
		if r.fires(e, t) {
			t.fired = append(t.fired, r.Name)
			return r, true
		}
	}
	return rule{}, false
}
