// Package data holds the default story corpus, embedded into the binary so
// that storybot answers with no files and no configuration.
package data

import "embed"

// FS holds the story files and their metadata sidecars.
//
//go:embed *.txt *.json
var FS embed.FS
