/* fuzz_suppress.c - libFuzzer target: the `// leash:ignore rule-id reason` parser
 * (lx_suppress_parse) on every line of arbitrary bytes.  Lines are handed over without
 * a terminating NUL, as the driver does from its source cache, so a read past the end
 * is an AddressSanitizer error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t start = 0;
  while (start <= size) {
    const uint8_t *nl = memchr(data + start, '\n', size - start);
    size_t len = nl ? (size_t)(nl - data) - start : size - start;
    /* An exact-size copy: nothing readable past the line. */
    char *line = malloc(len ? len : 1);
    memcpy(line, data + start, len);
    lx_suppression s;
    if (lx_suppress_parse(line, len, &s)) {
      if (s.nrules < 0 || s.nrules > LX_SUPPRESS_MAX_RULES || s.col < 1 || s.col > len)
        abort();
      for (int i = 0; i < s.nrules; i++)
        if (strnlen(s.rules[i], sizeof(s.rules[i])) == sizeof(s.rules[i]) || !s.rules[i][0])
          abort();
      if (strnlen(s.reason, sizeof(s.reason)) == sizeof(s.reason))
        abort();
      (void)lx_suppress_matches(&s, "unbounded-spawn");
    }
    free(line);
    if (!nl)
      break;
    start = (size_t)(nl - data) + 1;
  }
  return 0;
}
