package retrieval

import "io"

// SetWriteWrapper makes ix save its index through wrap(file), so that a
// test can fail the write part way, as a full disk does.
func SetWriteWrapper(ix *Index, wrap func(io.Writer) io.Writer) { ix.wrapWriter = wrap }
