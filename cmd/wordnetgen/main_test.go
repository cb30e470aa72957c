package main

import (
	"strings"
	"testing"
)

// A synset's words are related to each other and, through a followed
// pointer, to the words of the synset pointed at, both ways; pointers that
// are not followed (antonyms, "!") relate nothing; collocations and
// unknown words are dropped.
func TestGenerate(t *testing.T) {
	const noun = "  1 a licence header line\n" +
		"00000001 03 n 03 contact 0 link 0 chew_out 0 002 @ 00000002 n 0000 ! 00000003 n 0000 | a gloss\n" +
		"00000002 03 n 01 channel 0 000 | a gloss\n" +
		"00000003 03 n 02 separation 0 zzyzx 0 000 | a gloss\n"
	synsets := map[synsetKey]synset{}
	if err := readData(strings.NewReader(noun), "noun", synsets); err != nil {
		t.Fatal(err)
	}
	known := func(w string) bool { return w != "zzyzx" }
	got := string(generate(synsets, known))
	want := "channel\tcontact link\n" +
		"contact\tchannel link\n" +
		"link\tchannel contact\n"
	if got != want {
		t.Errorf("generate =\n%s\nwant\n%s", got, want)
	}
}

func TestReadDataRejectsBrokenLines(t *testing.T) {
	for _, line := range []string{
		"00000001 03 n\n",
		"00000001 03 n zz contact 0 000 | gloss\n",
		"00000001 03 n 01 contact 0 009 @ 00000002 n 0000 | gloss\n",
	} {
		if err := readData(strings.NewReader(line), "noun", map[synsetKey]synset{}); err == nil {
			t.Errorf("readData(%q) = nil error", line)
		}
	}
}
