#!/usr/bin/env bash
# Builds the Modulus SDK from source, then publishes every image project under images/ with it.
# Outputs: artifacts/images/<name>/ (OCI layout, docker-loadable tar, modulus-image.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
configuration=${CONFIGURATION:-Release}

dotnet pack src/Modulus.Sdk -c "$configuration" -o artifacts/feed -nologo -v q

# The SDK's version does not change between local builds, so the image projects restore it into
# a cache of their own that is emptied here: a stale copy must never build the images.
export NUGET_PACKAGES="$root/artifacts/nuget-packages"
rm -rf "$NUGET_PACKAGES/modulus.sdk"

for project in images/*/*.csproj; do
  name=$(basename "$(dirname "$project")")
  echo "== $name"
  # The trailing slash matters: dotnet publish misreads an -o folder whose path ends in "dotnet"
  # (images/dotnet's) unless it ends with "/".
  dotnet publish "$project" -c "$configuration" -o "artifacts/images/$name/" -nologo -nodeReuse:false "$@"
done
