package text_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/storybot/storybot/retrieval/text"
)

// quoted returns what each quotation holds between its marks, with "|" and
// the closing mark after it, or "|" alone when it never closes.
func quoted(s string, qs []text.Quotation) []string {
	var out []string
	for _, q := range qs {
		out = append(out, s[q.OpenEnd:q.Close]+"|"+s[q.Close:q.CloseEnd])
	}
	return out
}

func TestPairQuotes(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want []string
	}{
		{"curly", "He said “we will go” and left.", []string{"we will go|”"}},
		{"straight", `He said "we will go" and left.`, []string{`we will go|"`}},
		{"two", "“One,” he said, “two.”", []string{"One,|”", "two.|”"}},
		{"nested curly", "““We will go,” he said.” [1]", []string{"“We will go,” he said.|”"}},
		{"curly inside straight", `"the “grand bargain” offer"`, []string{`the “grand bargain” offer|"`}},
		{"straight inside curly", `“he said "no" to it”`, []string{`he said "no" to it|”`}},
		{"closed with an opening mark by mistake", "“to the U.S. and Israel“ [1].", []string{"to the U.S. and Israel|“"}},
		{"closed with a straight mark by mistake", "“to the U.S.\" [1].", []string{"to the U.S.|\""}},
		{"straight closed with a curly mark", `"to the U.S.” [1].`, []string{"to the U.S.|”"}},
		{"unclosed stops at the next quotation", "“one, “two” three", []string{"one, |", "two|”"}},
		{"unclosed runs to the end", "He said “we will", []string{"we will|"}},
		{"inches", `He is 5'10" tall.`, nil},
		{"low opening mark", "„Wir gehen“ [1]", []string{"Wir gehen|“"}},
		{"lone closing mark", "a ” b", nil},
		{"single marks are text", "he said ‘no’ and didn’t", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quoted(tt.s, text.PairQuotes(tt.s)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PairQuotes(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

// FuzzPairQuotes checks that the quotations are in order, do not overlap,
// and lie within the text.
func FuzzPairQuotes(f *testing.F) {
	for _, s := range []string{"“a “b” c”", `"a” b“ c"`, "„x“ “y", `5'10" "z`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at := 0
		for _, q := range text.PairQuotes(s) {
			if q.Open < at || q.OpenEnd <= q.Open || q.Close < q.OpenEnd || q.CloseEnd < q.Close || q.CloseEnd > len(s) {
				t.Fatalf("PairQuotes(%q): %+v after %d", s, q, at)
			}
			at = q.CloseEnd
		}
	})
}

func ExamplePairQuotes() {
	s := "““We will go,” he said.” [1]"
	for _, q := range text.PairQuotes(s) {
		fmt.Println(s[q.OpenEnd:q.Close])
	}
	// Output: “We will go,” he said.
}
