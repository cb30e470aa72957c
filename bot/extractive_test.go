package bot

import (
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// A quotation of several sentences is split by the sentence splitter; each
// sentence of it is the quotation's speaker's.
func TestInsideQuotation(t *testing.T) {
	q := retrieval.Quote{
		Text:     "Automation is coming to every big port. The fight is over who shares in the savings,",
		Sentence: "“Automation is coming to every big port. The fight is over who shares in the savings,” said Priya Raghunathan, a professor.",
		Speaker:  "Priya Raghunathan", Direct: true,
	}
	tests := []struct {
		sentence string
		want     bool
	}{
		{"“Automation is coming to every big port.", true},
		{"The fight is over who shares in the savings,” said Priya Raghunathan, a professor.", true},
		{"Economists said the dispute reflected a broader tension.", false}, // not inside the quotation's sentence
		{"“Automation is coming.", false},                                   // too few words to tell
	}
	for _, tt := range tests {
		if got := insideQuotation(tt.sentence, q); got != tt.want {
			t.Errorf("insideQuotation(%q) = %v, want %v", tt.sentence, got, tt.want)
		}
	}
	reported := q
	reported.Direct = false
	if insideQuotation("“Automation is coming to every big port.", reported) {
		t.Error("a reported claim's sentences counted as a quotation's")
	}
}
