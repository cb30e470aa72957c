package text_test

import (
	"testing"

	"github.com/storybot/storybot/retrieval/text"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"short enough", "who said it?", 12, "who said it?"},
		{"cut at a word", "who said it wasn't an official overture", 20, "who said it wasn't…"},
		{"cut inside a long word", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghij…"},
		{"runes, not bytes", "ééééé ééééé", 8, "ééééé…"},
		{"a space too early is not used", "a bcdefghijklmnop", 8, "a bcdefg…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := text.Truncate(tt.s, tt.n); got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}
