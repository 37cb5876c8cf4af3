/*
 * leash/chan.h: a bounded, closable, multi-producer multi-consumer channel of
 * pointers (a Go buffered channel for C).
 */
#ifndef LEASH_CHAN_H
#define LEASH_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct leash_chan leash_chan;

/*
 * Creates a channel buffering up to `cap` pointers (cap >= 1). Free it with
 * leash_chan_destroy. Errors: LEASH_EINVAL, LEASH_ENOMEM, LEASH_ESYS.
 */
LEASH_API int leash_chan_create(leash_chan **out, size_t cap);

/*
 * Sends `value` (any pointer, NULL included), waiting up to timeout_ms for room
 * (0: do not wait). Errors: LEASH_EINVAL, LEASH_ECLOSED (closed before or while
 * waiting: the value was not sent), LEASH_EFULL (full, timeout 0), LEASH_ETIMEDOUT.
 */
LEASH_API int leash_chan_send(leash_chan *chan, void *value, int64_t timeout_ms);

/*
 * Receives the oldest value into *out, waiting up to timeout_ms (0: do not wait).
 * After leash_chan_close, the values still buffered are received first; then every
 * call returns LEASH_ECLOSED at once. Errors: LEASH_EINVAL, LEASH_ECLOSED (closed and
 * drained), LEASH_EEMPTY (empty, timeout 0), LEASH_ETIMEDOUT.
 */
LEASH_API int leash_chan_recv(leash_chan *chan, void **out, int64_t timeout_ms)
	LEASH_RECEIVES(1);

/*
 * Closes the channel: senders (waiting or later) get LEASH_ECLOSED, receivers drain
 * what is buffered and then get LEASH_ECLOSED. Errors: LEASH_EINVAL, LEASH_ECLOSED
 * (already closed; nothing changes).
 */
LEASH_API int leash_chan_close(leash_chan *chan) LEASH_CLOSES(1);

/* Returns the number of buffered values (0 for NULL). */
LEASH_API size_t leash_chan_len(leash_chan *chan);

/* Frees the channel; buffered values are dropped (the caller owns what they point
 * to). NULL is a no-op. Nobody may be waiting on it. */
LEASH_API void leash_chan_destroy(leash_chan *chan);

#ifdef __cplusplus
}
#endif

#endif
