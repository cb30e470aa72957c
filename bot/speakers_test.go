package bot

import (
	"slices"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// speakerPassages quote Karim Sadjepour three times (once twice over),
// Trita Parsi twice, Karim Parsi once, and someone unnamed once.
func speakerPassages() []retrieval.Passage {
	q := func(para int, speaker, text string) retrieval.Quote {
		return retrieval.Quote{Paragraph: para, Speaker: speaker, Text: text, Direct: true}
	}
	return []retrieval.Passage{
		{ID: "s#p1", Paragraph: 1, Quotes: []retrieval.Quote{q(1, "Trita Parsi", "one"), q(1, "", "unattributed")}},
		{ID: "s#p2", Paragraph: 2, Quotes: []retrieval.Quote{q(2, "Karim Sadjepour", "two"), q(2, "Karim Sadjepour", "two")}},
		{ID: "s#p3", Paragraph: 3, Quotes: []retrieval.Quote{q(3, "Karim Sadjepour", "three"), q(3, "Trita Parsi", "four")}},
		{ID: "s#p4", Paragraph: 4, Quotes: []retrieval.Quote{q(4, " Karim Parsi ", "five")}},
	}
}

func TestSpeakers(t *testing.T) {
	got := Speakers(speakerPassages())
	want := []string{"Karim Sadjepour", "Trita Parsi", "Karim Parsi"}
	if !slices.Equal(got, want) {
		t.Errorf("Speakers = %q, want %q", got, want)
	}
	if got := Speakers(nil); len(got) != 0 {
		t.Errorf("Speakers(nil) = %q", got)
	}
}

func TestQuotesBy(t *testing.T) {
	tests := []struct {
		name      string
		typed     string
		wantWho   string
		wantTexts []string
	}{
		{"exact name", "Trita Parsi", "Trita Parsi", []string{"one", "four"}},
		{"exact name in another case", "trita PARSI", "Trita Parsi", []string{"one", "four"}},
		{"one speaker's name contains it", "sadjepour", "Karim Sadjepour", []string{"two", "three"}},
		{"surrounding spaces", "  sadjepour ", "Karim Sadjepour", []string{"two", "three"}},
		{"two speakers' names contain it", "parsi", "", nil},
		{"two speakers' names contain it", "karim", "", nil},
		{"nobody", "Rezai", "", nil},
		{"empty", " ", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.typed, func(t *testing.T) {
			who, qs := QuotesBy(speakerPassages(), tt.typed)
			var texts []string
			for _, q := range qs {
				texts = append(texts, q.Text)
			}
			if who != tt.wantWho || !slices.Equal(texts, tt.wantTexts) {
				t.Errorf("QuotesBy(%q) = %q %q, want %q %q", tt.typed, who, texts, tt.wantWho, tt.wantTexts)
			}
		})
	}
}

func TestSpeakerMatches(t *testing.T) {
	tests := []struct {
		speaker, name string
		want          bool
	}{
		{"Karim Sadjepour", "sadjepour", true},
		{"Karim Sadjepour", "KARIM S", true},
		{"Karim Sadjepour", "", true},
		{"Karim Sadjepour", "parsi", false},
		{"", "parsi", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := SpeakerMatches(tt.speaker, tt.name); got != tt.want {
			t.Errorf("SpeakerMatches(%q, %q) = %v, want %v", tt.speaker, tt.name, got, tt.want)
		}
	}
}
