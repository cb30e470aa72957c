package retrieval

import "testing"

func TestAcronymTable(t *testing.T) {
	tab := newAcronymTable([]string{
		"Officers of Iran’s Revolutionary Guards said so. The National Science Foundation grew.",
		"He met the Secretary of State, then left. In May, nothing.",
	})
	for _, c := range []struct {
		initials, want string
	}{
		{"irg", "Iran’s Revolutionary Guards"},
		{"nsf", "National Science Foundation"},
		{"ss", "Secretary of State"},
	} {
		if got := tab[c.initials]; got != c.want {
			t.Errorf("%s = %q, want %q", c.initials, got, c.want)
		}
	}
	if got, ok := tab["tn"]; ok {
		t.Errorf("a name ran across a full stop: tn = %q", got)
	}
}
