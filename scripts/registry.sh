#!/usr/bin/env bash
# A throw-away docker-registry (distribution 2.8) on 127.0.0.1, for the demo and the import benchmarks.
#   registry.sh start DIR PORT   fresh empty storage under DIR, wait until /v2/ answers
#   registry.sh stop DIR         stop the one started under DIR
set -euo pipefail
cmd=$1 dir=$2
stop() {
  if [ -f "$dir/pid" ]; then
    kill "$(cat "$dir/pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(cat "$dir/pid")" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$(cat "$dir/pid")" 2>/dev/null || true
    rm -f "$dir/pid"
  fi
}
case $cmd in
  start)
    port=$3
    stop
    rm -rf "$dir" && mkdir -p "$dir/storage"
    cat > "$dir/config.yml" <<CONFIG
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $dir/storage}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$port}
CONFIG
    setsid docker-registry serve "$dir/config.yml" > "$dir/registry.log" 2>&1 < /dev/null &
    echo $! > "$dir/pid"
    for _ in $(seq 1 200); do
      curl -fs "http://127.0.0.1:$port/v2/" > /dev/null && exit 0
      sleep 0.05
    done
    echo "registry.sh: docker-registry did not answer on 127.0.0.1:$port (see $dir/registry.log)" >&2
    exit 1 ;;
  stop) stop ;;
  *) echo "usage: registry.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
