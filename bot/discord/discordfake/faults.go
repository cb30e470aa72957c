package discordfake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"path"
	"strconv"
	"time"
)

// DefaultRetryAfter is the retry_after of an injected 429 that sets none:
// short, so that tests of discordgo's retry stay fast.
const DefaultRetryAfter = 50 * time.Millisecond

// Fault makes REST requests fail (or stall) on purpose. The fake answers
// the next Times requests that match Method and Path with it instead of
// its usual answer; the requests are recorded all the same.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the path below the API root, in the syntax of
	// path.Match ("/channels/*/messages"); "" matches any.
	Path string
	// Times is how many matching requests get the fault; 0 means 1.
	Times int
	// Status is the status to answer. Zero answers as usual, after Delay.
	Status int
	// Header is added to the answer.
	Header http.Header
	// Body is the answer's body: []byte and json.RawMessage are sent as
	// they are, anything else JSON-encoded. When nil, a 429 gets Discord's
	// rate-limit body and any other status {"message": "…", "code": 0}.
	Body any
	// Delay holds the answer back this long.
	Delay time.Duration
	// RetryAfter is a 429's retry_after and X-RateLimit-Reset-After;
	// default DefaultRetryAfter.
	RetryAfter time.Duration
	// Global makes a 429 a global rate limit: X-RateLimit-Global: true,
	// scope "global" and no bucket headers, as Discord sends it.
	Global bool
}

type fault struct {
	Fault
	left int
}

// Inject queues a fault. Faults are tried in the order injected; a
// request takes the first one that matches and has uses left.
func (f *Fake) Inject(ft Fault) {
	if ft.Path != "" {
		if _, err := path.Match(ft.Path, ""); err != nil {
			panic(fmt.Sprintf("discordfake: bad fault path %q: %v", ft.Path, err))
		}
	}
	if ft.Times <= 0 {
		ft.Times = 1
	}
	if ft.Status == http.StatusTooManyRequests && ft.RetryAfter <= 0 {
		ft.RetryAfter = DefaultRetryAfter
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, &fault{Fault: ft, left: ft.Times})
}

// FailNext makes the next times requests matching method and pattern (see
// Fault) answer status with Discord's error body.
func (f *Fake) FailNext(method, pattern string, times, status int) {
	f.Inject(Fault{Method: method, Path: pattern, Times: times, Status: status})
}

// RateLimitNext makes the next times requests matching method and pattern
// answer 429 with a per-route rate limit of DefaultRetryAfter.
func (f *Fake) RateLimitNext(method, pattern string, times int) {
	f.Inject(Fault{Method: method, Path: pattern, Times: times, Status: http.StatusTooManyRequests})
}

// PendingFaults returns how many injected fault uses are left.
func (f *Fake) PendingFaults() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, ft := range f.faults {
		n += ft.left
	}
	return n
}

// takeFaultLocked returns the fault for req, using it up, or nil.
func (f *Fake) takeFaultLocked(req Request) *fault {
	for i, ft := range f.faults {
		if ft.Method != "" && ft.Method != req.Method {
			continue
		}
		if ft.Path != "" {
			if ok, _ := path.Match(ft.Path, req.Path); !ok {
				continue
			}
		}
		ft.left--
		if ft.left == 0 {
			f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
		}
		return ft
	}
	return nil
}

// response builds the fault's answer at time now.
func (ft *fault) response(now time.Time) response {
	res := response{status: ft.Status, header: http.Header{}}
	if ft.Status == http.StatusTooManyRequests {
		secs := ft.RetryAfter.Seconds()
		// Discord rounds the Retry-After header up to whole seconds;
		// discordgo reads the body and the X-RateLimit headers instead.
		res.header.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		if ft.Global {
			// Only a global limit carries X-RateLimit-Global: discordgo
			// treats the header's mere presence as "global".
			res.header.Set("X-RateLimit-Global", "true")
			res.header.Set("X-RateLimit-Scope", "global")
		} else {
			h := fnv.New32a()
			h.Write([]byte(ft.Method + " " + ft.Path))
			res.header.Set("X-RateLimit-Limit", "5")
			res.header.Set("X-RateLimit-Remaining", "0")
			res.header.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(ft.RetryAfter).UnixMilli())/1000, 'f', 3, 64))
			res.header.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
			res.header.Set("X-RateLimit-Bucket", fmt.Sprintf("%08x", h.Sum32()))
			res.header.Set("X-RateLimit-Scope", "user")
		}
		if ft.Body == nil {
			b, _ := json.Marshal(map[string]any{
				"message": "You are being rate limited.", "retry_after": secs, "global": ft.Global,
			})
			res.body = b
		}
	}
	for k, vs := range ft.Header {
		res.header[http.CanonicalHeaderKey(k)] = vs
	}
	switch b := ft.Body.(type) {
	case nil:
		if res.body == nil {
			res.body = apiError(ft.Status, 0, fmt.Sprintf("%d: %s", ft.Status, http.StatusText(ft.Status))).body
		}
	case []byte:
		res.body = b
	case json.RawMessage:
		res.body = b
	default:
		res.body = jsonResponse(ft.Status, b).body
	}
	if ft.Status == http.StatusNoContent {
		res.body = nil
	}
	return res
}
