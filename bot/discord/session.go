package discord

import "github.com/bwmarrin/discordgo"

// session is what the handlers need of a Discord session: the few REST
// calls they make to answer interactions and messages, and nothing else.
// *discordgo.Session is one; the tests' fakeSession is another, so that a
// handler can be tested without a gateway or an HTTP server.
type session interface {
	InteractionRespond(in *discordgo.Interaction, resp *discordgo.InteractionResponse, opts ...discordgo.RequestOption) error
	InteractionResponseEdit(in *discordgo.Interaction, edit *discordgo.WebhookEdit, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(in *discordgo.Interaction, opts ...discordgo.RequestOption) error
	FollowupMessageCreate(in *discordgo.Interaction, wait bool, params *discordgo.WebhookParams, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageSendComplex(channelID string, msg *discordgo.MessageSend, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageDelete(channelID, messageID string, opts ...discordgo.RequestOption) error
	ChannelTyping(channelID string, opts ...discordgo.RequestOption) error
	MessageThreadStartComplex(channelID, messageID string, start *discordgo.ThreadStart, opts ...discordgo.RequestOption) (*discordgo.Channel, error)
}

// The real session is the one the bot runs with.
var _ session = (*discordgo.Session)(nil)

// onInteraction is the gateway's handler of interactions: it serves them
// through the session they came on.
func (h *handler) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	h.handleInteraction(s, ic)
}

// onMessage is the gateway's handler of messages: it serves them through
// the session they came on, which knows the bot's own id from READY.
func (h *handler) onMessage(s *discordgo.Session, m *discordgo.MessageCreate) {
	botID, _ := sessionIDs(s)
	h.handleMessage(s, botID, m)
}
