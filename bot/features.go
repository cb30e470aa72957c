package bot

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/wordnet"
	"github.com/storybot/storybot/retrieval/wordvec"
)

// General features of a question and of the sentences that may answer it.
// They feed two small fitted models (model.go): which sentence answers, and
// whether the story answers at all. Each is a property any English question
// and any story has, none a word of one story or one question set.

// answerType is the kind of thing a question asks for, from its wh-word.
type answerType int

const (
	typeNone     answerType = iota
	typeName                // who, which person, where, which city: a proper name
	typeNumber              // how many, how much, what percentage: a number
	typeDate                // when, what year, what century: a date or a number
	typeAge                 // how old, at what age: an age
	typeDuration            // how long (not how long ago): a length of time
	typeTitle               // what is the book called, the name of the film: a title
)

// workNouns are the kinds of work that have titles.
const workNouns = `book|novel|film|movie|documentary|report|show|series|album|song|play|memoir|study|paper|podcast|poem|painting|exhibition|opera|newspaper|magazine`

var (
	typeTitleRe    = regexp.MustCompile(`(?i)\b(name|title) of (the|his|her|their|this|that|its|a|an|[\w.-]+['’]s) (new |latest |first |recent |upcoming )?(` + workNouns + `)\b|\b(` + workNouns + `)s? (is |was |are |were )?(called|titled|named|entitled)\b|\b(what|which) (` + workNouns + `)\b`)
	typeDateRe     = regexp.MustCompile(`(?i)^\W*when\b|\band when\W*$|\b(what|which) (year|years|century|centuries|decade|date|day|month|era|period|time)\b|\bhow long ago\b|\bin what year\b`)
	typeNumberRe   = regexp.MustCompile(`(?i)\bhow (many|much|long|old|far|big|large|high|tall|often)\b|\b(what|which) (number|percentage|percent|proportion|amount|size|fraction|age)\b`)
	typeAgeRe      = regexp.MustCompile(`(?i)\bhow old\b|\b(at )?what age\b`)
	typeDurationRe = regexp.MustCompile(`(?i)\bhow long\b(?: ago\b)?`)
	typeNameRe     = regexp.MustCompile(`(?i)^\W*(who|whom|whose|where)\b|\b(who|whom|whose)\b|\b(what|which) (person|people|man|woman|company|country|city|town|state|nation|organi[sz]ation|group|party|team|university|school|king|queen|leader|president|place|region|river|language|name)\b|\bwhat is the name\b|\bnamed?\b`)
)

// expectedType returns what kind of answer q asks for.
func expectedType(q string) answerType {
	switch {
	case typeTitleRe.MatchString(q):
		return typeTitle
	case typeAgeRe.MatchString(q):
		return typeAge
	case typeDurationRe.MatchString(q):
		return typeDuration
	case typeDateRe.MatchString(q):
		return typeDate
	case typeNumberRe.MatchString(q):
		return typeNumber
	case typeNameRe.MatchString(q):
		return typeName
	}
	return typeNone
}

// ageRe and durationRe are how English prose gives an age ("Zeev Schiff,
// 82,", "an 82-year-old", "aged 82", "at the age of 82", "in his sixties")
// and a length of time ("for three years", "since 1990", "a decade").
var (
	ageRe      = regexp.MustCompile(`(?i), \d{1,3},|\b\d{1,3}[- ]years?[- ]olds?\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]years?[- ]olds?\b|\baged? \d{1,3}\b|\bat (the age of )?\d{1,3}\b|\bin (his|her|their) (early |mid-|mid |late )?(teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|\d0s)\b`)
	durationRe = regexp.MustCompile(`(?i)\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundred|several|many|a few|few|some)[- ](more )?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(y|ies)|generations?)\b|\bsince \d{4}\b|\bsince (January|February|March|April|May|June|July|August|September|October|November|December)\b`)
)

// monthRe and numberWordRe find dates and numbers in words.
var (
	monthRe      = regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December|century|centuries|decade)\b`)
	numberWordRe = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|several|percent)\b`)
)

// hasTypedAnswer reports whether sentence holds something of type t that
// the question does not already contain: the new words a real answer adds.
func hasTypedAnswer(t answerType, sentence string, qwords map[string]bool) bool {
	switch t {
	case typeAge:
		return ageRe.MatchString(sentence)
	case typeDuration:
		return durationRe.MatchString(sentence)
	case typeTitle:
		return titleIn(sentence) != ""
	}
	toks := strings.Fields(sentence)
	newTok := func(tok string) (string, bool) {
		w := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w == "" {
			return "", false
		}
		return w, !qwords[strings.ToLower(w)]
	}
	for i, tok := range toks {
		w, isNew := newTok(tok)
		if !isNew {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		switch t {
		case typeName:
			if unicode.IsUpper(r) && (i > 0 || !english.IsStopWord(strings.ToLower(w))) {
				return true
			}
		case typeNumber:
			if unicode.IsDigit(r) || numberWordRe.MatchString(w) {
				return true
			}
		case typeDate:
			if unicode.IsDigit(r) || monthRe.MatchString(w) {
				return true
			}
		}
	}
	return false
}

// negationRe finds a negated statement or question.
var negationRe = regexp.MustCompile(`(?i)\b(not|never|no|none|nor|neither|without|n[’']t|cannot|didnt|doesnt|isnt|wasnt)\b|n[’']t\b`)

// negatesNothingRe finds the phrases with a negation word that do not ask
// about what is not so: "not only", "whether or not", the contrast "X and
// not Y", which asks about X, a compound noun ("the no-layoff promise",
// "a no-fly zone"), an infinitive that names a choice ("the decision not
// to pursue it") and "no" as the word said ("by saying no").
var negatesNothingRe = regexp.MustCompile(`(?i)\b(not only|not just|whether or not|or not|if not|no matter|not to)\b|(\band|\bbut|,) not\b|\bno-\w+|\bno\s*([?!.,]|$)`)

// deniesRe finds a sentence that says something is not so, in the words
// English uses for it beside "not": refusing, lacking, forbidding, failing,
// leaving out.
var deniesRe = regexp.MustCompile(`(?i)\b(refus\w*|reject\w*|declin\w*|den(y|ies|ied|ial)|fail\w*|lack\w*|unable|forb[ai]d\w*|prohibit\w*|ban(s|ned|ning)?|barr(ed|ing)|exclud\w*|absen\w*|impossib\w*|instead|rather than|except\w*|only|nobody|nothing|nowhere|little|few|rare\w*|seldom|hardly)\b`)

// antonymSwapped reports an adjective of question q that sentence lacks
// while writing its opposite ("smallest" asked, "largest" written), and
// that opposite; "" when there is none. A question that copies a sentence
// but turns one of its adjectives around asks about what the story does not
// say, and the two words are close neighbours in any word space, so soft
// matching alone would take one for the other.
func antonymSwapped(q, sentence string) (asked, written string) {
	sWords := retrieval.Words(sentence)
	inSentence := map[string]bool{}
	for _, w := range sWords {
		inSentence[w] = true
	}
	qWords := retrieval.Words(q)
	for _, w := range qWords {
		if inSentence[w] {
			continue
		}
		for _, a := range wordnet.Antonyms(w) {
			if inSentence[a] && !slices.Contains(qWords, a) {
				return w, a
			}
		}
	}
	return "", ""
}

// whyRe finds a question that asks for a cause.
var whyRe = regexp.MustCompile(`(?i)^\W*(why|how come)\b|\bfor what reason\b`)

// asksWhy reports whether q asks for a reason.
func asksWhy(q string) bool { return whyRe.MatchString(q) }

// negatedQuestion reports whether q asks about what is not so.
func negatedQuestion(q string) bool {
	return negationRe.MatchString(negatesNothingRe.ReplaceAllStringFunc(q, func(m string) string {
		if strings.EqualFold(m, "no-one") {
			return m // "no-one" is nobody
		}
		return ""
	}))
}

// denies reports whether sentence s says that something is not so: a
// negation, a word of refusing or lacking, or a word that is un- before an
// English word ("unable", "unknown"), which "United", "under" and "unique"
// are not.
func denies(s string) bool {
	if negationRe.MatchString(s) || deniesRe.MatchString(s) {
		return true
	}
	for _, w := range retrieval.Words(s) {
		if rest, ok := strings.CutPrefix(w, "un"); ok && len(rest) >= 4 {
			if _, known := wordvec.Default().Lookup(rest); known {
				return true
			}
		}
	}
	return false
}

// namedMissing returns the share of the question's names and numbers
// (question.names: words it writes capitalised after its first word, or
// with digits) that the story never uses: a question about someone or
// something the story never names cannot be answered from it.
func namedMissing(names []string, uses func(word string) bool) float64 {
	if len(names) == 0 {
		return 0
	}
	missing := 0
	for _, part := range names {
		if !uses(part) {
			missing++
		}
	}
	return float64(missing) / float64(len(names))
}

// lowerWords returns the set of q's words, lowercase, with and without a
// plural s.
func lowerWords(q string) map[string]bool {
	out := map[string]bool{}
	for _, w := range retrieval.Words(q) {
		out[w] = true
		out[strings.TrimSuffix(w, "s")] = true
	}
	return out
}

func log1p(x float64) float64 { return math.Log1p(max(x, 0)) }

// workRe finds the kind of work a question asks the title of.
var workRe = regexp.MustCompile(`(?i)\b(` + workNouns + `)s?\b`)

// quotedRe finds a span in quotation marks, straight or curly.
var quotedRe = regexp.MustCompile(`[“"]([^”"“]{2,80})[”"]`)

// titleMaxWords is the most words a quoted span may have to read as a title
// rather than as someone's words.
const titleMaxWords = 8

// titleIn returns the first title sentence gives: a short span in quotation
// marks whose words are capitalised ("In “Treacherous Alliance,” Parsi
// writes"), as news style writes the titles of books, films and reports.
// Quoted speech is longer, or in lower case.
func titleIn(sentence string) string {
	for _, m := range quotedRe.FindAllStringSubmatch(sentence, -1) {
		span := strings.TrimRight(strings.TrimSpace(m[1]), ",.;:")
		words := strings.Fields(span)
		if len(words) == 0 || len(words) > titleMaxWords {
			continue
		}
		title := true
		for i, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			// Short function words may stay in lower case inside a title.
			if !unicode.IsUpper(r) && !unicode.IsDigit(r) && (i == 0 || len(w) > 3) {
				title = false
				break
			}
		}
		if title {
			return span
		}
	}
	return ""
}

// withTitle adds to hits, for a question that asks for the title of a work,
// the story's passage that gives a title nearest to where the story
// mentions the work: a title is seldom in the sentence that says "the book",
// so the passages that match the question's words may hold none.
func withTitle(hits []retrieval.Hit, story []retrieval.Passage, q question) []retrieval.Hit {
	if q.want != typeTitle || len(hits) == 0 {
		return hits
	}
	for _, h := range hits {
		if titleIn(h.Text) != "" {
			return hits
		}
	}
	work := map[string]bool{}
	for _, w := range workRe.FindAllString(q.text, -1) {
		work[strings.TrimSuffix(strings.ToLower(w), "s")] = true
	}
	var mentions []int // paragraphs that mention the work
	for _, p := range story {
		for _, w := range retrieval.Words(p.Text) {
			if work[strings.TrimSuffix(w, "s")] {
				mentions = append(mentions, p.Paragraph)
				break
			}
		}
	}
	if len(mentions) == 0 {
		mentions = []int{hits[0].Paragraph}
	}
	best, bestGap := -1, 0
	for i, p := range story {
		if titleIn(p.Text) == "" {
			continue
		}
		for _, m := range mentions {
			gap := max(p.Paragraph-m, m-p.Paragraph)
			if best < 0 || gap < bestGap {
				best, bestGap = i, gap
			}
		}
	}
	if best < 0 {
		return hits
	}
	last := hits[len(hits)-1]
	return append(hits, retrieval.Hit{Passage: story[best], Score: last.Score})
}

// foreignToStory is the share of the question's words, weighted by their
// rarity in general English, that the story never uses. General English
// weighs them, so the share doesn't change with the stories loaded beside
// this one.
func foreignToStory(m *retrieval.Matcher, uses func(word string) bool) float64 {
	var foreign, total float64
	for _, w := range m.Words() {
		g := generalWeight(w)
		total += g
		if !uses(w) {
			foreign += g
		}
	}
	if total == 0 {
		return 0
	}
	return foreign / total
}

// countedOf returns the words naming what a "how many" question counts
// ("how many phone numbers did …" counts "phone numbers"): the words after
// "how many" up to the first stop word, at most three.
func countedOf(words []string) []string {
	for i := 0; i+1 < len(words); i++ {
		if words[i] != "how" || words[i+1] != "many" {
			continue
		}
		var out []string
		for _, w := range words[i+2 : min(len(words), i+5)] {
			if english.IsStopWord(w) {
				break
			}
			out = append(out, w)
		}
		return out
	}
	return nil
}

// humanWords are the general nouns for human beings, which any person
// noun ("residents", "workers") counts.
var humanWords = map[string]bool{"people": true, "person": true, "persons": true, "individuals": true, "humans": true}

// personNounForm reports whether word (lower case) is a WordNet person noun
// or its plural: "resident", "residents".
func personNounForm(word string) bool {
	return wordnet.PersonNoun(word) || wordnet.PersonNoun(strings.TrimSuffix(word, "s"))
}

// countsAsked reports whether sentence gives a number of the thing counted
// (countedOf): a number followed, within countWindow words of its clause,
// by the counted noun, a close neighbour of it in word space, or, when
// people are counted, any noun of a person ("about 9,000 residents" answers
// "how many people"). A number of something else ("14,600 acres") or no
// number ("one of the most thorough") does not.
func countsAsked(sentence string, counted []string, m *retrieval.Matcher) bool {
	idx := map[int]bool{}
	human := false
	for i, w := range m.Words() {
		if slices.Contains(counted, w) {
			idx[i] = true
			human = human || humanWords[w] || personNounForm(w)
		}
	}
	toks := strings.Fields(sentence)
	for i, tok := range toks {
		w := strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(w)
		if w == "" || !unicode.IsDigit(r) && !numberWordRe.MatchString(w) || strings.ContainsAny(tok[len(tok)-1:], ",.;:") {
			continue // no number, or one that ends its clause ("in 2019, residents …")
		}
		var after []string
		for _, next := range toks[i+1 : min(len(toks), i+1+countWindow)] {
			after = append(after, next)
			if strings.ContainsAny(next, ".;:") || strings.HasSuffix(next, ",") {
				break // the clause ends
			}
		}
		for _, a := range after {
			word := strings.ToLower(strings.TrimFunc(a, func(r rune) bool { return !unicode.IsLetter(r) }))
			if human && (humanWords[word] || personNounForm(word)) {
				return true
			}
		}
		for j, v := range m.Match(strings.Join(after, " ")) {
			if idx[j] && v >= countedMatch {
				return true
			}
		}
	}
	return false
}
