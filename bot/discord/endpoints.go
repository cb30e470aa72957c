package discord

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// derivedEndpoints lists, in discordgo's declaration order, every string
// endpoint that discordgo computes once at package init from EndpointAPI.
// Each entry is rebuilt as *from + suffix, the same expression discordgo
// uses, so an entry must come after the one it is derived from.
// endpoints_test.go parses discordgo's endpoints.go and fails when a
// discordgo upgrade adds a derived string that is missing here.
//
// The function endpoints (EndpointChannelMessages, EndpointWebhookMessage,
// …) need no entry: they read these strings each time they are called.
var derivedEndpoints = []struct {
	name   string
	v      *string
	from   *string
	suffix string
}{
	{"EndpointGuilds", &discordgo.EndpointGuilds, &discordgo.EndpointAPI, "guilds/"},
	{"EndpointChannels", &discordgo.EndpointChannels, &discordgo.EndpointAPI, "channels/"},
	{"EndpointUsers", &discordgo.EndpointUsers, &discordgo.EndpointAPI, "users/"},
	{"EndpointGateway", &discordgo.EndpointGateway, &discordgo.EndpointAPI, "gateway"},
	{"EndpointGatewayBot", &discordgo.EndpointGatewayBot, &discordgo.EndpointGateway, "/bot"},
	{"EndpointWebhooks", &discordgo.EndpointWebhooks, &discordgo.EndpointAPI, "webhooks/"},
	{"EndpointStickers", &discordgo.EndpointStickers, &discordgo.EndpointAPI, "stickers/"},
	{"EndpointStageInstances", &discordgo.EndpointStageInstances, &discordgo.EndpointAPI, "stage-instances"},
	{"EndpointSKUs", &discordgo.EndpointSKUs, &discordgo.EndpointAPI, "skus"},
	// discordgo's own "/voice/" and "/sticker-packs" make a double slash;
	// they are kept as upstream has them so the paths stay identical.
	{"EndpointVoice", &discordgo.EndpointVoice, &discordgo.EndpointAPI, "/voice/"},
	{"EndpointVoiceRegions", &discordgo.EndpointVoiceRegions, &discordgo.EndpointVoice, "regions"},
	{"EndpointNitroStickersPacks", &discordgo.EndpointNitroStickersPacks, &discordgo.EndpointAPI, "/sticker-packs"},
	{"EndpointGuildCreate", &discordgo.EndpointGuildCreate, &discordgo.EndpointAPI, "guilds"},
	{"EndpointApplications", &discordgo.EndpointApplications, &discordgo.EndpointAPI, "applications"},
	{"EndpointOAuth2", &discordgo.EndpointOAuth2, &discordgo.EndpointAPI, "oauth2/"},
	{"EndpointOAuth2Applications", &discordgo.EndpointOAuth2Applications, &discordgo.EndpointOAuth2, "applications"},
	// Deprecated aliases, still read by whoever uses the old names.
	{"EndpointOauth2", &discordgo.EndpointOauth2, &discordgo.EndpointOAuth2, ""},
	{"EndpointOauth2Applications", &discordgo.EndpointOauth2Applications, &discordgo.EndpointOAuth2Applications, ""},
}

// SetAPIURL points discordgo's REST and gateway-discovery endpoints at base,
// the root of a Discord-compatible REST API such as
// "https://proxy.example/api/v9/" or, in tests, a loopback fake
// ("http://127.0.0.1:PORT/api/v9/"). base is what discordgo.EndpointAPI
// holds, version included; a missing trailing slash is added.
// SetAPIURL("https://discord.com/api/v9/") restores discordgo's defaults,
// so a test can put back the value of discordgo.EndpointAPI it saw before.
//
// discordgo computes its endpoint strings once, at package init, so
// SetAPIURL reassigns every one of them; the CDN and status-page
// endpoints are left alone. The endpoints are process-wide: call
// SetAPIURL before any session opens and never while one is running
// (a session re-reads them on every request and reconnect).
//
// The gateway URL itself is whatever GET {base}gateway answers.
func SetAPIURL(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("set discord api url: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("set discord api url %q: scheme must be http or https", base)
	case u.Host == "":
		return fmt.Errorf("set discord api url %q: no host", base)
	case u.User != nil:
		return fmt.Errorf("set discord api url %q: credentials do not belong in the url", base)
	case strings.ContainsAny(base, "?#"):
		return fmt.Errorf("set discord api url %q: no query or fragment allowed", base)
	}
	api := base
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}

	// EndpointDiscord is the site root that EndpointAPI hangs from; nothing
	// in discordgo reads it after init, but keep it consistent for callers.
	root, ok := strings.CutSuffix(api, "api/v"+discordgo.APIVersion+"/")
	if !ok {
		root = u.Scheme + "://" + u.Host + "/"
	}

	discordgo.EndpointDiscord = root
	discordgo.EndpointAPI = api
	for _, e := range derivedEndpoints {
		*e.v = *e.from + e.suffix
	}
	return nil
}
