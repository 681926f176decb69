#!/usr/bin/env python3
"""Turns bench/run.sh's per-row records into artifacts/bench/results.md.

usage: table.py ROWS.tsv OUTPUT.md

Each line of ROWS.tsv is tab-separated: row, what, target ratio, then either
`time HYPERFINE.json OURS-PEAK-KB PEER-PEAK-KB`, `size OURS-BYTES PEER-BYTES` or `skipped REASON`.
"""
import json
import sys

rows_path, output = sys.argv[1], sys.argv[2]
lines = [
    "| # | what | ours median (min–max) | peer median (min–max) | ours/peer | target | met | CPU ours/peer | peak RSS ours / peer |",
    "|---|---|---|---|---|---|---|---|---|",
]


# On a shared machine the wall-clock ratio also measures how much of the CPU each side got (a
# pipeline of four processes gets more than one thread), so the CPU time ratio is shown beside it.
def seconds(result):
    return f"{result['median']:.2f} s ({result['min']:.2f}–{result['max']:.2f})"


for line in open(rows_path):
    row, what, target, kind, *rest = line.rstrip("\n").split("\t")
    if kind == "skipped":
        lines.append(f"| {row} | {what} | skipped: {rest[0]} | | | ≤ {target} | | | |")
        continue
    if kind == "size":
        ours, peer = int(rest[0]), int(rest[1])
        ratio = ours / peer
        lines.append(f"| {row} | {what} | {ours / 1e6:.1f} MB | {peer / 1e6:.1f} MB | {ratio:.2f} | ≤ {target} | {'yes' if ratio <= float(target) else 'no'} | | |")
        continue
    results = json.load(open(rest[0]))["results"]
    ours, peer = results[0], results[1]
    ratio = ours["median"] / peer["median"]
    cpu = (ours["user"] + ours["system"]) / (peer["user"] + peer["system"])
    memory = f"{int(rest[1]) / 1024:.0f} MB / {int(rest[2]) / 1024:.0f} MB"
    lines.append(f"| {row} | {what} | {seconds(ours)} | {seconds(peer)} | {ratio:.2f} | ≤ {target} | {'yes' if ratio <= float(target) else 'no'} | {cpu:.2f} | {memory} |")

with open(output, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
