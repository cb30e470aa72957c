package discordfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// interaction is an INTERACTION_CREATE the fake dispatched.
type interaction struct {
	id, token, channelID string
	dispatched           time.Time
	acked                bool
}

func (f *Fake) trackInteractionLocked(raw json.RawMessage) {
	var in struct {
		ID        string `json:"id"`
		Token     string `json:"token"`
		ChannelID string `json:"channel_id"`
	}
	if json.Unmarshal(raw, &in) != nil || in.ID == "" || in.Token == "" {
		return
	}
	it := &interaction{id: in.ID, token: in.Token, channelID: in.ChannelID, dispatched: time.Now()}
	f.byID[in.ID] = it
	f.byToken[in.Token] = it
}

// Interaction response types (Discord's interaction callback types).
const (
	respondMessage         = 4
	respondDeferredMessage = 5
	respondAutocomplete    = 8
)

// Message flags.
const (
	flagEphemeral = 1 << 6
	flagLoading   = 1 << 7
)

func (f *Fake) interactionCallback(c *call) response {
	id, token := c.params[0], c.params[1]
	var body struct {
		Type int                        `json:"type"`
		Data map[string]json.RawMessage `json:"data"`
	}
	files, res, ok := c.decode(&body)
	if !ok {
		return res
	}
	it := f.byID[id]
	if it != nil {
		switch {
		case it.token != token:
			return apiError(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		case it.acked:
			return apiError(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		case f.opts.AckDeadline > 0 && c.now.Sub(it.dispatched) > f.opts.AckDeadline:
			return apiError(http.StatusNotFound, 10062, "Unknown interaction")
		}
	}
	fe := formErrors{}
	switch body.Type {
	case respondMessage:
		if !validateMessage(fe, "data.", body.Data, len(files)) {
			return errEmptyMessage
		}
	case respondAutocomplete:
		validateChoices(fe, body.Data)
	case respondDeferredMessage, 6, 7, 9, 10, 12:
	default:
		fe.add("type", "BASE_TYPE_CHOICES", fmt.Sprintf("Value must be one of valid interaction callback types, got %d.", body.Type))
	}
	if len(fe) > 0 {
		return fe.response()
	}
	if it != nil {
		it.acked = true
	}
	if body.Type == respondMessage || body.Type == respondDeferredMessage {
		channelID := ""
		if it != nil {
			channelID = it.channelID
		}
		msg := f.newMessageLocked(channelID, 20, c.now)
		msg["webhook_id"] = f.opts.AppID
		msg["application_id"] = f.opts.AppID
		flags := 0
		if raw, ok := body.Data["flags"]; ok {
			json.Unmarshal(raw, &flags)
		}
		if body.Type == respondDeferredMessage {
			flags = flags&flagEphemeral | flagLoading
		} else {
			applyMessageFields(msg, body.Data)
		}
		msg["flags"] = flags
		f.originals[token] = msg["id"].(string)
		f.messages[msg["id"].(string)] = msg
	}
	return noContent()
}

// webhookScope checks a webhook route's id and token: interaction
// webhooks take the application id, and exist once the interaction has
// been answered.
func (f *Fake) webhookScope(c *call) (res response, ok bool) {
	if c.params[0] != f.opts.AppID {
		return errUnknownWebhook, false
	}
	if it := f.byToken[c.params[1]]; it != nil && !it.acked {
		return errUnknownWebhook, false
	}
	return response{}, true
}

func (f *Fake) executeWebhook(c *call) response {
	if res, ok := f.webhookScope(c); !ok {
		return res
	}
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
	channelID := ""
	if it := f.byToken[c.params[1]]; it != nil {
		channelID = it.channelID
	}
	msg := f.newMessageLocked(channelID, 0, c.now)
	msg["webhook_id"] = f.opts.AppID
	msg["application_id"] = f.opts.AppID
	applyMessageFields(msg, body)
	f.messages[msg["id"].(string)] = msg
	if c.req.Query.Get("wait") != "true" {
		return noContent()
	}
	return jsonResponse(http.StatusOK, msg)
}

// webhookMessage finds the message a webhook message route names.
func (f *Fake) webhookMessage(c *call) (map[string]any, bool) {
	id := c.params[2]
	if id == "@original" {
		id = f.originals[c.params[1]]
	}
	msg, ok := f.messages[id]
	return msg, ok
}

func (f *Fake) getWebhookMessage(c *call) response {
	if res, ok := f.webhookScope(c); !ok {
		return res
	}
	msg, ok := f.webhookMessage(c)
	if !ok {
		return errUnknownMessage
	}
	return jsonResponse(http.StatusOK, msg)
}

func (f *Fake) editWebhookMessage(c *call) response {
	if res, ok := f.webhookScope(c); !ok {
		return res
	}
	var body map[string]json.RawMessage
	files, res, ok := c.decode(&body)
	if !ok {
		return res
	}
	msg, ok := f.webhookMessage(c)
	if !ok {
		if c.params[2] != "@original" || f.byToken[c.params[1]] != nil {
			return errUnknownMessage
		}
		// An interaction the fake never dispatched: accept the edit, as
		// if it had been deferred.
		msg = f.newMessageLocked("", 20, c.now)
		msg["webhook_id"] = f.opts.AppID
		msg["application_id"] = f.opts.AppID
		f.originals[c.params[1]] = msg["id"].(string)
		f.messages[msg["id"].(string)] = msg
	}
	return f.editLocked(msg, body, len(files), c.now)
}

func (f *Fake) deleteWebhookMessage(c *call) response {
	if res, ok := f.webhookScope(c); !ok {
		return res
	}
	msg, ok := f.webhookMessage(c)
	if !ok {
		return errUnknownMessage
	}
	delete(f.messages, msg["id"].(string))
	return noContent()
}
