package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/retrieval"
)

// firstSentenceChat is a well-behaved model: it quotes the first sentence
// of passage [1] word for word, inside “…”, with the quotation marks
// inside it as the story has them or, when single is set, turned into
// single marks as style guides ask.
type firstSentenceChat struct{ single bool }

var passageOneRe = regexp.MustCompile(`(?s)<passage n="1">.*?\ntext:\n(.*?)\n</passage>`)

func (c firstSentenceChat) CreateChatCompletion(_ context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	user := req.Messages[len(req.Messages)-1].Content
	m := passageOneRe.FindStringSubmatch(user)
	text := ""
	if m != nil {
		text = m[1]
		if ss := retrieval.Sentences(text); len(ss) > 0 {
			text = ss[0].Text
		}
	}
	if c.single {
		text = strings.NewReplacer("“", "‘", "”", "’").Replace(text)
	}
	reply := "The story says: “" + text + "” [1]."
	return openai.ChatCompletionResponse{Choices: []openai.ChatCompletionChoice{{
		Message: openai.ChatCompletionMessage{Role: "assistant", Content: reply}, FinishReason: openai.FinishReasonStop,
	}}}, nil
}

// setQuestions reads the answerable questions of the question sets.
func setQuestions(t *testing.T) []string {
	t.Helper()
	var qs []string
	for _, name := range []string{"dev", "probe", "holdout"} {
		qs = append(qs, answerableIn(t, "../cmd/storybot/testdata/"+name+".jsonl")...)
	}
	return qs
}

func answerableIn(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it struct {
			Question   string `json:"question"`
			Answerable bool   `json:"answerable"`
		}
		if json.Unmarshal(sc.Bytes(), &it) == nil && it.Answerable {
			qs = append(qs, it.Question)
		}
	}
	return qs
}

// TestNestedQuotationsKeepAFaithfulAnswer: a model that quotes a sentence
// holding a quotation of its own keeps its answer, whether it keeps the
// inner marks or turns them into single ones.
func TestNestedQuotationsKeepAFaithfulAnswer(t *testing.T) {
	qs := setQuestions(t)
	for _, single := range []bool{false, true} {
		e := &Engine{Index: mustIndex(t), Chat: firstSentenceChat{single: single}, Model: "m"}
		lost := 0
		for _, q := range qs {
			a, err := e.Ask(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Refused {
				continue
			}
			if a.Mode != ModeLLM {
				lost++
				t.Logf("single=%v lost %q: %s", single, q, a.Note)
			}
		}
		if lost > 0 {
			t.Errorf("single marks %v: %d of %d faithful answers lost to verification", single, lost, len(qs))
		}
	}
}

func TestVerifyNestedQuotation(t *testing.T) {
	var p8 retrieval.Passage
	for _, p := range mustStoryPassages(t) {
		if p.Paragraph == 8 {
			p8 = p
		}
	}
	tests := []struct {
		name, reply, want string
	}{
		{"inner marks kept",
			"The story says: ““This doesn’t mean an official Iranian overture to the U.S. and Israel,” said Karim Sadjepour of the Carnegie Endowment for Peace in Washington.” [1]",
			"said Karim Sadjepour of the Carnegie Endowment for Peace in Washington"},
		{"a quotation closed with an opening mark by mistake",
			"Karim Sadjepour said “This doesn’t mean an official Iranian overture to the U.S. and Israel“ [1].",
			"This doesn’t mean an official Iranian overture to the U.S. and Israel"},
		{"curly marks inside a straight quotation",
			"Parsi quotes him: \"“This doesn’t mean an official Iranian overture to the U.S. and Israel,” said Karim Sadjepour of the Carnegie Endowment for Peace in Washington.\" [1]",
			"said Karim Sadjepour of the Carnegie Endowment for Peace in Washington"},
		{"two quotations side by side",
			"Sadjepour: “This doesn’t mean an official Iranian overture” [1], and Rezai was prone to “do his own thing” [1].",
			"do his own thing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifyAnswer(tt.reply, []retrieval.Passage{p8})
			if v.Removed != 0 || len(v.Citations) == 0 {
				t.Fatalf("verified %+v; want every quotation kept", v)
			}
			found := false
			for _, c := range v.Citations {
				found = found || strings.Contains(c.Quote, tt.want)
			}
			if !found {
				t.Errorf("citations %+v; want one quoting %q", v.Citations, tt.want)
			}
		})
	}
}
