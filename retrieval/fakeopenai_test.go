package retrieval_test

import "github.com/storybot/storybot/internal/openaifake"

// The embedder's tests run against the shared fake OpenAI server; these
// names keep them short.
type (
	fakeOpenAI    = openaifake.Server
	fakeOptions   = openaifake.Options
	fakeReply     = openaifake.Reply
	fakeEmbedding = openaifake.Embedding
)

var (
	newFakeOpenAI = openaifake.New
	fakeVector    = openaifake.Vector
	fakeTexts     = openaifake.Texts
)
