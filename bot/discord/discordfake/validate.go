package discordfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// formErrors collects Discord's "Invalid Form Body" (50035) errors by the
// dotted path of the field, e.g. "data.embeds.0.description".
type formErrors map[string][]map[string]string

func (fe formErrors) add(field, code, message string) {
	fe[field] = append(fe[field], map[string]string{"code": code, "message": message})
}

// response nests the errors the way Discord does:
// {"embeds": {"0": {"description": {"_errors": [...]}}}}.
func (fe formErrors) response() response {
	root := map[string]any{}
	for field, errs := range fe {
		node := root
		for _, part := range strings.Split(field, ".") {
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
		node["_errors"] = errs
	}
	return jsonResponse(http.StatusBadRequest, map[string]any{
		"message": "Invalid Form Body", "code": 50035, "errors": root,
	})
}

func checkLength(fe formErrors, field, s string, min, max int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && min > 0:
		fe.add(field, "BASE_TYPE_REQUIRED", "This field is required")
	case n < min || n > max:
		if min == 0 {
			fe.add(field, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
		} else {
			fe.add(field, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", min, max))
		}
	}
}

// embed holds the parts of an embed that Discord limits.
type embed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Footer      *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
	Fields []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
}

// validateMessage checks a message body (content, embeds, …) against
// Discord's limits, adding errors under prefix, and reports whether the
// message has anything to show; files counts attached files.
func validateMessage(fe formErrors, prefix string, body map[string]json.RawMessage, files int) (nonEmpty bool) {
	present := func(k string) (json.RawMessage, bool) {
		raw, ok := body[k]
		return raw, ok && string(raw) != "null"
	}
	var content string
	if raw, ok := present("content"); ok {
		if json.Unmarshal(raw, &content) != nil {
			fe.add(prefix+"content", "STRING_TYPE_CONVERT", "Could not interpret value as string.")
		}
		checkLength(fe, prefix+"content", content, 0, 2000)
	}
	var embeds []embed
	if raw, ok := present("embeds"); ok {
		if json.Unmarshal(raw, &embeds) != nil {
			fe.add(prefix+"embeds", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
		}
	}
	if len(embeds) > 10 {
		fe.add(prefix+"embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
	}
	total := 0
	for i, e := range embeds {
		p := fmt.Sprintf("%sembeds.%d.", prefix, i)
		checkLength(fe, p+"title", e.Title, 0, 256)
		checkLength(fe, p+"description", e.Description, 0, 4096)
		total += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if e.Footer != nil {
			checkLength(fe, p+"footer.text", e.Footer.Text, 0, 2048)
			total += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			checkLength(fe, p+"author.name", e.Author.Name, 0, 256)
			total += utf8.RuneCountInString(e.Author.Name)
		}
		if len(e.Fields) > 25 {
			fe.add(p+"fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, fl := range e.Fields {
			checkLength(fe, fmt.Sprintf("%sfields.%d.name", p, j), fl.Name, 1, 256)
			checkLength(fe, fmt.Sprintf("%sfields.%d.value", p, j), fl.Value, 1, 1024)
			total += utf8.RuneCountInString(fl.Name) + utf8.RuneCountInString(fl.Value)
		}
	}
	if total > 6000 {
		fe.add(prefix+"embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
	}
	var components, stickers []json.RawMessage
	if raw, ok := present("components"); ok {
		json.Unmarshal(raw, &components)
	}
	if raw, ok := present("sticker_ids"); ok {
		json.Unmarshal(raw, &stickers)
	}
	_, poll := present("poll")
	return content != "" || len(embeds) > 0 || len(components) > 0 || len(stickers) > 0 || poll || files > 0
}

// validateChoices checks the data of an autocomplete result (callback
// type 8).
func validateChoices(fe formErrors, data map[string]json.RawMessage) {
	var choices []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	}
	if raw, ok := data["choices"]; ok && json.Unmarshal(raw, &choices) != nil {
		fe.add("data.choices", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
		return
	}
	if len(choices) > 25 {
		fe.add("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	for i, c := range choices {
		p := fmt.Sprintf("data.choices.%d.", i)
		checkLength(fe, p+"name", c.Name, 1, 100)
		switch v := c.Value.(type) {
		case string:
			checkLength(fe, p+"value", v, 0, 100)
		case float64:
		case nil:
			fe.add(p+"value", "BASE_TYPE_REQUIRED", "This field is required")
		default:
			fe.add(p+"value", "BASE_TYPE_CHOICES", "Value must be a string or a number.")
		}
	}
}

// commandNameRE is Discord's pattern for command and option names.
var commandNameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// validateCommands checks commands sent for registration: names,
// descriptions, option counts and lengths.
func validateCommands(fe formErrors, cmds []map[string]any) {
	seen := map[string]bool{}
	for i, cmd := range cmds {
		p := fmt.Sprintf("%d.", i)
		name, _ := cmd["name"].(string)
		chatInput := commandType(cmd) == 1
		if !commandNameRE.MatchString(name) || (chatInput && strings.ToLower(name) != name) {
			fe.add(p+"name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		if seen[commandKey(cmd)] {
			fe.add(p+"name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[commandKey(cmd)] = true
		desc, _ := cmd["description"].(string)
		if chatInput {
			checkLength(fe, p+"description", desc, 1, 100)
		}
		opts, _ := cmd["options"].([]any)
		validateOptions(fe, p+"options.", opts)
	}
}

func validateOptions(fe formErrors, prefix string, opts []any) {
	if len(opts) > 25 {
		fe.add(strings.TrimSuffix(prefix, "."), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	optional := false
	for i, o := range opts {
		opt, ok := o.(map[string]any)
		p := fmt.Sprintf("%s%d.", prefix, i)
		if !ok {
			fe.add(strings.TrimSuffix(p, "."), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
			continue
		}
		name, _ := opt["name"].(string)
		if !commandNameRE.MatchString(name) || strings.ToLower(name) != name {
			fe.add(p+"name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		desc, _ := opt["description"].(string)
		checkLength(fe, p+"description", desc, 1, 100)
		typ, _ := opt["type"].(float64)
		if typ < 1 || typ > 11 {
			fe.add(p+"type", "BASE_TYPE_CHOICES", "Value must be one of the option types.")
		}
		if typ >= 3 { // sub-commands and groups are neither required nor optional
			required, _ := opt["required"].(bool)
			if required && optional {
				fe.add(p+"required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
			}
			optional = optional || !required
		}
		if v, ok := opt["max_length"].(float64); ok && (v < 1 || v > 6000) {
			fe.add(p+"max_length", "NUMBER_TYPE_MIN", "int value should be between 1 and 6000.")
		}
		if v, ok := opt["min_length"].(float64); ok && (v < 0 || v > 6000) {
			fe.add(p+"min_length", "NUMBER_TYPE_MIN", "int value should be between 0 and 6000.")
		}
		choices, _ := opt["choices"].([]any)
		if len(choices) > 25 {
			fe.add(p+"choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, c := range choices {
			cm, _ := c.(map[string]any)
			cn, _ := cm["name"].(string)
			checkLength(fe, fmt.Sprintf("%schoices.%d.name", p, j), cn, 1, 100)
		}
		if sub, ok := opt["options"].([]any); ok && (typ == 1 || typ == 2) {
			validateOptions(fe, p+"options.", sub)
		}
	}
}
