#!/usr/bin/env python3
"""Prints one line per TU of a compilation database: its directory, a tab, and its
clang arguments without the compiler, -c, -o and the -M* dependency options (the
benchmarks run clang -fsyntax-only on each).  Usage: tu_commands.py compile_commands.json"""
import json, shlex, sys
seen = set()
for e in json.load(open(sys.argv[1])):
    f = e["file"]
    if f in seen:
        continue
    seen.add(f)
    args = e.get("arguments") or shlex.split(e["command"])
    out, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD", "-MP"):
            continue
        out.append(a)
    print(e["directory"] + "\t" + " ".join(shlex.quote(a) for a in out))
