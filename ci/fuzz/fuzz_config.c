/* fuzz_config.c - libFuzzer target: the YAML loader of rules/catalog.yaml and
 * .leash.yaml (lx_config_load_string) on arbitrary bytes, read both as a user file and
 * as a catalogue.  It must not crash or leak, and must explain every refusal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  for (int user = 0; user <= 1; user++) {
    lx_config *c = lx_config_new();
    char err[512] = "";
    int rc = lx_config_load_string(c, "fuzz.yaml", (const char *)data, size, user, err, sizeof(err));
    if (rc < 0 && strncmp(err, "fuzz.yaml", 9) != 0) {
      fprintf(stderr, "refused without naming the file: '%s'\n", err);
      abort();
    }
    if (rc == 0) {
      /* Use what was loaded, the way the driver and the rules do. */
      (void)lx_config_api(c, "curl_easy_perform");
      (void)lx_config_rule(c, "unbounded-spawn");
      (void)lx_config_excluded(c, "src/a.c");
      (void)lx_config_excluded(c, "/abs/third_party/x.c");
      for (size_t i = 0; i < c->apis.cap; i++)
        if (c->apis.keys && c->apis.keys[i]) {
          const lx_api *a = lx_config_api(c, c->apis.keys[i]);
          /* Every entry says something: an annotation, or one of the keys that are not
           * annotations (connects, connect_timeout, copies, periodic, no_timeout). */
          int says = a && (a->nannots >= 1 || a->connects >= 0 || a->connect_timeout >= 0 || a->copies ||
                           a->periodic || a->no_timeout);
          if (!says || a->nannots > LX_API_MAX_ANNOTS || a->nwhen > LX_API_MAX_WHEN)
            abort();
        }
    }
    lx_config_free(c);
  }
  return 0;
}
