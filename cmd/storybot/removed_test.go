package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWithAnswersRemoved(t *testing.T) {
	src := t.TempDir()
	story := "Rivers\n\nThe Nile is long.\n\nThe Amazon carries the most water.\n\nThe Danube flows through Vienna.\n\nThe Rhine ends in the North Sea.\n\nThe Thames is tidal.\n\nThe Volga drains into the Caspian.\n"
	if err := os.WriteFile(filepath.Join(src, "rivers.txt"), []byte(story), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "rivers.json"), []byte(`{"publication": "Test"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	item := func(id string, p int, answerable bool, answers ...string) evalItem {
		return evalItem{ID: id, Story: "rivers", Paragraph: p, Answerable: answerable, Answers: answers}
	}
	items := []evalItem{
		item("kept", 2, true, "the most water"),
		item("kept-late", 5, true, "tidal"),
		item("cut", 3, true, "Vienna"),
		item("cut-but-elsewhere", 6, true, "the Caspian", "Nile"), // "Nile" is still in ¶1
		item("unanswerable", 1, false),
		{ID: "other-format", Question: "q", Answerable: true, Evidence: []string{"x"}},
	}
	dst := filepath.Join(t.TempDir(), "stories")
	got, err := withAnswersRemoved(src, dst, items)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]evalItem{
		"kept":      {Answerable: true, Paragraph: 2},
		"kept-late": {Answerable: true, Paragraph: 4},
		"cut":       {Answerable: false, Kind: kindAnswerRemoved},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items %+v, want %d", len(got), got, len(want))
	}
	for _, it := range got {
		w, ok := want[it.ID]
		if !ok || it.Answerable != w.Answerable || it.Paragraph != w.Paragraph || it.Kind != w.Kind {
			t.Errorf("%s: got answerable %v ¶%d kind %q, want %+v", it.ID, it.Answerable, it.Paragraph, it.Kind, w)
		}
	}
	b, err := os.ReadFile(filepath.Join(dst, "rivers.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"Danube", "Volga"} {
		if strings.Contains(string(b), gone) {
			t.Errorf("the cut story still has %s:\n%s", gone, b)
		}
	}
	if !strings.HasPrefix(string(b), "Rivers\n\nThe Nile") {
		t.Errorf("the cut story lost its title or first paragraph:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(dst, "rivers.json")); err != nil {
		t.Errorf("sidecar not copied: %v", err)
	}
	if _, err := withAnswersRemoved(t.TempDir(), dst, items); err == nil {
		t.Error("a missing story file gave no error")
	}
}
