//go:build unix

package retrieval_test

import (
	"path/filepath"
	"syscall"
	"testing"
)

// addFIFO puts a named pipe among the stories: reading it would block the
// index forever.
func addFIFO(t *testing.T, dir string, bad map[string]string) {
	t.Helper()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Logf("no named pipe: %v", err)
		return
	}
	bad["pipe.txt"] = "not a regular file"
}
