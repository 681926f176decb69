#!/usr/bin/env python3
"""Prints the layer blob paths of an OCI layout's first image, or with --size their total size.

usage: layers.py [--size] OCI-LAYOUT
"""
import json
import os
import sys

size = sys.argv[1] == "--size"
layout = sys.argv[-1]


def blob(digest):
    algorithm, _, encoded = digest.partition(":")
    return os.path.join(layout, "blobs", algorithm, encoded)


manifest = json.load(open(os.path.join(layout, "index.json")))["manifests"][0]
while "manifests" in (document := json.load(open(blob(manifest["digest"])))):
    manifest = document["manifests"][0]
layers = document["layers"]
print(sum(layer["size"] for layer in layers) if size else " ".join(blob(layer["digest"]) for layer in layers))
