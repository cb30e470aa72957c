// Package quote finds the quotations and reported claims in a story's body
// paragraphs and ties each to its speaker, with the speaker's role. Extract
// is the entry point; the rest of the package is the attribution machinery,
// one file per job: tokens, names and titles, cues, noun phrases, pronoun
// resolution, claims, and lexicon.go with the word lists they consult.
package quote

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
