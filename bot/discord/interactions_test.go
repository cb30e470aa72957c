package discord

import (
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/data"
)

func TestAsk(t *testing.T) {
	tests := []struct {
		name      string
		guild     string
		question  string
		opts      []discordfake.Option
		ephemeral bool
	}{
		{"in a server", discordfake.DefaultGuildID, whoSaid, nil, false},
		{"in a DM", "", whoSaid, nil, false},
		{"private", discordfake.DefaultGuildID, whoSaid, []discordfake.Option{discordfake.BoolOption("private", true)}, true},
		{"pings in the question", discordfake.DefaultGuildID, "@everyone " + whoSaid + " <@123456789012345678>", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, Config{}, nil, nil)
			in := u.interact(t, askCmd(tt.guild, tt.question, tt.opts...))
			calls := u.s.find(nil)
			if len(calls) != 2 || calls[0].method != mRespond || calls[1].method != mEdit {
				t.Fatalf("calls = %v, want a deferral then an edit", calls)
			}
			first := calls[0].respond
			if first.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
				t.Errorf("first response type %d, want a deferral (5)", first.Type)
			}
			if got := first.Data != nil && first.Data.Flags == discordgo.MessageFlagsEphemeral; got != tt.ephemeral {
				t.Errorf("deferral ephemeral = %v, want %v (data %+v)", got, tt.ephemeral, first.Data)
			}
			edit := calls[1]
			if c := edit.content(); !strings.Contains(c, "Sadjepour") || !strings.Contains(c, "¶8") || strings.Contains(c, "@everyone") {
				t.Errorf("answer = %q, want Sadjepour and ¶8, and no live @everyone", c)
			}
			checkNoPings(t, edit)
			if e := edit.embeds(); len(e) != 1 || e[0].Title == "" || e[0].Footer == nil || len(e[0].Fields) == 0 {
				t.Errorf("embeds = %+v, want one with title, footer and fields", e)
			}
			if len(edit.components()) != 1 {
				t.Errorf("components = %+v, want the row of buttons", edit.components())
			}
			if _, remembered := u.h.answers.get(originalID(in), u.h.now()); !remembered {
				t.Error("the answer was not remembered for replies")
			}
		})
	}
}

// TestAskFailures: when Discord refuses a call (a rate limit discordgo
// gave up on, a timeout, an interaction answered too late), the handler
// logs it, stops, and remembers no answer it did not deliver.
func TestAskFailures(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		err       error
		wantCalls []string
		wantLog   string
	}{
		{"deferral too late", mRespond, errUnknownInteraction, []string{mRespond}, "could not defer the interaction"},
		{"deferral times out", mRespond, errTimeout, []string{mRespond}, "could not defer the interaction"},
		{"edit rate-limited", mEdit, err429, []string{mRespond, mEdit}, "could not edit the response"},
		{"edit times out", mEdit, errTimeout, []string{mRespond, mEdit}, "could not edit the response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, Config{}, nil, nil)
			u.s.failNext(tt.method, tt.err)
			in := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid))
			var methods []string
			for _, c := range u.s.find(nil) {
				methods = append(methods, c.method)
			}
			if strings.Join(methods, " ") != strings.Join(tt.wantCalls, " ") {
				t.Errorf("calls %v, want %v", methods, tt.wantCalls)
			}
			if line := logLine(u.logs.String(), tt.wantLog); !strings.Contains(line, "err=") {
				t.Errorf("no log line %q with the error:\n%s", tt.wantLog, u.logs)
			}
			if _, remembered := u.h.answers.get(originalID(in), u.h.now()); remembered {
				t.Error("an answer that was not delivered was remembered")
			}
		})
	}
}

// TestLongAnswerFollowupFails: the sources of many paragraphs take
// several messages; when a followup fails, the rest are not sent.
func TestLongAnswerFollowupFails(t *testing.T) {
	const paras = "src:forward-iran-outreach:1.2.3.4.5.6.7.8.9.10.11.12"
	u := newUnit(t, Config{}, nil, nil)
	whole := u.interact(t, discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: paras}))
	n := len(u.s.find(about(whole, mFollowup)))
	if n < 2 {
		t.Fatalf("%d followups for twelve paragraphs; want two or more", n)
	}
	u.s.failNext(mFollowup, err429)
	cut := u.interact(t, discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: paras}))
	if c := u.s.find(about(cut, "")); len(c) != n+1 || c[1].err == nil {
		// The first response, then every followup tried: each is its own
		// message, so one failing does not stop the others.
		t.Errorf("calls %v; want the first response and %d followups, the first failed", c, n)
	}
	if line := logLine(u.logs.String(), "could not send a followup"); !strings.Contains(line, "err=") {
		t.Errorf("the failure was not logged:\n%s", u.logs)
	}
}

func TestAskRateLimited(t *testing.T) {
	u := newUnit(t, Config{Rate: 5}, nil, nil)
	for i := range 6 {
		in := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid))
		first := u.s.find(about(in, mRespond))[0].respond
		if i < 5 {
			if first.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
				t.Errorf("question %d: first response type %d, want 5", i+1, first.Type)
			}
			continue
		}
		if first.Type != discordgo.InteractionResponseChannelMessageWithSource || first.Data.Flags != discordgo.MessageFlagsEphemeral ||
			!strings.HasPrefix(first.Data.Content, "You're asking quickly — try again in ") {
			t.Errorf("sixth question: %+v %+v, want an ephemeral rate notice", first, first.Data)
		}
		if n := len(u.s.find(about(in, ""))); n != 1 {
			t.Errorf("sixth question: %d calls, want the notice alone", n)
		}
	}
	// Another user is not limited.
	other := u.interact(t, discordfake.SlashCommand(discordfake.CommandSpec{Name: cmdAsk, GuildID: discordfake.DefaultGuildID, Options: ask(whoSaid),
		User: discordfake.User{ID: "1180000000000000999", Username: "other", Discriminator: "0"}}))
	if c := u.s.find(about(other, mEdit)); len(c) != 1 || !strings.Contains(c[0].content(), "Sadjepour") {
		t.Errorf("another user's question: %v", c)
	}
}

func TestDeferredAnswerFitsTheLimits(t *testing.T) {
	// A long question is refused in words, and the refusal fits.
	u := newUnit(t, Config{}, nil, nil)
	in := u.interact(t, askCmd(discordfake.DefaultGuildID, strings.Repeat("why? ", 120)))
	edit := u.s.find(about(in, mEdit))
	if len(edit) != 1 || !strings.Contains(edit[0].content(), strconv.Itoa(500)) || len([]rune(edit[0].content())) > maxContent {
		t.Errorf("long question answered with %v", edit)
	}
}

func TestPanicGetsAPrivateApology(t *testing.T) {
	_, ix := newEngine(t)
	u := newUnit(t, Config{}, &bot.Engine{}, ix) // no index: Ask panics
	in := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid))
	calls := u.s.find(about(in, ""))
	if len(calls) != 3 || calls[0].method != mRespond || calls[1].method != mDelete || calls[2].method != mFollowup {
		t.Fatalf("calls = %v; want the deferral, the public \"thinking…\" removed, a followup", calls)
	}
	if fu := calls[2]; !fu.ephemeral() || fu.content() != textInternal {
		t.Errorf("followup %v, want the ephemeral apology", fu)
	}
	if !strings.Contains(u.logs.String(), "handler panicked") {
		t.Error("the panic was not logged")
	}
	// The bot still answers.
	st := u.interact(t, slash(cmdStory, discordfake.DefaultGuildID))
	if c := u.s.find(about(st, mRespond)); len(c) != 1 || c[0].respond.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Errorf("/story after a panic: %v", c)
	}
}

func TestQuoteAndAutocomplete(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	choices := func(typed string) []*discordgo.ApplicationCommandOptionChoice {
		t.Helper()
		in := u.interact(t, discordfake.Autocomplete(discordfake.CommandSpec{Name: cmdQuote, GuildID: discordfake.DefaultGuildID,
			Options: []discordfake.Option{discordfake.FocusedOption("speaker", typed)}}))
		c := u.s.find(about(in, mRespond))
		if len(c) != 1 || c[0].respond.Type != discordgo.InteractionApplicationCommandAutocompleteResult || c[0].respond.Data == nil {
			t.Fatalf("autocomplete %q answered %v", typed, c)
		}
		return c[0].respond.Data.Choices
	}
	all := choices("")
	if len(all) == 0 || len(all) > 25 {
		t.Fatalf("%d choices for \"\", want 1–25", len(all))
	}
	for _, c := range all {
		if n := len([]rune(c.Name)); n < 1 || n > 100 {
			t.Errorf("choice name %q has %d characters", c.Name, n)
		}
	}
	typed := choices("sadj")
	if len(typed) == 0 {
		t.Fatal("no choice for \"sadj\"")
	}
	for _, c := range typed {
		if !strings.Contains(strings.ToLower(c.Name), "sadj") {
			t.Errorf("choice %q does not match \"sadj\"", c.Name)
		}
	}
	speaker := typed[0].Value.(string)

	tests := []struct {
		name, speaker string
		want          []string
		ephemeral     bool
	}{
		{"a speaker offered", speaker, []string{"**" + speaker + "** in the story:", "> “", "(¶8)"}, false},
		{"part of a name", "sadjepour", []string{"**Karim Sadjepour** in the story:"}, false},
		{"nobody", "Rezai's cousin", []string{"I found no quotes from “Rezai's cousin” in the story."}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := u.interact(t, slash(cmdQuote, discordfake.DefaultGuildID, discordfake.StringOption("speaker", tt.speaker)))
			c := u.s.find(about(in, mRespond))
			if len(c) != 1 || c[0].respond.Type != discordgo.InteractionResponseChannelMessageWithSource || c[0].ephemeral() != tt.ephemeral {
				t.Fatalf("/quote %s answered %v", tt.speaker, c)
			}
			for _, w := range tt.want {
				if !strings.Contains(c[0].content(), w) {
					t.Errorf("/quote %s = %q, want %q in it", tt.speaker, c[0].content(), w)
				}
			}
			checkNoPings(t, c[0])
		})
	}
}

func TestStory(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	in := u.interact(t, slash(cmdStory, discordfake.DefaultGuildID))
	c := u.s.find(about(in, mRespond))
	if len(c) != 1 || c[0].respond.Type != discordgo.InteractionResponseChannelMessageWithSource || c[0].ephemeral() {
		t.Fatalf("/story answered %v", c)
	}
	for _, want := range []string{"Forward", "Passages:", "Speakers quoted:", "Karim Sadjepour", "Index built: <t:", "Embedder: local/", "Mode: extractive"} {
		if !strings.Contains(c[0].content(), want) {
			t.Errorf("/story lacks %q:\n%s", want, c[0].content())
		}
	}
}

// reindexSpec is a /reindex use in the default guild.
func reindexSpec(perms int64, roles ...string) discordfake.CommandSpec {
	return discordfake.CommandSpec{Name: cmdReindex, GuildID: discordfake.DefaultGuildID, Permissions: perms, Roles: roles}
}

func TestReindexWhoMay(t *testing.T) {
	const modRole, owner = "1180000000000000777", "1180000000000000888"
	tests := []struct {
		name    string
		spec    discordfake.CommandSpec
		allowed bool
		refusal string
	}{
		{"member without Manage Server", reindexSpec(int64(discordgo.PermissionSendMessages)), false, "Only moderators (Manage Server) can reindex."},
		{"member with another role", reindexSpec(0, "1180000000000000123"), false, "Only moderators (Manage Server) can reindex."},
		{"DM from a non-owner", discordfake.CommandSpec{Name: cmdReindex}, false, "Only the bot's owners can reindex from a DM."},
		{"Manage Server", reindexSpec(int64(discordgo.PermissionManageGuild)), true, ""},
		{"Administrator", reindexSpec(int64(discordgo.PermissionAdministrator)), true, ""},
		{"moderator role", reindexSpec(0, modRole), true, ""},
		{"DM from an owner", discordfake.CommandSpec{Name: cmdReindex, User: discordfake.User{ID: owner, Username: "owner"}}, true, ""},
	}
	eng, ix := newEngine(t)
	u := newUnit(t, Config{ModRoleID: modRole, OwnerIDs: []string{owner}}, eng, ix)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := u.interact(t, discordfake.SlashCommand(tt.spec))
			calls := u.s.find(about(in, ""))
			first := calls[0]
			if !tt.allowed {
				if len(calls) != 1 || first.respond.Type != discordgo.InteractionResponseChannelMessageWithSource || !first.ephemeral() || first.content() != tt.refusal {
					t.Errorf("calls %v, want the private refusal %q", calls, tt.refusal)
				}
				return
			}
			if first.respond.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || first.respond.Data.Flags != discordgo.MessageFlagsEphemeral {
				t.Errorf("first response %+v, want a private deferral", first.respond)
			}
			if len(calls) != 3 || calls[1].content() != "Reindexing…" {
				t.Fatalf("calls %v, want the deferral, \"Reindexing…\" and the result", calls)
			}
			for _, want := range []string{"Reindexed 1 story", "passages", "added 0", "changed 0", "removed 0", "embedded 0", "reused "} {
				if !strings.Contains(calls[2].content(), want) {
					t.Errorf("result %q lacks %q", calls[2].content(), want)
				}
			}
		})
	}
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
	eng, ix := newEngine(t)
	u := newUnit(t, Config{Stories: g}, eng, ix)
	perms := int64(discordgo.PermissionManageGuild)
	ins := make([]*discordgo.Interaction, 3)
	done := make(chan struct{}, 3)
	run := func(i int) {
		ins[i] = event[discordgo.InteractionCreate](t, discordfake.SlashCommand(reindexSpec(perms))).Interaction
		go func() {
			u.h.handleInteraction(u.s, &discordgo.InteractionCreate{Interaction: ins[i]})
			done <- struct{}{}
		}()
	}
	run(0)
	<-g.entered
	// Two more while it runs: both wait for the next run, which they share.
	run(1)
	run(2)
	for _, in := range ins[1:] {
		c := u.s.waitFor(t, 2, about(in, ""))
		if c[0].respond.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !strings.Contains(c[1].content(), "yours will run") {
			t.Errorf("a reindex asked while one runs got %v, want a private deferral and word that it is queued", c)
		}
	}
	close(g.release)
	for range 3 {
		<-done
	}
	for _, in := range ins {
		c := u.s.find(about(in, mEdit))
		if last := c[len(c)-1].content(); !strings.HasPrefix(last, "Reindexed 1 story") {
			t.Errorf("reindex result: %q", last)
		}
	}
	// One run for the first, one shared by the other two: the second run
	// found nothing changed.
	if c := u.s.find(about(ins[2], mEdit)); !strings.Contains(c[len(c)-1].content(), "embedded 0") {
		t.Errorf("the shared run: %q", c[len(c)-1].content())
	}
}

func TestReindexFailureKeepsServing(t *testing.T) {
	eng, ix := newEngine(t)
	before := len(ix.Passages())
	u := newUnit(t, Config{Stories: fstest.MapFS{"notes.bin": {Data: []byte{0, 1, 2}}}}, eng, ix)
	in := u.interact(t, discordfake.SlashCommand(reindexSpec(int64(discordgo.PermissionManageGuild))))
	edits := u.s.find(about(in, mEdit))
	if c := edits[len(edits)-1].content(); !strings.HasPrefix(c, "Reindex failed: ") || !strings.Contains(c, "previous index is still serving") {
		t.Errorf("result = %q", c)
	}
	if got := len(ix.Passages()); got != before || before == 0 {
		t.Errorf("passages %d after a failed reindex, %d before", got, before)
	}
	// And questions are still answered.
	q := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid))
	if c := u.s.find(about(q, mEdit)); len(c) != 1 || !strings.Contains(c[0].content(), "Sadjepour") {
		t.Errorf("answer after a failed reindex = %v", c)
	}
}

func TestUnknownCommand(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	in := u.interact(t, slash("dance", discordfake.DefaultGuildID))
	if c := u.s.find(about(in, "")); len(c) != 1 || !c[0].ephemeral() || c[0].content() != "I don't know that command." {
		t.Errorf("an unknown command got %v", c)
	}
}

func TestShuttingDownSaysSo(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	u.h.drain(0)
	for _, p := range []any{askCmd(discordfake.DefaultGuildID, whoSaid), discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: "src:forward-iran-outreach:8"})} {
		in := u.interact(t, p)
		if c := u.s.find(about(in, "")); len(c) != 1 || !c[0].ephemeral() || c[0].content() != textRestarting {
			t.Errorf("during shutdown %v, want a private %q", c, textRestarting)
		}
	}
	auto := u.interact(t, discordfake.Autocomplete(discordfake.CommandSpec{Name: cmdQuote, Options: []discordfake.Option{discordfake.FocusedOption("speaker", "")}}))
	if c := u.s.find(about(auto, "")); len(c) != 0 {
		t.Errorf("autocomplete during shutdown answered %v", c)
	}
}
