/* frontend.c - leash-frontend.so's one export: the table of its functions that the rest
 * of leash calls (frontend.h), the module being everything that uses libclang. */
#include "frontend/frontend.h"

#include <clang-c/Index.h>

#ifndef LEASH_VERSION
#define LEASH_VERSION "0.0.0"
#endif

static void crash_recovery(int on) { clang_toggleCrashRecovery(on ? 1 : 0); }

static const lx_frontend_api api = {
    .size = sizeof(lx_frontend_api),
    .version = LEASH_VERSION,
    .layout = 0, /* lx_frontend_api_v1 fills it in */
    .compdb_read = lx_compdb_read,
    .index_new = lx_tu_index_new,
    .index_free = lx_tu_index_free,
    .crash_recovery = crash_recovery,
    .tu_analyse = lx_tu_analyse,
    .doc_analyse = lx_tu_doc_analyse,
    .doc_prepare = lx_tu_doc_prepare,
    .doc_reused = lx_tu_doc_reused,
    .doc_free = lx_tu_doc_free,
};

__attribute__((visibility("default"))) const lx_frontend_api *lx_frontend_api_v1(void)
{
  static lx_frontend_api filled;
  static int done;
  if (!done) { /* the first call is the loader's, under its once-lock */
    filled = api;
    filled.layout = lx_frontend_layout();
    done = 1;
  }
  return &filled;
}
