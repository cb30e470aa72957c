package bot

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// The fitted answer model: two logistic regressions over the general
// features of features.go, fitted by `storybot fit` on public data (SQuAD
// 2.0 articles, without the held-out ones) and the team's question sets, and
// kept in answerer.json with the numbers the fit measured.
//
//   - The sentence model gives each candidate sentence the probability that
//     it holds the answer. Its best sentence's logit is a feature of the
//     answer model; the order of quotes is sentenceMix's (tuning.go),
//     which cited more on every set.
//   - The answer model gives the probability that the story answers the
//     question at all; under Threshold the bot says the story doesn't say.

// Sentence features, in the order of answerer.json.
const (
	sfSoft    = iota // weighted share of question words the sentence matches, synonyms counted
	sfExact          // the same, exact (same stem) matches only
	sfPassage        // the passage's ranking score over the best passage's
	sfFirst          // 1 for a sentence of the best passage
	sfTyped          // the question wants a name, number or date and the sentence has a new one
	sfUntyped        // the question wants one and the sentence has none
	sfSpeech         // the question asks for someone's words and the sentence quotes someone
	sfNamed          // the sentence quotes a speaker the question names
	sfLength         // log of the sentence's word count
	sfNew            // share of the sentence's content words that the question lacks
	numSentenceFeatures
)

// SentenceFeatureNames names the sentence features, in order.
var SentenceFeatureNames = []string{"soft", "exact", "passage", "first_passage", "typed_answer", "no_typed_answer", "speech_quote", "named_speaker", "log_length", "new_words"}

// Answer features, in the order of answerer.json.
const (
	afBest         = iota // the best sentence's logit under the sentence model
	afSoft                // the best sentence's soft share
	afExact               // the best sentence's exact share
	afUncovered           // weighted share of question words the top passages lack, exact matching
	afUncoveredS          // the same, allowing near synonyms
	afCloseness           // topic closeness of question and best passage (averaged word vectors)
	afNamedMiss           // share of the question's names and numbers the story never uses
	afNoTyped             // the question wants a name, number or date, and no top sentence has one
	afNegation            // the question is negated and its best sentence is not
	afWords               // log of the number of the question's content words
	afTop                 // the best passage's ranking score
	afMargin              // its lead over the second passage
	afMissTop             // weighted share of question words the best passage lacks, exact matching
	afNamesMissTop        // share of the question's names and numbers the best passage lacks
	afRarestMiss          // the weight of the rarest question word the best passage lacks, over the rarest word's
	afGeneralMiss         // share of the question's words the top passages lack, exact, weighted by rarity in general English
	afGeneralMissS        // the same, allowing near synonyms
	afGeneralMissC        // the same, allowing only close synonyms (cosine ≥ closeSynonym)
	afNamesStory          // 1 when the question names a person, place or organisation of the top passages
	numAnswerFeatures
)

// AnswerFeatureNames names the answer features, in order.
var AnswerFeatureNames = []string{"best_sentence_logit", "best_soft", "best_exact", "uncovered", "uncovered_soft", "closeness", "names_missing", "no_typed_answer", "negation", "log_words", "top_score", "top_margin", "uncovered_top", "names_missing_top", "rarest_missing_top", "general_uncovered", "general_uncovered_soft", "general_uncovered_close", "names_story_entity"}

// AnswerFeatureSigns are the directions in which each answer feature may
// move the probability of answering: +1 only up, -1 only down, 0 either way.
// They are priors, not fits. The public questions that may not be answered
// were written by copying a paragraph's words and changing one detail, so
// there, words a passage lacks and a low ranking score go with *answered*
// questions; fitted freely, the model learns that, and then quotes on chat
// about the weather because the story lacks its words. Questions readers
// write that a story doesn't answer go the other way, so the fit keeps each
// weight on the side that holds for them.
var AnswerFeatureSigns = [numAnswerFeatures]int{
	afBest: +1, afSoft: +1, afExact: +1, afUncovered: -1, afUncoveredS: -1,
	afCloseness: +1, afNamedMiss: -1, afNoTyped: -1, afNegation: -1, afWords: 0,
	afTop: +1, afMargin: +1, afMissTop: -1, afNamesMissTop: -1, afRarestMiss: -1,
	afGeneralMiss: -1, afGeneralMissS: -1, afGeneralMissC: -1, afNamesStory: +1,
}

// AnswerModel is the answerer.json format.
type AnswerModel struct {
	SentenceFeatures []string  `json:"sentence_features"`
	SentenceWeights  []float64 `json:"sentence_weights"` // intercept last
	AnswerFeatures   []string  `json:"answer_features"`
	AnswerWeights    []float64 `json:"answer_weights"` // intercept last
	// Threshold is the probability of being answered under which the bot
	// refuses, set where the fit's wrongly refused share is TargetWrong.
	Threshold float64 `json:"threshold"`
	// Fit says how the model was fitted and what it scored.
	Fit map[string]any `json:"fit,omitempty"`
}

//go:embed answerer.json
var answererJSON []byte

// answerer is the model in use.
var answerer = mustAnswerModel(answererJSON)

func mustAnswerModel(b []byte) AnswerModel {
	var m AnswerModel
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("bot: answerer.json: %v", err))
	}
	if !slices.Equal(m.SentenceFeatures, SentenceFeatureNames) || len(m.SentenceWeights) != numSentenceFeatures+1 ||
		!slices.Equal(m.AnswerFeatures, AnswerFeatureNames) || len(m.AnswerWeights) != numAnswerFeatures+1 {
		panic("bot: answerer.json does not match the features of the code; run `go run ./cmd/storybot fit --write`")
	}
	return m
}

// linear is w·x plus the intercept (w's last element).
func linear(w, x []float64) float64 {
	z := w[len(w)-1]
	for i, v := range x {
		z += w[i] * v
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// SetAnswerModel replaces the model in use. It is for `storybot fit`,
// which refits the model in stages; it is not safe while questions are
// being answered.
func SetAnswerModel(m AnswerModel) { answerer = m }

// CurrentAnswerModel returns the model in use.
func CurrentAnswerModel() AnswerModel { return answerer }
