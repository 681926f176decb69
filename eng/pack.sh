#!/usr/bin/env bash
# Packs what another repository needs to use Modulus into artifacts/feed: the SDK (Modulus.Sdk)
# and the `dotnet new` templates (Modulus.Templates). Push both to your team's NuGet feed
# (`dotnet nuget push artifacts/feed/*.nupkg --source YOUR-FEED`), or point a nuget.config at the folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
configuration=${CONFIGURATION:-Release}

dotnet pack src/Modulus.Sdk -c "$configuration" -o artifacts/feed -nologo -v q
dotnet pack templates/Modulus.Templates -c "$configuration" -o artifacts/feed -nologo -v q
ls artifacts/feed
