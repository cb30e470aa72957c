//go:build stubllm

package bot

import (
	"context"
	"errors"

	"github.com/storybot/storybot/retrieval"
)

func (e *Engine) answerLLM(ctx context.Context, question string, hits []retrieval.Hit) (Answer, error) {
	return Answer{}, errors.New("stub")
}
