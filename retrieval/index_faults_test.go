package retrieval_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/storybot/storybot/internal/testlog"
	"github.com/storybot/storybot/retrieval"
)

func openLogged(t *testing.T, dir string, e retrieval.Embedder) (*retrieval.Index, *testlog.Buffer) {
	t.Helper()
	var logs testlog.Buffer
	ix, err := retrieval.Open(retrieval.Options{Dir: dir, Embedder: e, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return ix, &logs
}

// failAfter lets n bytes through, then fails every write as a full disk does.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, syscall.ENOSPC
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	tmps, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
	return tmps
}

// A full disk while saving: the update still serves (from memory), the
// file on disk is still the last good index, byte for byte, and nothing
// half-written is left.
func TestIndexFullDiskKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	ps := retrieval.Passages(defaultStory(t))
	mustUpdate(t, mustOpen(t, dir, retrieval.NewLocalEmbedder()), ps)
	good, err := os.ReadFile(filepath.Join(dir, "storybot-index.gob"))
	if err != nil {
		t.Fatal(err)
	}

	for _, n := range []int{0, 1, 4096, len(good) / 2, len(good) - 1000} { // the new index is a little smaller than the old
		ix, logs := openLogged(t, dir, retrieval.NewLocalEmbedder())
		retrieval.SetWriteWrapper(ix, func(w io.Writer) io.Writer { return &failAfter{w: w, n: n} })
		s := defaultStory(t)
		s.Paragraphs[0] = "A changed first paragraph, to be saved when the disk is full."
		if _, err := ix.Update(context.Background(), retrieval.Passages(s)); err != nil {
			t.Fatalf("full disk after %d bytes: update failed: %v", n, err)
		}
		if p, _ := ix.Passage("forward-iran-outreach#p1"); p.Text != s.Paragraphs[0] {
			t.Errorf("full disk after %d bytes: the new index is not serving from memory", n)
		}
		if !strings.Contains(logs.String(), "index not saved; serving from memory") || !strings.Contains(logs.String(), "no space left") {
			t.Errorf("full disk after %d bytes: log lacks the warning:\n%s", n, logs.String())
		}
		now, _ := os.ReadFile(filepath.Join(dir, "storybot-index.gob"))
		if !bytes.Equal(now, good) {
			t.Errorf("full disk after %d bytes: the index file changed", n)
		}
		if tmps := tempFiles(t, dir); len(tmps) != 0 {
			t.Errorf("full disk after %d bytes: left %v", n, tmps)
		}
	}
	if got := len(mustOpen(t, dir, retrieval.NewLocalEmbedder()).Passages()); got != len(ps) {
		t.Errorf("the last good index reloads %d passages", got)
	}
}

// A truncated, empty or garbage index file is never served in part: the
// index loads whole or not at all, and then it is rebuilt with a log line.
func TestIndexDamagedFileRebuilds(t *testing.T) {
	dir := t.TempDir()
	ps := retrieval.Passages(defaultStory(t))
	mustUpdate(t, mustOpen(t, dir, retrieval.NewLocalEmbedder()), ps)
	path := filepath.Join(dir, "storybot-index.gob")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{"empty": {}, "one byte": good[:1], "garbage": bytes.Repeat([]byte{0xA5}, 5000)}
	for i := 1; i < 16; i++ {
		cases["truncated at "+itoa(i)+"/16"] = good[:len(good)*i/16]
	}
	flipped := bytes.Clone(good)
	for i := len(flipped) / 3; i < len(flipped)/3+64; i++ {
		flipped[i] ^= 0xFF
	}
	cases["bytes flipped"] = flipped
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			ix, logs := openLogged(t, dir, retrieval.NewLocalEmbedder())
			if n := len(ix.Passages()); n != 0 && n != len(ps) {
				t.Fatalf("a damaged index served %d of %d passages", n, len(ps))
			}
			if len(ix.Passages()) == 0 && !strings.Contains(logs.String(), "it will be rebuilt") {
				t.Errorf("no log line for the damaged index:\n%s", logs.String())
			}
			if _, err := ix.Update(context.Background(), ps); err != nil || len(ix.Passages()) != len(ps) {
				t.Fatalf("rebuild: %v", err)
			}
			if n := len(mustOpen(t, dir, retrieval.NewLocalEmbedder()).Passages()); n != len(ps) {
				t.Errorf("the rebuilt index reloads %d passages", n)
			}
		})
	}
}

// An index folder that cannot be written: the index serves from memory
// and says so.
func TestIndexUnwritableFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "index")
	writeFile(t, dir, "a file where the index folder should be")
	ix, logs := openLogged(t, dir, retrieval.NewLocalEmbedder())
	ps := retrieval.Passages(defaultStory(t))
	if _, err := ix.Update(context.Background(), ps); err != nil {
		t.Fatalf("update: %v", err)
	}
	if len(ix.Passages()) != len(ps) {
		t.Errorf("serving %d passages", len(ix.Passages()))
	}
	if !strings.Contains(logs.String(), "serving from memory") {
		t.Errorf("no warning:\n%s", logs.String())
	}
	if hits, err := ix.Search(context.Background(), "who organizes the conference in Athens", 3); err != nil || len(hits) == 0 {
		t.Errorf("search: %v", err)
	}
}

// A second process updating the same index folder waits for the first,
// says so, and then builds on what the first saved.
func TestIndexLockSecondWaits(t *testing.T) {
	dir := t.TempDir()
	ps := retrieval.Passages(defaultStory(t))
	other := flock.New(filepath.Join(dir, "storybot-index.lock"))
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	e := &countingEmbedder{Embedder: retrieval.NewLocalEmbedder()}
	ix, logs := openLogged(t, dir, e)
	done := make(chan error, 1)
	go func() {
		_, err := ix.Update(context.Background(), ps)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("update did not wait for the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if !strings.Contains(logs.String(), "another storybot process is updating the index") {
		t.Errorf("no log line while waiting:\n%s", logs.String())
	}
	// Meanwhile the holder saves the index; the waiter builds on it.
	saveAsAnotherProcess(t, dir, ps)
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("update still waiting after the lock was released")
	}
	if e.inputs.Load() != 0 {
		t.Errorf("the waiter embedded %d texts, not reusing the index saved meanwhile", e.inputs.Load())
	}

	// A waiter whose context ends gives up with an error naming the lock.
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	defer other.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	s := defaultStory(t)
	s.Paragraphs[0] = "Changed."
	if _, err := ix.Update(ctx, retrieval.Passages(s)); err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "lock") {
		t.Errorf("update under a held lock with a deadline: %v", err)
	}
}

// saveAsAnotherProcess writes an index of ps into dir the way another
// process holding the lock would: a whole file, renamed into place.
func saveAsAnotherProcess(t *testing.T, dir string, ps []retrieval.Passage) {
	t.Helper()
	tmp := t.TempDir()
	ix := mustOpen(t, tmp, retrieval.NewLocalEmbedder())
	mustUpdate(t, ix, ps)
	raw, err := os.ReadFile(filepath.Join(tmp, "storybot-index.gob"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "storybot-index.gob.new"), string(raw))
	if err := os.Rename(filepath.Join(dir, "storybot-index.gob.new"), filepath.Join(dir, "storybot-index.gob")); err != nil {
		t.Fatal(err)
	}
}

// A writer killed mid-save leaves a temporary file; the next update under
// the lock removes it.
func TestIndexRemovesStaleTemp(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "storybot-index.gob.12345.tmp")
	writeFile(t, stale, "half an index")
	ix, logs := openLogged(t, dir, retrieval.NewLocalEmbedder())
	mustUpdate(t, ix, retrieval.Passages(defaultStory(t)))
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if !strings.Contains(logs.String(), "half-written index") {
		t.Errorf("no log line:\n%s", logs.String())
	}
}
