/* summaries.h - queries on the bottom-up summaries (summaries.c): timeouts, blocking
 * calls behind wrappers, polls that guard a read, where a value was created. */
#ifndef LX_SUMMARIES_H
#define LX_SUMMARIES_H

#include "program/program.h"

/* Whether a timeout reaches call c on class cls in fn: set before it in fn, set in the
 * same loop, or set program-wide on a field or global of the class. */
int lx_timed_before(const lx_program *p, const lx_fnode *fn, int cls, const lx_call *c);

/* Whether call c (in fn) may block on its argument a (1-based): the blocking call
 * itself (leash:blocks:a) or, through the callee's summary, the blocking call in a
 * wrapper it reaches.  Returns that call, with its function in *origin_fn and the
 * argument it blocks on in *origin_arg, or NULL. */
const lx_call *lx_blocking_origin(const lx_program *p, const lx_fnode *fn, const lx_call *c, int a,
                                  const lx_fnode **origin_fn, int *origin_arg);

/* Whether a poll/select/epoll_wait with a finite timeout runs before call c in fn
 * (in the same pass of c's loop): it guards a socket call from blocking forever. */
int lx_poll_guarded(const lx_program *p, const lx_fnode *fn, const lx_call *c);
/* The same, counting only polls after seq `after` (a call to a poll_guard wrapper, and an
 * alarm() or setitimer() armed before it, count too). */
int lx_poll_guarded_after(const lx_program *p, const lx_fnode *fn, const lx_call *c, int after);

/* Where the value of class cls was created: the call that produced it, or NULL. */
const lx_call *lx_alias_origin(const lx_program *p, const lx_fnode *fn, int cls,
                               const lx_fnode **origin_fn);

#endif
