/*
 * leash/sem.h: a weighted semaphore with FIFO waiters, with the semantics of Go's
 * golang.org/x/sync/semaphore.Weighted.
 */
#ifndef LEASH_SEM_H
#define LEASH_SEM_H

#include <stdint.h>

#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct leash_sem leash_sem;

/*
 * Creates a semaphore holding `size` tokens. Free it with leash_sem_destroy.
 * Errors: LEASH_EINVAL (out NULL, size < 0), LEASH_ENOMEM, LEASH_ESYS.
 */
LEASH_API int leash_sem_create(leash_sem **out, int64_t size);

/*
 * Acquires n tokens, waiting up to timeout_ms. Waiters are served in arrival order:
 * a large request at the head is not overtaken by smaller ones behind it, and no one
 * is served past a waiter ahead of them. A request larger than the size can never be
 * met: it waits until the timeout and fails (with LEASH_FOREVER it waits forever, as
 * in Go). If the tokens are granted as the deadline expires, the call succeeds.
 * timeout_ms 0: try once (as leash_sem_try_acquire). Errors: LEASH_EINVAL (NULL,
 * n < 0, bad timeout), LEASH_EFULL (not available and timeout 0), LEASH_ETIMEDOUT.
 */
LEASH_API int leash_sem_acquire(leash_sem *sem, int64_t n, int64_t timeout_ms) LEASH_BOUNDED;

/*
 * Acquires n tokens only if they are free now and nobody is waiting.
 * Errors: LEASH_EINVAL, LEASH_EFULL (not acquired).
 */
LEASH_API int leash_sem_try_acquire(leash_sem *sem, int64_t n) LEASH_BOUNDED;

/*
 * Returns n tokens and wakes the waiters at the head of the queue that now fit.
 * Errors: LEASH_EINVAL (NULL, n < 0, or more released than held: nothing changes;
 * Go panics there).
 */
LEASH_API int leash_sem_release(leash_sem *sem, int64_t n);

/* Frees the semaphore. NULL is a no-op. Nobody may be waiting on it. */
LEASH_API void leash_sem_destroy(leash_sem *sem);

#ifdef __cplusplus
}
#endif

#endif
