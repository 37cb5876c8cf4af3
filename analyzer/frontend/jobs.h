/* jobs.h - translation units analysed in parallel child processes, each with a time
 * limit, so that a crash or a hang of libclang costs one TU and not the run. */
#ifndef LX_JOBS_H
#define LX_JOBS_H

#include <stddef.h>

#include "frontend/compdb.h"
#include "frontend/tu.h"

/* Called in the parent as each TU finishes (in completion order): its status, its
 * facts (the callee takes them; NULL when it failed), its diagnostics text ("" when
 * none) and the facts as the worker encoded them (facts_bin.c; NULL when analysed in
 * this process); the strings and bytes are valid during the call. */
typedef void (*lx_jobs_done)(void *arg, size_t job, lx_tu_status st, lx_tu_facts *facts, const char *diag,
                             const unsigned char *bytes, size_t nbytes);

/* Up to `workers` child processes (1 or more) analysing TUs of cmds as they are
 * added, each stopped after timeout_s seconds (0: no limit); done is called with the
 * index in cmds.  Each child loads the front end (frontend.h); when it cannot, the
 * process ends with status 2 and one line saying why (lx_frontend_fail).  A job starts
 * as soon as it is added and a worker is free, so the caller can go on (computing
 * cache keys) meanwhile.  With LEASH_ISOLATE=0 in the environment the TUs are analysed
 * one at a time in this process (for debuggers), as they are added, the front end
 * loaded here. */
typedef struct lx_jobs lx_jobs;
lx_jobs *lx_jobs_begin(const lx_cmd *cmds, int workers, int timeout_s, lx_jobs_done done, void *arg);
void lx_jobs_add(lx_jobs *j, size_t job);
/* Waits for every job added, stops the workers and frees j. */
void lx_jobs_end(lx_jobs *j);

#endif
