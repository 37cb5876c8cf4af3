/* tu_isolate.c - what a worker process sends back for one translation unit (its
 * status, diagnostics and facts), so that a crash of libclang costs that TU only.
 *
 * libclang's own crash recovery (CXError_Crashed) catches a crash signal by jumping out
 * of the faulting code, but it cannot catch a stack overflow: its handler has no
 * alternate stack to run on, so the whole process dies.  Deeply nested code does that
 * with the default flags (10,000 nested `if`s or unary minuses, a 100,000-term `a + a +
 * ...`).  A worker (jobs.c) parses, extracts and sends back its diagnostics and its
 * facts (encoded as the facts cache stores them); when it dies instead, the TU is reported
 * as failed and the run goes on. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "facts/facts_bin.h"
#include "frontend/frontend.h"
#include "frontend/tu_isolate.h"

#define MAGIC 0x6c656173u /* "leas" */

typedef struct {
  uint32_t magic;
  int32_t status;
  int32_t parse_errors;
  uint32_t has_facts;
  uint64_t diag_len;
  uint64_t facts_len;
} reply_header;

int lx_tu_isolate_reply(const lx_frontend_api *fe, void *index, const lx_cmd *cmd, int fd)
{
  char *diag = NULL;
  unsigned char *bytes = NULL;
  size_t dlen = 0, nbytes = 0;
  FILE *mem = open_memstream(&diag, &dlen);
  if (!mem)
    return -1;
  lx_tu_facts *f = NULL;
  lx_tu_status st = fe->tu_analyse(index, cmd, &f, mem);
  fclose(mem);
  if (f)
    bytes = lx_facts_encode(f, &nbytes);
  reply_header h = {MAGIC, st, f ? f->parse_errors : 0, f != NULL, dlen, nbytes};
  uint64_t total = sizeof(h) + h.diag_len + h.facts_len;
  int rc = lx_write_all(fd, &total, sizeof(total)) || lx_write_all(fd, &h, sizeof(h)) || lx_write_all(fd, diag, dlen) ||
                   (bytes && lx_write_all(fd, bytes, nbytes))
               ? -1
               : 0;
  free(diag);
  free(bytes);
  lx_facts_free(f);
  return rc;
}

/* A refusal is a reply whose length is REFUSED, followed by the reason up to the end. */
#define REFUSED UINT64_MAX

int lx_tu_isolate_refuse(int fd, const char *why)
{
  uint64_t mark = REFUSED;
  return lx_write_all(fd, &mark, sizeof(mark)) || lx_write_all(fd, why, strlen(why)) ? -1 : 0;
}

char *lx_tu_isolate_refused(const char *buf, size_t len)
{
  uint64_t total;
  if (len < sizeof(total))
    return NULL;
  memcpy(&total, buf, sizeof(total));
  if (total != REFUSED)
    return NULL;
  char *why = lx_xmalloc(len - sizeof(total) + 1);
  memcpy(why, buf + sizeof(total), len - sizeof(total));
  why[len - sizeof(total)] = '\0';
  return why;
}

void lx_tu_isolate_say_crash(const lx_cmd *cmd, int status, FILE *diag)
{
  if (!diag)
    return;
  if (WIFSIGNALED(status))
    fprintf(diag, "%s: error: libclang crashed on this translation unit (signal %d, %s%s); it was not "
                  "analysed\n", cmd->file, WTERMSIG(status), strsignal(WTERMSIG(status)),
            WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS ? ": deeply nested code can exhaust its stack"
                                                                      : "");
  else
    fprintf(diag, "%s: error: the process analysing this translation unit failed (exit status %d); it "
                  "was not analysed\n", cmd->file, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Decodes the child's reply; LX_TU_FAILED (with a message) when it is not whole. */
lx_tu_status lx_tu_isolate_decode(const lx_cmd *cmd, const char *buf, size_t len, lx_tu_facts **facts,
                                  FILE *diag, const unsigned char **bytes, size_t *nbytes)
{
  *facts = NULL;
  if (bytes)
    *bytes = NULL;
  uint64_t total;
  if (len < sizeof(total))
    goto bad;
  memcpy(&total, buf, sizeof(total));
  buf += sizeof(total);
  len -= sizeof(total);
  if (total != len)
    goto bad;
  reply_header h;
  if (len < sizeof(h))
    goto bad;
  memcpy(&h, buf, sizeof(h));
  if (h.magic != MAGIC || h.diag_len > len - sizeof(h) || h.facts_len != len - sizeof(h) - h.diag_len)
    goto bad;
  if (diag && h.diag_len)
    fwrite(buf + sizeof(h), 1, h.diag_len, diag);
  if (h.has_facts) {
    const unsigned char *b = (const unsigned char *)buf + sizeof(h) + h.diag_len;
    if (bytes) {
      *bytes = b; /* the facts as the cache stores them */
      *nbytes = h.facts_len;
    }
    const char *err = NULL;
    *facts = lx_facts_decode(b, h.facts_len, &err);
    if (!*facts)
      goto bad;
    (*facts)->parse_errors = h.parse_errors;
  }
  return (lx_tu_status)h.status;
bad:
  if (diag)
    fprintf(diag, "%s: error: the process analysing this translation unit sent back an incomplete reply; "
                  "it was not analysed\n", cmd->file);
  return LX_TU_FAILED;
}
