package bot

import (
	"bufio"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Feedback verdicts.
const (
	VerdictUp   = "up"
	VerdictDown = "down"
)

// FeedbackEntry is one line of the feedback log: a reader's 👍 or 👎 on an
// answer.
type FeedbackEntry struct {
	Time       time.Time `json:"time"`
	Verdict    string    `json:"verdict"` // VerdictUp or VerdictDown
	Question   string    `json:"question"`
	Standalone string    `json:"standalone"`
	AnswerMode string    `json:"answer_mode"`
	PassageIDs []string  `json:"passage_ids"`
	Guild      string    `json:"guild"` // "" in a DM
	User       string    `json:"user"`  // a salted hash of the user id, never the id
}

// FeedbackLog appends entries to a JSON-lines file that is never
// rewritten. It is safe for concurrent use within one process; each entry
// is one write to a file opened for appending, so lines from several
// processes do not interleave either.
type FeedbackLog struct {
	Path string // the log, e.g. <index dir>/feedback.jsonl

	mu   sync.Mutex
	salt []byte
}

// Append writes one entry as a line of the log, creating the file and its
// folder when missing.
func (l *FeedbackLog) Append(e FeedbackEntry) error {
	if e.PassageIDs == nil {
		e.PassageIDs = []string{}
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("append feedback: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(l.Path), 0o755); err != nil {
		return fmt.Errorf("append feedback: %w", err)
	}
	f, err := os.OpenFile(l.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("append feedback: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("append feedback: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append feedback: %w", err)
	}
	return nil
}

// HashUser returns the salted hash the log records instead of a user id.
// The salt is random, kept in a file beside the log (feedback.salt, readable
// by the owner only) and made on first use, so the same user hashes alike
// across restarts but the hash cannot be reversed by trying ids.
func (l *FeedbackLog) HashUser(id string) (string, error) {
	if id == "" {
		return "", nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.salt == nil {
		salt, err := loadSalt(strings.TrimSuffix(l.Path, filepath.Ext(l.Path)) + ".salt")
		if err != nil {
			return "", fmt.Errorf("hash user: %w", err)
		}
		l.salt = salt
	}
	m := hmac.New(sha256.New, l.salt)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))[:32], nil
}

func loadSalt(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 16 {
		return b, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	salt := make([]byte, 32)
	rand.Read(salt)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path) // another process made it first
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(salt); err != nil {
		f.Close()
		return nil, err
	}
	return salt, f.Close()
}

// ReadFeedback reads a feedback log. A line that does not parse (a write
// cut short by a crash) is skipped and counted.
func ReadFeedback(r io.Reader) (entries []FeedbackEntry, skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e FeedbackEntry
		if json.Unmarshal([]byte(line), &e) != nil || (e.Verdict != VerdictUp && e.Verdict != VerdictDown) {
			skipped++
			continue
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return entries, skipped, fmt.Errorf("read feedback: %w", err)
	}
	return entries, skipped, nil
}
