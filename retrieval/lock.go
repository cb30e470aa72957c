package retrieval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// lockWait is how often a process waiting for another's index update
// tries the lock again.
const lockWait = 50 * time.Millisecond

// lockDir takes the index folder's lock file, waiting while another
// process holds it, so that two processes never update one index at once.
// The lock dies with its process, even under kill -9. A folder where no
// lock file can be made (read-only) is not locked: nothing will be written
// there either. It also removes temporary files a killed writer left.
func (ix *Index) lockDir(ctx context.Context) (unlock func(), err error) {
	noop := func() {}
	if err := os.MkdirAll(ix.dir, 0o755); err != nil {
		return noop, nil
	}
	fl := flock.New(filepath.Join(ix.dir, lockName))
	ok, err := fl.TryLock()
	if err != nil {
		ix.log.Warn("index folder not locked", "dir", ix.dir, "err", err)
		return noop, nil
	}
	if !ok {
		ix.log.Info("another storybot process is updating the index; waiting for it", "dir", ix.dir)
		start := time.Now()
		if _, err := fl.TryLockContext(ctx, lockWait); err != nil {
			return noop, fmt.Errorf("wait for the index lock %s: %w", fl.Path(), err)
		}
		ix.log.Info("index lock taken", "dir", ix.dir, "waited", time.Since(start).Round(time.Millisecond))
	}
	ix.removeStaleTemps()
	return func() { _ = fl.Unlock() }, nil
}

// removeStaleTemps deletes temporary index files. Only the lock holder
// writes them, so under the lock any that exist were left by a killed
// process.
func (ix *Index) removeStaleTemps() {
	stale, _ := filepath.Glob(filepath.Join(ix.dir, indexFile+".*.tmp"))
	for _, name := range stale {
		if err := os.Remove(name); err == nil {
			ix.log.Info("removed a half-written index left by a killed process", "path", name)
		}
	}
}

// fileReplaced reports whether the index file is not the one this process
// last read or wrote.
func (ix *Index) fileReplaced() bool {
	fi, err := os.Stat(ix.path())
	return err != nil || stampOf(fi) != ix.stamp
}

// reloadIfReplaced loads the index file when another process has replaced
// it since this one read or wrote it, so that an update builds on the
// newest index (and reuses its embeddings) rather than on a stale one.
func (ix *Index) reloadIfReplaced() {
	if !ix.fileReplaced() {
		return
	}
	snap, err := ix.load()
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		ix.log.Warn("stored index unusable; it will be rebuilt", "path", ix.path(), "err", err)
		return
	}
	ix.log.Info("loaded the index another process saved", "path", ix.path(), "passages", len(snap.passages))
	ix.cur.Store(snap)
	ix.onDisk = true
}
