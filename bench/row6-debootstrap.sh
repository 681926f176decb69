#!/usr/bin/env bash
# Row 6's peer: a debootstrap minbase root file system of run-base's Debian release with the
# packages run-base lists in its dpkg status installed by apt, as one tar+gzip. Prints its size.
# The mirror is the first one apt on this machine uses.
#
# usage: row6-debootstrap.sh RUN-BASE-OCI-LAYOUT FOLDER
set -euo pipefail
layout=$1 folder=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$folder" && mkdir -p "$folder"
for layer in $(python3 "$here/layers.py" "$layout"); do
  # os-release is read where Debian keeps it; /etc/os-release is a link to it.
  tar -xzOf "$layer" var/lib/dpkg/status usr/lib/os-release 2>/dev/null || true
done >"$folder/base-files.txt"
packages=$(awk '/^Package:/ {print $2}' "$folder/base-files.txt" | sort -u | paste -sd,)
suite=$(awk -F= '/^VERSION_CODENAME=/ {print $2}' "$folder/base-files.txt" | tail -n1)
mirror=$(grep -rhE '^(deb|URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null |
  grep -oE 'https?://[^ ]+' | head -n1)
debootstrap --variant=minbase --include="$packages" "${suite:-bookworm}" "$folder/rootfs" "$mirror" >"$folder/debootstrap.log" 2>&1
# What an image built this way would not carry: apt's caches and lists.
rm -rf "$folder/rootfs/var/cache/apt/archives/"*.deb "$folder/rootfs/var/lib/apt/lists/"*
tar --sort=name --numeric-owner -C "$folder/rootfs" -cf - . | gzip -6 -n >"$folder/rootfs.tar.gz"
stat -c %s "$folder/rootfs.tar.gz"
