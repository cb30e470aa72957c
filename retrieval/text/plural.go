package text

// Plural returns one when n is 1, else many: "1 story", "2 stories".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
