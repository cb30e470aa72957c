package main

import (
	"context"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadLines(t *testing.T) {
	const limit = 16
	long := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, in string
		want     []inputLine
	}{
		{"empty input", "", nil},
		{"one line, no end", "abc", []inputLine{{"abc", 3}}},
		{"ends of line", "a\nb\r\nc\n", []inputLine{{"a", 1}, {"b", 1}, {"c", 1}}},
		{"blank lines kept", "\n\nq\n", []inputLine{{"", 0}, {"", 0}, {"q", 1}}},
		{"exactly the limit", strings.Repeat("y", limit) + "\nz", []inputLine{{strings.Repeat("y", limit), limit}, {"z", 1}}},
		{"one over the limit", strings.Repeat("y", limit+1) + "\r\nz", []inputLine{{strings.Repeat("y", limit), limit + 1}, {"z", 1}}},
		{"a 1 MB line between two", "before\n" + long + "\nafter\n", []inputLine{{"before", 6}, {long[:limit], 1 << 20}, {"after", 5}}},
		{"cut inside a rune", strings.Repeat("y", limit-1) + "é and more\n", []inputLine{{strings.Repeat("y", limit-1), limit - 1 + len("é and more")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []inputLine
			err := readLines(context.Background(), strings.NewReader(tt.in), limit, func(l inputLine) error {
				got = append(got, l)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = {%.20q %d}, want {%.20q %d}", i, got[i].Text, got[i].Bytes, tt.want[i].Text, tt.want[i].Bytes)
				}
			}
			// A reader that hands over one byte at a time splits "\r\n" too.
			var n int
			if err := readLines(context.Background(), iotest.OneByteReader(strings.NewReader(tt.in)), limit, func(l inputLine) error {
				if n < len(tt.want) && l != tt.want[n] {
					t.Errorf("one byte at a time: line %d = {%.20q %d}", n, l.Text, l.Bytes)
				}
				n++
				return nil
			}); err != nil || n != len(tt.want) {
				t.Errorf("one byte at a time: %d lines, %v", n, err)
			}
		})
	}
}

func TestReadLinesReadError(t *testing.T) {
	err := readLines(context.Background(), iotest.ErrReader(iotest.ErrTimeout), 16, func(inputLine) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "read input") {
		t.Errorf("err = %v", err)
	}
}
