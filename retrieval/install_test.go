package retrieval_test

import (
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
)

// TestInstall puts an index built elsewhere, vectors and all, into
// another index: it serves the same passages, searches alike without
// embedding a passage, and survives a reopen from its folder.
func TestInstall(t *testing.T) {
	e := retrieval.NewLocalEmbedder()
	src, err := retrieval.Open(retrieval.Options{Embedder: e})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Reindex(t.Context(), data.FS); err != nil {
		t.Fatal(err)
	}
	ps := src.Passages()
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.Text
	}
	vecs, err := e.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	dst, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
	if err != nil {
		t.Fatal(err)
	}
	built := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	if err := dst.Install(t.Context(), ps, vecs, e.Identity(), built); err != nil {
		t.Fatal(err)
	}
	if got := dst.Info(); got.Passages != len(ps) || !got.BuiltAt.Equal(built) {
		t.Errorf("Info = %+v, want %d passages built %s", got, len(ps), built)
	}
	q := "who said it wasn't an official overture?"
	want, err := src.Search(t.Context(), q, 3)
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.Search(t.Context(), q, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Errorf("hit %d: installed index gives %s, built one %s", i, got[i].ID, want[i].ID)
		}
	}
	re, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
	if err != nil {
		t.Fatal(err)
	}
	if len(re.Passages()) != len(ps) {
		t.Errorf("reopened: %d passages, want %d", len(re.Passages()), len(ps))
	}

	for _, c := range []struct {
		name string
		ps   []retrieval.Passage
		vecs [][]float32
		id   retrieval.EmbedderIdentity
		want string
	}{
		{"short", ps, vecs[1:], e.Identity(), "vectors for"},
		{"other embedder", ps, vecs, retrieval.EmbedderIdentity{Kind: "openai", Model: "m"}, "embedder"},
		{"twice", append(ps[:1:1], ps[0]), vecs[:2], e.Identity(), "twice"},
		{"dims", ps[:1], [][]float32{{1, 2}}, e.Identity(), "dimension"},
	} {
		err := dst.Install(t.Context(), c.ps, c.vecs, c.id, built)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Install = %v, want an error about %q", c.name, err, c.want)
		}
	}
	if len(dst.Passages()) != len(ps) {
		t.Error("a failed Install changed the serving index")
	}
}
