package discord

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discord/discordfake"
)

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

func TestDMConversationThreeTurns(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	seq := 0
	turn := func(q string) answerMessage {
		t.Helper()
		m := discordfake.MessageCreate(discordfake.MessageSpec{Content: q})
		dispatch(t, tb.f, "MESSAGE_CREATE", m)
		var a answerMessage
		a, seq = waitAnswer(t, ctx, tb.f, m.ChannelID, seq)
		return a
	}
	first := turn(whoSaid)
	if !strings.Contains(first.content, "Sadjepour") || strings.Contains(first.content, "read as") {
		t.Errorf("first answer = %q", first.content)
	}
	second := turn("what else did he say?")
	if !strings.Contains(second.content, "read as: “What else did Karim Sadjepour say?”") || !strings.Contains(second.content, "¶8") {
		t.Errorf("second answer = %q; want it read with the first turn", second.content)
	}
	third := turn("and what about Parsi?")
	if !strings.Contains(third.content, "read as: “What else did Parsi say?”") {
		t.Errorf("third answer = %q; want Parsi in Sadjepour's place", third.content)
	}
}

func TestDMTopicShiftStandsAlone(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	m := discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid})
	dispatch(t, tb.f, "MESSAGE_CREATE", m)
	_, seq := waitAnswer(t, ctx, tb.f, m.ChannelID, 0)
	shift := discordfake.MessageCreate(discordfake.MessageSpec{Content: "Who organizes the Athens conference?"})
	dispatch(t, tb.f, "MESSAGE_CREATE", shift)
	a, _ := waitAnswer(t, ctx, tb.f, m.ChannelID, seq)
	if strings.Contains(a.content, "read as") || strings.Contains(a.content, "Sadjepour") {
		t.Errorf("topic shift answered as %q; want it read on its own", a.content)
	}
}

func TestReplyChainFollowUp(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	botUser := tb.f.BotUser()
	q := discordfake.MessageCreate(discordfake.MessageSpec{
		Content: discordfake.Mention(botUser.ID) + " " + whoSaid, GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{botUser},
	})
	dispatch(t, tb.f, "MESSAGE_CREATE", q)
	first, seq := waitAnswer(t, ctx, tb.f, q.ChannelID, 0)

	// Another message in the channel that mentions the bot starts afresh.
	other := discordfake.MessageCreate(discordfake.MessageSpec{
		Content: discordfake.Mention(botUser.ID) + " what else did he say?", GuildID: discordfake.DefaultGuildID, Mentions: []discordfake.User{botUser},
	})
	dispatch(t, tb.f, "MESSAGE_CREATE", other)
	a, seq := waitAnswer(t, ctx, tb.f, q.ChannelID, seq)
	if strings.Contains(a.content, "read as") {
		t.Errorf("an unrelated mention was read as a follow-up: %q", a.content)
	}

	// A reply to the answer continues its conversation; the reply pings the
	// bot, as Discord's client does by default.
	reply := discordfake.Reply(discordfake.ReplySpec{
		MessageSpec: discordfake.MessageSpec{Content: "what else did he say?", GuildID: discordfake.DefaultGuildID},
		To:          first.id, ToAuthor: botUser,
	})
	dispatch(t, tb.f, "MESSAGE_CREATE", reply)
	a, _ = waitAnswer(t, ctx, tb.f, q.ChannelID, seq)
	if !strings.Contains(a.content, "read as: “What else did Karim Sadjepour say?”") {
		t.Errorf("reply-chain follow-up = %q", a.content)
	}
}

func TestThreadFollowUp(t *testing.T) {
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	in := discordfake.SlashCommand(discordfake.CommandSpec{Name: "ask", GuildID: discordfake.DefaultGuildID,
		Options: ask(whoSaid, discordfake.BoolOption("thread", true))})
	dispatch(t, tb.f, "INTERACTION_CREATE", in)
	started, err := tb.f.WaitFor(ctx, func(r discordfake.Request) bool {
		return r.Method == "POST" && strings.HasSuffix(r.Path, "/threads") && r.Status == 201
	})
	if err != nil {
		logRequests(t, tb.f)
		t.Fatal(err)
	}
	var thread struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	json.Unmarshal(started.Response, &thread)
	original, _ := tb.f.Original(in.Token)
	if started.Path != "/channels/"+in.ChannelID+"/messages/"+original+"/threads" || thread.Name != whoSaid {
		t.Errorf("thread started with %s, name %q; want it on the answer, named after the question", started.Path, thread.Name)
	}
	botUser := tb.f.BotUser()
	m := discordfake.MessageCreate(discordfake.MessageSpec{
		Content: discordfake.Mention(botUser.ID) + " what else did he say?", GuildID: discordfake.DefaultGuildID,
		ChannelID: thread.ID, Mentions: []discordfake.User{botUser},
	})
	dispatch(t, tb.f, "MESSAGE_CREATE", m)
	a, _ := waitAnswer(t, ctx, tb.f, thread.ID, 0)
	if !strings.Contains(a.content, "read as: “What else did Karim Sadjepour say?”") {
		t.Errorf("thread follow-up = %q", a.content)
	}
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

func TestFeedbackButtons(t *testing.T) {
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

func TestSourcesButtonWorksAfterRestart(t *testing.T) {
	// A fresh bot has seen no answer: the custom_id carries all it needs.
	tb := startBot(t, Config{}, nil, nil)
	ctx := testContext(t)
	click := discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: "src:forward-iran-outreach:8", MessageID: "1180000000000000999",
		GuildID: discordfake.DefaultGuildID})
	dispatch(t, tb.f, "INTERACTION_CREATE", click)
	_, cb := callback(t, ctx, tb.f, discordfake.Interaction{ID: click.ID})
	if cb.Type != 4 || cb.Data == nil || cb.Data.Flags&64 == 0 {
		t.Fatalf("sources answered %+v; want a private message", cb)
	}
	if !strings.Contains(cb.Data.Content, "¶8") || !strings.Contains(cb.Data.Content, "Rezai, he said, was prone to “do his own thing”") {
		t.Errorf("sources = %q; want the whole of ¶8", cb.Data.Content)
	}
}

func TestButtonIDsRoundTrip(t *testing.T) {
	long := strings.Repeat("a-very-long-story-slug-", 3)
	tests := []struct {
		name      string
		prefix    string
		story     string
		paras     []int
		wantParas []int
	}{
		{"feedback", "fb:d:f", "a-story", []int{8, 12}, []int{8, 12}},
		{"sources", "src", "a-story", []int{3}, []int{3}},
		{"no citations", "fb:u:e", "", nil, nil},
		{"paragraphs that do not fit are left off", "src", long, []int{100, 101, 102, 103, 104, 105, 106, 107, 108, 109}, []int{100, 101, 102, 103, 104, 105}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := customID(tt.prefix, tt.story, tt.paras)
			if len(id) > maxCustomID {
				t.Fatalf("custom_id %q is %d characters; Discord allows %d", id, len(id), maxCustomID)
			}
			b, err := parseButtonID(id)
			if err != nil {
				t.Fatal(err)
			}
			if b.story != tt.story || len(b.paras) != len(tt.wantParas) {
				t.Errorf("parseButtonID(%q) = %+v; want story %q, paragraphs %v", id, b, tt.story, tt.wantParas)
			}
		})
	}
	for _, bad := range []string{"", "fb:x:e:s:1", "src:s:x", "other:1:2", "fb:u:e:s:0"} {
		if _, err := parseButtonID(bad); err == nil {
			t.Errorf("parseButtonID(%q) succeeded", bad)
		}
	}
}

func TestDMConversationExpires(t *testing.T) {
	clock := &testClock{now: time.Now()}
	tb := startBot(t, Config{Clock: clock.Now}, nil, nil)
	ctx := testContext(t)
	m := discordfake.MessageCreate(discordfake.MessageSpec{Content: whoSaid})
	dispatch(t, tb.f, "MESSAGE_CREATE", m)
	_, seq := waitAnswer(t, ctx, tb.f, m.ChannelID, 0)
	clock.Advance(31 * time.Minute)
	follow := discordfake.MessageCreate(discordfake.MessageSpec{Content: "what else did he say?"})
	dispatch(t, tb.f, "MESSAGE_CREATE", follow)
	a, _ := waitAnswer(t, ctx, tb.f, m.ChannelID, seq)
	if strings.Contains(a.content, "read as") {
		t.Errorf("a follow-up 31 minutes later was read with the old conversation: %q", a.content)
	}
}

// testClock is a clock the test moves on by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
