package discord

import (
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
)

// handleInteraction serves slash commands, autocomplete and button
// clicks, answering through s.
func (h *handler) handleInteraction(s session, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	if !h.begin() {
		// Shutting down: say so rather than leave the user waiting.
		if t := ic.Interaction.Type; t == discordgo.InteractionApplicationCommand || t == discordgo.InteractionMessageComponent {
			r := &reply{s: s, in: ic.Interaction, log: h.log}
			r.message(textRestarting, true)
		}
		return
	}
	defer h.end()
	in := ic.Interaction
	name := ""
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		name = in.ApplicationCommandData().Name
	case discordgo.InteractionMessageComponent:
		name = "button"
	}
	r := &reply{s: s, in: in, log: h.log.With("user", interactionUser(in), "guild", in.GuildID, "command", name, "interaction", in.ID)}
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("handler panicked", "panic", v, "stack", string(debug.Stack()))
			if in.Type == discordgo.InteractionApplicationCommand || in.Type == discordgo.InteractionMessageComponent {
				r.fail(textInternal, nil)
			}
		}
	}()

	switch in.Type {
	case discordgo.InteractionApplicationCommand:
		switch name {
		case cmdAsk:
			h.handleAsk(r)
		case cmdQuote:
			h.handleQuote(r)
		case cmdStory:
			h.handleStory(r)
		case cmdReindex:
			h.handleReindex(r)
		default:
			r.log.Warn("unknown command")
			r.message("I don't know that command.", true)
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		if name == cmdQuote {
			h.handleSpeakerAutocomplete(r)
		}
	case discordgo.InteractionMessageComponent:
		h.handleComponent(r)
	}
}

// interactionUser is the id of whoever used the interaction.
func interactionUser(in *discordgo.Interaction) string {
	if in.Member != nil && in.Member.User != nil {
		return in.Member.User.ID
	}
	if in.User != nil {
		return in.User.ID
	}
	return ""
}

// option returns the named top-level option, or nil.
func option(in *discordgo.Interaction, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range in.ApplicationCommandData().Options {
		if o != nil && o.Name == name {
			return o
		}
	}
	return nil
}

func (h *handler) handleAsk(r *reply) {
	question := ""
	if o := option(r.in, "question"); o != nil {
		question, _ = o.Value.(string)
	}
	private := false
	if o := option(r.in, "private"); o != nil {
		private, _ = o.Value.(bool)
	}
	thread := false
	if o := option(r.in, "thread"); o != nil {
		thread, _ = o.Value.(bool)
	}
	user := interactionUser(r.in)
	if ok, wait := h.limiter.Allow(user, h.now()); !ok {
		r.log.Info("rate limited", "retry_in", wait.Round(time.Second))
		r.message(rateNotice(wait), true) // private: it cannot flood a channel
		return
	}
	if err := r.deferReply(private); err != nil {
		r.log.Error("could not defer the interaction", "err", err)
		return
	}
	key := h.interactionConversation(r.in)
	start := time.Now()
	ctx := h.work
	var progress *progressEditor
	if h.engine.Chat != nil {
		// A model answer streams into the response as it is written.
		progress = startProgress(r, h.editEvery)
		ctx = bot.WithProgress(ctx, progress.report)
	}
	a, err := h.converse(ctx, key, question, func(place int) {
		r.edit(queueNotice(place), nil)
	})
	if progress != nil {
		// The final edit, too, keeps the pace of one edit a second.
		if wait := h.editEvery - time.Since(progress.stop()); wait > 0 {
			time.Sleep(wait)
		}
	}
	if err != nil {
		r.fail(h.failText(), err)
		return
	}
	chunks, embed := renderReply(a)
	r.components = answerButtons(a)
	r.answer(chunks, embed)
	rec := recordOf(key, a)
	h.rememberAnswer(r.lastID, rec)
	if thread && r.firstID != "" && r.in.GuildID != "" && !private {
		h.openThread(r, question, rec)
	}
	r.log.Info("answered", "mode", a.Mode, "refused", a.Refused, "citations", len(a.Citations),
		"messages", len(chunks), "private", private, "thread", thread, "conversation", key,
		"standalone", a.Standalone, "took", time.Since(start).Round(time.Millisecond))
}

// openThread starts a thread on an /ask answer, in which the answer's
// conversation continues.
func (h *handler) openThread(r *reply, question string, rec answerRecord) {
	ch, err := r.s.MessageThreadStartComplex(r.in.ChannelID, r.firstID, &discordgo.ThreadStart{
		Name: threadName(question), AutoArchiveDuration: 60, Type: discordgo.ChannelTypeGuildPublicThread,
	})
	if err != nil {
		r.log.Warn("could not open a thread on the answer", "err", err)
		r.followup("I couldn't open a thread here (the bot needs Create Public Threads); reply to the answer to follow up.", nil, true)
		return
	}
	h.rememberAnswer(ch.ID, rec)
	r.log.Info("thread opened", "thread", ch.ID)
}

// threadName names the thread opened on an answer after its question.
func threadName(question string) string {
	name := strings.Join(strings.Fields(question), " ")
	if name == "" {
		name = "Follow-up questions"
	}
	return clip(name, 100)
}
