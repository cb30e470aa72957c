package retrieval

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// htmlText extracts the article from an HTML page with readability (the
// algorithm behind Firefox's Reader View), then takes its paragraphs.
func htmlText(data []byte) (pageParts, error) {
	article, err := readability.FromReader(bytes.NewReader(data), nil)
	if err != nil {
		return pageParts{}, fmt.Errorf("read HTML article: %w", err)
	}
	if article.Node == nil {
		return pageParts{}, errors.New("no article found in the HTML")
	}
	parts := pageParts{Title: strings.TrimSpace(article.Title()), Author: strings.TrimSpace(article.Byline())}
	// The page names its publication in its metadata: og:site_name or the
	// JSON-LD publisher (both read by readability), else application-name.
	parts.Publication = collapseSpace(article.SiteName())
	if parts.Publication == "" {
		parts.Publication = metaContent(data, "application-name")
	}
	if t, err := article.PublishedTime(); err == nil {
		parts.Date = t.Format("2006-01-02")
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre":
				if t := collapseSpace(nodeText(n)); t != "" && !isFurniture(t) {
					parts.Paragraphs = append(parts.Paragraphs, t)
				}
				return
			case "script", "style", "figure", "figcaption", "nav", "aside":
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(article.Node)
	return parts, nil
}

// metaContent returns the content of the page's first <meta name=name>, or
// "" when it has none.
func metaContent(data []byte, name string) string {
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			if string(tag) == "body" {
				return "" // metadata lives in the head
			}
			if string(tag) != "meta" || !hasAttr {
				continue
			}
			var n, content string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "name":
					n = strings.ToLower(strings.TrimSpace(string(v)))
				case "content":
					content = string(v)
				}
			}
			if n == name {
				return collapseSpace(content)
			}
		}
	}
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "br":
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// collapseSpace trims s and folds every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
