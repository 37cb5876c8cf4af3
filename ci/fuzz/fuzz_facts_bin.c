/* fuzz_facts_bin.c - libFuzzer target: the binary facts decoder (lx_facts_decode) on
 * arbitrary bytes, as the facts cache and the workers' replies hand them over.  The
 * input is copied to an exact-size buffer, so a read past its end is an
 * AddressSanitizer error.  Whatever decodes must be facts the encoder writes back
 * faithfully: encoding them and decoding that gives facts that encode to the same bytes.
 * (Strings are bytes here, not necessarily UTF-8, so the JSON form is not compared.) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts_bin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  unsigned char *copy = malloc(size ? size : 1);
  memcpy(copy, data, size);
  const char *err = NULL;
  lx_tu_facts *f = lx_facts_decode(copy, size, &err);
  free(copy);
  if (!f) {
    if (!err)
      abort(); /* refused without saying why */
    return 0;
  }
  size_t n1, n2;
  unsigned char *e1 = lx_facts_encode(f, &n1);
  lx_tu_facts *back = lx_facts_decode(e1, n1, &err);
  if (!back)
    abort(); /* the encoder wrote what the decoder refuses */
  unsigned char *e2 = lx_facts_encode(back, &n2);
  if (n1 != n2 || memcmp(e1, e2, n1) != 0)
    abort(); /* the round trip lost or changed a fact */
  free(e2);
  free(e1);
  lx_facts_free(back);
  lx_facts_free(f);
  return 0;
}
