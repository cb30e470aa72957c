package main

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A story folder that cannot be used is refused with the reason, not only
// "is not a folder".
func TestNewAppDataDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "story.txt")
	if err := os.WriteFile(file, []byte("A story\n\nIts text.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dataDir string
		wantIs  error // nil: no wrapped cause expected
	}{
		{name: "missing folder", dataDir: filepath.Join(dir, "missing"), wantIs: fs.ErrNotExist},
		{name: "a file, not a folder", dataDir: file},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config{DataDir: tt.dataDir, IndexDir: t.TempDir()}
			_, err := newApp(cfg, slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), "is not a folder") {
				t.Fatalf("err = %v, want one saying the folder is not one", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantIs)
			}
		})
	}
}
