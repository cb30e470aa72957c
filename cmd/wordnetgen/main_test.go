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
		"00000001 00 a 01 large 0 001 ! 00000002 a 0201 | gloss\n",
		"00000001 00 a 01 large 0 001 ! 00000002 a 01 | gloss\n",
		"00000001 00 a 01 large 0 001 ! 00000002 a zz01 | gloss\n",
	} {
		if err := readData(strings.NewReader(line), "noun", map[synsetKey]synset{}); err == nil {
			t.Errorf("readData(%q) = nil error", line)
		}
	}
}

// Adjectives WordNet calls antonyms are each other's, word for word and
// with their grades; nouns' antonyms, stop words and a grade that is a
// word of another part of speech ("offer") are left out.
func TestGenerateAntonyms(t *testing.T) {
	const adj = "  1 a licence header line\n" +
		"00000001 00 a 02 large 0 big 0 001 ! 00000002 a 0101 | a gloss\n" +
		"00000002 00 a 01 small 0 001 ! 00000001 a 0101 | a gloss\n" +
		"00000003 00 a 01 off 0 001 ! 00000004 a 0101 | a gloss\n" +
		"00000004 00 a 01 on 0 001 ! 00000003 a 0101 | a gloss\n"
	const noun = "00000005 03 n 01 brother 0 001 ! 00000006 n 0101 | a gloss\n" +
		"00000006 03 n 01 sister 0 001 ! 00000005 n 0101 | a gloss\n" +
		"00000007 03 n 01 offer 0 000 | a gloss\n"
	synsets := map[synsetKey]synset{}
	if err := readData(strings.NewReader(adj), "adj", synsets); err != nil {
		t.Fatal(err)
	}
	if err := readData(strings.NewReader(noun), "noun", synsets); err != nil {
		t.Fatal(err)
	}
	got := string(generateAntonyms(synsets, func(string) bool { return true }))
	want := "large\tsmall smaller smallest\n" +
		"larger\tsmall smaller smallest\n" +
		"largest\tsmall smaller smallest\n" +
		"small\tlarge larger largest\n" +
		"smaller\tlarge larger largest\n" +
		"smallest\tlarge larger largest\n"
	if got != want {
		t.Errorf("generateAntonyms =\n%s\nwant\n%s", got, want)
	}
}

func TestGradedForms(t *testing.T) {
	notAdjective := map[string]bool{"offer": true}
	tests := []struct {
		adj  string
		want string
	}{
		{"large", "large larger largest"},
		{"big", "big bigger biggest"},
		{"early", "early earlier earliest"},
		{"high", "high higher highest"},
		{"good", "good better best"},
		{"important", "important"}, // more and most
		{"public", "public"},
		{"off", "off offest"}, // "offer" is a noun and a verb
	}
	for _, tt := range tests {
		if got := strings.Join(gradedForms(tt.adj, notAdjective), " "); got != tt.want {
			t.Errorf("gradedForms(%q) = %q, want %q", tt.adj, got, tt.want)
		}
	}
}

// The adjectives WordNet writes with a capital are listed, lower case,
// without their syntactic markers; others are not.
func TestGenerateProperAdjectives(t *testing.T) {
	const adj = "00000001 00 a 02 American(a) 0 Scottish 0 000 | a gloss\n" +
		"00000002 00 a 01 large 0 000 | a gloss\n"
	const noun = "00000003 03 n 01 Duncan 0 000 | a gloss\n"
	synsets := map[synsetKey]synset{}
	if err := readData(strings.NewReader(adj), "adj", synsets); err != nil {
		t.Fatal(err)
	}
	if err := readData(strings.NewReader(noun), "noun", synsets); err != nil {
		t.Fatal(err)
	}
	if got, want := string(generateProperAdjectives(synsets)), "american\nscottish\n"; got != want {
		t.Errorf("generateProperAdjectives = %q, want %q", got, want)
	}
}

// A noun whose first sense is filed under noun.person is a person noun; a
// noun whose first sense is a thing, and a name, are not; an acronym is.
func TestGeneratePersonNouns(t *testing.T) {
	const noun = "00000001 18 n 01 banker 0 000 | a person\n" +
		"00000002 06 n 01 bank 0 000 | a thing\n" +
		"00000003 18 n 01 bank 0 000 | a person sense, not the first\n" +
		"00000004 18 n 01 Lincoln 0 000 | a name\n" +
		"00000005 18 n 01 CEO 0 000 | an acronym\n"
	const index = "  1 a licence header line\n" +
		"banker n 1 0 1 0 00000001\n" +
		"bank n 2 0 2 0 00000002 00000003\n" +
		"lincoln n 1 0 1 0 00000004\n" +
		"ceo n 1 0 1 0 00000005\n"
	synsets := map[synsetKey]synset{}
	if err := readData(strings.NewReader(noun), "noun", synsets); err != nil {
		t.Fatal(err)
	}
	first, err := readFirstSenses(strings.NewReader(index))
	if err != nil {
		t.Fatal(err)
	}
	got := string(generatePersonNouns(synsets, first, func(string) bool { return true }))
	if want := "banker\nceo\n"; got != want {
		t.Errorf("generatePersonNouns = %q, want %q", got, want)
	}
	if _, err := readFirstSenses(strings.NewReader("bank n 2 x\n")); err == nil {
		t.Error("readFirstSenses read a broken line")
	}
}
