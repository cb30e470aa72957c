package discordfake

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Identify is an IDENTIFY (op 2) a client sent to the gateway.
type Identify struct {
	Time time.Time
	// Token is the token as sent; discordgo sends it with its "Bot " prefix.
	Token          string
	Intents        int64
	Compress       bool
	LargeThreshold int
	Shard          []int
	Properties     map[string]string
	// Query is the query of the websocket URL the client dialled
	// (discordgo adds v=9&encoding=json).
	Query url.Values
	// Raw is the whole "d" object.
	Raw json.RawMessage
}

// Frame is a gateway payload a client sent, other than a heartbeat.
type Frame struct {
	Time time.Time
	Op   int
	Data json.RawMessage
}

// gwConn is one gateway websocket. ready, identified, seq and sessionID
// are guarded by Fake.mu; writes by writeMu, as gorilla/websocket allows
// one writer at a time.
type gwConn struct {
	ws       *websocket.Conn
	query    url.Values
	compress bool

	writeMu sync.Mutex

	identified bool
	ready      bool
	seq        int64
	sessionID  string
	shard      shardKey // from IDENTIFY; [0, 1] when it names none
}

// payload is the envelope of every gateway message.
type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

const writeTimeout = 5 * time.Second

var upgrader = websocket.Upgrader{
	CheckOrigin: func(*http.Request) bool { return true },
}

func (c *gwConn) write(op int, t string, seq int64, d any) error {
	raw, ok := d.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(d); err != nil {
			return err
		}
	}
	p := payload{Op: op, D: raw}
	if op == 0 {
		p.S, p.T = &seq, &t
	}
	msg, err := json.Marshal(p)
	if err != nil {
		return err
	}
	kind := websocket.TextMessage
	if c.compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(msg)
		zw.Close()
		msg, kind = buf.Bytes(), websocket.BinaryMessage
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.ws.WriteMessage(kind, msg)
}

// close sends a close frame with code and drops the connection; the
// connection's read loop then ends.
func (c *gwConn) close(code int, text string) {
	c.writeMu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.writeMu.Unlock()
	c.ws.Close()
}

func (f *Fake) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error.
	}
	c := &gwConn{ws: ws, query: r.URL.Query()}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		c.close(1001, "discordfake closing")
		return
	}
	f.conns[c] = true
	f.wg.Add(1)
	f.mu.Unlock()
	defer f.wg.Done()
	defer func() {
		ws.Close()
		f.mu.Lock()
		delete(f.conns, c)
		f.notifyLocked()
		f.mu.Unlock()
	}()

	hello := map[string]any{"heartbeat_interval": f.opts.HeartbeatInterval.Milliseconds()}
	if err := c.write(10, "", 0, hello); err != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p payload
		if err := json.Unmarshal(msg, &p); err != nil {
			c.close(4002, "Error while decoding payload.")
			return
		}
		if !f.handleFrame(c, p) {
			return
		}
	}
}

// handleFrame acts on one client payload and reports whether the
// connection stays open.
func (f *Fake) handleFrame(c *gwConn, p payload) bool {
	now := time.Now()
	switch p.Op {
	case 1: // Heartbeat; allowed before IDENTIFY too.
		f.mu.Lock()
		f.heartbeats++
		f.notifyLocked()
		f.mu.Unlock()
		return c.write(11, "", 0, nil) == nil
	case 2:
		return f.identify(c, p.D, now)
	case 6:
		return f.resume(c, p.D, now)
	}
	f.mu.Lock()
	f.frames = append(f.frames, Frame{Time: now, Op: p.Op, Data: p.D})
	identified := c.identified
	f.notifyLocked()
	f.mu.Unlock()
	if !identified {
		c.close(4003, "Not authenticated.")
		return false
	}
	return true
}

func (f *Fake) identify(c *gwConn, d json.RawMessage, now time.Time) bool {
	var id struct {
		Token          string            `json:"token"`
		Intents        int64             `json:"intents"`
		Compress       bool              `json:"compress"`
		LargeThreshold int               `json:"large_threshold"`
		Shard          []int             `json:"shard"`
		Properties     map[string]string `json:"properties"`
	}
	if err := json.Unmarshal(d, &id); err != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.identifies = append(f.identifies, Identify{
		Time: now, Token: id.Token, Intents: id.Intents, Compress: id.Compress,
		LargeThreshold: id.LargeThreshold, Shard: id.Shard, Properties: id.Properties,
		Query: c.query, Raw: append(json.RawMessage(nil), d...),
	})
	f.notifyLocked()
	switch {
	case c.identified:
		c.close(4005, "Already authenticated.")
		return false
	case strings.TrimPrefix(id.Token, "Bot ") == "",
		f.opts.Token != "" && strings.TrimPrefix(id.Token, "Bot ") != f.opts.Token:
		c.close(4004, "Authentication failed.")
		return false
	}

	c.compress = id.Compress && f.opts.Compress
	c.sessionID = randomHex(16)
	ready := map[string]any{
		"v":                       9,
		"user":                    f.botUserObject(),
		"guilds":                  []any{},
		"session_id":              c.sessionID,
		"session_type":            "normal",
		"resume_gateway_url":      f.GatewayURL(),
		"application":             map[string]any{"id": f.opts.AppID, "flags": 0},
		"private_channels":        []any{},
		"relationships":           []any{},
		"presences":               []any{},
		"user_settings":           map[string]any{},
		"geo_ordered_rtc_regions": []string{"local"},
		"_trace":                  []string{"discordfake"},
	}
	c.shard = shardKey{0, 1}
	if len(id.Shard) == 2 {
		if id.Shard[1] < 1 || id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1] {
			c.close(4010, "Invalid shard.")
			return false
		}
		c.shard = shardKey{id.Shard[0], id.Shard[1]}
		ready["shard"] = id.Shard
	}
	// READY is the very next message, and the connection turns ready in
	// the same critical section: Dispatch, which takes f.mu too, can
	// neither overtake READY nor miss the connection.
	c.seq = 1
	if err := c.write(0, "READY", c.seq, ready); err != nil {
		return false
	}
	c.identified, c.ready = true, true
	f.sessions[c.sessionID] = c.seq
	f.sessionShards[c.sessionID] = c.shard
	return true
}

func (f *Fake) resume(c *gwConn, d json.RawMessage, now time.Time) bool {
	var r struct {
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	json.Unmarshal(d, &r)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.frames = append(f.frames, Frame{Time: now, Op: 6, Data: append(json.RawMessage(nil), d...)})
	f.notifyLocked()
	seq, ok := f.sessions[r.SessionID]
	if !ok {
		// Invalid session, not resumable: the client should identify.
		return c.write(9, "", 0, false) == nil
	}
	c.sessionID, c.seq, c.shard = r.SessionID, seq+1, f.sessionShards[r.SessionID]
	if err := c.write(0, "RESUMED", c.seq, map[string]any{}); err != nil {
		return false
	}
	c.identified, c.ready = true, true
	f.sessions[c.sessionID] = c.seq
	return true
}

// Dispatch sends the event t with data d (JSON-encoded unless it is a
// json.RawMessage) to every ready gateway connection of the shard that
// owns it, each with its next sequence number: as Discord routes events,
// an event with a top-level guild_id goes to shard (guild_id >> 22) %
// num_shards, and any other (a DM) to shard 0. A connection that named no
// shard in IDENTIFY is shard 0 of 1 and gets every event. Dispatch fails
// when no connection of that shard is ready; call WaitReady first.
// Dispatching an INTERACTION_CREATE starts its AckDeadline.
func (f *Fake) Dispatch(t string, d any) error {
	raw, ok := d.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(d); err != nil {
			return fmt.Errorf("discordfake: dispatch %s: %w", t, err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if t == "INTERACTION_CREATE" {
		f.trackInteractionLocked(raw)
	}
	guildID := eventGuild(raw)
	var sent int
	var errs []error
	for c := range f.conns {
		if !c.ready || !c.shard.owns(guildID) {
			continue
		}
		c.seq++
		f.sessions[c.sessionID] = c.seq
		if err := c.write(0, t, c.seq, raw); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	if sent == 0 {
		errs = append(errs, fmt.Errorf("no ready gateway connection for guild %q", guildID))
		return fmt.Errorf("discordfake: dispatch %s: %w", t, errors.Join(errs...))
	}
	return nil
}

// WaitReady waits until some gateway connection has identified and been
// sent READY.
func (f *Fake) WaitReady(ctx context.Context) error {
	return f.waitUntil(ctx, "a ready gateway connection", func() bool {
		for c := range f.conns {
			if c.ready {
				return true
			}
		}
		return false
	}, func() string {
		return fmt.Sprintf(" (%d connections, %d identifies)", len(f.conns), len(f.identifies))
	})
}

// WaitShardReady waits until a gateway connection that identified as
// shard id of n has been sent READY (or RESUMED).
func (f *Fake) WaitShardReady(ctx context.Context, id, n int) error {
	want := shardKey{id, n}
	return f.waitUntil(ctx, fmt.Sprintf("shard [%d, %d] ready", id, n), func() bool {
		for c := range f.conns {
			if c.ready && c.shard == want {
				return true
			}
		}
		return false
	}, func() string {
		return fmt.Sprintf(" (%d connections, %d identifies)", len(f.conns), len(f.identifies))
	})
}

// CloseShard closes the gateway connections of shard id (of any count)
// with the close code and reason, leaving the other shards connected, and
// returns how many it closed.
func (f *Fake) CloseShard(id, code int, reason string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for c := range f.conns {
		if c.identified && c.shard.id == id {
			c.close(code, reason)
			c.ready = false
			n++
		}
	}
	return n
}

// CloseGateway closes every gateway connection with the close code and
// reason, as Discord does on errors (4000 unknown error, 4014 disallowed
// intents, …), and returns how many it closed.
func (f *Fake) CloseGateway(code int, reason string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for c := range f.conns {
		c.close(code, reason)
		c.ready = false
		n++
	}
	return n
}

// Identifies returns every IDENTIFY received, oldest first.
func (f *Fake) Identifies() []Identify {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Identify(nil), f.identifies...)
}

// Frames returns every gateway payload received other than heartbeats and
// IDENTIFY (presence updates, RESUME, member requests, …), oldest first.
func (f *Fake) Frames() []Frame {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Frame(nil), f.frames...)
}

// Heartbeats returns how many heartbeats (op 1) the gateway has answered.
func (f *Fake) Heartbeats() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.heartbeats
}

// WaitHeartbeats waits until the gateway has answered at least n heartbeats.
func (f *Fake) WaitHeartbeats(ctx context.Context, n int) error {
	return f.waitUntil(ctx, fmt.Sprintf("%d heartbeats", n), func() bool { return f.heartbeats >= n },
		func() string { return fmt.Sprintf(" (%d seen)", f.heartbeats) })
}

func (f *Fake) botUserObject() map[string]any {
	return map[string]any{
		"id": f.opts.BotUserID, "username": f.opts.BotUsername, "discriminator": "0",
		"global_name": nil, "avatar": nil, "bot": true, "verified": true,
		"mfa_enabled": false, "flags": 0, "public_flags": 0,
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
