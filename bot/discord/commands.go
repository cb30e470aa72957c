package discord

import "github.com/bwmarrin/discordgo"

// Command names.
const (
	cmdAsk     = "ask"
	cmdQuote   = "quote"
	cmdStory   = "story"
	cmdReindex = "reindex"
)

// Commands returns the slash commands the bot registers: /ask, /quote,
// /story and /reindex. Each may be used in servers, in the bot's DMs and
// in private channels (contexts 0, 1, 2) of a server install
// (integration type 0); /reindex defaults to members with Manage Server,
// which handlers check again since server admins can override it.
//
// example is a question the loaded stories answer (bot.ExampleQuestion),
// shown in the question's description; "" leaves the description plain.
func Commands(example string) []*discordgo.ApplicationCommand { return commandsFor(false, example) }

// commandsFor is Commands for a bot with or without a moderator role. With
// one, /reindex is shown to every member, since Discord's default
// permission would hide it from the role; the handler still lets only
// moderators, the role and owners run it.
func commandsFor(modRole bool, example string) []*discordgo.ApplicationCommand {
	questionHelp := "Your question about the story"
	if e := "Your question, e.g. " + example; example != "" && len(e) <= 100 {
		questionHelp = e // Discord allows 100 characters
	}
	contexts := func() *[]discordgo.InteractionContextType {
		return &[]discordgo.InteractionContextType{
			discordgo.InteractionContextGuild,
			discordgo.InteractionContextBotDM,
			discordgo.InteractionContextPrivateChannel,
		}
	}
	installs := func() *[]discordgo.ApplicationIntegrationType {
		return &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	}
	manageServer := int64(discordgo.PermissionManageGuild)
	reindexPerms := &manageServer
	if modRole {
		reindexPerms = nil
	}
	return []*discordgo.ApplicationCommand{
		{
			Name:        cmdAsk,
			Type:        discordgo.ChatApplicationCommand,
			Description: "Ask a question about the story; the answer quotes it word for word",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        "question",
					Description: questionHelp,
					Required:    true,
					MinLength:   intPtr(1),
					MaxLength:   500,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        "private",
					Description: "Only you see the answer",
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        "thread",
					Description: "Open a thread on the answer for follow-up questions",
				},
			},
			Contexts:         contexts(),
			IntegrationTypes: installs(),
		},
		{
			Name:        cmdQuote,
			Type:        discordgo.ChatApplicationCommand,
			Description: "What a person is quoted saying in the story",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         "speaker",
					Description:  "Who is quoted",
					Required:     true,
					Autocomplete: true,
					MaxLength:    100,
				},
			},
			Contexts:         contexts(),
			IntegrationTypes: installs(),
		},
		{
			Name:             cmdStory,
			Type:             discordgo.ChatApplicationCommand,
			Description:      "Which stories the bot knows, and how it answers",
			Contexts:         contexts(),
			IntegrationTypes: installs(),
		},
		{
			Name:                     cmdReindex,
			Type:                     discordgo.ChatApplicationCommand,
			Description:              "Reload the stories and rebuild the search index (moderators)",
			DefaultMemberPermissions: reindexPerms,
			Contexts:                 contexts(),
			IntegrationTypes:         installs(),
		},
	}
}

func intPtr(n int) *int { return &n }
