#!/usr/bin/env bash
# Row 8 (`row8-registry-cache.sh base`, the default) and 8b (`row8-registry-cache.sh node`): a
# publish of images/base, or of images/node (which publishes images/base first), on a second
# machine that shares the first one's build cache through a registry (ModulusCacheRepository),
# against the first machine's cold publish. "Machines" are two empty blob caches
# (ModulusBlobCache), publish folders, HOMEs and NuGet package folders; one docker-registry on
# 127.0.0.1 is the cache. The second machine's Debian mirror (MODULUS_DEBIAN_MIRROR) and npm
# registry (ModulusNpmRegistry) are a loopback server that answers 404 and counts what it is
# asked: a request there would also fail the publish. Needs docker-registry, bc, python3 and the
# SDK package `bash eng/images.sh` (or `dotnet pack src/Modulus.Sdk -o artifacts/feed`) leaves in
# artifacts/feed. Installs nothing. BENCH_RUNS pairs (3 by default), each from empty caches and an
# empty registry. BENCH_VERBOSITY=d and BENCH_KEEP_LOGS=FOLDER keep detailed logs of the last pair.
set -euo pipefail
image=${1:-base}
case "$image" in base|node) ;; *) echo "usage: $0 [base|node]"; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for tool in docker-registry bc python3; do
  command -v "$tool" >/dev/null || { echo "row 8 skipped: install $tool"; exit 0; }
done
[ -d artifacts/feed ] || { echo "row 8 skipped: run bash eng/images.sh first (artifacts/feed)"; exit 0; }
export DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
work=$(mktemp -d /tmp/modulus-row8.XXXXXX)
registry_pid=
stand_in_pid=
stop() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null
  [ -n "$stand_in_pid" ] && kill "$stand_in_pid" 2>/dev/null
  rm -rf "$work"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A machine of its own: blob cache, publish and intermediate folders, HOME and NuGet packages.
# CPU seconds (user + system of the whole process tree) go to $work/cpu-MACHINE.
publish() { # machine registry-port [extra dotnet publish arguments]
  local machine=$1 port=$2 start end
  shift 2
  mkdir -p "$work/home-$machine"
  start=$(date +%s.%N)
  HOME="$work/home-$machine" NUGET_PACKAGES="$work/nuget-$machine" /usr/bin/time -f '%U %S' -o "$work/cpu-$machine" \
    dotnet publish "images/$image/$image.csproj" -c Release -o "$work/out-$machine/" -nologo -nodeReuse:false ${BENCH_VERBOSITY:+-v:$BENCH_VERBOSITY} \
    "-p:ModulusBlobCache=$work/cache-$machine" "-p:ModulusIntermediateDirectory=$work/obj-$machine/" \
    "-p:ModulusCacheRepository=127.0.0.1:$port/team/modulus-cache" "$@" > "$work/log-$machine.txt" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

cpu() { awk '{ print $1 + $2 }' "$work/cpu-$1"; }

echo "| run | first machine (cold, fills the cache) | second machine (empty blob cache, cache warm) | second/first | CPU second/first | mirror and npm requests of the second | same index digest |"
echo "|---|---|---|---|---|---|---|"
for run in $(seq "${BENCH_RUNS:-3}"); do
  rm -rf "${work:?}"/*
  mkdir -p "$work/storage" "$work/stand-in"
  port=$(free_port)
  printf 'version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/storage" "$port" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
  registry_pid=$!
  stand_in=$(free_port)
  # An empty folder: every request is a 404, and each is one line of the log.
  python3 -m http.server --bind 127.0.0.1 --directory "$work/stand-in" "$stand_in" > "$work/stand-in.log" 2>&1 &
  stand_in_pid=$!
  sleep 1
  first=$(publish a "$port")
  second=$(MODULUS_DEBIAN_MIRROR="http://127.0.0.1:$stand_in/debian" publish b "$port" "-p:ModulusNpmRegistry=http://127.0.0.1:$stand_in/npm/")
  kill "$registry_pid" "$stand_in_pid"; wait "$registry_pid" "$stand_in_pid" 2>/dev/null || true; registry_pid= stand_in_pid=
  requests=$(grep -c '"GET \|"HEAD \|"POST ' "$work/stand-in.log" || true)
  # The last index line is the image's own (images/node publishes images/base before it).
  digest_a=$(grep -o 'index sha256:[0-9a-f]*' "$work/log-a.txt" | tail -1)
  digest_b=$(grep -o 'index sha256:[0-9a-f]*' "$work/log-b.txt" | tail -1)
  same=$([ -n "$digest_a" ] && [ "$digest_a" = "$digest_b" ] && echo "yes (${digest_a#index })" || echo "no ($digest_a / $digest_b)")
  printf '| %s | %.1f s (CPU %.1f s) | %.1f s (CPU %.1f s) | %.2f | %.2f | %s | %s |\n' "$run" "$first" "$(cpu a)" "$second" "$(cpu b)" \
    "$(echo "$second / $first" | bc -l)" "$(echo "$(cpu b) / $(cpu a)" | bc -l)" "$requests" "$same"
  [ "${BENCH_KEEP_LOGS:-}" ] && cp "$work"/log-*.txt "$work/stand-in.log" "${BENCH_KEEP_LOGS}/" 2>/dev/null || true
done
