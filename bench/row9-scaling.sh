#!/usr/bin/env bash
# Row 9, scaling: how the layer writer and the contract check grow with a layer's entries (10 k,
# 100 k, 1 M small files) and with its bytes (100 MB, 1 GB, 4 GB of large files). Each side runs
# once per input under GNU time (wall clock, CPU, peak RSS); the peers give the scale:
# `tar | gzip -6 | sha256sum` for the writer, `tar -tvzf` for the check.
#
# usage: bash bench/row9-scaling.sh OUT BENCH-DLL [INPUT...]
#   OUT        where the trees (OUT/scaling/<input>, reused by later runs) and results go
#   BENCH-DLL  Modulus.Bench.dll to measure (bench/run.sh 9 builds it)
#   INPUT      e10k e100k e1m b100m b1g b4g (default: all)
# SCALING_BEFORE=OTHER.dll also runs that build's check on the same layer (before/after a change).
# `bash bench/row9-scaling.sh OUT clean` removes the trees (about 9.5 GB, most of it the 1 M tree's
# blocks and the 4 GB tree). Installs nothing; needs python3, tar, gzip and GNU time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1/scaling
if [[ ${2:-} == clean ]]; then rm -rf "$out"/tree-*; exit 0; fi
bench="dotnet $2"
shift 2
inputs=("${@:-e10k e100k e1m b100m b1g b4g}")
inputs=(${inputs[*]})
mkdir -p "$out"
records=$out/records.tsv
: >"$records"

# tree INPUT: the input's folder, generated once (make-scaling-tree.py is deterministic).
tree() {
  local folder=$out/tree-$1
  if [[ ! -d $folder ]]; then
    case $1 in
      e10k) python3 "$root/bench/make-scaling-tree.py" "$folder" entries 10000 >&2 ;;
      e100k) python3 "$root/bench/make-scaling-tree.py" "$folder" entries 100000 >&2 ;;
      e1m) python3 "$root/bench/make-scaling-tree.py" "$folder" entries 1000000 >&2 ;;
      b100m) python3 "$root/bench/make-scaling-tree.py" "$folder" bytes 100 >&2 ;;
      b1g) python3 "$root/bench/make-scaling-tree.py" "$folder" bytes 1024 >&2 ;;
      b4g) python3 "$root/bench/make-scaling-tree.py" "$folder" bytes 4096 >&2 ;;
      *) echo "unknown input $1" >&2; exit 2 ;;
    esac
  fi
  echo "$folder"
}

# measure INPUT WHAT COMMAND: one run under GNU time, recorded as wall s, CPU s (user + sys), peak kB.
measure() {
  local input=$1 what=$2 command=$3
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" bash -c "$command" >"$out/stdout.txt" 2>"$out/stderr.txt" ||
    { echo "$what on $input failed:" >&2; cat "$out/stderr.txt" >&2; exit 1; }
  read -r wall user sys peak <"$out/time.txt"
  local cpu
  cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
  printf '%s\t%s\t%s\t%s\t%s\n' "$input" "$what" "$wall" "$cpu" "$peak" | tee -a "$records"
}

for input in "${inputs[@]}"; do
  folder=$(tree "$input")
  layer=$out/layer-$input.tar.gz
  echo "== $input: $(find "$folder" | wc -l) entries, $(du -sh --apparent-size "$folder" | cut -f1)"
  # The tree is read once before timing, so both sides find it in the page cache alike.
  tar -cf - -C "$folder" . >/dev/null
  measure "$input" "write: ours" "$bench layer $folder $layer"
  digests=$(head -n1 "$out/stdout.txt")
  measure "$input" "write: tar | gzip -6 | sha256sum" \
    "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix -cf - -C $folder . | gzip -6 -n | sha256sum"
  measure "$input" "check: ours" "$bench check $layer $digests"
  if [[ -n ${SCALING_BEFORE:-} ]]; then measure "$input" "check: before" "dotnet $SCALING_BEFORE check $layer $digests"; fi
  measure "$input" "check: tar -tvzf" "tar -tvzf $layer"
  rm -f "$layer"
done
rm -f "$out/time.txt" "$out/stdout.txt" "$out/stderr.txt"

{
  echo "Row 9, scaling: run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; one run each."
  echo
  echo "| input | what | wall | CPU (user + sys) | peak RSS |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{ gsub(/\|/, "\\|", $2); printf "| %s | %s | %.2f s | %.2f s | %.0f MB |\n", $1, $2, $3, $4, $5 / 1024 }' "$records"
} >"$out/results.md"
cat "$out/results.md"
