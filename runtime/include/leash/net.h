/*
 * leash/net.h: socket calls bounded by a context's deadline and cancellation
 * (non-blocking sockets and poll), so that no call waits as long as the peer likes.
 */
#ifndef LEASH_NET_H
#define LEASH_NET_H

#include <stddef.h>
#include <sys/socket.h>

#include <leash/ctx.h>
#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Opens a TCP (or any stream) socket for addr's family, non-blocking and
 * close-on-exec, and connects it before ctx is done. On 0, *fd_out is the connected
 * socket, left non-blocking; the caller closes it. On error nothing is left open.
 * Errors: LEASH_EINVAL (NULL argument), LEASH_ETIMEDOUT / LEASH_ECANCELED (ctx done
 * first), LEASH_ESYS (errno says why: ECONNREFUSED...).
 */
LEASH_API int leash_net_connect(int *fd_out, const struct sockaddr *addr, socklen_t addrlen,
				const leash_ctx *ctx) LEASH_DEADLINE(4);

/*
 * Opens a listening stream socket bound to addr (SO_REUSEADDR), non-blocking and
 * close-on-exec, for leash_net_accept. Errors: LEASH_EINVAL, LEASH_ESYS.
 */
LEASH_API int leash_net_listen(int *fd_out, const struct sockaddr *addr, socklen_t addrlen,
			       int backlog);

/*
 * Accepts one connection on the listening socket lfd before ctx is done. lfd is made
 * non-blocking if it was not. *fd_out is the new socket (non-blocking, close-on-exec);
 * addr/addrlen may be NULL, as for accept(2). Errors: LEASH_EINVAL, LEASH_ETIMEDOUT,
 * LEASH_ECANCELED, LEASH_ESYS.
 */
LEASH_API int leash_net_accept(int *fd_out, int lfd, struct sockaddr *addr, socklen_t *addrlen,
			       const leash_ctx *ctx) LEASH_DEADLINE(5);

/*
 * Reads up to len bytes from fd as soon as some are there, before ctx is done.
 * *nread is the count; 0 with status 0 means end of stream. Works on blocking and
 * non-blocking fds. Errors: LEASH_EINVAL, LEASH_ETIMEDOUT, LEASH_ECANCELED,
 * LEASH_ESYS (ECONNRESET...).
 */
LEASH_API int leash_net_read(int fd, void *buf, size_t len, size_t *nread,
			     const leash_ctx *ctx) LEASH_DEADLINE(5);

/*
 * Writes all len bytes to fd before ctx is done (never raises SIGPIPE on sockets).
 * *nwritten (may be NULL) is the count written, also on error. Errors: LEASH_EINVAL,
 * LEASH_ETIMEDOUT, LEASH_ECANCELED, LEASH_ESYS (EPIPE...).
 */
LEASH_API int leash_net_write(int fd, const void *buf, size_t len, size_t *nwritten,
			      const leash_ctx *ctx) LEASH_DEADLINE(5);

#ifdef __cplusplus
}
#endif

#endif
