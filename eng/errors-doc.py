#!/usr/bin/env python3
"""Writes docs/errors.md from the error table in src/Modulus.Tasks/Diagnostics/Errors.cs.

The table is the single source of every code and message; this page adds the range headings and
the notes in eng/errors-notes.md (one '## MODnnnn' section each, optional). ErrorTableTests fails
when the two disagree; run `python3 eng/errors-doc.py` after adding a code.
"""
import pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
source = (root / "src/Modulus.Tasks/Diagnostics/Errors.cs").read_text()
notes_text = (root / "eng/errors-notes.md").read_text() if (root / "eng/errors-notes.md").exists() else ""
notes = {m.group(1): m.group(2).strip() for m in re.finditer(r"^## (MOD\d{4})\n(.*?)(?=^## |\Z)", notes_text, re.S | re.M)}

pattern = re.compile(r'public static readonly ErrorCode (\w+) = new\("(MOD\d{4})",\s*((?:\$?@?"(?:[^"\\]|\\.|"")*"\s*\+?\s*)+)\);', re.S)
entries = []
for m in pattern.finditer(source):
    name, code, literal = m.groups()
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', literal)
    message = "".join(parts).replace('\\"', '"').replace("\\\\", "\\")
    message = re.sub(r"\{(\d+)\}", lambda g: "`{" + g.group(1) + "}`", message)
    entries.append((code, name, message))
entries.sort()

ranges = [
    ("MOD1", "1xxx: registries and the Docker daemon"),
    ("MOD2", "2xxx: image and layer formats"),
    ("MOD3", "3xxx: packages from registries (Debian, npm)"),
    ("MOD4", "4xxx: the run-image contract"),
    ("MOD5", "5xxx: project input"),
    ("MOD6", "6xxx: the image report and run-time verification"),
    ("MOD9", "9xxx: internal"),
]
out = ["# Errors", "",
       "Every error Modulus reports has a code. In a build it is an MSBuild error whose code is the",
       "one below, with the project file and line when the error is about an item or property there.",
       "`{0}`, `{1}` ... stand for the values the message names (a path, a digest, a tag).", "",
       "This page is written by `python3 eng/errors-doc.py` from the error table in",
       "`src/Modulus.Tasks/Diagnostics/Errors.cs`; a test keeps the two in sync.", ""]
for prefix, title in ranges:
    group = [e for e in entries if e[0].startswith(prefix)]
    if not group:
        continue
    out += [f"# {title}", ""]
    for code, name, message in group:
        out += [f"## {code}", "", f"**{name}**: {message}", ""]
        if code in notes:
            out += [notes[code], ""]
(root / "docs/errors.md").write_text("\n".join(out).rstrip() + "\n")
print(f"docs/errors.md: {len(entries)} codes")
