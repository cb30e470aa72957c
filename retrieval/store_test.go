package retrieval_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// countingEmbedder wraps an embedder and counts what it is asked to embed.
type countingEmbedder struct {
	retrieval.Embedder
	calls, inputs atomic.Int64
	fail          atomic.Bool
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.fail.Load() {
		return nil, context.DeadlineExceeded
	}
	c.calls.Add(1)
	c.inputs.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func mustOpen(t *testing.T, dir string, e retrieval.Embedder) *retrieval.Index {
	t.Helper()
	ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return ix
}

func mustUpdate(t *testing.T, ix *retrieval.Index, ps []retrieval.Passage) retrieval.UpdateStats {
	t.Helper()
	st, err := ix.Update(context.Background(), ps)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return st
}

// openAIEmbedder is the real OpenAI embedder pointed at the fake.
func openAIEmbedder(f *fakeOpenAI, batch int) *retrieval.OpenAIEmbedder {
	return testEmbedder(f, retrieval.OpenAIEmbedderOptions{BatchSize: batch})
}

func TestIndexOpenAIRequestCounts(t *testing.T) {
	const batch = 8
	fake := newFakeOpenAI(t, fakeOptions{Model: "fake-embed", MaxInputs: batch})
	dir := t.TempDir()
	ps := retrieval.Passages(defaultStory(t)) // 19 passages

	ix := mustOpen(t, dir, openAIEmbedder(fake, batch))
	st := mustUpdate(t, ix, ps)
	if got, want := fake.Requests(), (len(ps)+batch-1)/batch; got != want {
		t.Errorf("first index: %d requests, want ceil(%d/%d) = %d", got, len(ps), batch, want)
	}
	if st.Embedded != len(ps) || st.Added != len(ps) {
		t.Errorf("first index stats = %+v", st)
	}

	// Nothing changed: no request at all, in this process or a new one.
	mustUpdate(t, ix, ps)
	ix2 := mustOpen(t, dir, openAIEmbedder(fake, batch))
	st = mustUpdate(t, ix2, ps)
	if got := fake.Requests(); got != 3 {
		t.Errorf("unchanged reindex: %d requests in all, want still 3", got)
	}
	if st.Embedded != 0 || st.Reused != len(ps) {
		t.Errorf("unchanged reindex stats = %+v", st)
	}

	// One paragraph changed: exactly one input embedded.
	changed := append([]retrieval.Passage(nil), ps...)
	s := defaultStory(t)
	s.Paragraphs[4] += " An added sentence."
	changed = retrieval.Passages(s)
	before := fake.Inputs()
	st = mustUpdate(t, ix2, changed)
	if got := fake.Inputs() - before; got != 1 {
		t.Errorf("one changed paragraph: %d inputs embedded, want 1", got)
	}
	if st.Changed != 1 || st.Embedded != 1 {
		t.Errorf("one-change stats = %+v", st)
	}
	if p, _ := ix2.Passage("forward-iran-outreach#p5"); !strings.HasSuffix(p.Text, "An added sentence.") {
		t.Errorf("¶5 after update = %q", p.Text)
	}

	// A removed story disappears.
	st = mustUpdate(t, ix2, changed[:10])
	if st.Removed != 9 || len(ix2.Passages()) != 10 {
		t.Errorf("removal stats = %+v, %d passages", st, len(ix2.Passages()))
	}
}

func TestIndexReloadWithoutEmbedding(t *testing.T) {
	dir := t.TempDir()
	ps := retrieval.Passages(defaultStory(t))
	e := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder()}
	mustUpdate(t, mustOpen(t, dir, e), ps)

	e2 := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder()}
	ix := mustOpen(t, dir, e2)
	if got := len(ix.Passages()); got != len(ps) {
		t.Fatalf("reloaded %d passages, want %d", got, len(ps))
	}
	if hits, err := ix.Search(context.Background(), "who organizes the conference in Athens", 3); err != nil || len(hits) != 3 {
		t.Fatalf("search on the reloaded index: %v, %v", hits, err)
	}
	e2.inputs.Store(0)
	st := mustUpdate(t, ix, ps)
	if e2.inputs.Load() != 0 || st.Embedded != 0 {
		t.Errorf("restart with unchanged corpus embedded %d texts", e2.inputs.Load())
	}
	got := ix.Passages()
	for i := range ps {
		if got[i].ID != ps[i].ID || got[i].Text != ps[i].Text || got[i].Hash != ps[i].Hash || len(got[i].Quotes) != len(ps[i].Quotes) {
			t.Errorf("passage %d did not survive the round trip: %+v", i, got[i])
		}
	}
}

// otherEmbedder is the local embedder under another name.
type otherEmbedder struct{ *retrieval.LocalEmbedder }

func (o otherEmbedder) Identity() retrieval.EmbedderIdentity {
	id := o.LocalEmbedder.Identity()
	id.Model += "-other"
	return id
}

func TestIndexEmbedderChangeRebuilds(t *testing.T) {
	dir := t.TempDir()
	ps := retrieval.Passages(defaultStory(t))
	mustUpdate(t, mustOpen(t, dir, retrieval.NewLocalEmbedder()), ps)

	e := &countingEmbedder{Embedder: otherEmbedder{retrieval.NewLocalEmbedder()}}
	ix := mustOpen(t, dir, e)
	if n := len(ix.Passages()); n != 0 {
		t.Errorf("an index built by another embedder was loaded (%d passages)", n)
	}
	st := mustUpdate(t, ix, ps)
	if st.Embedded != len(ps) {
		t.Errorf("rebuild embedded %d, want %d", st.Embedded, len(ps))
	}
	if got := ix.Info().Embedder.Model; !strings.HasSuffix(got, "-other") {
		t.Errorf("index records embedder %q", got)
	}
}

func TestIndexCorruptFolderRebuilds(t *testing.T) {
	ps := retrieval.Passages(defaultStory(t))
	tests := map[string]func(t *testing.T, dir string){
		"garbage file": func(t *testing.T, dir string) {
			mustUpdate(t, mustOpen(t, dir, retrieval.NewLocalEmbedder()), ps)
			writeFile(t, filepath.Join(dir, "storybot-index.gob"), "not a gob at all")
		},
		"truncated file": func(t *testing.T, dir string) {
			mustUpdate(t, mustOpen(t, dir, retrieval.NewLocalEmbedder()), ps)
			path := filepath.Join(dir, "storybot-index.gob")
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, path, string(raw[:len(raw)/2]))
		},
		"folder where the file should be": func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "storybot-index.gob", "x"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, corrupt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			corrupt(t, dir)
			ix := mustOpen(t, dir, retrieval.NewLocalEmbedder())
			if n := len(ix.Passages()); n != 0 {
				t.Fatalf("corrupt index served %d passages", n)
			}
			st, err := ix.Update(context.Background(), ps)
			if err != nil || st.Embedded != len(ps) || len(ix.Passages()) != len(ps) {
				t.Fatalf("rebuild: %+v, %v", st, err)
			}
			if name == "folder where the file should be" {
				return // cannot be written over; the index serves from memory
			}
			if n := len(mustOpen(t, dir, retrieval.NewLocalEmbedder()).Passages()); n != len(ps) {
				t.Errorf("rebuilt index reloads %d passages", n)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIndexFailedUpdateKeepsServing(t *testing.T) {
	ps := retrieval.Passages(defaultStory(t))
	e := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder()}
	ix := mustOpen(t, t.TempDir(), e)
	mustUpdate(t, ix, ps)

	s := defaultStory(t)
	s.Paragraphs[0] = "Changed text that must be embedded, but the embedder is down."
	e.fail.Store(true)
	if _, err := ix.Update(context.Background(), retrieval.Passages(s)); err == nil {
		t.Fatal("update with a failing embedder succeeded")
	}
	e.fail.Store(false)
	p, _ := ix.Passage("forward-iran-outreach#p1")
	if p.Text != ps[0].Text {
		t.Errorf("failed update changed the serving index: ¶1 = %q", p.Text)
	}
}

func TestSearchNeverAsksForMoreThanHeld(t *testing.T) {
	ix := mustOpen(t, "", retrieval.NewLocalEmbedder())
	if _, err := ix.Search(context.Background(), "anything", 5); err != retrieval.ErrEmptyIndex {
		t.Errorf("search of an empty index: %v, want ErrEmptyIndex", err)
	}
	ps := retrieval.Passages(defaultStory(t))[:2]
	mustUpdate(t, ix, ps)
	for _, mode := range []retrieval.Mode{retrieval.Hybrid, retrieval.Vector, retrieval.Lexical} {
		hits, err := ix.SearchMode(context.Background(), "Parsi book Iran", 50, mode)
		if err != nil {
			t.Fatalf("%s: k=50 over 2 passages: %v", mode, err)
		}
		if len(hits) > 2 {
			t.Errorf("%s: %d hits from 2 passages", mode, len(hits))
		}
	}
}

// Searches running while the corpus flips between two versions must always
// see one whole version: every hit of a search from the same version.
func TestConcurrentSearchDuringReindex(t *testing.T) {
	story := defaultStory(t)
	a := retrieval.Passages(story)
	for i := range story.Paragraphs {
		story.Paragraphs[i] = "[v2] " + story.Paragraphs[i]
	}
	b := retrieval.Passages(story)

	ix := mustOpen(t, t.TempDir(), retrieval.NewLocalEmbedder())
	mustUpdate(t, ix, a)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var searches atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				hits, err := ix.Search(context.Background(), "who said it was not an official overture", 10)
				if err != nil {
					t.Errorf("search during reindex: %v", err)
					return
				}
				v2 := 0
				for _, h := range hits {
					if strings.HasPrefix(h.Text, "[v2] ") {
						v2++
					}
				}
				if v2 != 0 && v2 != len(hits) {
					t.Errorf("a search saw a mix: %d of %d hits from v2", v2, len(hits))
					return
				}
				searches.Add(1)
			}
		}()
	}
	for i := 0; i < 20 && ctx.Err() == nil; i++ {
		next := b
		if i%2 == 1 {
			next = a
		}
		if _, err := ix.Update(context.Background(), next); err != nil {
			t.Errorf("reindex %d: %v", i, err)
		}
	}
	cancel()
	wg.Wait()
	if searches.Load() == 0 {
		t.Error("no search ran")
	}
}
