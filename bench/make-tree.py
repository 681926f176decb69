#!/usr/bin/env python3
"""Writes row 1's input: a deterministic tree of about 200 MB of mixed files.

usage: make-tree.py FOLDER [NODE-RUNTIME.tgz]

A Node.js runtime package, when given, is extracted under node/ (real binaries and many small
JavaScript files); generated files fill the rest: a few large ones (half compressible text, half
random bytes, as in a runtime image), many small text files and some symlinks. The same arguments
always give the same bytes.
"""
import os
import random
import sys
import tarfile

TOTAL = 200 * 1024 * 1024
folder = sys.argv[1]
os.makedirs(folder)
used = 0

if len(sys.argv) > 2:
    with tarfile.open(sys.argv[2]) as runtime:
        runtime.extractall(os.path.join(folder, "node"), filter="data")
    for base, _, files in os.walk(os.path.join(folder, "node")):
        used += sum(os.lstat(os.path.join(base, f)).st_size for f in files)

rng = random.Random(200)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(4000)]


def text(size):
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choices(words, k=16)) + b"\n"
    return bytes(out[:size])


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


small_budget = (TOTAL - used) // 4
count = 0
while small_budget > 0:
    size = min(small_budget, int(rng.lognormvariate(8, 1.2)))
    write(os.path.join(folder, "small", f"d{count // 200:03}", f"f{count:05}.txt"), text(size))
    small_budget -= size
    used += size
    count += 1

large = 0
while used < TOTAL:
    size = min(TOTAL - used, 16 * 1024 * 1024)
    data = text(size // 2) + rng.randbytes(size - size // 2)
    write(os.path.join(folder, "large", f"blob{large:02}.bin"), data)
    used += size
    large += 1

for i in range(0, count, 97):
    os.symlink(f"../small/d{i // 200:03}/f{i:05}.txt", os.path.join(folder, "small", f"link{i:05}"))
print(f"{folder}: {used // (1024 * 1024)} MB, {count} small files, {large} large files")
