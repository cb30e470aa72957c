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

func TestSentenceNames(t *testing.T) {
	tests := []struct {
		sentence         string
		heads            []string
		named, mentioned bool
	}{
		{"It wanted the disbanding of an anti-Iranian militant group, the Mojahedin-e Khalq.", []string{"group"}, true, true},
		{"It wanted the disbanding of an anti-Iranian militant group.", []string{"group"}, false, true},
		// A name after a preposition is its object's, not the noun's.
		{"Iran would free three dual nationals held in Tehran's Evin prison.", []string{"nationals"}, false, true},
		{"It is a new book by Trita Parsi.", []string{"book"}, false, true},
		// A people's adjective says whose they are; a name before "as" is a name.
		{"It sought the release of two American aid workers.", []string{"workers"}, false, true},
		{"Malcolm surrendered his son Duncan as a hostage.", []string{"hostage"}, true, true},
		{"The talks were held in a hotel.", []string{"group"}, false, false},
	}
	for _, tt := range tests {
		named, mentioned := sentenceNames(tt.sentence, tt.heads, false, map[string]bool{"evin": true})
		if named != tt.named || mentioned != tt.mentioned {
			t.Errorf("sentenceNames(%q, %v) = %v, %v; want %v, %v", tt.sentence, tt.heads, named, mentioned, tt.named, tt.mentioned)
		}
	}
}

// A negated question's best sentence may quote someone whose next sentence
// carries on the quotation and holds the negation.
func TestQuotedWith(t *testing.T) {
	hit := retrieval.Hit{Passage: retrieval.Passage{ID: "s#p3"}}
	quote := retrieval.Quote{Direct: true, Text: "For too long we have told families the water is safe"}
	best := candidate{hit: hit, start: 0, text: "“For too long we have told families the water is safe,” said the mayor.", quotes: []retrieval.Quote{quote}}
	next := candidate{hit: hit, start: 80, text: "“That is not good enough.”"}
	later := candidate{hit: hit, start: 120, text: "“There will not be a lead pipe.”"}
	other := candidate{hit: retrieval.Hit{Passage: retrieval.Passage{ID: "s#p4"}}, start: 10, text: "“Nothing is not so.”"}
	if got := quotedWith(best, []candidate{later, other, best, next}); len(got) != 2 || got[1].text != next.text {
		t.Errorf("quotedWith(a quoting sentence) = %v, want it and the next sentence", got)
	}
	narration := candidate{hit: hit, start: 0, text: "The council voted on Monday."}
	if got := quotedWith(narration, []candidate{narration, next}); len(got) != 1 {
		t.Errorf("quotedWith(narration) = %v, want it alone", got)
	}
}

func TestOneStory(t *testing.T) {
	hit := func(story string, score float64) retrieval.Hit {
		return retrieval.Hit{Passage: retrieval.Passage{ID: story, Story: story}, Score: score}
	}
	tests := []struct {
		name string
		hits []retrieval.Hit
		want string
	}{
		{"one paragraph far ahead keeps its story",
			[]retrieval.Hit{hit("normans", 13.3), hit("eu-law", 5.0), hit("eu-law", 4.9), hit("eu-law", 4.8), hit("eu-law", 4.7)}, "normans"},
		{"several paragraphs close behind a stray first one win",
			[]retrieval.Hit{hit("stray", 10.0), hit("story", 9.8), hit("story", 9.7), hit("story", 9.6)}, "story"},
		{"a single story", []retrieval.Hit{hit("story", 1)}, "story"},
	}
	for _, tt := range tests {
		got := oneStory(tt.hits)
		if len(got) == 0 || got[0].Story != tt.want {
			t.Errorf("%s: oneStory kept %v, want %s", tt.name, got, tt.want)
		}
		for _, h := range got {
			if h.Story != tt.want {
				t.Errorf("%s: kept a hit of %s", tt.name, h.Story)
			}
		}
	}
	if got := oneStory(nil); len(got) != 0 {
		t.Errorf("oneStory(nil) = %v", got)
	}
}
