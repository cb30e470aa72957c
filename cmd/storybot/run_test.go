package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot"
)

// runCmd runs storybot with a fresh index folder and no model configured.
func runCmd(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	return runWith(t, storybotEnv(t, ""), stdin, args...)
}

func TestAskJSONContract(t *testing.T) {
	out := runCmd(t, "", "ask", "--json", "who said it wasn't an official overture?")
	var a bot.Answer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	if a.Refused || a.Mode != "extractive" || len(a.Retrieved) < 5 || len(a.Citations) == 0 {
		t.Fatalf("answer = %+v", a)
	}
	c := a.Citations[0]
	if c.Speaker != "Karim Sadjepour" || c.Paragraph != 8 || c.PassageID != "forward-iran-outreach#p8" || c.Publication != "The Forward" {
		t.Errorf("citation = %+v", c)
	}
	// The raw JSON has the design's field names.
	for _, field := range []string{`"question"`, `"answer"`, `"refused"`, `"mode"`, `"citations"`, `"retrieved"`, `"passage_id"`, `"story"`, `"publication"`, `"paragraph"`, `"quote"`, `"speaker"`, `"score"`, `"text"`, `"n"`} {
		if !strings.Contains(out, field) {
			t.Errorf("JSON lacks %s", field)
		}
	}
}

func TestAskStdinOnePerLine(t *testing.T) {
	out := runCmd(t, "who organizes the Athens conference?\n\nwhat is a good pizza recipe?\n", "ask", "--json")
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	var answers []bot.Answer
	for sc.Scan() {
		var a bot.Answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		answers = append(answers, a)
	}
	if len(answers) != 2 || answers[0].Refused || !answers[1].Refused {
		t.Errorf("answers = %+v", answers)
	}
}

func TestIndexTwiceEmbedsNothing(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"STORYBOT_INDEX_DIR": dir}
	runIt := func() string {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"index"}, func(k string) string { return env[k] }, nil, &out, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if first := runIt(); !strings.Contains(first, "embedded  19") {
		t.Errorf("first index:\n%s", first)
	}
	if second := runIt(); !strings.Contains(second, "embedded  0") || !strings.Contains(second, "reused    19") {
		t.Errorf("second index:\n%s", second)
	}
}

func TestQuotesJSON(t *testing.T) {
	out := runCmd(t, "", "quotes", "--json", "sadjepour")
	if !strings.Contains(out, `"speaker":"Karim Sadjepour"`) || !strings.Contains(out, "official Iranian overture") {
		t.Errorf("quotes --json sadjepour:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		for _, k := range []string{"passage_id", "paragraph", "quote", "speaker", "role"} {
			if _, ok := r[k]; !ok {
				t.Errorf("line lacks %s: %s", k, line)
			}
		}
	}
}

func TestSearchCommand(t *testing.T) {
	out := runCmd(t, "", "search", "--k", "3", "who organizes the yearly conference in Athens")
	if strings.Count(out, "forward-iran-outreach#p") != 3 || !strings.Contains(out, "#p4") {
		t.Errorf("search output:\n%s", out)
	}
}

func TestUnknownCommand(t *testing.T) {
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, &bytes.Buffer{}, &errOut)
	if err != errUsage || !strings.Contains(errOut.String(), "Usage") {
		t.Errorf("err = %v, stderr %q", err, errOut.String())
	}
}

// evalBars are the least scores a question set must reach; wrongly refused
// is a most.
type evalBars struct {
	quote, hit3, recall5, cite, attribution, refusal, wronglyRefused float64
}

// checkEval scores a question set with the command's own eval and fails on
// any score below its bar.
func checkEval(t *testing.T, file string, bars evalBars) {
	t.Helper()
	checkEvalIn(t, storybotEnv(t, ""), file, bars)
}

// checkEvalIn is checkEval in the storybot environment env.
func checkEvalIn(t *testing.T, env map[string]string, file string, bars evalBars) {
	t.Helper()
	out := runWith(t, env, "", "eval", "--json", file)
	var r EvalReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	o := r.Overall
	for _, c := range []struct {
		name string
		got  *float64
		min  float64
	}{
		{"quote verbatim", o.QuoteVerbatim, bars.quote},
		{"hit@3", o.Hit3, bars.hit3},
		{"evidence recall@5", o.RecallAt5, bars.recall5},
		{"cite hit", o.CiteHit, bars.cite},
		{"attribution", o.Attribution, bars.attribution},
		{"refusal", o.Refusal, bars.refusal},
	} {
		if c.min > 0 && (c.got == nil || *c.got < c.min) {
			t.Errorf("%s: %s = %v, want ≥ %.2f", file, c.name, deref(c.got), c.min)
		}
	}
	if o.Answerable > 0 && (o.WronglyRefused == nil || *o.WronglyRefused > bars.wronglyRefused) {
		t.Errorf("%s: wrongly refused = %v, want ≤ %.2f", file, deref(o.WronglyRefused), bars.wronglyRefused)
	}
}

// TestEvalDevSet scores the development question set (a copy lives in
// testdata so a clone needs nothing else) and holds the bars the project
// committed to, so a regression fails CI.
func TestEvalDevSet(t *testing.T) {
	checkEval(t, "testdata/dev.jsonl", evalBars{quote: 1, hit3: 0.88, recall5: 0.85, cite: 0.90, attribution: 0.90, refusal: 0.90, wronglyRefused: 0.05})
}

// TestEvalProbeSet scores the second question set, written apart from the
// dev set to see whether the answers generalise (refusals above all): its
// bars are what it measured, so that they only go up.
func TestEvalProbeSet(t *testing.T) {
	checkEval(t, "testdata/probe.jsonl", evalBars{quote: 1, hit3: 0.85, recall5: 0.85, cite: 0.75, attribution: 0.90, refusal: 0.85, wronglyRefused: 0.05})
}

// TestEvalHoldoutSet scores a third set, written without sight of the
// other two or of the code (its failures then guided general fixes, so it
// is no longer unseen); its bars are what it measured.
func TestEvalHoldoutSet(t *testing.T) {
	checkEval(t, "testdata/holdout.jsonl", evalBars{quote: 1, hit3: 0.80, recall5: 0.85, cite: 0.85, attribution: 0.80, refusal: 0.84, wronglyRefused: 0.05})
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// publicData returns the public data folder beside the checkout, skipping
// the test without it (CI must have it) or in -short mode.
func publicData(t *testing.T) string {
	t.Helper()
	dir := "../../../shared/eval/squad2"
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("public data missing in CI: %v", err)
		}
		t.Skipf("no public data beside the checkout: %v", err)
	}
	if testing.Short() {
		t.Skip("public data eval takes seconds")
	}
	return dir
}

// TestEvalPublicDataHeldOut scores the public-data stories that no fit
// sees (eval --split heldout) and holds the level they reached.
func TestEvalPublicDataHeldOut(t *testing.T) {
	dir := publicData(t)
	env := map[string]string{"STORYBOT_INDEX_DIR": t.TempDir(), "STORYBOT_DATA_DIR": dir + "/stories"}
	out := runWith(t, env, "", "eval", "--json", "--split", "heldout", dir+"/questions.jsonl")
	var r EvalReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	o := r.Overall
	for _, c := range []struct {
		name string
		got  *float64
		min  float64
	}{
		{"hit@1", o.Hit1, 0.86},
		{"answer in quote", o.AnswerInQuote, 0.85},
		{"balanced refusal", o.BalancedRefusal, 0.60},
		{"quote verbatim", o.QuoteVerbatim, 1},
	} {
		if c.got == nil || *c.got < c.min {
			t.Errorf("%s = %v, want ≥ %.2f", c.name, deref(c.got), c.min)
		}
	}
	if o.WronglyRefused == nil || *o.WronglyRefused > 0.05 {
		t.Errorf("wrongly refused = %v, want ≤ 0.05", deref(o.WronglyRefused))
	}
}

// TestEvalAnswersRemoved runs eval --answers-removed on the held-out public
// stories: the questions whose answer was cut must be there, and be scored
// as questions to refuse. Refusing them is the open problem (see the
// README), so the test holds the wiring and the kept questions' level.
func TestEvalAnswersRemoved(t *testing.T) {
	dir := publicData(t)
	env := map[string]string{"STORYBOT_INDEX_DIR": t.TempDir(), "STORYBOT_DATA_DIR": dir + "/stories"}
	out := runWith(t, env, "", "eval", "--json", "--answers-removed", "--split", "heldout", dir+"/questions.jsonl")
	var r EvalReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	cut, ok := r.ByKind[kindAnswerRemoved]
	if !ok || cut.Items < 50 || cut.Answerable != 0 {
		t.Errorf("answer-removed: %+v, want ≥ 50 questions to refuse", cut)
	}
	if o := r.Overall; o.Hit1 == nil || *o.Hit1 < 0.86 || o.WronglyRefused == nil || *o.WronglyRefused > 0.05 {
		t.Errorf("kept questions: hit@1 %v, wrongly refused %v; want ≥ 0.86, ≤ 0.05", deref(o.Hit1), deref(o.WronglyRefused))
	}
}

// newsMultiStories are the seven stories testdata/news-multi.jsonl asks
// about, loaded together: the default story and six of testdata/corpus.
var newsMultiStories = []string{"doha-sanctions-relief-talks", "eu-iran-vienna-2011", "india-pakistan-backchannel",
	"cedar-ridge-wildfire", "lumora-layoffs", "port-calder-dock-strike"}

// TestEvalNewsMulti scores the many-story news set: 84 questions about
// seven news stories loaded together (answerable, unanswerable and
// off-topic), written by someone who had not seen the code, as readers
// type. Its failures then guided general fixes, so it is no longer unseen;
// its bars are what it measured. (Refusal was 0.57 until the story is
// chosen by likelihood (oneStory): one chat message, "lol who keeps pinging
// @everyone in general", had been refused only because a story it had
// nothing to do with was chosen for it.)
func TestEvalNewsMulti(t *testing.T) {
	checkEvalIn(t, storybotEnv(t, storiesBeside(t, newsMultiStories)), "testdata/news-multi.jsonl",
		evalBars{quote: 1, hit3: 0.75, cite: 0.74, attribution: 0.90, refusal: 0.54, wronglyRefused: 0.05})
}

// TestEvalFreshMulti scores a second many-story set, 98 questions about
// the default story and six other corpus stories loaded together (12 a
// story, 5 of them unanswerable of five kinds, and 14 chat messages),
// written by someone who had not seen the code or the other sets. Its
// odd-numbered half guided fixes; the even half was scored, not studied.
// Its bars are what it measured.
func TestEvalFreshMulti(t *testing.T) {
	stories := []string{"ambassador-recalled-oman", "cold-war-book-quiet-table", "congressman-foreign-agent",
		"fairhaven-school-start-times", "halbrook-tower-dump-ruling", "millbrook-lead-lines"}
	checkEvalIn(t, storybotEnv(t, storiesBeside(t, stories)), "testdata/fresh-multi.jsonl",
		evalBars{quote: 1, hit3: 0.75, cite: 0.70, attribution: 0.90, refusal: 0.40, wronglyRefused: 0.05})
}

// TestEvalPersonal scores readers who speak of themselves: 43 first-person
// questions the 13 stories answer ("i live in alder springs, do i have to
// evacuate?") among 25 first-person chat messages ("my monstera is dying
// help"), written by someone who had not seen the code, with every story
// loaded. The personal rule must refuse the chat and not the readers: a
// rule for chat that reads "I" or "my" alone refused readers here (one more
// of 43 for a closeness test; the personal-chat refusal fell 0.88 → 0.68 when
// closeness guarded the rule instead). It was scored, not studied. Its bars
// are what it measured.
func TestEvalPersonal(t *testing.T) {
	checkEvalIn(t, storybotEnv(t, storiesBeside(t, corpusStories(t))), "testdata/personal.jsonl",
		evalBars{quote: 1, hit3: 0.60, cite: 0.55, refusal: 0.85, wronglyRefused: 0.07})
}

// storiesBeside returns a folder holding the default story and the named
// corpus stories, with their sidecars; it skips the test in -short mode.
func storiesBeside(t *testing.T, corpus []string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("indexes seven stories")
	}
	dir := t.TempDir()
	copyFile := func(src string) {
		b, err := os.ReadFile(src)
		if err != nil {
			if os.IsNotExist(err) && strings.HasSuffix(src, ".json") {
				return // no sidecar
			}
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(filepath.Join("..", "..", "data", "forward-iran-outreach.txt"))
	copyFile(filepath.Join("..", "..", "data", "forward-iran-outreach.json"))
	for _, s := range corpus {
		copyFile(filepath.Join("testdata", "corpus", s+".txt"))
		copyFile(filepath.Join("testdata", "corpus", s+".json"))
	}
	return dir
}

// TestEvalOffTopicHeldOut scores the held-out half of the written off-topic
// messages (the fit sees the other half) against the default story.
func TestEvalOffTopicHeldOut(t *testing.T) {
	checkEval(t, "testdata/offtopic-heldout.jsonl", evalBars{refusal: 0.90})
}
