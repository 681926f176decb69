#!/usr/bin/env bash
# Row 6's peer: a debootstrap minbase root file system of run-base's Debian release with the
# packages run-base lists in its dpkg status installed by apt, as one tar+gzip. Prints its size.
# The mirror is the first apt source of this machine that serves run-base's suite. When run-base
# carries dpkg path rules (/etc/dpkg/dpkg.cfg.d/docker, Debian's slim rules), it also writes
# FOLDER/slim-size: the size of the same root with those rules applied, as dpkg would have.
#
# usage: row6-debootstrap.sh RUN-BASE-OCI-LAYOUT FOLDER
set -euo pipefail
layout=$1 folder=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$folder" && mkdir -p "$folder"
for layer in $(python3 "$here/layers.py" "$layout"); do
  # os-release is read where Debian keeps it; /etc/os-release is a link to it.
  tar -xzOf "$layer" var/lib/dpkg/status usr/lib/os-release 2>/dev/null || true
  tar -xzOf "$layer" etc/dpkg/dpkg.cfg.d/docker 2>/dev/null >>"$folder/path-rules.txt" || true
done >"$folder/base-files.txt"
packages=$(awk '/^Package:/ {print $2}' "$folder/base-files.txt" | sort -u | paste -sd,)
suite=$(awk -F= '/^VERSION_CODENAME=/ {print $2}' "$folder/base-files.txt" | tail -n1)
# The first apt source (one-line or deb822) that serves the suite itself.
mirror=$(python3 - "${suite:-bookworm}" <<'PY'
import glob, sys
suite = sys.argv[1]
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")) + sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    try:
        text = open(path).read()
    except OSError:
        continue
    if path.endswith(".sources"):
        for stanza in text.split("\n\n"):
            fields = dict(l.split(":", 1) for l in stanza.splitlines() if ":" in l and not l.startswith((" ", "#")))
            if "deb" in fields.get("Types", "").split() and suite in fields.get("Suites", "").split():
                print(fields["URIs"].split()[0]); sys.exit()
    else:
        for line in text.splitlines():
            words = [w for w in line.split() if not w.startswith("[")]
            if len(words) >= 3 and words[0] == "deb" and words[2] == suite:
                print(words[1]); sys.exit()
sys.exit("no apt source serves " + suite)
PY
)
debootstrap --variant=minbase --include="$packages" "${suite:-bookworm}" "$folder/rootfs" "$mirror" >"$folder/debootstrap.log" 2>&1
# What an image built this way would not carry: apt's caches and lists.
rm -rf "$folder/rootfs/var/cache/apt/archives/"*.deb "$folder/rootfs/var/lib/apt/lists/"*
tar --sort=name --numeric-owner -C "$folder/rootfs" -cf - . | gzip -6 -n >"$folder/rootfs.tar.gz"
stat -c %s "$folder/rootfs.tar.gz"
if [[ -s $folder/path-rules.txt ]]; then
  python3 - "$folder/rootfs" "$folder/path-rules.txt" <<'PY'
import fnmatch, os, sys
root, rules_file = sys.argv[1], sys.argv[2]
rules = [line.split(None, 1) for line in open(rules_file) if line.startswith(("path-exclude", "path-include"))]
rules = [(kind == "path-include", pattern.strip()) for kind, pattern in rules]
def excluded(path):
    verdict = False
    for include, pattern in rules:
        if fnmatch.fnmatchcase(path, pattern):
            verdict = not include
    return verdict
for folder, dirs, files in os.walk(root, topdown=False):
    inside = "/" + os.path.relpath(folder, root) if folder != root else ""
    for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
        if excluded(f"{inside}/{name}"):
            os.remove(os.path.join(folder, name))
    if inside and excluded(inside) and not os.listdir(folder):
        os.rmdir(folder)
PY
  tar --sort=name --numeric-owner -C "$folder/rootfs" -cf - . | gzip -6 -n >"$folder/rootfs-slim.tar.gz"
  stat -c %s "$folder/rootfs-slim.tar.gz" >"$folder/slim-size"
fi
