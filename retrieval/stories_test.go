package retrieval_test

import (
	"context"
	"slices"
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
	ix := indexOf(t, fsys)
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
	ix := indexOf(t, fsys)
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

// Within its story, the story's subject ("fire", in every paragraph) weighs
// less than a word few of its paragraphs use ("evacuate"), and less than
// among all the stories loaded.
func TestForStoryWeighsWithinTheStory(t *testing.T) {
	fsys := fstest.MapFS{
		"fire.txt": {Data: []byte("Fire Burns North of Town\n\n" +
			"The fire burned 500 acres of dry brush and timber on Sunday, according to the state forestry department, which said hot winds had pushed it across two ridges overnight.\n\n" +
			"The fire forced officials to evacuate 900 residents from three hillside communities, and the county opened a shelter at the high school gymnasium for families with nowhere to go.\n\n" +
			"The fire was 5 percent contained by Sunday evening, and more than 600 firefighters, backed by air tankers and bulldozers, were working to cut lines along its eastern flank.\n\n" +
			"Forecasters said the fire could grow again on Monday, when gusts of up to 40 miles an hour were expected to return to the foothills after a brief overnight lull.\n")},
		"port.txt": {Data: []byte("Dock Strike Goes On\n\n" +
			"Dockworkers said on Monday that they would evacuate the container terminal if the port authority asked them to, but that the strike over pensions would go on until the company returned to the table.\n\n" +
			"The union and the company met again on Tuesday for four hours without reaching an agreement, and no new talks were scheduled, according to people familiar with the negotiations.\n")},
	}
	ix := indexOf(t, fsys)
	m := ix.Matcher("how many people did the fire evacuate")
	weight := func(m *retrieval.Matcher, stem string) float64 {
		for i, w := range m.Terms() {
			if w == stem {
				return m.Weights()[i]
			}
		}
		t.Fatalf("no term %q in %v", stem, m.Terms())
		return 0
	}
	local := ix.ForStory(m, "fire")
	if weight(local, "fire") >= weight(local, "evacu") {
		t.Errorf("within the fire story, fire weighs %.3f and evacuate %.3f; want fire lighter",
			weight(local, "fire"), weight(local, "evacu"))
	}
	if weight(local, "fire") >= weight(m, "fire") {
		t.Errorf("fire weighs %.3f within its story and %.3f among all; want it lighter within", weight(local, "fire"), weight(m, "fire"))
	}
	fire := ix.StoryPassages("fire")
	if len(fire) != 4 || slices.ContainsFunc(fire, func(p retrieval.Passage) bool { return p.Story != "fire" }) {
		t.Errorf("StoryPassages(fire) = %d passages %+v; want the story's 4", len(fire), fire)
	}
	if got := ix.StoryPassages("nowhere"); len(got) != 0 {
		t.Errorf("StoryPassages of a story not loaded = %+v", got)
	}
	if got := ix.ForStory(m, "nowhere"); got != m {
		t.Error("ForStory of a story not loaded changed the matcher")
	}
}

// indexOf is an in-memory index of the stories in fsys, local embedder.
func indexOf(t *testing.T, fsys fstest.MapFS) *retrieval.Index {
	t.Helper()
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reindex(context.Background(), fsys); err != nil {
		t.Fatal(err)
	}
	return ix
}
