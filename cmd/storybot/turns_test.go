package main

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot"
)

func TestParseTurn(t *testing.T) {
	tests := []struct {
		name, line, conversation, question string
		wantErr                            bool
	}{
		{"plain question", "who wrote the book?", "", "who wrote the book?", false},
		{"turn", `{"question": "and him?", "conversation": "c1"}`, "c1", "and him?", false},
		{"turn without a conversation", `{"question": "who?"}`, "", "who?", false},
		{"no question", `{"conversation": "c1"}`, "", "", true},
		{"unknown field", `{"question": "x", "convo": "c1"}`, "", "", true},
		{"broken JSON", `{"question": "x`, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv, q, err := parseTurn(tt.line)
			if (err != nil) != tt.wantErr || conv != tt.conversation || q != tt.question {
				t.Errorf("parseTurn(%q) = %q, %q, %v; want %q, %q, error %v", tt.line, conv, q, err, tt.conversation, tt.question, tt.wantErr)
			}
		})
	}
}

func TestAskConversationTurns(t *testing.T) {
	stdin := strings.Join([]string{
		`{"question": "who said it wasn't an official overture?", "conversation": "c1"}`,
		`{"question": "what else did he say?", "conversation": "c2"}`,
		`{"question": "what else did he say?", "conversation": "c1"}`,
		`what else did he say?`,
	}, "\n")
	out := runCmd(t, stdin, "ask", "--json")
	var replies []bot.Reply
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r bot.Reply
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if !strings.Contains(sc.Text(), `"standalone"`) {
			t.Errorf("answer lacks \"standalone\": %s", sc.Text())
		}
		replies = append(replies, r)
	}
	if len(replies) != 4 {
		t.Fatalf("%d answers; want 4", len(replies))
	}
	for i, want := range []bool{false, false, true, false} {
		r := replies[i]
		rewritten := r.Standalone != r.Question
		if rewritten != want {
			t.Errorf("turn %d %q read as %q; want rewritten %v", i+1, r.Question, r.Standalone, want)
		}
	}
	if !strings.Contains(replies[2].Standalone, "Sadjepour") {
		t.Errorf("c1's follow-up read as %q; want Sadjepour", replies[2].Standalone)
	}
}

func TestChatNewConversation(t *testing.T) {
	out := runCmd(t, "who said it wasn't an official overture?\nwhat else did he say?\n/new\nwhat else did he say?\n", "chat")
	if n := strings.Count(out, "(read as: What else did Karim Sadjepour say?)"); n != 1 {
		t.Errorf("%d follow-ups read with the conversation; want 1 (the one before /new):\n%s", n, out)
	}
	if !strings.Contains(out, "(new conversation)") {
		t.Errorf("/new was not acknowledged:\n%s", out)
	}
}

func TestEvalConversations(t *testing.T) {
	out := runCmd(t, "", "eval", "--conversations", "testdata/conversations.jsonl")
	for _, row := range []string{"first turn", "follow-up ", "no memory", "gold ", "overall"} {
		if !strings.Contains(out, row) {
			t.Errorf("report lacks the %q row:\n%s", row, out)
		}
	}
}
