#!/usr/bin/env bash
# pg-test-cluster.sh: a throwaway PostgreSQL cluster for storybot's tests.
#
# Usage: scripts/pg-test-cluster.sh start DIR   # prints the URL to export
#        scripts/pg-test-cluster.sh stop DIR
#
#   eval "$(scripts/pg-test-cluster.sh start /tmp/storybot-pg)"
#   go test -race ./retrieval/pgindex/ ./cmd/storybot/
#   scripts/pg-test-cluster.sh stop /tmp/storybot-pg
#
# start runs initdb and pg_ctl for a cluster in DIR (created; it must not
# hold another cluster) that listens on a Unix socket in DIR only, with
# trust authentication for the superuser "storybot": nothing is reachable
# from the network. It prints
#   export STORYBOT_TEST_DATABASE_URL=postgres://storybot@/postgres?host=DIR
# which the tests read; each test creates and drops its own database.
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# "postgres" user the Debian package creates (or "nobody"), and DIR is
# handed to that user. Binaries: PG_BIN, else pg_config --bindir, else
# /usr/lib/postgresql/15/bin (Debian 12's postgresql package), else PATH.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2
  exit 2
fi

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for c in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$c" ] && [ -x "$c/initdb" ]; then bin=$c; fi
  done
fi
if [ -z "$bin" ] && command -v initdb >/dev/null; then bin=$(dirname "$(command -v initdb)"); fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-test-cluster: no initdb found (apt-get install -y postgresql, or set PG_BIN)" >&2
  exit 1
fi

# as runs a command as the cluster's owner.
owner=""
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi
as() {
  if [ -n "$owner" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -e "$dir/data/PG_VERSION" ]; then
    echo "pg-test-cluster: $dir already holds a cluster; stop it and remove the folder first" >&2
    exit 1
  fi
  if [ -n "$owner" ]; then
    chown -R "$owner" "$dir"
    if ! runuser -u "$owner" -- test -w "$dir"; then
      echo "pg-test-cluster: user $owner cannot reach $dir; use a folder whose parents it may enter (e.g. under /tmp, mode 755)" >&2
      exit 1
    fi
  fi
  as "$bin/initdb" -D "$dir/data" -U storybot --auth=trust --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; exit 1; }
  # Small and fast: no TCP, no fsync (the data is thrown away).
  if ! as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null; then
    cat "$dir/server.log" >&2; exit 1
  fi
  echo "export STORYBOT_TEST_DATABASE_URL='postgres://storybot@/postgres?host=$dir'"
  ;;
stop)
  dir=$(cd "$dir" && pwd)
  if [ -e "$dir/data/postmaster.pid" ]; then
    as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
  fi
  ;;
*)
  echo "pg-test-cluster: unknown command $cmd (start or stop)" >&2
  exit 2
  ;;
esac
