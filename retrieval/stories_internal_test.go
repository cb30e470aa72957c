package retrieval

import "testing"

// TestNewStoryIndexInterleaved builds the story index from passages whose
// stories interleave, as a damaged index file can yield; it used to panic
// when growing the slice of builders copied one already written.
func TestNewStoryIndexInterleaved(t *testing.T) {
	var ps []Passage
	for _, story := range []string{"a", "b", "c", "a", "d", "e", "b", "a"} {
		ps = append(ps, Passage{Story: story, Text: "words of story " + story})
	}
	si := newStoryIndex(ps)
	if si == nil {
		t.Fatal("newStoryIndex returned nil for five stories")
	}
	if got, want := si.of[7], si.of[0]; got != want {
		t.Errorf("passage 8 is in story %d, want %d (story a)", got, want)
	}
}
