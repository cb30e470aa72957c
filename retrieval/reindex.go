package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// ReindexResult says what Reindex did.
type ReindexResult struct {
	UpdateStats
	Stories  int     // stories loaded
	Problems []error // story files that could not be loaded, each naming its file
}

// Reindex loads every story in src and updates the index to hold exactly
// their passages. Files that fail to load are reported in Problems and left
// out; if no story loads at all, the serving index is kept and an error
// returned.
func (ix *Index) Reindex(ctx context.Context, src fs.FS) (ReindexResult, error) {
	stories, problems := LoadStories(src)
	res := ReindexResult{Stories: len(stories), Problems: problems}
	if len(stories) == 0 {
		if len(problems) == 0 {
			return res, errors.New("reindex: the story folder holds no .txt, .md or .html story")
		}
		return res, fmt.Errorf("reindex: no story could be loaded: %w", errors.Join(problems...))
	}
	var passages []Passage
	for _, s := range stories {
		passages = append(passages, Passages(s)...)
	}
	stats, err := ix.Update(ctx, passages)
	res.UpdateStats = stats
	if err != nil {
		return res, err
	}
	return res, nil
}
