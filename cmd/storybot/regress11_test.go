package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

// Two stories of one outlet ending with the same contact line once made
// `storybot index` fail with "0-dimension embedding", so the bot could not
// start on the folder.
func TestIndexStoriesSharingAParagraph(t *testing.T) {
	dir := t.TempDir()
	const contact = "For more information, contact the newsroom at news@example.com or call 555-0100."
	for name, body := range map[string]string{
		"harbour.txt": "Harbour Workers Strike\n\nDockworkers at the harbour walked out on Monday over pay, union leaders said.\n\n" + contact + "\n",
		"council.txt": "Council Approves Budget\n\nThe town council approved its budget on Tuesday after a long debate.\n\n" + contact + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := storybotEnv(t, dir)
	out := runWith(t, env, "", "index")
	if !strings.Contains(out, "stories   2") || !strings.Contains(out, "passages  4") || !strings.Contains(out, "embedded  3") {
		t.Errorf("index:\n%s", out)
	}
	if out := runWith(t, env, "", "ask", "who walked out at the harbour?"); !strings.Contains(out, "Dockworkers") {
		t.Errorf("ask:\n%s", out)
	}
}

// One overlong line on stdin once ended the whole batch with
// "bufio.Scanner: token too long"; now it gets its own refusal and the
// questions after it are answered.
func TestAskStdinOverlongLineKeepsTheBatch(t *testing.T) {
	in := "who organizes the Athens conference?\n" + strings.Repeat("a", 1<<20) + "\n" + strings.Repeat("b", 16<<20) + "\nwho said it wasn't an official overture?\n"
	out := runCmd(t, in, "ask", "--json")
	sc := bufio.NewScanner(strings.NewReader(out))
	var got []bot.Answer
	for sc.Scan() {
		var a bot.Answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%v: %.200s", err, sc.Text())
		}
		got = append(got, a)
	}
	if len(got) != 4 {
		t.Fatalf("%d answers for 4 lines", len(got))
	}
	for i, want := range []string{"", "1048576 bytes long", "16777216 bytes long", ""} {
		a := got[i]
		if want == "" && (a.Refused || len(a.Citations) == 0) {
			t.Errorf("line %d: %+v", i+1, a)
		}
		if want != "" && (!a.Refused || !strings.Contains(a.Answer, want)) {
			t.Errorf("line %d: refused %v, %q", i+1, a.Refused, a.Answer)
		}
	}
	// Text mode too.
	if out := runCmd(t, in, "ask"); strings.Count(out, "questions are limited") != 2 || !strings.Contains(out, "Sadjepour") {
		t.Errorf("ask (text):\n%.1000s", out)
	}
}

// `storybot index` names every file it left out, with the reason.
func TestIndexNamesSkippedFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"harbour.txt":     "Harbour Workers Strike\n\nDockworkers at the harbour walked out on Monday over pay, union leaders said.\n",
		"empty.txt":       "",
		"binary.txt":      "\x00\x01\x02binary",
		"harbour-2.txt":   "Harbour Workers Strike\n\nDockworkers at the harbour walked out on Monday over pay, union leaders said.\n",
		"harbour.json":    `{"publication": 7}`,
		"not-a-story.pdf": "%PDF",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := runWith(t, storybotEnv(t, dir), "", "index")
	for _, want := range []string{
		"stories   1", "skipped   4 files",
		"skipped   story empty.txt: the file is empty",
		"skipped   story binary.txt: the file is binary",
		"skipped   story harbour.txt: the same story as harbour-2.txt",
		"skipped   metadata harbour.json: not a JSON object of strings",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("index output lacks %q:\n%s", want, out)
		}
	}
}

// A line the engine cannot answer at all (here: an empty index) gets its
// own error object, the lines after it are still tried, and the batch
// fails at its end.
func TestAskStdinErrorObjects(t *testing.T) {
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	e := &bot.Engine{Index: ix}
	var out bytes.Buffer
	err = askEachLine(context.Background(), e, slog.New(slog.DiscardHandler), strings.NewReader("first question\n"+strings.Repeat("x", 1<<20)+"\nsecond question\n"), &out, true)
	if err == nil || !strings.Contains(err.Error(), "2 of 3 questions could not be answered") {
		t.Errorf("err = %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines for 3 questions:\n%s", len(lines), out.String())
	}
	for i, want := range []string{`"error":`, `"refused":true`, `"error":`} {
		var v map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &v); err != nil || !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %.200s (%v), want %s", i+1, lines[i], err, want)
		}
	}
	if !strings.Contains(lines[2], `"question":"second question"`) {
		t.Errorf("line 3 = %s", lines[2])
	}
}
