package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errUsage marks a command line that could not be understood; the usage has
// already been printed.
var errUsage = errors.New("usage")

// errHelp marks a request for help (-h): the usage has been printed, and
// the program exits 0.
var errHelp = errors.New("help requested")

const usage = `storybot answers questions about news stories with verbatim quotations.

Usage:
  storybot                      Discord if DISCORD_TOKEN is set, else the terminal chat
  storybot serve                connect to Discord
  storybot chat                 ask questions in the terminal
  storybot ask [--json] [Q]     answer one question (no Q: one per line from stdin)
  storybot index                build or refresh the index and print what changed
  storybot search [--k N] Q     the top passages for a question, with scores
  storybot quotes [--json] [S]  every quotation, optionally of one speaker
  storybot eval [--json] FILE   score a question set
  storybot fit [--write]        refit the answer rules' weights (developers)
  storybot eval --conversations FILE   score a conversation set
  storybot feedback [--export]  counts of 👍/👎 per day, most disliked; --export: 👎 as eval lines

Configuration comes from the environment and a .env file; see .env.example.
`

// run is the whole program: main only adds signals and exit codes, so tests
// call run directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)

	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		if cfg.DiscordToken != "" {
			return runServe(ctx, cfg, log, args, stdout)
		}
		return runChat(ctx, cfg, log, args, stdin, stdout)
	case "serve":
		return runServe(ctx, cfg, log, args, stdout)
	case "chat":
		return runChat(ctx, cfg, log, args, stdin, stdout)
	case "ask":
		return runAsk(ctx, cfg, log, args, stdin, stdout)
	case "index":
		return runIndex(ctx, cfg, log, args, stdout)
	case "search":
		return runSearch(ctx, cfg, log, args, stdout)
	case "quotes":
		return runQuotes(ctx, cfg, log, args, stdout)
	case "eval":
		if wantsConversations(args) {
			return runEvalConversations(ctx, cfg, log, args, stdout)
		}
		return runEval(ctx, cfg, log, args, stdout)
	case "fit":
		return runFit(ctx, cfg, log, args, stdout)
	case "feedback":
		return runFeedback(ctx, cfg, log, args, stdout)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "storybot: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// parseFlags parses a subcommand's flags, printing its usage on error.
func parseFlags(fs *flag.FlagSet, args []string, synopsis string) error {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: storybot %s\n", synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	return nil
}

// joinArgs turns the remaining arguments into one question, so that
// `storybot ask who said it` works without quoting.
func joinArgs(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }
