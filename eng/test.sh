#!/usr/bin/env bash
# Runs every test: unit, integration (skopeo, umoci, dockerd) and end-to-end MSBuild tests.
# Integration tests skip when a tool is missing, except with CI=true, where they fail.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test Modulus.sln -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

# One closing line in the plain form every CI reader understands.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
