package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/retrieval"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newConversations(t *testing.T) (*Conversations, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	return &Conversations{Engine: &Engine{Index: mustIndex(t)}, Now: clock.Now}, clock
}

func mustConverse(t *testing.T, c *Conversations, key, q string) Reply {
	t.Helper()
	r, err := c.Ask(context.Background(), key, q)
	if err != nil {
		t.Fatalf("Ask(%q, %q): %v", key, q, err)
	}
	return r
}

func citesParagraph(r Reply, para int) bool {
	for _, c := range r.Citations {
		if c.Paragraph == para {
			return true
		}
	}
	return false
}

func TestConversationFollowUps(t *testing.T) {
	c, _ := newConversations(t)
	first := mustConverse(t, c, "dm:1", overtureQ)
	if first.Standalone != overtureQ || first.Rewrite != "" {
		t.Errorf("first turn read as %q (%q); want the question itself", first.Standalone, first.Rewrite)
	}
	if !citesParagraph(first, 8) {
		t.Fatalf("first turn cites %+v; want ¶8", first.Citations)
	}
	second := mustConverse(t, c, "dm:1", "what else did he say?")
	if !strings.Contains(second.Standalone, "Sadjepour") || second.Rewrite != "offline" {
		t.Errorf("second turn read as %q (%s); want it to name Sadjepour", second.Standalone, second.Rewrite)
	}
	if second.Question != "what else did he say?" {
		t.Errorf("second turn's question = %q; want the reader's words", second.Question)
	}
	if second.Refused || !citesParagraph(second, 8) {
		t.Errorf("second turn refused=%v cites %+v; want ¶8", second.Refused, second.Citations)
	}
	third := mustConverse(t, c, "dm:1", "and what about Parsi?")
	if !strings.Contains(third.Standalone, "Parsi") || strings.Contains(third.Standalone, "Sadjepour") {
		t.Errorf("third turn read as %q; want Parsi in Sadjepour's place", third.Standalone)
	}
	if got := len(c.History("dm:1")); got != 3 {
		t.Errorf("history holds %d turns; want 3", got)
	}
	// Another conversation sees none of this one.
	other := mustConverse(t, c, "dm:2", "what else did he say?")
	if other.Rewrite != "" || other.Standalone != "what else did he say?" {
		t.Errorf("a new conversation read %q as %q", other.Question, other.Standalone)
	}
}

func TestConversationTopicShift(t *testing.T) {
	c, _ := newConversations(t)
	mustConverse(t, c, "k", overtureQ)
	const shift = "When did the Athens meeting take place?"
	r := mustConverse(t, c, "k", shift)
	if r.Standalone != shift || strings.Contains(r.Standalone, "Sadjepour") {
		t.Errorf("topic shift read as %q; want it unchanged", r.Standalone)
	}
}

func TestConversationExpires(t *testing.T) {
	c, clock := newConversations(t)
	mustConverse(t, c, "k", overtureQ)
	clock.Advance(29 * time.Minute)
	if len(c.History("k")) != 1 {
		t.Fatal("forgot the conversation before 30 minutes idle")
	}
	mustConverse(t, c, "k", "what else did he say?") // activity restarts the idle clock
	clock.Advance(29 * time.Minute)
	if len(c.History("k")) != 2 {
		t.Fatal("forgot the conversation 29 minutes after its last turn")
	}
	clock.Advance(2 * time.Minute)
	if h := c.History("k"); len(h) != 0 {
		t.Fatalf("history after 31 minutes idle holds %d turns; want none", len(h))
	}
	r := mustConverse(t, c, "k", "what else did he say?")
	if r.Rewrite != "" {
		t.Errorf("an expired conversation still rewrote the question as %q", r.Standalone)
	}
}

func TestConversationBounds(t *testing.T) {
	c, clock := newConversations(t)
	c.MaxTurns, c.MaxConversations = 2, 2
	for _, q := range []string{overtureQ, "who wrote the book?", "what is the book called?"} {
		mustConverse(t, c, "a", q)
		clock.Advance(time.Second)
	}
	if h := c.History("a"); len(h) != 2 || h[0].Question != "who wrote the book?" {
		t.Errorf("history = %+v; want the last 2 turns", h)
	}
	mustConverse(t, c, "b", overtureQ)
	clock.Advance(time.Second)
	mustConverse(t, c, "c", overtureQ)
	if n := c.Len(); n != 2 {
		t.Errorf("%d conversations remembered; want at most 2", n)
	}
	if len(c.History("a")) != 0 || len(c.History("c")) != 1 {
		t.Error("evicted the wrong conversation; want the one idle longest gone")
	}
	c.Forget("c")
	if len(c.History("c")) != 0 {
		t.Error("Forget kept the conversation")
	}
}

func TestConversationModelRewrite(t *testing.T) {
	tests := []struct {
		name    string
		reply   chatReply
		want    string
		rewrite string
	}{
		{"model rewrite used", chatReply{Content: "Question: “What else did Karim Sadjepour say about Rezai?”"},
			"What else did Karim Sadjepour say about Rezai?", "model"},
		{"model failure falls back offline", chatReply{Status: 400, Body: `{"error":{"message":"bad"}}`},
			"What else did Karim Sadjepour say?", "offline"},
		{"empty reply falls back offline", chatReply{Content: "  \n "},
			"What else did Karim Sadjepour say?", "offline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The second reply fails the answer itself, which then falls
			// back to the extractive answer: only the rewrite is tested.
			f := newFakeChat(t, tt.reply, chatReply{Status: 400, Body: `{"error":{"message":"no"}}`})
			c := &Conversations{Engine: testEngine(t, f)}
			c.Engine.Chat = nil // the first turn is answered with no model call
			mustConverse(t, c, "k", overtureQ)
			c.Engine = testEngine(t, f)
			r := mustConverse(t, c, "k", "what else did he say?")
			if r.Standalone != tt.want || r.Rewrite != tt.rewrite {
				t.Errorf("read as %q (%s); want %q (%s)", r.Standalone, r.Rewrite, tt.want, tt.rewrite)
			}
			bodies := f.Bodies()
			if len(bodies) == 0 || !strings.Contains(bodies[0].Messages[1].Content, overtureQ) {
				t.Errorf("the condense request did not carry the history: %+v", bodies)
			}
		})
	}
}

// After "who did X?", "he" is the person the answer named, not whoever
// the story credits with telling of it.
func TestConversationWhoDidReferent(t *testing.T) {
	tests := []struct {
		first, follow, want string
	}{
		{"who made the pitch to the israelis in athens?", "what did he propose?", "Mohsen Rezai"},
		{"who was the anonymous israeli analyst parsi quotes?", "which paper did he write for?", "Zeev Schiff"},
		// Asked who a named person is, the conversation is about them, not
		// about a name the answer gives beside them ("Los Angeles").
		{"who is mohsen rezai", "what did he pitch to the israelis", "Mohsen Rezai"},
	}
	for _, tt := range tests {
		t.Run(tt.first, func(t *testing.T) {
			c, _ := newConversations(t)
			mustConverse(t, c, "k", tt.first)
			r := mustConverse(t, c, "k", tt.follow)
			if !strings.Contains(r.Standalone, tt.want) {
				t.Errorf("%q read as %q; want it to name %s", tt.follow, r.Standalone, tt.want)
			}
		})
	}
}

func TestNamesWritten(t *testing.T) {
	tests := []struct {
		sentence string
		want     []string
	}{
		{"Parsi told the Forward that the analyst was Zeev Schiff, the correspondent.", []string{"Forward", "Zeev Schiff"}},
		{"During a May 2003 conference, Mohsen Rezai, a former commander of Iran’s Revolutionary Guards, spoke.",
			[]string{"Mohsen Rezai", "Iran’s Revolutionary Guards"}},
		{"The Israeli stressed it.", []string{"Israeli"}},
		{"“We won,” said Jane Doe.", []string{"Jane Doe"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := namesWritten(tt.sentence); !slices.Equal(got, tt.want) {
			t.Errorf("namesWritten(%q) = %q; want %q", tt.sentence, got, tt.want)
		}
	}
}

// twoStories is an index of two short stories that share some words
// ("stock", "jobs"), as stories loaded together do.
func twoStories(t *testing.T) *retrieval.Index {
	t.Helper()
	stories := map[string][]string{
		"dock-strike": {
			"More than 1,400 dockworkers walked off the job at Port Calder early Friday after talks over automation broke down.",
			"The union says the automated cranes would eliminate about 300 jobs at the dock.",
			"In trading on Friday, shares of the port operator fell 3 percent, and shares of its parent fell too.",
			"The last strike at the port, in 1997, lasted eleven days.",
		},
		"lumora-layoffs": {
			"Lumora will cut 1,800 jobs, about 9 percent of its workforce, as it shifts spending to data centers.",
			"The company's shares rose 4 percent after the announcement.",
			"Chief executive Dana Whitfield-Okoro wrote in a memo that the market had changed.",
			"Affected employees in the United States will receive 16 weeks of base pay.",
		},
	}
	var ps []retrieval.Passage
	for slug, paras := range stories {
		for i, text := range paras {
			ps = append(ps, retrieval.Passage{ID: fmt.Sprintf("%s#p%d", slug, i+1), Story: slug, Title: slug, Paragraph: i + 1, Text: text})
		}
	}
	ix, err := retrieval.Open(retrieval.Options{Embedder: retrieval.NewLocalEmbedder()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Update(context.Background(), ps); err != nil {
		t.Fatal(err)
	}
	return ix
}

// A follow-up stays in the story its conversation is about, though
// another story shares its words; one in another story's words moves there.
func TestConversationKeepsItsStory(t *testing.T) {
	c := &Conversations{Engine: &Engine{Index: twoStories(t)}}
	first := mustConverse(t, c, "k", "how many jobs is Lumora cutting?")
	if len(first.Citations) == 0 || !strings.HasPrefix(first.Citations[0].PassageID, "lumora-layoffs#") {
		t.Fatalf("first turn cites %+v; want the layoffs story", first.Citations)
	}
	for _, tc := range []struct{ q, story string }{
		{"what did the shares do in trading?", "lumora-layoffs"},
		{"what about the dock strike, how many walked off?", "dock-strike"},
	} {
		r := mustConverse(t, c, "k", tc.q)
		if r.Refused || len(r.Citations) == 0 || !strings.HasPrefix(r.Citations[0].PassageID, tc.story+"#") {
			t.Errorf("%q (read as %q) refused=%v %v cites %+v; want %s", tc.q, r.Standalone, r.Refused, r.Fired, r.Citations, tc.story)
		}
	}
	// On its own, the same question goes to the story that says "stock".
	alone := mustConverse(t, c, "", "what did the shares do in trading?")
	if len(alone.Citations) == 0 || !strings.HasPrefix(alone.Citations[0].PassageID, "dock-strike#") {
		t.Errorf("on its own, %q cites %+v; want the strike story, whose words it shares more", alone.Question, alone.Citations)
	}
}

// Chat between two questions is passed over: the follow-up after it refers
// to the question before.
func TestConversationPassesOverChat(t *testing.T) {
	c, _ := newConversations(t)
	mustConverse(t, c, "k", overtureQ)
	if chat := mustConverse(t, c, "k", "ok brb dinner"); !chat.Refused {
		t.Errorf("chat answered as a question: %s", chat.Answer.Answer)
	}
	r := mustConverse(t, c, "k", "back. what else did he say?")
	if !strings.Contains(r.Standalone, "Sadjepour") {
		t.Errorf("read as %q; want it to name Sadjepour, of the question before the chat", r.Standalone)
	}
	if got := afterChatText(""); got != "" {
		t.Errorf("afterChatText(\"\") = %q", got)
	}
}

// Names typed in lower case are read as the names the story writes, and a
// place the story never writes as a person's is no "he".
func TestConversationReadsNamesAsTheStoryWritesThem(t *testing.T) {
	c, _ := newConversations(t)
	mustConverse(t, c, "a", "did powell and rice want to say yes to iran?")
	r := mustConverse(t, c, "a", "when did he send that email")
	if !strings.Contains(r.Standalone, "Powell") {
		t.Errorf("read as %q; want he to be Powell, named in lower case before", r.Standalone)
	}
	mustConverse(t, c, "b", "why was tehran so desperate back then")
	r = mustConverse(t, c, "b", "what else did he say")
	if strings.Contains(r.Standalone, "Tehran") {
		t.Errorf("read as %q; Tehran is a city, not he", r.Standalone)
	}
	if got := c.namesCapitalised("forward-iran-outreach", "whats parsis view"); got != "whats Parsi’s view" {
		t.Errorf("namesCapitalised = %q; want chat's possessive written as one", got)
	}
	if got := c.namesCapitalised("forward-iran-outreach", "what did the powells think"); got != "what did the Powells think" {
		t.Errorf("namesCapitalised = %q; want a name's plural after \"the\", not its possessive", got)
	}
	if got := c.namesCapitalised("forward-iran-outreach", "did he write about iran"); got != "did he write about Iran" {
		t.Errorf("namesCapitalised = %q; want only Iran capitalised (the story writes \"wrote\", not \"Write\")", got)
	}
}

// After "who did something to X?", the person is the speaker who is not X,
// whether the story writes X's possessive with ’ or '.
func TestConversationWhoDidToSomeone(t *testing.T) {
	c, _ := newConversations(t)
	mustConverse(t, c, "k", "who disputed Parsi's account of the Athens meeting?")
	r := mustConverse(t, c, "k", "what did that person say happened?")
	if strings.Contains(r.Standalone, "Parsi") || !strings.Contains(r.Standalone, "Israeli") {
		t.Errorf("read as %q; want the senior Israeli who disputed Parsi, not Parsi", r.Standalone)
	}
}
