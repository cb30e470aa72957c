package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// attributionGold is a hand-written table of everything `storybot quotes
// --json` must print for one story in testdata/attribution/stories: short
// wire-style stories with relayed claims ("X quoted Y as saying", "X writes
// that Y told …"), "according to", narrator framing that credits nobody,
// titles of shows and books in quotation marks, and attributions that open
// with an adverb ("Already, …").
type attributionGold struct {
	Story       string   `json:"story"`
	Publication string   `json:"publication"`
	Silent      []int    `json:"silent"`     // paragraphs of narration: no quote, no claim
	NotQuotes   []string `json:"not_quotes"` // titles in quotation marks
	Quotes      []struct {
		Paragraph int    `json:"paragraph"`
		Quote     string `json:"quote"`
		Speaker   string `json:"speaker"`
		Via       string `json:"via"`
		Direct    bool   `json:"direct"`
		Note      string `json:"note"`
	} `json:"quotes"`
}

func TestQuotesJSONAttributionGold(t *testing.T) {
	dir := filepath.Join("testdata", "attribution")
	env := storybotEnv(t, filepath.Join(dir, "stories"))
	got := map[string][]quoteRecord{}
	for _, line := range strings.Split(strings.TrimSpace(runWith(t, env, "", "quotes", "--json")), "\n") {
		var r quoteRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("quotes --json line %q: %v", line, err)
		}
		slug, _, _ := strings.Cut(r.PassageID, "#")
		got[slug] = append(got[slug], r)
	}
	golds, err := filepath.Glob(filepath.Join(dir, "*.gold.json"))
	if err != nil || len(golds) < 3 {
		t.Fatalf("gold tables: %v %v", golds, err)
	}
	for _, path := range golds {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var g attributionGold
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Run(g.Story, func(t *testing.T) {
			recs := got[g.Story]
			used := make([]bool, len(recs))
			for _, want := range g.Quotes {
				found := false
				for i, r := range recs {
					if used[i] || r.Paragraph != want.Paragraph || r.Quote != want.Quote || r.Direct != want.Direct {
						continue
					}
					found, used[i] = true, true
					if r.Speaker != want.Speaker || r.Via != want.Via {
						t.Errorf("¶%d %q: got speaker %q via %q, want %q via %q (%s)", want.Paragraph, want.Quote, r.Speaker, r.Via, want.Speaker, want.Via, want.Note)
					}
					break
				}
				if !found {
					t.Errorf("missing ¶%d %q — %s (%s)", want.Paragraph, want.Quote, want.Speaker, want.Note)
				}
			}
			for i, r := range recs {
				if !used[i] {
					t.Errorf("unexpected ¶%d %q — %q via %q", r.Paragraph, r.Quote, r.Speaker, r.Via)
				}
				for _, p := range g.Silent {
					if r.Paragraph == p {
						t.Errorf("¶%d is narration, yet %q is credited to %q", p, r.Quote, r.Speaker)
					}
				}
				for _, title := range g.NotQuotes {
					if strings.Contains(r.Quote, title) {
						t.Errorf("¶%d: the title %q is listed as a quotation by %q", r.Paragraph, title, r.Speaker)
					}
				}
			}
		})
	}
}

// TestAskCreditsPagePublication checks that an answer from a saved web page
// with no sidecar credits the publication the page names (og:site_name).
func TestAskCreditsPagePublication(t *testing.T) {
	env := storybotEnv(t, filepath.Join("testdata", "attribution", "stories"))
	out := runWith(t, env, "", "ask", "--json", "what did Elise Marchetti say about breaking the deal up?")
	var a struct {
		Citations []struct {
			PassageID   string `json:"passage_id"`
			Publication string `json:"publication"`
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	n := 0
	for _, c := range a.Citations {
		if strings.HasPrefix(c.PassageID, "chip-merger#") {
			n++
			if c.Publication != "The Meridian Times" {
				t.Errorf("citation %s credits %q, want The Meridian Times", c.PassageID, c.Publication)
			}
		}
	}
	if n == 0 {
		t.Fatalf("no citation from the web page: %s", out)
	}
}
