package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/prompts"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
)

// DefaultWait bounds one model call when Engine.Wait is zero, so that a
// hung server turns into the extractive fallback rather than a hung answer.
// The command's OpenAI client times out its requests after the same.
const DefaultWait = 30 * time.Second

// maxReplyBytes is the longest reply verified. The prompt asks for about
// 150 words; a reply many times that is a model running away, and
// verification time grows with it.
const maxReplyBytes = 8 << 10

// zeroTemperature asks for temperature 0. go-openai omits a zero
// Temperature from the request (the field is omitempty), which servers read
// as their default of 1; the smallest positive float32 is sent as 1e-45,
// which is 0 in effect. This is the workaround go-openai's maintainers give
// (sashabaranov/go-openai#9).
const zeroTemperature = math.SmallestNonzeroFloat32

// answerLLM asks the chat model to answer question from hits, numbered
// 1..len(hits) in the prompt, and verifies the reply's citations and
// quotations against them (see verifyAnswer). A refusal from the model is
// an Answer with Refused set. Any failure is an error, for the caller to
// fall back on the extractive answer: no client or passages, an API error
// or timeout (after the client's retries), an empty, cut-off or filtered
// reply, or a reply with no quotation left once verified. Question and
// Retrieved are left for the caller to fill.
func (e *Engine) answerLLM(ctx context.Context, question string, hits []retrieval.Hit) (Answer, error) {
	if e.Chat == nil {
		return Answer{}, errors.New("model answer: no chat client")
	}
	if len(hits) == 0 {
		return Answer{}, errors.New("model answer: no passages to answer from")
	}
	passages := make([]retrieval.Passage, len(hits))
	in := prompts.AnswerInput{Question: question}
	for i, h := range hits {
		passages[i] = h.Passage
		in.Passages = append(in.Passages, promptPassage(i+1, h.Passage))
	}
	system, user, err := prompts.Answer(in)
	if err != nil {
		return Answer{}, fmt.Errorf("model answer: %w", err)
	}

	wait := e.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	callCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	req := openai.ChatCompletionRequest{
		Model:       e.Model,
		Temperature: zeroTemperature,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	}
	var resp openai.ChatCompletionResponse
	if sc, ok := e.Chat.(StreamClient); ok && progressFrom(ctx) != nil {
		resp, err = streamReply(callCtx, sc, req, passages, progressFrom(ctx))
	} else {
		resp, err = e.Chat.CreateChatCompletion(callCtx, req)
	}
	if err != nil {
		if ctx.Err() == nil && errors.Is(callCtx.Err(), context.DeadlineExceeded) {
			return Answer{}, fmt.Errorf("model answer: no reply within %s: %w", wait, err)
		}
		return Answer{}, fmt.Errorf("model answer: %w", err)
	}
	reply, err := replyText(resp)
	if err != nil {
		return Answer{}, fmt.Errorf("model answer: %w", err)
	}
	if prompts.IsRefusal(reply) {
		return Answer{
			Answer:    refusalText(refuseNotInText, ""),
			Refused:   true,
			Mode:      ModeLLM,
			Citations: []Citation{},
		}, nil
	}

	v := verifyAnswer(reply, passages)
	if len(v.Citations) == 0 {
		return Answer{}, fmt.Errorf("model answer: no quotation could be verified against the passages (%d verified, %d removed, %d bad citations)",
			v.Verified+v.Mended, v.Removed, v.BadRefs)
	}
	text := v.Text
	if !credits(text, v.Citations) {
		text += "\n" + credit(v.Citations)
	}
	return Answer{
		Answer:    text,
		Mode:      ModeLLM,
		Citations: v.Citations,
		Note:      verifyReport(v),
	}, nil
}

// promptPassage is hit number n as the prompt shows it.
func promptPassage(n int, p retrieval.Passage) prompts.Passage {
	pp := prompts.Passage{
		N: n, ID: p.ID, Story: p.Title, Publication: p.Publication,
		Paragraph: p.Paragraph, Text: p.Text,
	}
	for _, q := range p.Quotes {
		pp.Quotes = append(pp.Quotes, prompts.Quote{
			Text: q.Text, Speaker: q.Speaker, Role: q.Role, Via: q.Via, Direct: q.Direct,
		})
	}
	return pp
}

// replyText is the text of the model's reply, or why there is none worth
// verifying.
func replyText(resp openai.ChatCompletionResponse) (string, error) {
	if len(resp.Choices) == 0 {
		return "", errors.New("the reply has no choices")
	}
	c := resp.Choices[0]
	switch c.FinishReason {
	case openai.FinishReasonContentFilter:
		return "", errors.New("the reply was withheld by the content filter")
	case openai.FinishReasonLength:
		// A cut-off answer may end mid-quotation or miss its dispute.
		return "", errors.New("the reply was cut off at the token limit")
	}
	text := strings.TrimSpace(c.Message.Content)
	if text == "" {
		if c.Message.Refusal != "" {
			return "", fmt.Errorf("the model declined: %s", shortText(c.Message.Refusal))
		}
		return "", errors.New("the reply is empty")
	}
	if len(text) > maxReplyBytes {
		return "", fmt.Errorf("the reply is %d bytes long, more than the %d an answer may be", len(text), maxReplyBytes)
	}
	return text, nil
}

// credits reports whether text already names the story and publication of
// every cited passage.
func credits(text string, cites []Citation) bool {
	folded := strings.ToLower(retrieval.Fold(text))
	for _, c := range cites {
		for _, name := range []string{c.Story, c.Publication} {
			if name != "" && !strings.Contains(folded, strings.ToLower(retrieval.Fold(name))) {
				return false
			}
		}
	}
	return true
}

// verifyReport says, for operators, what verification changed; "" when
// every quotation was verbatim.
func verifyReport(v verification) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{
		{v.Mended, "mended to the story's words"},
		{v.Recited, "re-cited to the passage that holds it"},
		{v.Removed, "removed as unverifiable"},
	} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s %s", p.n, text.Plural(p.n, "quotation", "quotations"), p.what))
		}
	}
	if v.BadRefs > 0 {
		parts = append(parts, fmt.Sprintf("%d %s of passages not given removed", v.BadRefs, text.Plural(v.BadRefs, "citation", "citations")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "verified the model's answer: " + strings.Join(parts, "; ")
}

// shortText is s on one line, cut to 120 characters: a model's refusal or
// an error, told in a note.
func shortText(s string) string {
	return text.Truncate(strings.Join(strings.Fields(s), " "), 120)
}
