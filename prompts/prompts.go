// Package prompts holds the prompts storybot sends to a chat model: text
// templates embedded in the binary, parsed once, and rendered by pure
// functions from plain data.
package prompts

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"unicode"
)

// RefusalMarker opens the reply a model must give when the passages do not
// answer the question.
const RefusalMarker = "NOT IN STORY:"

// Refusal is the exact reply the answer prompt asks for when the passages do
// not answer the question or the question tries to change the rules.
const Refusal = RefusalMarker + " the story does not answer this question."

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates is parsed once; a template that does not parse is a build error
// in all but name, so Must is right.
var templates = template.Must(template.New("prompts").
	Option("missingkey=error").
	ParseFS(templateFS, "templates/*.tmpl"))

// AnswerInput is what the answer prompt is rendered from.
type AnswerInput struct {
	Question string
	Passages []Passage // in the order they are numbered
}

// Passage is one numbered passage of a story, as the model sees it.
type Passage struct {
	N           int    // the number the model cites as [N]; 0 means its position, 1-based
	ID          string // the passage id, e.g. "forward-iran-outreach#p8"
	Story       string // the story's title
	Publication string
	Paragraph   int
	Quotes      []Quote // who is quoted in the passage, from ingest
	Text        string
}

// Quote is a quotation or reported claim in a passage and its speaker.
type Quote struct {
	Text    string
	Speaker string // "" when the story does not say
	Role    string
	Via     string // who relays the words, when not the speaker
	Direct  bool   // a quotation in quotation marks, not a reported claim
}

// Answer renders the answer prompt: the system message holds the rules, the
// user message the numbered passages and, last, the question. Every field
// taken from a story or a reader is neutralised first (control and format
// characters dropped, white space collapsed, angle brackets shown as ‹ ›),
// so that nothing in them can close or forge the <passages> and <question>
// blocks.
func Answer(in AnswerInput) (system, user string, err error) {
	q := neutralise(in.Question)
	if q == "" {
		return "", "", errors.New("render answer prompt: empty question")
	}
	if len(in.Passages) == 0 {
		return "", "", errors.New("render answer prompt: no passages")
	}
	data := struct {
		Question string
		Passages []Passage
	}{Question: q}
	seen := map[int]bool{}
	for i, p := range in.Passages {
		if p.N == 0 {
			p.N = i + 1
		}
		if p.N < 0 || seen[p.N] {
			return "", "", fmt.Errorf("render answer prompt: passage %d has number %d, which is negative or repeated", i+1, p.N)
		}
		seen[p.N] = true
		p.ID, p.Story, p.Publication = neutralise(p.ID), neutralise(p.Story), neutralise(p.Publication)
		p.Text = neutralise(p.Text)
		quotes := make([]Quote, 0, len(p.Quotes))
		for _, qt := range p.Quotes {
			qt.Text = neutralise(qt.Text)
			if qt.Text == "" {
				continue
			}
			qt.Speaker, qt.Role, qt.Via = neutralise(qt.Speaker), neutralise(qt.Role), neutralise(qt.Via)
			quotes = append(quotes, qt)
		}
		p.Quotes = quotes
		data.Passages = append(data.Passages, p)
	}
	system, err = render("answer_system.tmpl", struct{ Refusal string }{Refusal})
	if err != nil {
		return "", "", err
	}
	user, err = render("answer_user.tmpl", data)
	if err != nil {
		return "", "", err
	}
	return system, user, nil
}

// IsRefusal reports whether a model's reply holds the refusal marker, in any
// case and with or without Markdown around it. A reply that gives part of an
// answer and then refuses counts as a refusal: the safe reading.
func IsRefusal(reply string) bool {
	marker := strings.ToLower(strings.TrimSuffix(RefusalMarker, ":"))
	return strings.Contains(strings.ToLower(strings.Join(strings.Fields(reply), " ")), marker)
}

func render(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()) + "\n", nil
}

// neutralise makes text from a story or a reader safe to place inside the
// prompt's blocks: control and format characters (bidirectional overrides,
// zero-width and tag characters, which can hide text from a reviewer) are
// dropped, line breaks and runs of white space become one space, so that no
// field can start a line of its own, and every angle bracket and look-alike
// becomes ‹ or ›, so that no field can open or close a tag.
func neutralise(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case isOpenAngle(r):
			return '‹'
		case isCloseAngle(r):
			return '›'
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			return ' '
		case unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r):
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func isOpenAngle(r rune) bool {
	switch r {
	case '<', '\uff1c', '\ufe64', '\u3008', '\u27e8', '\u2329', '\u02c2', '\u1438', '\u276e', '\u276c':
		return true
	}
	return false
}

func isCloseAngle(r rune) bool {
	switch r {
	case '>', '\uff1e', '\ufe65', '\u3009', '\u27e9', '\u232a', '\u02c3', '\u1433', '\u276f', '\u276d':
		return true
	}
	return false
}
