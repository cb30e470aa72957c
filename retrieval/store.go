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
	"strconv"
	"sync"
	"sync/atomic"
	"time"

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
	lower      map[string]map[string]bool // story → the words it writes in lower case
	byStory    map[string][]int           // story → its passages' positions in passages
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
	s.byStory = map[string][]int{}
	for i, p := range passages {
		s.byID[p.ID] = i
		texts[i] = p.Text
		s.byStory[p.Story] = append(s.byStory[p.Story], i)
	}
	s.lexical = newLexicalIndex(texts)
	s.soft = newSoftIndex(texts)
	s.sentences = newSentenceIndex(texts, s.soft)
	s.stories = newStoryIndex(passages)
	s.vocab = storyVocabularies(passages)
	s.lower = lowerCaseWords(passages)
	s.acronyms = newAcronymTable(texts)
	return s
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

// Passages returns the indexed passages in corpus order.
func (ix *Index) Passages() []Passage {
	if s := ix.cur.Load(); s != nil {
		return s.passages
	}
	return nil
}

// StoryPassages returns the indexed passages of one story, in order.
func (ix *Index) StoryPassages(story string) []Passage {
	s := ix.cur.Load()
	if s == nil {
		return nil
	}
	out := make([]Passage, 0, len(s.byStory[story]))
	for _, i := range s.byStory[story] {
		out = append(out, s.passages[i])
	}
	return out
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
