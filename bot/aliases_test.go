package bot

import "testing"

func TestSearchQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"what did the US offer?", "what did the US offer? (United States)"},
		{"did the U.S. respond", "did the U.S. respond (United States)"},
		{"was the UN or the EU involved", "was the UN or the EU involved (United Nations, European Union)"},
		{"tell us what happened", "tell us what happened"}, // the pronoun
		{"TELL US WHO SAID IT", "TELL US WHO SAID IT"},     // shouting: leave it
		{"USAID and the USSR", "USAID and the USSR"},       // other words that start alike
		{"", ""},
	}
	for _, tt := range tests {
		if got := searchQuery(tt.in); got != tt.want {
			t.Errorf("searchQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
