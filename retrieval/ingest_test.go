package retrieval_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
)

// defaultStory loads the story embedded in the binary.
func defaultStory(t testing.TB) retrieval.Story {
	t.Helper()
	stories, errs := retrieval.LoadStories(data.FS)
	if len(errs) > 0 || len(stories) != 1 {
		t.Fatalf("LoadStories(data.FS) = %d stories, errors %v; want 1 story", len(stories), errs)
	}
	return stories[0]
}

// bodyLines returns the non-empty lines strictly between from and to.
func bodyLines(t *testing.T, text, from, to string) []string {
	t.Helper()
	var out []string
	in := false
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == from:
			in = true
		case l == to:
			return out
		case in && l != "":
			out = append(out, l)
		}
	}
	t.Fatalf("no %q … %q block", from, to)
	return nil
}

func TestDefaultStoryChromeRemoved(t *testing.T) {
	raw, err := data.FS.ReadFile("forward-iran-outreach.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	const title = "Book Reveals Details of Iran’s Diplomatic Outreach to Israel"
	body := bodyLines(t, text, title, "Republish This Story")
	if len(body) != 19 {
		t.Fatalf("test setup: %d body lines, want 19", len(body))
	}

	s := defaultStory(t)
	if s.Title != title {
		t.Errorf("Title = %q, want %q", s.Title, title)
	}
	if s.Publication != "The Forward" {
		t.Errorf("Publication = %q, want The Forward", s.Publication)
	}
	if s.URL != "" || s.Author != "" {
		t.Errorf("URL, Author = %q, %q; the source gives neither", s.URL, s.Author)
	}
	if len(s.Paragraphs) != 19 {
		t.Fatalf("got %d paragraphs, want 19", len(s.Paragraphs))
	}
	for i, want := range body {
		if s.Paragraphs[i] != want {
			t.Errorf("¶%d = %.60q…, want %.60q…", i+1, s.Paragraphs[i], want)
		}
	}

	passages := retrieval.Passages(s)
	if len(passages) != 19 {
		t.Fatalf("got %d passages, want 19", len(passages))
	}
	bodySet := map[string]bool{}
	for _, b := range body {
		bodySet[b] = true
	}
	// Every line of the file that is not body text is chrome (or the
	// headline) and must be in no passage.
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || bodySet[l] {
			continue
		}
		for _, p := range passages {
			// One-word chrome ("News") may well be a word of the story
			// ("Newsweek"); longer lines must not appear at all.
			if p.Text == l || (len(strings.Fields(l)) > 1 && strings.Contains(p.Text, l)) {
				t.Errorf("chrome line %.50q is in passage %s", l, p.ID)
			}
		}
	}
	for i, p := range passages {
		wantID := "forward-iran-outreach#p" + itoa(i+1)
		if p.ID != wantID || p.Paragraph != i+1 || p.Text != body[i] {
			t.Errorf("passage %d = %s ¶%d, want %s ¶%d with the body text", i, p.ID, p.Paragraph, wantID, i+1)
		}
		if p.Title != title || p.Publication != "The Forward" || len(p.Hash) != 32 {
			t.Errorf("passage %s metadata = %q, %q, hash %q", p.ID, p.Title, p.Publication, p.Hash)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPassagesStable(t *testing.T) {
	a := retrieval.Passages(defaultStory(t))
	b := retrieval.Passages(defaultStory(t))
	if len(a) != len(b) {
		t.Fatalf("two runs: %d and %d passages", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Hash != b[i].Hash {
			t.Errorf("passage %d: %s/%s then %s/%s", i, a[i].ID, a[i].Hash, b[i].ID, b[i].Hash)
		}
	}
	// The hash is of the content alone: fixed across machines.
	if got, want := a[7].ID, "forward-iran-outreach#p8"; got != want {
		t.Errorf("¶8 id = %s, want %s", got, want)
	}
}

func TestLoadStoriesShapes(t *testing.T) {
	stories, errs := retrieval.LoadStories(os.DirFS("testdata/stories"))
	bySlug := map[string]retrieval.Story{}
	for _, s := range stories {
		bySlug[s.Slug] = s
	}
	tests := []struct {
		slug, title, publication, author string
		first, last                      string // prefixes of the first and last paragraph
		paragraphs                       int
	}{
		{"harbor-strike", "Dockworkers Walk Out as Port Talks Collapse", "The Coastal Ledger", "Maria Delgado",
			"Hundreds of dockworkers", "Economists were divided.", 4},
		{"plain-lines", "Town Votes to Keep Its Last Library Open", "", "",
			"The town council voted", "The library will cut", 3},
		{"notes", "River Cleanup Draws Record Crowd", "The Valley Courier", "Sam Lee",
			"More than four hundred volunteers pulled trash from the Cedar River on Saturday", "Volunteers found three", 3},
		{"web-page", "Bridge Reopens After Two-Year Repair", "The Daily Span", "",
			"The Harlow Street bridge", "The city plans", 4},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			s, ok := bySlug[tt.slug]
			if !ok {
				t.Fatalf("story %s not loaded (errors: %v)", tt.slug, errs)
			}
			if !strings.Contains(s.Title, tt.title) {
				t.Errorf("Title = %q, want %q", s.Title, tt.title)
			}
			if s.Publication != tt.publication {
				t.Errorf("Publication = %q, want %q", s.Publication, tt.publication)
			}
			if tt.author != "" && s.Author != tt.author {
				t.Errorf("Author = %q, want %q", s.Author, tt.author)
			}
			if len(s.Paragraphs) != tt.paragraphs {
				t.Fatalf("got %d paragraphs %q, want %d", len(s.Paragraphs), s.Paragraphs, tt.paragraphs)
			}
			if !strings.HasPrefix(s.Paragraphs[0], tt.first) || !strings.HasPrefix(s.Paragraphs[len(s.Paragraphs)-1], tt.last) {
				t.Errorf("paragraphs = %q", s.Paragraphs)
			}
			for _, p := range s.Paragraphs {
				for _, chrome := range []string{"Advertisement", "Share this", "Copyright", "browser", "Subscribe", "Related", "](", "*"} {
					if strings.Contains(p, chrome) {
						t.Errorf("paragraph holds chrome %q: %q", chrome, p)
					}
				}
			}
		})
	}
}

func TestLoadStoriesBrokenFiles(t *testing.T) {
	_, errs := retrieval.LoadStories(os.DirFS("testdata/stories"))
	for _, name := range []string{"broken-binary.txt", "empty.txt", "latin1.txt", "no-paragraphs.txt"} {
		found := false
		for _, err := range errs {
			if strings.Contains(err.Error(), name) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error names %s; errors: %v", name, errs)
		}
	}
}

func TestLoadStoriesHugeFile(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// A sparse 50 MB file: refused by its size, never read.
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(dir, "fine.txt"), []byte("A Fine Headline Here\n\nThis is the only paragraph of a short story, and it is long enough to read as prose.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stories, errs := retrieval.LoadStories(os.DirFS(dir))
	if len(stories) != 1 || stories[0].Slug != "fine" {
		t.Errorf("stories = %v, want the fine one", stories)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "huge.txt") {
		t.Errorf("errors = %v, want one naming huge.txt", errs)
	}
}

func TestLongParagraphSplitAtSentences(t *testing.T) {
	sentence := "The committee met again on Thursday to review the budget in detail. "
	long := strings.Repeat(sentence, 40)
	s := retrieval.Story{Slug: "long", Title: "Long", Paragraphs: []string{"Short one.", strings.TrimSpace(long)}}
	ps := retrieval.Passages(s)
	if len(ps) < 3 {
		t.Fatalf("got %d passages, want the long paragraph split", len(ps))
	}
	var joined []string
	for _, p := range ps[1:] {
		if len(p.Text) > retrieval.MaxPassageBytes {
			t.Errorf("%s is %d bytes, over the limit", p.ID, len(p.Text))
		}
		if p.Paragraph != 2 || !strings.HasPrefix(p.ID, "long#p2.") {
			t.Errorf("split passage %s has paragraph %d", p.ID, p.Paragraph)
		}
		if !strings.HasSuffix(p.Text, ".") {
			t.Errorf("%s does not end at a sentence: …%q", p.ID, p.Text[len(p.Text)-20:])
		}
		joined = append(joined, p.Text)
	}
	if strings.Join(joined, " ") != strings.TrimSpace(long) {
		t.Error("the parts do not add up to the paragraph")
	}
}
