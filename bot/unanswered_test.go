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
