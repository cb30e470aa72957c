package retrieval

import "strings"

// foldReplacer maps typographic variants to one form: curly and straight
// quotation marks and apostrophes compare equal.
var foldReplacer = strings.NewReplacer(
	"“", `"`, "”", `"`, "„", `"`, "‟", `"`, "″", `"`,
	"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'", "ʼ", "'",
	"\u00a0", " ",
)

// Fold normalises text for verbatim comparison: white space collapsed to
// single spaces and quotation marks made straight. Case is kept: a quote
// that changes case is not verbatim.
func Fold(s string) string {
	return strings.Join(strings.Fields(foldReplacer.Replace(s)), " ")
}

// ContainsFolded reports whether needle occurs in haystack once both are
// folded.
func ContainsFolded(haystack, needle string) bool {
	return strings.Contains(Fold(haystack), Fold(needle))
}
