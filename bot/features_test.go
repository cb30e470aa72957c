package bot

import (
	"slices"
	"testing"

	"github.com/storybot/storybot/retrieval"
)

func TestNegatedQuestion(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"What persons were not allowed to settle in New France?", true},
		{"Which country is not badly hit by the embargo?", true},
		{"why wouldn't they give their name?", true},
		{"who said it wasn't an official overture?", true},
		{"did rezai bring up the palestinians or not", false},
		{"whether or not the offer was real, who sent it?", false},
		{"who told newsweek the offer was the swiss guy's own ideas and not iran's", false},
		{"not only Iraq but what else did the offer cover?", false},
		{"what did the offer include?", false},
		{"why does the union think the no-layoff promise is worthless?", false},
		{"was there no-one at the meeting?", true},
		{"was there no deal?", true},
		{"what did critics say about the decision not to pursue the offer?", false},
		{"why do critics think the team blew a chance by saying no?", false},
		{"who told residents not to stop and pack?", false},
		{"what does not compete with the flora for food?", true},
	}
	for _, tt := range tests {
		if got := negatedQuestion(tt.q); got != tt.want {
			t.Errorf("negatedQuestion(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestAsksWhy(t *testing.T) {
	for q, want := range map[string]bool{
		"why wouldn't they give their name?":          true,
		"How come the talks stalled?":                 true,
		"for what reason did the strike end?":         true,
		"who asked why the offer was never answered?": false,
		"what did the offer say about Hezbollah?":     false,
	} {
		if got := asksWhy(q); got != want {
			t.Errorf("asksWhy(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestAntonymSwapped(t *testing.T) {
	tests := []struct {
		q, sentence    string
		asked, written string
	}{
		{"What is the lowest court in the Union?", "The Court of Justice is the highest court in the Union.", "lowest", "highest"},
		{"What class of ships is an example of small passenger liners?", "This made the engine popular with large passenger liners.", "small", "large"},
		{"What happened when new oil was withdrawn?", "Predictably, old oil was withdrawn from the market.", "new", "old"},
		// The question's own adjective is there: no contradiction.
		{"Who built the largest and the smallest ports?", "He built the largest port and the smallest one.", "", ""},
		{"How large was the small town?", "The town was small.", "", ""},
		// Not adjectives, or not open-class ones.
		{"Who was Margaret's brother?", "Malcolm married Edgar's sister Margaret.", "", ""},
		{"what did iran offer?", "The offer was passed on to the Swiss.", "", ""},
		{"how far apart are the two sides?", "The two sides were nearly agreed.", "", ""},
		{"who else came to the other meeting?", "The same officials came to the meeting.", "", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		asked, written := antonymSwapped(tt.q, tt.sentence)
		if asked != tt.asked || written != tt.written {
			t.Errorf("antonymSwapped(%q, %q) = %q, %q; want %q, %q", tt.q, tt.sentence, asked, written, tt.asked, tt.written)
		}
	}
}

func TestDenies(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"Armitage did not respond to a query for comment.", true},
		{"Washington rejected the offer.", true},
		{"The Huguenots were forbidden to settle there.", true},
		{"Only Catholics could settle in New France.", true},
		{"The offer was hand-delivered to Karl Rove.", false},
		{"Officials were unable to confirm the offer.", true},
		{"The offer was sent to the United States under a Swiss envoy.", false},
	}
	for _, tt := range tests {
		if got := denies(tt.s); got != tt.want {
			t.Errorf("denies(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestTitleIn(t *testing.T) {
	tests := []struct{ sentence, want string }{
		{"In “Treacherous Alliance,” Trita Parsi contends that Iran proposed a “grand bargain” to the United States.", "Treacherous Alliance"},
		{"Her report, \"The State of the Union Address,\" was read aloud.", "The State of the Union Address"},
		{"“This doesn’t mean an official Iranian overture to the U.S. and Israel,” said Karim Sadjepour.", ""},
		{"Iran proposed a “grand bargain” to the United States.", ""},
		{"No quotation marks here.", ""},
	}
	for _, tt := range tests {
		if got := titleIn(tt.sentence); got != tt.want {
			t.Errorf("titleIn(%q) = %q, want %q", tt.sentence, got, tt.want)
		}
	}
}

func TestPersonal(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"should i bring an umbrella to work today", true},
		{"my phone battery dies super fast any tips", true},
		{"anyone watching the game tonight?", true},
		{"im so bored", true},
		{"what did Parsi say about the Israelis?", false},
		{"can you tell me what parsi said?", false},
		{"In what decade were injectors widely used in steam engines?", false},
		{"who were we told the offer came from", false},
		{"@\u200beveryone who said it wasn't an official overture?", false},
		{"@everyone who said it wasn't an official overture?", false},
	}
	for _, tt := range tests {
		if got := isPersonal(tt.q); got != tt.want {
			t.Errorf("personal(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestCountsAsked(t *testing.T) {
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question, sentence string
		want               bool
	}{
		{"how many phone numbers did the police get?", "Investigators requested data from 11 towers over 19 hours and received records for 41,862 phone numbers.", true},
		{"how many phone numbers did the police get?", "Investigators requested data from 11 towers over a total of 19 hours.", false},
		{"how many phone numbers did the police get?", "This is one of the most thorough opinions on the issue so far.", false},
		{"how many people had to evacuate?", "The fire forced the evacuation of about 9,000 residents on Sunday.", true},
		{"how many people had to evacuate?", "About 400 people spent the night at the shelter.", true},
		{"how many people had to evacuate?", "The fire had burned about 14,600 acres by Sunday evening.", false},
		{"how many towers were searched?", "Investigators requested data from 11 towers.", true},
		{"how many people had to evacuate?", "By 2019, residents had left.", false}, // a year ends its clause
		// The number's clause ends before the noun: "three" counts days.
		{"how many homes burned?", "It burned for three days; homes were lost.", false},
	}
	for _, tt := range tests {
		q := parseQuestion(tt.question)
		if len(q.counted) == 0 {
			t.Fatalf("countedOf(%q) is empty", tt.question)
		}
		if got := countsAsked(tt.sentence, q.counted, ix.Matcher(tt.question)); got != tt.want {
			t.Errorf("countsAsked(%q, %q) = %v, want %v", tt.question, tt.sentence, got, tt.want)
		}
	}
}

func TestCountedOf(t *testing.T) {
	tests := []struct {
		question string
		want     []string
	}{
		{"how many phone numbers did the police get?", []string{"phone", "numbers"}},
		{"How many people had to evacuate?", []string{"people"}},
		{"how many?", nil},
		{"how much did it cost?", nil},
		{"who counted the votes?", nil},
	}
	for _, tt := range tests {
		if got := countedOf(retrieval.Words(tt.question)); !slices.Equal(got, tt.want) {
			t.Errorf("countedOf(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}
