#!/usr/bin/env bash
# Row 8: a publish of images/base on a second machine that shares the first one's build cache
# through a registry (ModulusCacheRepository), against the first machine's cold publish.
# "Machines" are two empty blob caches (ModulusBlobCache) and publish folders; one docker-registry
# on 127.0.0.1 is the cache. Needs docker-registry, bc and the SDK package `bash eng/images.sh`
# (or `dotnet pack src/Modulus.Sdk -o artifacts/feed`) leaves in artifacts/feed. Installs nothing.
# BENCH_RUNS pairs (3 by default), each from empty caches and an empty registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for tool in docker-registry bc; do
  command -v "$tool" >/dev/null || { echo "row 8 skipped: install $tool"; exit 0; }
done
[ -d artifacts/feed ] || { echo "row 8 skipped: run bash eng/images.sh first (artifacts/feed)"; exit 0; }
export NUGET_PACKAGES="$root/artifacts/nuget-packages"
work=$(mktemp -d /tmp/modulus-row8.XXXXXX)
registry_pid=
stop() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap stop EXIT

publish() { # machine port
  local start end
  start=$(date +%s.%N)
  dotnet publish images/base/base.csproj -c Release -o "$work/out-$1/" -nologo -nodeReuse:false \
    "-p:ModulusBlobCache=$work/cache-$1" "-p:ModulusIntermediateDirectory=$work/obj-$1/" \
    "-p:ModulusCacheRepository=127.0.0.1:$2/team/modulus-cache" > "$work/log-$1.txt" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "| run | first machine (cold, fills the cache) | second machine (empty blob cache, cache warm) | second/first | same index digest |"
echo "|---|---|---|---|---|"
for run in $(seq "${BENCH_RUNS:-3}"); do
  rm -rf "${work:?}"/*
  mkdir -p "$work/storage"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/storage" "$port" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
  registry_pid=$!
  sleep 1
  first=$(publish a "$port")
  second=$(publish b "$port")
  kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true; registry_pid=
  digest_a=$(grep -o 'index sha256:[0-9a-f]*' "$work/log-a.txt" | head -1)
  digest_b=$(grep -o 'index sha256:[0-9a-f]*' "$work/log-b.txt" | head -1)
  same=$([ -n "$digest_a" ] && [ "$digest_a" = "$digest_b" ] && echo yes || echo "no ($digest_a / $digest_b)")
  printf '| %s | %.1f s | %.1f s | %.2f | %s |\n' "$run" "$first" "$second" "$(echo "$second / $first" | bc -l)" "$same"
done
