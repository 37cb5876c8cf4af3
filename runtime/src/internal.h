/*
 * internal.h: what libleash's modules share and users never see: the monotonic
 * clock and deadlines, the pool registry read by metrics and trace, the context's
 * wake-up fd used by net.c, and the lazy start of the trace.
 */
#ifndef LEASH_INTERNAL_H
#define LEASH_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "leash/leash.h"

#define LEASH_HIDDEN __attribute__((visibility("hidden")))

/* An absolute deadline in ns on CLOCK_MONOTONIC; this one never comes. */
#define LEASH_NO_DEADLINE INT64_MAX

/* Now on CLOCK_MONOTONIC, in ns. */
LEASH_HIDDEN int64_t leash_clock_now_ns(void);

/*
 * Turns a timeout in ms (0, LEASH_FOREVER or positive) into an absolute deadline,
 * saturating to LEASH_NO_DEADLINE. Returns LEASH_EINVAL for other negatives.
 */
LEASH_HIDDEN int leash_deadline_from_ms(int64_t timeout_ms, int64_t *deadline_ns);

/* ms left until deadline_ns, rounded up, capped at INT_MAX; -1 for no deadline. */
LEASH_HIDDEN int leash_deadline_poll_ms(int64_t deadline_ns);

/* Initialises a condition variable that waits on CLOCK_MONOTONIC. 0 or LEASH_ESYS. */
LEASH_HIDDEN int leash_cond_init(pthread_cond_t *cond);

/*
 * Waits on cond until signalled or deadline_ns (LEASH_NO_DEADLINE: no limit).
 * Returns 1 if the deadline has passed, 0 otherwise (woken, maybe spuriously).
 */
LEASH_HIDDEN int leash_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex,
				       int64_t deadline_ns);

/* One pool as the registry shows it. */
typedef void (*leash_pool_visit_fn)(const char *name, unsigned id,
				    const struct leash_pool_stats *stats, void *arg);

/* Calls visit for each live pool, in creation order, under the registry lock. */
LEASH_HIDDEN void leash_pool_foreach(leash_pool_visit_fn visit, void *arg);

/*
 * Returns a fd that becomes readable when ctx is cancelled (created on first use),
 * or -1 with LEASH_ESYS if it cannot be created.
 */
LEASH_HIDDEN int leash_ctx_wake_fd(const leash_ctx *ctx);

/* ctx's absolute deadline (LEASH_NO_DEADLINE if none). */
LEASH_HIDDEN int64_t leash_ctx_deadline_ns(const leash_ctx *ctx);

/* Starts the trace once per process if LEASH_TRACE=<ms> is set. */
LEASH_HIDDEN void leash_trace_autostart(void);

#endif
