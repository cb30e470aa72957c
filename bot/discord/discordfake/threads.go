package discordfake

import (
	"net/http"
)

func init() {
	routes = append(routes, route{method: "POST", pattern: "/channels/*/messages/*/threads", handle: (*Fake).startThread})
}

// startThread starts a public thread on a message (POST
// /channels/{channel}/messages/{message}/threads); the thread's id is the
// message's, as on Discord.
func (f *Fake) startThread(c *call) response {
	var body struct {
		Name                string `json:"name"`
		AutoArchiveDuration int    `json:"auto_archive_duration"`
	}
	if _, res, ok := c.decode(&body); !ok {
		return res
	}
	fe := formErrors{}
	if n := len([]rune(body.Name)); n < 1 || n > 100 {
		fe.add("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
	}
	if len(fe) > 0 {
		return fe.response()
	}
	msg, ok := f.messages[c.params[1]]
	if !ok || msg["channel_id"] != c.params[0] {
		return errUnknownMessage
	}
	id := c.params[1]
	msg["thread"] = map[string]any{"id": id, "type": 11, "parent_id": c.params[0], "name": body.Name}
	return jsonResponse(http.StatusCreated, map[string]any{
		"id": id, "type": 11, "parent_id": c.params[0], "name": body.Name, "flags": 0,
		"owner_id": f.opts.BotUserID, "message_count": 0, "member_count": 1,
		"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": max(body.AutoArchiveDuration, 60), "locked": false},
	})
}

// ReplySpec describes a reply to a message for Reply: a MessageSpec and
// the message replied to.
type ReplySpec struct {
	MessageSpec
	// To is the id of the message replied to, in the same channel.
	To string
	// ToAuthor is its author; a reply to the bot mentions the bot by
	// default, as Discord's client does, unless NoPing is set.
	ToAuthor User
	NoPing   bool
}

// ReplyMessage is the MESSAGE_CREATE payload of a reply.
type ReplyMessage struct {
	Message
	MessageReference  map[string]any `json:"message_reference"`
	ReferencedMessage map[string]any `json:"referenced_message"`
}

// Reply returns the MESSAGE_CREATE payload of a reply (message type 19).
func Reply(s ReplySpec) ReplyMessage {
	if !s.NoPing && s.ToAuthor.ID != "" {
		s.Mentions = append(s.Mentions, s.ToAuthor)
	}
	m := MessageCreate(s.MessageSpec)
	m.Type = 19
	ref := map[string]any{"message_id": s.To, "channel_id": m.ChannelID}
	if m.GuildID != "" {
		ref["guild_id"] = m.GuildID
	}
	return ReplyMessage{
		Message:          m,
		MessageReference: ref,
		ReferencedMessage: map[string]any{
			"id": s.To, "type": 0, "channel_id": m.ChannelID, "author": s.ToAuthor, "content": "",
			"timestamp": m.Timestamp, "tts": false, "mention_everyone": false, "mentions": []any{},
			"mention_roles": []any{}, "attachments": []any{}, "embeds": []any{}, "components": []any{},
			"pinned": false, "flags": 0,
		},
	}
}

func init() {
	routes = append(routes, route{method: "GET", pattern: "/users/@me/guilds", handle: (*Fake).getMyGuilds})
}

// getMyGuilds lists the servers the bot is in: the default one.
func (f *Fake) getMyGuilds(*call) response {
	return jsonResponse(http.StatusOK, []any{map[string]any{
		"id": DefaultGuildID, "name": "Test server", "icon": nil, "owner": false,
		"permissions": "0", "features": []any{},
	}})
}
