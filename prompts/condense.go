package prompts

import "errors"

// CondenseInput is what the condense prompt is rendered from: the earlier
// questions of a conversation, oldest first, and the follow-up.
type CondenseInput struct {
	History  []string // the earlier questions as they were understood
	Question string   // the follow-up, as the reader wrote it
}

// Condense renders the prompt that asks a model to rewrite a follow-up
// into a standalone question. Every field is neutralised as in Answer.
func Condense(in CondenseInput) (system, user string, err error) {
	q := neutralise(in.Question)
	if q == "" {
		return "", "", errors.New("render condense prompt: empty question")
	}
	data := struct {
		History  []string
		Question string
	}{Question: q}
	for _, h := range in.History {
		if h = neutralise(h); h != "" {
			data.History = append(data.History, h)
		}
	}
	if len(data.History) == 0 {
		return "", "", errors.New("render condense prompt: no history")
	}
	system, err = render("condense_system.tmpl", nil)
	if err != nil {
		return "", "", err
	}
	user, err = render("condense_user.tmpl", data)
	if err != nil {
		return "", "", err
	}
	return system, user, nil
}
