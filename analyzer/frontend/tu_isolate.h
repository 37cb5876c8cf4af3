/* tu_isolate.h - a translation unit's result as a worker process sends it, so that a
 * crash of libclang costs that translation unit only. */
#ifndef LX_TU_ISOLATE_H
#define LX_TU_ISOLATE_H

#include "frontend/tu.h"

/* For long-lived worker processes (jobs.c): reply analyses cmd and writes its reply
 * to fd (0, or -1 on a write error); decode reads a whole reply; say_crash describes a
 * worker that died (exit status from waitpid) on diag.  decode points *bytes (when bytes
 * is not NULL) at the encoded facts inside buf (facts_bin.c), NULL when there are none. */
int lx_tu_isolate_reply(void *index, const lx_cmd *cmd, int fd);
lx_tu_status lx_tu_isolate_decode(const lx_cmd *cmd, const char *buf, size_t len, lx_tu_facts **facts,
                                  FILE *diag, const unsigned char **bytes, size_t *nbytes);
void lx_tu_isolate_say_crash(const lx_cmd *cmd, int status, FILE *diag);

#endif
