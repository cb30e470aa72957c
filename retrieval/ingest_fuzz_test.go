package retrieval_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
)

// FuzzParseStory feeds arbitrary text to ingestion, alone and as the body of
// a page with chrome around it. Ingestion must not panic, must return only
// text that is in the file, and must keep every prose paragraph of the body.
func FuzzParseStory(f *testing.F) {
	seed, _ := data.FS.ReadFile("forward-iran-outreach.txt")
	f.Add(string(seed))
	f.Add("Headline Here\n\nOne paragraph of prose that is long enough to count as prose.\n")
	f.Add("")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := retrieval.ParseStory("fuzz.txt", []byte(text), retrieval.Metadata{})
		if err == nil {
			folded := retrieval.Fold(text)
			for _, p := range s.Paragraphs {
				if !strings.Contains(folded, retrieval.Fold(p)) {
					t.Fatalf("paragraph %q is not in the input", p)
				}
			}
			_ = retrieval.Passages(s)
		}

		// As a body: every line made into a prose sentence must survive.
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			return
		}
		var body []string
		for _, line := range strings.Split(text, "\n") {
			words := strings.Fields(line)
			if len(words) == 0 {
				continue
			}
			p := "The council said " + strings.Join(words, " ") + " and the report was filed with the clerk on Monday."
			body = append(body, p)
		}
		if len(body) == 0 {
			return
		}
		page := "Skip To Content\nMENU\n\nCouncil Approves the New Budget Plan\n\n" + strings.Join(body, "\n\n") +
			"\n\nShare this story\nCopyright 2024 The Ledger\n"
		s, err = retrieval.ParseStory("page.txt", []byte(page), retrieval.Metadata{})
		if err != nil {
			t.Fatalf("page with %d body paragraphs: %v", len(body), err)
		}
		got := strings.Join(s.Paragraphs, "\n")
		for _, p := range body {
			if !strings.Contains(got, p) {
				t.Fatalf("body paragraph lost: %q\ngot %q", p, s.Paragraphs)
			}
		}
		for _, p := range s.Paragraphs {
			switch p {
			case "Share this story", "Copyright 2024 The Ledger", "Skip To Content", "MENU", "Council Approves the New Budget Plan":
				t.Fatalf("chrome kept: %q", p)
			}
		}
	})
}
