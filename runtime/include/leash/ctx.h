/*
 * leash/ctx.h: deadlines and cancellation that propagate from parent to child
 * (Go's context.Context for C), on the monotonic clock.
 */
#ifndef LEASH_CTX_H
#define LEASH_CTX_H

#include <stdint.h>

#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct leash_ctx leash_ctx;

/*
 * Creates a root context in *out: no deadline, done only once cancelled.
 * The caller frees it with leash_ctx_destroy. Errors: LEASH_EINVAL (out is NULL),
 * LEASH_ENOMEM, LEASH_ESYS.
 */
LEASH_API int leash_ctx_new(leash_ctx **out);

/*
 * Creates in *out a child of `parent` (NULL: a root) whose deadline is the earlier of
 * the parent's and now + timeout_ms. The child is cancelled when the parent is
 * cancelled or destroyed. timeout_ms: LEASH_FOREVER inherits the parent's deadline
 * only; 0 gives a context that is already done (its deadline is now); values too
 * large saturate to "no deadline of its own". The parent must outlive the call; the
 * child may outlive the parent (it is then cancelled and detached). The caller frees
 * the child with leash_ctx_destroy. Errors: LEASH_EINVAL (out NULL, negative timeout
 * other than LEASH_FOREVER), LEASH_ENOMEM.
 */
LEASH_API int leash_ctx_with_timeout(leash_ctx **out, leash_ctx *parent, int64_t timeout_ms);

/* Same as leash_ctx_with_timeout(out, parent, LEASH_FOREVER). */
LEASH_API int leash_ctx_with_cancel(leash_ctx **out, leash_ctx *parent);

/*
 * Cancels ctx and, recursively, its children; wakes whoever waits on them (net calls,
 * leash_ctx_wait). Cancelling twice is harmless. If the deadline had already passed,
 * the error stays LEASH_ETIMEDOUT. Errors: LEASH_EINVAL (ctx NULL).
 */
LEASH_API int leash_ctx_cancel(leash_ctx *ctx);

/* Returns 1 if ctx is done (cancelled or past its deadline), 0 if not; NULL: 0. */
LEASH_API int leash_ctx_done(const leash_ctx *ctx);

/*
 * Returns why ctx is done: 0 (not done), LEASH_ETIMEDOUT (deadline passed, its own or
 * an ancestor's) or LEASH_ECANCELED (it or an ancestor was cancelled). NULL: 0.
 */
LEASH_API int leash_ctx_err(const leash_ctx *ctx);

/*
 * Returns the milliseconds left before the deadline, rounded up: LEASH_FOREVER if
 * there is no deadline (and ctx is not cancelled; NULL counts as that), 0 if ctx is
 * done. The result can be passed as the timeout of any libleash call.
 */
LEASH_API int64_t leash_ctx_remaining_ms(const leash_ctx *ctx);

/*
 * Waits until ctx is done or timeout_ms passes (0: just check; LEASH_FOREVER: until
 * done). Returns leash_ctx_err(ctx), a negative code, once ctx is done, or 0 when the
 * timeout passed first and ctx is still live. Errors: LEASH_EINVAL (ctx NULL, bad
 * timeout).
 */
LEASH_API int leash_ctx_wait(const leash_ctx *ctx, int64_t timeout_ms);

/*
 * Cancels ctx (and its children, which stay valid but detached), unlinks it from its
 * parent and frees it. NULL is a no-op. No call may use ctx concurrently or after.
 */
LEASH_API void leash_ctx_destroy(leash_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
