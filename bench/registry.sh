#!/usr/bin/env bash
# A docker-registry on 127.0.0.1 for rows 2 and 3, kept in FOLDER (config, data, log, pid, port).
#
# usage: registry.sh start FOLDER   starts it with empty storage on a free port; prints host:port
#        registry.sh reset FOLDER   stops it, empties its storage, starts it again on the same port
#        registry.sh stop FOLDER    stops it (only the process this script started, by its PID)
set -euo pipefail
action=$1 folder=$2

stop() {
  [[ -f $folder/pid ]] || return 0
  local pid
  pid=$(cat "$folder/pid")
  kill "$pid" 2>/dev/null || true
  # Wait until the port is free again, so a restart on it cannot fail.
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$folder/pid"
}

start() {
  local port=$1
  rm -rf "$folder/data" && mkdir -p "$folder/data"
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$folder/data" "$port" >"$folder/config.yml"
  echo "$port" >"$folder/port"
  setsid docker-registry serve "$folder/config.yml" >"$folder/log.txt" 2>&1 </dev/null &
  echo $! >"$folder/pid"
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && { echo "127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  echo "the registry did not start:" >&2; cat "$folder/log.txt" >&2; exit 1
}

case $action in
  start)
    stop; mkdir -p "$folder"
    start "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" ;;
  reset) stop; start "$(cat "$folder/port")" >/dev/null ;;
  stop) stop ;;
  *) echo "usage: registry.sh start|reset|stop FOLDER" >&2; exit 2 ;;
esac
