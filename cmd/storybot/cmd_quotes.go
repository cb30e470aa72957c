package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/storybot/storybot/bot"
)

// quoteRecord is one line of `storybot quotes --json`.
type quoteRecord struct {
	PassageID string `json:"passage_id"`
	Paragraph int    `json:"paragraph"`
	Quote     string `json:"quote"`
	Speaker   string `json:"speaker"`
	Role      string `json:"role"`
	// Via is who relays the words when the speaker is not quoted first
	// hand ("X quotes Y as saying"); Direct is false for a reported claim.
	Via    string `json:"via,omitempty"`
	Direct bool   `json:"direct"`
}

func runQuotes(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("quotes", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if err := parseFlags(fs, args, "quotes [--json] [SPEAKER]"); err != nil {
		return err
	}
	who := joinArgs(fs.Args())
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	for _, p := range a.index.Passages() {
		for _, q := range p.Quotes {
			if who != "" && !bot.SpeakerMatches(q.Speaker, who) {
				continue
			}
			if *asJSON {
				if err := enc.Encode(quoteRecord{PassageID: p.ID, Paragraph: p.Paragraph, Quote: q.Text, Speaker: q.Speaker, Role: q.Role, Via: q.Via, Direct: q.Direct}); err != nil {
					return err
				}
				continue
			}
			kind := "“”"
			if !q.Direct {
				kind = "claim"
			}
			speaker := q.Speaker
			if speaker == "" {
				speaker = "(unattributed)"
			}
			fmt.Fprintf(stdout, "¶%-3d %-5s %s: %s\n", p.Paragraph, kind, speaker, q.Text)
		}
	}
	return nil
}
