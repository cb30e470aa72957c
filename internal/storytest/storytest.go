// Package storytest reads the test stories for the tests of retrieval/text
// and retrieval/quote without going through ingestion
// (retrieval.ParseStory), so that those tests stay independent of it.
package storytest

import (
	"os"
	"strings"
	"testing"
)

// MustBody reads a story file and returns its body: the non-blank lines
// between the headline line and the end marker (or the end of the file
// when end is empty). It fails the test when the file has no such body.
func MustBody(tb testing.TB, path, headline, end string) []string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var body []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case !in && line == headline:
			in = true
		case in && end != "" && line == end:
			return body
		case in && line != "":
			body = append(body, line)
		}
	}
	if in && end == "" {
		return body // the story runs to the end of the file
	}
	tb.Fatalf("%s: no body between %q and %q", path, headline, end)
	return nil
}
