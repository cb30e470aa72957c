package discordfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/internal/testmain"
)

// The tests that open a session run in parallel: each session reaches
// its own fake through the fake's Client, not through discordgo's
// process-wide endpoints.

const testToken = "test-token"

// TestMain lets the parallel tests, the end-to-end ones, run all at once
// (testmain.RunWaiting).
func TestMain(m *testing.M) { testmain.RunWaiting(m) }

// newFake starts a fake for one test, run in parallel with the others.
func newFake(t *testing.T, opts discordfake.Options) *discordfake.Fake {
	t.Helper()
	t.Parallel()
	return discordfake.New(t, opts)
}

// openSession opens a real discordgo session on the fake; setup runs
// before Open, to add handlers. The session closes before the fake.
func openSession(t *testing.T, f *discordfake.Fake, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + testToken)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	s.ShouldReconnectOnError = false
	s.Client = f.Client()
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	// Every session of a test starts closing when the test ends, together:
	// Close sleeps a second. The fake, made before, closes after them.
	closed := make(chan struct{})
	ctx := t.Context()
	go func() {
		<-ctx.Done()
		s.Close()
		close(closed)
	}()
	t.Cleanup(func() { <-closed })
	if err := f.WaitReady(testContext(t)); err != nil {
		t.Fatal(err)
	}
	return s
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// offer sends v on ch unless ch is full: discordgo runs each handler in
// its own goroutine, and one blocked forever would outlive the test.
func offer[T any](ch chan<- T, v T) {
	select {
	case ch <- v:
	default:
	}
}

// receive returns the next value from ch or fails the test after a while.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// restCode returns the Discord error code of a discordgo REST error, or 0.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

func TestHandshakeAndHeartbeats(t *testing.T) {
	f := newFake(t, discordfake.Options{HeartbeatInterval: 200 * time.Millisecond})
	readies := make(chan *discordgo.Ready, 1)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { offer(readies, r) })
	})

	r := receive(t, readies, "READY")
	if r.User == nil || r.User.ID != f.BotUser().ID || !r.User.Bot {
		t.Errorf("READY user = %+v, want bot %s", r.User, f.BotUser().ID)
	}
	if r.Application == nil || r.Application.ID != f.AppID() {
		t.Errorf("READY application = %+v, want id %s", r.Application, f.AppID())
	}
	if r.SessionID == "" {
		t.Error("READY has no session id")
	}
	if got := s.State.User; got == nil || got.ID != f.BotUser().ID {
		t.Errorf("state user = %+v, want the bot", got)
	}

	ids := f.Identifies()
	if len(ids) != 1 {
		t.Fatalf("got %d identifies, want 1", len(ids))
	}
	id := ids[0]
	if id.Token != "Bot "+testToken {
		t.Errorf("identify token = %q, want %q", id.Token, "Bot "+testToken)
	}
	if want := int64(discordgo.IntentsGuilds | discordgo.IntentsDirectMessages); id.Intents != want {
		t.Errorf("identify intents = %d, want %d", id.Intents, want)
	}
	if !id.Compress {
		t.Error("discordgo did not ask for compression; the uncompressed path is then untested")
	}
	if id.Query.Get("v") != "9" || id.Query.Get("encoding") != "json" {
		t.Errorf("gateway query = %v, want v=9&encoding=json", id.Query)
	}

	// discordgo declares the connection dead after five intervals without
	// an ACK; a few answered heartbeats and a working dispatch after them
	// show the fake keeps it alive.
	if err := f.WaitHeartbeats(testContext(t), 3); err != nil {
		t.Fatal(err)
	}
	s.RLock()
	lastAck := s.LastHeartbeatAck
	s.RUnlock()
	if time.Since(lastAck) > time.Second {
		t.Errorf("last heartbeat ACK %v ago", time.Since(lastAck))
	}
	if err := f.Dispatch("TYPING_START", map[string]any{"channel_id": "1", "user_id": "2", "timestamp": time.Now().Unix()}); err != nil {
		t.Errorf("dispatch after heartbeats: %v", err)
	}
	if n := len(f.Identifies()); n != 1 {
		t.Errorf("got %d identifies, want 1: discordgo reconnected", n)
	}
}

func TestGuildInteractionDeferThenEdit(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	got := make(chan *discordgo.InteractionCreate, 1)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { offer(got, i) })
	})

	const perms = discordgo.PermissionManageGuild | discordgo.PermissionViewChannel | discordgo.PermissionSendMessages
	in := discordfake.SlashCommand(discordfake.CommandSpec{
		Name:        "ask",
		Options:     []discordfake.Option{discordfake.StringOption("question", "who said it?")},
		GuildID:     discordfake.DefaultGuildID,
		Roles:       []string{"555"},
		Permissions: perms,
		AppID:       f.AppID(),
	})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	i := receive(t, got, "INTERACTION_CREATE")

	checkGuildInteraction(t, f, in, i, perms)

	err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
	})
	if err != nil {
		t.Fatalf("defer: %v", err)
	}
	content := "“This doesn’t mean an official overture” — Karim Sadjepour (¶8)"
	msg, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{
		Content:         &content,
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
	})
	if err != nil {
		t.Fatalf("edit original: %v", err)
	}
	if msg.Content != content || msg.ID == "" || msg.EditedTimestamp == nil {
		t.Errorf("edited message = %+v", msg)
	}

	reqs := f.Find(func(r discordfake.Request) bool {
		return strings.HasPrefix(r.Path, "/interactions/") || strings.HasPrefix(r.Path, "/webhooks/")
	})
	want := []string{
		"POST /interactions/" + in.ID + "/" + in.Token + "/callback → 204",
		"PATCH /webhooks/" + f.AppID() + "/" + in.Token + "/messages/@original → 200",
	}
	if len(reqs) != len(want) {
		t.Fatalf("requests = %v, want %v", reqs, want)
	}
	for k := range want {
		if reqs[k].String() != want[k] {
			t.Errorf("request %d = %s, want %s", k, reqs[k], want[k])
		}
	}
	var cb struct {
		Type int `json:"type"`
	}
	if err := reqs[0].Decode(&cb); err != nil || cb.Type != 5 {
		t.Errorf("callback type = %d (%v), want 5", cb.Type, err)
	}
	if !strings.Contains(string(reqs[1].JSON()), `"parse":[]`) {
		t.Errorf("edit body %s does not suppress mentions", reqs[1].JSON())
	}
	if got := reqs[1].Header.Get("Authorization"); got != "Bot [redacted]" {
		t.Errorf("recorded Authorization = %q, want it redacted", got)
	}

	// Discord's rules: one response per interaction.
	err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if restCode(err) != 40060 {
		t.Errorf("second response: err = %v, want code 40060", err)
	}
	orig, err := s.InteractionResponse(i.Interaction)
	if err != nil || orig.Content != content {
		t.Errorf("GET @original = %+v, %v", orig, err)
	}
}

// checkGuildInteraction checks that discordgo decoded the guild
// interaction in, made with the member permissions perms, as i.
func checkGuildInteraction(t *testing.T, f *discordfake.Fake, in discordfake.Interaction, i *discordgo.InteractionCreate, perms int64) {
	t.Helper()
	if i.Member == nil || i.User != nil {
		t.Fatalf("member = %v, user = %v; want a member and no user in a guild", i.Member, i.User)
	}
	if i.Member.Permissions != perms {
		t.Errorf("member permissions = %d, want %d", i.Member.Permissions, perms)
	}
	if i.AppPermissions != discordfake.DefaultAppPermissions {
		t.Errorf("app permissions = %d, want %d", i.AppPermissions, discordfake.DefaultAppPermissions)
	}
	if i.Member.User == nil || i.Member.User.ID != discordfake.DefaultUserID {
		t.Errorf("member user = %+v, want %s", i.Member.User, discordfake.DefaultUserID)
	}
	if len(i.Member.Roles) != 1 || i.Member.Roles[0] != "555" {
		t.Errorf("roles = %v, want [555]", i.Member.Roles)
	}
	if i.Member.JoinedAt.IsZero() {
		t.Error("joined_at did not decode")
	}
	if i.GuildID != discordfake.DefaultGuildID || i.ChannelID != discordfake.DefaultChannelID {
		t.Errorf("guild, channel = %s, %s", i.GuildID, i.ChannelID)
	}
	if i.AppID != f.AppID() || i.ID != in.ID || i.Token != in.Token {
		t.Errorf("app, id, token = %s, %s, %s; want %s, %s, %s", i.AppID, i.ID, i.Token, f.AppID(), in.ID, in.Token)
	}
	data := i.ApplicationCommandData()
	if data.Name != "ask" || len(data.Options) != 1 || data.Options[0].StringValue() != "who said it?" {
		t.Errorf("data = %+v", data)
	}
}

func TestDMInteractionAndFollowup(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	got := make(chan *discordgo.InteractionCreate, 1)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { offer(got, i) })
	})

	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "story"})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	i := receive(t, got, "INTERACTION_CREATE")
	if i.Member != nil || i.User == nil || i.User.ID != discordfake.DefaultUserID {
		t.Fatalf("member = %v, user = %v; want only the user in a DM", i.Member, i.User)
	}
	if i.GuildID != "" || i.ChannelID != discordfake.DMChannelID(discordfake.DefaultUserID) {
		t.Errorf("guild, channel = %q, %q", i.GuildID, i.ChannelID)
	}
	if i.Context != discordgo.InteractionContextBotDM {
		t.Errorf("context = %d, want bot DM", i.Context)
	}

	// Before any response the interaction's webhook does not exist.
	_, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "early"})
	if restCode(err) != 10015 {
		t.Errorf("followup before responding: err = %v, want code 10015", err)
	}
	err = s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "first", Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		t.Fatalf("respond: %v", err)
	}
	msg, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "more"})
	if err != nil || msg.Content != "more" || msg.ID == "" {
		t.Fatalf("followup = %+v, %v", msg, err)
	}
	orig, err := s.InteractionResponse(i.Interaction)
	if err != nil || orig.Content != "first" || orig.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("@original = %+v, %v; want the ephemeral first message", orig, err)
	}

	// Editing with the interaction id instead of the application id is a
	// classic mistake; Discord answers Unknown Webhook.
	wrong := *i.Interaction
	wrong.AppID = i.ID
	c := "x"
	if _, err := s.InteractionResponseEdit(&wrong, &discordgo.WebhookEdit{Content: &c}); restCode(err) != 10015 {
		t.Errorf("edit with the interaction id: err = %v, want code 10015", err)
	}
}

func TestLateResponseIsUnknownInteraction(t *testing.T) {
	f := newFake(t, discordfake.Options{AckDeadline: 50 * time.Millisecond})
	s := openSession(t, f, nil)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	err := s.InteractionRespond(&discordgo.Interaction{ID: in.ID, Token: in.Token, AppID: in.ApplicationID},
		&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
	if restCode(err) != 10062 {
		t.Errorf("late response: err = %v, want code 10062", err)
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	limited := make(chan *discordgo.RateLimit, 4)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.RateLimit) { offer(limited, r) })
	})

	f.RateLimitNext("POST", "/channels/*/messages", 1)
	msg, err := s.ChannelMessageSend(discordfake.DefaultChannelID, "hello")
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if msg.ID == "" || msg.Content != "hello" || msg.ChannelID != discordfake.DefaultChannelID || msg.Author == nil || !msg.Author.Bot {
		t.Errorf("message = %+v", msg)
	}
	reqs := f.Find(discordfake.Match("POST", "/channels/*/messages"))
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Fatalf("requests = %v, want one 429 then one 200", reqs)
	}
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < discordfake.DefaultRetryAfter {
		t.Errorf("retried after %v, before retry_after %v", gap, discordfake.DefaultRetryAfter)
	}
	if string(reqs[0].Body) != string(reqs[1].Body) {
		t.Errorf("retry body %s differs from %s", reqs[1].Body, reqs[0].Body)
	}
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	if err := json.Unmarshal(reqs[0].Response, &body); err != nil || body.RetryAfter != 0.05 || body.Global {
		t.Errorf("429 body = %s (%v)", reqs[0].Response, err)
	}
	if r := receive(t, limited, "RateLimit event"); r.RetryAfter != discordfake.DefaultRetryAfter {
		t.Errorf("RateLimit event retry after %v", r.RetryAfter)
	}
	if n := f.PendingFaults(); n != 0 {
		t.Errorf("%d faults left", n)
	}

	// A global limit and a 502 are retried too; a 500 is not.
	f.Inject(discordfake.Fault{Method: "POST", Path: "/channels/*/typing", Status: 429, Global: true})
	if err := s.ChannelTyping(discordfake.DefaultChannelID); err != nil {
		t.Errorf("typing after a global 429: %v", err)
	}
	f.FailNext("POST", "/channels/*/typing", 2, http.StatusBadGateway)
	if err := s.ChannelTyping(discordfake.DefaultChannelID); err != nil {
		t.Errorf("typing after two 502s: %v", err)
	}
	f.FailNext("POST", "/channels/*/typing", 1, http.StatusInternalServerError)
	var re *discordgo.RESTError
	if err := s.ChannelTyping(discordfake.DefaultChannelID); !errors.As(err, &re) || re.Response.StatusCode != 500 {
		t.Errorf("typing after a 500: err = %v, want a REST error 500", err)
	}
}

func TestCommandRegistration(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	s := openSession(t, f, nil)
	manage := int64(discordgo.PermissionManageGuild)
	cmds := []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask about the story", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question", Required: true, MaxLength: 300, Autocomplete: true},
		}},
		{Name: "reindex", Description: "Rebuild the index", DefaultMemberPermissions: &manage},
	}
	got, err := s.ApplicationCommandBulkOverwrite(f.AppID(), "", cmds)
	if err != nil {
		t.Fatalf("bulk overwrite: %v", err)
	}
	if len(got) != 2 || got[0].ID == "" || got[0].ApplicationID != f.AppID() || got[1].Name != "reindex" {
		t.Fatalf("registered = %+v", got)
	}
	if got[1].DefaultMemberPermissions == nil || *got[1].DefaultMemberPermissions != manage {
		t.Errorf("default_member_permissions = %v, want %d", got[1].DefaultMemberPermissions, manage)
	}
	again, err := s.ApplicationCommandBulkOverwrite(f.AppID(), "", cmds)
	if err != nil || again[0].ID != got[0].ID {
		t.Errorf("re-registering changed ids: %+v, %v", again, err)
	}
	guild, err := s.ApplicationCommandBulkOverwrite(f.AppID(), discordfake.DefaultGuildID, cmds[:1])
	if err != nil || len(guild) != 1 || guild[0].GuildID != discordfake.DefaultGuildID {
		t.Errorf("guild commands = %+v, %v", guild, err)
	}
	if list, err := s.ApplicationCommands(f.AppID(), ""); err != nil || len(list) != 2 {
		t.Errorf("GET commands = %d, %v; want 2", len(list), err)
	}

	bad := []*discordgo.ApplicationCommand{{Name: "Ask", Description: strings.Repeat("x", 101)}}
	if _, err := s.ApplicationCommandBulkOverwrite(f.AppID(), "", bad); restCode(err) != 50035 {
		t.Errorf("invalid command: err = %v, want code 50035", err)
	}
	if _, err := s.ApplicationCommandBulkOverwrite("42", "", cmds); restCode(err) != 50001 {
		t.Errorf("another application's commands: err = %v, want code 50001", err)
	}
	if r, _ := f.WaitFor(testContext(t), discordfake.Match("PUT", "/applications/*/guilds/*/commands")); r.Status != 200 {
		t.Errorf("guild PUT recorded as %v", r)
	}
}

func TestAutocomplete(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	got := make(chan *discordgo.InteractionCreate, 1)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { offer(got, i) })
	})
	in := discordfake.Autocomplete(discordfake.CommandSpec{
		Name: "ask", GuildID: discordfake.DefaultGuildID,
		Options: []discordfake.Option{discordfake.FocusedOption("question", "who sa")},
	})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	i := receive(t, got, "autocomplete")
	if i.Type != discordgo.InteractionApplicationCommandAutocomplete {
		t.Fatalf("type = %v", i.Type)
	}
	opt := i.ApplicationCommandData().Options[0]
	if !opt.Focused || opt.StringValue() != "who sa" {
		t.Errorf("option = %+v, want focused %q", opt, "who sa")
	}
	choices := make([]*discordgo.ApplicationCommandOptionChoice, 26)
	for k := range choices {
		choices[k] = &discordgo.ApplicationCommandOptionChoice{Name: "who said it?", Value: "who said it?"}
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &discordgo.InteractionResponseData{Choices: choices}}
	if err := s.InteractionRespond(i.Interaction, resp); restCode(err) != 50035 {
		t.Errorf("26 choices: err = %v, want code 50035", err)
	}
	resp.Data.Choices = choices[:25]
	if err := s.InteractionRespond(i.Interaction, resp); err != nil {
		t.Errorf("25 choices: %v", err)
	}
}

func TestMessageCreate(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	got := make(chan *discordgo.MessageCreate, 2)
	s := openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { offer(got, m) })
	})

	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := f.Dispatch("MESSAGE_CREATE", discordfake.MessageCreate(discordfake.MessageSpec{Content: "who is Parsi?", Time: now})); err != nil {
		t.Fatal(err)
	}
	m := receive(t, got, "DM MESSAGE_CREATE")
	if m.GuildID != "" || m.ChannelID != discordfake.DMChannelID(discordfake.DefaultUserID) || m.Member != nil {
		t.Errorf("DM message guild %q channel %q member %v", m.GuildID, m.ChannelID, m.Member)
	}
	if m.Author == nil || m.Author.ID != discordfake.DefaultUserID || m.Content != "who is Parsi?" || !m.Timestamp.Equal(now) {
		t.Errorf("DM message = %+v", m.Message)
	}

	bot := f.BotUser()
	if err := f.Dispatch("MESSAGE_CREATE", discordfake.MessageCreate(discordfake.MessageSpec{
		Content: discordfake.Mention(bot.ID) + " who is Parsi?", GuildID: discordfake.DefaultGuildID,
		Roles: []string{"7"}, Mentions: []discordfake.User{bot},
	})); err != nil {
		t.Fatal(err)
	}
	m = receive(t, got, "guild MESSAGE_CREATE")
	if m.GuildID != discordfake.DefaultGuildID || m.Member == nil || len(m.Member.Roles) != 1 {
		t.Errorf("guild message guild %q member %+v", m.GuildID, m.Member)
	}
	if len(m.Mentions) != 1 || m.Mentions[0].ID != bot.ID || !m.Mentions[0].Bot {
		t.Errorf("mentions = %+v, want the bot", m.Mentions)
	}

	ch, err := s.UserChannelCreate(discordfake.DefaultUserID)
	if err != nil || ch.ID != discordfake.DMChannelID(discordfake.DefaultUserID) || ch.Type != discordgo.ChannelTypeDM {
		t.Errorf("DM channel = %+v, %v", ch, err)
	}
	if _, err := s.ChannelMessageSend(ch.ID, strings.Repeat("é", 2001)); restCode(err) != 50035 {
		t.Errorf("2,001 characters: err = %v, want code 50035", err)
	}
	if _, err := s.ChannelMessageSend(ch.ID, strings.Repeat("é", 2000)); err != nil {
		t.Errorf("2,000 characters: %v", err)
	}
	big := &discordgo.MessageEmbed{Description: strings.Repeat("x", 4000)}
	if _, err := s.ChannelMessageSendEmbeds(ch.ID, []*discordgo.MessageEmbed{big, big}); restCode(err) != 50035 {
		t.Errorf("8,000 characters of embeds: err = %v, want code 50035", err)
	}
	if _, err := s.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{}); restCode(err) != 50006 {
		t.Errorf("empty message: err = %v, want code 50006", err)
	}
}

func TestCompressedFrames(t *testing.T) {
	f := newFake(t, discordfake.Options{Compress: true})
	got := make(chan *discordgo.InteractionCreate, 1)
	openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { offer(got, i) })
	})
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask"})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		t.Fatal(err)
	}
	if i := receive(t, got, "compressed INTERACTION_CREATE"); i.ID != in.ID {
		t.Errorf("id = %s, want %s", i.ID, in.ID)
	}
}

func TestGatewayCloseDisconnectsSession(t *testing.T) {
	f := newFake(t, discordfake.Options{})
	gone := make(chan struct{}, 1)
	openSession(t, f, func(s *discordgo.Session) {
		s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { offer(gone, struct{}{}) })
	})
	if n := f.CloseGateway(4000, "Unknown error."); n != 1 {
		t.Fatalf("closed %d connections, want 1", n)
	}
	receive(t, gone, "Disconnect")
	if err := f.Dispatch("TYPING_START", map[string]any{}); err == nil {
		t.Error("dispatch with no connection succeeded")
	}
}

func TestTokenAndRoutes(t *testing.T) {
	f := newFake(t, discordfake.Options{Token: testToken})
	do := func(method, path, auth string) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(testContext(t), method, f.URL()+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		method, path, auth string
		status             int
		body               string
	}{
		{"GET", "/api/v9/gateway", "", 200, `"url":"ws://127.0.0.1:`},
		{"GET", "/api/v9/gateway/bot", "Bot " + testToken, 200, `"session_start_limit"`},
		{"GET", "/api/v9/gateway/bot", "Bot other", 401, `"401: Unauthorized"`},
		{"GET", "/api/v9/users/@me", testToken, 401, `"401: Unauthorized"`},
		{"GET", "/api/v9/users/@me", "Bot " + testToken, 200, `"bot":true`},
		{"GET", "/api/v9/no/such/route", "Bot " + testToken, 404, `"404: Not Found"`},
		{"DELETE", "/api/v9/channels/1/typing", "Bot " + testToken, 405, `"405: Method Not Allowed"`},
		{"GET", "/elsewhere", "", 404, `"404: Not Found"`},
	}
	for _, tt := range tests {
		status, body := do(tt.method, tt.path, tt.auth)
		if status != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("%s %s = %d %s, want %d with %s", tt.method, tt.path, status, body, tt.status, tt.body)
		}
	}
	reqs := f.Requests()
	if len(reqs) != len(tests) {
		t.Fatalf("recorded %d requests, want %d", len(reqs), len(tests))
	}
	if r := reqs[5]; r.Path != "/no/such/route" || r.Status != 404 || r.Seq != 6 {
		t.Errorf("unknown route recorded as %+v", r)
	}
	for _, r := range reqs {
		if strings.Contains(r.Header.Get("Authorization"), testToken) {
			t.Errorf("%v: token recorded in the clear", r)
		}
	}

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_, err := f.WaitFor(ctx, discordfake.Match("POST", "/channels/*/messages"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "GET /no/such/route → 404") {
		t.Errorf("WaitFor timeout error = %v; want the deadline and the requests seen", err)
	}
}

func TestPayloadsDecodeInDiscordgo(t *testing.T) {
	at := time.Date(2025, 1, 2, 3, 4, 5, 600000000, time.UTC)
	if got, want := discordfake.Timestamp(at), "2025-01-02T03:04:05.600000+00:00"; got != want {
		t.Errorf("Timestamp = %q, want %q", got, want)
	}
	id := discordfake.Snowflake(at)
	if ts, err := discordgo.SnowflakeTimestamp(id); err != nil || !ts.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("SnowflakeTimestamp(%s) = %v, %v; want %v", id, ts, err, at)
	}
	if discordfake.Snowflake(at) == id {
		t.Error("two snowflakes for one time are equal")
	}

	in := discordfake.SlashCommand(discordfake.CommandSpec{
		Name: "reindex", GuildID: "9", Permissions: 1 << 5, Time: at,
		Options: []discordfake.Option{
			discordfake.SubCommand("all", discordfake.BoolOption("force", true), discordfake.IntegerOption("k", 5)),
		},
	})
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"permissions":"32"`, `"app_permissions":"`, `"joined_at":"2025-01-01T03:04:05.600000+00:00"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("payload %s lacks %s", b, want)
		}
	}
	var ic discordgo.InteractionCreate
	if err := json.Unmarshal(b, &ic); err != nil {
		t.Fatalf("discordgo cannot decode %s: %v", b, err)
	}
	if ic.Member.Permissions != 1<<5 || !ic.Member.JoinedAt.Equal(at.Add(-24*time.Hour)) {
		t.Errorf("member = %+v", ic.Member)
	}
	sub := ic.ApplicationCommandData().Options[0]
	if sub.Type != discordgo.ApplicationCommandOptionSubCommand || sub.Value != nil || len(sub.Options) != 2 ||
		!sub.Options[0].BoolValue() || sub.Options[1].IntValue() != 5 {
		t.Errorf("sub-command = %+v", sub)
	}
}
