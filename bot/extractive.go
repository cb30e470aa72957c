package bot

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/text"
	"github.com/storybot/storybot/retrieval/wordnet"
)

// candidate is one sentence of a retrieved passage, scored against the
// question.
type candidate struct {
	hit     retrieval.Hit
	rank    int // the passage's rank in the search results
	text    string
	start   int               // byte offset of the sentence in the passage
	matches []float64         // per question word, how well the sentence matches it
	score   float64           // relevance to the question, higher is better (sentenceMix)
	logit   float64           // the fitted sentence model's logit that it answers the question
	quotes  []retrieval.Quote // quotations and claims within the sentence
	feats   [numSentenceFeatures]float64
}

// disputeRe finds a sentence that disputes or qualifies a claim.
var disputeRe = regexp.MustCompile(`(?i)\b(disputed|dispute|called into question|questioned|denied|denies|however|but|contrary|rejected|not|only|stressed|insisted|unlikely|criticized|opposed)\b`)

// candidates splits the retrieved passages into sentences and scores each
// against the question.
func candidates(hits []retrieval.Hit, m *retrieval.Matcher) []candidate {
	var out []candidate
	for r, h := range hits {
		for _, sp := range retrieval.Sentences(h.Text) {
			c := candidate{hit: h, rank: r, text: sp.Text, start: sp.Start}
			c.matches = m.Match(sp.Text)
			for _, q := range h.Quotes {
				if strings.Contains(sp.Text, q.Text) && (q.Sentence == "" || strings.Contains(q.Sentence, sp.Text) || strings.Contains(sp.Text, q.Sentence)) ||
					insideQuotation(sp.Text, q) {
					c.quotes = append(c.quotes, q)
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// insideQuotation reports whether sentence is one of the sentences of a
// quotation that runs over several (“Automation is coming to every big
// port. The fight is over who shares in the savings,” said …): it starts
// with the quotation's own words, so the quotation's speaker said it.
func insideQuotation(sentence string, q retrieval.Quote) bool {
	if !q.Direct || q.Sentence == "" || !strings.Contains(q.Sentence, sentence) {
		return false
	}
	core := strings.TrimLeft(sentence, "“\"‘' ")
	words := strings.Fields(core)
	if len(words) < minQuotedWords {
		return false
	}
	return strings.Contains(q.Text, strings.Join(words[:minQuotedWords], " "))
}

// sameQuotation reports whether a and b are sentences of one quotation,
// which either quotes whole.
func sameQuotation(a, b candidate) bool {
	if a.hit.ID != b.hit.ID {
		return false
	}
	for _, qa := range a.quotes {
		for _, qb := range b.quotes {
			if qa.Direct && qb.Direct && qa.Text == qb.Text {
				return true
			}
		}
	}
	return false
}

// uncovered returns the weighted share of the question that the passages do
// not cover, first allowing near synonyms for every word, then only exact
// matches: the same stem, a one-letter typo of a passage word, or an acronym
// of a capitalised phrase ("IRGC" by "Iran’s Revolutionary Guards").
func uncovered(m *retrieval.Matcher, hits []retrieval.Hit) (soft, exact float64) {
	return uncoveredWeighted(m, hits, m.Weights(), uncoveredBelow)
}

// generalWeights weighs each of the question's words by how rare it is in
// general English (the log of its frequency rank): unlike the corpus's own
// rarity, this does not change with the stories that are loaded, so neither
// does a decision that the question is about something else.
func generalWeights(m *retrieval.Matcher) []float64 {
	words := m.Words()
	w := make([]float64, len(words))
	for i, word := range words {
		w[i] = generalWeight(word)
	}
	return w
}

// generalWeight is word's rarity in general English: the log of its
// frequency rank.
func generalWeight(word string) float64 { return math.Log(float64(retrieval.WordRank(word))) }

// uncoveredWeighted is uncovered with the given weight per question word.
// A word whose best soft match is under below counts as not covered softly.
func uncoveredWeighted(m *retrieval.Matcher, hits []retrieval.Hit, weights []float64, below float64) (soft, exact float64) {
	words := m.Words()
	best := make([]float64, len(words))
	var texts []string
	for _, h := range hits {
		texts = append(texts, h.Text)
		for i, v := range m.Match(h.Text) {
			best[i] = max(best[i], v)
		}
	}
	vocab := map[string]bool{}
	for _, t := range texts {
		for _, w := range retrieval.Words(t) {
			vocab[w] = true
		}
	}
	var missSoft, missExact, total float64
	for i, w := range weights {
		total += w
		if best[i] == 1 || nearTypo(words[i], vocab) || acronymOf(words[i], texts) {
			continue
		}
		missExact += w
		if best[i] < below {
			missSoft += w
		}
	}
	if total == 0 {
		return 1, 1
	}
	return missSoft / total, missExact / total
}

// nearTypo reports whether word is one edit (insertion, deletion,
// substitution or swap) away from a word of vocab; short words are not
// matched this loosely.
func nearTypo(word string, vocab map[string]bool) bool {
	if len(word) < typoMinLetters {
		return false
	}
	for v := range vocab {
		if len(v) >= typoMinLetters && oneEdit(word, v) {
			return true
		}
	}
	return false
}

func oneEdit(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// acronymOf reports whether word (3 or more letters) spells the initials of
// a run of capitalised words in one of texts, allowing one trailing letter
// more or less ("irgc" for "Iran’s Revolutionary Guards").
func acronymOf(word string, texts []string) bool {
	if len(word) < acronymMinLetters || len(word) > acronymMaxLetters {
		return false
	}
	for _, t := range texts {
		var initials []byte
		flush := func() bool {
			s := strings.ToLower(string(initials))
			initials = initials[:0]
			return len(s) >= 3 && (strings.Contains(s, word) || (len(word) > 3 && strings.Contains(s, word[:len(word)-1])))
		}
		for _, tok := range strings.Fields(t) {
			tok = strings.TrimLeft(tok, "“\"‘'(")
			r, _ := utf8.DecodeRuneInString(tok)
			switch {
			case unicode.IsUpper(r):
				initials = append(initials, byte(unicode.ToLower(r)))
			case tok == "of" || tok == "for" || tok == "and" || tok == "the":
				// function words inside a name ("Endowment for Peace")
			default:
				if flush() {
					return true
				}
			}
		}
		if flush() {
			return true
		}
	}
	return false
}

// asksForMissingName reports whether q asks for a name (of a person, group,
// place) that the best-matching sentences do not give: the story mentions
// "an anti-Iranian militant group" but never names it.
func asksForMissingName(q question, cands []candidate) bool {
	a := q.nameAsk
	if !a.asks {
		return false
	}
	// A sentence that names the kind of thing asked for ("a hotel on the
	// Danube") without its name is the story not giving it; sentences that
	// never name the kind may say it in other words ("the daily Ha’aretz"
	// for a newspaper), so they decide nothing.
	if best := bestCandidate(cands); anonymousRe.MatchString(best.text) && !anonymousRe.MatchString(q.text) {
		// The sentence the answer would quote says the story withholds
		// the name: "a senior Israeli who … refused to be identified".
		if _, mentioned := sentenceNames(best.text, a.heads, a.place, q.lower); mentioned {
			return true
		}
	}
	seen := len(a.heads) == 0
	for _, c := range topCandidates(cands, nameAskSentences) {
		named, mentioned := sentenceNames(c.text, a.heads, a.place, q.lower)
		if named || a.place && hasTypedAnswer(typeName, c.text, q.lower) {
			return false
		}
		seen = seen || mentioned
	}
	return seen
}

// anonymousRe finds the words news uses to say it withholds a name.
var anonymousRe = regexp.MustCompile(`(?i)\b(anonymous(ly)?|anonymity|unnamed|unidentified|not (be )?(identified|named)|(refused|declined|asked not) to be (identified|named)|withheld|without being named)\b`)

// focusMissing reports whether the topic a question asks about ("what did
// Parsi say about Syria?") appears nowhere in the top passages, even when
// the rest of the question (Parsi, say) does.
func focusMissing(q question, hits []retrieval.Hit) bool {
	if len(q.focus) == 0 {
		return false // no topic, or "about it back then": the topic is the story's own
	}
	vocab := map[string]bool{}
	var texts []string
	for _, h := range hits {
		texts = append(texts, h.Text)
		for _, w := range retrieval.Words(h.Text) {
			vocab[w] = true
			vocab[english.Stem(w, false)] = true
		}
	}
	for _, w := range q.focus {
		if vocab[w] || vocab[english.Stem(w, false)] || nearTypo(w, vocab) || acronymOf(w, texts) {
			return false
		}
	}
	return true
}

// sentenceNames reports whether sentence gives a proper name that the
// question does not already contain (named): near one of heads (the words
// naming what is asked for), or after a place preposition for a
// where/which-city question; and whether it uses one of heads (mentioned).
func sentenceNames(sentence string, heads []string, place bool, qwords map[string]bool) (named, mentioned bool) {
	toks := strings.Fields(sentence)
	isNew := func(j int) bool {
		w := strings.TrimFunc(toks[j], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(w)
		if w == "" || !unicode.IsUpper(r) || (j == 0 && english.IsStopWord(strings.ToLower(w))) {
			return false
		}
		for _, part := range retrieval.Words(w) {
			if qwords[part] || qwords[strings.TrimSuffix(part, "s")] || english.IsStopWord(part) {
				return false
			}
		}
		return true
	}
	// A name that is the object of a preposition ("nationals held in
	// Tehran's Evin prison", "a book by Trita Parsi") names that object,
	// not the noun asked about.
	inPhrase := make([]bool, len(toks))
	for j := 1; j < len(toks); j++ {
		if strings.ContainsAny(toks[j-1], ",;:.") {
			continue // a clause or sentence ends the phrase
		}
		prev := strings.ToLower(strings.TrimFunc(toks[j-1], func(r rune) bool { return !unicode.IsLetter(r) }))
		r, _ := utf8.DecodeRuneInString(toks[j])
		inPhrase[j] = unicode.IsUpper(r) && (namePrepositions[prev] || inPhrase[j-1])
	}
	for i, tok := range toks {
		word := strings.ToLower(strings.TrimFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }))
		if place && (word == "in" || word == "at" || word == "near" || word == "outside") {
			if i+1 < len(toks) && isNew(i+1) {
				return true, mentioned
			}
		}
		for _, h := range heads {
			// The same noun in any form: "facilities" names a "facility".
			if word != h && english.Stem(word, false) != english.Stem(h, false) {
				continue
			}
			mentioned = true
			for j := max(0, i-nameWindow); j <= min(len(toks)-1, i+nameWindow); j++ {
				if j != i && !inPhrase[j] && !demonymBefore(toks, j) && isNew(j) {
					return true, true
				}
			}
		}
	}
	return false, mentioned
}

// demonymBefore reports whether toks[j] is the adjective of a people,
// place or faith before a noun ("two American aid workers"): it says whose
// they are, it does not name them.
func demonymBefore(toks []string, j int) bool {
	if j+1 >= len(toks) || strings.ContainsAny(toks[j], ",;:.”’\"") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(toks[j+1])
	return unicode.IsLower(r) && wordnet.ProperAdjective(strings.ToLower(strings.Trim(toks[j], "“‘(")))
}

// namePrepositions lead the phrases whose proper names are their own
// objects, places and makers, rather than the name of a noun before them.
var namePrepositions = map[string]bool{"in": true, "at": true, "from": true, "near": true, "to": true, "into": true,
	"by": true, "across": true, "outside": true, "inside": true, "throughout": true, "within": true}

func topCandidates(cands []candidate, n int) []candidate {
	s := append([]candidate(nil), cands...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].score > s[j].score })
	return s[:min(n, len(s))]
}

// extractiveAnswer is the text and citations of an answer picked from the
// story's own sentences.
type extractiveAnswer struct {
	text      string
	citations []Citation
}

// extractive answers from the retrieved passages alone: it picks the
// sentences that best answer the question, quotes them verbatim with their
// speakers and paragraphs, and adds the dispute of a contested claim.
func (e *Engine) extractive(t *turn) extractiveAnswer {
	whoSaid := e.shapes("who-said", t)
	contested := e.shapes("contested", t)
	ranked := topCandidates(t.cands, len(t.cands))
	if len(ranked) == 0 {
		return extractiveAnswer{text: refusalText(refuseNotInText, "")}
	}
	if e.shapes("title", t) {
		// The sentence that gives a title leads.
		if i := slices.IndexFunc(ranked, func(c candidate) bool { return titleIn(c.text) != "" }); i > 0 {
			c := ranked[i]
			ranked = slices.Insert(slices.Delete(ranked, i, i+1), 0, c)
		}
	}
	best := ranked[0]
	picked := []candidate{best}
	most := answerSentences
	if e.shapes("multi-part", t) {
		most = multiPartSentences
	}
	for _, c := range ranked[1:] {
		if len(picked) == most || c.score < sentenceMix.near*best.score {
			break
		}
		if slices.ContainsFunc(picked, func(p candidate) bool { return sameQuotation(p, c) }) {
			continue // another sentence of a quotation already quoted whole
		}
		picked = append(picked, c)
	}
	var dispute *candidate
	if contested {
		for i, c := range ranked {
			if c.score < sentenceMix.dispute*best.score {
				break
			}
			if disputeRe.MatchString(c.text) && !containsCand(picked, c) {
				dispute = &ranked[i]
				break
			}
		}
		if dispute != nil {
			picked = append(picked, *dispute)
		}
	}
	if !whoSaid && len(picked) > 1 {
		// The best sentence leads; the others follow in reading order.
		rest := picked[1:]
		sort.SliceStable(rest, func(i, j int) bool {
			a, b := rest[i], rest[j]
			if a.hit.Story != b.hit.Story {
				return a.rank < b.rank
			}
			if a.hit.Paragraph != b.hit.Paragraph {
				return a.hit.Paragraph < b.hit.Paragraph
			}
			return a.start < b.start
		})
	}

	var cites []Citation
	for i, c := range picked {
		cites = append(cites, citationFor(i+1, c, t.m))
	}
	// "More than one side" only when the sides have different voices: a
	// dispute sentence by the same speaker as the claim is not a second side.
	twoSides := dispute != nil && distinctSpeakers(cites) >= 2
	return extractiveAnswer{text: render(whoSaid, twoSides, picked, cites), citations: cites}
}

// distinctSpeakers counts the different voices of cites; the story's own
// (no speaker) counts as one.
func distinctSpeakers(cites []Citation) int {
	seen := map[string]bool{}
	for _, c := range cites {
		seen[c.Speaker] = true
	}
	return len(seen)
}

func containsCand(cs []candidate, c candidate) bool {
	for _, x := range cs {
		if x.hit.ID == c.hit.ID && x.start == c.start {
			return true
		}
	}
	return false
}

// speakersNamedIn returns the speakers of the retrieved passages whom the
// question names: by a word of their name ("Sadjepour"), or by a word of
// their role or description that only their own passage has ("the carnegie
// guy"). Words that other passages share do not name anyone: "Iran" does
// not name "some Iran experts", "Bush" does not name Karl Rove, "Bush’s
// senior political adviser", nor "Washington" Sadjepour "of the Carnegie
// Endowment for Peace in Washington".
func speakersNamedIn(q question, hits []retrieval.Hit) map[string]bool {
	qwords := q.wordSet
	passageWords := make([]map[string]bool, len(hits))
	for i, h := range hits {
		passageWords[i] = map[string]bool{}
		for _, w := range retrieval.Words(h.Text) {
			passageWords[i][w] = true
		}
	}
	onlyIn := func(w string, own int) bool {
		for i, pw := range passageWords {
			if i != own && pw[w] {
				return false
			}
		}
		return true
	}
	out := map[string]bool{}
	for i, h := range hits {
		for _, qt := range h.Quotes {
			if qt.Speaker == "" || out[qt.Speaker] {
				continue
			}
			name := isPersonName(qt.Speaker)
			who := qt.Speaker + " " + qt.Role
			for _, w := range retrieval.Words(who) {
				if len(w) < speakerWordMinLetters || !qwords[w] || !capitalIn(who, w) {
					continue
				}
				inName := name && slices.Contains(retrieval.Words(qt.Speaker), w)
				if inName || onlyIn(w, i) {
					out[qt.Speaker] = true
					break
				}
			}
		}
	}
	return out
}

// isPersonName reports whether s reads as a person's name ("Karim
// Sadjepour", "Zeev Schiff") rather than a description ("some Iran
// experts", "Critics of the administration"): every word capitalised.
func isPersonName(s string) bool {
	for _, f := range strings.Fields(s) {
		if r, _ := utf8.DecodeRuneInString(f); !unicode.IsUpper(r) {
			return false
		}
	}
	return s != ""
}

// capitalIn reports whether word is capitalised where s writes it, to
// tell names ("Carnegie") from common words ("senior").
func capitalIn(s, word string) bool {
	i := strings.Index(strings.ToLower(s), word)
	return i >= 0 && unicode.IsUpper(text.FirstRune(s[i:]))
}

// citationFor cites a picked sentence: its direct quotation with the
// speaker when it holds one, else the sentence itself, attributed to whoever
// the story says makes the claim (or to no one, for narration).
func citationFor(n int, c candidate, m *retrieval.Matcher) Citation {
	cite := Citation{
		N: n, PassageID: c.hit.ID, Story: c.hit.Title, Publication: c.hit.Publication,
		Paragraph: c.hit.Paragraph, Quote: c.text,
	}
	var direct []retrieval.Quote
	for _, q := range c.quotes {
		if q.Direct && !q.Fragment {
			direct = append(direct, q)
		}
	}
	switch {
	case len(direct) == 1:
		cite.Quote, cite.Speaker, cite.Role = direct[0].Text, direct[0].Speaker, direct[0].Role
	case len(direct) > 1:
		cite.Speaker, cite.Role = direct[0].Speaker, direct[0].Role
	default:
		// A sentence may hold several claims ("Cifrino said he was not
		// available, but noted he had said …"): credit the one whose words
		// answer the question.
		best := -1.0
		for _, q := range c.quotes {
			if q.Speaker == "" {
				continue
			}
			if s := m.Score(q.Text); s > best {
				best = s
				cite.Speaker, cite.Role = q.Speaker, q.Role
			}
		}
	}
	return cite
}
