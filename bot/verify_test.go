package bot

import (
	"strings"
	"sync"
	"testing"

	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
)

var (
	storyOnce     sync.Once
	storyPassages []retrieval.Passage
	storyErr      error
)

// mustStoryPassages returns the passages of the default story, by
// paragraph number (index 0 is paragraph 1).
func mustStoryPassages(t testing.TB) []retrieval.Passage {
	t.Helper()
	storyOnce.Do(func() {
		stories, errs := retrieval.LoadStories(data.FS)
		if len(errs) > 0 || len(stories) == 0 {
			storyErr = errorsJoin(errs)
			return
		}
		storyPassages = retrieval.Passages(stories[0])
	})
	if storyErr != nil || len(storyPassages) < 19 {
		t.Fatalf("load the default story: %v (%d passages)", storyErr, len(storyPassages))
	}
	return storyPassages
}

func errorsJoin(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}

// verifyPassages are the passages the verify tests cite: [1] is ¶8
// (Sadjepour), [2] ¶13 (Rove, relayed by Parsi), [3] ¶6 (the dispute), [4]
// ¶10 (Parsi).
func verifyPassages(t testing.TB) []retrieval.Passage {
	all := mustStoryPassages(t)
	return []retrieval.Passage{all[7], all[12], all[5], all[9]}
}

const (
	sadjepour     = "This doesn’t mean an official Iranian overture to the U.S. and Israel"
	sadjepourText = "“" + sadjepour + ",” said Karim Sadjepour of the Carnegie Endowment for Peace in Washington."
	parsiAthens   = "The Iranians wanted to come to Athens because the Israelis were there"
)

func TestVerifyAnswer(t *testing.T) {
	type cite struct {
		n       int
		quote   string
		speaker string
	}
	tests := []struct {
		name    string
		text    string
		want    string // the repaired text; "" means the input unchanged
		cites   []cite
		counts  [5]int // verified, mended, removed, recited, bad refs
		without []string
	}{
		{
			name:   "verbatim curly",
			text:   sadjepourText + " [1]",
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:   "verbatim straight marks and apostrophe",
			text:   `"This doesn't mean an official Iranian overture to the U.S. and Israel," said Karim Sadjepour [1].`,
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:   "near copy mended",
			text:   `Karim Sadjepour said "This doesn't mean a formal Iranian overture to the U.S. and Israel" [1].`,
			want:   `Karim Sadjepour said "` + sadjepour + `" [1].`,
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{0, 1, 0, 0, 0},
		},
		{
			name:   "near copy with a word dropped and the case changed",
			text:   "Parsi said “the Iranians wanted to come to Athens because Israelis were there” [4].",
			want:   "Parsi said “" + parsiAthens + "” [4].",
			cites:  []cite{{4, parsiAthens, "Trita Parsi"}},
			counts: [5]int{0, 1, 0, 0, 0},
		},
		{
			name: "fabricated quote removed with its sentence",
			text: "Sadjepour said “Iran has abandoned its nuclear program entirely” [1]. Parsi said “" + parsiAthens + "” [4].",
			want: "Parsi said “" + parsiAthens + "” [4].\n\n" +
				"_(one quotation could not be verified against the story and was removed)_",
			cites:   []cite{{4, parsiAthens, "Trita Parsi"}},
			counts:  [5]int{1, 0, 1, 0, 0},
			without: []string{"abandoned"},
		},
		{
			name:   "nothing verifiable",
			text:   "Sadjepour said “Iran has abandoned its nuclear program entirely” [1].",
			want:   "_(one quotation could not be verified against the story and was removed)_",
			counts: [5]int{0, 0, 1, 0, 0},
		},
		{
			name:   "verified quote removed with a failed one in its sentence",
			text:   "Sadjepour said “" + sadjepour + "” and “Iran will sign a treaty with Israel next week” [1][7]. Parsi said “" + parsiAthens + "” [4].",
			want:   "Parsi said “" + parsiAthens + "” [4].\n\n_(one quotation could not be verified against the story and was removed)_",
			cites:  []cite{{4, parsiAthens, "Trita Parsi"}},
			counts: [5]int{2, 0, 1, 0, 0},
		},
		{
			name:   "out-of-range citation removed",
			text:   "Rezai was prone to “do his own thing,” Sadjepour said [1][7]. Parsi said “" + parsiAthens + "” [4, 9].",
			want:   "Rezai was prone to “do his own thing,” Sadjepour said [1]. Parsi said “" + parsiAthens + "” [4].\n\n_(2 citations of passages that do not exist were removed)_",
			cites:  []cite{{1, "do his own thing", "Karim Sadjepour"}, {4, parsiAthens, "Trita Parsi"}},
			counts: [5]int{2, 0, 0, 0, 2},
		},
		{
			name:   "only an out-of-range citation",
			text:   "The offer reached Karl Rove [7].",
			want:   "The offer reached Karl Rove.\n\n_(a citation of a passage that does not exist was removed)_",
			counts: [5]int{0, 0, 0, 0, 1},
		},
		{
			name:   "mis-cited quote re-cited",
			text:   "Parsi said “" + parsiAthens + "” [1].",
			want:   "Parsi said “" + parsiAthens + "” [4].",
			cites:  []cite{{4, parsiAthens, "Trita Parsi"}},
			counts: [5]int{1, 0, 0, 1, 0},
		},
		{
			name:   "uncited quote checked against every passage",
			text:   "Parsi said: “" + parsiAthens + ".”",
			cites:  []cite{{4, parsiAthens, "Trita Parsi"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:   "short verbatim scare quote kept without a citation",
			text:   "Rove called it an “intriguing” proposal, Parsi writes [2]. Sadjepour: “" + sadjepour + "” [1].",
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:    "short invented quote removed",
			text:    "Rove called it an “ambitious” proposal [2]. Sadjepour: “" + sadjepour + "” [1].",
			want:    "Sadjepour: “" + sadjepour + "” [1].\n\n_(one quotation could not be verified against the story and was removed)_",
			cites:   []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts:  [5]int{1, 0, 1, 0, 0},
			without: []string{"ambitious"},
		},
		{
			name:   "elided quote",
			text:   "“This doesn’t mean an official Iranian overture … and Israel,” said Sadjepour [1].",
			cites:  []cite{{1, "This doesn’t mean an official Iranian overture", "Karim Sadjepour"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:   "quote left open is closed",
			text:   "Sadjepour said “" + sadjepour + " [1]",
			want:   "Sadjepour said “" + sadjepour + "” [1]",
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:   "citation inside the marks moves out",
			text:   "Sadjepour said “" + sadjepour + " [1]”.",
			want:   "Sadjepour said “" + sadjepour + "” [1].",
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name: "bullet list with one line removed",
			text: "According to *Book Reveals Details of Iran’s Diplomatic Outreach to Israel* (The Forward):\n" +
				"- “" + sadjepour + "” — Karim Sadjepour [1]\n" +
				"- “Iran wanted a nuclear deal with Israel” — Trita Parsi [4]\n" +
				"- A senior Israeli disputed Parsi’s version [3].",
			want: "According to *Book Reveals Details of Iran’s Diplomatic Outreach to Israel* (The Forward):\n" +
				"- “" + sadjepour + "” — Karim Sadjepour [1]\n" +
				"- A senior Israeli disputed Parsi’s version [3].\n\n" +
				"_(one quotation could not be verified against the story and was removed)_",
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{1, 0, 1, 0, 0},
		},
		{
			name:   "narration has no speaker",
			text:   "The story says Parsi’s account “was disputed by a senior Israeli who attended the session” [3].",
			cites:  []cite{{3, "was disputed by a senior Israeli who attended the session", "a senior Israeli who attended the session"}},
			counts: [5]int{1, 0, 0, 0, 0},
		},
		{
			name:   "duplicate quote cited once",
			text:   "“" + sadjepour + "” [1]. Again: “" + sadjepour + "” [1].",
			cites:  []cite{{1, sadjepour, "Karim Sadjepour"}},
			counts: [5]int{2, 0, 0, 0, 0},
		},
		{
			name: "no quotes at all",
			text: "The story does not name the analyst's employer.",
		},
	}
	passages := verifyPassages(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifyAnswer(tt.text, passages)
			want := tt.want
			if want == "" {
				want = tt.text
			}
			if v.Text != want {
				t.Errorf("text:\ngot  %q\nwant %q", v.Text, want)
			}
			if got := [5]int{v.Verified, v.Mended, v.Removed, v.Recited, v.BadRefs}; got != tt.counts {
				t.Errorf("counts (verified, mended, removed, recited, bad refs) = %v, want %v", got, tt.counts)
			}
			if len(v.Citations) != len(tt.cites) {
				t.Fatalf("got %d citations %+v, want %d", len(v.Citations), v.Citations, len(tt.cites))
			}
			for i, c := range v.Citations {
				w := tt.cites[i]
				p := passages[w.n-1]
				if c.N != w.n || c.Quote != w.quote || c.Speaker != w.speaker {
					t.Errorf("citation %d = {N:%d Quote:%q Speaker:%q}, want {N:%d Quote:%q Speaker:%q}", i, c.N, c.Quote, c.Speaker, w.n, w.quote, w.speaker)
				}
				if c.PassageID != p.ID || c.Paragraph != p.Paragraph || c.Story != p.Title || c.Publication != p.Publication {
					t.Errorf("citation %d source = %s ¶%d %q %q, want %s ¶%d", i, c.PassageID, c.Paragraph, c.Story, c.Publication, p.ID, p.Paragraph)
				}
			}
			for _, s := range tt.without {
				if strings.Contains(v.Text, s) {
					t.Errorf("text still holds %q: %q", s, v.Text)
				}
			}
			// Verifying the repaired text again changes nothing.
			again := verifyAnswer(v.Text, passages)
			if again.Text != v.Text || again.Removed+again.Mended+again.Recited+again.BadRefs != 0 {
				t.Errorf("second pass changed the text:\nfirst  %q\nsecond %q", v.Text, again.Text)
			}
		})
	}
}

func TestVerifyNote(t *testing.T) {
	tests := []struct {
		removed, bad int
		want         string
	}{
		{0, 0, ""},
		{1, 0, "_(one quotation could not be verified against the story and was removed)_"},
		{3, 0, "_(3 quotations could not be verified against the story and were removed)_"},
		{0, 2, "_(2 citations of passages that do not exist were removed)_"},
		{1, 1, "_(one quotation could not be verified against the story and was removed; a citation of a passage that does not exist was removed)_"},
	}
	for _, tt := range tests {
		if got := verifyNote(tt.removed, tt.bad); got != tt.want {
			t.Errorf("verifyNote(%d, %d) = %q, want %q", tt.removed, tt.bad, got, tt.want)
		}
	}
}

func TestFoldIndex(t *testing.T) {
	for _, s := range []string{
		"", "  ", "a", " “Hello,”  she said.\n\tIt’s\u00a0fine ", "\xff“x\xe2\x80", "U.S.\u2028next",
	} {
		f := newFoldIndex(s)
		if want := retrieval.Fold(s); f.s != want {
			t.Errorf("newFoldIndex(%q).s = %q, want %q", s, f.s, want)
		}
		if len(f.s) > 0 {
			if got := retrieval.Fold(f.original(0, len(f.s))); got != f.s {
				t.Errorf("original of all of %q folds to %q", s, got)
			}
		}
	}
}

func TestBestWindow(t *testing.T) {
	p := wordTokens("one two three four five six seven eight nine ten")
	tests := []struct {
		quote   string
		want    string
		atLeast float64
	}{
		{"three four five six", "three four five six", 1},
		{"Three, four, FIVE, six!", "three four five six", 1},
		{"three four fifty six seven", "three four five six seven", 0.8},
		{"three four six seven", "three four five six seven", 0.88},
	}
	for _, tt := range tests {
		q := wordTokens(tt.quote)
		s0, s1, sim := bestWindow(q, p)
		var got []string
		for _, w := range p[s0:s1] {
			got = append(got, w.norm)
		}
		if strings.Join(got, " ") != tt.want || sim < tt.atLeast {
			t.Errorf("bestWindow(%q) = %q (%.2f), want %q (≥ %.2f)", tt.quote, strings.Join(got, " "), sim, tt.want, tt.atLeast)
		}
	}
}

// FuzzVerify checks that verification never panics, that every citation it
// returns quotes its passage verbatim, and that its output verifies clean.
func FuzzVerify(f *testing.F) {
	f.Add("“"+sadjepour+"” [1]", "", "")
	f.Add(`"This doesn't mean a formal overture to the U.S." [2] and “x y z [9]`, "a “b” c", "")
	f.Add("- “abc def ghi” [1]\n- “… jkl mno … pqr” [2, 3]\n\n“open [1]", "abc def ghi jkl", "mno pqr")
	f.Add("„a b c“ [1]; \"d e f\" [1; 2] [99999999999999999999]", "\xffa b c\u00a0d", "d e f")
	f.Fuzz(func(t *testing.T, text, p1, p2 string) {
		passages := append(verifyPassages(t)[:2:2],
			retrieval.Passage{ID: "x#p1", Paragraph: 1, Text: p1},
			retrieval.Passage{ID: "x#p2", Paragraph: 2, Text: p2})
		for _, p := range []string{p1, p2} {
			if f := newFoldIndex(p); f.s != retrieval.Fold(p) {
				t.Fatalf("newFoldIndex(%q) = %q, want %q", p, f.s, retrieval.Fold(p))
			}
		}
		v := verifyAnswer(text, passages)
		for _, c := range v.Citations {
			if c.N < 1 || c.N > len(passages) {
				t.Fatalf("citation number %d of %d passages", c.N, len(passages))
			}
			p := passages[c.N-1]
			if c.PassageID != p.ID || retrieval.Fold(c.Quote) == "" || !retrieval.ContainsFolded(p.Text, c.Quote) {
				t.Fatalf("citation %+v does not quote passage %d %q verbatim", c, c.N, p.Text)
			}
		}
		if again := verifyAnswer(v.Text, passages); again.Removed+again.BadRefs != 0 {
			t.Fatalf("second pass removed more: %q → %q → %q", text, v.Text, again.Text)
		}
		for _, m := range citeRe.FindAllString(v.Text, -1) {
			for _, n := range citeNumbers(m) {
				if n < 1 || n > len(passages) {
					t.Fatalf("output %q keeps citation %s", v.Text, m)
				}
			}
		}
	})
}
