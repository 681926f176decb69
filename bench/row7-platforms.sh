#!/usr/bin/env bash
# Writes row 7's two projects into FOLDER: copies of images/base (its project, lock file and
# Directory.Build.props), each with one more file, stamp.txt, that the row rewrites before every
# run, so every run builds a new image (a new project-files layer, new outputs) while the Debian
# packages and their layers come from the cache. FOLDER/two builds images/base's platforms,
# FOLDER/one linux/amd64 alone (the row overrides ModulusPlatforms on its command line).
#
# usage: row7-platforms.sh FOLDER
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
folder=$1
rm -rf "$folder" && mkdir -p "$folder"
folder=$(realpath "$folder")
# Modulus.Sdk from the package eng/images.sh built, as for the image projects themselves.
sed "s#\.\./artifacts/feed#$root/artifacts/feed#" "$root/images/nuget.config" >"$folder/nuget.config"
for side in one two; do
  mkdir -p "$folder/$side"
  cp "$root/images/base/base.csproj" "$root/images/base/packages.lock.debian.json" "$root/images/base/Directory.Build.props" "$folder/$side/"
  sed -i 's#^</Project>#  <ItemGroup>\n    <ModulusFile Include="stamp.txt" Destination="/etc/modulus-bench/" />\n  </ItemGroup>\n</Project>#' "$folder/$side/base.csproj"
  date +%s%N >"$folder/$side/stamp.txt"
done
