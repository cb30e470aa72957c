package pgindex

import (
	"encoding/binary"
	"fmt"
	"math"
)

// encodeVector stores a vector as little-endian float32s: a quarter of
// real[]'s text size and decoded without parsing.
func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decodeVector reads a stored vector, which must have dims entries (when
// dims is known).
func decodeVector(b []byte, dims int) ([]float32, error) {
	if len(b)%4 != 0 || (dims > 0 && len(b) != 4*dims) {
		return nil, fmt.Errorf("stored vector of %d bytes, want %d dimensions", len(b), dims)
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}
