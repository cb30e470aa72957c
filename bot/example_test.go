package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

func TestExampleQuestion(t *testing.T) {
	q := func(speaker string) retrieval.Quote { return retrieval.Quote{Speaker: speaker, Direct: true} }
	tests := []struct {
		name     string
		passages []retrieval.Passage
		want     string
	}{
		{"nothing loaded", nil, ""},
		{"no one quoted by name", []retrieval.Passage{{Quotes: []retrieval.Quote{q("analysts"), q(""), q("a Corvane director"), q("Parsi")}}}, ""},
		{"most quoted wins", []retrieval.Passage{
			{Quotes: []retrieval.Quote{q("Ann Lee"), q("Bo Chen")}},
			{Quotes: []retrieval.Quote{q("Bo Chen")}},
		}, "what did Bo Chen say?"},
		{"a tie goes to the first quoted", []retrieval.Passage{
			{Quotes: []retrieval.Quote{q("Ann Lee"), q("Bo Chen")}},
		}, "what did Ann Lee say?"},
		{"organisations and publications are no one's name", []retrieval.Passage{
			{Quotes: []retrieval.Quote{q("European Union"), q("European Union"), q("The Wall Street Journal"), q("NATO"), q("Ludwig van Beethoven")}},
		}, "what did Ludwig van Beethoven say?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.ExampleQuestion(tt.passages); got != tt.want {
				t.Errorf("ExampleQuestion = %q, want %q", got, tt.want)
			}
		})
	}
}

// The prompt to ask something names the loaded story's own speaker, not
// the default story's.
func TestEmptyPromptExampleFromLoadedStory(t *testing.T) {
	b, err := os.ReadFile("../cmd/storybot/testdata/corpus/port-calder-dock-strike.txt")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.Open(retrieval.Options{Dir: t.TempDir(), Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reindex(context.Background(), fstest.MapFS{"port-calder-dock-strike.txt": {Data: b}}); err != nil {
		t.Fatal(err)
	}
	e := &bot.Engine{Index: ix}
	const want = "what did Odalys Brennan say?"
	if got := e.Example(); got != want {
		t.Errorf("Example = %q, want %q", got, want)
	}
	a := mustAsk(t, e, "?")
	if !a.Refused || !strings.Contains(a.Answer, want) || strings.Contains(a.Answer, "overture") {
		t.Errorf("empty prompt = %q, want it to suggest %q", a.Answer, want)
	}
	// The example is a question the story answers, with the speaker it names.
	a = mustAsk(t, e, want)
	named := false
	for _, c := range a.Citations {
		named = named || c.Speaker == "Odalys Brennan"
	}
	if a.Refused || !named {
		t.Errorf("Ask(%q) = refused %v, citations %+v", want, a.Refused, a.Citations)
	}
}

// Over the default story the example is one of its speakers.
func TestEmptyPromptExampleDefaultStory(t *testing.T) {
	a := mustAsk(t, newEngine(t), "")
	if !strings.HasPrefix(a.Answer, "Ask me a question about the story. For example: what did ") {
		t.Errorf("empty prompt = %q", a.Answer)
	}
}
