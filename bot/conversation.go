package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/prompts"
	"github.com/storybot/storybot/retrieval"
)

// Defaults for the Conversations bounds left zero.
const (
	DefaultTurns         = 4                // turns remembered per conversation
	DefaultConversations = 10000            // conversations remembered at once
	DefaultIdle          = 30 * time.Minute // a conversation idle this long is forgotten
)

// condenseWait bounds the model call that rewrites a follow-up: it comes
// before the answer, so it must be quick or be skipped.
const condenseWait = 15 * time.Second

// Turn is one question of a conversation and what answered it.
type Turn struct {
	Question   string    // as the reader wrote it
	Standalone string    // as the bot read it, with the conversation
	PassageIDs []string  // the passages its answer cited
	Speakers   []string  // the speakers its answer cited, in order, without repeats
	Refused    bool      // the answer was a refusal
	At         time.Time // when it was answered
}

// Reply is an answer given in a conversation. Its JSON form is the
// `ask --json` answer with "standalone": the question as the bot read it.
type Reply struct {
	Answer
	Standalone string `json:"standalone"`
	// Rewrite says how the standalone question was made: "" (the question
	// stood alone), "offline" or "model".
	Rewrite string `json:"-"`
}

// Conversations answers questions within conversations: a follow-up is
// first rewritten into a standalone question from the turns before it
// (with the engine's model when it has one, else offline; see
// RewriteOffline), and the engine answers that. Memory is bounded per
// conversation and in total, and a conversation idle for Idle is
// forgotten. The zero value with an Engine is ready to use and safe for
// concurrent use.
type Conversations struct {
	Engine           *Engine
	MaxTurns         int              // turns kept per conversation; 0 means DefaultTurns
	MaxConversations int              // conversations kept; 0 means DefaultConversations
	Idle             time.Duration    // 0 means DefaultIdle
	Now              func() time.Time // nil means time.Now
	// Store, when set, is where conversations are read from and written
	// to besides this memory, so that they outlive the process; if it
	// fails, the memory answers.
	Store ConversationStore

	mu    sync.Mutex
	convs map[string]*conversation
}

type conversation struct {
	turns []Turn // oldest first
	last  time.Time
}

// Ask answers question as the next turn of the conversation key. An empty
// key is a question on its own, remembered nowhere.
func (c *Conversations) Ask(ctx context.Context, key, question string) (Reply, error) {
	q := CleanQuestion(question)
	history := c.history(ctx, key)
	standalone, how := q, ""
	story := c.storyOf(history)
	if len(history) > 0 {
		standalone, how = c.standalone(ctx, history, story, q)
	}
	a, err := c.Engine.AskAbout(ctx, standalone, story)
	if err != nil {
		return Reply{}, err
	}
	if how != "" {
		a.Question = q
		c.Engine.logger().Info("follow-up read as a standalone question",
			"conversation", key, "question", q, "standalone", standalone, "rewrite", how)
	}
	r := Reply{Answer: a, Standalone: standalone, Rewrite: how}
	if key != "" {
		t := turnOf(q, standalone, a, c.now())
		c.remember(key, t)
		c.store(ctx, key, t)
	}
	return r, nil
}

// storyOf is the story a conversation is about: that of the last passage
// an answer of it cited; "" when none has.
func (c *Conversations) storyOf(history []Turn) string {
	for i := len(history) - 1; i >= 0; i-- {
		for _, id := range history[i].PassageIDs {
			if p, ok := c.Engine.Index.Passage(id); ok {
				return p.Story
			}
		}
	}
	return ""
}

// history is the conversation key so far: from the Store when there is
// one and it answers, else from this process's memory.
func (c *Conversations) history(ctx context.Context, key string) []Turn {
	if c.Store == nil || key == "" {
		return c.History(key)
	}
	ctx, cancel := context.WithTimeout(ctx, storeWait)
	defer cancel()
	turns, err := c.Store.Turns(ctx, key, c.maxTurns(), c.now())
	if err != nil {
		c.Engine.logger().Warn("conversation store failed; using this process's memory", "conversation", key, "err", err)
		return c.History(key)
	}
	if len(turns) == 0 {
		// The store may have missed turns written while it was down.
		return c.History(key)
	}
	return turns
}

// store writes the turn t of conversation key to the Store, if any.
func (c *Conversations) store(ctx context.Context, key string, t Turn) {
	if c.Store == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeWait)
	defer cancel()
	if err := c.Store.AddTurn(ctx, key, t, c.maxTurns(), t.At.Add(c.idle())); err != nil {
		c.Engine.logger().Warn("conversation store failed; the turn is kept in this process only", "conversation", key, "err", err)
	}
}

// turnOf records what a follow-up may refer back to.
func turnOf(q, standalone string, a Answer, at time.Time) Turn {
	t := Turn{Question: q, Standalone: standalone, Refused: a.Refused, At: at}
	for _, ct := range a.Citations {
		if !slices.Contains(t.PassageIDs, ct.PassageID) {
			t.PassageIDs = append(t.PassageIDs, ct.PassageID)
		}
		if ct.Speaker != "" && !slices.Contains(t.Speakers, ct.Speaker) {
			t.Speakers = append(t.Speakers, ct.Speaker)
		}
	}
	return t
}

// standalone rewrites a follow-up: with the model when there is one,
// falling back to the offline rewrite when it fails. story is the one the
// conversation is about (storyOf).
func (c *Conversations) standalone(ctx context.Context, history []Turn, story, q string) (string, string) {
	if c.Engine.Chat != nil {
		s, err := c.condense(ctx, history, q)
		if err == nil {
			if s == q {
				return q, ""
			}
			return s, "model"
		}
		c.Engine.logger().Warn("model rewrite of a follow-up failed; rewriting offline", "err", err)
	}
	// Chat between questions ("ok brb dinner") is not what a follow-up
	// refers to: it refers past it, to the last turn that asked something.
	at := len(history) - 1
	for at > 0 && !asksSomething(splitQWords(afterChatText(history[at].Question))) {
		at--
	}
	last := history[at]
	prev := Previous{Standalone: c.namesCapitalised(story, last.Standalone), Speakers: last.Speakers, Title: c.titleGiven(last), Person: c.personAnswered(last)}
	prev.Places = c.places(story, prev.Standalone)
	// The person an earlier question was about, else whom the latest
	// earlier answer quoted.
	quoted := ""
	for i := at - 1; i >= 0 && prev.EarlierPerson == ""; i-- {
		t := history[i]
		earlier := c.namesCapitalised(story, t.Standalone)
		if ws := splitQWords(earlier); len(ws) > 0 {
			prev.EarlierPerson = personReferent(ws, t.Speakers, c.personAnswered(t), c.places(story, earlier))
		}
		quoted = cmp.Or(quoted, quotedPerson(t.Speakers))
	}
	prev.EarlierPerson = cmp.Or(prev.EarlierPerson, quoted)
	for _, id := range last.PassageIDs {
		if p, ok := c.Engine.Index.Passage(id); ok {
			prev.Cited = append(prev.Cited, p.Text)
		}
	}
	if s, ok := RewriteOffline(prev, c.namesCapitalised(story, q)); ok {
		return s, "offline"
	}
	return q, ""
}

// namesCapitalised writes with a capital the words of text that the story
// writes only so: names typed in lower case, as chat does ("did powell and
// rice want to say yes?"), are read as the names they are.
func (c *Conversations) namesCapitalised(story, text string) string {
	if story == "" {
		return text
	}
	ws := splitQWords(text)
	changed := false
	var passages []retrieval.Passage
	capitalised := map[string]bool{} // each word is looked up once, however often it is typed
	writes := func(w string) bool {
		v, ok := capitalised[w]
		if !ok {
			v = writesCapitalised(passages, w)
			capitalised[w] = v
		}
		return v
	}
	for i, w := range ws {
		if len(w.lower) < minWordLetters || w.text != w.lower || isFunctionWord(w.lower) ||
			!c.Engine.Index.StoryUses(story, w.lower) || c.Engine.Index.StoryWritesLower(story, w.lower) {
			continue
		}
		if passages == nil {
			passages = passagesOf(c.Engine.Index, story)
		}
		switch owner := strings.TrimSuffix(w.lower, "s"); {
		case writes(w.lower):
			ws[i].text = upperFirst(w.text)
		case owner != w.lower && !c.Engine.Index.StoryWritesLower(story, owner) && writes(owner):
			if i > 0 && determiners[ws[i-1].lower] {
				// "the soviets": a name's plural; no one's name takes "the".
				ws[i].text = upperFirst(w.text)
				break
			}
			// "sarrafis side": chat's possessive without its apostrophe.
			ws[i].text = possessiveForm(upperFirst(owner))
		default:
			continue // a word of the same stem only ("write" for "wrote")
		}
		changed = true
	}
	if !changed {
		return text
	}
	return renderWords(ws)
}

// places returns the names text writes that the story never writes as a
// person's, with a first name or a title (personNamedIn), and that are not
// a given name and a surname themselves: "Tehran", not "Parsi" or "Peggy
// Cifrino".
func (c *Conversations) places(story, text string) []string {
	if story == "" {
		return nil
	}
	ws := splitQWords(text)
	var out []string
	var passages []retrieval.Passage
	for _, sp := range nameSpans(ws) {
		if passages == nil {
			passages = passagesOf(c.Engine.Index, story)
		}
		name := joinSpan(ws, sp)
		surname := withoutPossessive(ws[sp.to-1].lower)
		if personNamedIn(passages, surname) == "" && !(sp.to-sp.from > 1 && personName(name) && givenName(name)) {
			out = append(out, name)
		}
	}
	return out
}

// writesCapitalised reports whether a passage writes word, lower case,
// with a capital: "Powell" for "powell".
func writesCapitalised(passages []retrieval.Passage, word string) bool {
	want := upperFirst(word)
	for _, p := range passages {
		for _, tok := range strings.Fields(p.Text) {
			if slices.Contains(retrieval.Words(tok), word) && strings.Contains(tok, want) {
				return true
			}
		}
	}
	return false
}

// condense asks the model for the standalone question.
func (c *Conversations) condense(ctx context.Context, history []Turn, q string) (string, error) {
	in := prompts.CondenseInput{Question: q}
	for _, t := range history {
		in.History = append(in.History, t.Standalone)
	}
	system, user, err := prompts.Condense(in)
	if err != nil {
		return "", fmt.Errorf("rewrite follow-up: %w", err)
	}
	wait := min(cmpOr(c.Engine.Wait, condenseWait), condenseWait)
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	resp, err := c.Engine.Chat.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:       c.Engine.Model,
		Temperature: zeroTemperature,
		MaxTokens:   200,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	})
	if err != nil {
		return "", fmt.Errorf("rewrite follow-up: %w", err)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("rewrite follow-up: the model sent no choice")
	}
	s := condensedQuestion(resp.Choices[0].Message.Content)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", errors.New("rewrite follow-up: empty reply")
	case n > MaxQuestionRunes:
		return "", fmt.Errorf("rewrite follow-up: a reply of %d characters", n)
	case prompts.IsRefusal(s):
		return "", errors.New("rewrite follow-up: the model refused")
	}
	return s, nil
}

// condensedQuestion takes the question out of a model's reply: its first
// non-blank line, without a label or quotation marks around it.
func condensedQuestion(reply string) string {
	for _, line := range strings.Split(reply, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if i := strings.Index(line, ":"); i > 0 && i < 25 && !strings.Contains(line[:i], " ") {
			line = strings.TrimSpace(line[i+1:]) // "Question: …"
		}
		return CleanQuestion(strings.Trim(line, "\"“”'`*"))
	}
	return ""
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// History returns the turns remembered for key, oldest first; none when
// it has been idle too long.
func (c *Conversations) History(key string) []Turn {
	if key == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cv := c.convs[key]
	if cv == nil {
		return nil
	}
	if c.now().Sub(cv.last) >= c.idle() {
		delete(c.convs, key)
		return nil
	}
	return slices.Clone(cv.turns)
}

// Forget drops the conversation key: the next question starts afresh.
func (c *Conversations) Forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.convs, key)
}

// Len returns how many conversations are remembered, idle ones included
// until they are swept.
func (c *Conversations) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.convs)
}

// remember appends t to the conversation key, keeping the bounds.
func (c *Conversations) remember(key string, t Turn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.convs == nil {
		c.convs = map[string]*conversation{}
	}
	cv := c.convs[key]
	if cv != nil && now.Sub(cv.last) >= c.idle() {
		cv = nil
	}
	if cv == nil {
		if len(c.convs) >= c.maxConversations() {
			c.evictLocked(now)
		}
		cv = &conversation{}
		c.convs[key] = cv
	}
	cv.turns = append(cv.turns, t)
	if n := c.maxTurns(); len(cv.turns) > n {
		cv.turns = slices.Clone(cv.turns[len(cv.turns)-n:])
	}
	cv.last = now
}

// evictLocked makes room for one more conversation: it drops the idle ones
// and, if none was, the one idle longest.
func (c *Conversations) evictLocked(now time.Time) {
	var oldest string
	for k, cv := range c.convs {
		if now.Sub(cv.last) >= c.idle() {
			delete(c.convs, k)
			continue
		}
		if oldest == "" || cv.last.Before(c.convs[oldest].last) {
			oldest = k
		}
	}
	if len(c.convs) >= c.maxConversations() && oldest != "" {
		delete(c.convs, oldest)
	}
}

func (c *Conversations) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Conversations) idle() time.Duration { return cmpOr(c.Idle, DefaultIdle) }

func (c *Conversations) maxTurns() int {
	if c.MaxTurns > 0 {
		return c.MaxTurns
	}
	return DefaultTurns
}

func (c *Conversations) maxConversations() int {
	if c.MaxConversations > 0 {
		return c.MaxConversations
	}
	return DefaultConversations
}
