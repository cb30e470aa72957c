package discord

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
)

// A button's custom_id carries all it needs, so that buttons keep working
// after a restart: "fb:<u|d>:<mode>:<story>:<¶.¶…>" for 👍/👎 and
// "src:<story>:<¶.¶…>" for Sources, where the paragraphs are those the
// answer cited. Discord allows 100 characters; paragraphs that do not fit
// are left off the end.
const maxCustomID = 100

// Button id kinds.
const (
	idFeedback = "fb"
	idSources  = "src"
)

var modeCodes = map[string]string{bot.ModeExtractive: "e", bot.ModeLLM: "l", bot.ModeLLMFallback: "f"}

// answerButtons returns the row of buttons under an answer: 👍, 👎 and,
// when it cites passages, Sources.
func answerButtons(r bot.Reply) []discordgo.MessageComponent {
	story, paras := citedParagraphs(r.Citations)
	mode := modeCodes[r.Mode]
	row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "👍"},
			CustomID: customID(idFeedback+":u:"+mode, story, paras)},
		discordgo.Button{Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "👎"},
			CustomID: customID(idFeedback+":d:"+mode, story, paras)},
	}}
	if len(paras) > 0 {
		row.Components = append(row.Components, discordgo.Button{Style: discordgo.SecondaryButton, Label: "Sources",
			CustomID: customID(idSources, story, paras)})
	}
	return []discordgo.MessageComponent{row}
}

// citedParagraphs returns the story slug and the paragraphs the citations
// point to, in order, without repeats. An answer quotes one story.
func citedParagraphs(cites []bot.Citation) (string, []int) {
	var story string
	var paras []int
	for _, c := range cites {
		slug, _, ok := strings.Cut(c.PassageID, "#p")
		if !ok || (story != "" && slug != story) {
			continue
		}
		story = slug
		if !containsInt(paras, c.Paragraph) {
			paras = append(paras, c.Paragraph)
		}
	}
	return story, paras
}

func containsInt(ns []int, n int) bool {
	for _, x := range ns {
		if x == n {
			return true
		}
	}
	return false
}

// customID joins a prefix, a story and paragraphs, leaving off paragraphs
// (and, if need be, the story) that do not fit.
func customID(prefix, story string, paras []int) string {
	if len(prefix)+1+len(story)+1 > maxCustomID {
		story, paras = "", nil
	}
	id := prefix + ":" + story + ":"
	for i, p := range paras {
		part := strconv.Itoa(p)
		if i > 0 {
			part = "." + part
		}
		if len(id)+len(part) > maxCustomID {
			break
		}
		id += part
	}
	return id
}

// buttonID is a parsed custom_id.
type buttonID struct {
	kind    string // idFeedback or idSources
	verdict string // bot.VerdictUp or bot.VerdictDown
	mode    string
	story   string
	paras   []int
}

// parseButtonID reads a custom_id made by customID.
func parseButtonID(s string) (buttonID, error) {
	parts := strings.Split(s, ":")
	var b buttonID
	switch {
	case len(parts) == 5 && parts[0] == idFeedback:
		b.kind = idFeedback
		switch parts[1] {
		case "u":
			b.verdict = bot.VerdictUp
		case "d":
			b.verdict = bot.VerdictDown
		default:
			return b, fmt.Errorf("button %q: unknown verdict", s)
		}
		for mode, code := range modeCodes {
			if code == parts[2] {
				b.mode = mode
			}
		}
		parts = parts[3:]
	case len(parts) == 3 && parts[0] == idSources:
		b.kind = idSources
		parts = parts[1:]
	default:
		return b, fmt.Errorf("button %q: unknown", s)
	}
	b.story = parts[0]
	if parts[1] != "" {
		for _, p := range strings.Split(parts[1], ".") {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 {
				return b, fmt.Errorf("button %q: bad paragraph %q", s, p)
			}
			b.paras = append(b.paras, n)
		}
	}
	return b, nil
}

// passageIDs returns the ids of the passages a button names.
func (b buttonID) passageIDs() []string {
	ids := []string{}
	if b.story == "" {
		return ids
	}
	for _, p := range b.paras {
		ids = append(ids, fmt.Sprintf("%s#p%d", b.story, p))
	}
	return ids
}

// handleComponent serves a click on an answer's buttons: it answers at
// once, privately, then records the feedback.
func (h *handler) handleComponent(r *reply) {
	data := r.in.MessageComponentData()
	b, err := parseButtonID(data.CustomID)
	if err != nil {
		r.log.Warn("unknown button", "err", err)
		r.message("That button no longer works.", true)
		return
	}
	switch b.kind {
	case idFeedback:
		h.handleFeedback(r, b)
	case idSources:
		h.handleSources(r, b)
	}
}

func (h *handler) handleFeedback(r *reply, b buttonID) {
	text := "Thanks — you marked this answer 👍."
	if b.verdict == bot.VerdictDown {
		text = "Thanks — you marked this answer 👎. Poor answers are reviewed and turned into test questions."
	}
	r.message(text, true) // the acknowledgement comes first: Discord allows 3 s
	if h.feedback == nil {
		r.log.Warn("feedback not recorded: no feedback log configured")
		return
	}
	e := bot.FeedbackEntry{Time: h.now().UTC(), Verdict: b.verdict, AnswerMode: b.mode, PassageIDs: b.passageIDs(), Guild: r.in.GuildID}
	if m := r.in.Message; m != nil {
		if rec, ok := h.recallAnswer(m.ID, true); ok {
			e.Question, e.Standalone = rec.question, rec.standalone
		} else if m.ReferencedMessage != nil {
			// After a restart: the question is the message the answer replied to.
			e.Question = strings.TrimSpace(stripMention(m.ReferencedMessage.Content, h.botID()))
			e.Standalone = e.Question
		}
	}
	user, err := h.feedback.HashUser(interactionUser(r.in))
	if err != nil {
		r.log.Error("feedback not recorded", "err", err)
		return
	}
	e.User = user
	if err := h.feedback.Append(e); err != nil {
		r.log.Error("feedback not recorded", "err", err)
		return
	}
	if err := h.storeFeedback(e); err != nil {
		r.log.Error("feedback not stored in the database (it is in the log)", "err", err)
	}
	r.log.Info("feedback", "verdict", e.Verdict, "mode", e.AnswerMode, "passages", len(e.PassageIDs))
}

// handleSources shows the clicker the whole paragraphs an answer cited.
func (h *handler) handleSources(r *reply, b buttonID) {
	var sb strings.Builder
	for _, id := range b.passageIDs() {
		p, ok := h.index.Passage(id)
		if !ok {
			continue
		}
		fmt.Fprintf(&sb, "**¶%d** of _%s_", p.Paragraph, p.Title)
		if p.Publication != "" {
			fmt.Fprintf(&sb, " (%s)", p.Publication)
		}
		fmt.Fprintf(&sb, "\n> %s\n\n", p.Text)
	}
	text := strings.TrimSpace(sb.String())
	if text == "" {
		text = "The passages this answer cited are no longer in the index."
	}
	r.messages(splitMessage(text, maxContent), true)
	r.log.Info("sources shown", "passages", len(b.paras))
}

// botID is the bot's user id, learnt from READY.
func (h *handler) botID() string {
	h.idMu.Lock()
	defer h.idMu.Unlock()
	return h.self
}

func (h *handler) setBotID(id string) {
	h.idMu.Lock()
	h.self = id
	h.idMu.Unlock()
}
