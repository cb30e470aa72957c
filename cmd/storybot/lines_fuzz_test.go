package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzReadLines feeds arbitrary input to the stdin line reader: it must
// return every line, in order, with its whole length, and never more of it
// than the limit.
func FuzzReadLines(f *testing.F) {
	f.Add([]byte("who said it?\nwhat happened\r\n\n?"), uint16(8))
	f.Add([]byte(strings.Repeat("x", 100)+"\n"), uint16(1))
	f.Add([]byte("\xff\xfe\r\r\n\x00"), uint16(3))
	f.Fuzz(func(t *testing.T, in []byte, lim uint16) {
		limit := int(lim%512) + 1
		var got []inputLine
		if err := readLines(context.Background(), bytes.NewReader(in), limit, func(l inputLine) error {
			got = append(got, l)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := strings.Split(string(in), "\n")
		if want[len(want)-1] == "" {
			want = want[:len(want)-1] // the input ends with an end of line, or is empty
		}
		if len(got) != len(want) {
			t.Fatalf("%d lines, want %d", len(got), len(want))
		}
		for i, w := range want {
			w = strings.TrimSuffix(w, "\r")
			l := got[i]
			if l.Bytes != len(w) || len(l.Text) > limit || !strings.HasPrefix(w, l.Text) {
				t.Fatalf("line %d = {%q %d}, want a prefix of %q of at most %d bytes", i, l.Text, l.Bytes, w, limit)
			}
			if !l.cut() && l.Text != w {
				t.Fatalf("line %d = %q, want %q", i, l.Text, w)
			}
		}
	})
}
