package text_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/internal/storytest"
	"github.com/storybot/storybot/retrieval/text"
)

func TestSentences(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"blank", " \n\t ", nil},
		{"no terminator", "a headline without a stop", []string{"a headline without a stop"}},
		{"dotted acronym inside", "Iran offered talks to the U.S. and Israel in 2003. Nobody answered.",
			[]string{"Iran offered talks to the U.S. and Israel in 2003.", "Nobody answered."}},
		{"dotted acronym before a name", "The U.N. Security Council met. It adjourned.",
			[]string{"The U.N. Security Council met.", "It adjourned."}},
		{"dotted acronym ending a sentence", "He moved to the U.S. The next year he left.",
			[]string{"He moved to the U.S.", "The next year he left."}},
		{"title before a name", "She worked for former Ohio Rep. Bob Ney. He was later convicted.",
			[]string{"She worked for former Ohio Rep. Bob Ney.", "He was later convicted."}},
		{"Mr. and Dr.", "Mr. Smith went home. Dr. Jones stayed. Sen. Warren spoke.",
			[]string{"Mr. Smith went home.", "Dr. Jones stayed.", "Sen. Warren spoke."}},
		{"month before a date", "The law takes effect Jan. 1, 2027. It was signed on Sept. 9.",
			[]string{"The law takes effect Jan. 1, 2027.", "It was signed on Sept. 9."}},
		{"initials", "George W. Bush met John F. Kennedy Jr. in a dream. They talked.",
			[]string{"George W. Bush met John F. Kennedy Jr. in a dream.", "They talked."}},
		{"No. before a number", "Senate Bill No. 2 passed. It now goes to the House.",
			[]string{"Senate Bill No. 2 passed.", "It now goes to the House."}},
		{"no as a word", "She said no. Then she left.", []string{"She said no.", "Then she left."}},
		{"decimals", "The plan costs $3.5 billion, up 0.5 percent. Critics balked.",
			[]string{"The plan costs $3.5 billion, up 0.5 percent.", "Critics balked."}},
		{"quotation closed by a comma stays", "“We are leaving,” he said. “The decision is final.” She nodded.",
			[]string{"“We are leaving,” he said.", "“The decision is final.”", "She nodded."}},
		{"question in a quotation, attribution after", "“Why now?” he asked. “Why not?” Smith replied. Nobody answered.",
			[]string{"“Why now?” he asked.", "“Why not?” Smith replied.", "Nobody answered."}},
		{"full stop in a quotation, attribution after", "“It is over.” Sen. Ann Lee said so herself.",
			[]string{"“It is over.” Sen. Ann Lee said so herself."}},
		{"question and exclamation marks", "Is it over? Yes! It is.", []string{"Is it over?", "Yes!", "It is."}},
		{"ellipsis", "He paused... then left. Later he returned.", []string{"He paused... then left.", "Later he returned."}},
		{"blank line", "A Headline\n\nThe first sentence.", []string{"A Headline", "The first sentence."}},
		{"line break", "One.\nTwo.", []string{"One.", "Two."}},
		{"e.g. and a.m.", "Some fruits, e.g. apples, ripen by 9 a.m. and rot by noon.",
			[]string{"Some fruits, e.g. apples, ripen by 9 a.m. and rot by noon."}},
		{"company suffix", "He works at Acme Inc. The company is small. Acme Inc. employs ten.",
			[]string{"He works at Acme Inc.", "The company is small.", "Acme Inc. employs ten."}},
		{"straight quotes", `"Go," she said. "Now." He went.`, []string{`"Go," she said.`, `"Now."`, "He went."}},
		{"parenthesis", "He agreed (reluctantly.) Then he left.", []string{"He agreed (reluctantly.)", "Then he left."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spans := text.Sentences(tc.text)
			checkSentenceCover(t, tc.text, spans)
			var got []string
			for _, s := range spans {
				got = append(got, s.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestSentencesDefaultStory(t *testing.T) {
	paras := storytest.MustBody(t, "../../data/forward-iran-outreach.txt",
		"Book Reveals Details of Iran’s Diplomatic Outreach to Israel", "Republish This Story")
	wantCounts := []int{1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2}
	var all []string
	for i, p := range paras {
		spans := text.Sentences(p)
		checkSentenceCover(t, p, spans)
		if i < len(wantCounts) && len(spans) != wantCounts[i] {
			t.Errorf("¶%d: got %d sentences, want %d: %+v", i+1, len(spans), wantCounts[i], spans)
		}
		for _, s := range spans {
			all = append(all, s.Text)
		}
	}
	for _, want := range []string{
		"“This doesn’t mean an official Iranian overture to the U.S. and Israel,” said Karim Sadjepour of the Carnegie Endowment for Peace in Washington.",
		"In Washington, meanwhile, Iran sent an official message through the Swiss envoy, as well as through another go-between: former Ohio Rep. Bob Ney, for whom Parsi worked at the time.",
		"The situation changed dramatically, however, on May 12, 2003, when a terrorist attack in Saudi Arabia killed eight Americans and 16 Saudis.",
	} {
		if !slices.Contains(all, want) {
			t.Errorf("no sentence %q", want)
		}
	}
}

// checkSentenceCover checks that spans are in order, trimmed, verbatim, and
// together hold every byte of text that is not white space.
func checkSentenceCover(t testing.TB, text string, spans []text.Span) {
	t.Helper()
	prev := 0
	for _, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("bad span [%d,%d) after %d in %q", s.Start, s.End, prev, text)
		}
		if text[s.Start:s.End] != s.Text {
			t.Fatalf("span [%d,%d) text %q is not %q", s.Start, s.End, s.Text, text[s.Start:s.End])
		}
		if strings.TrimFunc(s.Text, unicode.IsSpace) != s.Text {
			t.Errorf("sentence %q is not trimmed", s.Text)
		}
		if gap := text[prev:s.Start]; !onlySpace(gap) {
			t.Errorf("text %q between sentences is in none", gap)
		}
		prev = s.End
	}
	if gap := text[prev:]; !onlySpace(gap) {
		t.Errorf("text %q after the last sentence is in none", gap)
	}
}

func onlySpace(s string) bool {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if !unicode.IsSpace(r) {
			return false
		}
		s = s[size:]
	}
	return true
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"", " ", "a. b", "U.S. The", "Rep. Bob Ney.", "3.5.", "“Why?” he asked.", "...", "?!?",
		"\n\n\n", "No. 2", "Jan. 1", "A. B. C.", "“It is.” Smith said.", "x.\u00a0Y", "\xff.\xfe B",
		"He said \"no.\" \"Yes.\"", "e.g. i.e. a.m. p.m.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSentenceCover(t, s, text.Sentences(s))
	})
}

func ExampleSentences() {
	para := "Iran sent an offer via former Ohio Rep. Bob Ney. “This doesn’t mean an official overture to the U.S. and Israel,” Sadjepour said."
	for _, s := range text.Sentences(para) {
		fmt.Printf("[%d:%d] %s\n", s.Start, s.End, s.Text)
	}
	// Output:
	// [0:48] Iran sent an offer via former Ohio Rep. Bob Ney.
	// [49:135] “This doesn’t mean an official overture to the U.S. and Israel,” Sadjepour said.
}

func TestAbbreviationStop(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"to the U.S.", true},
		{"said Mr.", true},
		{"Acme Inc.", true},
		{"George W.", true},
		{"in Jan.", true},
		{"to Israel.", false},
		{"item No.", false},
		{"Parsi writes...", false},
		{"3.5.", false},
	}
	for _, tt := range tests {
		if got := text.AbbreviationStop(tt.s, len(tt.s)-1); got != tt.want {
			t.Errorf("AbbreviationStop(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestEndsSentence(t *testing.T) {
	for s, want := range map[string]bool{
		"He left.":            true,
		"Why?":                true,
		"he said.”":           true,
		"(as it was …)  ":     true,
		"the U.S. and Israel": false,
		"Parsi,":              false,
		"":                    false,
	} {
		if got := text.EndsSentence(s); got != want {
			t.Errorf("EndsSentence(%q) = %v, want %v", s, got, want)
		}
	}
}
