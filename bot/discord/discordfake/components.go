package discordfake

import (
	"encoding/json"
	"fmt"
	"time"
)

// ComponentData is the data of a message-component interaction.
type ComponentData struct {
	CustomID      string `json:"custom_id"`
	ComponentType int    `json:"component_type"`
}

// ComponentInteraction is the INTERACTION_CREATE payload of a click on a
// message component (interaction type 3).
type ComponentInteraction struct {
	Interaction
	Data    ComponentData   `json:"data"`
	Message json.RawMessage `json:"message"`
}

// ButtonSpec describes a button click for ButtonClick. Empty fields take
// the defaults of CommandSpec.
type ButtonSpec struct {
	// CustomID is the clicked button's custom_id.
	CustomID string
	// MessageID is the message the button is on; Message, when set, is
	// that whole message (Fake.Message returns one the bot sent).
	MessageID string
	Message   map[string]any
	// GuildID, ChannelID, User, ID, Token, AppID and Time are as in
	// CommandSpec.
	GuildID, ChannelID string
	User               User
	ID, Token, AppID   string
	Time               time.Time
}

// ButtonClick returns the INTERACTION_CREATE payload of a click on a
// button (interaction type 3, component type 2).
func ButtonClick(s ButtonSpec) ComponentInteraction {
	base := buildInteraction(CommandSpec{
		GuildID: s.GuildID, ChannelID: s.ChannelID, User: s.User, ID: s.ID, Token: s.Token, AppID: s.AppID, Time: s.Time,
	}, 3)
	msg := s.Message
	if msg == nil {
		msg = map[string]any{
			"id": s.MessageID, "type": 0, "channel_id": base.ChannelID, "content": "",
			"timestamp": Timestamp(time.Now()), "tts": false, "mention_everyone": false,
			"mentions": []any{}, "mention_roles": []any{}, "attachments": []any{}, "embeds": []any{},
			"components": []any{}, "pinned": false, "flags": 0,
		}
	}
	raw, _ := json.Marshal(msg)
	return ComponentInteraction{Interaction: base, Data: ComponentData{CustomID: s.CustomID, ComponentType: 2}, Message: raw}
}

// MarshalJSON writes the interaction with the component data in place of
// the command data.
func (c ComponentInteraction) MarshalJSON() ([]byte, error) {
	base, err := json.Marshal(c.Interaction)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(base, &m); err != nil {
		return nil, err
	}
	if m["data"], err = json.Marshal(c.Data); err != nil {
		return nil, err
	}
	m["message"] = c.Message
	return json.Marshal(m)
}

// Message returns a copy of a message as the bot last sent or edited it,
// by id; ok is false when there is none.
func (f *Fake) Message(id string) (msg map[string]any, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return nil, false
	}
	// Stored fields may be raw JSON; a round trip gives plain values.
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("discordfake: message %s: %v", id, err))
	}
	json.Unmarshal(b, &msg)
	return msg, true
}

// Original returns the id of an interaction's @original message, by the
// interaction's token.
func (f *Fake) Original(token string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.originals[token]
	return id, ok
}
