package retrieval

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"
	chromem "github.com/philippgille/chromem-go"
)

// indexFile is the chromem-go export that holds the index on disk. One file,
// replaced by an atomic rename, means a reader never loads a half-written
// index and start-up is a single read.
const (
	indexFile      = "storybot-index.gob"
	lockName       = "storybot-index.lock" // held while a process updates the index
	collectionName = "passages"
	manifestName   = "manifest" // a one-document collection: chromem-go keeps collection metadata private
	formatVersion  = "1"
)

// manifest records what built an index, stored inside the same export.
type manifest struct {
	Format   string           `json:"format"`
	Embedder EmbedderIdentity `json:"embedder"`
	BuiltAt  time.Time        `json:"built_at"`
}

// ErrEmptyIndex is returned by Search before any passage has been indexed.
var ErrEmptyIndex = errors.New("the index holds no passages")

// Index is the searchable, persistent set of passages. Searches run against
// an immutable snapshot; Update builds the next snapshot aside and swaps it
// in at once, so a search sees the old index or the new one, never a mix.
type Index struct {
	dir      string
	embedder Embedder
	log      *slog.Logger

	cur      atomic.Pointer[snapshot]
	updateMu sync.Mutex // one Update at a time in this process; the lock file orders processes
	onDisk   bool       // cur was loaded from disk and not rewritten since (guarded by updateMu)
	stamp    fileStamp  // the index file cur was loaded from or saved as (guarded by updateMu)

	// wrapWriter, when set, wraps the writer the index is saved through;
	// tests use it to inject write errors (a full disk).
	wrapWriter func(io.Writer) io.Writer
}

// fileStamp tells whether the index file was replaced since this process
// last read or wrote it.
type fileStamp struct {
	mod  time.Time
	size int64
}

func stampOf(fi os.FileInfo) fileStamp { return fileStamp{fi.ModTime(), fi.Size()} }

// snapshot is one immutable version of the index.
type snapshot struct {
	collection *chromem.Collection
	passages   []Passage
	byID       map[string]int
	lexical    *lexicalIndex
	soft       *softIndex
	sentences  *sentenceIndex
	vocab      map[string]map[string]bool // story → its words and their stems
	acronyms   acronymTable
	stories    *storyIndex // nil with a single story
	identity   EmbedderIdentity
	builtAt    time.Time
}

// Options configures Open. Dir "" keeps the index in memory only.
type Options struct {
	Dir      string
	Embedder Embedder
	Logger   *slog.Logger
}

// UpdateStats says what an Update did.
type UpdateStats struct {
	Passages int           // passages in the new index
	Added    int           // ids that were not indexed before
	Changed  int           // ids whose content hash changed
	Removed  int           // ids no longer in the corpus
	Embedded int           // texts sent to the embedder
	Reused   int           // passages whose stored embedding was kept
	Duration time.Duration // wall time of the update
}

// Info describes the index that is serving.
type Info struct {
	Passages int
	Stories  []string // story slugs
	Embedder EmbedderIdentity
	BuiltAt  time.Time
	Digest   string // identifies the passages held: equal digests, equal indexes
}

// Open loads the index persisted in opts.Dir, if any. A missing, corrupt or
// unreadable index is not an error: Open warns and starts empty, and the
// next Update rebuilds it. An index built by another embedder is discarded.
func Open(opts Options) (*Index, error) {
	if opts.Embedder == nil {
		return nil, errors.New("open index: no embedder")
	}
	ix := &Index{dir: opts.Dir, embedder: opts.Embedder, log: opts.Logger}
	if ix.log == nil {
		ix.log = slog.New(slog.DiscardHandler)
	}
	if ix.dir == "" {
		return ix, nil
	}
	snap, err := ix.load()
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		ix.log.Warn("stored index unusable; it will be rebuilt", "path", ix.path(), "err", err)
	default:
		ix.cur.Store(snap)
		ix.onDisk = true
	}
	return ix, nil
}

func (ix *Index) path() string { return filepath.Join(ix.dir, indexFile) }

// load reads the persisted snapshot.
func (ix *Index) load() (*snapshot, error) {
	fi, err := os.Stat(ix.path())
	if err != nil {
		return nil, err
	}
	ix.stamp = stampOf(fi)
	db := chromem.NewDB()
	if err := db.ImportFromFile(ix.path(), ""); err != nil {
		return nil, fmt.Errorf("read %s: %w", ix.path(), err)
	}
	c := db.GetCollection(collectionName, refuseEmbedding)
	if c == nil {
		return nil, fmt.Errorf("read %s: no %q collection", ix.path(), collectionName)
	}
	var m manifest
	if mc := db.GetCollection(manifestName, refuseEmbedding); mc != nil {
		if doc, err := mc.GetByID(context.Background(), manifestName); err == nil {
			_ = json.Unmarshal([]byte(doc.Content), &m)
		}
	}
	if m.Format != formatVersion {
		return nil, fmt.Errorf("index format %q, want %q", m.Format, formatVersion)
	}
	stored := m.Embedder
	if !sameEmbedder(stored, ix.embedder.Identity()) {
		return nil, fmt.Errorf("built by embedder %s, now using %s", stored, ix.embedder.Identity())
	}
	passages := make([]Passage, 0, c.Count())
	for i := 0; ; i++ {
		// Documents are stored with their rank in the corpus so the order
		// of passages survives the round trip through chromem's map.
		doc, err := c.GetByID(context.Background(), orderKey(i))
		if err != nil {
			break
		}
		var p Passage
		if err := json.Unmarshal([]byte(doc.Metadata["passage"]), &p); err != nil {
			return nil, fmt.Errorf("read %s: passage %d: %w", ix.path(), i, err)
		}
		p.Text = doc.Content
		passages = append(passages, p)
	}
	if len(passages) != c.Count() {
		return nil, fmt.Errorf("read %s: %d of %d passages readable", ix.path(), len(passages), c.Count())
	}
	return newSnapshot(c, passages, stored, m.BuiltAt), nil
}

func orderKey(i int) string { return "#" + strconv.Itoa(i) }

func sameEmbedder(a, b EmbedderIdentity) bool {
	if a.Kind != b.Kind || a.Model != b.Model {
		return false
	}
	return a.Dimensions == 0 || b.Dimensions == 0 || a.Dimensions == b.Dimensions
}

func refuseEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("storybot computes embeddings itself; the collection must not")
}

func newSnapshot(c *chromem.Collection, passages []Passage, id EmbedderIdentity, builtAt time.Time) *snapshot {
	s := &snapshot{collection: c, passages: passages, byID: make(map[string]int, len(passages)), identity: id, builtAt: builtAt}
	texts := make([]string, len(passages))
	for i, p := range passages {
		s.byID[p.ID] = i
		texts[i] = p.Text
	}
	s.lexical = newLexicalIndex(texts)
	s.soft = newSoftIndex(texts)
	s.sentences = newSentenceIndex(texts, s.soft)
	s.stories = newStoryIndex(passages)
	s.vocab = storyVocabularies(passages)
	s.acronyms = newAcronymTable(texts)
	return s
}

// Update makes the index hold exactly passages. Only passages whose content
// hash is new are embedded; the new collection is built aside, written to
// disk and then swapped in. On error the serving index is unchanged.
func (ix *Index) Update(ctx context.Context, passages []Passage) (UpdateStats, error) {
	start := time.Now()
	ix.updateMu.Lock()
	defer ix.updateMu.Unlock()
	// Nothing changed and the file is still the one this process has: no
	// need to wait for the lock (another process may hold it for minutes).
	if old := ix.cur.Load(); old != nil && ix.dir != "" && ix.onDisk && !ix.fileReplaced() && samePassages(old.passages, passages) {
		return UpdateStats{Passages: len(passages), Reused: len(passages), Duration: time.Since(start)}, nil
	}
	if ix.dir != "" {
		unlock, err := ix.lockDir(ctx)
		if err != nil {
			return UpdateStats{}, fmt.Errorf("update index: %w", err)
		}
		defer unlock()
		ix.reloadIfReplaced()
	}

	old := ix.cur.Load()
	stats := UpdateStats{Passages: len(passages)}

	seen := make(map[string]bool, len(passages))
	for _, p := range passages {
		if seen[p.ID] {
			return stats, fmt.Errorf("update index: passage id %q appears twice", p.ID)
		}
		seen[p.ID] = true
	}

	// Embeddings already computed, by content hash.
	known := map[string][]float32{}
	oldHash := map[string]string{}
	if old != nil {
		for i, p := range old.passages {
			oldHash[p.ID] = p.Hash
			if doc, err := old.collection.GetByID(ctx, orderKey(i)); err == nil {
				known[p.Hash] = doc.Embedding
			}
		}
		for id := range oldHash {
			if !seen[id] {
				stats.Removed++
			}
		}
	}
	// An embedding is of the text alone, while the hash also covers the
	// story's title and publication. So a text that several passages share
	// (a boilerplate paragraph in two stories, wire copy, a split-off piece
	// equal to another piece) is embedded once, and its vector is given to
	// every hash that carries it.
	var todo []string                // distinct texts to embed, in corpus order
	waiting := map[string][]string{} // text → the hashes waiting for its vector
	for _, p := range passages {
		h, ok := oldHash[p.ID]
		switch {
		case !ok:
			stats.Added++
		case h != p.Hash:
			stats.Changed++
		}
		if _, ok := known[p.Hash]; ok {
			stats.Reused++
			continue
		}
		hashes, queued := waiting[p.Text]
		if !queued {
			todo = append(todo, p.Text)
		}
		if !slices.Contains(hashes, p.Hash) {
			waiting[p.Text] = append(hashes, p.Hash)
		}
	}

	if old != nil && ix.onDisk && stats.Added+stats.Changed+stats.Removed == 0 && len(todo) == 0 && samePassages(old.passages, passages) {
		stats.Duration = time.Since(start)
		return stats, nil
	}

	if len(todo) > 0 {
		vecs, err := ix.embedder.Embed(ctx, todo)
		if err != nil {
			return stats, fmt.Errorf("update index: embed %d passages: %w", len(todo), err)
		}
		if len(vecs) != len(todo) {
			return stats, fmt.Errorf("update index: embedder returned %d vectors for %d passages", len(vecs), len(todo))
		}
		stats.Embedded = len(todo)
		for i, text := range todo {
			for _, h := range waiting[text] {
				known[h] = vecs[i]
			}
		}
	}

	identity := ix.embedder.Identity()
	if old != nil && sameEmbedder(old.identity, identity) && identity.Dimensions == 0 {
		identity.Dimensions = old.identity.Dimensions
	}
	vecs := make([][]float32, len(passages))
	for i, p := range passages {
		vecs[i] = known[p.Hash]
	}
	if err := ix.swapIn(ctx, passages, vecs, identity, time.Now().UTC().Truncate(time.Second)); err != nil {
		return stats, fmt.Errorf("update index: %w", err)
	}
	stats.Duration = time.Since(start)
	return stats, nil
}

// Install makes the index hold exactly passages, with vectors[i] the
// embedding of passages[i], computed elsewhere by the embedder identity
// names (which must be the index's own, since questions are embedded with
// it) and built at builtAt: an index loaded from a shared store. Nothing
// is embedded. As with Update, the new snapshot is built aside, saved
// under Dir and swapped in at once; on error the serving index is
// unchanged.
func (ix *Index) Install(ctx context.Context, passages []Passage, vectors [][]float32, identity EmbedderIdentity, builtAt time.Time) error {
	if len(vectors) != len(passages) {
		return fmt.Errorf("install index: %d vectors for %d passages", len(vectors), len(passages))
	}
	if !sameEmbedder(identity, ix.embedder.Identity()) {
		return fmt.Errorf("install index: built by embedder %s, this index uses %s", identity, ix.embedder.Identity())
	}
	seen := make(map[string]bool, len(passages))
	for _, p := range passages {
		if seen[p.ID] {
			return fmt.Errorf("install index: passage id %q appears twice", p.ID)
		}
		seen[p.ID] = true
	}
	ix.updateMu.Lock()
	defer ix.updateMu.Unlock()
	if err := ix.swapIn(ctx, passages, vectors, identity, builtAt.UTC()); err != nil {
		return fmt.Errorf("install index: %w", err)
	}
	return nil
}

// swapIn builds the snapshot of passages and their vectors, saves it
// under Dir and makes it the serving one. ix.updateMu must be held.
func (ix *Index) swapIn(ctx context.Context, passages []Passage, vecs [][]float32, identity EmbedderIdentity, builtAt time.Time) error {
	docs := make([]chromem.Document, len(passages))
	for i, p := range passages {
		vec := vecs[i]
		if identity.Dimensions == 0 {
			identity.Dimensions = len(vec)
		}
		if len(vec) != identity.Dimensions {
			return fmt.Errorf("passage %s has a %d-dimension embedding, the index uses %d", p.ID, len(vec), identity.Dimensions)
		}
		meta, err := passageMetadata(p)
		if err != nil {
			return err
		}
		docs[i] = chromem.Document{ID: orderKey(i), Metadata: meta, Embedding: vec, Content: p.Text}
	}

	db := chromem.NewDB()
	c, err := db.CreateCollection(collectionName, nil, refuseEmbedding)
	if err != nil {
		return err
	}
	if err := addManifest(ctx, db, manifest{Format: formatVersion, Embedder: identity, BuiltAt: builtAt}); err != nil {
		return err
	}
	if len(docs) > 0 {
		if err := c.AddDocuments(ctx, docs, runtime.NumCPU()); err != nil {
			return err
		}
	}
	snap := newSnapshot(c, passages, identity, builtAt)
	if ix.dir != "" {
		// An index that cannot be saved still serves from memory; it is
		// rebuilt at the next start.
		ix.onDisk = false
		if err := ix.persist(db); err != nil {
			ix.log.Warn("index not saved; serving from memory", "path", ix.path(), "err", err)
		} else {
			ix.onDisk = true
		}
	}
	ix.cur.Store(snap)
	return nil
}

func addManifest(ctx context.Context, db *chromem.DB, m manifest) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	mc, err := db.CreateCollection(manifestName, nil, refuseEmbedding)
	if err != nil {
		return err
	}
	return mc.AddDocument(ctx, chromem.Document{ID: manifestName, Embedding: []float32{1}, Content: string(raw)})
}

// samePassages reports whether two corpora are identical, metadata and
// all, so that an unchanged start-up need not rewrite the index. (The hash
// covers the text; quotes found by a newer extractor still count as a
// change.)
func samePassages(a, b []Passage) bool {
	return reflect.DeepEqual(a, b)
}

// passageMetadata stores everything about a passage but its text (which is
// the document content) so that a loaded index needs no re-ingestion.
func passageMetadata(p Passage) (map[string]string, error) {
	p.Text = ""
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode passage %s: %w", p.ID, err)
	}
	return map[string]string{
		"id":        p.ID,
		"story":     p.Story,
		"paragraph": strconv.Itoa(p.Paragraph),
		"passage":   string(raw),
	}, nil
}

// persist writes the collection to a temporary file, flushes it to the
// disk and renames it over the index file, so that a crash or a full disk
// mid-write leaves the previous index whole, and a reader opens the old
// file or the new one, never a part.
func (ix *Index) persist(db *chromem.DB) error {
	if err := os.MkdirAll(ix.dir, 0o755); err != nil {
		return fmt.Errorf("create index folder: %w", err)
	}
	tmp, err := os.CreateTemp(ix.dir, indexFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name) // a no-op once renamed
	defer tmp.Close()
	var w io.Writer = tmp
	if ix.wrapWriter != nil {
		w = ix.wrapWriter(w)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := db.ExportToWriter(bw, false, ""); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	if err := os.Rename(name, ix.path()); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	syncDir(ix.dir)
	if fi, err := os.Stat(ix.path()); err == nil {
		ix.stamp = stampOf(fi)
	}
	return nil
}

// syncDir flushes a folder's entries, so that a rename survives a power
// cut. Where folders cannot be synced (Windows) the rename still holds
// against a crash of the process.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

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

// Passages returns the indexed passages in corpus order.
func (ix *Index) Passages() []Passage {
	if s := ix.cur.Load(); s != nil {
		return s.passages
	}
	return nil
}

// Passage returns the indexed passage with the given id.
func (ix *Index) Passage(id string) (Passage, bool) {
	s := ix.cur.Load()
	if s == nil {
		return Passage{}, false
	}
	i, ok := s.byID[id]
	if !ok {
		return Passage{}, false
	}
	return s.passages[i], true
}

// Info describes the serving index.
func (ix *Index) Info() Info {
	s := ix.cur.Load()
	if s == nil {
		return Info{Embedder: ix.embedder.Identity()}
	}
	info := Info{Passages: len(s.passages), Embedder: s.identity, BuiltAt: s.builtAt, Digest: digest(s.passages)}
	seen := map[string]bool{}
	for _, p := range s.passages {
		if !seen[p.Story] {
			seen[p.Story] = true
			info.Stories = append(info.Stories, p.Story)
		}
	}
	return info
}

// digest hashes the ids and content hashes of passages, in order.
func digest(passages []Passage) string {
	h := sha256.New()
	for _, p := range passages {
		h.Write([]byte(p.ID))
		h.Write([]byte{0})
		h.Write([]byte(p.Hash))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
