package discord

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/storybot/storybot/bot"
)

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
