package retrieval

import "github.com/storybot/storybot/retrieval/quote"

// ExtractQuotes finds the direct quotations and reported claims in the body
// paragraphs of one story and ties each to its speaker, one slice per
// paragraph. It is quote.Extract, kept here so callers need not change.
func ExtractQuotes(paragraphs []string) [][]Quote { return quote.Extract(paragraphs) }

// OrganisationName reports whether a speaker's name, as Quote.Speaker gives
// it, names an organisation or a place rather than a person; see
// quote.OrganisationName.
func OrganisationName(name string) bool { return quote.OrganisationName(name) }
