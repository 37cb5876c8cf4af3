#!/usr/bin/env python3
"""html_check.py - checks what Chromium rendered, for ci/e2e/html.sh.

  html_check.py dom FILE CHECK...   FILE is `chromium --dump-dom` output; each CHECK is
      three arguments:
      count SELECTOR N        N elements match SELECTOR
      text SELECTOR TEXT      the first match's text (blanks collapsed) is TEXT
      has SELECTOR TEXT       the first match's text contains TEXT
  html_check.py png FILE MIN_BYTES [#rrggbb:N ...]
      FILE is a PNG of at least MIN_BYTES, not of one colour, with at least N pixels
      of each colour given (within 10 per channel: antialiased strokes vary).

SELECTOR is a CSS subset: compound selectors tag#id.class[attr=value] (each part
optional) separated by blanks for descendants.  Prints one line per failed check and
exits 1 if any failed.
"""
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []

    def text(self):
        return "".join(k if isinstance(k, str) else k.text() for k in self.kids)

    def walk(self):
        for k in self.kids:
            if isinstance(k, Node):
                yield k
                yield from k.walk()


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


COMPOUND = re.compile(r"([a-zA-Z0-9*]*)((?:[#.][-\w]+|\[[-\w]+(?:=[^\]]*)?\])*)$")


def matches(node, compound):
    m = COMPOUND.match(compound)
    if not m:
        raise SystemExit("bad selector part: " + compound)
    tag, rest = m.group(1), m.group(2)
    if tag and tag != "*" and node.tag != tag:
        return False
    for part in re.findall(r"[#.][-\w]+|\[[^\]]*\]", rest):
        if part[0] == "#" and node.attrs.get("id") != part[1:]:
            return False
        if part[0] == "." and part[1:] not in (node.attrs.get("class") or "").split():
            return False
        if part[0] == "[":
            name, _, value = part[1:-1].partition("=")
            if name not in node.attrs or (value and node.attrs[name] != value.strip("\"'")):
                return False
    return True


def select(root, selector):
    found = [root]
    for compound in selector.split():
        nxt, seen = [], set()
        for base in found:
            for n in base.walk():
                if id(n) not in seen and matches(n, compound):
                    seen.add(id(n))
                    nxt.append(n)
        found = nxt
    return found


def squash(s):
    return " ".join(s.split())


def check_dom(path, checks):
    tree = Tree()
    with open(path, encoding="utf-8") as f:
        tree.feed(f.read())
    failed = 0
    if len(checks) % 3:
        raise SystemExit("checks come in threes: KIND SELECTOR WANT")
    for k in range(0, len(checks), 3):
        kind, selector, want = checks[k:k + 3]
        c = "%s %s %r" % (kind, selector, want)
        found = select(tree.root, selector)
        if kind == "count":
            ok, got = len(found) == int(want), str(len(found))
        elif kind in ("text", "has"):
            got = squash(found[0].text()) if found else "<no element>"
            ok = bool(found) and (got == squash(want) if kind == "text" else squash(want) in got)
        else:
            raise SystemExit("unknown check: " + c)
        if not ok:
            print("FAIL: %s: %s: got %r" % (path, c, got[:300]))
            failed += 1
    return failed


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("unexpected PNG format")
        elif kind == b"IDAT":
            idat += body
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    prev, p, rows = bytearray(stride), 0, []
    for _ in range(h):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_png(path, min_bytes, colours):
    import os
    size = os.path.getsize(path)
    if size < min_bytes:
        print("FAIL: %s: %d bytes, want at least %d" % (path, size, min_bytes))
        return 1
    w, h, bpp, rows = png_pixels(path)
    counts = {}
    for r in rows:
        for x in range(0, len(r), bpp):
            px = r[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    failed = 0
    if len(counts) < 2:
        print("FAIL: %s: a single colour (%dx%d)" % (path, w, h))
        failed += 1
    for spec in colours:
        hexs, _, n = spec.partition(":")
        want = bytes(int(hexs[i:i + 2], 16) for i in (1, 3, 5))
        got = sum(k for px, k in counts.items() if all(abs(px[i] - want[i]) <= 10 for i in range(3)))
        if got < int(n):
            print("FAIL: %s: %d pixels of %s, want at least %s" % (path, got, hexs, n))
            failed += 1
    return failed


def main(argv):
    if len(argv) >= 3 and argv[1] == "dom":
        return 1 if check_dom(argv[2], argv[3:]) else 0
    if len(argv) >= 4 and argv[1] == "png":
        return 1 if check_png(argv[2], int(argv[3]), argv[4:]) else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
