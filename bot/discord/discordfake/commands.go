package discordfake

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// commandScope checks the application id of a command route and returns
// the guild id ("" for global commands).
func (f *Fake) commandScope(c *call) (guildID string, res response, ok bool) {
	if c.params[0] != f.opts.AppID {
		return "", errMissingAccess, false
	}
	if strings.Contains(c.req.Path, "/guilds/") {
		guildID = c.params[1]
	}
	return guildID, response{}, true
}

func (f *Fake) getCommands(c *call) response {
	guildID, res, ok := f.commandScope(c)
	if !ok {
		return res
	}
	cmds := f.commands[guildID]
	if cmds == nil {
		cmds = []map[string]any{}
	}
	return jsonResponse(http.StatusOK, cmds)
}

func (f *Fake) putCommands(c *call) response {
	guildID, res, ok := f.commandScope(c)
	if !ok {
		return res
	}
	var cmds []map[string]any
	if _, res, ok := c.decode(&cmds); !ok {
		return res
	}
	fe := formErrors{}
	validateCommands(fe, cmds)
	if len(fe) > 0 {
		return fe.response()
	}
	old := map[string]string{}
	for _, cmd := range f.commands[guildID] {
		old[commandKey(cmd)] = cmd["id"].(string)
	}
	out := make([]map[string]any, 0, len(cmds))
	for _, cmd := range cmds {
		out = append(out, f.registerCommand(cmd, guildID, old[commandKey(cmd)], c.now))
	}
	f.commands[guildID] = out
	return jsonResponse(http.StatusOK, out)
}

func (f *Fake) postCommand(c *call) response {
	guildID, res, ok := f.commandScope(c)
	if !ok {
		return res
	}
	var cmd map[string]any
	if _, res, ok := c.decode(&cmd); !ok {
		return res
	}
	fe := formErrors{}
	validateCommands(fe, []map[string]any{cmd})
	if len(fe) > 0 {
		return fe.response()
	}
	list := f.commands[guildID]
	for i, existing := range list {
		if commandKey(existing) == commandKey(cmd) {
			list[i] = f.registerCommand(cmd, guildID, existing["id"].(string), c.now)
			return jsonResponse(http.StatusOK, list[i])
		}
	}
	reg := f.registerCommand(cmd, guildID, "", c.now)
	f.commands[guildID] = append(list, reg)
	return jsonResponse(http.StatusCreated, reg)
}

func (f *Fake) deleteCommand(c *call) response {
	guildID, res, ok := f.commandScope(c)
	if !ok {
		return res
	}
	id := c.params[len(c.params)-1]
	list := f.commands[guildID]
	for i, cmd := range list {
		if cmd["id"] == id {
			f.commands[guildID] = append(list[:i:i], list[i+1:]...)
			return noContent()
		}
	}
	return apiError(http.StatusNotFound, 10063, "Unknown application command")
}

// commandKey identifies a command within its scope: Discord keys
// commands by type and name.
func commandKey(cmd map[string]any) string {
	return fmt.Sprint(commandType(cmd), "/", cmd["name"])
}

func commandType(cmd map[string]any) int {
	if t, ok := cmd["type"].(float64); ok {
		return int(t)
	}
	return 1
}

// registerCommand returns cmd as Discord echoes it once registered.
func (f *Fake) registerCommand(cmd map[string]any, guildID, id string, now time.Time) map[string]any {
	reg := map[string]any{}
	for k, v := range cmd {
		reg[k] = v
	}
	if id == "" {
		id = Snowflake(now)
	}
	reg["id"] = id
	reg["application_id"] = f.opts.AppID
	reg["version"] = Snowflake(now)
	reg["type"] = commandType(cmd)
	if guildID != "" {
		reg["guild_id"] = guildID
	}
	for k, def := range map[string]any{
		"description": "", "default_member_permissions": nil, "nsfw": false,
		"name_localizations": nil, "description_localizations": nil,
	} {
		if _, ok := reg[k]; !ok {
			reg[k] = def
		}
	}
	if _, ok := reg["contexts"]; !ok || guildID != "" {
		reg["contexts"] = nil // Discord reports no contexts for guild commands
	}
	return reg
}
