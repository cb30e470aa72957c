package retrieval_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/storybot/storybot/retrieval"
)

// Paragraphs shared word for word between passages with different hashes
// (two stories of one outlet ending with the same contact line, a split-off
// piece equal to a piece of another story) once broke the whole index with
// "passage … has a 0-dimension embedding": the vectors of the texts sent to
// the embedder were handed back by text to one hash only.
func TestSharedTextIndexes(t *testing.T) {
	const contact = "For more information, contact the newsroom at news@example.com or call 555-0100."
	sentence := "The committee met again on Thursday to review the harbour budget in detail. "
	long := strings.TrimSpace(strings.Repeat(sentence, 40))
	piece := retrieval.Passages(retrieval.Story{Slug: "x", Title: "x", Paragraphs: []string{long}})[1].Text

	tests := map[string]fstest.MapFS{
		"one paragraph in two stories": {
			"harbour.txt": file("Harbour Workers Strike\n\nDockworkers at the harbour walked out on Monday over pay, union leaders said.\n\n" + contact + "\n"),
			"council.txt": file("Council Approves Budget\n\nThe town council approved its budget on Tuesday after a long debate.\n\n" + contact + "\n"),
		},
		"a split-off piece equal to another story's paragraph": {
			"long.txt":  file("Committee Reviews Harbour Budget\n\n" + long + "\n\nThe review ends next week.\n"),
			"short.txt": file("Harbour Budget Notes\n\nA short note on the budget review, as reported earlier.\n\n" + piece + "\n"),
		},
		"a split-off piece equal to a paragraph of its own story": {
			"long.txt": file("Committee Reviews Harbour Budget\n\n" + long + "\n\n" + piece + "\n"),
		},
		"a paragraph repeated in one story": {
			"twice.txt": file("Council Approves Budget\n\n" + contact + "\n\nThe town council approved its budget on Tuesday after a long debate.\n\n" + contact + "\n"),
		},
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			e := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder()}
			ix := mustOpen(t, dir, e)
			res, err := ix.Reindex(context.Background(), src)
			if err != nil {
				t.Fatalf("Reindex: %v", err)
			}
			if len(res.Problems) != 0 {
				t.Errorf("problems: %v", res.Problems)
			}
			texts := map[string]bool{}
			for _, p := range ix.Passages() {
				texts[p.Text] = true
			}
			if res.Embedded != len(texts) || int(e.inputs.Load()) != len(texts) {
				t.Errorf("embedded %d texts (embedder saw %d), want each of the %d distinct texts once", res.Embedded, e.inputs.Load(), len(texts))
			}
			if res.Embedded+res.Reused > res.Passages {
				t.Errorf("stats add up to more than the passages: %+v", res.UpdateStats)
			}
			hits, err := ix.Search(context.Background(), "who do I contact for more information about the budget", 50)
			if err != nil || len(hits) != res.Passages {
				t.Fatalf("search: %d hits of %d passages, %v", len(hits), res.Passages, err)
			}
			// A fresh process loads it and embeds nothing more.
			e2 := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder()}
			ix2 := mustOpen(t, dir, e2)
			res2, err := ix2.Reindex(context.Background(), src)
			if err != nil || e2.inputs.Load() != 0 || res2.Reused != res2.Passages {
				t.Errorf("reload: %+v, embedded %d, %v", res2.UpdateStats, e2.inputs.Load(), err)
			}
		})
	}
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }
