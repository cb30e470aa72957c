package retrieval

import "github.com/storybot/storybot/retrieval/text"

// Span is a piece of a text: the byte offsets [Start, End) into it and the
// text itself, so that Text == text[Start:End]. It is text.Span.
type Span = text.Span

// Sentences splits s into sentences, in order; see text.Sentences.
func Sentences(s string) []Span { return text.Sentences(s) }
