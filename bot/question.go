package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval"
)

// question is one question as the answer path reads it: every reading of
// its text that the rules, the features and the extractive answer use,
// parsed once by parseQuestion and passed down. It is pure (no engine, no
// index, no I/O), so each reading is tested on its own in question_test.go;
// what depends on the story (is the focus in the passages? does a sentence
// give the name asked for?) is decided later, from these readings.
type question struct {
	text   string // the cleaned question, as asked
	search string // the text searched for: text with the abbreviations it uses spelled out (searchQuery)
	runes  int    // the length of text in runes

	words   []string        // its word tokens, lowercase (retrieval.Words), in order
	wordSet map[string]bool // words as a set
	// lower is words with and without a plural s: what tells a sentence's
	// new words from the question's own.
	lower   map[string]bool
	content []string // words that are not stop words
	// names are the parts of the names and numbers it writes (words
	// capitalised after its first, or with digits), stop words dropped.
	names []string

	want answerType // the kind of answer it asks for, from its wh-word
	// counted is what a "how many" question counts (countedOf).
	counted []string

	whoSaid     bool // asks who said something: the answer leads with the speaker
	aboutSpeech bool // asks for someone's words: whoSaid, or a saying verb anywhere
	contested   bool // asks whether a claim holds (a contest cue), or is a yes-or-no question
	multiPart   bool // asks two things, or compares two
	negated     bool // holds a negation
	injection   bool // tries to set the rules aside or to have quotations invented
	chrome      bool // is about the web page around the story, not the story
	personal    bool // speaks of the asker's own life: "my", "should I", "anyone"
	asks        bool // is put as a question or a request (asksSomething), not a remark ("ok brb dinner")

	// focus is the content words of the topic it asks about ("about X",
	// "what is X", "how does X work"); nil when it names no topic, or only
	// points back at the story ("about it").
	focus []string
	// byline: asks who wrote the article itself, not anything it reports.
	byline bool
	// present is the phrase that anchors the question in the reader's own
	// present ("tonight", "this weekend"), lower case; "" when none does.
	present string
	// nameAsk is the name it asks for, if any.
	nameAsk nameAsk
	// responder is the words of whoever it asks the response of ("how did
	// X respond"), words that name no one in particular dropped.
	responder []string
	// asked is the person whose words or thoughts it asks for ("what did X
	// say").
	asked askedSpeaker
}

// nameAsk is a question's request for a name: "the name of the
// ambassador", "which militant group", "where", "which city".
type nameAsk struct {
	asks  bool     // it asks for a name the answer must give (not a title: "the name of the book")
	heads []string // the nouns whose name is wanted, lowercase ("ambassador", "group")
	place bool     // it asks where, or which city, country or place
}

// askedSpeaker is the person of "what did X say/think/…".
type askedSpeaker struct {
	surname  string // the last word of X, lowercase; "" when no one's words are asked for
	thinking bool   // asks what X thought or felt, not what X said
}

// parseQuestion reads q (already cleaned: CleanQuestion) once.
func parseQuestion(q string) question {
	p := question{
		text:      q,
		search:    searchQuery(q),
		runes:     utf8.RuneCountInString(q),
		words:     retrieval.Words(q),
		lower:     lowerWords(q),
		names:     namesIn(q),
		want:      expectedType(q),
		whoSaid:   whoSaidRe.MatchString(q),
		contested: contestRe.MatchString(q) || yesNoRe.MatchString(q),
		multiPart: multiPartRe.MatchString(q),
		negated:   negatedQuestion(q),
		injection: injectionRe.MatchString(q),
		chrome:    chromeRe.MatchString(q),
		personal:  isPersonal(q),
		asks:      asksSomething(leadingConjunctionsDropped(afterChat(splitQWords(q)))),
		focus:     focusOf(q),
		nameAsk:   nameAskOf(q),
		responder: responderOf(q),
		asked:     askedSpeakerOf(q),
		present:   strings.ToLower(presentRe.FindString(q)),
		byline:    bylineRe.MatchString(q),
		wordSet:   map[string]bool{},
	}
	p.aboutSpeech = p.whoSaid || saidRe.MatchString(q)
	p.counted = countedOf(p.words)
	for _, w := range p.words {
		p.wordSet[w] = true
		if !english.IsStopWord(w) {
			p.content = append(p.content, w)
		}
	}
	return p
}

// speechVerbs are the verbs by which a question asks who said something.
const speechVerbs = `say|said|says|saying|tell|told|tells|claim|claimed|claims|call|called|argue|argued|state|stated|warn|warned|describe|described|went on|wrote|writes|quote|quoted|dispute|disputed|deny|denied|think|thinks|believe|believes|stress|stressed|insist|insisted|admit|admitted|disclose|disclosed|note|noted`

// Question shapes that change how an answer is put together.
var (
	whoSaidRe = regexp.MustCompile(`(?i)^\W*(who|which (person|one|official|expert|analyst|aide|man|woman|guy))\b.*\b(` + speechVerbs + `)\b` +
		// "which professor said …": the noun phrase is the one who speaks.
		`|^\W*which(?: [\w’'-]+){1,2} (` + speechVerbs + `)\b`)
	saidRe    = regexp.MustCompile(`(?i)\b(say|said|says|saying|tell|told|comment|comments|respond|responded|think|thinks|according to|claim|claims|claimed|react|reacted|position|view|views|argue|argues|argued|put it|quote|quoted|describe|described)\b`)
	contestRe = regexp.MustCompile(`(?i)\b(actually|really|or not|is it true|true that|disputed?|contested|exaggerated|accurate|or just|or is)\b`)
	// multiPartRe finds questions that ask two things or compare two.
	multiPartRe = regexp.MustCompile(`(?i)\b(vs\.?|versus|difference|differ|compare[ds]?|comparison|both|as well as)\b|[,;]? and (what|who|why|how|when|where|which)\b`)
	// yesNoRe finds a question that opens with an auxiliary verb: a
	// yes-or-no question, which a disputed claim answers with both sides.
	yesNoRe = regexp.MustCompile(`(?i)^\W*(did|does|do|was|were|is|are|has|have|had|can|could|would|will)\b`)
)

// namesIn returns the parts of the names and numbers q writes: words
// capitalised after its first word, or with digits, split into word tokens,
// stop words dropped.
func namesIn(q string) []string {
	var out []string
	for i, tok := range strings.Fields(q) {
		w := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(w)
		if w == "" || !(unicode.IsDigit(r) || unicode.IsUpper(r) && i > 0) {
			continue
		}
		for _, part := range retrieval.Words(w) {
			if !english.IsStopWord(part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// focusRes find the thing a question is about: the topic of "what did X
// say about Y", the subject of "what is X like", "what is X" and "how does
// X work". When
// none of its words is in the passages, the story does not answer it.
var focusRes = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(?:about|regarding|concerning|on the subject of)\s+(.+)$`),
	regexp.MustCompile(`(?i)^\W*what(?:'s|’s| is| are| was| were) (?:a |an |the )?(.+?) like\b`),
	regexp.MustCompile(`(?i)^\W*(?:what|who)(?:'s|’s| is| are| was| were) (?:a |an |the )?(.+?)\W*$`),
	regexp.MustCompile(`(?i)\bhow (?:does |do |did )?([\w’' -]+?) works?\b`),
}

// pronounStartRe finds a focus that only points back at the story.
var pronounStartRe = regexp.MustCompile(`(?i)^\W*(it|this|that|these|those|them|him|her|his|their|there|that one)\b`)

// focusOf returns the content words (not stop words, of minWordLetters
// or more) of the topic q asks about, by the first of focusRes that
// matches; nil when none does, or when the topic only points back at the
// story ("about it back then").
func focusOf(q string) []string {
	var m []string
	for _, re := range focusRes {
		if m = re.FindStringSubmatch(q); m != nil {
			break
		}
	}
	if m == nil || pronounStartRe.MatchString(m[1]) {
		return nil
	}
	var focus []string
	for _, w := range retrieval.Words(m[1]) {
		if !english.IsStopWord(w) && len(w) >= minWordLetters {
			focus = append(focus, w)
		}
	}
	return focus
}

var (
	// nameAskRe finds questions that ask for a name, and the noun whose
	// name is wanted ("the name of the Swiss ambassador" → ambassador).
	nameAskRe = regexp.MustCompile(`(?i)\bnames? of (?:the |that |this |a |an |his |her |their |its )?([\w’'-]+)(?: ([\w’'-]+))?(?: ([\w’'-]+))?`)
	// whichGroupRe finds "which militant group …": a question whose answer
	// is the name of an organisation.
	whichGroupRe = regexp.MustCompile(`(?i)\b(?:which|what) (?:other )?(?:([\w’'-]+) )?(group|organi[sz]ation|militia|party|faction|movement|` + namedKinds + `)\b`)
	// calledAskRe finds "what is the militant group called?": a question
	// for the name of a kind of thing English names.
	calledAskRe = regexp.MustCompile(`(?i)\bwhat(?:['’]s| is| was| are| were) (?:the |that |this |their |its |his |her )?(?:[\w’'-]+ ){0,3}?(group|organi[sz]ation|militia|party|faction|movement|` + namedKinds + `) (?:called|named)\b`)
	// whoRoleRe finds "who was Khalilzad’s Iranian counterpart?" and "who
	// is the Swiss ambassador?": a question for the name of whoever holds a
	// role; the role noun is the last word before the verb, or the end.
	whoRoleRe  = regexp.MustCompile(`(?i)^\W*who(?:['’]s| is| was| were| are) (?:the |[\w’'.-]+['’]s )(?:[\w’'-]+ ){0,2}?([\w-]+)\W*$`)
	placeAskRe = regexp.MustCompile(`(?i)\b(which|what) (city|town|country|place|state|province|village|region|capital)\b|^\W*where\b`)
	// possessiveNameRe finds "what's the senior Israeli's name?": the noun
	// before "'s name" is the one whose name is wanted.
	possessiveNameRe = regexp.MustCompile(`(?i)\bwhat(?:['’]?s| is| was) (?:the |that |this |his |her |their )?(?:[\w-]+ ){0,3}?([\w-]+)['’]s (?:real |full |first |last )?name\b`)
)

// namedKinds are the kinds of thing whose instances English names with a
// proper name: facilities, organisations and natural places (the classes of
// named entity the OntoNotes scheme calls FAC, ORG and LOC). "Which hotel"
// asks for a hotel's name; "which type" or "which part" does not.
const namedKinds = `hotels?|airports?|bridges?|stadiums?|hospitals?|prisons?|jails?|buildings?|stations?|bases?|companies|company|firms?|agency|agencies|banks?|ministry|ministries|newspapers?|magazines?|unions?|courts?|councils?|committees?|universit(?:y|ies)|colleges?|schools?|churches|church|teams?|clubs?|networks?|websites?|brands?|rivers?|mountains?|lakes?|seas?|oceans?|islands?|parks?|valleys?|deserts?|sites?|streets?|neighbou?rhoods?|cities|districts?|counties|county|provinces?`

// nameAskStop ends the noun phrase after "name of the".
var nameAskStop = map[string]bool{"that": true, "who": true, "which": true, "in": true, "at": true, "on": true,
	"for": true, "as": true, "from": true, "of": true, "whose": true, "where": true, "when": true, "is": true, "was": true}

// nameAskOf reads the name q asks for: the words after "name of", or of
// "which … group", up to the end of the noun phrase; or a place. A title
// ("the name of the book") is not a name to look for: it is quoted, and
// retrieval finds it.
func nameAskOf(q string) nameAsk {
	var heads []string
	a := nameAsk{asks: true}
	if m := nameAskRe.FindStringSubmatch(q); m != nil {
		heads = m[1:]
	} else if m := whichGroupRe.FindStringSubmatch(q); m != nil {
		heads = m[1:]
	} else if m := calledAskRe.FindStringSubmatch(q); m != nil {
		heads = m[1:]
	} else if m := whoRoleRe.FindStringSubmatch(q); m != nil {
		heads = m[1:]
	} else if m := possessiveNameRe.FindStringSubmatch(q); m != nil {
		heads = m[1:]
	} else if placeAskRe.MatchString(q) {
		a.place = true
	} else {
		return nameAsk{}
	}
	for _, h := range heads {
		h = strings.ToLower(strings.Trim(h, " "))
		if nameAskStop[h] {
			break // the noun phrase ends here: "the ambassador who …"
		}
		switch h {
		case "":
		case "book", "story", "article", "report":
			return nameAsk{}
		default:
			a.heads = append(a.heads, h)
		}
	}
	return a
}

// respondRe finds "how did X respond/react/reply" and "did X ever
// respond", and captures X.
var respondRe = regexp.MustCompile(`(?i)\b(?:how )?(?:did|does|has|have|had|would|do) (?:the )?([\w’'.-]+(?: [\w’'.-]+){0,3}?) (?:ever |even |actually |officially )?(?:respond|react|reply|answer|take it|handle)\b`)

// genericPersonWords say that someone is meant without saying who.
var genericPersonWords = map[string]bool{"man": true, "woman": true, "people": true,
	"side": true, "one": true, "person": true, "official": true, "officials": true, "they": true, "them": true}

// responderOf returns the words (of minWordLetters or more, not generic) of
// whoever q asks the response of; nil when it asks for no response.
func responderOf(q string) []string {
	m := respondRe.FindStringSubmatch(q)
	if m == nil {
		return nil
	}
	var who []string
	for _, w := range retrieval.Words(m[1]) {
		if len(w) >= minWordLetters && !genericPersonWords[w] {
			who = append(who, w)
		}
	}
	return who
}

// bylineRe finds a question about who wrote the article itself ("who
// wrote this article?", "who's the reporter?"), which the story's text
// does not answer however it matches the words: "who wrote the book?" asks
// about what the story reports, and is not matched.
var bylineRe = regexp.MustCompile(`(?i)\bwho (?:wrote|writes|authored|penned|reported) (?:this|that|the)(?: [\w'’-]+){0,3}? (?:article|story|piece|post)\b|\bwho(?:'s|’s| is| was) the (?:author|writer|reporter|journalist) of (?:this|that|the)(?: [\w'’-]+){0,3}? (?:article|story|piece|post)\b|\bwho(?:'s|’s| is| was) the (?:reporter|journalist)\b|^\W*who wrote (?:this|that)\W*$`)

// presentRe finds the words that anchor a message in the reader's own
// day: a story is fixed in its own time and says nothing of tonight unless
// it writes the word.
var presentRe = regexp.MustCompile(`(?i)\b(tonight|tomorrow|today|last night|this (?:weekend|morning|afternoon|evening|week)|next week)\b`)

// askedSpeakerRe finds "what did X say/think/…" and "did X ever say
// anything/comment on …", "has X said anything", and captures X.
var askedSpeakerRe = regexp.MustCompile(`(?i)\bwhat (?:did|does|has|have|had|do|would) (?:the )?([\w’'.-]+(?: [\w’'.-]+){0,2}?)(?: himself| herself| themselves| personally| actually)? (say|said|tell|told|comment|write|wrote|think|thought|feel|felt|make of)\b|^\W*(?:did|does|has|have|had) (?:the )?([\w’'.-]+(?: [\w’'.-]+){0,2}?)(?: ever| himself| herself| themselves| personally| actually| publicly)? (say anything|said anything|spoken|spoke|commented|comment)\b`)

// sayingVerbs ask for what someone said; the other verbs of askedSpeakerRe
// ask for what they thought.
var sayingVerbs = map[string]bool{"say": true, "said": true, "tell": true, "told": true, "comment": true, "write": true, "wrote": true}

// askedSpeakerOf returns the person whose words or thoughts q asks for.
func askedSpeakerOf(q string) askedSpeaker {
	m := askedSpeakerRe.FindStringSubmatch(q)
	if m == nil {
		return askedSpeaker{}
	}
	who, verb := m[1], m[2]
	if who == "" { // "did X ever say anything about …"
		who, verb = m[3], "say"
	}
	asked := retrieval.Words(who)
	if len(asked) == 0 {
		return askedSpeaker{}
	}
	return askedSpeaker{surname: asked[len(asked)-1], thinking: !sayingVerbs[strings.ToLower(verb)]}
}
