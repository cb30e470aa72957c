package discordfake

import (
	"encoding/json"
	"net/http"
	"time"
)

func (f *Fake) createMessage(c *call) response {
	var body map[string]json.RawMessage
	files, res, ok := c.decode(&body)
	if !ok {
		return res
	}
	fe := formErrors{}
	if !validateMessage(fe, "", body, len(files)) {
		return errEmptyMessage
	}
	if len(fe) > 0 {
		return fe.response()
	}
	typ := 0
	if ref, ok := body["message_reference"]; ok && string(ref) != "null" {
		typ = 19 // reply
	}
	msg := f.newMessageLocked(c.params[0], typ, c.now)
	applyMessageFields(msg, body)
	f.messages[msg["id"].(string)] = msg
	return jsonResponse(http.StatusOK, msg)
}

func (f *Fake) editMessage(c *call) response {
	var body map[string]json.RawMessage
	files, res, ok := c.decode(&body)
	if !ok {
		return res
	}
	msg, ok := f.messages[c.params[1]]
	if !ok || msg["channel_id"] != c.params[0] {
		return errUnknownMessage
	}
	return f.editLocked(msg, body, len(files), c.now)
}

func (f *Fake) deleteMessage(c *call) response {
	msg, ok := f.messages[c.params[1]]
	if !ok || msg["channel_id"] != c.params[0] {
		return errUnknownMessage
	}
	delete(f.messages, c.params[1])
	return noContent()
}

// editLocked applies an edit to a stored message, which it replaces only
// when the result is valid.
func (f *Fake) editLocked(msg map[string]any, body map[string]json.RawMessage, files int, now time.Time) response {
	edited := map[string]any{}
	for k, v := range msg {
		edited[k] = v
	}
	applyMessageFields(edited, body)
	edited["edited_timestamp"] = Timestamp(now)
	if flags, ok := edited["flags"].(int); ok {
		edited["flags"] = flags &^ flagLoading
	}
	fe := formErrors{}
	if !validateMessage(fe, "", storedFields(edited), files) {
		return errEmptyMessage
	}
	if len(fe) > 0 {
		return fe.response()
	}
	for k, v := range edited {
		msg[k] = v
	}
	return jsonResponse(http.StatusOK, msg)
}

func (f *Fake) newMessageLocked(channelID string, typ int, now time.Time) map[string]any {
	return map[string]any{
		"id": Snowflake(now), "type": typ, "channel_id": channelID,
		"author": f.botUserObject(), "content": "",
		"timestamp": Timestamp(now), "edited_timestamp": nil,
		"tts": false, "mention_everyone": false, "mentions": []any{}, "mention_roles": []any{},
		"attachments": []any{}, "embeds": []any{}, "components": []any{},
		"pinned": false, "flags": 0,
	}
}

// messageFields are the request fields a sent or edited message keeps.
var messageFields = []string{"content", "embeds", "components", "flags", "tts", "message_reference", "poll", "sticker_ids"}

// applyMessageFields copies the message fields of a request body into
// msg; a null field counts as absent, as discordgo sends nulls freely.
func applyMessageFields(msg map[string]any, body map[string]json.RawMessage) {
	for _, k := range messageFields {
		raw, ok := body[k]
		if !ok || string(raw) == "null" {
			continue
		}
		if k == "flags" {
			var n int
			json.Unmarshal(raw, &n)
			msg[k] = n
			continue
		}
		msg[k] = raw
	}
}

// storedFields turns a stored message back into request fields, to check
// it with validateMessage.
func storedFields(msg map[string]any) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, k := range messageFields {
		if v, ok := msg[k]; ok {
			b, _ := json.Marshal(v)
			out[k] = b
		}
	}
	return out
}
