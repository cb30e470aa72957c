package retrieval_test

import (
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// TestParseStoryHTMLPublication checks that a saved page credits the
// publication its own metadata names, and that a sidecar still wins.
func TestParseStoryHTMLPublication(t *testing.T) {
	const body = `<body><article><h1>Port Reopens</h1>
<p>The port reopened on Monday after a week-long closure that stranded dozens of ships in the outer harbor.</p>
<p>“We are open for business,” said Mara Quist, the port’s director, at a news conference on the quay.</p>
</article></body></html>`
	tests := []struct {
		name, head string
		meta       retrieval.Metadata
		want       string
	}{
		{"og:site_name", `<meta property="og:site_name" content="The Harbour Gazette">`, retrieval.Metadata{}, "The Harbour Gazette"},
		{"JSON-LD publisher", `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Port Reopens","publisher":{"@type":"Organization","name":"Coastal Wire"}}</script>`, retrieval.Metadata{}, "Coastal Wire"},
		{"application-name", `<meta name="application-name" content="  Quayside   Daily ">`, retrieval.Metadata{}, "Quayside Daily"},
		{"none", ``, retrieval.Metadata{}, ""},
		{"sidecar wins", `<meta property="og:site_name" content="The Harbour Gazette">`, retrieval.Metadata{Publication: "The Sidecar Times"}, "The Sidecar Times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<!DOCTYPE html><html><head><title>Port Reopens</title>" + tt.head + "</head>" + body
			s, err := retrieval.ParseStory("port.html", []byte(page), tt.meta)
			if err != nil {
				t.Fatal(err)
			}
			if s.Publication != tt.want {
				t.Errorf("Publication = %q, want %q", s.Publication, tt.want)
			}
		})
	}
}
