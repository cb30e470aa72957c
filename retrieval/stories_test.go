package retrieval_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/storybot/storybot/retrieval"
)

// Two stories share a paragraph shape ("the talks collapsed"); the question
// names the people of one of them, who appear only in its other paragraphs.
// The story the question is about must come first.
func TestSearchPrefersTheQuestionsStory(t *testing.T) {
	fsys := fstest.MapFS{
		"harbor.txt": {Data: []byte("Dockworkers End Strike at Port Calder\n\n" +
			"Union leader Odalys Brennan announced on Monday that dockworkers at Port Calder would return to work after a nine-day strike.\n\n" +
			"Brennan said the union had won a pay rise and new safety rules for night shifts at the container terminal.\n\n" +
			"Earlier in the week the talks collapsed when the port authority walked away from the table, and the cranes stood idle.\n")},
		"vienna.txt": {Data: []byte("Nuclear Talks Stall in Vienna\n\n" +
			"European negotiators met Iranian officials in Vienna on Tuesday to discuss limits on uranium enrichment.\n\n" +
			"The talks collapsed on Thursday when the delegations could not agree on the pace of sanctions relief.\n\n" +
			"Diplomats said a new round could begin next month if both capitals approve.\n")},
	}
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reindex(context.Background(), fsys); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, story string }{
		{"why did the talks with Brennan's union collapse?", "harbor"},
		{"why did the enrichment talks collapse?", "vienna"},
	} {
		hits, err := ix.Search(context.Background(), tt.q, 3)
		if err != nil {
			t.Fatal(err)
		}
		if hits[0].Story != tt.story {
			t.Errorf("Search(%q) first hit %s, want a passage of %s", tt.q, hits[0].ID, tt.story)
		}
	}
}

// A word a story writes in lower case somewhere ("river") is a common word
// even where it starts a name ("Charles River"); one it only capitalises
// ("Charles") is not.
func TestStoryWritesLower(t *testing.T) {
	fsys := fstest.MapFS{
		"boston.txt": {Data: []byte("Rowing on the Charles\n\n" +
			"Crews row on the Charles River every morning.\n\n" +
			"The river freezes in January, and “crews” then train indoors.\n")},
		"vienna.txt": {Data: []byte("Talks in Vienna\n\nThe talks went on by the Danube River.\n")},
	}
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reindex(context.Background(), fsys); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		story, word string
		want        bool
	}{
		{"boston", "river", true},
		{"boston", "charles", false},
		{"boston", "crews", true}, // after an opening quotation mark
		{"vienna", "river", false},
		{"nowhere", "river", false},
	} {
		if got := ix.StoryWritesLower(tt.story, tt.word); got != tt.want {
			t.Errorf("StoryWritesLower(%q, %q) = %v, want %v", tt.story, tt.word, got, tt.want)
		}
	}
}
