package discord

import (
	"log/slog"

	"github.com/bwmarrin/discordgo"
)

// reply answers one interaction, remembering how far it has got: nothing
// sent, deferred, or answered.
type reply struct {
	s   session
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
