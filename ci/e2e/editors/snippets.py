#!/usr/bin/env python3
"""Extracts the editor snippets from the README, so the test runs what users copy.

Usage: snippets.py README.md OUTDIR
Writes each fenced code block of the README's "## Editors" section to OUTDIR as
NN-<subsection>.<language> (01-neovim.lua, 03-vs-code.json, ...) and prints their names;
exits 1 when the section or a block is missing.
"""
import re
import sys


def main():
    readme, out = sys.argv[1], sys.argv[2]
    text = open(readme, encoding="utf-8").read()
    m = re.search(r"^## Editors\n(.*?)(?=^## )", text, re.S | re.M)
    if not m:
        print("snippets.py: no '## Editors' section in " + readme, file=sys.stderr)
        return 1
    section, sub, n = m.group(1), "editors", 0
    for line_block in re.finditer(r"^### ([^\n]+)$|^```(\w+)\n(.*?)^```$", section, re.S | re.M):
        if line_block.group(1):
            sub = re.sub(r"[^a-z0-9]+", "-", line_block.group(1).lower()).strip("-")
            continue
        n += 1
        name = "%02d-%s.%s" % (n, sub, line_block.group(2))
        with open(out + "/" + name, "w", encoding="utf-8") as f:
            f.write(line_block.group(3))
        print(name)
    if n == 0:
        print("snippets.py: no code block under '## Editors'", file=sys.stderr)
        return 1
    return 0


sys.exit(main())
