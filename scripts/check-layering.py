#!/usr/bin/env python3
"""Fails when a source file includes a header of a folder its own folder may not use.

The allowed edges are the sealift_layer(...) table in the root CMakeLists.txt, the one list the
build links by. A file belongs to its folder's layer (mirror/<part>/ files to that part, every other
file to its top folder); "folder/name.hpp" includes of another layer must name a layer the table
lists after USES. Tests are not checked: a test may reach across layers to set up what it needs.

usage: check-layering.py [REPO]   exit 0 when every include is allowed, 1 otherwise
"""
import os
import re
import sys

LAYER_CALL = re.compile(r"^sealift_layer\(([^\s)]+)((?:[^)]|\n)*)\)", re.M)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+(?:/[a-z_]+)*)/[A-Za-z0-9_.]+"', re.M)


def read_layers(repo):
    with open(os.path.join(repo, "CMakeLists.txt"), encoding="utf-8") as f:
        text = f.read()
    layers = {}
    for folder, rest in LAYER_CALL.findall(text):
        words = rest.split()
        uses = words[words.index("USES") + 1:] if "USES" in words else []
        layers[folder] = set(uses)
    if not layers:
        sys.exit("check-layering: no sealift_layer(...) table in CMakeLists.txt")
    return layers


def layer_of(path, layers):
    """The layer a repository-relative path (a file or an include's folder) belongs to."""
    parts = path.split("/")
    if len(parts) >= 2 and "/".join(parts[:2]) in layers:
        return "/".join(parts[:2])
    return parts[0] if parts[0] in layers else None


def main():
    repo = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    layers = read_layers(repo)
    problems = []
    for folder in sorted(layers):
        for dirpath, _, files in os.walk(os.path.join(repo, folder)):
            for name in sorted(files):
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, repo)
                own = layer_of(rel, layers)
                if own != folder:
                    continue  # a sub-folder that is a layer of its own is checked as that layer
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for match in INCLUDE.finditer(text):
                    target = layer_of(match.group(1), layers)
                    if target is None or target == own or target in layers[own]:
                        continue
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{rel}:{line}: includes {match.group(1)}/..., but {own} may use only "
                                    f"{', '.join(sorted(layers[own])) or 'nothing'} (CMakeLists.txt sealift_layer table)")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-layering: {len(problems)} include(s) break the layering", file=sys.stderr)
        return 1
    print(f"check-layering: {len(layers)} layers, every include allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
