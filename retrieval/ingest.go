package retrieval

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// MaxSidecarBytes bounds a sidecar: a handful of short fields.
const MaxSidecarBytes = 64 << 10

// LoadStories reads every story file at the top of fsys (.txt, .md, .html),
// in name order. A file that cannot be read as a story (empty, binary, not
// UTF-8, over MaxStoryBytes, not a regular file, a broken or looping link)
// yields an error naming it and why, and the other stories still load. So
// does a story that repeats an earlier one word for word (the same story
// saved twice), and a sidecar that cannot be read: its story is loaded
// without it.
func LoadStories(fsys fs.FS) ([]Story, []error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, []error{fmt.Errorf("read story folder: %w", err)}
	}
	var (
		stories []Story
		errs    []error
		slugs   = map[string]string{} // slug → file
		bodies  = map[string]string{} // hash of the paragraphs → file
	)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !storyExts[strings.ToLower(path.Ext(name))] {
			continue
		}
		s, warn, err := loadStory(fsys, name)
		if warn != nil {
			errs = append(errs, warn)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := slugs[s.Slug]; dup {
			errs = append(errs, fmt.Errorf("story %s: its id %q is already used by %s", name, s.Slug, other))
			continue
		}
		body := bodyHash(s.Paragraphs)
		if other, dup := bodies[body]; dup {
			errs = append(errs, fmt.Errorf("story %s: the same story as %s", name, other))
			continue
		}
		slugs[s.Slug] = name
		bodies[body] = name
		stories = append(stories, s)
	}
	sort.Slice(stories, func(i, j int) bool { return stories[i].Slug < stories[j].Slug })
	return stories, errs
}

// bodyHash identifies a story's text, to find one story saved twice.
func bodyHash(paragraphs []string) string {
	h := sha256.New()
	for _, p := range paragraphs {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadStory reads one story and its sidecar. warn reports a sidecar that
// was left out; err, a story that could not be loaded.
func loadStory(fsys fs.FS, name string) (s Story, warn, err error) {
	data, err := readBounded(fsys, name, MaxStoryBytes)
	if err != nil {
		return Story{}, nil, fmt.Errorf("story %s: %w", name, err)
	}
	var meta Metadata
	sidecar := strings.TrimSuffix(name, path.Ext(name)) + ".json"
	if raw, err := readBounded(fsys, sidecar, MaxSidecarBytes); err == nil {
		if err := json.Unmarshal(raw, &meta); err != nil {
			meta = Metadata{}
			warn = fmt.Errorf("metadata %s: not a JSON object of strings (%w); story %s is indexed without it", sidecar, err, name)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		warn = fmt.Errorf("metadata %s: %w; story %s is indexed without it", sidecar, err, name)
	}
	s, err = ParseStory(name, data, meta)
	return s, warn, err
}

// readBounded reads a regular file of at most limit bytes. A link is
// followed; a broken or looping one, a folder, a device or a pipe (which
// could block the read forever) is an error, and so is a larger file, which
// is refused before it is read.
func readBounded(fsys fs.FS, name string, limit int64) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", info.Mode().Type())
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%d bytes is over the %d-byte limit", info.Size(), limit)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have grown since Stat: read no more than the limit.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("over the %d-byte limit", limit)
	}
	return data, nil
}

// ParseStory turns one story file's bytes into a Story. The format follows
// the file name's extension; meta overrides what the file itself says.
func ParseStory(name string, data []byte, meta Metadata) (Story, error) {
	ext := strings.ToLower(path.Ext(name))
	// A page says its own encoding (a <meta charset>) or has it sniffed,
	// and is decoded by the HTML reader; text and Markdown must be UTF-8.
	isHTML := ext == ".html" || ext == ".htm"
	if err := checkText(data, !isHTML); err != nil {
		return Story{}, fmt.Errorf("story %s: %w", name, err)
	}
	var (
		parts pageParts
		err   error
	)
	switch ext {
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
		Publication: meta.Publication, // a sidecar or front matter wins over the page
		URL:         meta.URL,
		Author:      parts.Author,
		Date:        parts.Date,
		Source:      name,
		Paragraphs:  parts.Paragraphs,
	}
	s = s.withMeta(meta)
	if s.Publication == "" {
		s.Publication = parts.Publication
	}
	if s.Title == "" {
		s.Title = s.Slug
	}
	return s, nil
}

// checkText refuses what is not a text story: empty files, binary files and,
// if utf8Only is set, invalid UTF-8.
func checkText(data []byte, utf8Only bool) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("the file is empty")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return errors.New("the file is binary, not text")
	}
	if utf8Only && !utf8.Valid(data) {
		return errors.New("the file is not valid UTF-8 text; save it as UTF-8")
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
