package discord

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discord/discordfake"
)

// The end-to-end tests: the bot runs through Run against the loopback
// fake Discord, over a real discordgo session, to prove the wiring. Every
// other handler test runs against fakeSession.

// TestEndToEndAsk: a slash command is deferred at once, then the deferred
// response is edited with the answer; an edit that Discord rate-limits is
// retried.
func TestEndToEndAsk(t *testing.T) {
	t.Parallel()
	tb := startBot(t, Config{GuildID: discordfake.DefaultGuildID}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	tb.f.RateLimitNext("PATCH", "/webhooks/*/"+in.Token+"/messages/@original", 1)
	sent := dispatch(t, tb.f, "INTERACTION_CREATE", in)

	cb, body := callback(t, ctx, tb.f, in)
	t.Logf("dispatch → defer: %v", cb.Time.Sub(sent))
	if cb.Status != http.StatusNoContent || body.Type != 5 {
		t.Fatalf("first response %v type %d, want a 204 deferral (type 5)", cb, body.Type)
	}
	if body.Data != nil && body.Data.Flags&64 != 0 {
		t.Errorf("public question deferred as ephemeral")
	}
	if cb.Time.Sub(sent) > time.Second {
		t.Errorf("deferral took %v", cb.Time.Sub(sent))
	}
	edit := originalEdits(t, ctx, tb.f, in, 1)[0]
	if edit.Seq < cb.Seq {
		t.Errorf("edit (#%d) before the deferral (#%d)", edit.Seq, cb.Seq)
	}
	msg := decode[messageBody](t, edit)
	if !strings.Contains(msg.Content, "Sadjepour") || !strings.Contains(msg.Content, "¶8") {
		t.Errorf("answer = %q, want Sadjepour and ¶8", msg.Content)
	}
	noPings(t, msg.AllowedMentions)
	if len(msg.Embeds) != 1 || msg.Embeds[0].Title == "" || msg.Embeds[0].Footer == nil || len(msg.Embeds[0].Fields) == 0 {
		t.Errorf("embeds = %+v, want one with title, footer and fields", msg.Embeds)
	}
	patches := tb.f.Find(discordfake.Match("PATCH", "/webhooks/*/"+in.Token+"/messages/@original"))
	if len(patches) != 2 || patches[0].Status != http.StatusTooManyRequests || patches[1].Seq != edit.Seq {
		t.Errorf("edits = %v, want a 429 then a 200", patches)
	}
}

// TestEndToEndReindexPermissions: /reindex is refused to a member
// without Manage Server or the moderator role, and to a DM from someone
// not an owner; for the others it reports progress, then the result.
func TestEndToEndReindexPermissions(t *testing.T) {
	t.Parallel()
	const modRole = "1180000000000000777"
	tb := startBot(t, Config{ModRoleID: modRole, OwnerIDs: []string{"1180000000000000888"}}, nil, nil)
	ctx := testContext(t)

	refused := func(name string, spec discordfake.CommandSpec) {
		t.Helper()
		in := discordfake.SlashCommand(spec)
		dispatch(t, tb.f, "INTERACTION_CREATE", in)
		_, body := callback(t, ctx, tb.f, in)
		if body.Type != 4 || body.Data == nil || body.Data.Flags != 64 || !strings.Contains(body.Data.Content, "Only") {
			t.Errorf("%s: callback %+v, want an ephemeral refusal", name, body)
		}
	}
	refused("member without Manage Server", reindexSpec(int64(discordgo.PermissionSendMessages)))
	refused("DM from a non-owner", discordfake.CommandSpec{Name: "reindex"})

	allowed := func(name string, spec discordfake.CommandSpec) {
		t.Helper()
		in := discordfake.SlashCommand(spec)
		dispatch(t, tb.f, "INTERACTION_CREATE", in)
		_, body := callback(t, ctx, tb.f, in)
		if body.Type != 5 || body.Data == nil || body.Data.Flags != 64 {
			t.Fatalf("%s: callback %+v, want an ephemeral deferral", name, body)
		}
		edits := originalEdits(t, ctx, tb.f, in, 2)
		if c := decode[messageBody](t, edits[0]).Content; c != "Reindexing…" {
			t.Errorf("%s: progress = %q", name, c)
		}
		final := decode[messageBody](t, edits[1]).Content
		for _, want := range []string{"Reindexed 1 story", "passages", "added 0", "changed 0", "removed 0", "embedded 0", "reused "} {
			if !strings.Contains(final, want) {
				t.Errorf("%s: result %q lacks %q", name, final, want)
			}
		}
		t.Logf("%s: %s", name, final)
	}
	allowed("Manage Server", reindexSpec(int64(discordgo.PermissionManageGuild)))
	allowed("Administrator", reindexSpec(int64(discordgo.PermissionAdministrator)))
	allowed("moderator role", reindexSpec(0, modRole))
	allowed("DM from an owner", discordfake.CommandSpec{Name: "reindex",
		User: discordfake.User{ID: "1180000000000000888", Username: "owner", Discriminator: "0"}})
	logRequests(t, tb.f)
}

// TestEndToEndDM: a direct message shows the typing indicator and gets
// the answer as a reply.
func TestEndToEndDM(t *testing.T) {
	t.Parallel()
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	m := discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid})
	dispatch(t, tb.f, "MESSAGE_CREATE", m)
	sent, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/channels/"+m.ChannelID+"/messages"))
	if err != nil {
		t.Fatal(err)
	}
	// The indicator is sent from a goroutine of its own, so a quick answer
	// may overtake it.
	if _, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/channels/"+m.ChannelID+"/typing")); err != nil {
		t.Errorf("no typing indicator: %v", err)
	}
	msg := decode[messageBody](t, sent)
	if !strings.Contains(msg.Content, "Sadjepour") || !strings.Contains(msg.Content, "¶8") {
		t.Errorf("reply = %q", msg.Content)
	}
	if msg.MessageReference == nil || msg.MessageReference.MessageID != m.ID {
		t.Errorf("reply references %+v, want message %s", msg.MessageReference, m.ID)
	}
	noPings(t, msg.AllowedMentions)
	if len(msg.Embeds) != 1 {
		t.Errorf("embeds = %+v", msg.Embeds)
	}
}

// TestEndToEndButtonClick: a click on an answer's 👎 is acknowledged
// privately within Discord's 3 s and recorded once per click.
func TestEndToEndButtonClick(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	tb := startBot(t, Config{FeedbackPath: path}, nil, nil)
	ctx := testContext(t)
	m := discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid})
	dispatch(t, tb.f, "MESSAGE_CREATE", m)
	a, _ := waitAnswer(t, ctx, tb.f, m.ChannelID, 0)
	msg, ok := tb.f.Message(a.id)
	if !ok {
		t.Fatal("the answer message is not in the fake")
	}
	// The bot records what the message answered once Discord has given it
	// an id, just after the fake saw it; a person cannot click sooner.
	if waitLogLine(ctx, tb.logs, "msg=answered") == "" {
		t.Fatal("the answer was never logged")
	}
	down := a.buttonID(t, "👎")
	for i := 1; i <= 2; i++ {
		click := discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: down, Message: msg})
		at := dispatch(t, tb.f, "INTERACTION_CREATE", click)
		r, cb := callback(t, ctx, tb.f, discordfake.Interaction{ID: click.ID})
		if r.Status != 204 || r.Time.Sub(at) > 3*time.Second {
			t.Fatalf("click %d answered %d after %s", i, r.Status, r.Time.Sub(at))
		}
		if cb.Type != 4 || cb.Data == nil || cb.Data.Flags&64 == 0 || !strings.Contains(cb.Data.Content, "👎") {
			t.Errorf("click %d acknowledged with %+v; want the choice shown to the clicker only", i, cb)
		}
		deadline := time.Now().Add(5 * time.Second)
		for len(readFeedback(t, path)) < i && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := len(readFeedback(t, path)); got != i {
			t.Fatalf("after %d clicks the log has %d entries; want one per click", i, got)
		}
	}
	e := readFeedback(t, path)[0]
	if e.Verdict != "down" || e.Question != whoSaid || e.Standalone != whoSaid || e.AnswerMode != "extractive" ||
		len(e.PassageIDs) == 0 || e.PassageIDs[0] != "forward-iran-outreach#p8" || e.Guild != "" {
		t.Errorf("feedback entry = %+v", e)
	}
	if e.User == "" || strings.Contains(e.User, discordfake.DefaultUserID) {
		t.Errorf("user recorded as %q; want a salted hash", e.User)
	}
}

// answerMessage is a bot answer as the fake received it: every chunk's
// content, and the id of the last message, which carries the buttons.
type answerMessage struct {
	content    string
	id         string
	components []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
			Label    string `json:"label"`
			Emoji    *struct {
				Name string `json:"name"`
			} `json:"emoji"`
		} `json:"components"`
	}
}

// buttonID returns the custom_id of the button with the emoji or label.
func (a answerMessage) buttonID(t *testing.T, name string) string {
	t.Helper()
	for _, row := range a.components {
		for _, b := range row.Components {
			if b.Label == name || b.Emoji != nil && b.Emoji.Name == name {
				return b.CustomID
			}
		}
	}
	t.Fatalf("no %q button on the answer", name)
	return ""
}

// waitAnswer waits for the bot's answer in channel sent after request
// seq: the messages up to the one that carries buttons.
func waitAnswer(t *testing.T, ctx context.Context, f *discordfake.Fake, channel string, after int) (answerMessage, int) {
	t.Helper()
	last, err := f.WaitFor(ctx, func(r discordfake.Request) bool {
		return r.Seq > after && r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" && r.Status == 200 &&
			strings.Contains(string(r.JSON()), `"custom_id"`)
	})
	if err != nil {
		t.Fatal(err)
	}
	var a answerMessage
	for _, r := range f.Find(discordfake.Match("POST", "/channels/"+channel+"/messages")) {
		if r.Seq > after && r.Seq <= last.Seq {
			a.content += decode[messageBody](t, r).Content + "\n"
		}
	}
	var body struct {
		Components json.RawMessage `json:"components"`
	}
	if err := last.Decode(&body); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(body.Components, &a.components)
	var resp struct {
		ID string `json:"id"`
	}
	json.Unmarshal(last.Response, &resp)
	a.id = resp.ID
	return a, last.Seq
}

// readFeedback reads the feedback log, or none when it does not exist.
func readFeedback(t *testing.T, path string) []bot.FeedbackEntry {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, skipped, err := bot.ReadFeedback(bufio.NewReader(f))
	if err != nil || skipped > 0 {
		t.Fatalf("read feedback: %v (%d lines skipped)", err, skipped)
	}
	return entries
}
