package discord

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/internal/testlog"
)

func TestShutdownAnswersWhatItReceived(t *testing.T) {
	eng, ix := newEngine(t)
	g := gatedChat{entered: make(chan struct{}, 1), release: make(chan struct{})} // never released
	eng.Chat = g
	t.Parallel()
	f := discordfake.New(t, discordfake.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	logs := &testlog.Buffer{}
	cfg := Config{Token: "tok-drain", HTTPClient: f.Client(), ShutdownGrace: time.Second,
		Log: slog.New(slog.NewTextHandler(io.MultiWriter(logs, t.Output()), nil))}
	go func() { errc <- Run(ctx, cfg, eng, ix) }()
	wctx := testContext(t)
	if err := f.WaitReady(wctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WaitFor(wctx, discordfake.Match("PUT", "/applications/*/commands")); err != nil {
		t.Fatal(err)
	}
	inFlight := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	dispatch(t, f, "INTERACTION_CREATE", inFlight)
	<-g.entered
	cancel() // SIGTERM

	// A question that arrives while the bot drains (within the grace
	// period) is told to ask again.
	if waitLogLine(wctx, logs, "discord bot stopping") == "" {
		t.Fatal("the bot did not start stopping")
	}
	time.Sleep(20 * time.Millisecond) // from the log line to the handlers' closing
	late := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	dispatch(t, f, "INTERACTION_CREATE", late)
	if _, body := callback(t, wctx, f, late); body.Data == nil || body.Data.Content != textRestarting || body.Data.Flags&64 == 0 {
		t.Errorf("a question during shutdown got %+v; want a private %q", body, textRestarting)
	}
	// The one in flight still gets its answer once the grace period
	// cancels the model call (the extractive answer stands in).
	if _, err := f.WaitFor(wctx, func(r discordfake.Request) bool {
		return r.Method == "PATCH" && strings.HasSuffix(r.Path, inFlight.Token+"/messages/@original") && strings.Contains(string(r.JSON()), "Sadjepour")
	}); err != nil {
		t.Errorf("the answer in flight was not delivered: %v", err)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("Run did not return after the grace period")
	}
}
