package discord

import (
	"cmp"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

// onInteraction serves slash commands and autocomplete.
func (h *handler) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
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
		progress = startProgress(r)
		ctx = bot.WithProgress(ctx, progress.report)
	}
	a, err := h.converse(ctx, key, question, func(place int) {
		r.edit(queueNotice(place), nil)
	})
	if progress != nil {
		// The final edit, too, keeps the pace of one edit a second.
		if wait := editEvery - time.Since(progress.stop()); wait > 0 {
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

func (h *handler) handleQuote(r *reply) {
	speaker := ""
	if o := option(r.in, "speaker"); o != nil {
		speaker, _ = o.Value.(string)
	}
	speaker = bot.CleanQuestion(speaker)
	if ok, wait := h.limiter.Allow(interactionUser(r.in), h.now()); !ok {
		r.log.Info("rate limited", "retry_in", wait.Round(time.Second))
		r.message(rateNotice(wait), true)
		return
	}
	name, quotes := bot.QuotesBy(h.index.Passages(), speaker)
	if len(quotes) == 0 {
		r.message(fmt.Sprintf("I found no quotes from “%s” in the story. Pick a name from the list as you type.", clip(speaker, 100)), true)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** in the story:\n", name)
	for _, q := range quotes {
		if q.Direct {
			fmt.Fprintf(&b, "> “%s” (¶%d)\n", strings.TrimRight(q.Text, ",;: "), q.Paragraph)
		} else {
			fmt.Fprintf(&b, "> %s (¶%d) — reported\n", strings.TrimSpace(q.Sentence), q.Paragraph)
		}
	}
	r.messages(splitMessage(b.String(), maxContent), false)
	r.log.Info("quoted", "speaker", name, "quotes", len(quotes))
}

// speakerChoices offers the speakers whose names start with typed (or,
// after those, contain it), at most 25, each 1–100 characters.
func speakerChoices(passages []retrieval.Passage, typed string) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.ToLower(strings.TrimSpace(typed))
	var prefix, inner []string
	for _, name := range bot.Speakers(passages) {
		low := strings.ToLower(name)
		switch {
		case strings.HasPrefix(low, typed):
			prefix = append(prefix, name)
		case strings.Contains(low, typed):
			inner = append(inner, name)
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, name := range append(prefix, inner...) {
		if len(choices) == maxEmbedFields { // Discord's limit is 25 choices too
			break
		}
		name = clip(name, 100)
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: name})
	}
	return choices
}

func (h *handler) handleSpeakerAutocomplete(r *reply) {
	typed := ""
	for _, o := range r.in.ApplicationCommandData().Options {
		if o != nil && o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	choices := speakerChoices(h.index.Passages(), typed)
	err := r.s.InteractionRespond(r.in, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
	if err != nil {
		r.log.Warn("autocomplete answer failed", "err", err)
	}
}

func (h *handler) handleStory(r *reply) {
	r.message(h.storyText(), false)
}

// storyText describes what the bot knows and how it answers.
func (h *handler) storyText() string {
	info := h.index.Info()
	type story struct {
		title, pub string
		passages   int
	}
	var order []string
	stories := map[string]*story{}
	for _, p := range h.index.Passages() {
		st := stories[p.Story]
		if st == nil {
			st = &story{title: p.Title, pub: p.Publication}
			stories[p.Story] = st
			order = append(order, p.Story)
		}
		st.passages++
	}
	var b strings.Builder
	if len(order) == 0 {
		b.WriteString("No story is indexed yet; a moderator can run /reindex.\n")
	}
	for _, slug := range order {
		st := stories[slug]
		fmt.Fprintf(&b, "**%s**", cmp.Or(st.title, slug))
		if st.pub != "" {
			fmt.Fprintf(&b, " — %s", st.pub)
		}
		fmt.Fprintf(&b, " (%d passages)\n", st.passages)
	}
	names := bot.Speakers(h.index.Passages())
	fmt.Fprintf(&b, "Passages: %d · Speakers quoted: %d", info.Passages, len(names))
	if len(names) > 0 {
		shown := names[:min(len(names), 8)]
		fmt.Fprintf(&b, " (%s", strings.Join(shown, ", "))
		if len(names) > len(shown) {
			fmt.Fprintf(&b, ", and %d more", len(names)-len(shown))
		}
		b.WriteString(")")
	}
	b.WriteString("\n")
	built := "never"
	if !info.BuiltAt.IsZero() {
		built = fmt.Sprintf("<t:%d:f>", info.BuiltAt.Unix())
	}
	fmt.Fprintf(&b, "Index built: %s · Embedder: %s\n", built, info.Embedder)
	if note := h.indexNote(); note != "" {
		fmt.Fprintf(&b, "%s\n", note)
	}
	mode := "extractive (quotes picked straight from the story, no model)"
	if h.engine.Chat != nil {
		mode = "LLM"
		if h.engine.Model != "" {
			mode += " (" + h.engine.Model + ")"
		}
		mode += ", every quote checked against the story"
	}
	fmt.Fprintf(&b, "Mode: %s", mode)
	return clip(b.String(), maxContent)
}

// mayReindex says whether the user of in may run /reindex: in a server,
// members with Manage Server or Administrator or the moderator role; in a
// DM, the owners.
func (h *handler) mayReindex(in *discordgo.Interaction) bool {
	if in.Member == nil {
		return in.User != nil && slices.Contains(h.cfg.OwnerIDs, in.User.ID)
	}
	if in.Member.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0 {
		return true
	}
	return h.cfg.ModRoleID != "" && slices.Contains(in.Member.Roles, h.cfg.ModRoleID)
}

func (h *handler) handleReindex(r *reply) {
	if !h.mayReindex(r.in) {
		r.log.Warn("reindex refused: not allowed")
		msg := "Only moderators (Manage Server) can reindex."
		if r.in.Member == nil {
			msg = "Only the bot's owners can reindex from a DM."
		}
		r.message(msg, true)
		return
	}
	if err := r.deferReply(true); err != nil {
		r.log.Error("could not defer the interaction", "err", err)
		return
	}
	res, err := h.reindexes.Do(h.reindexNow, func(queued bool) {
		if queued {
			r.log.Info("reindex queued behind the one running")
			r.edit("A reindex is running; yours will run as soon as it ends…", nil)
			return
		}
		r.edit("Reindexing…", nil)
	})
	if err != nil {
		r.log.Error("reindex failed", "err", err, "stories", res.Stories, "problems", len(res.Problems))
		r.edit(clip("Reindex failed: "+err.Error(), 1800)+"\nThe previous index is still serving.", nil)
		return
	}
	r.log.Info("reindexed", "stories", res.Stories, "passages", res.Passages, "added", res.Added, "changed", res.Changed,
		"removed", res.Removed, "embedded", res.Embedded, "reused", res.Reused, "took", res.Duration, "problems", len(res.Problems))
	r.edit(withNote(reindexText(res), h.indexNote()), nil)
}

// reindexText reports a reindex to the moderator.
func reindexText(res retrieval.ReindexResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reindexed %d %s: %d passages (added %d, changed %d, removed %d; embedded %d, reused %d) in %s.",
		res.Stories, plural(res.Stories, "story", "stories"), res.Passages, res.Added, res.Changed, res.Removed,
		res.Embedded, res.Reused, res.Duration.Round(time.Millisecond))
	if len(res.Problems) > 0 {
		fmt.Fprintf(&b, "\n%d %s could not be loaded:", len(res.Problems), plural(len(res.Problems), "file", "files"))
		for _, p := range res.Problems {
			b.WriteString("\n• " + clip(p.Error(), 300))
		}
	}
	return clip(b.String(), maxContent)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reply answers one interaction, remembering how far it has got: nothing
// sent, deferred, or answered.
type reply struct {
	s   *discordgo.Session
	in  *discordgo.Interaction
	log *slog.Logger

	components []discordgo.MessageComponent // go with the last message of answer
	firstID    string                       // the id of @original once answer has edited it
	lastID     string                       // the id of the last message answer sent

	responded bool // the interaction has had its first response
	deferred  bool // … and it was a deferral, so @original can be edited
	ephemeral bool // … which only the user sees
}

// deferReply sends the deferred response (type 5): "thinking…".
func (r *reply) deferReply(ephemeral bool) error {
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if ephemeral {
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if err := r.s.InteractionRespond(r.in, resp); err != nil {
		return err
	}
	r.responded, r.deferred, r.ephemeral = true, true, ephemeral
	return nil
}

// message answers with content, as the first response or else as an edit
// of the deferred one (or a followup when the visibility differs).
func (r *reply) message(content string, ephemeral bool) {
	r.messages([]string{content}, ephemeral)
}

// messages answers with several messages: the first as message does, the
// rest as followups.
func (r *reply) messages(chunks []string, ephemeral bool) {
	if !r.responded {
		var flags discordgo.MessageFlags
		if ephemeral {
			flags = discordgo.MessageFlagsEphemeral
		}
		err := r.s.InteractionRespond(r.in, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: chunks[0], Flags: flags, AllowedMentions: noMentions()},
		})
		if err != nil {
			r.log.Error("could not answer the interaction", "err", err)
			return
		}
		r.responded, r.ephemeral = true, ephemeral
		for _, c := range chunks[1:] {
			r.followup(c, nil, ephemeral)
		}
		return
	}
	if r.deferred && r.ephemeral == ephemeral {
		r.answer(chunks, nil)
		return
	}
	for _, c := range chunks {
		r.followup(c, nil, ephemeral)
	}
}

// answer fills the deferred response: the first chunk edits @original,
// the rest follow; the embed and the components go with the last message.
func (r *reply) answer(chunks []string, embed *discordgo.MessageEmbed) {
	last := len(chunks) - 1
	extras := func(i int) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
		if i == last {
			return embed, r.components
		}
		return nil, nil
	}
	e, c := extras(0)
	m, ok := r.editWith(chunks[0], e, c)
	if !ok {
		return
	}
	r.firstID, r.lastID = m.ID, m.ID
	for i := 1; i < len(chunks); i++ {
		e, c := extras(i)
		m, ok := r.followupWith(chunks[i], e, c, r.ephemeral)
		if !ok {
			return
		}
		r.lastID = m.ID
	}
}

// edit replaces the content (and embeds) of @original.
func (r *reply) edit(content string, embed *discordgo.MessageEmbed) bool {
	_, ok := r.editWith(content, embed, nil)
	return ok
}

// editWith replaces the content, embeds and components of @original.
func (r *reply) editWith(content string, embed *discordgo.MessageEmbed, components []discordgo.MessageComponent) (*discordgo.Message, bool) {
	embeds := []*discordgo.MessageEmbed{}
	if embed != nil {
		embeds = append(embeds, embed)
	}
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	m, err := r.s.InteractionResponseEdit(r.in, &discordgo.WebhookEdit{
		Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions(),
	})
	if err != nil {
		r.log.Error("could not edit the response", "err", err)
		return nil, false
	}
	if m == nil {
		m = &discordgo.Message{}
	}
	return m, true
}

// followup sends a followup message.
func (r *reply) followup(content string, embed *discordgo.MessageEmbed, ephemeral bool) bool {
	_, ok := r.followupWith(content, embed, nil, ephemeral)
	return ok
}

// followupWith sends a followup message with components.
func (r *reply) followupWith(content string, embed *discordgo.MessageEmbed, components []discordgo.MessageComponent, ephemeral bool) (*discordgo.Message, bool) {
	p := &discordgo.WebhookParams{Content: content, AllowedMentions: noMentions(), Components: components}
	if embed != nil {
		p.Embeds = []*discordgo.MessageEmbed{embed}
	}
	if ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	m, err := r.s.FollowupMessageCreate(r.in, true, p)
	if err != nil {
		r.log.Error("could not send a followup", "err", err)
		return nil, false
	}
	if m == nil {
		m = &discordgo.Message{}
	}
	return m, true
}

// fail tells the user, privately, that something went wrong, and logs err.
func (r *reply) fail(text string, err error) {
	if err != nil {
		r.log.Error("interaction failed", "err", err)
	}
	switch {
	case !r.responded:
		r.message(text, true)
	case r.deferred && r.ephemeral:
		r.edit(text, nil)
	case r.deferred:
		// A public "thinking…" cannot turn private: remove it and say
		// what happened to the user alone.
		if err := r.s.InteractionResponseDelete(r.in); err != nil {
			r.log.Warn("could not delete the response", "err", err)
		}
		r.followup(text, nil, true)
	default:
		r.followup(text, nil, true)
	}
}
