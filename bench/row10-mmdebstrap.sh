#!/usr/bin/env bash
# Rows 10 and 10b: run-base built by `dotnet publish` against mmdebstrap building a minbase root
# with the same packages, written as .tar.gz, from the same apt sources (this machine's, read by
# apt-sources.py; ours reads the same ones). One platform, linux/amd64: mmdebstrap builds the
# machine's one architecture.
#   10   cold, from nothing: ours from an empty ModulusBlobCache, publish and obj folders (the
#        project's lock file is part of the project and stays); the peer from a new chroot, as
#        always (its apt cache and lists start empty).
#   10b  warm, one package added (EXTRA, `less` by default, which needs nothing run-base lacks):
#        ours from the blob cache, obj and publish folders a publish of the unchanged project left,
#        with ModulusDebianRefreshLock=true (the request changed, so the lock must be refreshed, as
#        docs/debian.md tells a user); the peer with the .debs of a run of the unchanged set in a
#        local cache, copied into the chroot's apt cache by mmdebstrap's sync-in hook, so neither
#        downloads a package it had. Both fetch the indexes again (the lock's refresh, apt update).
# The two sides alternate (ours first in odd runs, the peer first in even ones) after one warm-up
# run of each; each run's wall time, CPU time (user + system, children included) and peak RSS
# (its largest process) come from GNU time, and its log (ours at -v m) keeps ours' "Publish
# times". Needs root (or unprivileged user namespaces) for mmdebstrap, and the SDK package
# `bash eng/images.sh` leaves in artifacts/feed. Installs nothing.
#
# usage: BENCH_RUNS=3 bash bench/row10-mmdebstrap.sh [10] [10b]     (default: both)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/artifacts/bench/row10
runs=${BENCH_RUNS:-3}
extra=${BENCH_EXTRA_PACKAGE:-less}
rows=("${@:-10 10b}")
rows=(${rows[*]})
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

skip() { echo "row 10 skipped: $1"; exit 0; }
for tool in mmdebstrap python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || skip "install mmdebstrap, python3 and time (apt-get install mmdebstrap python3 time)"
done
[[ -n $(ls artifacts/feed/*.nupkg 2>/dev/null) ]] || skip "run bash eng/images.sh first (the SDK package in artifacts/feed)"
((EUID == 0)) || unshare --user --map-root-user true 2>/dev/null || skip "mmdebstrap needs root or unprivileged user namespaces"

# What images/base asks for: its packages (ModulusDebianPackage) and its suite.
read -r suite packages < <(python3 - images/base/base.csproj <<'PY'
import sys, xml.etree.ElementTree as ET
project = ET.parse(sys.argv[1]).getroot()
suite = project.findtext(".//ModulusDebianSuite") or "bookworm"
print(suite, ",".join(item.get("Include") for item in project.iter("ModulusDebianPackage")))
PY
)
mapfile -t sources < <(python3 bench/apt-sources.py "$suite")

rm -rf "$out" && mkdir -p "$out"
export NUGET_PACKAGES=$out/packages
# Modulus.Sdk from the package eng/images.sh built, as for the image projects themselves.
sed "s#\.\./artifacts/feed#$root/artifacts/feed#" images/nuget.config >"$out/nuget.config"
copy_base() { # FOLDER
  mkdir -p "$1"
  cp images/base/base.csproj images/base/packages.lock.debian.json images/base/Directory.Build.props "$1/"
}
add_package() { # FOLDER PACKAGE
  sed -i "s#^</Project>#  <ItemGroup>\n    <ModulusDebianPackage Include=\"$2\" />\n  </ItemGroup>\n</Project>#" "$1/base.csproj"
}
publish() { # FOLDER [MSBUILD-OPTION...]
  local folder=$1; shift
  echo "dotnet publish $folder/base.csproj -c Release -p:ModulusPlatforms=linux/amd64 -p:ModulusBlobCache=$folder/cache -o $folder/out/ -nologo -v m -nodeReuse:false $*"
}
mmdebstrap_to() { # TARBALL PACKAGES [OPTION...]
  local tarball=$1 include=$2; shift 2
  printf 'mmdebstrap --mode=auto --variant=minbase --include=%q %s %q %q' "$include" "$*" "$suite" "$tarball"
  printf ' %q' "${sources[@]}"
}

# timed ROW SIDE RUN COMMAND: one run under GNU time, recorded as ROW SIDE RUN wall user system kB.
timed() {
  local row=$1 side=$2 run=$3 command=$4
  if ! /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" bash -c "$command" >"$out/log-$row-$side-$run.txt" 2>&1; then
    echo "row $row: $side failed, see $out/log-$row-$side-$run.txt"; tail -n 20 "$out/log-$row-$side-$run.txt"; exit 1
  fi
  printf '%s\t%s\t%s\t%s\n' "$row" "$side" "$run" "$(tail -n1 "$out/time.txt" | tr ' ' '\t')" >>"$out/runs.tsv"
  echo "row $row run $run $side: $(tail -n1 "$out/time.txt")"
}
# pairs ROW: the warm-up pair (run 0, not counted), then RUNS pairs in alternating order.
pairs() {
  local row=$1 run
  for run in $(seq 0 "$runs"); do
    if ((run % 2)); then prepare_ours; timed "$row" ours "$run" "$ours"; prepare_peer; timed "$row" peer "$run" "$peer"
    else prepare_peer; timed "$row" peer "$run" "$peer"; prepare_ours; timed "$row" ours "$run" "$ours"; fi
  done
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

{
  echo "Row 10 run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; $runs runs of each side after one warm-up, alternating."
  echo "Packages: $packages (suite $suite); 10b adds $extra. Sources: ${#sources[@]} apt entries of this machine."
  echo
} >"$out/results.md"
: >"$out/runs.tsv"
echo "load average at the start: $(load)" | tee -a "$out/results.md"

if [[ " ${rows[*]} " == *" 10 "* ]]; then
  echo "== row 10: cold build of run-base from nothing"
  copy_base "$out/cold"
  ours=$(publish "$out/cold")
  peer=$(mmdebstrap_to "$out/peer-cold.tar.gz" "$packages")
  # Everything a cold machine lacks goes: the blob cache, the publish and obj folders. The
  # restored NuGet packages stay (the SDK is installed, as mmdebstrap is).
  prepare_ours() { rm -rf "$out/cold/cache" "$out/cold/out" "$out/cold/obj"; }
  prepare_peer() { rm -f "$out/peer-cold.tar.gz"; }
  rm -rf "$NUGET_PACKAGES/modulus.sdk"
  pairs 10
fi

if [[ " ${rows[*]} " == *" 10b "* ]]; then
  echo "== row 10b: warm rebuild of run-base with one package added ($extra)"
  # The state a user is in before the change: the unchanged project published once (blob cache,
  # obj and publish folders), kept aside and put back before every run of ours.
  copy_base "$out/warm"
  eval "$(publish "$out/warm")" >"$out/log-10b-ours-setup.txt" 2>&1
  cp -a "$out/warm" "$out/warm-before"
  ours=$(publish "$out/warm" -p:ModulusDebianRefreshLock=true)
  prepare_ours() { rm -rf "$out/warm" && cp -a "$out/warm-before" "$out/warm" && add_package "$out/warm" "$extra"; }
  # The peer's local cache: the .debs of a run with the unchanged set, as mmdebstrap's manual
  # shows (sync-out after the run, sync-in before apt runs); the timed runs only read it.
  mkdir -p "$out/debs"
  eval "$(mmdebstrap_to "$out/peer-warm.tar.gz" "$packages" --skip=essential/unlink \
    --setup-hook="'mkdir -p \"\$1\"/var/cache/apt/archives/'" \
    --customize-hook="'sync-out /var/cache/apt/archives $out/debs'")" >"$out/log-10b-peer-setup.txt" 2>&1
  peer=$(mmdebstrap_to "$out/peer-warm.tar.gz" "$packages,$extra" --skip=essential/unlink \
    --setup-hook="'mkdir -p \"\$1\"/var/cache/apt/archives/'" \
    --setup-hook="'sync-in $out/debs /var/cache/apt/archives/'")
  prepare_peer() { rm -f "$out/peer-warm.tar.gz"; }
  pairs 10b
  # Both images hold the package that was added.
  tar -tzf "$out/peer-warm.tar.gz" "./usr/bin/$extra" >/dev/null || { echo "row 10b: $extra is not in the peer's root"; exit 1; }
  grep -q "\"name\": *\"$extra\"" "$out/warm/packages.lock.debian.json" || { echo "row 10b: $extra is not in ours' lock"; exit 1; }
fi

echo "load average at the end: $(load)" | tee -a "$out/results.md"
python3 - "$out/runs.tsv" >>"$out/results.md" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    row, side, run, wall, user, system, kb = line.split("\t")
    if run != "0":
        runs.setdefault(row, {}).setdefault(side, []).append((float(wall), float(user) + float(system), int(kb)))
print()
print("| # | ours median (min–max) | peer median (min–max) | ours/peer | CPU ours / peer (median) | CPU ours/peer | peak RSS ours / peer |")
print("|---|---|---|---|---|---|---|")
for row, sides in runs.items():
    def wall(side):
        values = [r[0] for r in sides[side]]
        return statistics.median(values), f"{statistics.median(values):.1f} s ({min(values):.1f}–{max(values):.1f})"
    cpu = {side: statistics.median(r[1] for r in sides[side]) for side in sides}
    peak = {side: max(r[2] for r in sides[side]) / 1024 for side in sides}
    (ours, ours_text), (peer, peer_text) = wall("ours"), wall("peer")
    print(f"| {row} | {ours_text} | {peer_text} | {ours / peer:.2f} | {cpu['ours']:.1f} s / {cpu['peer']:.1f} s | {cpu['ours'] / cpu['peer']:.2f} | {peak['ours']:.0f} MB / {peak['peer']:.0f} MB |")
PY
# The runs' large leftovers; the logs, runs.tsv and results.md stay.
rm -rf "$out/cold" "$out/warm" "$out/warm-before" "$out/debs" "$out"/peer-*.tar.gz
cat "$out/results.md"
