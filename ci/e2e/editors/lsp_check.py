#!/usr/bin/env python3
"""Starts a language server the way an editor's configuration says and checks that it
speaks LSP and diagnoses a C file: initialize, didOpen, a publishDiagnostics with the
expected code whose codeDescription link opens the rule's page (a file that exists;
under $LSP_HREF_PREFIX when that is set), shutdown, exit.

Usage: lsp_check.py FILE.c CODE -- COMMAND [ARGS...]   (exit 0 when it works)
"""
import json
import os
import select
import subprocess
import sys
import time
import urllib.parse


def send(p, msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def reader(p):
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                return
            buf += chunk
        head, buf = buf.split(b"\r\n\r\n", 1)
        n = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")][0].split(b":")[1])
        while len(buf) < n:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                return
            buf += chunk
        yield json.loads(buf[:n])
        buf = buf[n:]


def main():
    path, code = os.path.abspath(sys.argv[1]), sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    uri = "file://" + path
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": os.getpid(), "rootUri": "file://" + os.path.dirname(path), "capabilities": {}}})
    msgs, deadline, got_init, diags = reader(p), time.time() + 60, False, None
    while time.time() < deadline:
        if not select.select([p.stdout], [], [], deadline - time.time())[0]:
            break
        m = next(msgs, None)
        if m is None:
            break
        if m.get("id") == 1 and "result" in m:
            got_init = True
            send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
            send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": uri, "languageId": "c", "version": 1, "text": open(path, encoding="utf-8").read()}}})
        elif m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            if any(d.get("code") == code for d in m["params"]["diagnostics"]):
                diags = m["params"]["diagnostics"]
                break
    send(p, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send(p, {"jsonrpc": "2.0", "method": "exit"})
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
    if not got_init or diags is None:
        print("lsp_check: %s: %s" % (" ".join(cmd), "no diagnostic " + code if got_init else "no initialize reply"))
        return 1
    href = ([d for d in diags if d.get("code") == code][0].get("codeDescription") or {}).get("href", "")
    page = urllib.parse.unquote(href[len("file://"):]) if href.startswith("file://") else ""
    want = os.environ.get("LSP_HREF_PREFIX", "")
    if not page or not os.path.isfile(page) or not href.startswith(want) or not page.endswith("/" + code + ".md"):
        print("lsp_check: %s: the diagnostic's codeDescription '%s' is not the rule's page%s" %
              (" ".join(cmd), href, " under " + want if want else ""))
        return 1
    print("lsp_check: %s: %d diagnostic(s), %s among them, its page %s" % (" ".join(cmd), len(diags), code, href))
    return 0


sys.exit(main())
