package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

// The many-story corpus: the default story next to the distractor stories in
// testdata/corpus (fictional news, about half of it written to be close
// neighbours of the default story: Iran nuclear talks in another year, a
// back-channel between two other countries, a recalled ambassador, a book on
// Cold War diplomacy, a congressman carrying a foreign government's letters,
// sanctions relief talks; the rest ordinary local news). The files come in
// the shapes storybot accepts: headline, blank line, paragraphs; headline then
// one paragraph per line; page chrome, byline and dateline around the story;
// with and without a sidecar <name>.json.

// storybotEnv is the environment of one storybot installation: its own index
// folder, and the story folder dataDir ("" for the built-in default story).
func storybotEnv(t *testing.T, dataDir string) map[string]string {
	t.Helper()
	env := map[string]string{"STORYBOT_INDEX_DIR": t.TempDir(), "LOG_LEVEL": "error"}
	if dataDir != "" {
		env["STORYBOT_DATA_DIR"] = dataDir
	}
	return env
}

// runWith runs storybot in env. Calls with the same env share the index, so
// only the first one embeds the stories.
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	if err != nil {
		t.Fatalf("storybot %s: %v\nstderr: %s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// manyStoriesDir is a story folder holding the default story with its
// sidecar and every file of testdata/corpus.
func manyStoriesDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile := func(src string) {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(filepath.Join("..", "..", "data", "forward-iran-outreach.txt"))
	copyFile(filepath.Join("..", "..", "data", "forward-iran-outreach.json"))
	entries, err := os.ReadDir(filepath.Join("testdata", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			copyFile(filepath.Join("testdata", "corpus", e.Name()))
		}
	}
	return dir
}

func TestManyStories(t *testing.T) {
	dir := manyStoriesDir(t)
	many := storybotEnv(t, dir)

	t.Run("corpus", func(t *testing.T) {
		out := runWith(t, many, "", "index")
		var stories, passages, skipped int
		for _, l := range strings.Split(out, "\n") {
			f := strings.Fields(l)
			if len(f) < 2 {
				continue
			}
			var n int
			fmt.Sscan(f[1], &n)
			switch f[0] {
			case "stories":
				stories = n
			case "passages":
				passages = n
			case "skipped":
				skipped = n
			}
		}
		// 13 stories; the default story's 19 paragraphs and at least 220
		// more; every file loads.
		if stories != 13 || passages < 19+220 || skipped != 0 {
			t.Errorf("index of the many-story folder:\n%s", out)
		}
	})

	t.Run("ids-and-metadata", func(t *testing.T) {
		runWith(t, many, "", "index")
		cfg, err := loadConfig(func(k string) string { return many[k] })
		if err != nil {
			t.Fatal(err)
		}
		a, err := openApp(context.Background(), cfg, newLogger(io.Discard, cfg.LogLevel))
		if err != nil {
			t.Fatal(err)
		}
		// What each file says about itself: its slug and its sidecar.
		want := map[string]retrieval.Metadata{}
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".txt")
			var m retrieval.Metadata
			if b, err := os.ReadFile(filepath.Join(dir, name+".json")); err == nil {
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatalf("%s.json: %v", name, err)
				}
			}
			want[retrieval.Slugify(name)] = m
		}
		seen := map[string]bool{}
		title := map[string]string{}
		count := map[string]int{}
		for _, p := range a.index.Passages() {
			if seen[p.ID] {
				t.Errorf("passage id %s is used twice", p.ID)
			}
			seen[p.ID] = true
			m, ok := want[p.Story]
			if !ok {
				t.Errorf("passage %s: story %q is no file of the folder", p.ID, p.Story)
				continue
			}
			count[p.Story]++
			if !strings.HasPrefix(p.ID, fmt.Sprintf("%s#p%d", p.Story, p.Paragraph)) {
				t.Errorf("passage id %s does not name its story %s and paragraph %d", p.ID, p.Story, p.Paragraph)
			}
			// The publication is the story's own sidecar's, or none: never
			// another story's.
			if p.Publication != m.Publication {
				t.Errorf("passage %s: publication %q, its sidecar says %q", p.ID, p.Publication, m.Publication)
			}
			if m.Title != "" && p.Title != m.Title {
				t.Errorf("passage %s: title %q, its sidecar says %q", p.ID, p.Title, m.Title)
			}
			if prev, ok := title[p.Story]; ok && prev != p.Title {
				t.Errorf("story %s has two titles: %q and %q", p.Story, prev, p.Title)
			}
			title[p.Story] = p.Title
		}
		for slug := range want {
			if count[slug] < 15 {
				t.Errorf("story %s: %d passages, want the whole story (15 or more)", slug, count[slug])
			}
		}
	})

	t.Run("search", func(t *testing.T) {
		for _, c := range []struct{ question, first string }{
			// Ordinary news, far from the default story.
			{"how many dockworkers walked off the job at Port Calder", "port-calder-dock-strike#p1"},
			// A neighbour of the default story: Iran, Europeans, an offer.
			{"what did European negotiators offer Iran in Vienna in 2011", "eu-iran-vienna-2011#p"},
			// The default story among its neighbours.
			{"who organizes the yearly conference in Athens", "forward-iran-outreach#p4"},
		} {
			out := runWith(t, many, "", "search", "--k", "5", c.question)
			if !strings.HasPrefix(out, "1. "+c.first) || strings.Count(out, "#p") != 5 {
				t.Errorf("search %q: want %s first\n%s", c.question, c.first, out)
			}
		}
	})

	t.Run("ask-credits-the-right-story", func(t *testing.T) {
		for _, c := range []struct{ question, story, title, publication string }{
			{"how many dockworkers walked off the job at Port Calder?", "port-calder-dock-strike",
				"Dockworkers Strike at Port Calder as Automation Talks Break Down", "The Harbor Ledger"},
			// No sidecar: no publication, and not the default story's.
			{"how many jobs is Lumora cutting?", "lumora-layoffs",
				"Lumora Cuts 1,800 Jobs as It Shifts Spending to AI Data Centers", ""},
			{"who said it wasn't an official overture?", "forward-iran-outreach",
				"Book Reveals Details of Iran’s Diplomatic Outreach to Israel", "The Forward"},
		} {
			var a bot.Answer
			out := runWith(t, many, "", "ask", "--json", c.question)
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatalf("ask --json %q: %v\n%s", c.question, err, out)
			}
			if a.Refused || len(a.Citations) == 0 {
				t.Errorf("ask %q: no citation\n%s", c.question, a.Answer)
				continue
			}
			cit := a.Citations[0]
			if !strings.HasPrefix(cit.PassageID, c.story+"#p") || cit.Story != c.title || cit.Publication != c.publication {
				t.Errorf("ask %q: first citation %+v, want story %s (%q, %q)", c.question, cit, c.story, c.title, c.publication)
			}
			if !strings.Contains(a.Answer, c.title) {
				t.Errorf("ask %q: the answer does not credit %q:\n%s", c.question, c.title, a.Answer)
			}
		}
	})

	t.Run("quotes-of-one-speaker", func(t *testing.T) {
		for _, c := range []struct{ speaker, fullName, story string }{
			{"Odalys Brennan", "Odalys Brennan", "port-calder-dock-strike"},
			{"whitcombe-ruiz", "Eleanor Whitcombe-Ruiz", "cold-war-book-quiet-table"},
			{"sadjepour", "Karim Sadjepour", "forward-iran-outreach"},
		} {
			out := runWith(t, many, "", "quotes", "--json", c.speaker)
			n := 0
			sc := bufio.NewScanner(strings.NewReader(out))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var r quoteRecord
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("quotes --json %s: line %q: %v", c.speaker, sc.Text(), err)
				}
				n++
				if !strings.HasPrefix(r.PassageID, c.story+"#p") || r.Speaker != c.fullName {
					t.Errorf("quotes %s: %+v, want only %s's quotes from %s", c.speaker, r, c.fullName, c.story)
				}
			}
			if n < 2 {
				t.Errorf("quotes %s: %d quotes, want 2 or more:\n%s", c.speaker, n, out)
			}
		}
	})

	// Retrieval quality must hold at the folder's size: the development
	// questions (about the default story; evidence is matched by text) score
	// about as well with the distractors indexed as without them.
	t.Run("dev-set-scores-hold", func(t *testing.T) {
		single := storybotEnv(t, "")
		evalReport := func(env map[string]string) EvalReport {
			out := runWith(t, env, "", "eval", "--json", "testdata/dev.jsonl")
			var r EvalReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("eval --json: %v\n%s", err, out)
			}
			return r
		}
		one, all := evalReport(single), evalReport(many)
		var b bytes.Buffer
		writeTable(&b, one)
		t.Logf("default story alone:\n%s", b.String())
		b.Reset()
		writeTable(&b, all)
		t.Logf("default story in the many-story folder (%d passages):\n%s", countPassages(t, many), b.String())

		// The bars are what the many-story folder measured (2026-11-29),
		// against the default story alone: hit@3 0.91 → 0.86, recall@5
		// 0.87 → 0.80, cite 0.91 → 0.77, refusal 1.00 → 0.80. They are
		// absolute, so that improving the single story does not fail this
		// test; the log shows both tables. What the distractors cost: dev-03
		// and dev-14 lose their evidence (other Iran stories also speak of
		// the United States and of a deal), and two of the ten to be refused
		// are answered: "who won the nba finals", from the school-board
		// story's paragraph about games and finals, and "a good shakshuka
		// recipe? mine always comes out watery", from the lead-pipe story,
		// whose water, lead and mines WordNet relates to "watery" and
		// "mine". With the fitted ranking (2026-11-29, retrieval/ranker.json)
		// hit@3 fell to 0.83 and refusal to 0.70: the fit trades these for
		// public-data hit@1 0.80 → 0.88 on held-out stories; see issue 9's
		// note for the work this leaves.
		failed := false
		for _, c := range []struct {
			name string
			many *float64
			min  float64
		}{
			{"hit@3", all.Overall.Hit3, 0.82},
			{"evidence recall@5", all.Overall.RecallAt5, 0.78},
			{"cite hit", all.Overall.CiteHit, 0.74},
			{"refusal", all.Overall.Refusal, 0.70},
		} {
			if c.many == nil || *c.many < c.min-1e-9 {
				t.Errorf("%s = %v with many stories, want ≥ %.2f", c.name, deref(c.many), c.min)
				failed = true
			}
		}
		if w := all.Overall.WronglyRefused; w == nil || *w > 0.05 {
			t.Errorf("wrongly refused = %v with many stories, want ≤ 0.05", deref(w))
			failed = true
		}
		if q := all.Overall.QuoteVerbatim; q == nil || *q != 1 {
			t.Errorf("quote verbatim = %v with many stories, want 1", deref(q))
			failed = true
		}
		if failed {
			explainDevSetLosses(t, single, many)
		}
	})
}

// countPassages is the number of passages the index of env holds.
func countPassages(t *testing.T, env map[string]string) int {
	t.Helper()
	out := runWith(t, env, "", "index")
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "passages" {
			var n int
			fmt.Sscan(f[1], &n)
			return n
		}
	}
	return 0
}

// explainDevSetLosses logs, for each development question that did worse
// with many stories, what took its place: the evidence that fell out of the
// top 3, the passages ranked above it, a refusal that became an answer, and
// citations of other stories.
func explainDevSetLosses(t *testing.T, single, many map[string]string) {
	t.Helper()
	f, err := os.Open("testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := readEvalItems(f)
	if err != nil {
		t.Fatal(err)
	}
	var qs strings.Builder
	for _, it := range items {
		qs.WriteString(it.Question + "\n")
	}
	answers := func(env map[string]string) []bot.Answer {
		var out []bot.Answer
		sc := bufio.NewScanner(strings.NewReader(runWith(t, env, qs.String(), "ask", "--json")))
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var a bot.Answer
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			out = append(out, a)
		}
		if len(out) != len(items) {
			t.Fatalf("%d answers to %d questions", len(out), len(items))
		}
		return out
	}
	rank := func(a bot.Answer, evidence []string) int {
		for i, r := range a.Retrieved {
			for _, ev := range evidence {
				if retrieval.ContainsFolded(r.Text, ev) {
					return i + 1
				}
			}
		}
		return 0
	}
	one, all := answers(single), answers(many)
	for i, it := range items {
		var why []string
		if !it.Answerable {
			if one[i].Refused && !all[i].Refused {
				why = append(why, "refused with one story, answered with many")
			}
		} else if r1, rn := rank(one[i], it.Evidence), rank(all[i], it.Evidence); r1 >= 1 && r1 <= 3 && (rn == 0 || rn > 3) {
			why = append(why, fmt.Sprintf("evidence ranked %d with one story, %d with many (0: not in the top %d)", r1, rn, len(all[i].Retrieved)))
		}
		if len(why) == 0 {
			continue
		}
		var top, cited []string
		for j, r := range all[i].Retrieved {
			if j == 3 {
				break
			}
			top = append(top, r.PassageID)
		}
		for _, c := range all[i].Citations {
			cited = append(cited, c.PassageID)
		}
		t.Logf("%s %q: %s\n\ttop 3 now: %s\n\tcited now: %s", it.ID, it.Question, strings.Join(why, "; "),
			strings.Join(top, ", "), strings.Join(cited, ", "))
	}
}
