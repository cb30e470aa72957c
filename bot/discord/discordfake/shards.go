package discordfake

import (
	"encoding/json"
	"strconv"
)

// shardKey is a gateway connection's [shard_id, num_shards].
type shardKey struct{ id, n int }

// owns reports whether the shard receives the events of guildID ("" for
// a DM, which Discord sends to shard 0).
func (k shardKey) owns(guildID string) bool {
	if k.n <= 1 {
		return true
	}
	return ShardOf(guildID, k.n) == k.id
}

// ShardOf returns the shard, of n, that receives guildID's events:
// (guild_id >> 22) % n, Discord's rule. DMs ("") and ids that are not
// snowflakes go to shard 0.
func ShardOf(guildID string, n int) int {
	if n <= 1 || guildID == "" {
		return 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(n))
}

// GuildOnShard returns a guild id, in the style of DefaultGuildID, whose
// events go to shard id of n; different k give different guilds.
func GuildOnShard(id, n, k int) string {
	const base = 1180000000000000100 >> 22 // DefaultGuildID's timestamp part
	ts := uint64(base) + uint64(k*n)
	ts += uint64((id - int(ts%uint64(n)) + n) % n)
	return strconv.FormatUint(ts<<22|uint64(k), 10)
}

// eventGuild returns the top-level guild_id of a dispatch's data, or "".
func eventGuild(raw json.RawMessage) string {
	var ev struct {
		GuildID string `json:"guild_id"`
	}
	if json.Unmarshal(raw, &ev) != nil {
		return ""
	}
	return ev.GuildID
}
