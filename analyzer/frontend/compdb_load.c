/* compdb_load.c - a compilation database read through the front end (libclang's
 * CXCompilationDatabase, compdb_read.c) without loading it here: a short-lived child
 * process loads the front end, reads the database and sends back the commands, or the
 * error exactly as compdb_read.c words it, on a pipe (length-prefixed fields).
 *
 * The process that holds a whole program's facts (`leash check`'s own) then never maps
 * libclang; one that has the front end already (the language server) reads in place. */
#include "frontend/compdb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontend/frontend.h"

typedef struct {
  char *p;
  size_t len, cap, at; /* at: how far decoding has read */
} buf;

static void put(buf *b, const void *p, size_t n)
{
  if (b->cap - b->len < n) {
    while (b->cap - b->len < n)
      b->cap = b->cap ? b->cap * 2 : 4096;
    b->p = lx_xrealloc(b->p, b->cap);
  }
  memcpy(b->p + b->len, p, n);
  b->len += n;
}

static void put_u32(buf *b, uint32_t v) { put(b, &v, sizeof(v)); }

static void put_str(buf *b, const char *s)
{
  size_t n = strlen(s);
  put_u32(b, (uint32_t)n);
  put(b, s, n);
}

static int get_u32(buf *b, uint32_t *v)
{
  if (b->len - b->at < sizeof(*v))
    return -1;
  memcpy(v, b->p + b->at, sizeof(*v));
  b->at += sizeof(*v);
  return 0;
}

/* A malloc'd copy of the next string, or NULL when the reply ends first. */
static char *get_str(buf *b)
{
  uint32_t n;
  if (get_u32(b, &n) < 0 || b->len - b->at < n)
    return NULL;
  char *s = lx_xmalloc((size_t)n + 1);
  memcpy(s, b->p + b->at, n);
  s[n] = '\0';
  b->at += n;
  return s;
}

/* The child: the reply is a u32 failed flag, the error, the number of commands and
 * each command's file, folder and arguments. */
static void child_main(const char *dir, size_t errlen, int fd)
{
  char *err = lx_xcalloc(1, errlen);
  lx_cmds cmds = {0};
  const lx_frontend_api *fe = lx_frontend_try(err, errlen);
  int rc = fe ? fe->compdb_read(dir, &cmds, err, errlen) : -1;
  buf b = {0};
  put_u32(&b, rc < 0);
  put_str(&b, rc < 0 ? err : "");
  put_u32(&b, (uint32_t)cmds.n);
  for (size_t i = 0; i < cmds.n; i++) {
    const lx_cmd *c = &cmds.v[i];
    put_str(&b, c->file);
    put_str(&b, c->dir);
    put_u32(&b, (uint32_t)c->argc);
    for (int k = 0; k < c->argc; k++)
      put_str(&b, c->argv[k]);
  }
  int ok = lx_write_all(fd, b.p, b.len) == 0;
  free(b.p);
  free(err);
  lx_cmds_free(&cmds);
  _exit(ok ? 0 : 1); /* no atexit handlers, no stdio flush: those are the parent's */
}

/* The commands of a whole reply in b, added to out.  Returns 0, or -1 when it is not whole. */
static int decode(buf *b, lx_cmds *out, char *err, size_t errlen)
{
  uint32_t failed, n;
  char *msg = NULL;
  if (get_u32(b, &failed) < 0 || !(msg = get_str(b)) || get_u32(b, &n) < 0)
    goto bad;
  if (failed) {
    snprintf(err, errlen, "%s", msg);
    free(msg);
    return 1;
  }
  free(msg);
  for (uint32_t i = 0; i < n; i++) {
    lx_cmd c;
    memset(&c, 0, sizeof(c));
    uint32_t argc;
    c.file = get_str(b);
    c.dir = c.file ? get_str(b) : NULL;
    if (!c.dir || get_u32(b, &argc) < 0 || argc > b->len - b->at) {
      lx_cmd_free(&c);
      goto bad;
    }
    c.argv = lx_xcalloc((size_t)argc + 1, sizeof(char *));
    for (c.argc = 0; c.argc < (int)argc; c.argc++)
      if (!(c.argv[c.argc] = get_str(b))) {
        lx_cmd_free(&c);
        goto bad;
      }
    c.how = "database";
    lx_vec_push(out, c);
  }
  return b->at == b->len ? 0 : -1;
bad:
  return -1;
}

int lx_compdb_load(const char *dir, lx_cmds *out, char *err, size_t errlen)
{
  if (lx_frontend_loaded())
    return lx_frontend()->compdb_read(dir, out, err, errlen);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return lx_frontend()->compdb_read(dir, out, err, errlen); /* no child: read here */
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return lx_frontend()->compdb_read(dir, out, err, errlen);
  }
  if (pid == 0) {
    close(fds[0]);
    child_main(dir, errlen, fds[1]);
  }
  close(fds[1]);
  buf b = {0};
  char chunk[65536];
  for (;;) {
    ssize_t r = read(fds[0], chunk, sizeof(chunk));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    put(&b, chunk, (size_t)r);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  size_t had = out->n;
  int rc = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? decode(&b, out, err, errlen) : -1;
  free(b.p);
  if (rc == 0)
    return 0;
  while (out->n > had)
    lx_cmd_free(&out->v[--out->n]);
  if (rc < 0) {
    if (WIFSIGNALED(status))
      snprintf(err, errlen, "%s/compile_commands.json: libclang crashed reading this compilation database "
               "(signal %d, %s)", dir, WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
      snprintf(err, errlen, "%s/compile_commands.json: the process reading this compilation database failed "
               "(exit status %d)", dir, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return -1;
}
