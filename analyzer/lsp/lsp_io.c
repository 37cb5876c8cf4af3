/* lsp_io.c - Content-Length framing of LSP messages: a byte stream in, whole JSON
 * bodies out; and the same framing on the way back. */
#include "lsp/lsp_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/util.h"

#define MAX_HEADER 8192
static const char length_name[] = "Content-Length:";

void lx_lsp_frames_init(lx_lsp_frames *f) { memset(f, 0, sizeof(*f)); }

void lx_lsp_frames_free(lx_lsp_frames *f)
{
  free(f->buf);
  memset(f, 0, sizeof(*f));
}

void lx_lsp_frames_feed(lx_lsp_frames *f, const char *data, size_t n)
{
  if (f->len + n + 1 > f->cap) {
    while (f->len + n + 1 > f->cap)
      f->cap = f->cap ? f->cap * 2 : 4096;
    f->buf = lx_xrealloc(f->buf, f->cap);
  }
  memcpy(f->buf + f->len, data, n);
  f->len += n;
  f->buf[f->len] = '\0';
}

static void drop(lx_lsp_frames *f, size_t n)
{
  memmove(f->buf, f->buf + n, f->len - n);
  f->len -= n;
  f->buf[f->len] = '\0';
}

/* Skips to the next "Content-Length:"; returns whether one was found (else keeps a
 * tail that may be the start of one). */
static int resync(lx_lsp_frames *f)
{
  size_t k = sizeof(length_name) - 1;
  for (size_t i = 0; i + k <= f->len; i++)
    if (!strncasecmp(f->buf + i, length_name, k)) {
      drop(f, i);
      f->resync = 0;
      return 1;
    }
  if (f->len >= k)
    drop(f, f->len - (k - 1));
  return 0;
}

static int malformed(lx_lsp_frames *f, size_t header_len, char *err, size_t errlen, const char *why)
{
  snprintf(err, errlen, "malformed message header: %s", why);
  drop(f, header_len);
  f->resync = 1;
  return -1;
}

int lx_lsp_frames_next(lx_lsp_frames *f, char **body, size_t *len, char *err, size_t errlen)
{
  *body = NULL;
  *len = 0;
  if (f->resync && !resync(f))
    return 0;
  if (!f->buf || f->len == 0)
    return 0;
  char *end = memmem(f->buf, f->len, "\r\n\r\n", 4);
  if (!end) {
    if (f->len > MAX_HEADER)
      return malformed(f, f->len, err, errlen, "header longer than 8192 bytes without a blank line");
    return 0;
  }
  size_t header_len = (size_t)(end - f->buf) + 4;
  long long length = -1;
  for (char *line = f->buf; line < end;) {
    char *eol = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
    char *colon = memchr(line, ':', (size_t)(eol - line));
    if (!colon)
      return malformed(f, header_len, err, errlen, "a header line without a colon");
    if ((size_t)(colon - line) == sizeof(length_name) - 2 && !strncasecmp(line, length_name, sizeof(length_name) - 2)) {
      char *p = colon + 1;
      while (*p == ' ' || *p == '\t')
        p++;
      long long v = 0;
      int digits = 0;
      while (p < eol && *p >= '0' && *p <= '9' && v <= LX_LSP_MAX_BODY) {
        v = v * 10 + (*p++ - '0');
        digits++;
      }
      while (p < eol && (*p == ' ' || *p == '\t'))
        p++;
      if (!digits || p != eol)
        return malformed(f, header_len, err, errlen, "Content-Length is not a number");
      if (v > LX_LSP_MAX_BODY)
        return malformed(f, header_len, err, errlen, "Content-Length is larger than 64 MiB");
      length = v;
    }
    line = eol + 2;
  }
  if (length < 0)
    return malformed(f, header_len, err, errlen, "no Content-Length");
  if (f->len - header_len < (size_t)length)
    return 0;
  *body = lx_xmalloc((size_t)length + 1);
  memcpy(*body, f->buf + header_len, (size_t)length);
  (*body)[length] = '\0';
  *len = (size_t)length;
  drop(f, header_len + (size_t)length);
  return 1;
}

int lx_lsp_write(int fd, const char *body, size_t len)
{
  char header[64];
  int h = snprintf(header, sizeof(header), "Content-Length: %zu\r\n\r\n", len);
  if (lx_write_all(fd, header, (size_t)h) < 0)
    return -1;
  return lx_write_all(fd, body, len);
}
