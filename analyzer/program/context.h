/* context.h - queries on where code runs (context.c): event loops and loops bound by
 * input, functions run per event, spawns and what bounds them. */
#ifndef LX_CONTEXT_H
#define LX_CONTEXT_H

#include "program/program.h"

typedef enum {
  LX_LOOP_FIXED = 0, /* a constant or configured bound, or start-up code */
  LX_LOOP_INPUT,     /* bound by the size of its input (a parameter, a request field) */
  LX_LOOP_EVENT,     /* runs once per external event: it accepts, receives, polls */
} lx_loop_bound;

/* Why fn runs per event, in words ("runs once per event of the accept() loop in
 * serve()"), written to buf; NULL when nothing says so. */
const char *lx_fnode_why(const lx_fnode *fn, char *buf, size_t n);

/* How loop li of fn is bounded; *source gets the call that makes it an event loop. */
lx_loop_bound lx_loop_bound_of(const lx_program *p, const lx_fnode *fn, int li, const lx_call **source);
/* The outermost loop around call c that is not fixed (event or input), or -1. */
int lx_unbounded_loop(const lx_program *p, const lx_fnode *fn, const lx_call *c, lx_loop_bound *kind,
                      const lx_call **source);
/* Whether call c starts a thread or process; *entry_arg gets the 1-based argument that
 * holds the function run (0 for fork-like calls). */
int lx_is_spawn(const lx_program *p, const lx_call *c, int *entry_arg);
/* Whether something bounds concurrency before call c in fn: a bounding call (sem_wait,
 * leash:bounded) or a counter-vs-limit check that rejects, within scope loop (-1: the
 * whole function). */
int lx_bounded_before(const lx_program *p, const lx_fnode *fn, const lx_call *c, int scope_loop);

#endif
