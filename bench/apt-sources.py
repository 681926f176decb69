#!/usr/bin/env python3
"""Prints, as one-line apt sources, this machine's apt entries for a Debian suite and its -updates
and -security suites: the sources a Modulus publish reads (docs/debian.md, "Where packages come
from"), so a peer given these lines downloads from the same mirrors. Disabled and deb-src entries
are skipped; a Signed-By file is kept as [signed-by=...].

usage: apt-sources.py SUITE
"""
import glob
import sys

suite = sys.argv[1]
wanted = (suite, f"{suite}-updates", f"{suite}-security")
lines = []


def add(uri, suites, components, signed_by):
    for name in suites:
        if name in wanted:
            option = f"[signed-by={signed_by}] " if signed_by else ""
            lines.append(f"deb {option}{uri} {name} {' '.join(components) or 'main'}")


for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in open(path).read().split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if ":" in line and not line.startswith((" ", "\t", "#")):
                key, value = line.split(":", 1)
                fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        signed_by = fields.get("signed-by", "")
        signed_by = signed_by if signed_by.startswith("/") else ""
        for uri in fields.get("uris", "").split():
            add(uri, fields.get("suites", "").split(), fields.get("components", "").split(), signed_by)

for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        text = open(path).read()
    except OSError:
        continue
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        signed_by = ""
        if len(words) > 1 and words[1].startswith("["):
            options = []
            while words and not (options and options[-1].endswith("]")):
                options.append(words.pop(1))
            for option in " ".join(options).strip("[]").split():
                if option.startswith("signed-by="):
                    signed_by = option.split("=", 1)[1]
        if len(words) >= 3:
            add(words[1], [words[2]], words[3:], signed_by)

if not lines:
    sys.exit(f"no apt source serves {suite}")
print("\n".join(lines))
