package retrieval

import (
	"slices"
	"strings"
	"testing"
)

// Planning an update: which passages are new, changed, reused or removed,
// and which texts go to the embedder, once each.
func TestPlanUpdate(t *testing.T) {
	p := func(id, hash, text string) Passage { return Passage{ID: id, Hash: hash, Text: text} }
	vec := func(x float32) []float32 { return []float32{x, 1} }
	a, b, c := p("s/1", "ha", "alpha"), p("s/2", "hb", "beta"), p("s/3", "hc", "gamma")
	tests := []struct {
		name      string
		passages  []Passage
		old       []Passage
		vectors   map[string][]float32 // the serving index's, by hash
		want      UpdateStats
		wantEmbed []string            // texts sent to the embedder, in order
		wantWait  map[string][]string // text → hashes given its vector
		wantErr   string
	}{
		{
			name:      "empty index: every passage is new",
			passages:  []Passage{a, b},
			want:      UpdateStats{Passages: 2, Added: 2},
			wantEmbed: []string{"alpha", "beta"},
			wantWait:  map[string][]string{"alpha": {"ha"}, "beta": {"hb"}},
		},
		{
			name:     "unchanged corpus reuses every vector",
			passages: []Passage{a, b},
			old:      []Passage{a, b},
			vectors:  map[string][]float32{"ha": vec(1), "hb": vec(2)},
			want:     UpdateStats{Passages: 2, Reused: 2},
		},
		{
			name:      "one passage added, one removed",
			passages:  []Passage{a, c},
			old:       []Passage{a, b},
			vectors:   map[string][]float32{"ha": vec(1), "hb": vec(2)},
			want:      UpdateStats{Passages: 2, Added: 1, Removed: 1, Reused: 1},
			wantEmbed: []string{"gamma"},
			wantWait:  map[string][]string{"gamma": {"hc"}},
		},
		{
			name:      "changed text under the same id is embedded again",
			passages:  []Passage{a, p("s/2", "hb2", "beta, revised")},
			old:       []Passage{a, b},
			vectors:   map[string][]float32{"ha": vec(1), "hb": vec(2)},
			want:      UpdateStats{Passages: 2, Changed: 1, Reused: 1},
			wantEmbed: []string{"beta, revised"},
			wantWait:  map[string][]string{"beta, revised": {"hb2"}},
		},
		{
			name:     "a passage moved to a new id keeps its vector by hash",
			passages: []Passage{a, p("s/9", "hb", "beta")},
			old:      []Passage{a, b},
			vectors:  map[string][]float32{"ha": vec(1), "hb": vec(2)},
			want:     UpdateStats{Passages: 2, Added: 1, Removed: 1, Reused: 2},
		},
		{
			name:     "changed hash whose vector is known (a change undone) is reused",
			passages: []Passage{p("s/1", "hb", "beta")},
			old:      []Passage{a, b},
			vectors:  map[string][]float32{"ha": vec(1), "hb": vec(2)},
			want:     UpdateStats{Passages: 1, Changed: 1, Removed: 1, Reused: 1},
		},
		{
			name:      "a stored passage without a readable vector is embedded again",
			passages:  []Passage{a, b},
			old:       []Passage{a, b},
			vectors:   map[string][]float32{"ha": vec(1)},
			want:      UpdateStats{Passages: 2, Reused: 1},
			wantEmbed: []string{"beta"},
			wantWait:  map[string][]string{"beta": {"hb"}},
		},
		{
			name:      "shared text under two hashes is embedded once for both",
			passages:  []Passage{p("x/1", "hx", "contact us"), p("y/1", "hy", "contact us"), b},
			want:      UpdateStats{Passages: 3, Added: 3},
			wantEmbed: []string{"contact us", "beta"},
			wantWait:  map[string][]string{"contact us": {"hx", "hy"}, "beta": {"hb"}},
		},
		{
			name:      "shared text under one hash (a repeated paragraph) is waited for once",
			passages:  []Passage{p("x/1", "hx", "contact us"), p("x/3", "hx", "contact us")},
			want:      UpdateStats{Passages: 2, Added: 2},
			wantEmbed: []string{"contact us"},
			wantWait:  map[string][]string{"contact us": {"hx"}},
		},
		{
			name:      "shared text where one hash is known embeds for the other only",
			passages:  []Passage{p("x/1", "hx", "contact us"), p("y/1", "hy", "contact us")},
			old:       []Passage{p("x/1", "hx", "contact us")},
			vectors:   map[string][]float32{"hx": vec(3)},
			want:      UpdateStats{Passages: 2, Added: 1, Reused: 1},
			wantEmbed: []string{"contact us"},
			wantWait:  map[string][]string{"contact us": {"hy"}},
		},
		{
			name:     "everything removed",
			old:      []Passage{a, b},
			vectors:  map[string][]float32{"ha": vec(1), "hb": vec(2)},
			want:     UpdateStats{Removed: 2},
			wantWait: map[string][]string{},
		},
		{
			name:     "an id twice is refused",
			passages: []Passage{a, p("s/1", "hz", "zeta")},
			want:     UpdateStats{Passages: 2},
			wantErr:  `passage id "s/1" appears twice`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := planUpdate(tt.passages, tt.old, tt.vectors)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("planUpdate: %v", err)
			}
			if plan.stats != tt.want {
				t.Errorf("stats = %+v, want %+v", plan.stats, tt.want)
			}
			if tt.wantErr != "" {
				return
			}
			if !slices.Equal(plan.embed, tt.wantEmbed) {
				t.Errorf("embed = %q, want %q", plan.embed, tt.wantEmbed)
			}
			if len(plan.waiting) != len(tt.wantWait) {
				t.Errorf("waiting = %q, want %q", plan.waiting, tt.wantWait)
			}
			for text, want := range tt.wantWait {
				if got := plan.waiting[text]; !slices.Equal(got, want) {
					t.Errorf("waiting[%q] = %q, want %q", text, got, want)
				}
			}
			wantNothing := tt.want.Added+tt.want.Changed+tt.want.Removed == 0 && len(tt.wantEmbed) == 0
			if got := plan.changesNothing(); got != wantNothing {
				t.Errorf("changesNothing() = %v, want %v", got, wantNothing)
			}
		})
	}
}

// Once the missing texts are embedded, every passage has a vector: the
// reused one or the one computed for its text, shared by every hash that
// carries the text.
func TestPlanGivesEveryPassageAVector(t *testing.T) {
	old := []Passage{{ID: "a/1", Hash: "h1", Text: "kept"}}
	passages := []Passage{
		{ID: "a/1", Hash: "h1", Text: "kept"},
		{ID: "a/2", Hash: "h2", Text: "shared"},
		{ID: "b/1", Hash: "h3", Text: "shared"},
		{ID: "b/2", Hash: "h4", Text: "new"},
	}
	plan, err := planUpdate(passages, old, map[string][]float32{"h1": {1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	plan.give([][]float32{{2, 0}, {3, 0}}) // "shared", "new"
	got := plan.vectorsOf(passages)
	want := [][]float32{{1, 0}, {2, 0}, {2, 0}, {3, 0}}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("vector of %s = %v, want %v", passages[i].ID, got[i], want[i])
		}
	}
}
