package retrieval

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/wordvec"
)

// Smooth inverse frequency (SIF, Arora et al. 2017): a word of corpus
// probability p weighs sifA/(sifA+p). The table stores frequency ranks, not
// counts, so p is estimated by Zipf's law, p(r) = 1/(r·H) with H the
// harmonic number of the source vocabulary (400,000 GloVe tokens). The
// weight is then r/(r+r0) with r0 = 1/(sifA·H) ≈ 74: "the" (rank 1) weighs
// 0.013, "who" (rank 35) 0.32, "proposal" (rank 1,373) 0.95.
const (
	sifA     = 1e-3
	zipfV    = 400_000       // GloVe 6B vocabulary; unknown words rank last
	zipfH    = 12.9 + 0.5772 // ln(zipfV) + Euler–Mascheroni
	localTag = "sif1"        // bump when the recipe below changes, to rebuild indexes
)

// LocalEmbedder embeds text offline, with no model and no network: a text's
// vector is the SIF-weighted average of its words' GloVe vectors (from
// package wordvec), less the table's common component, at unit length.
// Similar wording and paraphrase ("nixed the proposal", "killed the deal")
// land close; word order and negation are not seen. Words the table lacks
// (names, numbers) get a fixed pseudo-random vector each, so they match
// only themselves.
//
// A LocalEmbedder is safe for concurrent use; the zero value is not usable.
type LocalEmbedder struct {
	table  *wordvec.Table
	mean   []float32 // the table's mean vector
	common []float32 // the table's first principal direction, unit length
	id     EmbedderIdentity
}

var _ Embedder = (*LocalEmbedder)(nil)

// NewLocalEmbedder returns the embedder over the word vectors built into
// the binary. It is cheap: the table is read in place.
func NewLocalEmbedder() *LocalEmbedder {
	t := wordvec.Default()
	return &LocalEmbedder{
		table:  t,
		mean:   t.Mean(),
		common: t.Components()[0],
		id: EmbedderIdentity{
			Kind:       "local",
			Model:      fmt.Sprintf("glove-wink-%dd-%dk-int8-%s", t.Dims(), t.Len()/1024, localTag),
			Dimensions: t.Dims(),
		},
	}
}

// Identity names the vector table and the recipe, e.g.
// local/glove-wink-100d-64k-int8-sif1/100.
func (e *LocalEmbedder) Identity() EmbedderIdentity { return e.id }

// Embed returns one unit vector per text. A text with no word at all
// (empty, punctuation, single letters) gets a fixed unit vector whose cosine
// with every other text's vector is zero.
func (e *LocalEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, text := range texts {
		// Each text takes microseconds; checking every time is cheap enough.
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("local embed: %w", err)
		}
		out[i] = e.embed(text)
	}
	return out, nil
}

func (e *LocalEmbedder) embed(text string) []float32 {
	v := make([]float32, e.table.Dims())
	var total, known float64 // weights of all words and of table words
	add := func(i int) {
		w := sifWeight(e.table.Rank(i))
		e.table.AddScaled(v, i, float32(w))
		total += w
		known += w
	}
	for _, word := range Words(text) {
		if i, ok := e.table.Lookup(word); ok {
			add(i)
			continue
		}
		found := false
		for _, alt := range e.variants(word) {
			if i, ok := e.table.Lookup(alt); ok {
				add(i)
				found = true
			}
		}
		// The package left out one-letter words and single digits, all
		// of them frequent and empty of meaning.
		if !found && utf8.RuneCountInString(word) > 1 {
			w := sifWeight(zipfV)
			addUnknown(v, word, w)
			total += w
		}
	}
	if total == 0 {
		return e.blank()
	}
	// Subtract the mean and project out the first principal direction: the
	// component every average of GloVe vectors shares, which otherwise
	// makes unrelated texts look alike ("all-but-the-top", Mu and
	// Viswanath 2018). Measured on paraphrase pairs, it widens the gap
	// between a paraphrase and the best unrelated text from 0.07 to 0.13.
	// Unknown words' vectors are centred already.
	//
	// The explicit float64(…) conversions round each product, so that no
	// platform fuses it into a multiply-add: vectors are the same bits on
	// every machine.
	var dot float64
	for j := range v {
		x := (float64(v[j]) - float64(known*float64(e.mean[j]))) / total
		v[j] = float32(x)
		dot += float64(x * float64(e.common[j]))
	}
	var norm float64
	for j := range v {
		x := float64(v[j]) - float64(dot*float64(e.common[j]))
		v[j] = float32(x)
		norm += float64(x * x)
	}
	norm = math.Sqrt(norm)
	if norm < 1e-6 || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return e.blank()
	}
	for j := range v {
		v[j] = float32(float64(v[j]) / norm)
	}
	return v
}

// blank is the vector of a text with no word: the common direction, which
// every other vector has had removed.
func (e *LocalEmbedder) blank() []float32 {
	v := make([]float32, len(e.common))
	copy(v, e.common)
	return v
}

// addUnknown adds to acc w times a pseudo-random vector that stands for a
// word the table lacks: a name ("Sadjepour"), a number ("2003"), a rare
// word. Its direction is fixed by the word, so the same unknown word in a
// question and a passage still pulls them together, and two different ones
// are nearly orthogonal. Its length is that of a typical table vector after
// centring (root mean square 5.0, median 4.9), so it counts as much as a
// rare known word.
func addUnknown(acc []float32, word string, w float64) {
	const unknownLength = 5.0
	seed := uint64(14695981039346656037) // FNV-1a
	for i := range len(word) {
		seed ^= uint64(word[i])
		seed *= 1099511628211
	}
	s := seed
	var sq float64
	for range acc {
		x := splitmix(&s)
		sq += float64(x * x) // no fused multiply-add, as in embed
	}
	f := w * unknownLength / math.Sqrt(sq)
	s = seed
	for j := range acc {
		acc[j] += float32(f * splitmix(&s))
	}
}

// splitmix advances the SplitMix64 generator s and returns its next value
// mapped to [-1, 1).
func splitmix(s *uint64) float64 {
	*s += 0x9e3779b97f4a7c15
	z := *s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11)/(1<<52) - 1
}

// sifWeight is the SIF weight of the word of frequency rank r.
func sifWeight(r int) float64 {
	p := 1 / (float64(r) * zipfH)
	return sifA / (sifA + p)
}

// variants returns the table words that stand for a word the table lacks:
// the parts of a contraction ("doesn't" → "does", "not"; GloVe split them
// so), the word without apostrophes ("ha'aretz" → "haaretz") or its last
// part ("o'neill" → "neill"), or the singular of a plural ("khalilzads" →
// "khalilzad", "churches" → "church", "militias" → "militia"). It returns
// nil when nothing fits.
func (e *LocalEmbedder) variants(word string) []string {
	if head, tail, ok := strings.Cut(word, "'"); ok {
		switch tail {
		case "t":
			switch head {
			case "can":
				return []string{"can", "not"}
			case "won":
				return []string{"will", "not"}
			case "shan":
				return []string{"shall", "not"}
			case "ain":
				return []string{"not"}
			}
			if stem, ok := strings.CutSuffix(head, "n"); ok {
				return []string{stem, "not"}
			}
		case "re", "ve", "ll", "d", "m", "s":
			return []string{head}
		}
		if w := strings.ReplaceAll(word, "'", ""); e.has(w) {
			return []string{w}
		}
		// A name such as "o'neill": the table has "neill".
		if i := strings.LastIndexByte(word, '\''); e.has(word[i+1:]) {
			return []string{word[i+1:]}
		}
		return nil
	}
	if len(word) < 4 || !strings.HasSuffix(word, "s") || strings.HasSuffix(word, "ss") {
		return nil
	}
	singulars := []string{word[:len(word)-1]}
	if stem, ok := strings.CutSuffix(word, "ies"); ok {
		singulars = append(singulars, stem+"y")
	} else if stem, ok := strings.CutSuffix(word, "es"); ok {
		singulars = append(singulars, stem)
	}
	for _, w := range singulars {
		if e.has(w) {
			return []string{w}
		}
	}
	return nil
}

func (e *LocalEmbedder) has(word string) bool {
	_, ok := e.table.Lookup(word)
	return ok
}

// WordRank returns the frequency rank of a lowercase word in general English
// (GloVe's Wikipedia and newswire corpus): 1 for "the", a few hundred for
// everyday words, 400,000 for a word the table lacks. It says how
// specific a word is, whatever stories are loaded.
func WordRank(word string) int {
	t := wordvec.Default()
	if i, ok := t.Lookup(word); ok {
		return t.Rank(i)
	}
	return zipfV
}
