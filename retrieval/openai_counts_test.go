package retrieval_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// withOneChange returns a copy of ps in which passage i has one sentence
// more and, as ingestion would give it, the SHA-256 of its new text.
func withOneChange(ps []retrieval.Passage, i int) []retrieval.Passage {
	out := slices.Clone(ps)
	out[i].Text += " An added sentence."
	sum := sha256.Sum256([]byte(out[i].Text))
	out[i].Hash = hex.EncodeToString(sum[:])
	return out
}

// fakeCounts is how many requests and inputs the fake has seen.
type fakeCounts struct{ requests, inputs int }

// countsOf reads the fake's counts so far.
func countsOf(f *fakeOpenAI) fakeCounts { return fakeCounts{f.Requests(), f.Inputs()} }

func (c fakeCounts) since(before fakeCounts) fakeCounts {
	return fakeCounts{c.requests - before.requests, c.inputs - before.inputs}
}

// TestOpenAIIndexRequestCounts checks what indexing a 1000-passage corpus
// costs in embedding calls, at the default batch size and others:
// ceil(N/B) requests the first time, none for an unchanged corpus (in the
// same process or after a restart), and one request of one input when one
// paragraph changed. TestIndexOpenAIRequestCounts checks the same on the
// 19-passage default story; BenchmarkIndexOpenAI reports these counts.
func TestOpenAIIndexRequestCounts(t *testing.T) {
	const n = 1000
	ps := syntheticPassages(t, n)
	for _, batch := range []int{0, 7, 100, 1000} {
		b := batch
		if b == 0 {
			b = retrieval.DefaultOpenAIBatchSize // 96
		}
		t.Run(fmt.Sprintf("B=%d", b), func(t *testing.T) {
			fake := newFakeOpenAI(t, fakeOptions{Model: "fake-embed", MaxInputs: b})
			dir := t.TempDir()
			check := func(what string, got, want fakeCounts) {
				t.Helper()
				if got != want {
					t.Errorf("%s: %d requests with %d inputs, want %d with %d", what, got.requests, got.inputs, want.requests, want.inputs)
				}
			}

			// (a) First index: ceil(N/B) requests, every passage once.
			ix := mustOpen(t, dir, openAIEmbedder(fake, batch))
			before := countsOf(fake)
			st := mustUpdate(t, ix, ps)
			check("first index", countsOf(fake).since(before), fakeCounts{(n + b - 1) / b, n})
			if st.Added != n || st.Embedded != n || st.Reused != 0 {
				t.Errorf("first index stats = %+v", st)
			}

			// (b) Unchanged reindex: nothing sent, in this process or after
			// a restart that loads the saved index.
			before = countsOf(fake)
			st = mustUpdate(t, ix, ps)
			check("unchanged reindex", countsOf(fake).since(before), fakeCounts{})
			if st.Embedded != 0 || st.Reused != n {
				t.Errorf("unchanged reindex stats = %+v", st)
			}
			ix = mustOpen(t, dir, openAIEmbedder(fake, batch))
			if got := len(ix.Passages()); got != n {
				t.Fatalf("restart loaded %d passages, want %d", got, n)
			}
			before = countsOf(fake)
			st = mustUpdate(t, ix, ps)
			check("unchanged reindex after a restart", countsOf(fake).since(before), fakeCounts{})
			if st.Embedded != 0 || st.Reused != n {
				t.Errorf("unchanged reindex after a restart: stats = %+v", st)
			}

			// (c) One paragraph changed: one request of one input.
			changed := withOneChange(ps, n/2)
			before = countsOf(fake)
			st = mustUpdate(t, ix, changed)
			check("one changed paragraph", countsOf(fake).since(before), fakeCounts{1, 1})
			if st.Changed != 1 || st.Embedded != 1 || st.Reused != n-1 {
				t.Errorf("one changed paragraph: stats = %+v", st)
			}
			if bodies := fake.Bodies(); !slices.Equal(bodies[len(bodies)-1].Input, []string{changed[n/2].Text}) {
				t.Errorf("one changed paragraph: sent %q, want only the changed text", bodies[len(bodies)-1].Input)
			}
		})
	}
}
