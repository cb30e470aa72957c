package retrieval

import (
	"context"
	"fmt"
	"runtime"
	"time"

	chromem "github.com/philippgille/chromem-go"
)

// Update makes the index hold exactly passages. Only passages whose content
// hash is new are embedded; the new collection is built aside, written to
// disk and then swapped in. On error the serving index is unchanged.
//
// It runs in four steps: plan (planUpdate), embed what is missing
// (embedMissing), build (build) and persist and swap (persistAndSwap).
func (ix *Index) Update(ctx context.Context, passages []Passage) (UpdateStats, error) {
	start := time.Now()
	ix.updateMu.Lock()
	defer ix.updateMu.Unlock()
	// Nothing changed and the file is still the one this process has: no
	// need to wait for the lock (another process may hold it for minutes).
	if ix.savedAs(passages) {
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
	stats, err := ix.update(ctx, passages)
	if err != nil {
		return stats, fmt.Errorf("update index: %w", err)
	}
	stats.Duration = time.Since(start)
	return stats, nil
}

// savedAs reports whether the serving index holds exactly passages and is
// the one saved in the index file. ix.updateMu must be held.
func (ix *Index) savedAs(passages []Passage) bool {
	old := ix.cur.Load()
	return old != nil && ix.dir != "" && ix.onDisk && !ix.fileReplaced() && samePassages(old.passages, passages)
}

// update plans, embeds, builds and swaps in the index of passages. ix.updateMu
// (and the folder's lock) must be held.
func (ix *Index) update(ctx context.Context, passages []Passage) (UpdateStats, error) {
	old := ix.cur.Load()
	plan, err := planUpdate(passages, old.allPassages(), old.vectorsByHash(ctx))
	if err != nil {
		return plan.stats, err
	}
	if old != nil && ix.onDisk && plan.changesNothing() && samePassages(old.passages, passages) {
		return plan.stats, nil
	}
	if err := ix.embedMissing(ctx, &plan); err != nil {
		return plan.stats, err
	}
	identity := ix.embedder.Identity()
	if old != nil && sameEmbedder(old.identity, identity) && identity.Dimensions == 0 {
		identity.Dimensions = old.identity.Dimensions
	}
	if err := ix.swapIn(ctx, passages, plan.vectorsOf(passages), identity, time.Now().UTC().Truncate(time.Second)); err != nil {
		return plan.stats, err
	}
	return plan.stats, nil
}

// allPassages returns the snapshot's passages; none for a nil snapshot.
func (s *snapshot) allPassages() []Passage {
	if s == nil {
		return nil
	}
	return s.passages
}

// vectorsByHash returns the stored embedding of each passage of the
// snapshot, by content hash; an empty map for a nil snapshot.
func (s *snapshot) vectorsByHash(ctx context.Context) map[string][]float32 {
	known := map[string][]float32{}
	if s == nil {
		return known
	}
	for i, p := range s.passages {
		if doc, err := s.collection.GetByID(ctx, orderKey(i)); err == nil {
			known[p.Hash] = doc.Embedding
		}
	}
	return known
}

// embedMissing embeds the texts plan has no vector for, in one call to the
// embedder, and hands each vector to the hashes waiting for it.
func (ix *Index) embedMissing(ctx context.Context, plan *updatePlan) error {
	if len(plan.embed) == 0 {
		return nil
	}
	vecs, err := ix.embedder.Embed(ctx, plan.embed)
	if err != nil {
		return fmt.Errorf("embed %d passages: %w", len(plan.embed), err)
	}
	if len(vecs) != len(plan.embed) {
		return fmt.Errorf("embedder returned %d vectors for %d passages", len(vecs), len(plan.embed))
	}
	plan.stats.Embedded = len(plan.embed)
	plan.give(vecs)
	return nil
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
	if _, err := uniqueIDs(passages); err != nil {
		return fmt.Errorf("install index: %w", err)
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
	db, snap, err := build(ctx, passages, vecs, identity, builtAt)
	if err != nil {
		return err
	}
	ix.persistAndSwap(db, snap)
	return nil
}

// build makes the chromem-go database (the passages and the manifest) and
// the snapshot that serves it, checking that every vector has the index's
// length; a zero identity.Dimensions takes the first vector's.
func build(ctx context.Context, passages []Passage, vecs [][]float32, identity EmbedderIdentity, builtAt time.Time) (*chromem.DB, *snapshot, error) {
	docs := make([]chromem.Document, len(passages))
	for i, p := range passages {
		vec := vecs[i]
		if identity.Dimensions == 0 {
			identity.Dimensions = len(vec)
		}
		if len(vec) != identity.Dimensions {
			return nil, nil, fmt.Errorf("passage %s has a %d-dimension embedding, the index uses %d", p.ID, len(vec), identity.Dimensions)
		}
		meta, err := passageMetadata(p)
		if err != nil {
			return nil, nil, err
		}
		docs[i] = chromem.Document{ID: orderKey(i), Metadata: meta, Embedding: vec, Content: p.Text}
	}

	db := chromem.NewDB()
	c, err := db.CreateCollection(collectionName, nil, refuseEmbedding)
	if err != nil {
		return nil, nil, err
	}
	if err := addManifest(ctx, db, manifest{Format: formatVersion, Embedder: identity, BuiltAt: builtAt}); err != nil {
		return nil, nil, err
	}
	if len(docs) > 0 {
		if err := c.AddDocuments(ctx, docs, runtime.NumCPU()); err != nil {
			return nil, nil, err
		}
	}
	return db, newSnapshot(c, passages, identity, builtAt), nil
}

// persistAndSwap saves db under Dir, if the index has one, and makes snap
// the serving snapshot. An index that cannot be saved still serves from
// memory; it is rebuilt at the next start. ix.updateMu must be held.
func (ix *Index) persistAndSwap(db *chromem.DB, snap *snapshot) {
	if ix.dir != "" {
		ix.onDisk = false
		if err := ix.persist(db); err != nil {
			ix.log.Warn("index not saved; serving from memory", "path", ix.path(), "err", err)
		} else {
			ix.onDisk = true
		}
	}
	ix.cur.Store(snap)
}
