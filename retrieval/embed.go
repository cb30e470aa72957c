package retrieval

import (
	"context"
	"fmt"
)

// Embedder turns a batch of texts into vectors, one per text, in order.
// Implementations batch remote calls themselves; callers pass everything
// they need embedded at once.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Identity names the model, so that an index built by another embedder
	// is detected and rebuilt rather than queried with incompatible vectors.
	Identity() EmbedderIdentity
}

// EmbedderIdentity says which embedder built an index.
type EmbedderIdentity struct {
	Kind       string // "local" or "openai"
	Model      string // model or vector-table name
	Dimensions int    // vector length; 0 while not yet known (remote models)
}

// String renders the identity as "kind/model/dims".
func (id EmbedderIdentity) String() string {
	return fmt.Sprintf("%s/%s/%d", id.Kind, id.Model, id.Dimensions)
}
