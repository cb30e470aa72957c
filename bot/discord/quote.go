package discord

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/retrieval"
)

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
