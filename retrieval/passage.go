// Package retrieval turns story files into passages, embeds them into a
// chromem-go collection and finds the passages that answer a question.
package retrieval

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
type Quote struct {
	Paragraph int    // 1-based paragraph number
	Text      string // the quoted words, verbatim, without the quotation marks
	Sentence  string // the whole sentence that holds the quote, verbatim
	Speaker   string // the person's full name as the story gives it; "" if unknown
	Role      string // the speaker's role as the story gives it, e.g. "of the Carnegie Endowment for Peace"
	Direct    bool   // true for a quotation in quotation marks, false for a reported claim

	// Via is who relays the quote when it is not the speaker's own telling:
	// the author whose book reports it ("Rove acknowledged …, Parsi
	// writes"), the aide who recalls what her principal said. Empty when the
	// speaker is quoted first hand.
	Via string
	// Verb is the attribution cue as written: "said", "contends",
	// "according to", "was disputed by". Empty when the speaker was carried
	// over from an earlier sentence.
	Verb string
	// Fragment reports whether a direct quote is a few words set inside a
	// sentence of the story's own ("the “intriguing” proposal"), rather than
	// a quoted statement; an answer may prefer to show the whole Sentence.
	Fragment bool
	// Offset is the byte offset of Text in its paragraph.
	Offset int
}
