// Package bot answers questions about the indexed stories (a core that knows
// nothing of Discord or the terminal) and serves those answers.
package bot

import (
	"context"
	"log/slog"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/retrieval"
)

// Answer modes.
const (
	ModeExtractive  = "extractive"   // sentences picked from the passages, no model
	ModeLLM         = "llm"          // a model's answer, its quotes verified
	ModeLLMFallback = "llm-fallback" // the model failed; the extractive answer was used
)

// MaxQuestionRunes is the longest question answered. Longer ones are refused
// with the limit stated, never silently cut.
const MaxQuestionRunes = 500

// Answer is the answer to one question: what a user sees and what it rests
// on. Its JSON form is the `storybot ask --json` contract.
type Answer struct {
	Question  string      `json:"question"`
	Answer    string      `json:"answer"` // Discord markdown
	Refused   bool        `json:"refused"`
	Mode      string      `json:"mode"`
	Citations []Citation  `json:"citations"`
	Retrieved []Retrieved `json:"retrieved"`
	Note      string      `json:"note,omitempty"` // why the mode is what it is, e.g. a model error
	// Fired names the rules that decided this answer, in order (see Rules).
	Fired []string `json:"-"`
}

// Citation is one quoted span and where it comes from.
type Citation struct {
	N           int    `json:"n"`
	PassageID   string `json:"passage_id"`
	Story       string `json:"story"` // the story's title
	Publication string `json:"publication"`
	Paragraph   int    `json:"paragraph"`
	Quote       string `json:"quote"`   // verbatim from the passage
	Speaker     string `json:"speaker"` // "" when the words are the story's own narration
	Role        string `json:"role,omitempty"`
}

// Retrieved is one passage the answer was built from, in rank order.
type Retrieved struct {
	PassageID string  `json:"passage_id"`
	Paragraph int     `json:"paragraph"`
	Score     float64 `json:"score"`
	Text      string  `json:"text"`
}

// ChatClient is the one go-openai call the answerer makes; *openai.Client
// satisfies it.
type ChatClient interface {
	CreateChatCompletion(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error)
}

// Engine answers questions from an index. With a Chat client it asks the
// model and verifies its quotes; without one it answers extractively.
type Engine struct {
	Index *retrieval.Index
	Chat  ChatClient    // nil: extractive only
	Model string        // chat model name
	K     int           // passages retrieved per question; at least 5
	Wait  time.Duration // bound on one model call; 0 means DefaultWait
	Log   *slog.Logger
	// Disabled names rules (see Rules) to skip, to measure what each is
	// worth; nil in production.
	Disabled map[string]bool
}
