package quote

// The word lists of the attribution heuristics. Every list is hand-written,
// not taken from a lexical resource: each started with the commit named
// under it and has grown as new stories in testdata showed a style the
// rules missed (`git log -S <name>` gives a list's history). Commit eba9da1
// is the first attribution code, written against the gold tables for the
// default story (testdata/quotes_gold.json) and ohio-lead-pipes. The lists
// are matched against lower-case words unless they are written capitalised.

import (
	"strings"

	"github.com/storybot/storybot/retrieval/text"
)

// nameParticles are the lower-case particles that may stand inside a name
// before a capitalised word ("Osama bin Laden", "Ursula von der Leyen").
//
// From: commit eba9da1.
var nameParticles = text.WordSet("bin", "ibn", "al", "el", "de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du", "dos", "das")

// relativeCopulas are the words between "who" and a role: "who was the …".
//
// From: commit eba9da1.
var relativeCopulas = text.WordSet("is", "was", "has", "had", "been", "served", "serves", "as", "then", "now", "also", "once")

// appositiveOpeners start a noun phrase that describes the name beside it.
//
// From: commit eba9da1.
var appositiveOpeners = text.WordSet("a", "an", "the", "former", "ex", "then", "now", "longtime", "veteran", "acting", "senior", "chief", "deputy", "its", "his", "her", "their")

// The verb classes of speechVerbs.
const (
	vSay      = 1 + iota // said, contends, maintains …: a clause or "that" follows
	vTell                // told, informed: an object, then "that"
	vQuoteAs             // quotes, quoted: "X quotes Y as saying"
	vDescribe            // describes: "what X describes as …"
	vName                // called, dubbed: "called the fines “a poison pill”"
)

// speechVerbs are the verbs of saying, each with its class (vSay …
// vName), which decides what may follow it.
//
// From: commit eba9da1.
var speechVerbs = func() map[string]int {
	m := map[string]int{}
	for _, w := range strings.Fields(`said says added adds noted notes stressed stresses contended contends
		maintained maintains claimed claims argued argues insisted insists acknowledged acknowledges
		admitted admits explained explains recalled recalls stated states asserted asserts warned warns
		predicted predicts suggested suggests declared declares believes believed conceded concedes
		concluded concludes observed observes emphasized emphasizes emphasised emphasises mentioned
		mentions announced announces confirmed confirms denied denies replied replies responded responds
		testified testifies alleged alleges complained complains speculated speculates wrote writes
		asked asks countered counters agreed disputed disputes disclosed discloses revealed
		reveals recounted recounts remarked remarks answered answers reported reports cautioned cautions
		saying adding noting stressing contending maintaining claiming arguing insisting acknowledging
		admitting explaining recalling stating asserting warning predicting suggesting declaring
		conceding concluding observing emphasizing mentioning announcing confirming denying replying
		responding testifying alleging complaining writing asking countering disputing
		disclosing revealing cautioning`) {
		m[w] = vSay
	}
	for _, w := range strings.Fields(`told tells telling informed informs informing assured assures assuring reminded reminds reminding`) {
		m[w] = vTell
	}
	for _, w := range strings.Fields(`quotes quoted quoting cites cited citing`) {
		m[w] = vQuoteAs
	}
	for _, w := range strings.Fields(`describes described describing characterizes characterized characterizing`) {
		m[w] = vDescribe
	}
	for _, w := range strings.Fields(`called calls calling dubbed dubs termed terms labeled labelled labels`) {
		m[w] = vName
	}
	return m
}()

// disputeVerbs take "by" in the passive: "was disputed by a senior Israeli".
//
// From: commit eba9da1.
var disputeVerbs = text.WordSet("disputed", "questioned", "challenged", "contradicted", "denied", "rejected", "rebutted", "contested", "doubted")

// passiveAux are the auxiliaries of the passive: "was disputed by", and a
// verb of saying after one is no attribution ("was told").
//
// From: commit eba9da1.
var passiveAux = text.WordSet("was", "were", "is", "are", "been", "being", "be")

// adverbs may stand between a subject and its verb, or a verb and "that".
//
// From: commit eba9da1.
var adverbs = text.WordSet("has", "have", "had", "would", "will", "also", "recently", "later", "previously",
	"once", "then", "often", "repeatedly", "himself", "herself", "themselves", "publicly", "privately",
	"earlier", "further", "again", "just", "long", "already", "still", "even", "never", "not", "did",
	"does", "do", "reportedly", "separately", "could", "may", "might", "must", "should", "can",
	"first", "flatly", "openly", "always", "now", "subsequently", "initially", "yesterday", "today")

// namingParticles after "called" make a phrasal verb, not a naming:
// "called for", "called on".
//
// From: commit eba9da1.
var namingParticles = text.WordSet("for", "on", "off", "up", "in", "into", "back", "out", "upon", "it", "a", "an", "to")

// participleLeads may open a sentence before a participle: "While
// acknowledging that …".
//
// From: commit eba9da1.
var participleLeads = text.WordSet("while", "after", "before", "despite", "by", "when", "without", "in", "though", "although")

// determiners open a noun phrase.
//
// From: commit eba9da1.
var determiners = text.WordSet("a", "an", "the", "some", "several", "many", "most", "other", "another",
	"both", "all", "few", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "these", "those", "this", "his", "her", "its", "their", "our", "my", "your", "no", "any",
	"each", "every", "numerous", "various", "certain")

// clauseJoiners open a clause of the writer's own after a comma (", but he
// …"), which ends a claim.
//
// From: commit eba9da1.
var clauseJoiners = text.WordSet("but", "and", "although", "though", "while", "yet", "whereas")

// objectPronouns name the listener after "to" ("told it to reporters"),
// which makes "to" no infinitive.
//
// From: commit eba9da1.
var objectPronouns = text.WordSet("him", "her", "them", "me", "us", "reporters", "colleagues")

// bareClauseVerbs take a reported clause without "that": "said he was",
// "acknowledged he had". Other verbs of saying take an object ("wrote the
// bill", "denied the report") unless "that" follows.
//
// From: commit eba9da1.
var bareClauseVerbs = text.WordSet("said", "says", "saying", "added", "adds", "adding", "acknowledged",
	"acknowledges", "acknowledging", "admitted", "admits", "argued", "argues", "arguing", "believes",
	"believed", "claimed", "claims", "claiming", "contended", "contends", "insisted", "insists",
	"insisting", "maintained", "maintains", "conceded", "concedes", "predicted", "predicts",
	"suggested", "suggests", "noted", "notes", "noting", "stressed", "stresses", "stressing",
	"warned", "warns", "warning", "recalled", "recalls", "asserted", "asserts", "told", "tells")

// whWords open an indirect question, which reports no claim: "said how many".
//
// From: commit eba9da1.
var whWords = text.WordSet("how", "whether", "what", "why", "when", "where", "who", "which", "if")

// finiteVerbs mark a clause: auxiliaries and forms of "be" and "have".
//
// From: commit eba9da1.
var finiteVerbs = text.WordSet("is", "are", "was", "were", "has", "have", "had", "will", "would", "could",
	"should", "can", "may", "might", "must", "did", "does", "do", "shall")

// prepositions open an adjunct between a verb of saying and its claim ("said
// on Monday that …").
//
// From: commit eba9da1.
var prepositions = text.WordSet("at", "in", "on", "to", "during", "after", "before", "last", "this", "from",
	"via", "through", "by", "with", "over", "for", "about", "under", "earlier", "late", "early", "when")

// subjectPronouns stand as the subject of a verb of saying, resolved to a
// speaker later.
//
// From: commit eba9da1.
var subjectPronouns = text.WordSet("he", "she", "they", "we", "i")

// descStops end the head of a description ("officials familiar with …",
// "a diplomat who …").
//
// From: commit eba9da1.
var descStops = text.WordSet("who", "that", "which", "of", "familiar", "with", "from", "at", "in", "on", "for", "close", "involved", "to", "whose", "briefed")

// descNouns are plural nouns for people that open a sentence as its
// subject, capitalised there but no name: "Officials said".
//
// From: commit eba9da1.
var descNouns = text.WordSet("officials", "critics", "experts", "analysts", "diplomats", "sources", "aides",
	"people", "residents", "witnesses", "observers", "police", "investigators", "prosecutors",
	"lawmakers", "scientists", "researchers", "others", "supporters", "opponents", "activists",
	"economists", "historians", "scholars", "advocates", "leaders", "organizers", "officers",
	"doctors", "teachers", "parents", "students", "workers", "voters", "members", "authorities")

// functionWords cannot end a noun phrase that is a verb's subject.
//
// From: commit eba9da1.
var functionWords = text.WordSet("of", "to", "for", "in", "on", "at", "with", "by", "from", "and", "or", "as",
	"than", "the", "a", "an", "that", "which", "whose", "into", "about", "over", "under", "but", "if",
	"because", "so", "not", "no", "be", "been", "being", "is", "was", "were", "are", "it", "its", "this")

// orgConnectors join the words of an organisation's name: "Carnegie
// Endowment for Peace", "University of California".
//
// From: commit eba9da1.
var orgConnectors = text.WordSet("of", "for", "the", "and", "on", "at", "de", "in")

// negations before a verb of saying mean nothing was said: "has not said
// whether", "declined to say".
//
// From: commit eba9da1.
var negations = text.WordSet("not", "never", "didn’t", "didn't", "hasn’t", "hasn't", "haven’t", "haven't", "won’t", "won't", "wouldn’t", "wouldn't", "doesn’t", "doesn't", "don’t", "don't", "declined", "refused")

// interjections may be set in commas between a subject and its verb:
// "Parsi, however, writes".
//
// From: commit eba9da1.
var interjections = text.WordSet("however", "meanwhile", "too", "though", "also", "instead", "nonetheless", "nevertheless", "meantime")

// prepositionOfHead join a lower-case head noun to the name it holds:
// "embassy in Washington", "spokesman for India’s Ministry".
//
// From: commit 6613000.
var prepositionOfHead = text.WordSet("in", "of", "for", "at")

// objectPrepositions take a name as their object, which is then no one's
// subject: "an aide to Gov. Walter Brennick says".
//
// From: commit 094dcda.
var objectPrepositions = text.WordSet("to", "by", "with", "about", "against", "toward", "towards", "under", "between", "among", "than")

// titleSmallWords may stand lower-case inside the title of a work in
// quotation marks ("Treacherous Alliance", "The Art of the Deal").
//
// From: commit eba9da1.
var titleSmallWords = text.WordSet("a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from", "as", "but", "nor")

// titleCues before a quotation mark it as the title of a work, not a
// quotation: "the book “…”", "In “…”".
//
// From: commit eba9da1.
var titleCues = text.WordSet("in", "on", "book", "titled", "entitled", "film", "novel", "memoir", "report", "column", "article", "essay", "song", "album", "show", "series", "play", "movie", "documentary", "op-ed", "headline",
	"program", "programme", "podcast", "broadcast", "episode", "newspaper", "magazine", "newsletter", "website", "blog", "study", "paper")

// capFunctionWords open sentences and phrases capitalised without being
// part of a name.
//
// From: commit eba9da1.
var capFunctionWords = text.WordSet("The", "A", "An", "In", "On", "At", "While", "During", "After", "Before",
	"When", "But", "And", "Or", "Both", "Neither", "Either", "Former", "According", "Then", "Now", "If",
	"As", "For", "With", "Since", "Though", "Although", "Because", "Meanwhile", "However", "Still",
	"Yet", "So", "Last", "Next", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I",
	"His", "Her", "Their", "Its", "Our", "My", "Some", "Many", "Most", "Other", "Such", "All", "One",
	"Every", "Each", "Under", "Over", "By", "From", "To", "Of", "Among", "Despite", "Without", "Unlike",
	"Like", "Even", "Only", "Just", "Also", "Why", "What", "How", "Who", "Where", "Instead", "Earlier",
	"Later", "Today", "Yesterday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday", "Asked", "Speaking", "Unlike", "Until", "Whether", "There", "Here", "Never", "No", "Not",
	"Mr", "Mrs", "Ms", "Dr")

// titleWords are capitalised words of a title before a name.
//
// From: commit eba9da1.
var titleWords = text.WordSet("President", "Vice", "Secretary", "Adviser", "Advisor", "Leader", "Supreme",
	"Minister", "Prime", "Foreign", "Defense", "Defence", "State", "Senator", "Representative",
	"Governor", "Mayor", "Judge", "Justice", "Chief", "Ambassador", "General", "Professor", "Rabbi",
	"Father", "Sheikh", "Ayatollah", "King", "Queen", "Prince", "Princess", "Speaker", "Chairman",
	"Chairwoman", "Chair", "Commissioner", "Director", "Attorney", "Security", "National", "Deputy",
	"Assistant", "Press", "Spokesman", "Spokeswoman", "Commander", "Sir", "Lord", "Dame", "Detective",
	"Officer", "Sheriff", "Councilman", "Councilwoman", "Councilmember", "Assemblyman",
	"Assemblywoman", "Congressman", "Congresswoman", "Lieutenant", "Colonel", "Major", "Captain",
	"Sergeant", "Admiral", "Bishop", "Cardinal", "Pope", "Imam", "Interior", "Homeland", "Treasury",
	"Health", "Energy", "Labor", "Education", "Transportation", "Agriculture", "Commerce", "Finance",
	"Senior", "Executive", "Managing", "Editor", "Superintendent", "Inspector", "Rev", "Reverend",
	"Ambassador-at-Large", "First", "Comptroller", "Treasurer", "Auditor", "Clerk", "Controller",
	"Alderman", "Alderwoman", "Councilor", "Trustee", "Coach", "Sister", "Brother", "Pastor", "Elder",
	"Magistrate", "Marshal", "Constable", "Nurse", "Delegate", "Solicitor", "Registrar", "Prosecutor",
	"Warden", "Chaplain", "Mufti", "Patriarch", "Metropolitan", "Archbishop", "Emir", "Sultan", "Crown", "Lady", "Principal", "Dean", "Provost", "Chancellor", "Premier",
	"Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "Capt", "Adm", "Prof", "Mr", "Mrs", "Ms", "Dr")

// orgWords end the names of organisations and places, not people.
//
// From: commit eba9da1.
var orgWords = text.WordSet("University", "College", "Council", "Ministry", "Department", "Endowment",
	"Institute", "Foundation", "Committee", "Party", "Agency", "Administration", "Guards", "Guard",
	"Republic", "Company", "Association", "Center", "Centre", "Times", "Post", "News", "Journal",
	"Forward", "Newsweek", "Press", "Congress", "Senate", "House", "Court", "Bank", "Fund", "Group",
	"Organization", "Organisation", "Office", "Service", "Commission", "Board", "Authority", "Union",
	"Corporation", "Corp", "Inc", "Ltd", "Co", "LLC", "Network", "Church", "Embassy", "Army", "Navy",
	"Force", "Forces", "Police", "School", "Hospital", "Club", "Society", "League", "Alliance",
	"Coalition", "Front", "Movement", "Project", "Program", "Programme", "Initiative", "Media",
	"Radio", "Television", "Magazine", "Daily", "Herald", "Tribune", "Gazette", "Street", "Avenue",
	"City", "County", "States", "Nations", "Kingdom", "Gulf", "East", "West", "North", "South", "Sea",
	"River", "Valley", "Bay", "Island", "Islands", "Mountains", "Strait", "Ocean", "Airport", "Station",
	"Park", "Square", "Hall", "Museum", "Library", "Region", "Province", "District", "Territory",
	"Accord", "Accords", "Act", "Treaty", "Plan", "Conference", "Summit", "Talks", "Reuters", "Post-Dispatch")

// messageNouns are what a person sends that carries their words.
//
// From: commit e87a0f1.
var messageNouns = text.WordSet("letter", "letters", "e-mail", "e-mails", "email", "emails", "memo", "memos",
	"memorandum", "note", "notes", "message", "messages", "text", "texts", "cable", "telegram", "fax")

// sendVerbs send a message.
//
// From: commit e87a0f1.
var sendVerbs = text.WordSet("sent", "sends", "wrote", "writes", "e-mailed", "emailed", "mailed", "faxed", "texted", "forwarded")
