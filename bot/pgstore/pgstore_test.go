package pgstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/pgstore"
	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/pgindex/pgtest"
)

const overtureQ = "who said it wasn't an official overture?"

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func mustStore(t *testing.T, url string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func mustEngine(t *testing.T) *bot.Engine {
	t.Helper()
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reindex(t.Context(), data.FS); err != nil {
		t.Fatal(err)
	}
	return &bot.Engine{Index: ix}
}

// TestConversationOutlivesTheProcess: a follow-up asked of another
// process (or of this one after a restart: its memory is empty) is read
// with the turn the first process answered.
func TestConversationOutlivesTheProcess(t *testing.T) {
	db := pgtest.Database(t)
	eng := mustEngine(t)
	clock := func() time.Time { return t0 }
	first := &bot.Conversations{Engine: eng, Now: clock, Store: mustStore(t, db)}
	if _, err := first.Ask(t.Context(), "dm:1", overtureQ); err != nil {
		t.Fatal(err)
	}
	second := &bot.Conversations{Engine: eng, Now: clock, Store: mustStore(t, db)}
	r, err := second.Ask(t.Context(), "dm:1", "what else did he say?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Standalone, "Sadjepour") {
		t.Errorf("the follow-up in another process read as %q; want Sadjepour", r.Standalone)
	}
	// Another conversation sees none of it.
	r, err = second.Ask(t.Context(), "dm:2", "what else did he say?")
	if err != nil {
		t.Fatal(err)
	}
	if r.Rewrite != "" {
		t.Errorf("a new conversation's question was rewritten to %q", r.Standalone)
	}
}

func TestTurnsBoundedAndExpiring(t *testing.T) {
	s := mustStore(t, pgtest.Database(t))
	ctx := t.Context()
	const n, idle = 3, 30 * time.Minute
	for i := range 5 {
		at := t0.Add(time.Duration(i) * time.Minute)
		turn := bot.Turn{Question: string(rune('a' + i)), Standalone: "S" + string(rune('a'+i)), Speakers: []string{"Karim Sadjepour"}, PassageIDs: []string{"s#p8"}, Refused: i == 2, At: at}
		if err := s.AddTurn(ctx, "c", turn, n, at.Add(idle)); err != nil {
			t.Fatal(err)
		}
	}
	last := t0.Add(4 * time.Minute)
	got, err := s.Turns(ctx, "c", n, last)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, tr := range got {
		qs = append(qs, tr.Question)
	}
	if !slices.Equal(qs, []string{"c", "d", "e"}) {
		t.Errorf("turns %v; want the last 3, oldest first", qs)
	}
	if len(got) == 3 && (!got[0].Refused || got[1].Refused || got[2].Standalone != "Se" || !slices.Equal(got[2].Speakers, []string{"Karim Sadjepour"}) ||
		!slices.Equal(got[2].PassageIDs, []string{"s#p8"}) || !got[2].At.Equal(last)) {
		t.Errorf("turns read back as %+v", got)
	}
	// The first turn's expiry moved on with the later ones: the whole
	// conversation lives until idle after its last turn.
	if got, _ := s.Turns(ctx, "c", n, last.Add(idle-time.Second)); len(got) != 3 {
		t.Errorf("%d turns just before the conversation expires; want 3", len(got))
	}
	later := last.Add(idle)
	if got, _ := s.Turns(ctx, "c", n, later); len(got) != 0 {
		t.Errorf("%d turns once expired; want none", len(got))
	}
	// A turn after it expired starts afresh: the old turns do not return.
	if err := s.AddTurn(ctx, "c", bot.Turn{Question: "new", Standalone: "new", At: later}, n, later.Add(idle)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Turns(ctx, "c", n, later); len(got) != 1 || got[0].Question != "new" {
		t.Errorf("after expiry the conversation holds %+v; want only the new turn", got)
	}
}

func TestAnswers(t *testing.T) {
	s := mustStore(t, pgtest.Database(t))
	ctx := t.Context()
	ref := bot.AnswerRef{Conversation: "msg:1", Question: "who?", Standalone: "Who?", Mode: "extractive", PassageIDs: []string{"s#p8", "s#p9"}}
	if err := s.AddAnswer(ctx, "answer-1", ref, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Answer(ctx, "answer-1", t0)
	if err != nil || !ok || got.Conversation != ref.Conversation || got.Standalone != ref.Standalone || !slices.Equal(got.PassageIDs, ref.PassageIDs) {
		t.Errorf("Answer = %+v, %v, %v; want %+v", got, ok, err, ref)
	}
	if _, ok, err := s.Answer(ctx, "answer-1", t0.Add(time.Hour)); ok || err != nil {
		t.Errorf("an expired answer was found (%v)", err)
	}
	if _, ok, err := s.Answer(ctx, "nothing", t0); ok || err != nil {
		t.Errorf("an unknown answer was found (%v)", err)
	}
}

func TestFeedback(t *testing.T) {
	db := pgtest.Database(t)
	s := mustStore(t, db)
	e := bot.FeedbackEntry{Time: t0, Verdict: bot.VerdictDown, Question: "and him?", Standalone: "What did Rove say?",
		AnswerMode: "extractive", PassageIDs: []string{"s#p13"}, Guild: "g1", User: "abc123"}
	if err := s.AddFeedback(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var got bot.FeedbackEntry
	if err := conn.QueryRow(t.Context(), `SELECT time, verdict, question, standalone, answer_mode, passage_ids, guild, user_hash FROM feedback`).
		Scan(&got.Time, &got.Verdict, &got.Question, &got.Standalone, &got.AnswerMode, &got.PassageIDs, &got.Guild, &got.User); err != nil {
		t.Fatal(err)
	}
	if !got.Time.Equal(e.Time) || got.Verdict != e.Verdict || got.Standalone != e.Standalone || got.User != e.User || !slices.Equal(got.PassageIDs, e.PassageIDs) {
		t.Errorf("feedback row %+v; want %+v", got, e)
	}
}

// TestUnreachableFallsBackToMemory: with the database down, a
// conversation still works within the process.
func TestUnreachableFallsBackToMemory(t *testing.T) {
	s := mustStore(t, "postgres://storybot@/nowhere?host="+t.TempDir())
	c := &bot.Conversations{Engine: mustEngine(t), Store: s}
	if _, err := c.Ask(t.Context(), "dm:1", overtureQ); err != nil {
		t.Fatal(err)
	}
	r, err := c.Ask(t.Context(), "dm:1", "what else did he say?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Standalone, "Sadjepour") {
		t.Errorf("with the store down the follow-up read as %q; want Sadjepour", r.Standalone)
	}
	// Once it failed to connect, the store is not tried on every call.
	if _, err := s.Turns(t.Context(), "dm:1", 4, time.Now()); err == nil || !strings.Contains(err.Error(), "not trying again") {
		t.Errorf("a call just after a failed connection: %v; want it refused at once", err)
	}
}
