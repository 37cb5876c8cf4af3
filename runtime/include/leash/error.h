/*
 * leash/error.h: status codes shared by every libleash function.
 *
 * Every function returns an int: 0 on success, a negative LEASH_E* code on failure.
 * Timeouts are in milliseconds on the monotonic clock: 0 means "do not wait, try
 * once", LEASH_FOREVER means "no deadline", any other negative value is rejected with
 * LEASH_EINVAL, and values too large to add to the clock saturate to "no deadline".
 */
#ifndef LEASH_ERROR_H
#define LEASH_ERROR_H

#include <stdint.h>

#include <leash/annotate.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A timeout that never expires. */
#define LEASH_FOREVER ((int64_t)-1)

enum leash_error {
	LEASH_OK = 0,
	LEASH_EINVAL = -1,    /* an argument is invalid (NULL, negative timeout...) */
	LEASH_ENOMEM = -2,    /* out of memory */
	LEASH_ETIMEDOUT = -3, /* the timeout or the context's deadline expired */
	LEASH_EFULL = -4,     /* no room right now and the call was told not to wait */
	LEASH_EEMPTY = -5,    /* nothing to receive right now, told not to wait */
	LEASH_ECLOSED = -6,   /* the pool or channel is closed (and drained) */
	LEASH_ECANCELED = -7, /* the context was cancelled */
	LEASH_ESYS = -8,      /* a system call failed; errno tells which */
	LEASH_EBUSY = -9      /* threads are still alive (leash_verify_none) */
};

/*
 * Returns a static, never NULL, newline-free description of `status`
 * ("ok" for 0, "unknown error" for a code libleash does not define).
 */
LEASH_API const char *leash_strerror(int status);

#ifdef __cplusplus
}
#endif

#endif
