package retrieval_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/storybot/storybot/retrieval"
)

// FuzzSidecar loads a good story beside an arbitrary sidecar: the story
// always loads, a sidecar that is not a JSON object of strings is reported
// by name, and the metadata is the sidecar's only when it was read.
func FuzzSidecar(f *testing.F) {
	for _, s := range []string{
		`{"publication": "The Harbour Gazette", "title": "A Title"}`, `{"publication": 5}`, `{not json`, ``, `null`, `[]`,
		`{"title": ["a"]}`, `{"url": "\u0000\ud800"}`, "\xff\xfe", `{"publication": "x", "publication": "y"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sidecar string) {
		src := fstest.MapFS{"story.txt": file(goodStory), "story.json": file(sidecar)}
		stories, errs := retrieval.LoadStories(src)
		if len(stories) != 1 {
			t.Fatalf("the story did not load: %v", errs)
		}
		for _, err := range errs {
			if !strings.Contains(err.Error(), "story.json") {
				t.Errorf("an error that does not name the sidecar: %v", err)
			}
		}
		if len(errs) > 0 && stories[0].Publication != "" {
			t.Errorf("a rejected sidecar still set the publication %q", stories[0].Publication)
		}
	})
}

// FuzzParseStoryFormats feeds arbitrary bytes to each story format's
// reader: none may panic, and a story that loads has paragraphs.
func FuzzParseStoryFormats(f *testing.F) {
	f.Add("<html><body><article><h1>T</h1><p>Some text of a paragraph that is long enough.</p></article></body></html>", uint8(2))
	f.Add("---\ntitle: x\n---\n# Head\n\nA paragraph of text here.\n", uint8(1))
	f.Add("Head\n\nBody text.\n", uint8(0))
	f.Add("<meta charset=\"iso-8859-1\"><p>caf\xe9</p>", uint8(2))
	f.Fuzz(func(t *testing.T, data string, kind uint8) {
		name := []string{"f.txt", "f.md", "f.html"}[kind%3]
		s, err := retrieval.ParseStory(name, []byte(data), retrieval.Metadata{})
		if err != nil {
			return
		}
		if len(s.Paragraphs) == 0 || s.Slug == "" || s.Title == "" {
			t.Fatalf("%s loaded without paragraphs, slug or title: %+v", name, s)
		}
		_ = retrieval.Passages(s)
	})
}
