package quote

import (
	"strings"
	"unicode/utf8"
)

// OrganisationName reports whether a speaker's name, as Quote.Speaker gives
// it, names an organisation or a place rather than a person: its last word
// ends such names ("European Union", "Carnegie Endowment", "Reuters") or it
// is an acronym ("NATO").
func OrganisationName(name string) bool {
	words := strings.Fields(name)
	if len(words) == 0 {
		return false
	}
	last := strings.TrimSuffix(strings.TrimSuffix(words[len(words)-1], "’s"), "'s")
	last = strings.TrimSuffix(last, ".")
	return orgWords[last] || allCapsWord(last) && utf8.RuneCountInString(last) > 1
}
