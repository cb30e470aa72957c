// Package discordfake is a test double of Discord: a loopback server that
// speaks enough of Discord's REST API and gateway for a real discordgo
// session to connect to it, receive injected events and make its calls.
// It is for tests only.
//
// A test starts a Fake, gives a session the fake's Client (which sends
// every REST call to the fake, so tests that each use their own fake may
// run in parallel), opens the session, dispatches events and reads back
// the requests the bot made:
//
//	f := discordfake.New(t, discordfake.Options{})
//	s, _ := discordgo.New("Bot test-token")
//	s.Client = f.Client()
//	s.ShouldReconnectOnError = false
//	// … add handlers, s.Open(), t.Cleanup(func() { s.Close() }) …
//	f.WaitReady(ctx)
//	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID})
//	f.Dispatch("INTERACTION_CREATE", in)
//	req, err := f.WaitFor(ctx, discordfake.Match("PATCH", "/webhooks/*/"+in.Token+"/messages/@original"))
//
// A bot that runs as its own process can instead be pointed at the fake
// with discord.SetAPIURL(f.APIURL()); discordgo's endpoints are then
// process-wide, so such tests must not run in parallel.
//
// Cleanups run last-registered first, so a session closed in a cleanup
// registered after New is closed before the fake; a session still open
// when the fake closes would otherwise try to reconnect.
//
// The gateway knows shards: a connection identifies as [shard_id,
// num_shards] (none means [0, 1]), and Dispatch sends a guild's events to
// shard (guild_id >> 22) % num_shards and DMs to shard 0, as Discord does.
// Options.Shards and MaxConcurrency are what GET /gateway/bot reports;
// GuildOnShard makes a guild id for a given shard, and CloseShard drops one
// shard's connection.
//
// The fake keeps Discord's rules where a bot can break them: an
// interaction it dispatched must be answered once, within
// Options.AckDeadline, before its original response or followups exist;
// webhook routes take the application id; message bodies are held to
// Discord's length limits; REST calls need a "Bot " token.
package discordfake

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Default identities used when Options, CommandSpec or MessageSpec leave
// them empty. They are snowflakes of the kind Discord hands out.
const (
	DefaultAppID       = "1180000000000000001"
	DefaultGuildID     = "1180000000000000100"
	DefaultChannelID   = "1180000000000000200"
	DefaultUserID      = "1180000000000000300"
	DefaultBotUsername = "storybot"
)

// apiPrefix is the path of the REST API root the fake reports in APIURL.
const apiPrefix = "/api/v9"

// Options configure a Fake. The zero value works.
type Options struct {
	// AppID is the application id, reported in READY and required in the
	// application and webhook routes. Default DefaultAppID.
	AppID string
	// BotUserID is the bot user's id. Default AppID, as for any
	// application created since 2019 or so.
	BotUserID string
	// BotUsername is the bot user's name. Default DefaultBotUsername.
	BotUsername string
	// Token, when set, is the only bot token accepted: REST calls must
	// carry "Authorization: Bot <Token>" (else 401) and IDENTIFY this
	// token (else the gateway closes with 4004). When empty, any
	// "Bot …" token is accepted.
	Token string
	// HeartbeatInterval is sent in HELLO. Default 41.25 s, Discord's.
	HeartbeatInterval time.Duration
	// Compress makes the gateway send zlib-compressed binary frames to a
	// client that sets compress in IDENTIFY, as Discord may. By default
	// every frame is uncompressed text, which discordgo also accepts.
	Compress bool
	// AckDeadline is how long after its dispatch an interaction may get
	// its first response; later, the callback answers 404 "Unknown
	// interaction" (10062). Default 3 s, Discord's; negative disables.
	AckDeadline time.Duration
	// Shards is the shard count GET /gateway/bot recommends. Default 1.
	Shards int
	// MaxConcurrency is GET /gateway/bot's
	// session_start_limit.max_concurrency: how many shards may identify
	// in the same 5-second window. Default 1.
	MaxConcurrency int
}

// Fake is a loopback Discord. Its methods are safe for concurrent use.
type Fake struct {
	opts Options
	srv  *httptest.Server
	wg   sync.WaitGroup // gateway connections being served

	closeOnce sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever the state below changes
	closed  bool

	// REST state.
	requests  []Request
	faults    []*fault
	commands  map[string][]map[string]any // guild id ("" global) → registered commands
	messages  map[string]map[string]any   // message id → the message as last sent or edited
	originals map[string]string           // interaction token → message id of its @original
	byID      map[string]*interaction     // interactions the fake dispatched, by id
	byToken   map[string]*interaction     // … and by token
	dms       map[string]string           // DM channel id → recipient id

	// Gateway state.
	conns         map[*gwConn]bool
	sessions      map[string]int64    // session id → last sequence, for RESUME
	sessionShards map[string]shardKey // session id → its shard, for RESUME
	identifies    []Identify
	frames        []Frame
	heartbeats    int
}

// New starts a fake Discord on 127.0.0.1 and, when tb is not nil, closes
// it when the test ends. With a nil tb the caller must call Close.
func New(tb testing.TB, opts Options) *Fake {
	if opts.AppID == "" {
		opts.AppID = DefaultAppID
	}
	if opts.BotUserID == "" {
		opts.BotUserID = opts.AppID
	}
	if opts.BotUsername == "" {
		opts.BotUsername = DefaultBotUsername
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 41250 * time.Millisecond
	}
	if opts.Shards < 1 {
		opts.Shards = 1
	}
	if opts.MaxConcurrency < 1 {
		opts.MaxConcurrency = 1
	}
	if opts.AckDeadline == 0 {
		opts.AckDeadline = 3 * time.Second
	}
	f := &Fake{
		opts:      opts,
		changed:   make(chan struct{}),
		commands:  map[string][]map[string]any{},
		messages:  map[string]map[string]any{},
		originals: map[string]string{},
		byID:      map[string]*interaction{},
		byToken:   map[string]*interaction{},
		dms:       map[string]string{},
		conns:     map[*gwConn]bool{},
		sessions:  map[string]int64{},

		sessionShards: map[string]shardKey{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serveHTTP))
	if tb != nil {
		tb.Cleanup(f.Close)
	}
	return f
}

// URL returns the fake's root, "http://127.0.0.1:PORT".
func (f *Fake) URL() string { return f.srv.URL }

// APIURL returns the REST API root to give discord.SetAPIURL,
// "http://127.0.0.1:PORT/api/v9/".
func (f *Fake) APIURL() string { return f.srv.URL + apiPrefix + "/" }

// Client returns an HTTP client that sends every request to the fake,
// whatever host it names, keeping the path. Made a discordgo session's
// Client (or discord.Config's HTTPClient), it takes the session to the
// fake with discordgo's endpoints left as they are, so that tests that
// each use their own fake may run in parallel. The gateway URL the fake
// reports is its own, so Open needs nothing more.
func (f *Fake) Client() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: toFake{host: f.srv.Listener.Addr().String(), next: f.srv.Client().Transport}}
}

// toFake sends every request to the fake at host.
type toFake struct {
	host string
	next http.RoundTripper
}

func (r toFake) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	req.URL.Scheme, req.URL.Host, req.Host = "http", r.host, ""
	return r.next.RoundTrip(req)
}

// GatewayURL returns the gateway's websocket URL, as GET /gateway reports it.
func (f *Fake) GatewayURL() string {
	return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gw"
}

// AppID returns the application id.
func (f *Fake) AppID() string { return f.opts.AppID }

// BotUser returns the bot's user, as READY and GET /users/@me report it.
func (f *Fake) BotUser() User {
	return User{ID: f.opts.BotUserID, Username: f.opts.BotUsername, Discriminator: "0", Bot: true}
}

// Close closes every gateway connection (close code 1001) and stops the
// server. It is safe to call more than once. Close a discordgo session
// before the fake, or set its ShouldReconnectOnError to false: discordgo
// reconnects forever otherwise.
func (f *Fake) Close() {
	f.closeOnce.Do(func() {
		f.mu.Lock()
		f.closed = true
		for c := range f.conns {
			c.close(1001, "discordfake closing")
		}
		f.notifyLocked()
		f.mu.Unlock()
		f.wg.Wait()
		f.srv.Close()
	})
}

func (f *Fake) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// discordgo appends a slash to the URL that GET /gateway reports.
	if r.URL.Path == "/gw" || r.URL.Path == "/gw/" {
		f.serveGateway(w, r)
		return
	}
	f.serveAPI(w, r)
}

// notifyLocked wakes every waiter; f.mu must be held.
func (f *Fake) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// waitUntil calls cond under f.mu each time the fake's state changes until
// it reports true, ctx ends or the fake closes. describe, called under
// f.mu, explains a failure.
func (f *Fake) waitUntil(ctx context.Context, what string, cond func() bool, describe func() string) error {
	for {
		f.mu.Lock()
		ok, closed, ch := cond(), f.closed, f.changed
		var detail string
		if !ok && describe != nil && (closed || ctx.Err() != nil) {
			detail = describe()
		}
		f.mu.Unlock()
		switch {
		case ok:
			return nil
		case closed:
			return fmt.Errorf("discordfake: wait for %s: fake closed%s", what, detail)
		case ctx.Err() != nil:
			return fmt.Errorf("discordfake: wait for %s: %w%s", what, ctx.Err(), detail)
		}
		select {
		case <-ch:
		case <-ctx.Done():
		}
	}
}
