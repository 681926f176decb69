#!/usr/bin/env python3
"""Prints the path of the newest tarball of an npm package in the local npm cache, or fails.

usage: npm-cached.py PACKAGE
"""
import base64
import json
import os
import sys

name = sys.argv[1]
cache = os.path.join(os.environ.get("npm_config_cache", os.path.expanduser("~/.npm")), "_cacache")
best = None
for base, _, files in os.walk(os.path.join(cache, "index-v5")):
    for file in files:
        for line in open(os.path.join(base, file), errors="replace"):
            _, _, record = line.partition("\t")
            try:
                entry = json.loads(record)
            except ValueError:
                continue
            if f"/{name}/-/{name}-" in entry.get("key", "") and entry["key"].endswith(".tgz"):
                if best is None or entry["time"] > best["time"]:
                    best = entry
if best is None:
    sys.exit(1)
algorithm, _, encoded = best["integrity"].partition("-")
hexdigest = base64.b64decode(encoded).hex()
path = os.path.join(cache, "content-v2", algorithm, hexdigest[:2], hexdigest[2:4], hexdigest[4:])
if not os.path.exists(path):
    sys.exit(1)
print(path)
