package discord

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

// answer is the bot's answer to a message: the text of every message it
// sent in reply, and the last of them, which carries the buttons.
type answer struct {
	content string
	last    call
}

// answerTo serves a MESSAGE_CREATE payload and returns what the bot sent
// in reply.
func (u *unit) answerTo(t *testing.T, payload any) answer {
	t.Helper()
	before := len(u.s.find(nil))
	m := u.message(t, payload)
	sent := u.s.find(func(c call) bool {
		return c.seq > before && c.method == mSend && c.channel == m.ChannelID && c.err == nil
	})
	if len(sent) == 0 {
		t.Fatalf("no answer to %q; calls %v", m.Content, u.s.find(nil))
	}
	return answer{content: joined(sent), last: sent[len(sent)-1]}
}

func TestDMConversationThreeTurns(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	first := u.answerTo(t, dm(whoSaid))
	if !strings.Contains(first.content, "Sadjepour") || strings.Contains(first.content, "read as") {
		t.Errorf("first answer = %q", first.content)
	}
	second := u.answerTo(t, dm("what else did he say?"))
	if !strings.Contains(second.content, "read as: “What else did Karim Sadjepour say?”") || !strings.Contains(second.content, "¶8") {
		t.Errorf("second answer = %q; want it read with the first turn", second.content)
	}
	third := u.answerTo(t, dm("and what about Parsi?"))
	if !strings.Contains(third.content, "read as: “What else did Parsi say?”") {
		t.Errorf("third answer = %q; want Parsi in Sadjepour's place", third.content)
	}
}

func TestDMTopicShiftStandsAlone(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	u.answerTo(t, dm(whoSaid))
	a := u.answerTo(t, dm("Who organizes the Athens conference?"))
	if strings.Contains(a.content, "read as") || strings.Contains(a.content, "Sadjepour") {
		t.Errorf("topic shift answered as %q; want it read on its own", a.content)
	}
}

func TestDMConversationExpires(t *testing.T) {
	clock := &testClock{now: time.Now()}
	u := newUnit(t, Config{Clock: clock.Now}, nil, nil)
	u.answerTo(t, dm(whoSaid))
	clock.Advance(31 * time.Minute)
	a := u.answerTo(t, dm("what else did he say?"))
	if strings.Contains(a.content, "read as") {
		t.Errorf("a follow-up 31 minutes later was read with the old conversation: %q", a.content)
	}
}

func TestReplyChainFollowUp(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	first := u.answerTo(t, mention(whoSaid))

	// Another message in the channel that mentions the bot starts afresh.
	if a := u.answerTo(t, mention("what else did he say?")); strings.Contains(a.content, "read as") {
		t.Errorf("an unrelated mention was read as a follow-up: %q", a.content)
	}

	// A reply to the answer continues its conversation, whether it pings
	// the bot (as Discord's client does by default) or not.
	for _, noPing := range []bool{false, true} {
		reply := discordfake.Reply(discordfake.ReplySpec{
			MessageSpec: discordfake.MessageSpec{Content: "what else did he say?", GuildID: discordfake.DefaultGuildID},
			To:          first.last.id, ToAuthor: botAuthor(), NoPing: noPing,
		})
		if a := u.answerTo(t, reply); !strings.Contains(a.content, "read as: “What else did Karim Sadjepour say?”") {
			t.Errorf("reply-chain follow-up (no ping %v) = %q", noPing, a.content)
		}
	}
}

func TestReplyToAnAnswerFromBeforeARestart(t *testing.T) {
	// The bot does not remember the answer, but the reply is to the bot:
	// it is answered, as a conversation of its own.
	u := newUnit(t, Config{}, nil, nil)
	reply := discordfake.Reply(discordfake.ReplySpec{
		MessageSpec: discordfake.MessageSpec{Content: whoSaid, GuildID: discordfake.DefaultGuildID},
		To:          "1180000000000000999", ToAuthor: botAuthor(), NoPing: true,
	})
	if a := u.answerTo(t, reply); !strings.Contains(a.content, "Sadjepour") {
		t.Errorf("reply to a forgotten answer = %q", a.content)
	}
	if !strings.Contains(u.logs.String(), "conversation=reply:1180000000000000999") {
		t.Errorf("the reply did not start the answer's conversation:\n%s", u.logs)
	}
}

func TestThreadFollowUp(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	in := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid, discordfake.BoolOption("thread", true)))
	started := u.s.find(func(c call) bool { return c.method == mThread })
	if len(started) != 1 {
		t.Fatalf("threads started: %v", started)
	}
	th := started[0]
	if th.channel != in.ChannelID || th.message != originalID(in) || th.thread.Name != whoSaid || th.thread.Type != discordgo.ChannelTypeGuildPublicThread {
		t.Errorf("thread started on %s/%s as %+v; want it on the answer, named after the question", th.channel, th.message, th.thread)
	}
	m := mention("what else did he say?")
	m.ChannelID = th.id
	if a := u.answerTo(t, m); !strings.Contains(a.content, "read as: “What else did Karim Sadjepour say?”") {
		t.Errorf("thread follow-up = %q", a.content)
	}
}

func TestThreadRefused(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	u.s.failNext(mThread, errMissingPermissions)
	in := u.interact(t, askCmd(discordfake.DefaultGuildID, whoSaid, discordfake.BoolOption("thread", true)))
	fu := u.s.find(about(in, mFollowup))
	if len(fu) != 1 || !fu[0].ephemeral() || !strings.Contains(fu[0].content(), "Create Public Threads") {
		t.Errorf("followups %v; want a private word that the thread could not be opened", fu)
	}
	if e := u.s.find(about(in, mEdit)); len(e) != 1 || !strings.Contains(e[0].content(), "Sadjepour") {
		t.Errorf("the answer itself: %v", e)
	}
}

func TestThreadOnlyWhereItCan(t *testing.T) {
	tests := []struct {
		name  string
		guild string
		opts  []discordfake.Option
	}{
		{"in a DM", "", []discordfake.Option{discordfake.BoolOption("thread", true)}},
		{"private", discordfake.DefaultGuildID, []discordfake.Option{discordfake.BoolOption("thread", true), discordfake.BoolOption("private", true)}},
		{"not asked", discordfake.DefaultGuildID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnit(t, Config{}, nil, nil)
			u.interact(t, askCmd(tt.guild, whoSaid, tt.opts...))
			if c := u.s.find(func(c call) bool { return c.method == mThread }); len(c) != 0 {
				t.Errorf("a thread was started: %v", c)
			}
		})
	}
}

func TestFeedbackButtons(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	u := newUnit(t, Config{FeedbackPath: path}, nil, nil)
	a := u.answerTo(t, dm(whoSaid))
	tests := []struct {
		button, verdict, ack string
	}{
		{"👎", "down", "Thanks — you marked this answer 👎. Poor answers are reviewed and turned into test questions."},
		{"👍", "up", "Thanks — you marked this answer 👍."},
		{"👎", "down", "Thanks — you marked this answer 👎. Poor answers are reviewed and turned into test questions."},
	}
	for i, tt := range tests {
		click := discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: buttonIDOf(t, a.last.components(), tt.button), MessageID: a.last.id})
		in := u.interact(t, click)
		c := u.s.find(about(in, ""))
		if len(c) != 1 || c[0].respond.Type != discordgo.InteractionResponseChannelMessageWithSource || !c[0].ephemeral() || c[0].content() != tt.ack {
			t.Errorf("click %d acknowledged with %v; want %q to the clicker only", i+1, c, tt.ack)
		}
		entries := readFeedback(t, path)
		if len(entries) != i+1 {
			t.Fatalf("after %d clicks the log has %d entries; want one per click", i+1, len(entries))
		}
		e := entries[i]
		if e.Verdict != tt.verdict || e.Question != whoSaid || e.Standalone != whoSaid || e.AnswerMode != "extractive" ||
			len(e.PassageIDs) == 0 || e.PassageIDs[0] != "forward-iran-outreach#p8" || e.Guild != "" {
			t.Errorf("feedback entry = %+v", e)
		}
		if e.User == "" || strings.Contains(e.User, discordfake.DefaultUserID) {
			t.Errorf("user recorded as %q; want a salted hash", e.User)
		}
	}
}

func TestFeedbackWithoutALog(t *testing.T) {
	u := newUnit(t, Config{}, nil, nil)
	in := u.interact(t, discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: "fb:u:e:forward-iran-outreach:8", MessageID: "1180000000000000999"}))
	if c := u.s.find(about(in, "")); len(c) != 1 || !c[0].ephemeral() {
		t.Errorf("click acknowledged with %v", c)
	}
	if !strings.Contains(u.logs.String(), "feedback not recorded: no feedback log configured") {
		t.Errorf("logs:\n%s", u.logs)
	}
}

func TestSourcesButtonWorksAfterRestart(t *testing.T) {
	// A fresh bot has seen no answer: the custom_id carries all it needs.
	tests := []struct {
		name, customID string
		want           []string
	}{
		{"a cited paragraph", "src:forward-iran-outreach:8", []string{"**¶8** of _", "Rezai, he said, was prone to “do his own thing”"}},
		{"a story no longer indexed", "src:gone-story:3", []string{"The passages this answer cited are no longer in the index."}},
		{"a button of an older bot", "vote:3", []string{"That button no longer works."}},
	}
	u := newUnit(t, Config{}, nil, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := u.interact(t, discordfake.ButtonClick(discordfake.ButtonSpec{CustomID: tt.customID, MessageID: "1180000000000000999",
				GuildID: discordfake.DefaultGuildID}))
			c := u.s.find(about(in, mRespond))
			if len(c) != 1 || c[0].respond.Type != discordgo.InteractionResponseChannelMessageWithSource || !c[0].ephemeral() {
				t.Fatalf("answered %v; want a private message", c)
			}
			for _, w := range tt.want {
				if !strings.Contains(c[0].content(), w) {
					t.Errorf("sources = %q; want %q in it", c[0].content(), w)
				}
			}
		})
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
