#!/usr/bin/env python3
"""Writes a C program with the shapes real services have, at a given scale, for the
memory and cost benchmark of the whole-program step (ci/bench/scale.sh).

Usage: gen_service.py SCALE OUT_DIR [--tus-per-scale N] [--funcs N]

SCALE 1 is about PostgreSQL's size as leash sees it (1,000 translation units of about
30 functions each, a project header of structs, prototypes and static inline helpers
every TU includes); SCALE k has k times as many TUs of the same shape, so everything
the analyzer holds should grow k-fold.  Each TU has:
  - call chains across files (each function calls functions of two other TUs, so the
    call graph spans the program), with struct fields passed along (struct conn.fd,
    struct conn.curl-like handles);
  - loops and branches on fields and globals, stop flags set in another TU;
  - a socket path in some TUs (socket/setsockopt/connect/recv through helpers in other
    files, a timeout set in a helper or not), a thread entry looping on a receive in
    some, a per-connection spawn in an accept loop in main.c;
so the rules have real work and real findings.  Output is deterministic for a scale.
Writes OUT_DIR/*.c, OUT_DIR/include/svc.h and OUT_DIR/compile_commands.json, and
prints one line: tus functions lines.
"""
import json
import os
import sys


def main():
    args = sys.argv[1:]
    tus_per_scale, funcs = 1000, 30
    while len(args) > 2:
        if args[-2] == "--tus-per-scale":
            tus_per_scale = int(args[-1])
        elif args[-2] == "--funcs":
            funcs = int(args[-1])
        else:
            break
        args = args[:-2]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    scale, out = float(args[0]), args[1]
    ntus = max(4, int(round(scale * tus_per_scale)))
    os.makedirs(os.path.join(out, "include"), exist_ok=True)
    lines = write_header(out, ntus, funcs)
    cmds = []
    for t in range(ntus):
        path = os.path.join(out, "m%05d.c" % t)
        text = module(t, ntus, funcs)
        lines += text.count("\n")
        write_if_changed(path, text)
        cmds.append(path)
    text = main_tu(ntus, funcs)
    lines += text.count("\n")
    path = os.path.join(out, "main.c")
    write_if_changed(path, text)
    cmds.append(path)
    db = [{"directory": os.path.abspath(out),
           "arguments": ["cc", "-std=gnu11", "-I" + os.path.abspath(os.path.join(out, "include")),
                         "-c", os.path.abspath(p), "-o", os.path.abspath(p)[:-2] + ".o"],
           "file": os.path.abspath(p)} for p in cmds]
    write_if_changed(os.path.join(out, "compile_commands.json"), json.dumps(db, indent=1) + "\n")
    print(ntus + 1, (ntus * funcs) + 1, lines)


def write_if_changed(path, text):
    """Keeps the file (and its stamp) when it already holds text: a warm run stays warm."""
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


def fn(t, k):
    return "m%05d_f%02d" % (t, k)


def write_header(out, ntus, funcs):
    h = ["/* svc.h - the generated service's project header (ci/bench/gen_service.py). */",
         "#ifndef SVC_H", "#define SVC_H",
         "#include <pthread.h>", "#include <stddef.h>", "#include <string.h>",
         "#include <sys/socket.h>", "#include <sys/time.h>", "#include <unistd.h>", "",
         "struct conn { int fd; int state; int retries; long deadline_ms; struct conn *next; char buf[256]; };",
         "struct queue { pthread_mutex_t mu; pthread_cond_t cv; int closed; int len; struct conn *head; };",
         "struct server { int listen_fd; int stop; int nconn; struct queue q; struct conn *conns; };",
         "extern struct server g_server;", "extern volatile int g_stop;", "extern int g_limit;", ""]
    # static inline helpers every TU sees (PostgreSQL's headers have hundreds)
    for k in range(24):
        h.append("static inline int svc_inline%02d(struct conn *c, int v)" % k)
        h.append("{")
        h.append("  if (c->state > %d && v < c->retries)" % k)
        h.append("    return c->fd + v;")
        h.append("  for (int i = 0; i < v; i++)")
        h.append("    c->buf[i %% 256] = (char)(i + %d);" % k)
        h.append("  return c->state == %d ? -1 : v;" % k)
        h.append("}")
    h.append("int %s(struct conn *c, int n);" % fn(0, 0))
    h.append("int %s(struct conn *c, int n);" % fn(ntus // 2, funcs // 2))
    h += ["void *svc_worker(void *arg);", "int svc_connect(const char *host, int port);",
          "void svc_set_timeout(int fd, int ms);", "int svc_read(int fd, char *buf, size_t n);",
          "#endif", ""]
    text = "\n".join(h)
    write_if_changed(os.path.join(out, "include", "svc.h"), text)
    return text.count("\n")


def module(t, ntus, funcs):
    a, b = (t + 1) % ntus, (t * 7 + 3) % ntus
    s = ["/* m%05d.c - generated module %d of %d. */" % (t, t, ntus), '#include "svc.h"', ""]
    # the other TUs' functions this one calls (a header per module would say the same)
    for o in sorted({a, b}):
        s.append(" ".join("int %s(struct conn *c, int n);" % fn(o, k) for k in range(funcs)))
    s.append("static int m%05d_counter;" % t)
    s.append("")
    for k in range(funcs):
        callee1 = fn(a, (k + 1) % funcs)
        callee2 = fn(b, (k * 3) % funcs)
        kind = (t + k) % 6
        s.append("int %s(struct conn *c, int n)" % fn(t, k))
        s.append("{")
        s.append("  int r = 0;")
        s.append("  if (!c || n <= 0)")
        s.append("    return 0;")
        if kind == 0:
            s.append("  while (!g_stop && c->state != %d) {" % k)
            s.append("    r += svc_inline%02d(c, n);" % (k % 24))
            s.append("    if (c->retries++ > g_limit)")
            s.append("      break;")
            s.append("  }")
        elif kind == 1:
            s.append("  for (int i = 0; i < n && i < 16; i++) {")
            s.append("    struct conn *x = c->next ? c->next : c;")
            s.append("    x->deadline_ms = (long)i * %d;" % (k + 1))
            s.append("    r += %s(x, n - 1);" % callee1)
            s.append("  }")
        elif kind == 2:
            s.append("  if (c->fd >= 0 && n > %d) {" % (k % 5))
            s.append("    char tmp[64];")
            s.append("    memset(tmp, 0, sizeof(tmp));")
            s.append("    r = svc_read(c->fd, tmp, sizeof(tmp));")
            s.append("    if (r < 0)")
            s.append("      return r;")
            s.append("  }")
        elif kind == 3:
            s.append("  switch (c->state) {")
            s.append("  case 0: c->state = 1; break;")
            s.append("  case 1: r = %s(c, n / 2); break;" % callee2)
            s.append("  default: m%05d_counter++; break;" % t)
            s.append("  }")
        elif kind == 4:
            s.append("  pthread_mutex_lock(&g_server.q.mu);")
            s.append("  c->next = g_server.q.head;")
            s.append("  g_server.q.head = c;")
            s.append("  g_server.q.len++;")
            s.append("  pthread_cond_signal(&g_server.q.cv);")
            s.append("  pthread_mutex_unlock(&g_server.q.mu);")
            if t % 5 == 0:  # a helper thread whose handle is dropped
                s.append("  pthread_t th;")
                s.append("  if (pthread_create(&th, NULL, svc_worker, c) == 0)")
                s.append("    m%05d_counter++;" % t)
        else:
            s.append("  if (n > 1000 && c->fd < 0) {")
            s.append("    c->fd = svc_connect(\"backend\", 5000 + %d);" % (t % 100))
            if t % 3:
                s.append("    svc_set_timeout(c->fd, 1000);")
            s.append("  }")
        s.append("  if (n > %d)" % (k + 2))
        s.append("    r += %s(c, n - 1);" % callee1)
        s.append("  else if (n > 1)")
        s.append("    r += %s(c, n - 2);" % callee2)
        s.append("  return r + svc_inline%02d(c, r);" % ((k * 5) % 24))
        s.append("}")
        s.append("")
    return "\n".join(s)


def main_tu(ntus, funcs):
    return "\n".join([
        "/* main.c - the generated service's entry: the accept loop and its workers. */",
        "#include <arpa/inet.h>", "#include <netinet/in.h>", "#include <stdlib.h>",
        '#include "svc.h"', "",
        "struct server g_server;", "volatile int g_stop;", "int g_limit = 64;", "",
        "void svc_set_timeout(int fd, int ms)", "{",
        "  struct timeval tv = {ms / 1000, (ms % 1000) * 1000};",
        "  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));", "}", "",
        "int svc_read(int fd, char *buf, size_t n) { return (int)recv(fd, buf, n, 0); }", "",
        "int svc_connect(const char *host, int port)", "{",
        "  struct sockaddr_in a;", "  int fd = socket(AF_INET, SOCK_STREAM, 0);",
        "  (void)host;", "  memset(&a, 0, sizeof(a));", "  a.sin_family = AF_INET;",
        "  a.sin_port = htons((unsigned short)port);",
        "  if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)", "    return -1;",
        "  return fd;", "}", "",
        "void *svc_worker(void *arg)", "{",
        "  struct conn *c = arg;", "  char buf[512];",
        "  for (;;) {", "    int n = (int)recv(c->fd, buf, sizeof(buf), 0);",
        "    if (n <= 0)", "      break;",
        "    %s(c, n);" % fn(0, 0), "  }",
        "  close(c->fd);", "  free(c);", "  return NULL;", "}", "",
        "static void *queue_consumer(void *arg)", "{",
        "  struct queue *q = arg;", "  for (;;) {",
        "    pthread_mutex_lock(&q->mu);",
        "    while (q->len == 0)", "      pthread_cond_wait(&q->cv, &q->mu);",
        "    struct conn *c = q->head;", "    q->head = c->next;", "    q->len--;",
        "    pthread_mutex_unlock(&q->mu);",
        "    %s(c, 3);" % fn(ntus // 2, funcs // 2), "  }", "  return NULL;", "}", "",
        "int main(void)", "{",
        "  pthread_t consumer;", "  struct sockaddr_in a;",
        "  pthread_create(&consumer, NULL, queue_consumer, &g_server.q);",
        "  g_server.listen_fd = socket(AF_INET, SOCK_STREAM, 0);",
        "  memset(&a, 0, sizeof(a));", "  a.sin_family = AF_INET;", "  a.sin_port = htons(8080);",
        "  bind(g_server.listen_fd, (struct sockaddr *)&a, sizeof(a));",
        "  listen(g_server.listen_fd, 128);",
        "  while (!g_server.stop) {",
        "    int fd = accept(g_server.listen_fd, NULL, NULL);",
        "    if (fd < 0)", "      continue;",
        "    struct conn *c = calloc(1, sizeof(*c));", "    c->fd = fd;",
        "    pthread_t t;", "    pthread_create(&t, NULL, svc_worker, c);",
        "    pthread_detach(t);", "  }",
        "  g_stop = 1;", "  return 0;", "}", ""])


if __name__ == "__main__":
    main()
