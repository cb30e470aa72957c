package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/storybot/storybot/bot"
)

// turnLine is a stdin line of `ask` that carries a conversation turn.
type turnLine struct {
	Question     *string `json:"question"`
	Conversation string  `json:"conversation"`
}

// parseTurn reads one stdin line of `ask`: a line that starts with "{" is
// a JSON turn {"question": "...", "conversation": "c1"} (the conversation
// may be left out for a question on its own); any other line is a
// question on its own.
func parseTurn(line string) (conversation, question string, err error) {
	if !strings.HasPrefix(line, "{") {
		return "", line, nil
	}
	var t turnLine
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return "", "", fmt.Errorf("read turn %.60q: %w", line, err)
	}
	if t.Question == nil {
		return "", "", fmt.Errorf("read turn %.60q: no \"question\"", line)
	}
	return t.Conversation, *t.Question, nil
}

// readAs is the terminal's note on how a follow-up was read, or "".
func readAs(r bot.Reply) string {
	if r.Rewrite == "" {
		return ""
	}
	return "(read as: " + r.Standalone + ")"
}
