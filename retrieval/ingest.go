package retrieval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxStoryBytes bounds one story file. A news story is tens of kilobytes; a
// file far larger is a mistake (a dump, a binary) and is refused rather than
// read into memory.
const MaxStoryBytes = 4 << 20

// storyExts are the story formats LoadStories reads.
var storyExts = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// Metadata is what a sidecar file "<name>.json" next to a story may say about
// it. Fields it leaves empty are taken from the story itself where the
// source gives them, and otherwise stay empty: nothing is invented.
type Metadata struct {
	Title       string `json:"title"`
	Publication string `json:"publication"`
	URL         string `json:"url"`
	Author      string `json:"author"`
	Date        string `json:"date"`
}

// LoadStories reads every story file at the top of fsys (.txt, .md, .html),
// in name order. A file that cannot be read as a story yields an error naming
// it, and the other stories still load.
func LoadStories(fsys fs.FS) ([]Story, []error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, []error{fmt.Errorf("read story folder: %w", err)}
	}
	var (
		stories []Story
		errs    []error
		slugs   = map[string]string{}
	)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !storyExts[strings.ToLower(path.Ext(name))] {
			continue
		}
		s, err := loadStory(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := slugs[s.Slug]; dup {
			errs = append(errs, fmt.Errorf("story %s: its id %q is already used by %s", name, s.Slug, other))
			continue
		}
		slugs[s.Slug] = name
		stories = append(stories, s)
	}
	sort.Slice(stories, func(i, j int) bool { return stories[i].Slug < stories[j].Slug })
	return stories, errs
}

func loadStory(fsys fs.FS, name string) (Story, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return Story{}, fmt.Errorf("story %s: %w", name, err)
	}
	if info.Size() > MaxStoryBytes {
		return Story{}, fmt.Errorf("story %s: %d bytes is over the %d-byte limit for one story", name, info.Size(), MaxStoryBytes)
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Story{}, fmt.Errorf("story %s: %w", name, err)
	}
	var meta Metadata
	sidecar := strings.TrimSuffix(name, path.Ext(name)) + ".json"
	if raw, err := fs.ReadFile(fsys, sidecar); err == nil {
		if err := json.Unmarshal(raw, &meta); err != nil {
			return Story{}, fmt.Errorf("story %s: metadata %s: %w", name, sidecar, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Story{}, fmt.Errorf("story %s: metadata %s: %w", name, sidecar, err)
	}
	return ParseStory(name, data, meta)
}

// ParseStory turns one story file's bytes into a Story. The format follows
// the file name's extension; meta overrides what the file itself says.
func ParseStory(name string, data []byte, meta Metadata) (Story, error) {
	if err := checkText(data); err != nil {
		return Story{}, fmt.Errorf("story %s: %w", name, err)
	}
	var (
		parts pageParts
		err   error
	)
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		parts, err = htmlText(data)
	case ".md", ".markdown":
		var fm Metadata
		fm, data = frontMatter(data)
		meta = meta.or(fm)
		parts = markdownText(data)
	default:
		var fm Metadata
		fm, data = frontMatter(data)
		meta = meta.or(fm)
		parts = pageText(string(data))
	}
	if err != nil {
		return Story{}, fmt.Errorf("story %s: %w", name, err)
	}
	if len(parts.Paragraphs) == 0 {
		return Story{}, fmt.Errorf("story %s: no paragraphs of story text found", name)
	}
	s := Story{
		Slug:        Slugify(strings.TrimSuffix(path.Base(name), path.Ext(name))),
		Title:       parts.Title,
		Publication: meta.Publication,
		URL:         meta.URL,
		Author:      parts.Author,
		Date:        parts.Date,
		Source:      name,
		Paragraphs:  parts.Paragraphs,
	}
	s = s.withMeta(meta)
	if s.Title == "" {
		s.Title = s.Slug
	}
	return s, nil
}

// checkText refuses what is not a text story: empty files, binary files and
// invalid UTF-8.
func checkText(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("the file is empty")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return errors.New("the file is binary, not text")
	}
	if !utf8.Valid(data) {
		return errors.New("the file is not valid UTF-8 text")
	}
	return nil
}

func (m Metadata) or(other Metadata) Metadata {
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	return Metadata{
		Title:       pick(m.Title, other.Title),
		Publication: pick(m.Publication, other.Publication),
		URL:         pick(m.URL, other.URL),
		Author:      pick(m.Author, other.Author),
		Date:        pick(m.Date, other.Date),
	}
}

func (s Story) withMeta(m Metadata) Story {
	if m.Title != "" {
		s.Title = m.Title
	}
	if m.Author != "" {
		s.Author = m.Author
	}
	if m.Date != "" {
		s.Date = m.Date
	}
	return s
}

// frontMatter splits a leading "---" block of "key: value" lines off a text
// or Markdown story.
func frontMatter(data []byte) (Metadata, []byte) {
	var m Metadata
	text := strings.TrimPrefix(string(data), "\ufeff")
	if !strings.HasPrefix(text, "---\n") && !strings.HasPrefix(text, "---\r\n") {
		return m, data
	}
	rest := text[strings.IndexByte(text, '\n')+1:]
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return m, data
	}
	for _, line := range strings.Split(rest[:end], "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"'`)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			m.Title = value
		case "publication", "publisher", "site":
			m.Publication = value
		case "url", "link":
			m.URL = value
		case "author", "byline":
			m.Author = value
		case "date", "published":
			m.Date = value
		}
	}
	body := rest[end+len("\n---"):]
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	} else {
		body = ""
	}
	return m, []byte(body)
}

// Slugify makes a stable, URL-safe id from a name: lowercase letters and
// digits joined by single hyphens.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "story"
	}
	return b.String()
}
