/*
 * leash/pool.h: a fixed set of worker threads fed by a bounded queue.
 */
#ifndef LEASH_POOL_H
#define LEASH_POOL_H

#include <stddef.h>
#include <stdint.h>

#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct leash_pool leash_pool;

/* A task: runs once on one worker with the argument given at submission. */
typedef void (*leash_task_fn)(void *arg);

/* A snapshot of a pool's counters (leash_pool_stats, metrics, trace). */
struct leash_pool_stats {
	size_t workers;       /* worker threads started */
	size_t queue_cap;     /* capacity of the queue */
	size_t queue_depth;   /* tasks accepted and not yet started */
	size_t active;        /* tasks running now */
	uint64_t submitted;   /* tasks accepted */
	uint64_t completed;   /* tasks that returned */
	uint64_t rejected;    /* submissions refused: full, timed out or closed */
	int closed;           /* 1 once leash_pool_close was called */
};

/*
 * Starts a pool of `nworkers` threads (tracked: they show in leash_thread_count and
 * leash_verify_none as "<name>/<i>") and a queue of `queue_cap` tasks; `name` (may be
 * NULL: "pool") labels metrics and traces and is copied. On success *out owns the
 * pool; free it with leash_pool_destroy. Errors: LEASH_EINVAL (out NULL, nworkers < 1,
 * queue_cap < 1), LEASH_ENOMEM, LEASH_ESYS (a thread could not be started; nothing
 * is left running).
 */
LEASH_API int leash_pool_create(leash_pool **out, int nworkers, size_t queue_cap,
				const char *name) LEASH_BOUNDED;

/*
 * Queues fn(arg), waiting up to timeout_ms for room. On 0 the task will run exactly
 * once before leash_pool_join returns; on any error it will never run. timeout_ms: 0
 * does not wait (same as leash_pool_try_submit), LEASH_FOREVER waits until room or
 * close. Errors: LEASH_EINVAL (NULL pool or fn, bad timeout), LEASH_EFULL (full and
 * timeout 0), LEASH_ETIMEDOUT (still full at the deadline), LEASH_ECLOSED (the pool is
 * closed, or was closed while waiting).
 */
LEASH_API int leash_pool_submit(leash_pool *pool, leash_task_fn fn, void *arg,
				int64_t timeout_ms) LEASH_BOUNDED;

/* Queues fn(arg) if there is room now. Errors: as leash_pool_submit with timeout 0. */
LEASH_API int leash_pool_try_submit(leash_pool *pool, leash_task_fn fn, void *arg)
	LEASH_BOUNDED;

/*
 * Closes the pool: later submissions fail with LEASH_ECLOSED, waiting submitters are
 * woken with LEASH_ECLOSED, and the workers run what is queued, then exit. Does not
 * wait (leash_pool_join does). Errors: LEASH_EINVAL (NULL), LEASH_ECLOSED (already
 * closed; nothing changes).
 */
LEASH_API int leash_pool_close(leash_pool *pool) LEASH_CLOSES(1);

/*
 * Waits up to timeout_ms for the workers to finish the queue and exit, which they do
 * only after leash_pool_close (from any thread). Must not be called from a task.
 * Errors: LEASH_EINVAL (NULL, bad timeout), LEASH_ETIMEDOUT (workers still running).
 */
LEASH_API int leash_pool_join(leash_pool *pool, int64_t timeout_ms);

/* Fills *stats with a consistent snapshot. Errors: LEASH_EINVAL (NULL argument). */
LEASH_API int leash_pool_stats(leash_pool *pool, struct leash_pool_stats *stats);

/*
 * Closes the pool if needed, waits for the workers without limit (so every accepted
 * task has run), and frees it. NULL is a no-op. No other call may use pool during or
 * after this one.
 */
LEASH_API void leash_pool_destroy(leash_pool *pool);

#ifdef __cplusplus
}
#endif

#endif
