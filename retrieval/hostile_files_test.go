package retrieval_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// denyFS fails to open the named files, as a file the process may not read
// does (a test running as root could read a chmod 000 file).
type denyFS struct {
	fs.FS
	deny map[string]bool
}

func (d denyFS) Open(name string) (fs.File, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.FS.Open(name)
}

// Stat does not open the file: opening a named pipe blocks.
func (d denyFS) Stat(name string) (fs.FileInfo, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrPermission}
	}
	return fs.Stat(d.FS, name)
}

const goodStory = "Harbour Workers Strike Over Pay\n\nDockworkers at the harbour walked out on Monday over pay, union leaders said.\n\n" +
	"“We will stay out until the offer improves,” said Dana Reyes, the union's president.\n"

// hostileStoryDir writes a story folder holding good stories among every
// kind of bad file, and returns it with the reason each bad file must be
// reported for.
func hostileStoryDir(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	write("good.txt", goodStory)
	write("good.json", `{"publication": "The Harbour Gazette"}`)
	write("council.md", "# Council Approves Budget\n\nThe town council approved its budget on Tuesday after a long debate.\n")
	write("latin1-page.html", "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 Closes</title></head><body><article><h1>Caf\xe9 Closes</h1>"+
		"<p>The caf\xe9 on the corner closed on Friday after forty years, its owner said, and the street will miss it.</p>"+
		"<p>Regulars gathered outside to say goodbye to the staff and to each other.</p></article></body></html>")
	write("stray-byte.html", "<html><body><article><h1>Market Reopens</h1><p>The market reopened on Saturday \xff\xfe with twenty stalls and a band, the organisers said.</p>"+
		"<p>Traders said the crowd was larger than they had hoped for.</p></article></body></html>")
	write("run-on.txt", "A Very Long Line\n\n"+strings.Repeat("word ", 2<<20/5)+"\n")
	write("typed-sidecar.txt", strings.Replace(goodStory, "Harbour Workers", "Port Workers", 1)+"\nA second paragraph so the text differs.\n")
	write("typed-sidecar.json", `{"publication": 5, "title": ["a", "list"]}`)
	write("bad-sidecar.txt", "Ferry Service Cut\n\nThe ferry to the island will run twice a day from June, the operator said on Wednesday.\n")
	write("bad-sidecar.json", `{"publication": "The Ferry News"`)

	bad := map[string]string{
		"empty.txt":          "empty",
		"binary.txt":         "binary",
		"latin1.txt":         "not valid UTF-8",
		"huge.txt":           "limit",
		"loop-a.txt":         "symbolic links",
		"loop-b.txt":         "symbolic links",
		"dangling.txt":       "no such file",
		"unreadable.txt":     "permission denied",
		"saved-again.txt":    "the same story as",
		"good_.txt":          "already used by",
		"typed-sidecar.json": "indexed without it",
		"bad-sidecar.json":   "indexed without it",
	}
	write("empty.txt", "")
	write("binary.txt", "\x7fELF\x02\x01\x01\x00\x00\x00binary\x00\x00")
	write("latin1.txt", "Caf\xe9 Closes\n\nThe caf\xe9 closed on Friday after forty years.\n")
	f, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: refused by its size, never read
		t.Fatal(err)
	}
	f.Close()
	link("loop-b.txt", "loop-a.txt")
	link("loop-a.txt", "loop-b.txt")
	link("missing.txt", "dangling.txt")
	write("unreadable.txt", goodStory+"\nAnother paragraph.\n")
	write("saved-again.txt", goodStory)
	write("good_.txt", "Other\n\n"+strings.Repeat("Some other words. ", 10)+"\n")
	addFIFO(t, dir, bad)
	return dir, bad
}

func TestLoadStoriesHostileFiles(t *testing.T) {
	dir, bad := hostileStoryDir(t)
	src := denyFS{FS: os.DirFS(dir), deny: map[string]bool{"unreadable.txt": true}}
	stories, errs := retrieval.LoadStories(src)

	got := map[string]retrieval.Story{}
	for _, s := range stories {
		got[s.Slug] = s
	}
	for _, slug := range []string{"good", "council", "latin1-page", "stray-byte", "run-on", "typed-sidecar", "bad-sidecar"} {
		if _, ok := got[slug]; !ok {
			t.Errorf("good story %s not loaded; errors: %v", slug, errs)
		}
	}
	if len(stories) != 7 {
		t.Errorf("loaded %d stories, want 7", len(stories))
	}
	if p := got["good"].Publication; p != "The Harbour Gazette" {
		t.Errorf("good.json not applied: publication %q", p)
	}
	if s := got["latin1-page"]; !strings.Contains(strings.Join(s.Paragraphs, " "), "café") {
		t.Errorf("a Latin-1 page was not decoded: %q", s.Paragraphs)
	}
	for name, reason := range bad {
		found := false
		for _, err := range errs {
			if strings.Contains(err.Error(), name+":") && strings.Contains(err.Error(), reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error names %s with %q; errors:\n%v", name, reason, errors.Join(errs...))
		}
	}
	if len(errs) != len(bad) {
		t.Errorf("%d errors for %d bad files:\n%v", len(errs), len(bad), errors.Join(errs...))
	}

	// The whole folder indexes, and no passage is too long to embed.
	ix := mustOpen(t, t.TempDir(), retrieval.NewLocalEmbedder())
	res, err := ix.Reindex(context.Background(), src)
	if err != nil {
		t.Fatalf("Reindex: %v", err)
	}
	if res.Stories != 7 || len(res.Problems) != len(bad) {
		t.Errorf("reindex: %d stories, %d problems", res.Stories, len(res.Problems))
	}
	for _, p := range ix.Passages() {
		if len(p.Text) > retrieval.MaxPassageBytes {
			t.Errorf("%s is %d bytes", p.ID, len(p.Text))
		}
	}
	if hits, err := ix.Search(context.Background(), "who said they will stay out until the offer improves", 3); err != nil || len(hits) == 0 || hits[0].Story != "good" {
		t.Errorf("search: %v, %v", hits, err)
	}
}

// A single sentence longer than a passage (a run-on line) is cut between
// words, and the pieces still add up to the paragraph.
func TestRunOnSentenceSplit(t *testing.T) {
	tests := map[string]string{
		"words":    strings.TrimSpace(strings.Repeat("word ", 2000)),
		"no space": strings.Repeat("x", 5000),
		"runes":    strings.Repeat("é", 3000),
	}
	for name, para := range tests {
		t.Run(name, func(t *testing.T) {
			ps := retrieval.Passages(retrieval.Story{Slug: "s", Title: "S", Paragraphs: []string{para}})
			var b strings.Builder
			for _, p := range ps {
				if len(p.Text) > retrieval.MaxPassageBytes || len(p.Text) == 0 {
					t.Errorf("%s is %d bytes", p.ID, len(p.Text))
				}
				b.WriteString(p.Text)
			}
			if strings.ReplaceAll(b.String(), " ", "") != strings.ReplaceAll(para, " ", "") {
				t.Error("the pieces do not add up to the paragraph")
			}
		})
	}
}
