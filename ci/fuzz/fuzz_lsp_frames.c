/* fuzz_lsp_frames.c - libFuzzer target: the language server's message reader
 * (lx_lsp_frames_feed/next, Content-Length framing) on an arbitrary byte stream fed in
 * pieces of varying sizes, the way reads from a pipe arrive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(lx_lsp_frames *f)
{
  char *body, err[256];
  size_t len;
  int rc, guard = 0;
  while ((rc = lx_lsp_frames_next(f, &body, &len, err, sizeof(err))) != 0) {
    if (rc == 1) {
      if (!body || body[len] != '\0' || len > LX_LSP_MAX_BODY)
        abort();
      free(body);
    } else if (rc != -1 || body || !err[0]) {
      abort();
    }
    if (++guard > 1000000) /* a reader that never runs dry loops forever */
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  lx_lsp_frames f;
  lx_lsp_frames_init(&f);
  /* The first byte picks the size of the pieces (1 to 64 bytes, or all at once). */
  size_t piece = size ? (data[0] % 65) : 0;
  size_t at = size ? 1 : 0;
  if (piece == 0)
    piece = size;
  while (at < size) {
    size_t n = size - at < piece ? size - at : piece;
    lx_lsp_frames_feed(&f, (const char *)data + at, n);
    at += n;
    drain(&f);
  }
  drain(&f);
  lx_lsp_frames_free(&f);
  return 0;
}
