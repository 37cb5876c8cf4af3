/* lsp_io.h - the Language Server Protocol's base protocol: messages framed by a
 * Content-Length header, split out of a byte stream and written to one. */
#ifndef LX_LSP_IO_H
#define LX_LSP_IO_H

#include <stddef.h>

/* The largest message body accepted (bytes). */
#define LX_LSP_MAX_BODY (64u << 20)

/* Bytes read but not yet framed.  Zero-initialise, or lx_lsp_frames_init. */
typedef struct {
  char *buf;
  size_t len, cap;
  int resync; /* after a malformed header: skip to the next Content-Length */
} lx_lsp_frames;

void lx_lsp_frames_init(lx_lsp_frames *f);
void lx_lsp_frames_free(lx_lsp_frames *f);

/* Appends n bytes read from the stream. */
void lx_lsp_frames_feed(lx_lsp_frames *f, const char *data, size_t n);

/* Takes the next message out of f.  Returns 1 with a malloc'd, NUL-terminated body in
 * *body (its length in *len; the caller frees it); 0 when more bytes are needed; -1
 * when a header was malformed (no or a bad Content-Length, a line without a colon, a
 * header too long): its bytes are dropped, err says why, and the next call goes on
 * from the next "Content-Length:" in the stream. */
int lx_lsp_frames_next(lx_lsp_frames *f, char **body, size_t *len, char *err, size_t errlen);

/* Writes body (len bytes) to fd with its header, retrying short writes.  0, or -1 when
 * the stream is closed. */
int lx_lsp_write(int fd, const char *body, size_t len);

#endif
