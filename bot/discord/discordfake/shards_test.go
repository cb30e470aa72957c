package discordfake_test

import (
	"fmt"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discord/discordfake"
)

func TestGuildOnShard(t *testing.T) {
	for _, n := range []int{1, 2, 3, 16} {
		for id := range n {
			seen := map[string]bool{}
			for k := range 5 {
				g := discordfake.GuildOnShard(id, n, k)
				if got := discordfake.ShardOf(g, n); got != id {
					t.Errorf("ShardOf(GuildOnShard(%d, %d, %d) = %s, %d) = %d, want %d", id, n, k, g, n, got, id)
				}
				if seen[g] {
					t.Errorf("GuildOnShard(%d, %d, %d) = %s repeats", id, n, k, g)
				}
				seen[g] = true
			}
		}
	}
	if got := discordfake.ShardOf("", 4); got != 0 {
		t.Errorf("ShardOf(DM) = %d, want 0", got)
	}
	// A snowflake from Discord's documentation, routed by hand.
	if got, want := discordfake.ShardOf("197038439483310086", 2), int((uint64(197038439483310086)>>22)%2); got != want {
		t.Errorf("ShardOf = %d, want %d", got, want)
	}
}

// TestShardRouting opens shards 0 and 1 of 2 and checks that a guild's
// events reach its shard only, and DMs shard 0.
func TestShardRouting(t *testing.T) {
	f := newFake(t, discordfake.Options{Shards: 2, MaxConcurrency: 2})
	got := [2]chan string{make(chan string, 8), make(chan string, 8)}
	for id := range 2 {
		openSession(t, f, func(s *discordgo.Session) {
			s.ShardID, s.ShardCount = id, 2
			s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { offer(got[id], m.Content) })
		})
		if err := f.WaitShardReady(testContext(t), id, 2); err != nil {
			t.Fatal(err)
		}
	}
	var shards [][2]int
	for _, id := range f.Identifies() {
		if len(id.Shard) == 2 {
			shards = append(shards, [2]int{id.Shard[0], id.Shard[1]})
		}
	}
	if fmt.Sprint(shards) != "[[0 2] [1 2]]" {
		t.Errorf("IDENTIFY shards = %v, want [[0 2] [1 2]]", shards)
	}
	for _, c := range []struct {
		guild string
		shard int
	}{
		{discordfake.GuildOnShard(0, 2, 1), 0},
		{discordfake.GuildOnShard(1, 2, 1), 1},
		{"", 0}, // a DM
	} {
		text := "to " + c.guild
		if err := f.Dispatch("MESSAGE_CREATE", discordfake.MessageCreate(discordfake.MessageSpec{Content: text, GuildID: c.guild})); err != nil {
			t.Fatal(err)
		}
		if m := receive(t, got[c.shard], "the message on shard "+fmt.Sprint(c.shard)); m != text {
			t.Errorf("shard %d got %q, want %q", c.shard, m, text)
		}
	}
	select {
	case m := <-got[0]:
		t.Errorf("shard 0 also got %q", m)
	case m := <-got[1]:
		t.Errorf("shard 1 also got %q", m)
	default:
	}

	if n := f.CloseShard(1, 4000, "test"); n != 1 {
		t.Errorf("CloseShard closed %d connections, want 1", n)
	}
	// Shard 0 is untouched: its guild's events still arrive.
	if err := f.Dispatch("MESSAGE_CREATE", discordfake.MessageCreate(discordfake.MessageSpec{Content: "still", GuildID: discordfake.GuildOnShard(0, 2, 2)})); err != nil {
		t.Fatal(err)
	}
	receive(t, got[0], "a message on shard 0 after shard 1 closed")
	if err := f.Dispatch("MESSAGE_CREATE", discordfake.MessageCreate(discordfake.MessageSpec{Content: "lost", GuildID: discordfake.GuildOnShard(1, 2, 2)})); err == nil {
		t.Error("Dispatch to a closed shard succeeded")
	}
}
