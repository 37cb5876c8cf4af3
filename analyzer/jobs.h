/* jobs.h - translation units analysed in parallel child processes, each with a time
 * limit, so that a crash or a hang of libclang costs one TU and not the run. */
#ifndef LX_JOBS_H
#define LX_JOBS_H

#include <stddef.h>

#include "compdb.h"
#include "tu.h"

/* Called in the parent as each TU finishes (in completion order): its status, its
 * facts (the callee takes them; NULL when it failed), its diagnostics text ("" when
 * none) and the facts as the worker encoded them (facts_bin.c; NULL when analysed in
 * this process); the strings and bytes are valid during the call. */
typedef void (*lx_jobs_done)(void *arg, size_t job, lx_tu_status st, lx_tu_facts *facts, const char *diag,
                             const unsigned char *bytes, size_t nbytes);

/* Analyses cmds[jobs[0]] .. cmds[jobs[n-1]] with at most `workers` child processes at
 * once (1 or more), each stopped after timeout_s seconds (0: no limit).  index is the
 * libclang index the children inherit.  With LEASH_ISOLATE=0 in the environment the
 * TUs are analysed one at a time in this process (for debuggers). */
void lx_jobs_run(void *index, const lx_cmd *cmds, const size_t *jobs, size_t n, int workers, int timeout_s,
                 lx_jobs_done done, void *arg);

#endif
