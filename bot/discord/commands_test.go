package discord

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

// registered is a command as the fake received it.
type registered struct {
	Name                     string  `json:"name"`
	Description              string  `json:"description"`
	DefaultMemberPermissions *string `json:"default_member_permissions"`
	Contexts                 []int   `json:"contexts"`
	IntegrationTypes         []int   `json:"integration_types"`
	Options                  []struct {
		Name         string `json:"name"`
		Type         int    `json:"type"`
		Required     bool   `json:"required"`
		Autocomplete bool   `json:"autocomplete"`
		MaxLength    int    `json:"max_length"`
		Description  string `json:"description"`
	} `json:"options"`
}

func TestRunRegistersTheFourCommands(t *testing.T) {
	t.Parallel()
	guildPath := "/applications/" + discordfake.DefaultAppID + "/guilds/" + discordfake.DefaultGuildID + "/commands"
	globalPath := "/applications/" + discordfake.DefaultAppID + "/commands"
	for _, tc := range []struct{ name, guild, path, other string }{
		{"guild", discordfake.DefaultGuildID, guildPath, globalPath},
		{"global", "", globalPath, guildPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := startBot(t, Config{GuildID: tc.guild}, nil, nil)
			// The scope not in use is cleared, so no command shows twice.
			if _, err := tb.f.WaitFor(testContext(t), func(r discordfake.Request) bool {
				return r.Method == "PUT" && r.Path == tc.other && strings.TrimSpace(string(r.JSON())) == "[]" && r.Status == 200
			}); err != nil {
				t.Fatalf("the other scope was not cleared: %v", err)
			}
			puts := tb.f.Find(func(r discordfake.Request) bool {
				return r.Method == "PUT" && strings.TrimSpace(string(r.JSON())) != "[]"
			})
			if len(puts) != 1 || puts[0].Path != tc.path {
				t.Fatalf("PUT requests = %v, want one to %s", puts, tc.path)
			}
			var cmds []registered
			if err := json.Unmarshal(puts[0].JSON(), &cmds); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range cmds {
				names = append(names, c.Name)
				if !slices.Equal(c.Contexts, []int{0, 1, 2}) || !slices.Equal(c.IntegrationTypes, []int{0}) {
					t.Errorf("/%s contexts %v integration types %v, want [0 1 2] [0]", c.Name, c.Contexts, c.IntegrationTypes)
				}
				if c.Description == "" || len(c.Description) > 100 {
					t.Errorf("/%s description %q", c.Name, c.Description)
				}
				checkRegistered(t, c)
			}
			if !slices.Equal(names, []string{"ask", "quote", "story", "reindex"}) {
				t.Errorf("commands = %v", names)
			}
			// IDENTIFY asked for guilds, DMs and guild messages, not message content.
			ids := tb.f.Identifies()
			if len(ids) != 1 || ids[0].Intents != 1<<0|1<<9|1<<12 {
				t.Errorf("identifies = %+v, want intents %d", ids, 1<<0|1<<9|1<<12)
			}
		})
	}
}

// checkRegistered checks one registered command's options and default
// permissions.
func checkRegistered(t *testing.T, c registered) {
	t.Helper()
	perm := ""
	if c.DefaultMemberPermissions != nil {
		perm = *c.DefaultMemberPermissions
	}
	switch c.Name {
	case "ask":
		if len(c.Options) != 3 || c.Options[0].Name != "question" || c.Options[0].Type != 3 || !c.Options[0].Required || c.Options[0].MaxLength != 500 ||
			c.Options[1].Name != "private" || c.Options[1].Type != 5 || c.Options[1].Required ||
			c.Options[2].Name != "thread" || c.Options[2].Type != 5 || c.Options[2].Required {
			t.Errorf("/ask options = %+v", c.Options)
		}
		// The example comes from the loaded story's quote table.
		if d := c.Options[0].Description; d != "Your question, e.g. what did Trita Parsi say?" {
			t.Errorf("/ask question description = %q", d)
		}
	case "quote":
		if len(c.Options) != 1 || c.Options[0].Name != "speaker" || c.Options[0].Type != 3 || !c.Options[0].Required || !c.Options[0].Autocomplete {
			t.Errorf("/quote options = %+v", c.Options)
		}
	case "story":
		if len(c.Options) != 0 {
			t.Errorf("/story options = %+v", c.Options)
		}
	case "reindex":
		if perm != "32" {
			t.Errorf("/reindex default_member_permissions = %q, want \"32\"", perm)
		}
	}
	if c.Name != "reindex" && perm != "" {
		t.Errorf("/%s default_member_permissions = %q, want none", c.Name, perm)
	}
}
