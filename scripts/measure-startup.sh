#!/usr/bin/env bash
# measure-startup.sh: wall time and peak memory of `storybot ask` as a fresh
# process, offline with the default story, (a) with the index already on
# disk and (b) with no index on disk (the run builds and saves it).
#
# Usage: scripts/measure-startup.sh [--check] [-n RUNS]
#
#   --check   exit 1, naming the target, if a target is missed:
#             persisted index, median wall <= 150 ms and peak RSS <= 60 MB
#   -n RUNS   timed runs per case (default 11)
#
# Wall time is taken with bash's EPOCHREALTIME around each run; peak RSS
# (VmHWM of the storybot process) from GNU time's %M, which reads it from
# wait4's rusage. That needs /usr/bin/time: `apt-get install time` on
# Debian/Ubuntu. Without it the script still measures wall time and reports
# RSS as n/a (and --check fails, since the memory target cannot be checked).
# bash's `time` keyword reports no memory, and polling /proc/PID/status
# misses the peak of a process that lives for a few tens of milliseconds.
#
# The timed numbers include starting env and /usr/bin/time; the table's last
# row measures that harness alone (running /bin/true). MB is 10^6 bytes.
set -euo pipefail

runs=11
check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    -n) runs=${2:?-n needs a number}; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "measure-startup: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case "$runs" in ''|*[!0-9]*|0) echo "measure-startup: -n needs a positive number" >&2; exit 2 ;; esac

if [ -z "${EPOCHREALTIME:-}" ]; then
  echo "measure-startup: needs bash 5 or later (EPOCHREALTIME)" >&2
  exit 2
fi

target_wall_ms=150
target_rss_kb=$((60 * 1000 * 1000 / 1024)) # 60 MB in KiB, as %M reports
question="who said it wasn't an official overture?"

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gnutime=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null; then
  gnutime=/usr/bin/time
else
  echo "measure-startup: GNU time not found at /usr/bin/time; peak RSS will be n/a." >&2
  echo "  install it with: apt-get install time" >&2
fi

echo "building storybot ..." >&2
(cd "$repo" && go build -o "$tmp/storybot" ./cmd/storybot)

# Run from an empty folder so that no .env is read, with every variable that
# would bring in a model server, Discord or another story folder removed.
mkdir "$tmp/cwd"
cd "$tmp/cwd"
clean_env=(env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u STORYBOT_CHAT_MODEL -u STORYBOT_EMBED_MODEL
  -u DISCORD_TOKEN -u DISCORD_GUILD_ID -u DISCORD_API_URL -u STORYBOT_DATA_DIR -u LOG_LEVEL)

now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }

# once INDEXDIR [COMMAND...]: runs COMMAND (default: storybot ask QUESTION)
# as measured; sets last_us and last_kb.
once() {
  local dir=$1 start end
  shift
  if [ $# -eq 0 ]; then set -- "$tmp/storybot" ask "$question"; fi
  start=$(now_us)
  if [ -n "$gnutime" ]; then
    "${clean_env[@]}" STORYBOT_INDEX_DIR="$dir" "$gnutime" -f %M -o "$tmp/rss" "$@" >"$tmp/out" 2>"$tmp/err"
  else
    "${clean_env[@]}" STORYBOT_INDEX_DIR="$dir" "$@" >"$tmp/out" 2>"$tmp/err"
  fi || { echo "measure-startup: $* failed:" >&2; cat "$tmp/err" >&2; exit 1; }
  end=$(now_us)
  last_us=$((end - start))
  last_kb=""
  if [ -n "$gnutime" ]; then last_kb=$(tail -n 1 "$tmp/rss"); fi
}

# ask INDEXDIR: once, checking that storybot answered.
ask() {
  once "$1"
  if [ ! -s "$tmp/out" ]; then echo "measure-startup: storybot ask printed nothing" >&2; exit 1; fi
}

# summarize LABEL: appends one table row for the walls[] and rsss[] arrays
# to rows[], and sets med_ms and max_kb.
summarize() {
  local label=$1 sorted n
  mapfile -t sorted < <(printf '%s\n' "${walls[@]}" | sort -n)
  n=${#sorted[@]}
  med_us=${sorted[$((n / 2))]}
  if [ $((n % 2)) -eq 0 ]; then med_us=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2)); fi
  max_us=${sorted[$((n - 1))]}
  min_us=${sorted[0]}
  max_kb=""
  local rss="n/a"
  if [ -n "$gnutime" ]; then
    max_kb=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -n 1)
    rss=$(awk -v k="$max_kb" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
  fi
  med_ms=$(((med_us + 500) / 1000))
  rows+=("$(printf '| %-22s | %4d | %9s | %9s | %9s | %13s |' "$label" "$n" \
    "$(awk -v u="$med_us" 'BEGIN { printf "%.1f", u / 1000 }')" \
    "$(awk -v u="$min_us" 'BEGIN { printf "%.1f", u / 1000 }')" \
    "$(awk -v u="$max_us" 'BEGIN { printf "%.1f", u / 1000 }')" "$rss")")
}

# (a) persisted index: the warm-up run builds it, the timed runs load it.
persisted="$tmp/index-persisted"
mkdir "$persisted"
ask "$persisted"
answer=$(head -n 1 "$tmp/out")
walls=() rsss=()
for _ in $(seq "$runs"); do
  ask "$persisted"
  walls+=("$last_us") rsss+=("${last_kb:-0}")
done
rows=()
summarize "persisted index"
pers_med_ms=$med_ms pers_max_kb=$max_kb

# (b) no index on disk: every run starts with an empty index folder.
walls=() rsss=()
for i in $(seq "$runs"); do
  mkdir "$tmp/index-fresh-$i"
  ask "$tmp/index-fresh-$i"
  walls+=("$last_us") rsss+=("${last_kb:-0}")
done
summarize "no index (builds it)"

# The harness alone: env and /usr/bin/time starting /bin/true.
walls=() rsss=()
for _ in $(seq "$runs"); do
  once "$tmp/cwd" true
  walls+=("$last_us") rsss+=("${last_kb:-0}")
done
summarize "harness only (true)"

echo "storybot ask \"$question\""
echo "offline, default story; $(nproc) cores; $(go version | cut -d' ' -f3-4); $(date -u +%Y-%m-%d)"
echo "answer: ${answer:0:100}"
echo
echo "| case                   | runs | median ms |    min ms |    max ms | peak RSS (MB) |"
echo "| ---------------------- | ---- | --------- | --------- | --------- | ------------- |"
printf '%s\n' "${rows[@]}"
echo
echo "wall: fork to exit, harness included; peak RSS: the largest VmHWM of the runs"
echo "targets (persisted index): median <= ${target_wall_ms} ms, peak RSS <= 60 MB"

[ "$check" -eq 1 ] || exit 0
missed=0
if [ "$pers_med_ms" -gt "$target_wall_ms" ]; then
  echo "MISSED: persisted-index median wall time ${pers_med_ms} ms > ${target_wall_ms} ms" >&2
  missed=1
fi
if [ -z "$gnutime" ]; then
  echo "MISSED: peak RSS not measured (no GNU time; apt-get install time)" >&2
  missed=1
elif [ "$pers_max_kb" -gt "$target_rss_kb" ]; then
  echo "MISSED: persisted-index peak RSS $(awk -v k="$pers_max_kb" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }') MB > 60 MB" >&2
  missed=1
fi
if [ "$missed" -eq 0 ]; then echo "all targets met"; fi
exit "$missed"
