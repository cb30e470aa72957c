package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxShards bounds STORYBOT_SHARDS and the shard ids, so a typo cannot
// ask for millions of sessions.
const maxShards = 1 << 16

// parseShards reads STORYBOT_SHARDS: "" or "auto" (0: ask Discord), or a
// positive number.
func parseShards(v string) (int, error) {
	if v == "" || strings.EqualFold(v, "auto") {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxShards {
		return 0, fmt.Errorf("STORYBOT_SHARDS must be auto or a number of shards from 1 to %d, got %q", maxShards, v)
	}
	return n, nil
}

// parseShardIDs reads STORYBOT_SHARD_IDS: shard ids and ranges separated
// by commas or spaces ("0,2-4"), ascending without repeats; "" (all
// shards) is nil.
func parseShardIDs(v string) ([]int, error) {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	if len(fields) == 0 {
		return nil, nil
	}
	bad := func(why string) error {
		return fmt.Errorf("STORYBOT_SHARD_IDS must list shard ids and ranges, e.g. 0,2-4; %q: %s", v, why)
	}
	num := func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 || n >= maxShards {
			return 0, bad(fmt.Sprintf("%q is not a shard id", s))
		}
		return n, nil
	}
	var ids []int
	for _, f := range fields {
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := num(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = num(hi); err != nil {
				return nil, err
			}
			if b < a {
				return nil, bad(fmt.Sprintf("range %s runs backwards", f))
			}
		}
		for id := a; id <= b; id++ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
