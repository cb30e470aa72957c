package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discord/discordfake"
	"github.com/storybot/storybot/data"
	"github.com/storybot/storybot/internal/testlog"
	"github.com/storybot/storybot/retrieval"
)

// The fast tests: a handler serves events through fakeSession, an
// in-memory stand-in for the session interface that records every call
// and can fail any of them. The loopback fake Discord (discordfake) is
// kept for the few end-to-end tests in e2e_test.go.

// Session method names, as a call records them.
const (
	mRespond  = "InteractionRespond"
	mEdit     = "InteractionResponseEdit"
	mDelete   = "InteractionResponseDelete"
	mFollowup = "FollowupMessageCreate"
	mSend     = "ChannelMessageSendComplex"
	mMsgDel   = "ChannelMessageDelete"
	mTyping   = "ChannelTyping"
	mThread   = "MessageThreadStartComplex"
)

// call is one call a handler made through the fake session.
type call struct {
	seq     int
	at      time.Time
	method  string
	in      *discordgo.Interaction // the interaction calls' interaction
	channel string                 // the channel calls' channel
	message string                 // the message deleted, or threaded on

	respond  *discordgo.InteractionResponse
	edit     *discordgo.WebhookEdit
	followup *discordgo.WebhookParams
	send     *discordgo.MessageSend
	thread   *discordgo.ThreadStart

	id  string // the message or thread the call made, if it succeeded
	err error  // what the fake returned
}

// content is the text the call sent, if any.
func (c call) content() string {
	switch {
	case c.respond != nil && c.respond.Data != nil:
		return c.respond.Data.Content
	case c.edit != nil && c.edit.Content != nil:
		return *c.edit.Content
	case c.followup != nil:
		return c.followup.Content
	case c.send != nil:
		return c.send.Content
	}
	return ""
}

// flags are the message flags the call sent (64 is ephemeral).
func (c call) flags() discordgo.MessageFlags {
	switch {
	case c.respond != nil && c.respond.Data != nil:
		return c.respond.Data.Flags
	case c.followup != nil:
		return c.followup.Flags
	}
	return 0
}

// ephemeral reports whether the call's message is for its user alone.
func (c call) ephemeral() bool { return c.flags()&discordgo.MessageFlagsEphemeral != 0 }

// embeds are the embeds the call sent.
func (c call) embeds() []*discordgo.MessageEmbed {
	switch {
	case c.edit != nil && c.edit.Embeds != nil:
		return *c.edit.Embeds
	case c.followup != nil:
		return c.followup.Embeds
	case c.send != nil:
		return c.send.Embeds
	}
	return nil
}

// components are the components the call sent.
func (c call) components() []discordgo.MessageComponent {
	switch {
	case c.edit != nil && c.edit.Components != nil:
		return *c.edit.Components
	case c.followup != nil:
		return c.followup.Components
	case c.send != nil:
		return c.send.Components
	}
	return nil
}

// mentions are the allowed mentions the call sent; nil when it sent none.
func (c call) mentions() *discordgo.MessageAllowedMentions {
	switch {
	case c.respond != nil && c.respond.Data != nil:
		return c.respond.Data.AllowedMentions
	case c.edit != nil:
		return c.edit.AllowedMentions
	case c.followup != nil:
		return c.followup.AllowedMentions
	case c.send != nil:
		return c.send.AllowedMentions
	}
	return nil
}

// body is the call's payload as discordgo would send it.
func (c call) body(t *testing.T) string {
	t.Helper()
	var v any
	switch c.method {
	case mRespond:
		v = c.respond
	case mEdit:
		v = c.edit
	case mFollowup:
		v = c.followup
	case mSend:
		v = c.send
	case mThread:
		v = c.thread
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (c call) String() string {
	return fmt.Sprintf("#%d %s %.80q err=%v", c.seq, c.method, c.content(), c.err)
}

// fakeSession is a session in memory. It records each call, gives every
// message and thread it makes a fresh id (@original's is stable per
// interaction), and returns the errors queued with failNext. It is safe
// for concurrent use, as handlers run concurrently.
type fakeSession struct {
	mu      sync.Mutex
	calls   []call
	fail    map[string][]error // method → errors the next calls return, in turn
	ids     int
	changed chan struct{} // closed and replaced on every call
}

func newFakeSession() *fakeSession {
	return &fakeSession{fail: map[string][]error{}, changed: make(chan struct{})}
}

var _ session = (*fakeSession)(nil)

// failNext makes the next calls of method return errs, one each.
func (f *fakeSession) failNext(method string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = append(f.fail[method], errs...)
}

// record files c, made with the error queued for its method, if any; it
// returns c as recorded.
func (f *fakeSession) record(c call, newID func(n int) string) call {
	f.mu.Lock()
	defer f.mu.Unlock()
	if errs := f.fail[c.method]; len(errs) > 0 {
		c.err, f.fail[c.method] = errs[0], errs[1:]
	}
	f.ids++
	if c.err == nil && newID != nil {
		c.id = newID(f.ids)
	}
	c.seq, c.at = len(f.calls)+1, time.Now()
	f.calls = append(f.calls, c)
	close(f.changed)
	f.changed = make(chan struct{})
	return c
}

func messageID(n int) string { return fmt.Sprintf("9%017d", n) }

// originalID is the id the fake gives an interaction's @original.
func originalID(in *discordgo.Interaction) string { return "orig-" + in.ID }

func (f *fakeSession) InteractionRespond(in *discordgo.Interaction, resp *discordgo.InteractionResponse, _ ...discordgo.RequestOption) error {
	return f.record(call{method: mRespond, in: in, respond: resp}, nil).err
}

func (f *fakeSession) InteractionResponseEdit(in *discordgo.Interaction, edit *discordgo.WebhookEdit, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	c := f.record(call{method: mEdit, in: in, edit: edit}, func(int) string { return originalID(in) })
	if c.err != nil {
		return nil, c.err
	}
	return &discordgo.Message{ID: c.id, ChannelID: in.ChannelID}, nil
}

func (f *fakeSession) InteractionResponseDelete(in *discordgo.Interaction, _ ...discordgo.RequestOption) error {
	return f.record(call{method: mDelete, in: in}, nil).err
}

func (f *fakeSession) FollowupMessageCreate(in *discordgo.Interaction, _ bool, p *discordgo.WebhookParams, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	c := f.record(call{method: mFollowup, in: in, followup: p}, messageID)
	if c.err != nil {
		return nil, c.err
	}
	return &discordgo.Message{ID: c.id, ChannelID: in.ChannelID}, nil
}

func (f *fakeSession) ChannelMessageSendComplex(channel string, m *discordgo.MessageSend, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	c := f.record(call{method: mSend, channel: channel, send: m}, messageID)
	if c.err != nil {
		return nil, c.err
	}
	return &discordgo.Message{ID: c.id, ChannelID: channel, Content: m.Content}, nil
}

func (f *fakeSession) ChannelMessageDelete(channel, message string, _ ...discordgo.RequestOption) error {
	return f.record(call{method: mMsgDel, channel: channel, message: message}, nil).err
}

func (f *fakeSession) ChannelTyping(channel string, _ ...discordgo.RequestOption) error {
	return f.record(call{method: mTyping, channel: channel}, nil).err
}

func (f *fakeSession) MessageThreadStartComplex(channel, message string, start *discordgo.ThreadStart, _ ...discordgo.RequestOption) (*discordgo.Channel, error) {
	c := f.record(call{method: mThread, channel: channel, message: message, thread: start}, func(n int) string { return fmt.Sprintf("8%017d", n) })
	if c.err != nil {
		return nil, c.err
	}
	return &discordgo.Channel{ID: c.id, Name: start.Name, ParentID: channel, Type: start.Type}, nil
}

// find returns the calls match accepts, in order.
func (f *fakeSession) find(match func(call) bool) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if match == nil || match(c) {
			out = append(out, c)
		}
	}
	return out
}

// waitFor waits until n calls that match accepts were made, and returns
// them; it fails the test after a while.
func (f *fakeSession) waitFor(t *testing.T, n int, match func(call) bool) []call {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if got := f.find(match); len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-timeout.C:
			t.Fatalf("waited for %d calls, got %d of %v", n, len(f.find(match)), f.find(nil))
		}
	}
}

// about matches the calls about one interaction, of one method when
// method is not "".
func about(in *discordgo.Interaction, method string) func(call) bool {
	return func(c call) bool { return c.in != nil && c.in.ID == in.ID && (method == "" || c.method == method) }
}

// inChannel matches the calls of method to one channel.
func inChannel(channel, method string) func(call) bool {
	return func(c call) bool { return c.channel == channel && c.method == method }
}

// Errors the fake session returns as discordgo would.
var (
	// err429 is a rate limit that discordgo gave up on.
	err429 = &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{Message: "You are being rate limited.", RetryAfter: 2 * time.Second},
		URL:             discordgo.EndpointWebhooks + "app/token/messages/@original",
	}}
	// errTimeout is a REST call whose HTTP client gave up.
	errTimeout = &url.Error{Op: "Patch", URL: discordgo.EndpointWebhooks, Err: context.DeadlineExceeded}
	// errUnknownInteraction is Discord's answer to a response after 3 s.
	errUnknownInteraction = &discordgo.RESTError{
		Response: &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found"},
		Message:  &discordgo.APIErrorMessage{Code: discordgo.ErrCodeUnknownInteraction, Message: "Unknown interaction"},
	}
	// errMissingPermissions is Discord's answer to a thread the bot may
	// not start.
	errMissingPermissions = &discordgo.RESTError{
		Response: &http.Response{StatusCode: http.StatusForbidden, Status: "403 Forbidden"},
		Message:  &discordgo.APIErrorMessage{Code: discordgo.ErrCodeMissingPermissions, Message: "Missing Permissions"},
	}
)

// botUserID is the bot's user id in the fast tests, as READY gives it.
const botUserID = discordfake.DefaultAppID

// unit is a handler served through a fake session.
type unit struct {
	h    *handler
	s    *fakeSession
	logs *testlog.Buffer
}

// shared is an extractive engine over the default story that the unit
// tests which do not change it share: building one takes a while.
var shared struct {
	once sync.Once
	eng  *bot.Engine
	ix   *retrieval.Index
	err  error
}

// sharedEngine returns the shared engine and its index.
func sharedEngine(t *testing.T) (*bot.Engine, *retrieval.Index) {
	t.Helper()
	shared.once.Do(func() {
		shared.ix, shared.err = retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
		if shared.err == nil {
			_, shared.err = shared.ix.Reindex(context.Background(), data.FS)
		}
		shared.eng = &bot.Engine{Index: shared.ix}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.eng, shared.ix
}

// newUnit builds the handler Run would build for cfg, without connecting,
// over eng and ix, or, when eng is nil, the shared engine (which the test
// must not change: a test that reindexes brings its own).
func newUnit(t *testing.T, cfg Config, eng *bot.Engine, ix Index) *unit {
	t.Helper()
	if eng == nil {
		eng, ix = sharedEngine(t)
	}
	u := &unit{s: newFakeSession(), logs: &testlog.Buffer{}}
	cfg.Log = slog.New(slog.NewTextHandler(io.MultiWriter(u.logs, t.Output()), &slog.HandlerOptions{Level: slog.LevelDebug}))
	u.h = newHandler(t.Context(), cfg, eng, ix)
	u.h.setBotID(botUserID)
	t.Cleanup(u.h.hardStop)
	return u
}

// interact serves an INTERACTION_CREATE payload built by discordfake, as
// discordgo would decode it, and returns the interaction.
func (u *unit) interact(t *testing.T, payload any) *discordgo.Interaction {
	t.Helper()
	ic := event[discordgo.InteractionCreate](t, payload)
	u.h.handleInteraction(u.s, ic)
	return ic.Interaction
}

// message serves a MESSAGE_CREATE payload built by discordfake.
func (u *unit) message(t *testing.T, payload any) *discordgo.Message {
	t.Helper()
	m := event[discordgo.MessageCreate](t, payload)
	u.h.handleMessage(u.s, botUserID, m)
	return m.Message
}

// event decodes a discordfake payload as discordgo decodes a dispatch.
func event[T any](t *testing.T, payload any) *T {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
	return v
}

// slash is a slash command in the default guild, or in a DM with guild "".
func slash(name, guild string, opts ...discordfake.Option) discordfake.Interaction {
	return discordfake.SlashCommand(discordfake.CommandSpec{Name: name, GuildID: guild, Options: opts})
}

// askCmd is /ask question in guild ("" for a DM), with more options.
func askCmd(guild, question string, opts ...discordfake.Option) discordfake.Interaction {
	return slash(cmdAsk, guild, ask(question, opts...)...)
}

// mention is a message in the default guild's channel that mentions the
// bot before content.
func mention(content string) discordfake.Message {
	bu := botAuthor()
	return discordfake.MessageCreate(discordfake.MessageSpec{Content: strings.TrimSpace(discordfake.Mention(botUserID) + " " + content),
		GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{bu}})
}

// dm is a direct message from the default user.
func dm(content string) discordfake.Message {
	return discordfake.MessageCreate(discordfake.MessageSpec{Content: content})
}

// botAuthor is the bot as a message's author.
func botAuthor() discordfake.User {
	return discordfake.User{ID: botUserID, Username: discordfake.DefaultBotUsername, Discriminator: "0", Bot: true}
}

// checkNoPings checks that the call suppresses every mention, in the JSON
// discordgo sends: "allowed_mentions":{"parse":[],…}.
func checkNoPings(t *testing.T, c call) {
	t.Helper()
	b, err := json.Marshal(c.mentions())
	if err != nil {
		t.Fatal(err)
	}
	var am struct {
		Parse *[]string `json:"parse"`
		Users []string  `json:"users"`
		Roles []string  `json:"roles"`
	}
	if err := json.Unmarshal(b, &am); err != nil || am.Parse == nil || len(*am.Parse) != 0 || len(am.Users) > 0 || len(am.Roles) > 0 {
		t.Errorf("%v: allowed_mentions = %s, want parse []", c, b)
	}
}

// buttonIDOf returns the custom_id of the button with the emoji or label
// among components.
func buttonIDOf(t *testing.T, components []discordgo.MessageComponent, name string) string {
	t.Helper()
	for _, row := range components {
		r, isRow := row.(discordgo.ActionsRow)
		if !isRow {
			continue
		}
		for _, c := range r.Components {
			if b, isButton := c.(discordgo.Button); isButton && (b.Label == name || b.Emoji != nil && b.Emoji.Name == name) {
				return b.CustomID
			}
		}
	}
	t.Fatalf("no %q button in %+v", name, components)
	return ""
}

// joined joins the contents of calls.
func joined(calls []call) string {
	var b strings.Builder
	for _, c := range calls {
		b.WriteString(c.content() + "\n")
	}
	return b.String()
}
