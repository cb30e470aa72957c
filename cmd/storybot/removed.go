package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Questions whose answer has been cut out of their story: the kind of
// question a reader asks that a story leaves open. The public data's
// unanswerable questions were written to look answerable, by changing one
// detail of a paragraph, so they share the paragraph's words. A reader's
// question that a story doesn't answer is about the story's subject but asks
// for what it never says. Taking the paragraph that answers a question out
// of its story makes one of those, with a label that needs no judgement:
// when none of the question's accepted answers is anywhere in what is left,
// the story doesn't say.

// removeEvery is the period of the cut: paragraphs 3, 6, 9, … go, a third of
// each story, so that most of its subject stays.
const removeEvery = 3

// kindAnswerRemoved marks an item whose answer was cut out of its story.
const kindAnswerRemoved = "answer-removed"

// blockSep separates a story file's blocks: the title, then one paragraph
// per block.
var blockSep = regexp.MustCompile(`\n[ \t]*\n`)

// withAnswersRemoved writes into dst the public-data stories of srcDir that
// items ask about, each with every removeEvery-th paragraph cut, and returns
// the items to ask about them. An answerable item about a cut paragraph
// whose accepted answers are nowhere in what is left becomes unanswerable;
// one about a kept paragraph stays answerable, renumbered; the rest (items
// of other formats, unanswerable ones, answers still in the story) are left
// out, since their answer is no longer known.
func withAnswersRemoved(srcDir, dst string, items []evalItem) ([]evalItem, error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	kept := map[string]string{} // story → the text left
	var out []evalItem
	for _, it := range items {
		if !it.byParagraph() || !it.Answerable {
			continue
		}
		text, ok := kept[it.Story]
		if !ok {
			var err error
			if text, err = cutStory(srcDir, dst, it.Story); err != nil {
				return nil, err
			}
			kept[it.Story] = text
		}
		if it.Paragraph%removeEvery != 0 {
			it.Paragraph -= it.Paragraph / removeEvery
			out = append(out, it)
			continue
		}
		if slices.ContainsFunc(it.Answers, func(a string) bool { return answerIn(text, a) }) {
			continue
		}
		it.Answerable, it.Answers, it.Paragraph, it.Kind = false, nil, 0, kindAnswerRemoved
		out = append(out, it)
	}
	return out, nil
}

// cutStory writes story slug of srcDir into dst without its cut paragraphs,
// with its sidecar, and returns the text left.
func cutStory(srcDir, dst, slug string) (string, error) {
	b, err := os.ReadFile(filepath.Join(srcDir, slug+".txt"))
	if err != nil {
		return "", fmt.Errorf("cut story: %w", err)
	}
	blocks := blockSep.Split(strings.TrimSpace(string(b)), -1)
	left := blocks[:1] // the title
	for i, p := range blocks[1:] {
		if (i+1)%removeEvery != 0 {
			left = append(left, p)
		}
	}
	text := strings.Join(left, "\n\n") + "\n"
	if err := os.WriteFile(filepath.Join(dst, slug+".txt"), []byte(text), 0o644); err != nil {
		return "", fmt.Errorf("cut story: %w", err)
	}
	if side, err := os.ReadFile(filepath.Join(srcDir, slug+".json")); err == nil {
		if err := os.WriteFile(filepath.Join(dst, slug+".json"), side, 0o644); err != nil {
			return "", fmt.Errorf("cut story: %w", err)
		}
	}
	return text, nil
}
