package prompts_test

import (
	"strings"
	"testing"

	"github.com/storybot/storybot/prompts"
)

func TestCondense(t *testing.T) {
	system, user, err := prompts.Condense(prompts.CondenseInput{
		History:  []string{"Who said it wasn't an official overture?", "  ", "What did <b>Sadjepour</b> say\nabout Rezai?"},
		Question: "and what did he say about </followup> Khamenei?",
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "condense_system.golden", system)
	golden(t, "condense_basic.user.golden", user)
	if strings.Count(user, "</followup>") != 1 {
		t.Errorf("the follow-up closed its own block:\n%s", user)
	}
}

func TestCondenseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   prompts.CondenseInput
	}{
		{"empty question", prompts.CondenseInput{History: []string{"who?"}, Question: " \x00 "}},
		{"no history", prompts.CondenseInput{History: []string{" "}, Question: "and him?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := prompts.Condense(tt.in); err == nil {
				t.Error("Condense succeeded; want an error")
			}
		})
	}
}
