package bot

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/retrieval/text"
	"github.com/storybot/storybot/retrieval/wordnet"
)

// The offline standalone rewrite reads a follow-up with the turn before it,
// using closed grammatical classes only (pronouns, determiners,
// auxiliaries, prepositions, conjunctions, question words): nothing here
// knows a story's words, so it serves any story.

// Closed word classes of English.
var (
	personalPronouns = text.WordSet("he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs")
	thingPronouns    = text.WordSet("it", "its", "that", "this", "those", "these")
	determiners      = text.WordSet("the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their",
		"my", "your", "our", "some", "any", "each", "every", "no", "another")
	auxiliaries = text.WordSet("is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has",
		"had", "will", "would", "can", "could", "shall", "should", "may", "might", "must",
		"isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "hasn't", "haven't", "hadn't",
		"won't", "wouldn't", "can't", "couldn't", "shouldn't", "'s",
		// as chat writes them
		"isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "hasnt", "havent", "hadnt", "wont", "wouldnt",
		"cant", "couldnt", "shouldnt")
	prepositions = text.WordSet("about", "of", "in", "on", "at", "to", "for", "from", "with", "by", "over", "under", "into",
		"onto", "after", "before", "during", "since", "until", "against", "among", "between", "through",
		"without", "within", "toward", "towards", "upon", "as", "like", "thru", "abt", "w/")
	conjunctions = text.WordSet("and", "or", "but", "so", "nor", "yet", "then")
	// subordinators open a clause; capitalised at a sentence's start
	// ("While Washington …"), they are not part of a name.
	subordinators = text.WordSet("while", "although", "though", "because", "if", "unless", "whereas", "whether", "once")
	whWords       = text.WordSet("who", "whom", "whose", "what", "which", "when", "where", "why", "how",
		"whats", "whos", "hows", "wheres", "whens", "whys", "wat", "wut") // as chat writes them
	otherPronoun = text.WordSet("i", "you", "we", "me", "us", "there", "not", "also", "else", "again", "too", "exactly",
		// adverbs of time and degree, which end a noun phrase ("the fire now")
		"now", "ever", "even", "just", "still", "really", "actually", "already", "here")
	// chatWords are the particles chat adds to a question ("tho", "rn",
	// "gonna"): they carry no topic.
	chatWords = text.WordSet("tho", "rn", "lol", "pls", "plz", "btw", "tbh", "imo", "ok", "okay", "gonna", "wanna", "gotta", "anyway", "anyways")
)

// functionWord reports whether w (lower case) belongs to a closed class.
func isFunctionWord(w string) bool {
	return personalPronouns[w] || thingPronouns[w] || determiners[w] || auxiliaries[w] || prepositions[w] ||
		conjunctions[w] || subordinators[w] || whWords[w] || otherPronoun[w] || chatWords[w]
}

// qword is one token of a question: its text without surrounding
// punctuation, the punctuation that follows it, and its lower-case form.
type qword struct {
	text, lower, tail string
}

// words splits a question into words, keeping each word's trailing
// punctuation apart so that it can be put back.
func splitQWords(s string) []qword {
	var out []qword
	for _, f := range strings.Fields(s) {
		head := strings.TrimLeftFunc(f, isEdgePunct)
		text := strings.TrimRightFunc(head, isEdgePunct)
		tail := head[len(text):]
		if text == "" {
			if len(out) > 0 {
				out[len(out)-1].tail += f
			}
			continue
		}
		low := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
		out = append(out, qword{text: text, lower: low, tail: tail})
	}
	return out
}

func isEdgePunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// capitalised reports whether w starts with an upper-case letter or a
// digit-free acronym, as a proper name does.
func isCapitalisedWord(w qword) bool {
	r, _ := utf8.DecodeRuneInString(w.text)
	return unicode.IsUpper(r) && w.lower != "i"
}

// qspan is a run of words [from, to) in a question.
type qspan struct{ from, to int }

// joinSpan renders ws[from:to] with the punctuation between the words but not
// after the last.
func joinSpan(ws []qword, sp qspan) string {
	var b strings.Builder
	for i := sp.from; i < sp.to; i++ {
		if i > sp.from {
			b.WriteString(ws[i-1].tail)
			b.WriteByte(' ')
		}
		b.WriteString(ws[i].text)
	}
	return b.String()
}

// renderWords joins words back into a question.
func renderWords(ws []qword) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.text)
		b.WriteString(w.tail)
	}
	return b.String()
}

// names returns the runs of capitalised words of a question: its proper
// names. The first word counts only when it is not a function word (a
// question's first word is capitalised anyway). A possessive ’s stays
// outside the qspan's text (see possessive).
func nameSpans(ws []qword) []qspan {
	var out []qspan
	for i := 0; i < len(ws); {
		// A question's first word is capitalised whatever it is: it starts
		// a name only when the next word is capitalised too.
		first := i == 0 && !(len(ws) > 1 && isCapitalisedWord(ws[1]))
		if first || !isCapitalisedWord(ws[i]) || isFunctionWord(ws[i].lower) {
			i++
			continue
		}
		j := i + 1
		for j < len(ws) && isCapitalisedWord(ws[j]) && !isFunctionWord(ws[j].lower) && !closesPhrase(ws[j-1]) {
			j++
		}
		out = append(out, qspan{i, j})
		i = j
	}
	return out
}

// endsPhrase reports whether punctuation after w closes a phrase (a comma,
// a question mark), so the next word starts a new one.
func closesPhrase(w qword) bool { return strings.TrimSpace(w.tail) != "" }

// nounPhrases returns the determiner-led phrases of a question ("the
// book", "an official overture", "Rove’s offer"): a determiner or a
// possessive name, then the content words up to the next function word or
// punctuation.
func nounPhraseSpans(ws []qword) []qspan {
	var out []qspan
	for i := 0; i < len(ws); i++ {
		lead := determiners[ws[i].lower] && !personalPronouns[ws[i].lower] || isPossessiveWord(ws[i]) && isCapitalisedWord(ws[i])
		if !lead || closesPhrase(ws[i]) && !isPossessiveWord(ws[i]) {
			continue
		}
		j := i + 1
		for j < len(ws) && (!isFunctionWord(ws[j].lower) || isAcronym(ws[j])) {
			j++
			if closesPhrase(ws[j-1]) {
				break
			}
		}
		if j > i+2 && i > 0 && doSupport[ws[i-1].lower] {
			// After "did" the subject runs up to the verb, and the verb
			// stands bare: "why did the talks end", "what did the air
			// marshal propose" end in it.
			j--
		}
		if j > i+1 {
			out = append(out, qspan{i, j})
			i = j - 1
		}
	}
	return out
}

// doSupport are the auxiliaries after which a question's subject comes,
// then its verb in the bare form: "did the talks end?".
var doSupport = text.WordSet("do", "does", "did", "don't", "doesn't", "didn't", "dont", "doesnt", "didnt")

// withoutPossessive is w without a possessive ’s or 's.
func withoutPossessive(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}

// isAcronym reports whether w is written in capitals, two letters or more:
// "US" is the country, not "us".
func isAcronym(w qword) bool {
	return len(w.text) > 1 && strings.ToUpper(w.text) == w.text && strings.ToLower(w.text) != w.text
}

// possessive reports whether w ends in ’s or s’.
func isPossessiveWord(w qword) bool {
	return strings.HasSuffix(w.lower, "'s") || strings.HasSuffix(w.lower, "s'")
}

// contentWords counts the words of a question outside the closed classes.
func countContentWords(ws []qword) int {
	n := 0
	for _, w := range ws {
		if !isFunctionWord(w.lower) {
			n++
		}
	}
	return n
}

// Previous is what a follow-up may refer back to: the turn before it.
type Previous struct {
	Standalone string   // the previous question as it was understood
	Speakers   []string // the speakers its answer cited, in order
	Title      string   // the title its answer gave, when it asked for one
	// Person is the person its answer named, when it asked who did
	// something ("who made the pitch?"): the answer to it, where the
	// cited speaker may be only the one who tells of it.
	Person string
	// Cited are the texts of the passages its answer cited, the first
	// first: what "that group" may point at.
	Cited []string
	// EarlierPerson is the person an earlier turn was about, for a
	// follow-up to a turn about no one: "how did the stock react?" leaves
	// the CEO asked of before the one "she" means.
	EarlierPerson string
	// Places are the names of Standalone that the story never writes as a
	// person's ("Tehran", "Athens"): no "he" means them.
	Places []string
}

// RewriteOffline reads question as a follow-up to prev and returns the
// standalone question it stands for, and whether it changed anything. A
// question that stands alone is returned as it is, so a change of topic
// is not dragged back to the old one.
//
//   - A bare "and X?", "what about X?" or "how about X?" is the previous
//     question with X in place of its subject.
//   - "he", "she", "they" and their other forms become the person the
//     previous turn was about: the speaker its answer cited when it asked
//     who did something, else the person it named.
//   - "it", "that", "this" become the thing the previous question was
//     about, when the follow-up is too short to carry a topic of its own;
//     after "what is the book called?", that thing has the title the
//     answer gave. "it" as a subject continues the previous question's
//     subject, and "it" as an object points back in a question of any
//     length; "it" is never a person.
//   - "that X" is X as the previous question or answer described it.
//   - A question word alone ("when?") asks it of the previous question;
//     "tell me more", "really?" or "who said that?" asks that again.
func RewriteOffline(prev Previous, question string) (string, bool) {
	q := strings.TrimSpace(question)
	p := splitQWords(prev.Standalone)
	if len(p) == 0 || q == "" {
		return q, false
	}
	ws := splitQWords(q)
	if len(ws) == 0 {
		return q, false
	}
	if rest := afterChat(ws); len(rest) < len(ws) {
		ws = rest
		s, _ := RewriteOffline(prev, renderWords(ws))
		return s, true
	}
	if x, rest, ok := topicLed(ws); ok {
		return upperFirst(renderWords(aboutTopic(x, rest))), true
	}
	if x, ok := bareEllipsis(ws); ok {
		return replaceSubject(p, x), true
	}
	if continuesLast(ws) {
		// "tell me more", "really?", "who said that?": the last question
		// again; its answer shows the evidence and who gave it.
		return upperFirst(prev.Standalone), true
	}
	if wh, ok := bareWh(ws); ok {
		// "when?" asks the last question's when: "who made the pitch, and
		// when?"; "why?" after that asks its why instead.
		last := strings.TrimRight(prev.Standalone, "?!. ")
		if i := strings.LastIndex(last, ", and "); i >= 0 && bareWhWords[strings.ToLower(last[i+len(", and "):])] {
			last = last[:i]
		}
		return upperFirst(last + ", and " + wh + "?"), true
	}

	// A leading "and"/"so" joins the follow-up to the last turn; it adds
	// nothing to a standalone question.
	if conjunctions[ws[0].lower] && len(ws) > 1 {
		ws = ws[1:]
	}
	f := followUp{
		ws:         ws,
		context:    append([]string{prev.Standalone}, prev.Cited...),
		person:     turnPerson(p, prev),
		thing:      cmp.Or(prev.Title, thingReferent(p)),
		subject:    subjectOf(p),
		titled:     prev.Title != "",
		noSpeakers: len(prev.Speakers) == 0,
		// "who was that?" asks for the person the last turn was about.
		askedWho: len(ws) > 2 && ws[0].lower == "who" && auxiliaries[ws[1].lower],
		short:    countContentWords(ws) <= 2,
	}
	out, changed := f.resolve()
	if !changed {
		if s, ok := continueTopic(ws, f.thing); ok {
			return s, true
		}
		return q, false
	}
	s := upperFirst(renderWords(out))
	if f.tookSubject && f.short && f.thing != "" && !strings.Contains(strings.ToLower(s), strings.ToLower(f.thing)) {
		// The subject carried on, and so does the topic it was asked
		// about: "what did it want in return?" is about the bargain.
		s = strings.TrimRight(s, "?!. ") + " in " + f.thing + "?"
	}
	return s, true
}

// turnPerson is whom "he" or "she" means after prev: the person its
// question was about (personReferent); when it was about no one, the
// person of an earlier turn, unless it asked for someone's words ("what
// else was said?"); else whom its answer quoted. A speaker quoted on "what
// were the meetings about?" is a source; the ambassador asked of before is
// still the one a later "he" means.
func turnPerson(p []qword, prev Previous) string {
	if person := personReferent(p, prev.Speakers, prev.Person, prev.Places); person != "" {
		return person
	}
	if prev.EarlierPerson != "" && !saidRe.MatchString(prev.Standalone) {
		return prev.EarlierPerson
	}
	return cmp.Or(quotedPerson(prev.Speakers), prev.EarlierPerson)
}

// continueTopic reads a short follow-up that names nothing of its own, no
// name, no "the X" or "that X", no pronoun ("how many people died?"), as
// asking about
// the thing the last question was about: it is an ellipsis, not a new
// topic. Anything longer or naming something stands alone.
func continueTopic(ws []qword, thing string) (string, bool) {
	content := countContentWords(ws)
	if thing == "" || content == 0 || content > 3 || len(nounPhraseSpans(ws)) > 0 || !asksSomething(ws) ||
		slices.ContainsFunc(ws, func(w qword) bool {
			return isCapitalisedWord(w) && !isFunctionWord(w.lower) || demonstratives[w.lower] || determiners[w.lower] ||
				personalPronouns[w.lower] || thingPronouns[w.lower]
		}) {
		return "", false
	}
	q := strings.TrimRight(renderWords(ws), "?!. ")
	return upperFirst(q + " in " + thing + "?"), true
}

// asksSomething reports whether ws is a question: it has a question word,
// starts with an auxiliary, or ends in a question mark. "ok brb dinner" is
// not, and continues no topic.
func asksSomething(ws []qword) bool {
	if len(ws) == 0 {
		return false
	}
	return auxiliaries[ws[0].lower] || strings.Contains(ws[len(ws)-1].tail, "?") ||
		slices.ContainsFunc(ws, func(w qword) bool { return whWords[whBase(w.lower)] || requests[w.lower] })
}

// leadingConjunctionsDropped is ws without the conjunctions that join it
// to what came before ("so was it …", "and what …").
func leadingConjunctionsDropped(ws []qword) []qword {
	for len(ws) > 1 && conjunctions[ws[0].lower] {
		ws = ws[1:]
	}
	return ws
}

// requests are the verbs that open a question put as a request: "tell me
// about the strike", "explain the ruling".
var requests = text.WordSet("tell", "explain", "describe", "give", "gimme", "show", "summarize", "summarise", "list", "compare",
	"please", "pls", "plz")

// afterChatText is text without the chat that opens it (afterChat).
func afterChatText(text string) string { return renderWords(afterChat(splitQWords(text))) }

// questionWord reports whether w makes a question: a question word or an
// auxiliary.
func questionWord(w qword) bool { return whWords[whBase(w.lower)] || auxiliaries[w.lower] }

// whBase is a word without a contracted verb: "what's" is "what".
func whBase(w string) string {
	base, _, _ := strings.Cut(strings.ReplaceAll(w, "’", "'"), "'")
	return base
}

// demonstratives and personNouns make "that person", "this guy": a way to
// point back at the person the last turn was about.
var (
	demonstratives = map[string]bool{"that": true, "this": true}
	personNouns    = map[string]bool{"person": true, "guy": true, "man": true, "woman": true, "official": true, "one": true, "fellow": true, "lady": true, "dude": true}
)

// followUp is a follow-up question read against the turn before it: what
// its pronouns may stand for, and what has been read of it so far.
type followUp struct {
	ws            []qword
	context       []string // the previous question and the passages its answer cited
	person, thing string   // the previous turn's person and thing (personReferent, thingReferent)
	subject       string   // the previous question's subject (subjectOf)
	tookSubject   bool     // "it" was read as the previous subject
	titled        bool     // thing is the title the last answer gave
	noSpeakers    bool     // the previous answer quoted no one
	askedWho      bool     // the follow-up asks "who was that?"
	short         bool     // too short to carry a topic of its own
	named         bool     // a name already seen in the follow-up is what its pronouns refer to
	firstGender   string   // the gender of the first pronoun replaced by the person
}

// resolve returns the follow-up with its pronouns replaced by their
// referents, and whether it replaced any.
func (f *followUp) resolve() ([]qword, bool) {
	changed := false
	out := make([]qword, 0, len(f.ws)+4)
	afterThe := false // in a name led by "the"
	for i := 0; i < len(f.ws); i++ {
		w := f.ws[i]
		if isCapitalisedWord(w) && !isFunctionWord(w.lower) {
			// A name led by "the" is a group, a place or a body ("the
			// Soviets", "the White House"), never the person a pronoun
			// means: "what were the Soviets offering through him?"
			afterThe = afterThe || i > 0 && f.ws[i-1].lower == "the" && f.ws[i-1].tail == ""
			if !afterThe {
				f.named = true
			}
		} else {
			afterThe = false
		}
		// "that person", "this guy": the person the last turn was about.
		if demonstratives[w.lower] && i+1 < len(f.ws) && personNouns[f.ws[i+1].lower] && !f.named && f.person != "" {
			rw := splitQWords(f.person)
			rw[len(rw)-1].tail = f.ws[i+1].tail
			out = append(out, rw...)
			changed = true
			i++
			continue
		}
		// "that group": the group the last turn spoke of, as it was
		// written there ("the anti-Iranian militant group").
		if demonstratives[w.lower] && i+1 < len(f.ws) && !isFunctionWord(f.ws[i+1].lower) {
			if np := describedEarlier(f.ws[i+1], f.context); np != nil {
				np[len(np)-1].tail = f.ws[i+1].tail
				out = append(out, np...)
				changed = true
				i++
				continue
			}
		}
		rw := splitQWords(f.referent(i))
		if len(rw) == 0 { // no referent, or one of punctuation alone
			out = append(out, w)
			continue
		}
		changed = true
		rw[len(rw)-1].tail = w.tail
		out = append(out, rw...)
	}
	return out, changed
}

// describedEarlier finds noun in texts, the first first, where a
// determiner and one to three describing words come before it ("an
// anti-Iranian militant group"), and returns that phrase with "the";
// nil when no text describes it.
func describedEarlier(noun qword, texts []string) []qword {
	for _, t := range texts {
		ws := splitQWords(t)
		for i, w := range ws {
			if w.lower != noun.lower || i == 0 {
				continue
			}
			start := i
			for start > 0 && i-start < 3 && ws[start-1].tail == "" && !isFunctionWord(ws[start-1].lower) {
				start--
			}
			if start == i || start == 0 || ws[start-1].tail != "" || !determiners[ws[start-1].lower] {
				continue
			}
			np := []qword{{text: "the", lower: "the"}}
			for _, m := range ws[start : i+1] {
				np = append(np, qword{text: m.text, lower: m.lower})
			}
			return np
		}
	}
	return nil
}

// referent returns what the word ws[i] stands for, in its grammatical
// form, or "" when it stays.
func (f *followUp) referent(i int) string {
	w := f.ws[i]
	var next, before *qword
	if i+1 < len(f.ws) {
		next = &f.ws[i+1]
	}
	if i > 0 {
		before = &f.ws[i-1]
	}
	switch {
	case personalPronouns[w.lower] && gender(w.lower) == "p" && f.noSpeakers && f.short && f.thing != "" && pluralPhrase(f.thing):
		// "they" is people or things; with no one quoted in the last
		// answer, it is the thing the last question was about, when that
		// is more than one ("the talks"): "they" is not "the bombing".
		if w.lower == "their" || w.lower == "theirs" {
			return possessiveForm(f.thing)
		}
		return f.thing
	case personalPronouns[w.lower] && !f.named && f.person != "":
		// "he" and "him" are one person; "she" after "he" is another,
		// left as it is. "they" is a person the story leaves unnamed ("the
		// senior Israeli"), not one it names, whom English calls he or she:
		// "do they know what started it?" asks of the officials.
		if gender(w.lower) == "p" && personName(f.person) {
			return ""
		}
		if g := gender(w.lower); f.firstGender == "" || g == f.firstGender {
			if f.firstGender != "" {
				// Named once, the person is "he" again after: "what
				// happened to Rezai when he got back home?"
				return ""
			}
			f.firstGender = g
			return personForm(w, next, f.person)
		}
	case w.lower == "it" && before != nil && auxiliaries[before.lower] && next != nil && !isFunctionWord(next.lower) &&
		f.subject != "" && !personName(f.subject) && !strings.Contains(strings.ToLower(f.person), strings.ToLower(f.subject)):
		// "it" as a subject ("what did it want?") continues the last
		// question's subject, the centre a reader keeps: after "what did
		// Iran offer in the bargain?", Iran, not the bargain.
		f.tookSubject = true
		return f.subject
	case (w.lower == "that" || w.lower == "this") && (before != nil && statementVerbs[before.lower] || next != nil && statementVerbs[next.lower] ||
		i > 1 && prepositions[before.lower] && responseVerbs[f.ws[i-2].lower]):
		// "why did he say that?", "what does that mean?": the last
		// answer's words, which the story quotes, not a thing to search.
		return ""
	case thingPronouns[w.lower] && f.short && isThingPronoun(w, before, next):
		return f.thingFor(i, w)
	case !f.named && isObjectIt(w, before, next):
		// In a longer question only an object "it" points back.
		return f.itThing()
	}
	return ""
}

// pluralPhrase reports whether a noun phrase names more than one thing:
// its last word is a plural ("the channels", "sanctions"), or it joins two
// ("Iran and Israel").
func pluralPhrase(phrase string) bool {
	ws := strings.Fields(strings.ToLower(phrase))
	if len(ws) == 0 {
		return false
	}
	if slices.Contains(ws, "and") {
		return true
	}
	last := strings.Trim(ws[len(ws)-1], "’'?.,")
	switch {
	case irregularPlurals[last], collectiveNouns[last]:
		return true
	case strings.HasSuffix(last, "ss"), strings.HasSuffix(last, "us"), strings.HasSuffix(last, "is"):
		return false // "the press", "the status", "the crisis"
	}
	return len(last) > 3 && strings.HasSuffix(last, "s")
}

// collectiveNouns name a body of people that English calls "they" ("the
// administration … they").
var collectiveNouns = map[string]bool{"administration": true, "government": true, "company": true, "team": true,
	"union": true, "committee": true, "group": true, "party": true, "council": true, "family": true, "board": true,
	"agency": true, "department": true, "ministry": true, "delegation": true, "side": true, "country": true,
	"organisation": true, "organization": true, "firm": true, "court": true, "panel": true, "regime": true, "public": true}

// irregularPlurals are the plurals English does not make with an s.
var irregularPlurals = map[string]bool{"people": true, "men": true, "women": true, "children": true,
	"police": true, "staff": true, "media": true, "data": true, "criteria": true, "feet": true}

// thingFor returns what "it", "that" or "this" at ws[i] stands for.
func (f *followUp) thingFor(i int, w qword) string {
	rep := ""
	switch {
	case f.askedWho && i == 2 && f.person != "":
		rep = f.person
	case w.lower == "it" || w.lower == "its":
		rep = f.itThing()
	case f.thing != "":
		rep = f.thing
	case f.person != "":
		rep = f.person // "who was that?"
	}
	if rep != "" && w.lower == "its" {
		rep = possessiveForm(rep)
	}
	return rep
}

// itThing is what "it" may stand for: the previous question's thing,
// unless that is a person, which "it" never is; a title the last answer
// gave is a thing whatever it looks like.
func (f *followUp) itThing() string {
	if !f.titled && (personName(f.thing) || f.thing == f.person) {
		return ""
	}
	return f.thing
}

// responseVerbs take what was said as their object through a preposition:
// in "did Cheney ever respond to that?" "that" is the claim just quoted.
var responseVerbs = text.WordSet("respond", "responded", "react", "reacted", "reply", "replied", "comment", "commented",
	"answer", "answered", "agree", "agreed", "disagree", "disagreed", "object", "objected")

// statementVerbs take a statement as their object ("say that") or have
// one as their subject ("that means").
var statementVerbs = map[string]bool{"say": true, "said": true, "says": true, "mean": true, "means": true, "meant": true,
	"claim": true, "claimed": true, "think": true, "thought": true, "believe": true, "believed": true,
	"write": true, "wrote": true, "deny": true, "denied": true, "confirm": true, "confirmed": true}

// continuations are the replies that ask for the last answer again or for
// more of it, or question it, without asking anything new.
var continuations = map[string]bool{"tell me more": true, "more": true, "more please": true, "anything else": true,
	"what else": true, "go on": true, "continue": true, "and": true, "really": true, "is that true": true,
	"are you sure": true, "who said that": true, "who said it": true, "says who": true, "source": true,
	"sources": true}

// continuesLast reports whether a follow-up is one of the continuations.
func continuesLast(ws []qword) bool {
	words := make([]string, 0, len(ws))
	for _, w := range ws {
		words = append(words, strings.Trim(w.lower, "?!.,"))
	}
	return continuations[strings.Join(words, " ")]
}

// bareWhWords are the question words that ask for one more thing about
// the last question on their own ("when?", "how many?").
var bareWhWords = map[string]bool{"when": true, "why": true, "where": true, "how": true, "who": true,
	"how many": true, "how much": true, "how long": true, "how often": true, "how come": true, "since when": true,
	"how old": true, "how far": true, "what year": true, "what time": true, "which year": true}

// bareWh recognises a follow-up that is a question word alone ("when?",
// "and why?", "how come though?"), returning it.
func bareWh(ws []qword) (string, bool) {
	var words []string
	for _, w := range ws {
		switch {
		case conjunctions[w.lower] && len(words) == 0:
		case w.lower == "exactly" || w.lower == "though" || w.lower == "then":
		default:
			words = append(words, w.lower)
		}
	}
	wh := strings.Join(words, " ")
	return wh, bareWhWords[wh]
}

// ellipsis recognises "and X?", "what about X?", "how about X?" and "and
// what about X?", returning X. X must be a short phrase with no question
// word or verb of its own: "and who said that?" is a question.
func bareEllipsis(ws []qword) ([]qword, bool) {
	i := 0
	if conjunctions[ws[i].lower] {
		i++
	}
	about := false
	if i+1 < len(ws) && (ws[i].lower == "what" || ws[i].lower == "how") && ws[i+1].lower == "about" {
		i += 2
		about = true
	}
	if i == 0 || i >= len(ws) {
		return nil, false
	}
	x := ws[i:]
	if len(x) > 6 {
		return nil, false
	}
	for _, w := range x {
		if whWords[w.lower] || auxiliaries[w.lower] || personalPronouns[w.lower] && !about {
			return nil, false
		}
	}
	return x, true
}

// afterChat drops the words of chat that open a message before its
// question: "jeez. how big is it now", "back. so what did …". Such an
// opening is a sentence of one or two words that asks nothing.
func afterChat(ws []qword) []qword {
	if len(ws) < 2 {
		return ws
	}
	for i, w := range ws[:min(len(ws)-1, 2)] {
		abbreviation := len(w.text) == 1 || personTitles[w.lower+"."]
		if strings.ContainsAny(w.tail, ".!") && !abbreviation && !slices.ContainsFunc(ws[:i+1], questionWord) {
			return ws[i+1:]
		}
	}
	return ws
}

// sameKind finds in p the phrase that x stands in for by naming a thing
// of the same kind: the noun x ends in, with the words that describe it
// before it ("Fairhaven high schools" for "middle schools").
func sameKind(p, x []qword) (qspan, bool) {
	head := x[len(x)-1].lower
	if len(x) < 2 || isFunctionWord(head) {
		return qspan{}, false
	}
	for i, w := range p {
		if w.lower != head {
			continue
		}
		from := i
		for from > 0 && !isFunctionWord(p[from-1].lower) && !closesPhrase(p[from-1]) {
			from--
		}
		if from > 0 && determiners[p[from-1].lower] {
			from-- // "the", "this", "their": x brings its own
		}
		return qspan{from, i + 1}, from < i
	}
	return qspan{}, false
}

// topicLed splits "what about Parsi, who does he blame?" into its topic
// (Parsi) and the question asked of it: a topic set before a comma, then a
// question of its own (one with a question word or an auxiliary).
func topicLed(ws []qword) (topic, rest []qword, ok bool) {
	i := 0
	if conjunctions[ws[0].lower] {
		i++
	}
	if i+2 >= len(ws) || !(ws[i].lower == "what" || ws[i].lower == "how") || ws[i+1].lower != "about" {
		return nil, nil, false
	}
	from := i + 2
	for j := from; j < len(ws)-1 && j-from < maxTopicWords; j++ {
		if !closesPhrase(ws[j]) {
			continue
		}
		rest = ws[j+1:]
		if !slices.ContainsFunc(rest, questionWord) {
			return nil, nil, false
		}
		topic = slices.Clone(ws[from : j+1])
		topic[len(topic)-1].tail = ""
		return topic, rest, true
	}
	return nil, nil, false
}

// maxTopicWords is the longest topic a "what about X, …" follow-up sets:
// a name or a short noun phrase.
const maxTopicWords = 6

// aboutTopic asks rest of topic: its pronouns ("he", "his", "it") become
// the topic; a question with none is asked with the topic before it.
func aboutTopic(topic, rest []qword) []qword {
	name := joinSpan(topic, qspan{0, len(topic)})
	out := make([]qword, 0, len(rest)+len(topic))
	replaced := false
	for i, w := range rest {
		var next *qword
		if i+1 < len(rest) {
			next = &rest[i+1]
		}
		var with string
		switch {
		case personalPronouns[w.lower]:
			with = personForm(w, next, name)
		case w.lower == "it":
			with = name
		case w.lower == "its":
			with = possessiveForm(name)
		}
		if with == "" {
			out = append(out, w)
			continue
		}
		rw := splitQWords(with)
		rw[len(rw)-1].tail = w.tail
		out = append(out, rw...)
		replaced = true
	}
	if replaced {
		return out
	}
	lead := slices.Clone(topic)
	lead[len(lead)-1].tail = ":"
	return append(lead, rest...)
}

// replaceSubject puts x in place of the subject of the previous question
// p: its proper name when x is a name (keeping a possessive ’s), else its
// last noun phrase. With neither, x is added to p, so the previous words
// stay in the search.
func replaceSubject(p, x []qword) string {
	x = slices.Clone(x)
	x[len(x)-1].tail = ""
	xName := isCapitalisedWord(x[0]) && !isFunctionWord(x[0].lower)
	ns, nps := nameSpans(p), nounPhraseSpans(p)
	var target qspan
	switch kin, ok := sameKind(p, x); {
	case ok:
		// "and middle schools?" after "when do Fairhaven high schools
		// start?": the phrase of the same kind, with the same noun.
		target = kin
	case xName && len(ns) > 0:
		target = ns[0]
	case len(nps) > 0:
		target = nps[len(nps)-1]
	case len(ns) > 0:
		target = ns[0]
	default:
		return strings.TrimRight(renderWords(p), "?!. ") + ": " + renderWords(x) + "?"
	}
	out := slices.Clone(p[:target.from])
	last := p[target.to-1]
	xs := slices.Clone(x)
	xs[len(xs)-1].tail = last.tail
	if isPossessiveWord(last) && !isPossessiveWord(xs[len(xs)-1]) && xName {
		xs[len(xs)-1].text = possessiveForm(xs[len(xs)-1].text)
	}
	out = append(out, xs...)
	out = append(out, p[target.to:]...)
	return upperFirst(renderWords(out))
}

// personReferent is whom "he", "she" or "they" in a follow-up mean, when
// the previous question p was about someone: after "did anyone …?", the
// speaker quoted whom it does not name; the person the previous answer
// named (answered); after "who was the X?", the X; after "who did …?",
// the speaker quoted whom it does not name; a subject a person noun heads
// (the speaker quoted, when that subject's words were asked for); a name
// it writes (the speaker of that name first); a person noun phrase
// elsewhere in it. "" when it was about no one (see turnPerson). places
// are its names that are not persons'.
func personReferent(p []qword, speakers []string, answered string, places []string) string {
	// Only speakers a pronoun may mean (referentSpeaker) count; a people's
	// adjective ("the Finnish banker") names no one, nor does a name led by
	// an article ("The Quiet Table", "the Athens meeting").
	speakers = slices.DeleteFunc(slices.Clone(speakers), func(s string) bool { return !referentSpeaker(s) })
	ns := slices.DeleteFunc(nameSpans(p), func(sp qspan) bool {
		return sp.to == sp.from+1 && wordnet.ProperAdjective(p[sp.from].lower) || slices.Contains(places, joinSpan(p, sp)) ||
			determiners[p[sp.from].lower] || sp.from > 0 && determiners[p[sp.from-1].lower]
	})
	subject := personSubject(p)
	if someone := askedAnyone(p, speakers, ns); someone != "" {
		return someone
	}
	if answered != "" {
		return answered // "who is Rezai?", "who made the pitch?": whom the answer names
	}
	askedWho := p[0].lower == "who" && !(len(p) > 1 && auxiliaries[p[1].lower] && len(ns) > 0)
	if askedWho && subject != "" {
		return subject // "who was the Finnish banker?": the banker
	}
	if askedWho {
		if s := unnamedSpeaker(p, speakers, ns); s != "" {
			return s // "who disputed Parsi's account?": not Parsi
		}
	}
	if subject != "" {
		// "what did Lindell's lawyer say?": the lawyer, whom the answer
		// quotes by name; "what did the air marshal propose?": the marshal.
		if saidRe.MatchString(renderWords(p)) && len(speakers) > 0 {
			return speakers[0]
		}
		return subject
	}
	for _, n := range ns {
		name := withoutPossessive(joinSpan(p, n))
		for _, s := range speakers {
			if sameLastName(name, s) {
				return s
			}
		}
	}
	if len(ns) > 0 {
		return withoutPossessive(joinSpan(p, ns[0]))
	}
	// A person described elsewhere in the question: "what were the
	// Soviets offering thru the Finnish banker?"
	for _, sp := range nounPhraseSpans(p) {
		if isPersonNoun(p[sp.to-1].lower) {
			return joinSpan(p, sp)
		}
	}
	return ""
}

// quotedPerson is the first speaker of speakers a pronoun may mean (see
// personReferent): whom the last answer quoted, when its question was about
// no one.
func quotedPerson(speakers []string) string {
	for _, s := range speakers {
		if referentSpeaker(s) {
			return s
		}
	}
	return ""
}

// referentSpeaker reports whether a pronoun may mean speaker s: not one
// written with a pronoun itself ("One of them"), nor many ("three diplomats
// who took part").
func referentSpeaker(s string) bool {
	ws := splitQWords(s)
	return len(ws) > 0 && !slices.ContainsFunc(ws, func(w qword) bool { return personalPronouns[w.lower] }) &&
		(ws[0].lower == "one" || !numberWordRe.MatchString(ws[0].lower))
}

// personSubject returns the subject of question p when a person noun heads
// it ("the pakistani air marshal", "Lindell's lawyer"): the noun phrase
// right after its auxiliary, up to a noun whose first sense is a person.
func personSubject(p []qword) string {
	at, ok := subjectAt(p)
	if !ok {
		return ""
	}
	for _, sp := range nounPhraseSpans(p) {
		if sp.from != at {
			continue
		}
		// The phrase may run on into the verb ("Lindell's lawyer say
		// outside"): it ends at its person noun.
		for j := sp.from + 1; j < sp.to; j++ {
			if isPersonNoun(p[j].lower) {
				return joinSpan(p, qspan{sp.from, j + 1})
			}
		}
	}
	return ""
}

// askedAnyone returns, for a question whose subject is "anyone" or
// "someone" ("did anyone at the session disagree with Parsi?"), the first
// speaker its answer quoted that the question does not name, as a definite
// description ("the senior Israeli who attended the session"): that is who
// "anyone" turned out to be. "" otherwise.
func askedAnyone(p []qword, speakers []string, names []qspan) string {
	if at, ok := subjectAt(p); !ok || at >= len(p) || !indefinitePersons[p[at].lower] {
		return ""
	}
	return unnamedSpeaker(p, speakers, names)
}

// unnamedSpeaker returns the first of speakers that question p does not
// name (names are its name spans), as a definite description ("the senior
// Israeli who attended the session"); "" when there is none.
func unnamedSpeaker(p []qword, speakers []string, names []qspan) string {
	for _, s := range speakers {
		if slices.ContainsFunc(names, func(sp qspan) bool {
			return sameLastName(withoutPossessive(joinSpan(p, sp)), s)
		}) {
			continue
		}
		ws := splitQWords(s)
		if len(ws) == 0 {
			continue
		}
		if ws[0].lower == "a" || ws[0].lower == "an" {
			ws[0] = qword{text: "the", lower: "the"}
		}
		return renderWords(ws)
	}
	return ""
}

// indefinitePersons are the pronouns that ask whether there is a person.
var indefinitePersons = text.WordSet("anyone", "anybody", "someone", "somebody")

// subjectAt returns where the subject of question p starts: right after
// its first auxiliary, when the words before that are its question phrase
// (questionOpening).
func subjectAt(p []qword) (int, bool) {
	i := slices.IndexFunc(p, func(w qword) bool { return auxiliaries[w.lower] })
	return i + 1, i >= 0 && questionOpening(p[:i])
}

// isPersonNoun reports whether w (lower case) is a noun whose first sense
// is a person ("banker", "guy"), with or without a possessive.
func isPersonNoun(w string) bool {
	w = withoutPossessive(w)
	return wordnet.PersonNoun(w) || personNouns[w]
}

// questionOpening reports whether ws, the words before a question's first
// auxiliary, are its question phrase ("what", "how much money", "which
// city"), so that the auxiliary's subject is the question's own, not a
// clause's within it ("who said it wasn't an official overture?").
func questionOpening(ws []qword) bool {
	if len(ws) == 0 {
		return true
	}
	if !whWords[ws[0].lower] {
		return false
	}
	others := len(ws) - 1
	if ws[0].lower == "how" {
		others-- // "how much money"
	}
	return others <= 1 && !slices.ContainsFunc(ws[1:], func(w qword) bool { return isFunctionWord(w.lower) && !whWords[w.lower] })
}

// sameSurname reports whether two names end in the same word.
func sameLastName(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	return len(fa) > 0 && len(fb) > 0 && strings.EqualFold(fa[len(fa)-1], fb[len(fb)-1])
}

// thingReferent is what "it" or "that" in a follow-up means: the previous
// question's last noun phrase, else its last proper name.
func thingReferent(p []qword) string {
	if nps := nounPhraseSpans(p); len(nps) > 0 {
		return joinSpan(p, nps[len(nps)-1])
	}
	if ns := nameSpans(p); len(ns) > 0 {
		return joinSpan(p, ns[len(ns)-1])
	}
	return ""
}

// isObjectIt reports whether w is "it" as the object of a verb or a
// preposition ("give it to Bush", "sign off on it"): there it points back,
// in a question of any length, where a subject "it" may point at nothing
// ("is it true that …") or start a clause ("said it wasn't …").
func isObjectIt(w qword, before, next *qword) bool {
	if w.lower != "it" || before == nil || !prepositions[before.lower] && isFunctionWord(before.lower) {
		return false
	}
	return next == nil || closesPhrase(w) || prepositions[next.lower]
}

// subjectOf returns the subject of a question that puts it after its
// auxiliary ("what did Iran offer?" → "Iran", "why was the offer
// ignored?" → "the offer"); "" when it has none there, or it is a pronoun.
func subjectOf(p []qword) string {
	i := slices.IndexFunc(p, func(w qword) bool { return auxiliaries[w.lower] })
	if i < 0 || i+2 >= len(p) || !whWords[p[0].lower] || p[i].tail != "" {
		return ""
	}
	for _, sp := range append(nameSpans(p), nounPhraseSpans(p)...) {
		if sp.from == i+1 {
			return joinSpan(p, sp)
		}
	}
	// A single word, then the verb: "what did iran offer".
	if w := p[i+1]; w.tail == "" && !isFunctionWord(w.lower) && !isFunctionWord(p[i+2].lower) {
		return w.text
	}
	return ""
}

// isPronoun reports whether "it", "that", "this" (and their plurals) stand
// for a noun phrase here rather than lead one ("that letter") or join a
// clause ("said that …"): they do at the end of the question, before
// punctuation or a function word, or right after an auxiliary, where a
// subject stands ("did that happen").
func isThingPronoun(w qword, before, next *qword) bool {
	if w.lower == "it" || w.lower == "its" {
		return true
	}
	if next == nil || closesPhrase(w) || isFunctionWord(next.lower) {
		return true
	}
	return before != nil && auxiliaries[before.lower]
}

// personForm gives a person's name in the pronoun's grammatical role: "his
// book" → "Parsi’s book". "her" is possessive before a content word.
func personForm(w qword, next *qword, person string) string {
	// A possessive drops the clause that describes the person: "the
	// senior Israeli’s name", not "the senior Israeli who attended the
	// session’s name".
	owner, _, _ := strings.Cut(person, " who ")
	switch w.lower {
	case "his", "their", "hers", "theirs":
		return possessiveForm(owner)
	case "her":
		if next != nil && !isFunctionWord(next.lower) && !closesPhrase(w) {
			return possessiveForm(owner)
		}
	}
	return person
}

func possessiveForm(s string) string {
	if strings.HasSuffix(s, "s") {
		return s + "’"
	}
	return s + "’s"
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// gender groups the personal pronouns that refer to one person.
func gender(w string) string {
	switch w {
	case "he", "him", "his":
		return "m"
	case "she", "her", "hers":
		return "f"
	}
	return "p"
}
