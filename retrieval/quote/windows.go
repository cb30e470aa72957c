package quote

// The scan windows and limits of the attribution heuristics, in tokens
// unless they say otherwise. Each bounds how far a rule looks from where it
// stands. They are hand-set; the gold tables in testdata and the
// attribution stories in cmd/storybot/testdata/attribution are what they
// are checked against, and changing one changes which sentences are
// attributed.
const (
	// orgScanBack is how many tokens before a name npBefore looks for the "of"
	// or "at" that ties a person to an organisation ("Karim Sadjepour of the
	// Carnegie Endowment for Peace").
	orgScanBack = 10

	// maxRoleTokens is the longest appositive role, in tokens, that
	// appositiveChain accepts ("Peggy Cifrino, a Powell aide, said"); a longer
	// lower-case segment is a clause, not a role.
	maxRoleTokens = 30

	// maxRoleBeforeTokens is the longest appositive, in tokens, that
	// appositiveBefore reads as a role set before a name ("Powell’s deputy,
	// Richard Armitage,").
	maxRoleBeforeTokens = 8

	// objectScan is how many tokens after "told" (or a preposition, or "quoted
	// Y as") claimAfterObject reads for the "that" that opens the claim.
	objectScan = 12

	// calledIntoQuestionBy is where passive reads the "by" of "was called
	// into question by Y": three tokens after "called".
	calledIntoQuestionBy = 3

	// minBareClauseWords is the shortest run of words after "said", "says"
	// or "saying" that bareClause takes for a clause ("said the attack killed
	// 12").
	minBareClauseWords = 3

	// messageToScan is how far back from a participle messageCue looks for
	// the "to" of "a letter to the board saying".
	messageToScan = 6

	// messageDeterminerScan is how far back from a message noun messageCue
	// looks for its determiner ("an e-mail").
	messageDeterminerScan = 4

	// sendVerbScan is how far back from that determiner messageCue looks for
	// a verb of sending ("sent Wilkerson an e-mail").
	sendVerbScan = 6

	// maxTitleWords is the most words of title titledNameAt takes before a
	// name ("the public defender Siobhan Kealoha-Burke"); more is a role.
	maxTitleWords = 4

	// maxLowerTitleWords is the most lower-case words of title
	// lowerTitledName reads before a name ("board member Tamsin Greaves").
	maxLowerTitleWords = 3

	// headScanBack is how far back from a name headBeforeName walks over a
	// capitalised run to the preposition that takes it ("embassy in
	// Washington").
	headScanBack = 8

	// maxHeadOffset is the most tokens between the start of its segment and
	// the head noun that headBeforeName accepts ("Karvenia’s embassy in …").
	maxHeadOffset = 3

	// maxFragmentWords: a quotation of at most this many words, set inside a
	// sentence away from its attribution, is a Fragment ("the “intriguing”
	// proposal").
	maxFragmentWords = 4

	// namedSubjectScan is how far into a sentence noteSubject looks for a name
	// set after the first comma ("Asked whether …, Vantongeren paused.").
	namedSubjectScan = 25

	// bareClauseScan is how far after its first word bareClause looks for a
	// finite verb ("said the House was still several votes short").
	bareClauseScan = 14

	// identityScanBack is how far back from "was" scanNames looks for the
	// "the" of "the analyst was Zeev Schiff".
	identityScanBack = 6

	// maxAsideTokens is how far a bracketed aside inside a name may reach on
	// either side ("Lt. Gen. (ret.) Raghav Menon-Iyer").
	maxAsideTokens = 4

	// maxRoleBeforeName is the longest role, in tokens up to its comma, that
	// roleBefore reads before a name ("Halvard’s chief executive,").
	maxRoleBeforeName = 6

	// maxRoleGapBytes is how many bytes after a name nameParty lets pass
	// (", " and the like) before the role roleAround found for it.
	maxRoleGapBytes = 3
)
