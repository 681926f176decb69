#!/usr/bin/env python3
"""Writes one input of the scaling row: a deterministic tree of many entries or of many bytes.

usage: make-scaling-tree.py FOLDER entries COUNT     COUNT small text files (16 to 256 bytes) in
                                                     nested folders: 100 files a folder, 100
                                                     folders a parent, so depth grows with COUNT
       make-scaling-tree.py FOLDER bytes MEGABYTES   a few large files (at most 256 MB each), each
                                                     half compressible text, half random bytes

The same arguments always give the same bytes. The folder is written under FOLDER.partial and
renamed when complete, so a tree cut short is never taken for a finished one.
"""
import os
import random
import sys

folder, kind, amount = sys.argv[1], sys.argv[2], int(sys.argv[3])
partial = folder + ".partial"
if os.path.exists(partial):
    raise SystemExit(f"{partial} exists: remove it (a run cut short)")
os.makedirs(partial)
rng = random.Random(f"{kind}-{amount}")
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(4000)]


def text(size):
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choices(words, k=16)) + b"\n"
    return bytes(out[:size])


if kind == "entries":
    # Names like d00/d17/f1734.txt: what a node_modules or a large runtime looks like to a layer.
    levels = 1
    while 100 ** (levels + 1) < amount:
        levels += 1
    for i in range(amount):
        parts = [f"d{(i // 100 ** (level + 1)) % 100:02}" for level in reversed(range(levels))]
        base = os.path.join(partial, *parts)
        if i % 100 == 0:
            os.makedirs(base, exist_ok=True)
        with open(os.path.join(base, f"f{i:07}.txt"), "wb") as f:
            f.write(text(rng.randint(16, 256)))
elif kind == "bytes":
    total = amount * 1024 * 1024
    chunk = 16 * 1024 * 1024
    index = 0
    while total > 0:
        size = min(total, 256 * 1024 * 1024)
        with open(os.path.join(partial, f"blob{index:02}.bin"), "wb") as f:
            left = size
            while left > 0:
                part = min(left, chunk)
                f.write(text(part // 2) + rng.randbytes(part - part // 2))
                left -= part
        total -= size
        index += 1
else:
    raise SystemExit(__doc__)
os.rename(partial, folder)
print(f"{folder}: {kind} {amount}")
