package discord

import (
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/data"
)

func TestAskInGuildDefersThenEdits(t *testing.T) {
	tb := startBot(t, Config{GuildID: discordfake.DefaultGuildID}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
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
	} else {
		t.Logf("embed: title %q footer %q fields %d", msg.Embeds[0].Title, msg.Embeds[0].Footer.Text, len(msg.Embeds[0].Fields))
	}
	t.Logf("answer:\n%s", msg.Content)
	logRequests(t, tb.f)
}

func TestAskInDM(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", Options: ask(whoSaid)})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	if _, body := callback(t, ctx, tb.f, in); body.Type != 5 {
		t.Fatalf("first response type %d, want 5", body.Type)
	}
	msg := decode[messageBody](t, originalEdits(t, ctx, tb.f, in, 1)[0])
	if !strings.Contains(msg.Content, "Sadjepour") {
		t.Errorf("answer = %q", msg.Content)
	}
}

func TestAskPrivateIsEphemeral(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID,
		Options: ask(whoSaid, discordfake.BoolOption("private", true))})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	_, body := callback(t, ctx, tb.f, in)
	if body.Type != 5 || body.Data == nil || body.Data.Flags != 64 {
		t.Fatalf("callback = %+v, want type 5 with flags 64", body)
	}
	originalEdits(t, ctx, tb.f, in, 1)
}

func TestAskNeverPings(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID,
		Options: ask("@everyone " + whoSaid + " <@123456789012345678>")})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	edit := originalEdits(t, ctx, tb.f, in, 1)[0]
	msg := decode[messageBody](t, edit)
	noPings(t, msg.AllowedMentions)
	if !strings.Contains(string(edit.JSON()), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("edit body = %s", edit.JSON())
	}
	if strings.Contains(msg.Content, "@everyone") {
		t.Errorf("answer echoes a live @everyone: %q", msg.Content)
	}
}

func TestAskRateLimited(t *testing.T) {
	tb := startBot(t, Config{Rate: 5}, nil, nil)
	ctx := testContext(t)
	var ins []discordfake.Interaction
	for range 6 {
		in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
		ins = append(ins, in)
		dispatch(t, tb.f, "INTERACTION_CREATE", in)
		callback(t, ctx, tb.f, in) // one at a time, so the sixth is the sixth
	}
	for i, in := range ins {
		_, body := callback(t, ctx, tb.f, in)
		if i < 5 {
			if body.Type != 5 {
				t.Errorf("question %d: callback type %d, want 5", i+1, body.Type)
			}
			continue
		}
		if body.Type != 4 || body.Data == nil || body.Data.Flags != 64 || !strings.HasPrefix(body.Data.Content, "You're asking quickly — try again in ") {
			t.Errorf("sixth question: callback %+v, want an ephemeral rate notice", body)
		} else {
			t.Logf("sixth question: %q", body.Data.Content)
		}
	}
	originalEdits(t, ctx, tb.f, ins[4], 1)
	// Another user is not limited.
	other := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid),
		User: discordfake.User{ID: "1180000000000000999", Username: "other", Discriminator: "0"}})
	dispatch(t, tb.f, "INTERACTION_CREATE", other)
	if _, body := callback(t, ctx, tb.f, other); body.Type != 5 {
		t.Errorf("another user's question: callback type %d, want 5", body.Type)
	}
	originalEdits(t, ctx, tb.f, other, 1)
}

func TestEditRetriedAfter429(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	tb.f.RateLimitNext("PATCH", "/webhooks/*/"+in.Token+"/messages/@original", 1)
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	edit := originalEdits(t, ctx, tb.f, in, 1)[0]
	patches := tb.f.Find(discordfake.Match("PATCH", "/webhooks/*/"+in.Token+"/messages/@original"))
	if len(patches) != 2 || patches[0].Status != http.StatusTooManyRequests || patches[1].Seq != edit.Seq {
		t.Errorf("edits = %v, want a 429 then a 200", patches)
	}
	if msg := decode[messageBody](t, edit); !strings.Contains(msg.Content, "Sadjepour") {
		t.Errorf("answer after retry = %q", msg.Content)
	}
}

func TestQuoteAndAutocomplete(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)

	all := discordfake.Autocomplete(discordfake.CommandSpec{Name: "quote", GuildID: discordfake.DefaultGuildID,
		Options: []discordfake.Option{discordfake.FocusedOption("speaker", "")}})
	dispatch(t, tb.f, "INTERACTION_CREATE", all)
	_, body := callback(t, ctx, tb.f, all)
	if body.Type != 8 || body.Data == nil || len(body.Data.Choices) == 0 || len(body.Data.Choices) > 25 {
		t.Fatalf("autocomplete = %+v, want 1–25 choices", body)
	}
	for _, c := range body.Data.Choices {
		if n := len([]rune(c.Name)); n < 1 || n > 100 {
			t.Errorf("choice name %q has %d characters", c.Name, n)
		}
	}
	t.Logf("%d speakers offered for \"\"", len(body.Data.Choices))

	typed := discordfake.Autocomplete(discordfake.CommandSpec{Name: "quote", GuildID: discordfake.DefaultGuildID,
		Options: []discordfake.Option{discordfake.FocusedOption("speaker", "sadj")}})
	dispatch(t, tb.f, "INTERACTION_CREATE", typed)
	_, body = callback(t, ctx, tb.f, typed)
	if body.Data == nil || len(body.Data.Choices) == 0 {
		t.Fatalf("autocomplete for \"sadj\" = %+v", body)
	}
	for _, c := range body.Data.Choices {
		if !strings.Contains(strings.ToLower(c.Name), "sadj") {
			t.Errorf("choice %q does not match \"sadj\"", c.Name)
		}
	}
	speaker := body.Data.Choices[0].Value

	q := discordfake.SlashCommand(discordfake.CommandSpec{Name: "quote", GuildID: discordfake.DefaultGuildID,
		Options: []discordfake.Option{discordfake.StringOption("speaker", speaker)}})
	dispatch(t, tb.f, "INTERACTION_CREATE", q)
	_, body = callback(t, ctx, tb.f, q)
	if body.Type != 4 || body.Data == nil || !strings.Contains(body.Data.Content, speaker) || !strings.Contains(body.Data.Content, "¶") {
		t.Fatalf("/quote %s = %+v", speaker, body)
	}
	noPings(t, body.Data.AllowedMentions)
	t.Logf("/quote %s:\n%s", speaker, body.Data.Content)
}

func TestStory(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "story", GuildID: discordfake.DefaultGuildID})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	_, body := callback(t, ctx, tb.f, in)
	if body.Type != 4 || body.Data == nil {
		t.Fatalf("/story = %+v", body)
	}
	for _, want := range []string{"Forward", "Passages:", "Speakers quoted:", "Index built: <t:", "Embedder: local/", "Mode: extractive"} {
		if !strings.Contains(body.Data.Content, want) {
			t.Errorf("/story lacks %q:\n%s", want, body.Data.Content)
		}
	}
	t.Logf("/story:\n%s", body.Data.Content)
}

// reindexSpec is a /reindex use in the default guild.
func reindexSpec(perms int64, roles ...string) discordfake.CommandSpec {
	return discordfake.CommandSpec{Name: "reindex", GuildID: discordfake.DefaultGuildID, Permissions: perms, Roles: roles}
}

func TestReindexPermissions(t *testing.T) {
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

// gatedFS blocks every Open until release is closed.
type gatedFS struct {
	entered chan struct{}
	release chan struct{}
}

func (g gatedFS) Open(name string) (fs.File, error) {
	select {
	case g.entered <- struct{}{}:
	default:
	}
	<-g.release
	return data.FS.Open(name)
}

func TestReindexCoalesced(t *testing.T) {
	g := gatedFS{entered: make(chan struct{}, 1), release: make(chan struct{})}
	tb := startBot(t, Config{Stories: g}, nil, nil)
	ctx := testContext(t)
	perms := int64(discordgo.PermissionManageGuild)
	first := discordfake.SlashCommand(reindexSpec(perms))
	dispatch(t, tb.f, "INTERACTION_CREATE", first)
	select {
	case <-g.entered:
	case <-ctx.Done():
		close(g.release)
		t.Fatal("the first reindex never started")
	}
	// Two more while it runs: both wait for the next run, which they share.
	second := discordfake.SlashCommand(reindexSpec(perms))
	third := discordfake.SlashCommand(reindexSpec(perms))
	dispatch(t, tb.f, "INTERACTION_CREATE", second)
	dispatch(t, tb.f, "INTERACTION_CREATE", third)
	for _, in := range []discordfake.Interaction{second, third} {
		if _, body := callback(t, ctx, tb.f, in); body.Type != 5 || body.Data == nil || body.Data.Flags != 64 {
			t.Errorf("a reindex asked while one runs got %+v, want a private deferral", body)
		}
		if c := decode[messageBody](t, originalEdits(t, ctx, tb.f, in, 1)[0]).Content; !strings.Contains(c, "yours will run") {
			t.Errorf("a queued reindex was told %q", c)
		}
	}
	close(g.release)
	for _, in := range []discordfake.Interaction{first, second, third} {
		edits := originalEdits(t, ctx, tb.f, in, 2)
		if c := decode[messageBody](t, edits[1]).Content; !strings.HasPrefix(c, "Reindexed 1 story") {
			t.Errorf("reindex result: %q", c)
		}
	}
	// One run for the first, one shared by the other two: the second run
	// found nothing changed.
	if c := decode[messageBody](t, originalEdits(t, ctx, tb.f, third, 2)[1]).Content; !strings.Contains(c, "embedded 0") {
		t.Errorf("the shared run: %q", c)
	}
}

func TestReindexFailureKeepsServing(t *testing.T) {
	eng, ix := newEngine(t)
	before := len(ix.Passages())
	tb := startBot(t, Config{Stories: fstest.MapFS{"notes.bin": {Data: []byte{0, 1, 2}}}}, eng, ix)
	ctx := testContext(t)
	in := discordfake.SlashCommand(reindexSpec(int64(discordgo.PermissionManageGuild)))
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	edits := originalEdits(t, ctx, tb.f, in, 2)
	c := decode[messageBody](t, edits[1]).Content
	if !strings.HasPrefix(c, "Reindex failed: ") || !strings.Contains(c, "previous index is still serving") {
		t.Errorf("result = %q", c)
	}
	if got := len(ix.Passages()); got != before || before == 0 {
		t.Errorf("passages %d after a failed reindex, %d before", got, before)
	}
	// And questions are still answered.
	q := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	dispatch(t, tb.f, "INTERACTION_CREATE", q)
	if msg := decode[messageBody](t, originalEdits(t, ctx, tb.f, q, 1)[0]); !strings.Contains(msg.Content, "Sadjepour") {
		t.Errorf("answer after a failed reindex = %q", msg.Content)
	}
	t.Logf("failure: %s", c)
}

func TestDeferredAnswerFitsTheLimits(t *testing.T) {
	// A long question is refused in words, and the refusal fits.
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID,
		Options: ask(strings.Repeat("why? ", 120))})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	msg := decode[messageBody](t, originalEdits(t, ctx, tb.f, in, 1)[0])
	if !strings.Contains(msg.Content, strconv.Itoa(500)) {
		t.Errorf("long question answer = %q", msg.Content)
	}
}

func TestPanicGetsAPrivateApology(t *testing.T) {
	_, ix := newEngine(t)
	broken := &bot.Engine{} // no index: Ask panics
	tb := startBot(t, Config{}, broken, ix)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid)})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	if _, body := callback(t, ctx, tb.f, in); body.Type != 5 {
		t.Fatalf("callback type %d, want 5", body.Type)
	}
	fu, err := tb.f.WaitFor(ctx, discordfake.Match("POST", "/webhooks/*/"+in.Token))
	if err != nil {
		t.Fatal(err)
	}
	msg := decode[messageBody](t, fu)
	if msg.Flags != 64 || msg.Content != textInternal {
		t.Errorf("followup = %+v, want the ephemeral apology", msg)
	}
	if del := tb.f.Find(discordfake.Match("DELETE", "/webhooks/*/"+in.Token+"/messages/@original")); len(del) != 1 {
		t.Errorf("the public \"thinking…\" was not removed: %v", del)
	}
	if !strings.Contains(tb.logs.String(), "handler panicked") {
		t.Error("the panic was not logged")
	}
	// The bot still answers.
	st := discordfake.SlashCommand(discordfake.CommandSpec{Name: "story", GuildID: discordfake.DefaultGuildID})
	dispatch(t, tb.f, "INTERACTION_CREATE", st)
	if _, body := callback(t, ctx, tb.f, st); body.Type != 4 {
		t.Errorf("/story after a panic: type %d", body.Type)
	}
}
