#!/usr/bin/env python3
"""Sums up a test run from its .trx files and enforces what a skip means.

usage: python3 eng/test-summary.py RESULTS_DIR [ALLOWED_SKIPS]

Prints one line, "N passed, N failed, N skipped". With CI=true a skipped test is a failure
unless ALLOWED_SKIPS (default: eng/allowed-skips.txt) lists it with its reason: CI installs every
tool, so a skip there means a test silently stopped running. Outside CI, every skipped test is
listed under the reason it gave, followed by the one command that installs what .ci/run installs.
Exits 1 when CI has a skip that is not allowed, else 0.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def allowed_skips(path):
    """Test name prefix -> reason, from lines 'PREFIX<TAB>reason'; '#' starts a comment."""
    allowed = {}
    if not os.path.exists(path):
        return allowed
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, _, reason = line.partition("\t")
            if not reason.strip():
                sys.exit(f"{path}:{number}: an allowed skip needs its reason after a tab")
            allowed[name.strip()] = reason.strip()
    return allowed


def ci_packages():
    """The packages .ci/run installs, read from its apt-get install line."""
    try:
        with open(os.path.join(root, ".ci", "run"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    match = re.search(r"apt-get install[^\n]*?--no-install-recommends \\\n\s*([^\n>]+)", text)
    return match.group(1).split() if match else []


def results(folder):
    """(outcome, full test name, message) of every result in the folder's .trx files."""
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True)):
        document = ET.parse(path).getroot()
        names = {}
        for test in document.findall(".//{*}UnitTest"):
            method = test.find("{*}TestMethod")
            if method is not None:
                names[test.get("id")] = method.get("className", "") + "." + method.get("name", "")
        for result in document.findall(".//{*}UnitTestResult"):
            message = result.find("{*}Output/{*}ErrorInfo/{*}Message")
            text = (message.text or "").strip() if message is not None else ""
            yield result.get("outcome", ""), names.get(result.get("testId"), result.get("testName", "")), text


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    allowed_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "eng", "allowed-skips.txt")
    allowed = allowed_skips(allowed_path)
    passed = failed = 0
    skipped = []
    for outcome, name, message in results(sys.argv[1]):
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"):
            skipped.append((name, message))
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed, {len(skipped)} skipped")
    if not skipped:
        return 0
    if os.environ.get("CI", "").lower() == "true":
        refused = [(n, m) for n, m in skipped if not any(n.startswith(p) for p in allowed)]
        for name, message in skipped:
            if (name, message) not in refused:
                print(f"skipped, allowed in CI: {name}")
        if refused:
            print(f"{len(refused)} test(s) skipped in CI, where every tool is installed; a skip here is a failure"
                  f" unless {os.path.relpath(allowed_path, root)} lists it with its reason:")
            for name, message in refused:
                print(f"  {name}: {message or 'no reason given'}")
            return 1
        return 0
    by_reason = defaultdict(list)
    for name, message in skipped:
        by_reason[message or "no reason given"].append(name)
    print("Skipped, by the reason each gave:")
    for reason, names in sorted(by_reason.items()):
        print(f"  {reason} ({len(names)} test(s), e.g. {names[0]})")
    packages = ci_packages()
    if packages:
        print("The tools CI uses install with: sudo apt-get install -y --no-install-recommends " + " ".join(packages))
    print("Tests that need a Docker daemon run with MODULUS_TEST_DOCKER_HOST set to its socket (.ci/run starts one).")
    return 0


sys.exit(main())
