/*
 * leash/thread.h: tracked threads, so that tests and metrics can see which threads
 * are alive (Go's runtime.NumGoroutine and goleak.VerifyNone for C).
 */
#ifndef LEASH_THREAD_H
#define LEASH_THREAD_H

#include <stdio.h>

#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct leash_thread leash_thread;

/* A thread's entry function; its result is handed to leash_thread_join. */
typedef void *(*leash_thread_fn)(void *arg);

/*
 * Starts a thread running fn(arg). `name` (may be NULL: the entry function's symbol
 * name when it can be found) is copied, given to the OS thread (first 15 bytes) and
 * shown by leash_verify_none. The thread counts as alive from now until it is joined
 * (or, once detached, until it returns). *out receives the handle; pass it to
 * leash_thread_join or leash_thread_detach exactly once. Errors: LEASH_EINVAL (out
 * or fn NULL), LEASH_ENOMEM, LEASH_ESYS (pthread_create failed).
 */
LEASH_API int leash_thread_spawn(leash_thread **out, leash_thread_fn fn, void *arg,
				 const char *name) LEASH_SPAWNS(2);

/*
 * Waits for the thread to return, stores its result in *result (if not NULL) and
 * frees the handle. Errors: LEASH_EINVAL (NULL, or joining oneself), LEASH_ESYS.
 */
LEASH_API int leash_thread_join(leash_thread *thread, void **result);

/*
 * Lets the thread run on its own: it stops counting as alive when fn returns, and
 * the handle must not be used again. Errors: LEASH_EINVAL, LEASH_ESYS.
 */
LEASH_API int leash_thread_detach(leash_thread *thread);

/* Returns the number of tracked threads alive (started and not yet joined). */
LEASH_API int leash_thread_count(void);

/*
 * Writes one line per tracked thread alive to `out`: name, entry function, state
 * ("running" or "exited, not joined"). Errors: LEASH_EINVAL (out NULL).
 */
LEASH_API int leash_thread_list(FILE *out);

/*
 * For tests (goleak's VerifyNone): returns 0 if no tracked thread is alive. Detached
 * threads still returning are given up to 250 ms. Otherwise writes the list of threads
 * still alive to stderr and returns LEASH_EBUSY. The LEASH_TRACE thread is internal
 * and never counted.
 */
LEASH_API int leash_verify_none(void);

#ifdef __cplusplus
}
#endif

#endif
