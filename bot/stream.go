package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/prompts"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// StreamClient is go-openai's streaming chat call; *openai.Client
// satisfies it. An engine whose Chat client also streams shows its answer
// while the model writes it, when asked to (WithProgress).
type StreamClient interface {
	CreateChatCompletionStream(ctx context.Context, req openai.ChatCompletionRequest) (*openai.ChatCompletionStream, error)
}

type progressKey struct{}

// WithProgress returns a context under which a model answer is streamed:
// report is called, from the answering goroutine, with the answer so far
// each time it grows. What report gets holds only verified quotations: a
// quotation is held back until its closing mark arrives and it checks out
// against the passages, and one that does not is removed as in the final
// answer. A refusal is never reported. The final answer is still what
// Ask returns.
func WithProgress(ctx context.Context, report func(text string)) context.Context {
	return context.WithValue(ctx, progressKey{}, report)
}

func progressFrom(ctx context.Context) func(string) {
	f, _ := ctx.Value(progressKey{}).(func(string))
	return f
}

// streamReply asks for the reply as a stream, reporting the verified text
// so far as it grows, and returns the whole reply as a non-streamed
// response, for the same checks.
func streamReply(ctx context.Context, sc StreamClient, req openai.ChatCompletionRequest, passages []retrieval.Passage, report func(string)) (openai.ChatCompletionResponse, error) {
	stream, err := sc.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return openai.ChatCompletionResponse{}, err
	}
	defer stream.Close()
	var b strings.Builder
	var finish openai.FinishReason
	shown := ""
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return openai.ChatCompletionResponse{}, err
		}
		for _, c := range chunk.Choices {
			b.WriteString(c.Delta.Content)
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
		if b.Len() > maxReplyBytes {
			return openai.ChatCompletionResponse{}, fmt.Errorf("the reply is over %d bytes long", maxReplyBytes)
		}
		if text := verifiedSoFar(b.String(), passages); text != shown {
			shown = text
			report(text)
		}
	}
	if finish == "" {
		finish = openai.FinishReasonStop
	}
	return openai.ChatCompletionResponse{Choices: []openai.ChatCompletionChoice{{
		Message:      openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: b.String()},
		FinishReason: finish,
	}}}, nil
}

// verifiedSoFar is what may be shown of a reply still being written: the
// text before any quotation not yet closed (and before a citation not yet
// closed), with its quotations verified as the final answer's are. Nothing
// is shown of what may be a refusal.
func verifiedSoFar(partial string, passages []retrieval.Passage) string {
	head := strings.ToUpper(strings.TrimLeft(partial, "*_ \n"))
	marker := strings.ToUpper(prompts.RefusalMarker)
	if strings.HasPrefix(marker, head) || prompts.IsRefusal(partial) {
		return ""
	}
	cut := unclosedQuote(partial)
	if i := strings.LastIndexByte(partial[:cut], '['); i >= 0 && !strings.Contains(partial[i:cut], "]") {
		cut = i
	}
	text := strings.TrimSpace(partial[:cut])
	if text == "" {
		return ""
	}
	return strings.TrimSpace(verifyAnswer(text, passages).Text)
}

// unclosedQuote returns the offset of the first quotation mark that opens
// a quotation not closed yet, or len(s) when every quotation is closed. The
// marks pair as verification pairs them (text.PairQuotes).
func unclosedQuote(s string) int {
	for _, q := range text.PairQuotes(s) {
		if !q.Closed() {
			return q.Open
		}
	}
	return len(s)
}
