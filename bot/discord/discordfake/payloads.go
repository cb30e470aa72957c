package discordfake

import (
	"encoding/json"
	"hash/fnv"
	"strconv"
	"sync/atomic"
	"time"
)

// This file builds event payloads in Discord's wire format. The types
// mirror the JSON Discord sends, not discordgo's structs: permissions are
// strings and timestamps RFC 3339, so a test sees discordgo decode what
// Discord would send. A built value can be changed before Dispatch, or
// replaced by a json.RawMessage to send something malformed.

// discordEpoch is the first millisecond of 2015, where snowflakes count from.
const discordEpoch = 1420070400000

var snowflakeSeq atomic.Uint64

// Snowflake returns a new id for time t, unique within the process: the
// milliseconds since Discord's epoch above 22 bits of counter, the way
// Discord builds ids, so discordgo.SnowflakeTimestamp reads t back.
func Snowflake(t time.Time) string {
	ms := uint64(t.UnixMilli() - discordEpoch)
	return strconv.FormatUint(ms<<22|snowflakeSeq.Add(1)&(1<<22-1), 10)
}

// Timestamp formats t as Discord does, RFC 3339 with microseconds:
// "2024-05-01T12:00:00.000000+00:00".
func Timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000-07:00")
}

// DMChannelID returns the id of the DM channel between the bot and a
// user: the same id POST /users/@me/channels answers for that user and
// the builders use for DMs.
func DMChannelID(userID string) string {
	h := fnv.New64a()
	h.Write([]byte("dm:" + userID))
	// Keep it a plausible snowflake: 2023 or so, and positive as an int64.
	return strconv.FormatUint(1<<60|h.Sum64()>>8, 10)
}

// User is a user object.
type User struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Discriminator string  `json:"discriminator"`
	GlobalName    *string `json:"global_name"`
	Avatar        *string `json:"avatar"`
	Bot           bool    `json:"bot,omitempty"`
	PublicFlags   int     `json:"public_flags"`
}

// DefaultUser returns the user the builders use when a spec names none.
func DefaultUser() User {
	name := "Reader"
	return User{ID: DefaultUserID, Username: "reader", Discriminator: "0", GlobalName: &name}
}

// Member is a guild member object. User is set in interactions and left
// out of a message's member, as Discord does.
type Member struct {
	User                       *User    `json:"user,omitempty"`
	Nick                       *string  `json:"nick"`
	Avatar                     *string  `json:"avatar"`
	Roles                      []string `json:"roles"`
	JoinedAt                   string   `json:"joined_at"`
	PremiumSince               *string  `json:"premium_since"`
	Deaf                       bool     `json:"deaf"`
	Mute                       bool     `json:"mute"`
	Flags                      int      `json:"flags"`
	Pending                    bool     `json:"pending"`
	Permissions                string   `json:"permissions,omitempty"`
	CommunicationDisabledUntil *string  `json:"communication_disabled_until"`
}

// Channel is the partial channel object an interaction carries.
type Channel struct {
	ID         string `json:"id"`
	Type       int    `json:"type"`
	GuildID    string `json:"guild_id,omitempty"`
	Name       string `json:"name,omitempty"`
	Flags      int    `json:"flags"`
	Recipients []User `json:"recipients,omitempty"`
}

// Option is an application-command option as an interaction carries it.
// Value is sent for every type but sub-commands and groups (1 and 2),
// even when empty, as Discord does.
type Option struct {
	Name    string
	Type    int
	Value   any
	Focused bool
	Options []Option
}

// MarshalJSON encodes the option in Discord's format.
func (o Option) MarshalJSON() ([]byte, error) {
	m := map[string]any{"name": o.Name, "type": o.Type}
	if o.Type != 1 && o.Type != 2 {
		m["value"] = o.Value
	}
	if o.Focused {
		m["focused"] = true
	}
	if len(o.Options) > 0 {
		m["options"] = o.Options
	}
	return json.Marshal(m)
}

// StringOption returns a string option (type 3).
func StringOption(name, value string) Option { return Option{Name: name, Type: 3, Value: value} }

// IntegerOption returns an integer option (type 4).
func IntegerOption(name string, value int64) Option { return Option{Name: name, Type: 4, Value: value} }

// BoolOption returns a boolean option (type 5).
func BoolOption(name string, value bool) Option { return Option{Name: name, Type: 5, Value: value} }

// FocusedOption returns the string option being typed in an
// autocomplete interaction, with what has been typed so far.
func FocusedOption(name, partial string) Option {
	return Option{Name: name, Type: 3, Value: partial, Focused: true}
}

// SubCommand returns a sub-command option (type 1) holding options.
func SubCommand(name string, options ...Option) Option {
	return Option{Name: name, Type: 1, Options: options}
}

// CommandData is the data of an application-command interaction.
type CommandData struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Type    int      `json:"type"`
	GuildID string   `json:"guild_id,omitempty"`
	Options []Option `json:"options,omitempty"`
}

// Interaction is an INTERACTION_CREATE payload.
type Interaction struct {
	ID                           string            `json:"id"`
	ApplicationID                string            `json:"application_id"`
	Type                         int               `json:"type"`
	Data                         CommandData       `json:"data"`
	GuildID                      string            `json:"guild_id,omitempty"`
	Channel                      Channel           `json:"channel"`
	ChannelID                    string            `json:"channel_id"`
	Member                       *Member           `json:"member,omitempty"`
	User                         *User             `json:"user,omitempty"`
	Token                        string            `json:"token"`
	Version                      int               `json:"version"`
	AppPermissions               string            `json:"app_permissions"`
	Locale                       string            `json:"locale"`
	GuildLocale                  string            `json:"guild_locale,omitempty"`
	Entitlements                 []any             `json:"entitlements"`
	AuthorizingIntegrationOwners map[string]string `json:"authorizing_integration_owners"`
	Context                      int               `json:"context"`
}

// DefaultAppPermissions is the bot's permissions in the channel that
// CommandSpec.AppPermissions stands for when zero: view channel, send
// messages, embed links, attach files, read message history.
const DefaultAppPermissions int64 = 1<<10 | 1<<11 | 1<<14 | 1<<15 | 1<<16

// CommandSpec describes a slash-command use for SlashCommand and
// Autocomplete. Empty fields take defaults.
type CommandSpec struct {
	// Name is the command's name, e.g. "ask".
	Name string
	// CommandID is the registered command's id; default derived from Name.
	CommandID string
	Options   []Option
	// GuildID is the server the command was used in; "" means a DM with
	// the bot, where the interaction carries user instead of member.
	GuildID string
	// ChannelID defaults to DefaultChannelID in a guild and to
	// DMChannelID(User.ID) in a DM.
	ChannelID string
	// User is who used the command; default DefaultUser().
	User User
	// Roles and Permissions describe the member in a guild; Permissions
	// is their computed permissions in the channel, sent as a string.
	Roles       []string
	Permissions int64
	// AppPermissions is the bot's permissions in the channel; zero means
	// DefaultAppPermissions (set Interaction.AppPermissions to "0" after
	// building for none).
	AppPermissions int64
	// AppID defaults to DefaultAppID; set it to Fake.AppID() if the fake
	// has another.
	AppID string
	// Locale defaults to "en-US".
	Locale string
	// ID and Token default to fresh values.
	ID, Token string
	// Time is when the member joined the guild and the interaction's
	// snowflake time; default now.
	Time time.Time
}

// SlashCommand returns the INTERACTION_CREATE payload of a slash command
// (interaction type 2, command type 1).
func SlashCommand(s CommandSpec) Interaction { return buildInteraction(s, 2) }

// Autocomplete returns the INTERACTION_CREATE payload of an autocomplete
// request (interaction type 4); s.Options should hold a FocusedOption.
func Autocomplete(s CommandSpec) Interaction { return buildInteraction(s, 4) }

func buildInteraction(s CommandSpec, typ int) Interaction {
	if s.Time.IsZero() {
		s.Time = time.Now()
	}
	if s.User.ID == "" {
		s.User = DefaultUser()
	}
	if s.AppID == "" {
		s.AppID = DefaultAppID
	}
	if s.Locale == "" {
		s.Locale = "en-US"
	}
	if s.ID == "" {
		s.ID = Snowflake(s.Time)
	}
	if s.Token == "" {
		s.Token = "fake-interaction-token-" + s.ID
	}
	if s.CommandID == "" {
		h := fnv.New64a()
		h.Write([]byte("command:" + s.Name))
		s.CommandID = strconv.FormatUint(1<<60|h.Sum64()>>8, 10)
	}
	if s.AppPermissions == 0 {
		s.AppPermissions = DefaultAppPermissions
	}
	in := Interaction{
		ID:             s.ID,
		ApplicationID:  s.AppID,
		Type:           typ,
		Data:           CommandData{ID: s.CommandID, Name: s.Name, Type: 1, Options: s.Options},
		Token:          s.Token,
		Version:        1,
		AppPermissions: strconv.FormatInt(s.AppPermissions, 10),
		Locale:         s.Locale,
		Entitlements:   []any{},
	}
	if s.GuildID == "" {
		if s.ChannelID == "" {
			s.ChannelID = DMChannelID(s.User.ID)
		}
		u := s.User
		in.User = &u
		in.Channel = Channel{ID: s.ChannelID, Type: 1, Recipients: []User{u}}
		in.Context = 1 // bot DM
		in.AuthorizingIntegrationOwners = map[string]string{"0": "0"}
	} else {
		if s.ChannelID == "" {
			s.ChannelID = DefaultChannelID
		}
		u := s.User
		roles := s.Roles
		if roles == nil {
			roles = []string{}
		}
		in.GuildID = s.GuildID
		in.GuildLocale = "en-US"
		in.Member = &Member{
			User:        &u,
			Roles:       roles,
			JoinedAt:    Timestamp(s.Time.Add(-24 * time.Hour)),
			Permissions: strconv.FormatInt(s.Permissions, 10),
		}
		in.Channel = Channel{ID: s.ChannelID, Type: 0, GuildID: s.GuildID, Name: "general"}
		in.Context = 0 // guild
		in.AuthorizingIntegrationOwners = map[string]string{"0": s.GuildID}
	}
	in.ChannelID = s.ChannelID
	return in
}

// MentionedUser is an entry of a message's mentions: a user with, in a
// guild, their member object (without user).
type MentionedUser struct {
	User
	Member *Member `json:"member,omitempty"`
}

// Message is a MESSAGE_CREATE payload.
type Message struct {
	ID              string          `json:"id"`
	Type            int             `json:"type"`
	ChannelID       string          `json:"channel_id"`
	GuildID         string          `json:"guild_id,omitempty"`
	Author          User            `json:"author"`
	Member          *Member         `json:"member,omitempty"`
	Content         string          `json:"content"`
	Timestamp       string          `json:"timestamp"`
	EditedTimestamp *string         `json:"edited_timestamp"`
	TTS             bool            `json:"tts"`
	MentionEveryone bool            `json:"mention_everyone"`
	Mentions        []MentionedUser `json:"mentions"`
	MentionRoles    []string        `json:"mention_roles"`
	Attachments     []any           `json:"attachments"`
	Embeds          []any           `json:"embeds"`
	Components      []any           `json:"components"`
	Pinned          bool            `json:"pinned"`
	Flags           int             `json:"flags"`
	Nonce           string          `json:"nonce,omitempty"`
}

// MessageSpec describes a message for MessageCreate. Empty fields take
// defaults.
type MessageSpec struct {
	Content string
	// GuildID is the server; "" means a DM with the bot.
	GuildID string
	// ChannelID defaults to DefaultChannelID in a guild and to
	// DMChannelID(Author.ID) in a DM.
	ChannelID string
	// Author defaults to DefaultUser().
	Author User
	// Roles are the author's roles, in a guild.
	Roles []string
	// Mentions are the users the content mentions; the content should
	// hold their Mention too, as Discord derives one from the other.
	Mentions     []User
	MentionRoles []string
	// ID defaults to a fresh snowflake; Time to now.
	ID   string
	Time time.Time
}

// Mention returns the markup that mentions a user in message content.
func Mention(userID string) string { return "<@" + userID + ">" }

// MessageCreate returns the MESSAGE_CREATE payload of a user's message.
func MessageCreate(s MessageSpec) Message {
	if s.Time.IsZero() {
		s.Time = time.Now()
	}
	if s.Author.ID == "" {
		s.Author = DefaultUser()
	}
	if s.ID == "" {
		s.ID = Snowflake(s.Time)
	}
	if s.ChannelID == "" {
		if s.GuildID == "" {
			s.ChannelID = DMChannelID(s.Author.ID)
		} else {
			s.ChannelID = DefaultChannelID
		}
	}
	m := Message{
		ID: s.ID, ChannelID: s.ChannelID, GuildID: s.GuildID, Author: s.Author,
		Content: s.Content, Timestamp: Timestamp(s.Time),
		Mentions: []MentionedUser{}, MentionRoles: s.MentionRoles,
		Attachments: []any{}, Embeds: []any{}, Components: []any{},
		Nonce: Snowflake(s.Time),
	}
	if m.MentionRoles == nil {
		m.MentionRoles = []string{}
	}
	joined := Timestamp(s.Time.Add(-24 * time.Hour))
	if s.GuildID != "" {
		roles := s.Roles
		if roles == nil {
			roles = []string{}
		}
		m.Member = &Member{Roles: roles, JoinedAt: joined}
	}
	for _, u := range s.Mentions {
		mu := MentionedUser{User: u}
		if s.GuildID != "" {
			mu.Member = &Member{Roles: []string{}, JoinedAt: joined}
		}
		m.Mentions = append(m.Mentions, mu)
	}
	return m
}
