package bot

import (
	"regexp"
	"strings"
)

// Refusal reasons.
const (
	refuseInjection = "injection"
	refuseChrome    = "chrome"
	refuseOffTopic  = "off-topic"
	refuseNotInText = "not-in-story"
	refuseEmpty     = "empty"
	refuseTooLong   = "too-long"
)

// injectionRe catches attempts to override the rules or to have quotes
// invented: the bot quotes the story, nothing else.
var injectionRe = regexp.MustCompile(`(?i)` +
	`\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules?|prompts?|guidelines|everything)\b|` +
	`\byou are (now|no longer)\b|\bact as\b|\bpretend\b|\brole-?play\b|\bjailbreak|\bdeveloper mode\b|\bsystem prompt\b|` +
	// Making things up is asked for with what is to be made up: "make up"
	// and "invent" alone are everyday English ("the units that make up the
	// school", "who invented the engine").
	`\b(make|made|making|invent|invents|invented|inventing|fabricate|fabricated|fake|forge|forged) (up )?(me )?(a |an |some |the )?(fake |new |fictional )?(quotes?|quotations?|statements?|words|answers?|sources?|citations?|something|stuff|things)\b|` +
	`\b(make|made|making) (it|them) sound\b|` +
	`\bno disclaimers?\b|\bwithout (any )?(disclaimers?|caveats?)\b|` +
	`\b(doesn'?t|does not|don'?t|do not) (matter|care)\b.{0,40}\b(real|true|exact|actually|there|in (it|there|the))|` +
	`\b(not|isn'?t) (exactly |really |actually )?(in|from) (the|this) (article|story|text)\b.{0,20}$|` +
	`\bwrite (me )?(a|some|an?) (fake |fictional |new )?quotes?\b|` +
	`\b(your|ur|you'?re) own (knowledge|opinion|views?|words|memory|training)\b|` +
	`^\W*(system|admin|developer|assistant|operator)\s*:|` +
	`\b(refusals?|safety|filters?|guardrails?|restrictions?|rules?)( mode)? (is |are )?(now )?(off|disabled|deactivated|removed|lifted|suspended)\b|` +
	`\bjust say (that )?(the )?(story|article|text) (confirms|says|agrees|backs)\b|` +
	`\b(output|print|generate|produce|create|type|compose) (me )?(a |an |the )?(direct |exact |verbatim |fake |new )?quotes? (of|from|by) [\w’'.-]+( [\w’'.-]+)? saying\b`)

// personalRe finds a message about the asker's own life, in the grammar
// English uses for it: first-person possessives ("my phone", "our team"),
// "I" or "we" as the subject of a verb of need or intent ("should I", "I
// need", "I'm"), and the chat's own people ("anyone", "everyone"). A
// question about a story speaks of its people in the third person.
var personalRe = regexp.MustCompile(`(?i)\b(my|our|ours|mine|myself|ourselves)\b|` +
	`\b(should|do|can|could|would|will|shall|am|did|have|must|may|might) (i|we)\b|` +
	`\b(i|we)( really| just| still)? (need|want|have|had|got|gotta|should|can|could|will|would|am|did|do|don'?t|dont|feel|think|wanna|keep|just|cant|can'?t)\b|` +
	`\bi['’]m\b|\bim\b|\bwe['’]re\b|\b(anyone|anybody|everyone|everybody|someone|somebody|y'?all|guys)\b`)

// chatMentionRe finds Discord's @everyone and @here, which a message may
// carry (defused with a zero-width space) without speaking of anyone.
var chatMentionRe = regexp.MustCompile(`@\x{200b}?(everyone|here)\b`)

// isPersonal reports whether q speaks of the asker's own life.
func isPersonal(q string) bool { return personalRe.MatchString(chatMentionRe.ReplaceAllString(q, "")) }

// chromeRe catches questions about the web page around the story (its
// republishing terms, the site, the browser), which is not the story.
var chromeRe = regexp.MustCompile(`(?i)` +
	`\b(re-?post|re-?publish|re-?print|syndicat\w*|copy (the )?html|reuse|license|licence|creative commons|attribution rules|copyright)\b|` +
	`\b(internet explorer|browsers?|firefox|safari|edge browser|chrome browser|javascript|cookies?|paywall|newsletter|subscri\w+|log ?in|sign ?up)\b|` +
	`\b(web ?site|this site|the site|web ?page|this page|page (looks|is) broken|the page)\b`)

// refusalText is the short, quote-free reply for each reason. closest, when
// not empty, points to what the story does cover.
func refusalText(reason, closest string) string {
	var b strings.Builder
	switch reason {
	case refuseInjection:
		b.WriteString("I can only quote what the story actually says, word for word; I can’t invent quotations or set my rules aside.")
	case refuseChrome:
		b.WriteString("That’s about the web page the story was published on (its republishing terms, the site or the browser), not the story itself, so I can’t answer it from the story.")
	case refuseOffTopic:
		b.WriteString("That’s outside the story I know about, so I can’t answer it.")
	case refuseEmpty:
		// closest is an example built from the loaded stories (Engine.exampleHint).
		b.WriteString("Ask me a question about the story.")
	default:
		b.WriteString("The story doesn’t say.")
	}
	if closest != "" {
		b.WriteString(" ")
		b.WriteString(closest)
	}
	return b.String()
}
