package bot

import (
	"testing"

	"github.com/storybot/storybot/retrieval"
)

func TestPersonNamed(t *testing.T) {
	tests := []struct{ text, surname, want string }{
		{"the ultimate decision-maker in Iran, Supreme Leader Ali Khamenei.", "khamenei", "Ali Khamenei"},
		{"thwarted by Vice President Dick Cheney and others", "cheney", "Dick Cheney"},
		{"Karl Rove, Bush’s senior political adviser, said", "bush", "Bush"},
		{"Peggy Cifrino, a Powell aide, said", "powell", "Powell"},
		{"a talk with President Obama", "obama", "Obama"},
		{"the Bush administration decided", "bush", ""},          // an administration, not a person
		{"sanctions against Iran were lifted", "iran", ""},       // a country
		{"Iran’s nuclear program was less advanced", "iran", ""}, // a program is not a personal role
		{"In Washington, meanwhile, Iran sent", "washington", ""},
		{"Lindell told Judge Harriet Osei-Mensah.", "mensah", "Harriet Osei-Mensah"}, // a hyphenated surname
		{"Her deputy, Beatriz Colón-Marsh, will lead", "marsh", "Beatriz Colón-Marsh"},
	}
	for _, tt := range tests {
		if got := personNamed(tt.text, tt.surname); got != tt.want {
			t.Errorf("personNamed(%q, %q) = %q, want %q", tt.text, tt.surname, got, tt.want)
		}
	}
}

func TestNotQuoted(t *testing.T) {
	passages := []retrieval.Passage{{
		Text: "Rezai, he said, was often at odds with Supreme Leader Ali Khamenei. “It was bold,” said Karim Sadjepour.",
		Quotes: []retrieval.Quote{
			{Text: "It was bold", Speaker: "Karim Sadjepour", Direct: true},
			{Text: "was often at odds", Speaker: "Karim Sadjepour"},
		},
	}}
	tests := []struct{ q, want string }{
		{"what did khamenei say about it?", "Ali Khamenei"},
		{"what did Khamenei himself tell the Israelis", "Ali Khamenei"},
		{"what did sadjepour say?", ""},       // quoted
		{"what did rezai say in athens?", ""}, // named without a first name or title: not sure it is a person
		{"who is khamenei?", ""},              // not asking for his words
	}
	for _, tt := range tests {
		if got := notQuoted(parseQuestion(tt.q), func() []retrieval.Passage { return passages }); got != tt.want {
			t.Errorf("notQuoted(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestNoResponse(t *testing.T) {
	// The story names these (with a capital only); "stock" it does not.
	names := map[string]bool{"washington": true, "iran": true, "cheney": true}
	agent := func(w string) bool { return names[w] }
	tests := []struct {
		q         string
		sentences []string
		want      bool
	}{
		{"how did Washington respond?", []string{"Washington did not respond to the offer."}, false},
		{"how did Iran respond?", []string{"Washington did not respond to the offer."}, true},
		{"did cheney ever respond to that?", []string{"Cheney was told of the fax."}, true},
		// Not an agent: a price moves, it does not answer.
		{"how did the stock react?", []string{"The company's shares rose 4 percent."}, false},
		{"what did Iran offer?", []string{"Iran offered talks."}, false}, // asks for no response
	}
	for _, tt := range tests {
		var cands []candidate
		for _, s := range tt.sentences {
			cands = append(cands, candidate{text: s})
		}
		if got := noResponse(parseQuestion(tt.q), cands, agent); got != tt.want {
			t.Errorf("noResponse(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
