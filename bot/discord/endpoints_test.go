package discord

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"
)

const discordgoModule = "github.com/bwmarrin/discordgo"

// saveEndpoints restores, when the test ends, every endpoint string that
// SetAPIURL writes: the variables are process-wide.
func saveEndpoints(t *testing.T) {
	t.Helper()
	api, root := discordgo.EndpointAPI, discordgo.EndpointDiscord
	saved := make([]string, len(derivedEndpoints))
	for i, e := range derivedEndpoints {
		saved[i] = *e.v
	}
	t.Cleanup(func() {
		discordgo.EndpointAPI, discordgo.EndpointDiscord = api, root
		for i, e := range derivedEndpoints {
			*e.v = saved[i]
		}
	})
}

func mustSetAPIURL(t *testing.T, base string) {
	t.Helper()
	if err := SetAPIURL(base); err != nil {
		t.Fatalf("SetAPIURL(%q): %v", base, err)
	}
}

// TestSetAPIURLCoversDiscordgo parses discordgo's endpoints.go and checks
// that SetAPIURL rebuilds every string endpoint derived from EndpointAPI or
// EndpointDiscord, with the same expression discordgo uses.
func TestSetAPIURLCoversDiscordgo(t *testing.T) {
	src := parseEndpointsSource(t)
	derived, err := src.derived()
	if err != nil {
		t.Fatalf("classify discordgo endpoints: %v", err)
	}

	// The parsed source must be the discordgo this test binary links: at
	// the defaults, evaluating it gives the values the variables hold now.
	defaults := map[string]string{}
	for _, e := range derivedEndpoints {
		defaults[e.name] = *e.v
	}
	defaults["EndpointAPI"] = discordgo.EndpointAPI
	defaults["EndpointDiscord"] = discordgo.EndpointDiscord
	if got := discordgo.EndpointAPI; got != "https://discord.com/api/v"+discordgo.APIVersion+"/" {
		t.Fatalf("EndpointAPI is %q before the test; another test leaked its endpoints", got)
	}
	ev := src.evaluator(nil)
	for name, want := range defaults {
		got, err := ev.eval(name)
		if err != nil {
			t.Fatalf("evaluate discordgo's %s: %v", name, err)
		}
		if got != want {
			t.Fatalf("%s in %s evaluates to %q, but the linked discordgo has %q: is the source another version?", name, src.path, got, want)
		}
	}

	ours := map[string]bool{}
	for _, e := range derivedEndpoints {
		ours[e.name] = true
	}
	for _, name := range derived {
		if !ours[name] {
			t.Errorf("discordgo (%s) derives %s = %s from EndpointAPI, but SetAPIURL does not reassign it: add it to derivedEndpoints",
				src.path, name, src.exprString(name))
		}
	}
	theirs := map[string]bool{}
	for _, name := range derived {
		theirs[name] = true
	}
	for _, e := range derivedEndpoints {
		if !theirs[e.name] {
			t.Errorf("derivedEndpoints lists %s, which discordgo (%s) does not derive from EndpointAPI: remove it", e.name, src.path)
		}
	}

	for _, base := range []string{
		"http://127.0.0.1:8080/api/v9/",
		"https://proxy.example/discord/",
	} {
		t.Run(base, func(t *testing.T) {
			saveEndpoints(t)
			mustSetAPIURL(t, base)
			ev := src.evaluator(map[string]string{
				"EndpointDiscord": discordgo.EndpointDiscord,
				"EndpointAPI":     base,
			})
			if got := discordgo.EndpointAPI; got != base {
				t.Errorf("EndpointAPI = %q, want %q", got, base)
			}
			for _, e := range derivedEndpoints {
				want, err := ev.eval(e.name)
				if err != nil {
					t.Fatalf("evaluate discordgo's %s: %v", e.name, err)
				}
				if got := *e.v; got != want {
					t.Errorf("after SetAPIURL(%q): %s = %q, want %q (discordgo: %s)", base, e.name, got, want, src.exprString(e.name))
				}
				if !strings.HasPrefix(*e.v, base) {
					t.Errorf("after SetAPIURL(%q): %s = %q, not under the base", base, e.name, *e.v)
				}
			}
		})
	}
}

func TestSetAPIURLFunctionEndpoints(t *testing.T) {
	saveEndpoints(t)
	const base = "http://127.0.0.1:8080/api/v9/"
	mustSetAPIURL(t, base)

	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Gateway", discordgo.EndpointGateway, "gateway"},
		{"GatewayBot", discordgo.EndpointGatewayBot, "gateway/bot"},
		{"ChannelMessages", discordgo.EndpointChannelMessages("1"), "channels/1/messages"},
		{"ChannelMessage", discordgo.EndpointChannelMessage("1", "2"), "channels/1/messages/2"},
		{"ChannelTyping", discordgo.EndpointChannelTyping("1"), "channels/1/typing"},
		{"UserChannels", discordgo.EndpointUserChannels("@me"), "users/@me/channels"},
		{"User", discordgo.EndpointUser("@me"), "users/@me"},
		{"InteractionResponse", discordgo.EndpointInteractionResponse("7", "tok"), "interactions/7/tok/callback"},
		{"InteractionResponseActions", discordgo.EndpointInteractionResponseActions("9", "tok"), "webhooks/9/tok/messages/@original"},
		{"WebhookMessage", discordgo.EndpointWebhookMessage("9", "tok", "@original"), "webhooks/9/tok/messages/@original"},
		{"FollowupMessage", discordgo.EndpointFollowupMessage("9", "tok"), "webhooks/9/tok"},
		{"FollowupMessageActions", discordgo.EndpointFollowupMessageActions("9", "tok", "3"), "webhooks/9/tok/messages/3"},
		{"ApplicationGlobalCommands", discordgo.EndpointApplicationGlobalCommands("9"), "applications/9/commands"},
		{"ApplicationGuildCommands", discordgo.EndpointApplicationGuildCommands("9", "5"), "applications/9/guilds/5/commands"},
		{"Guild", discordgo.EndpointGuild("5"), "guilds/5"},
		{"GuildMember", discordgo.EndpointGuildMember("5", "6"), "guilds/5/members/6"},
		{"OAuth2Application", discordgo.EndpointOAuth2Application("@me"), "oauth2/applications/@me"},
		{"Oauth2Application (deprecated)", discordgo.EndpointOauth2Application("@me"), "oauth2/applications/@me"},
	}
	for _, tt := range tests {
		if want := base + tt.want; tt.got != want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, want)
		}
	}
	// The CDN is not part of the API and stays where it was.
	if got := discordgo.EndpointUserAvatar("1", "a"); !strings.HasPrefix(got, "https://cdn.discordapp.com/") {
		t.Errorf("EndpointUserAvatar = %q, want the CDN untouched", got)
	}
}

func TestSetAPIURLRestoresDefaults(t *testing.T) {
	saveEndpoints(t)
	snapshot := func() map[string]string {
		m := map[string]string{"EndpointAPI": discordgo.EndpointAPI, "EndpointDiscord": discordgo.EndpointDiscord}
		for _, e := range derivedEndpoints {
			m[e.name] = *e.v
		}
		return m
	}
	before := snapshot()
	mustSetAPIURL(t, "http://127.0.0.1:1/api/v9/")
	mustSetAPIURL(t, before["EndpointAPI"])
	after := snapshot()
	for name, want := range before {
		if got := after[name]; got != want {
			t.Errorf("after a round trip %s = %q, want %q", name, got, want)
		}
	}
}

func TestSetAPIURLNormalises(t *testing.T) {
	tests := []struct {
		base, api, root string
	}{
		{"http://127.0.0.1:1/api/v9/", "http://127.0.0.1:1/api/v9/", "http://127.0.0.1:1/"},
		{"http://127.0.0.1:1/api/v9", "http://127.0.0.1:1/api/v9/", "http://127.0.0.1:1/"},
		{"https://proxy.example/discord/api/v9/", "https://proxy.example/discord/api/v9/", "https://proxy.example/discord/"},
		{"https://proxy.example/discord", "https://proxy.example/discord/", "https://proxy.example/"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			saveEndpoints(t)
			mustSetAPIURL(t, tt.base)
			if got := discordgo.EndpointAPI; got != tt.api {
				t.Errorf("EndpointAPI = %q, want %q", got, tt.api)
			}
			if got := discordgo.EndpointDiscord; got != tt.root {
				t.Errorf("EndpointDiscord = %q, want %q", got, tt.root)
			}
			if got, want := discordgo.EndpointChannelMessages("1"), tt.api+"channels/1/messages"; got != want {
				t.Errorf("EndpointChannelMessages = %q, want %q", got, want)
			}
		})
	}
}

func TestSetAPIURLRejects(t *testing.T) {
	saveEndpoints(t)
	before := discordgo.EndpointChannels
	for _, base := range []string{
		"",
		"127.0.0.1:8080/api/v9/",
		"ftp://127.0.0.1/api/v9/",
		"http:///api/v9/",
		"http://user:pass@127.0.0.1/api/v9/",
		"http://127.0.0.1/api/v9/?x=1",
		"http://127.0.0.1/api/v9/#x",
		"http://[::1/api/v9/",
	} {
		if err := SetAPIURL(base); err == nil {
			t.Errorf("SetAPIURL(%q) = nil, want an error", base)
		}
	}
	if got := discordgo.EndpointChannels; got != before {
		t.Errorf("a rejected SetAPIURL changed EndpointChannels to %q", got)
	}
}

// endpointsSource is discordgo's endpoints.go, parsed.
type endpointsSource struct {
	path  string
	fset  *token.FileSet
	exprs map[string]ast.Expr // package-level var name → its initialiser
	order []string            // names in declaration order
}

// parseEndpointsSource finds endpoints.go of the discordgo this module
// uses and parses it, or skips the test when the source is not on disk.
func parseEndpointsSource(t *testing.T) *endpointsSource {
	t.Helper()
	path, tried := findDiscordgoFile("endpoints.go")
	if path == "" {
		t.Skipf("cannot find discordgo's endpoints.go to check SetAPIURL against (tried %s); run `go mod download %s`", strings.Join(tried, ", "), discordgoModule)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	src := &endpointsSource{path: path, fset: fset, exprs: map[string]ast.Expr{}}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Values) != len(vs.Names) {
				t.Fatalf("%s: var %s has %d values; this test expects one per name", fset.Position(vs.Pos()), vs.Names[0].Name, len(vs.Values))
			}
			for i, n := range vs.Names {
				src.exprs[n.Name] = vs.Values[i]
				src.order = append(src.order, n.Name)
			}
		}
	}
	if len(src.exprs) == 0 {
		t.Fatalf("%s declares no variables", path)
	}
	return src
}

// findDiscordgoFile returns the path of name in the discordgo module's
// directory, asking the go command first and then looking in the module
// cache for the version this binary was built with.
func findDiscordgoFile(name string) (path string, tried []string) {
	var dirs []string
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", discordgoModule).Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			dirs = append(dirs, d)
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path != discordgoModule {
				continue
			}
			if m.Replace != nil {
				m = m.Replace
			}
			if m.Version == "" { // replaced by a local directory
				dirs = append(dirs, m.Path)
				continue
			}
			for _, cache := range moduleCaches() {
				dirs = append(dirs, filepath.Join(cache, escapeModulePath(m.Path)+"@"+m.Version))
			}
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		tried = append(tried, p)
		if _, err := os.Stat(p); err == nil {
			return p, tried
		}
	}
	return "", tried
}

func moduleCaches() []string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return []string{c}
	}
	var caches []string
	for _, gp := range filepath.SplitList(os.Getenv("GOPATH")) {
		caches = append(caches, filepath.Join(gp, "pkg", "mod"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		caches = append(caches, filepath.Join(home, "go", "pkg", "mod"))
	}
	return caches
}

// escapeModulePath applies the module cache's case encoding: "!" before
// each upper-case letter, which is then lowered.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *endpointsSource) exprString(name string) string {
	e, ok := s.exprs[name]
	if !ok {
		return "?"
	}
	start, end := s.fset.Position(e.Pos()), s.fset.Position(e.End())
	data, err := os.ReadFile(s.path)
	if err != nil || end.Offset > len(data) {
		return "?"
	}
	return string(data[start.Offset:end.Offset])
}

// derived returns, sorted, the string variables other than EndpointAPI and
// EndpointDiscord whose value depends on either of them. It fails on any
// initialiser it does not understand, so that a new kind of declaration
// gets a human look rather than a silent pass.
func (s *endpointsSource) derived() ([]string, error) {
	var dependsOnAPI func(name string, seen map[string]bool) (isString, depends bool, err error)
	var walk func(e ast.Expr, seen map[string]bool) (isString, depends bool, err error)
	walk = func(e ast.Expr, seen map[string]bool) (bool, bool, error) {
		switch e := e.(type) {
		case *ast.BasicLit:
			return e.Kind == token.STRING, false, nil
		case *ast.ParenExpr:
			return walk(e.X, seen)
		case *ast.FuncLit:
			return false, false, nil
		case *ast.BinaryExpr:
			if e.Op != token.ADD {
				return false, false, fmt.Errorf("operator %s", e.Op)
			}
			xs, xd, err := walk(e.X, seen)
			if err != nil {
				return false, false, err
			}
			ys, yd, err := walk(e.Y, seen)
			if err != nil {
				return false, false, err
			}
			if !xs || !ys {
				return false, false, errors.New("+ on a non-string")
			}
			return true, xd || yd, nil
		case *ast.Ident:
			if e.Name == "EndpointAPI" || e.Name == "EndpointDiscord" {
				return true, true, nil
			}
			return dependsOnAPI(e.Name, seen)
		}
		return false, false, fmt.Errorf("expression of type %T", e)
	}
	dependsOnAPI = func(name string, seen map[string]bool) (bool, bool, error) {
		e, ok := s.exprs[name]
		if !ok {
			return false, false, fmt.Errorf("%s is not a variable of endpoints.go", name)
		}
		if seen[name] {
			return false, false, fmt.Errorf("%s refers to itself", name)
		}
		seen[name] = true
		defer delete(seen, name)
		isString, depends, err := walk(e, seen)
		if err != nil {
			return false, false, fmt.Errorf("%s: %w", name, err)
		}
		return isString, depends, nil
	}
	var out []string
	for _, name := range s.order {
		isString, depends, err := dependsOnAPI(name, map[string]bool{})
		if err != nil {
			return nil, err
		}
		if isString && depends && name != "EndpointAPI" && name != "EndpointDiscord" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// evaluator computes discordgo's string initialisers with some variables
// overridden, as if discordgo had been initialised with them.
type evaluator struct {
	src      *endpointsSource
	override map[string]string
	memo     map[string]string
}

func (s *endpointsSource) evaluator(override map[string]string) *evaluator {
	return &evaluator{src: s, override: override, memo: map[string]string{}}
}

func (ev *evaluator) eval(name string) (string, error) {
	if v, ok := ev.override[name]; ok {
		return v, nil
	}
	if v, ok := ev.memo[name]; ok {
		return v, nil
	}
	e, ok := ev.src.exprs[name]
	if !ok {
		return "", fmt.Errorf("%s is not a variable of endpoints.go", name)
	}
	v, err := ev.expr(e)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	ev.memo[name] = v
	return v, nil
}

func (ev *evaluator) expr(e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", fmt.Errorf("literal %s", e.Value)
		}
		return strconv.Unquote(e.Value)
	case *ast.ParenExpr:
		return ev.expr(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", fmt.Errorf("operator %s", e.Op)
		}
		x, err := ev.expr(e.X)
		if err != nil {
			return "", err
		}
		y, err := ev.expr(e.Y)
		if err != nil {
			return "", err
		}
		return x + y, nil
	case *ast.Ident:
		return ev.eval(e.Name)
	}
	return "", fmt.Errorf("cannot evaluate %T", e)
}
