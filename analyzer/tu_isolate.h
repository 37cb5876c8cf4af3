/* tu_isolate.h - a translation unit parsed in a child process, so that a crash of
 * libclang costs that translation unit only. */
#ifndef LX_TU_ISOLATE_H
#define LX_TU_ISOLATE_H

#include <sys/types.h>

#include "tu.h"

/* lx_tu_analyse, run in a forked child.  Same contract: *facts (NULL when parsing
 * failed; free with lx_facts_free), diagnostics to diag, LX_TU_OK / LX_TU_ERRORS /
 * LX_TU_FAILED.  A child killed by a signal (a libclang crash, a stack overflow) gives
 * LX_TU_FAILED and one line on diag naming the file and the signal.  Falls back to
 * lx_tu_analyse in-process when no child can be made, or with LEASH_ISOLATE=0 in the
 * environment.  Not for use while other threads of the process hold locks (fork). */
lx_tu_status lx_tu_analyse_isolated(void *index, const lx_cmd *cmd, lx_tu_facts **facts, FILE *diag);

/* The two halves, for running several at once (jobs.c): start forks the child that
 * analyses cmd and gives the read end of its reply pipe in *fd (-1 when no child can be
 * made).  finish takes the whole reply read from *fd (the caller closes it), reaps the
 * child (killing it first when timed_out) and decodes the reply like
 * lx_tu_analyse_isolated. */
pid_t lx_tu_isolate_start(void *index, const lx_cmd *cmd, int *fd);
lx_tu_status lx_tu_isolate_finish(const lx_cmd *cmd, pid_t pid, const char *reply, size_t len, int timed_out,
                                  int timeout_s, lx_tu_facts **facts, FILE *diag);

/* For long-lived worker processes (jobs.c): reply analyses cmd and writes its reply
 * to fd (0, or -1 on a write error); decode reads a whole reply; say_crash describes a
 * worker that died (exit status from waitpid) on diag.  decode points *json (when json is
 * not NULL) at the facts' JSON inside buf, NULL when there are none. */
int lx_tu_isolate_reply(void *index, const lx_cmd *cmd, int fd);
lx_tu_status lx_tu_isolate_decode(const lx_cmd *cmd, const char *buf, size_t len, lx_tu_facts **facts,
                                  FILE *diag, const char **json, size_t *json_len);
void lx_tu_isolate_say_crash(const lx_cmd *cmd, int status, FILE *diag);

#endif
