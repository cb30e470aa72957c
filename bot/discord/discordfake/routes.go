package discordfake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// response is what the fake answers.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return apiError(http.StatusInternalServerError, 0, "discordfake: "+err.Error())
	}
	return response{status: status, body: b}
}

func noContent() response { return response{status: http.StatusNoContent} }

// apiError is Discord's JSON error body.
func apiError(status, code int, message string) response {
	return jsonResponse(status, map[string]any{"message": message, "code": code})
}

var (
	errNotFound       = apiError(http.StatusNotFound, 0, "404: Not Found")
	errUnauthorized   = apiError(http.StatusUnauthorized, 0, "401: Unauthorized")
	errMissingAccess  = apiError(http.StatusForbidden, 50001, "Missing Access")
	errUnknownWebhook = apiError(http.StatusNotFound, 10015, "Unknown Webhook")
	errUnknownMessage = apiError(http.StatusNotFound, 10008, "Unknown Message")
	errInvalidJSON    = apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	errEmptyMessage   = apiError(http.StatusBadRequest, 50006, "Cannot send an empty message")
)

var apiPathRE = regexp.MustCompile(`^/api/v[0-9]+(/.*)$`)

func (f *Fake) serveAPI(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 25<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	req := Request{
		Time:   now,
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: redact(r.Header),
		Body:   body,
	}
	m := apiPathRE.FindStringSubmatch(r.URL.Path)
	if m != nil {
		req.Path = m[1]
	}

	f.mu.Lock()
	ft := f.takeFaultLocked(req)
	var res response
	switch {
	case ft != nil && ft.Status != 0:
		res = ft.response(now)
	case m == nil:
		res = errNotFound
	default:
		res = f.routeLocked(&call{req: &req, header: r.Header, now: now})
	}
	req.Seq = len(f.requests) + 1
	req.Status, req.Response = res.status, res.body
	f.requests = append(f.requests, req)
	f.notifyLocked()
	f.mu.Unlock()

	if ft != nil && ft.Delay > 0 {
		t := time.NewTimer(ft.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
	}
	for k, vs := range res.header {
		w.Header()[k] = vs
	}
	if res.body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(res.status)
	w.Write(res.body)
}

func redact(h http.Header) http.Header {
	h = h.Clone()
	if v := h.Get("Authorization"); v != "" {
		scheme, _, ok := strings.Cut(v, " ")
		if ok {
			h.Set("Authorization", scheme+" [redacted]")
		} else {
			h.Set("Authorization", "[redacted]")
		}
	}
	return h
}

// call is one request on its way through a route.
type call struct {
	req    *Request
	header http.Header // unredacted
	now    time.Time
	params []string // the segments that matched * in the route
}

// decode decodes the JSON payload into v; ok is false, with the error to
// answer, when the payload is not JSON.
func (c *call) decode(v any) (files []string, res response, ok bool) {
	p, files, err := splitPayload(c.header.Get("Content-Type"), c.req.Body)
	if err != nil || json.Unmarshal(p, v) != nil {
		return nil, errInvalidJSON, false
	}
	return files, response{}, true
}

// splitPayload returns the JSON payload of a body and the names of the
// files a multipart body carries.
func splitPayload(contentType string, body []byte) ([]byte, []string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return body, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload []byte
	var files []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, err
		}
		if p.FormName() == "payload_json" {
			payload = b
		} else if p.FileName() != "" {
			files = append(files, p.FileName())
		}
	}
	return payload, files, nil
}

type route struct {
	method, pattern string
	noAuth          bool
	handle          func(f *Fake, c *call) response
}

// routes are the REST calls the fake answers beyond 404. A * matches one
// path segment and is passed to the handler in call.params.
var routes = []route{
	{method: "GET", pattern: "/gateway", noAuth: true, handle: (*Fake).getGateway},
	{method: "GET", pattern: "/gateway/bot", handle: (*Fake).getGatewayBot},
	{method: "GET", pattern: "/users/@me", handle: (*Fake).getMe},
	{method: "POST", pattern: "/users/@me/channels", handle: (*Fake).createDM},
	{method: "GET", pattern: "/applications/@me", handle: (*Fake).getApplication},
	{method: "GET", pattern: "/oauth2/applications/@me", handle: (*Fake).getApplication},
	{method: "GET", pattern: "/applications/*/commands", handle: (*Fake).getCommands},
	{method: "PUT", pattern: "/applications/*/commands", handle: (*Fake).putCommands},
	{method: "POST", pattern: "/applications/*/commands", handle: (*Fake).postCommand},
	{method: "DELETE", pattern: "/applications/*/commands/*", handle: (*Fake).deleteCommand},
	{method: "GET", pattern: "/applications/*/guilds/*/commands", handle: (*Fake).getCommands},
	{method: "PUT", pattern: "/applications/*/guilds/*/commands", handle: (*Fake).putCommands},
	{method: "POST", pattern: "/applications/*/guilds/*/commands", handle: (*Fake).postCommand},
	{method: "DELETE", pattern: "/applications/*/guilds/*/commands/*", handle: (*Fake).deleteCommand},
	{method: "POST", pattern: "/interactions/*/*/callback", noAuth: true, handle: (*Fake).interactionCallback},
	{method: "POST", pattern: "/webhooks/*/*", noAuth: true, handle: (*Fake).executeWebhook},
	{method: "GET", pattern: "/webhooks/*/*/messages/*", noAuth: true, handle: (*Fake).getWebhookMessage},
	{method: "PATCH", pattern: "/webhooks/*/*/messages/*", noAuth: true, handle: (*Fake).editWebhookMessage},
	{method: "DELETE", pattern: "/webhooks/*/*/messages/*", noAuth: true, handle: (*Fake).deleteWebhookMessage},
	{method: "POST", pattern: "/channels/*/messages", handle: (*Fake).createMessage},
	{method: "PATCH", pattern: "/channels/*/messages/*", handle: (*Fake).editMessage},
	{method: "DELETE", pattern: "/channels/*/messages/*", handle: (*Fake).deleteMessage},
	{method: "POST", pattern: "/channels/*/typing", handle: func(*Fake, *call) response { return noContent() }},
}

func (f *Fake) routeLocked(c *call) response {
	methodMismatch := false
	for _, rt := range routes {
		params, ok := matchSegments(rt.pattern, c.req.Path)
		if !ok {
			continue
		}
		if rt.method != c.req.Method {
			methodMismatch = true
			continue
		}
		if !rt.noAuth && !f.authorized(c.header.Get("Authorization")) {
			return errUnauthorized
		}
		c.params = params
		return rt.handle(f, c)
	}
	if methodMismatch {
		return apiError(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
	}
	return errNotFound
}

// matchSegments matches p against pattern segment by segment and returns
// the segments that matched "*".
func matchSegments(pattern, p string) ([]string, bool) {
	ps, ss := strings.Split(pattern, "/"), strings.Split(p, "/")
	if len(ps) != len(ss) {
		return nil, false
	}
	var params []string
	for i := range ps {
		switch {
		case ps[i] == "*" && ss[i] != "":
			params = append(params, ss[i])
		case ps[i] != ss[i]:
			return nil, false
		}
	}
	return params, true
}

func (f *Fake) authorized(auth string) bool {
	token, ok := strings.CutPrefix(auth, "Bot ")
	if !ok || token == "" {
		return false
	}
	return f.opts.Token == "" || token == f.opts.Token
}

func (f *Fake) getGateway(*call) response {
	return jsonResponse(http.StatusOK, map[string]any{"url": f.GatewayURL()})
}

func (f *Fake) getGatewayBot(*call) response {
	return jsonResponse(http.StatusOK, map[string]any{
		"url":    f.GatewayURL(),
		"shards": f.opts.Shards,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": f.opts.MaxConcurrency,
		},
	})
}

func (f *Fake) getMe(*call) response {
	return jsonResponse(http.StatusOK, f.botUserObject())
}

func (f *Fake) getApplication(*call) response {
	return jsonResponse(http.StatusOK, map[string]any{
		"id": f.opts.AppID, "name": f.opts.BotUsername, "icon": nil, "description": "",
		"bot_public": true, "bot_require_code_grant": false, "flags": 0,
		"bot": f.botUserObject(),
	})
}

func (f *Fake) createDM(c *call) response {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if _, res, ok := c.decode(&body); !ok {
		return res
	}
	if body.RecipientID == "" {
		fe := formErrors{}
		fe.add("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")
		return fe.response()
	}
	id := DMChannelID(body.RecipientID)
	f.dms[id] = body.RecipientID
	return jsonResponse(http.StatusOK, map[string]any{
		"id": id, "type": 1, "last_message_id": nil, "flags": 0,
		"recipients": []any{map[string]any{
			"id": body.RecipientID, "username": "user" + body.RecipientID, "discriminator": "0",
			"global_name": nil, "avatar": nil,
		}},
	})
}
