package discord

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/bot/pgstore"
	"github.com/storybot/storybot/internal/testlog"
	"github.com/storybot/storybot/retrieval/pgindex/pgtest"
)

// runStoppable runs the bot as one process against f, like runProcess,
// and returns once it is ready, with a stop that ends the process (as a
// restart would) and waits for it.
func runStoppable(t *testing.T, f *discordfake.Fake, name string, cfg Config) (logs *testlog.Buffer, stop func()) {
	t.Helper()
	logs = &testlog.Buffer{}
	cfg.Token, cfg.HTTPClient = "tok-"+strings.ReplaceAll(t.Name(), "/", "-"), f.Client()
	cfg.Log = slog.New(slog.NewTextHandler(io.MultiWriter(logs, t.Output()), &slog.HandlerOptions{Level: slog.LevelDebug})).With("process", name)
	eng, ix := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, cfg, eng, ix) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-errc:
				if err != nil {
					t.Errorf("Run %s: %v", name, err)
				}
			case <-time.After(20 * time.Second):
				t.Errorf("Run %s did not return after cancel", name)
			}
		})
	}
	t.Cleanup(stop)
	if line := waitLogLine(testContext(t), logs, "discord bot ready"); line == "" {
		t.Fatalf("%s never got ready", name)
	}
	return logs, stop
}

// TestReplyAfterRestartKeepsConversation: with a Store, a reply to an
// answer the previous process gave continues its conversation, and a 👎
// on it records the question, in the log and in the database.
func TestReplyAfterRestartKeepsConversation(t *testing.T) {
	t.Parallel()
	db := pgtest.Database(t)
	f := discordfake.New(t, discordfake.Options{})
	ctx := testContext(t)
	store := func() Store {
		s, err := pgstore.Open(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	botUser := f.BotUser()
	_, stop := runStoppable(t, f, "before", Config{Store: store()})
	q := discordfake.MessageCreate(discordfake.MessageSpec{
		Content: discordfake.Mention(botUser.ID) + " " + whoSaid, GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{botUser},
	})
	dispatch(t, f, "MESSAGE_CREATE", q)
	first, seq := waitAnswer(t, ctx, f, q.ChannelID, 0)
	stop()

	feedback := t.TempDir() + "/feedback.jsonl"
	logs, _ := runStoppable(t, f, "after", Config{Store: store(), FeedbackPath: feedback})
	reply := discordfake.Reply(discordfake.ReplySpec{
		MessageSpec: discordfake.MessageSpec{Content: "what else did he say?", GuildID: discordfake.DefaultGuildID},
		To:          first.id, ToAuthor: botUser,
	})
	dispatch(t, f, "MESSAGE_CREATE", reply)
	a, _ := waitAnswer(t, ctx, f, q.ChannelID, seq)
	if !strings.Contains(a.content, "read as: “What else did Karim Sadjepour say?”") {
		t.Errorf("a reply after the restart = %q; want it read with the conversation", a.content)
	}

	msg, ok := f.Message(first.id)
	if !ok {
		t.Fatal("the first answer is not in the fake")
	}
	click := discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: first.buttonID(t, "👎"), Message: msg, GuildID: discordfake.DefaultGuildID})
	dispatch(t, f, "INTERACTION_CREATE", click)
	if _, cb := callback(t, ctx, f, discordfake.Interaction{ID: click.ID}); cb.Type != 4 {
		t.Fatalf("click acknowledged with %+v", cb)
	}
	if line := waitLogLine(ctx, logs, "msg=feedback"); line == "" {
		t.Fatal("the click was not recorded")
	}
	if e := readFeedback(t, feedback); len(e) != 1 || e[0].Question != whoSaid {
		t.Errorf("feedback log %+v; want one 👎 with the question", e)
	}
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var verdict, question, user string
	if err := conn.QueryRow(ctx, `SELECT verdict, question, user_hash FROM feedback`).Scan(&verdict, &question, &user); err != nil {
		t.Fatal(err)
	}
	if verdict != "down" || question != whoSaid || user == "" || strings.Contains(user, discordfake.DefaultUserID) {
		t.Errorf("feedback row: %s %q user %q", verdict, question, user)
	}
}
