package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
)

// devQuestions reads the questions of the development set that the command's
// tests also use.
func devQuestions(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("../cmd/storybot/testdata/dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it struct{ Question string }
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			tb.Fatal(err)
		}
		qs = append(qs, it.Question)
	}
	return qs
}

// BenchmarkAskExtractive answers one question after another from the dev
// set with the extractive engine over the default story; besides the mean
// it reports the median and 95th percentile of a single answer.
func BenchmarkAskExtractive(b *testing.B) {
	e := newEngine(b)
	qs := devQuestions(b)
	ctx := context.Background()
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := e.Ask(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
}

// BenchmarkFollowUp answers a follow-up ("what else did he say?") after
// each dev question, in a conversation of its own, and reports the
// follow-up's median and 95th percentile: the offline rewrite, the names
// read against the story and the search kept in the conversation's story,
// beside BenchmarkAskExtractive's answer to a question on its own.
func BenchmarkFollowUp(b *testing.B) {
	c := &bot.Conversations{Engine: newEngine(b)}
	qs := devQuestions(b)
	ctx := context.Background()
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprint("bench-", i)
		if _, err := c.Ask(ctx, key, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := c.Ask(ctx, key, "what else did he say?"); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
}

// reportPercentiles reports the median and 95th percentile of times, one
// answer's each, in milliseconds.
func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	ms := func(p int) float64 { return float64(times[(len(times)-1)*p/100]) / 1e6 }
	b.ReportMetric(ms(50), "p50-ms")
	b.ReportMetric(ms(95), "p95-ms")
}
