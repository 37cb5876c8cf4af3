/* frontend.h - the front end as the rest of leash calls it: a table of the functions
 * that use libclang, from leash-frontend.so, which only the processes that parse load
 * (parse workers, a compilation database's reader, the language server), so that the
 * process holding the whole program's facts never maps libclang (~55 MB resident). */
#ifndef LX_FRONTEND_H
#define LX_FRONTEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "facts/facts.h"
#include "facts/facts_bin.h"
#include "frontend/compdb.h"
#include "frontend/tu.h"

/* What the module's functions share with the executable's (their structs' layouts):
 * a module of another build is refused rather than misread. */
static inline uint64_t lx_frontend_layout(void)
{
  const uint64_t sizes[] = {sizeof(lx_tu_facts), sizeof(lx_func), sizeof(lx_call), sizeof(lx_assign),
                            sizeof(lx_loop),     sizeof(lx_branch), sizeof(lx_path), sizeof(lx_annot),
                            sizeof(lx_cmd),      LX_FACTS_VERSION,  LX_FACTS_BIN_VERSION};
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    h = (h ^ sizes[i]) * 1099511628211ULL;
  return h;
}

/* The front end's functions (tu.h and compdb.h say what each does).  The module calls
 * the executable's own base and facts functions (exported for it), so facts made on
 * either side are one kind: one allocator, one sequence of identities. */
typedef struct lx_frontend_api {
  size_t size;        /* sizeof(lx_frontend_api) as the module was built */
  const char *version; /* LEASH_VERSION */
  uint64_t layout;    /* lx_frontend_layout() as the module was built */
  /* lx_compdb_read (compdb.h): the commands of DIR/compile_commands.json. */
  int (*compdb_read)(const char *dir, lx_cmds *out, char *err, size_t errlen);
  void *(*index_new)(void);
  void (*index_free)(void *index);
  /* libclang's recovery from crashes in its own code (clang_toggleCrashRecovery): a
   * worker turns it off, so that a crash ends the worker and fails that TU only. */
  void (*crash_recovery)(int on);
  lx_tu_status (*tu_analyse)(void *index, const lx_cmd *cmd, lx_tu_facts **facts, FILE *diag);
  lx_tu_status (*doc_analyse)(void *index, lx_tu_doc **doc, const lx_cmd *cmd, const char *text, size_t len,
                              lx_tu_facts **facts);
  int (*doc_prepare)(lx_tu_doc *doc, const lx_cmd *cmd, const char *text, size_t len);
  int (*doc_reused)(const lx_tu_doc *doc);
  void (*doc_free)(lx_tu_doc *doc);
} lx_frontend_api;

/* The module's one exported symbol (frontend.c).  Unit tests and fuzz targets link the
 * front end in instead, and the loader then takes it from there. */
const lx_frontend_api *lx_frontend_api_v1(void);

/* loader.c.  The front end, loaded on the first call (thread-safe): LEASH_FRONTEND when
 * set, else leash-frontend.so beside the running executable, else the one installed
 * for it (<prefix>/lib/leash/).  Returns NULL with one line in err (naming the module
 * and why dlopen refused it) when it cannot be loaded. */
const lx_frontend_api *lx_frontend_try(char *err, size_t errlen);

/* The same, but when the front end cannot be loaded, prints "leash: <why>" on stderr
 * and ends the process with status 2 (an installation error, as input errors are). */
const lx_frontend_api *lx_frontend(void);

/* Whether this process has the front end already (loaded, or linked in). */
int lx_frontend_loaded(void);

/* Prints "leash: <why>" on stderr and ends the process with status 2: the front end
 * could not be loaded (in a worker or a reader process, which sent why). */
void lx_frontend_fail(const char *why) __attribute__((noreturn));

#endif
