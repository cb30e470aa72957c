package discordfake_test

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

// A bot under test answers a slash command through a real discordgo
// session; the test reads back what it sent. In a test, pass t to New
// and register the cleanups with t.Cleanup instead of defer.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	f := discordfake.New(nil, discordfake.Options{})
	defer f.Close()

	s, _ := discordgo.New("Bot test-token")
	s.Client = f.Client() // every REST call goes to the fake
	s.ShouldReconnectOnError = false
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		})
		answer := "The story does not say."
		s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &answer})
	})
	if err := s.Open(); err != nil {
		panic(err)
	}
	defer s.Close() // before f.Close: deferred calls run last-in first-out
	if err := f.WaitReady(ctx); err != nil {
		panic(err)
	}

	in := discordfake.SlashCommand(discordfake.CommandSpec{
		Name:    "ask",
		GuildID: discordfake.DefaultGuildID,
		Options: []discordfake.Option{discordfake.StringOption("question", "what is for lunch?")},
	})
	if err := f.Dispatch("INTERACTION_CREATE", in); err != nil {
		panic(err)
	}
	edit, err := f.WaitFor(ctx, discordfake.Match("PATCH", "/webhooks/*/"+in.Token+"/messages/@original"))
	if err != nil {
		panic(err)
	}
	var body struct{ Content string }
	edit.Decode(&body)
	fmt.Println(edit.Method, edit.Status, body.Content)
	// Output: PATCH 200 The story does not say.
}
