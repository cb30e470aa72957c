package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseShards(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  bool
	}{
		{"", 0, false},
		{"auto", 0, false},
		{"AUTO", 0, false},
		{"1", 1, false},
		{"16", 16, false},
		{"0", 0, true},
		{"-2", 0, true},
		{"two", 0, true},
		{"70000", 0, true},
	} {
		got, err := parseShards(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("parseShards(%q) = %d, %v; want %d, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestParseShardIDs(t *testing.T) {
	for _, c := range []struct {
		in, want string
		err      bool
	}{
		{"", "[]", false},
		{"0", "[0]", false},
		{"1,0", "[0 1]", false},
		{"0,2-4", "[0 2 3 4]", false},
		{"0 2-4, 3", "[0 2 3 4]", false},
		{"5-5", "[5]", false},
		{"4-2", "", true},
		{"a", "", true},
		{"-1", "", true},
		{"1-", "", true},
	} {
		got, err := parseShardIDs(c.in)
		if (err != nil) != c.err || (!c.err && fmt.Sprint(got) != c.want) {
			t.Errorf("parseShardIDs(%q) = %v, %v; want %s, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestShardConfig(t *testing.T) {
	env := map[string]string{"STORYBOT_SHARDS": "2", "STORYBOT_SHARD_IDS": "1"}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil || cfg.Shards != 2 || fmt.Sprint(cfg.ShardIDs) != "[1]" {
		t.Errorf("loadConfig = %d %v, %v; want 2 [1]", cfg.Shards, cfg.ShardIDs, err)
	}
	env["STORYBOT_SHARD_IDS"] = "0-2"
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "shard 2") {
		t.Errorf("shard 2 of 2: err = %v, want one naming shard 2", err)
	}
	cfg, err = loadConfig(func(string) string { return "" })
	if err != nil || cfg.Shards != 0 || cfg.ShardIDs != nil || cfg.DatabaseURL != "" {
		t.Errorf("defaults = %d %v %q, %v; want auto, all, no database", cfg.Shards, cfg.ShardIDs, cfg.DatabaseURL, err)
	}
}
