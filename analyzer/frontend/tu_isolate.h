/* tu_isolate.h - a translation unit's result as a worker process sends it, so that a
 * crash of libclang costs that translation unit only. */
#ifndef LX_TU_ISOLATE_H
#define LX_TU_ISOLATE_H

#include "frontend/tu.h"

struct lx_frontend_api;

/* For long-lived worker processes (jobs.c): reply analyses cmd with the front end fe
 * and its index and writes its reply to fd (0, or -1 on a write error); decode reads a
 * whole reply; say_crash describes a worker that died (exit status from waitpid) on diag.  decode points *bytes (when bytes
 * is not NULL) at the encoded facts inside buf (facts_bin.c), NULL when there are none. */
int lx_tu_isolate_reply(const struct lx_frontend_api *fe, void *index, const lx_cmd *cmd, int fd);
lx_tu_status lx_tu_isolate_decode(const lx_cmd *cmd, const char *buf, size_t len, lx_tu_facts **facts,
                                  FILE *diag, const unsigned char **bytes, size_t *nbytes);
void lx_tu_isolate_say_crash(const lx_cmd *cmd, int status, FILE *diag);

/* A worker that cannot load the front end writes why to fd instead of any reply
 * (0, or -1 on a write error); lx_tu_isolate_refused gives why (malloc'd) when buf, all
 * the worker wrote, is such a refusal, else NULL.  A reply is never one. */
int lx_tu_isolate_refuse(int fd, const char *why);
char *lx_tu_isolate_refused(const char *buf, size_t len);

#endif
