// Package retrieval turns story files into passages, embeds them into a
// chromem-go collection and finds the passages that answer a question.
package retrieval

import "github.com/storybot/storybot/retrieval/quote"

// Story is one news story after ingestion: its metadata and its body
// paragraphs, with page chrome already removed.
type Story struct {
	Slug        string   // stable, URL-safe name derived from the file name
	Title       string   // the headline
	Publication string   // e.g. "The Forward"; empty when the source does not say
	URL         string   // empty when the source does not say
	Author      string   // empty when the source does not say
	Date        string   // empty when the source does not say
	Source      string   // the file the story came from
	Paragraphs  []string // body paragraphs, in order, verbatim
}

// Passage is the unit of retrieval: one body paragraph, or one part of a
// paragraph that was too long to embed whole.
type Passage struct {
	ID          string  // "<slug>#p<N>", or "<slug>#p<N>.<part>" for a split paragraph
	Story       string  // the story's slug
	Title       string  // the story's headline
	Publication string  // the story's publication
	Paragraph   int     // 1-based paragraph number in the story body
	Part        int     // 1-based part of a split paragraph; 0 when not split
	Text        string  // the passage, verbatim from the story
	Hash        string  // hex SHA-256 of Text, for incremental reindexing
	Quotes      []Quote // quotations and reported claims in this passage
}

// Quote is a direct quotation or a reported claim, tied to its speaker.
// It is quote.Quote; see quote.Extract.
type Quote = quote.Quote
