/*
 * net.c: connect, accept, read and write bounded by a context: the socket is used
 * non-blocking (or with MSG_DONTWAIT) and every wait is a poll on the fd and on the
 * context's wake-up pipe, with the time left as its timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

/* Waits until fd is ready for `events` or ctx is done. */
static int wait_fd(int fd, short events, const leash_ctx *ctx)
{
	struct pollfd pfd[2];
	int err, wake, n;

	if ((wake = leash_ctx_wake_fd(ctx)) < 0)
		return LEASH_ESYS;
	for (;;) {
		if ((err = leash_ctx_err(ctx)) != 0)
			return err;
		pfd[0].fd = fd;
		pfd[0].events = events;
		pfd[0].revents = 0;
		pfd[1].fd = wake;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		n = poll(pfd, 2, leash_deadline_poll_ms(leash_ctx_deadline_ns(ctx)));
		if (n < 0 && errno != EINTR)
			return LEASH_ESYS;
		if (n > 0 && pfd[0].revents)
			return 0;
		/* Timed out, interrupted or woken: the loop head tells which. */
	}
}

int leash_net_connect(int *fd_out, const struct sockaddr *addr, socklen_t addrlen,
		      const leash_ctx *ctx)
{
	int fd = -1, err = 0, soerr = 0;
	socklen_t len = sizeof(soerr);

	if (!fd_out || !addr || !ctx)
		return LEASH_EINVAL;
	*fd_out = -1;
	if ((err = leash_ctx_err(ctx)) != 0)
		goto done;
	if ((fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		err = LEASH_ESYS;
		goto done;
	}
	if (connect(fd, addr, addrlen) == 0)
		goto done;
	if (errno != EINPROGRESS && errno != EINTR) {
		err = LEASH_ESYS;
		goto done;
	}
	if ((err = wait_fd(fd, POLLOUT, ctx)) < 0)
		goto done;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) {
		err = LEASH_ESYS;
		goto done;
	}
	if (soerr != 0) {
		errno = soerr;
		err = LEASH_ESYS;
	}
done:
	if (err < 0 && fd >= 0) {
		int saved = errno;

		close(fd);
		errno = saved;
	} else if (err == 0) {
		*fd_out = fd;
	}
	return err;
}

int leash_net_listen(int *fd_out, const struct sockaddr *addr, socklen_t addrlen, int backlog)
{
	int fd = -1, one = 1, err = 0;

	if (!fd_out || !addr)
		return LEASH_EINVAL;
	*fd_out = -1;
	if ((fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, addr, addrlen) < 0 || listen(fd, backlog) < 0) {
		err = LEASH_ESYS;
		goto done;
	}
	*fd_out = fd;
	fd = -1;
done:
	if (fd >= 0) {
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return err;
}

int leash_net_accept(int *fd_out, int lfd, struct sockaddr *addr, socklen_t *addrlen,
		     const leash_ctx *ctx)
{
	int flags, fd, err;

	if (!fd_out || lfd < 0 || !ctx || (addr && !addrlen))
		return LEASH_EINVAL;
	*fd_out = -1;
	if ((flags = fcntl(lfd, F_GETFL)) < 0)
		return LEASH_ESYS;
	if (!(flags & O_NONBLOCK) && fcntl(lfd, F_SETFL, flags | O_NONBLOCK) < 0)
		return LEASH_ESYS;
	for (;;) {
		if ((err = leash_ctx_err(ctx)) != 0)
			return err;
		fd = accept4(lfd, addr, addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			*fd_out = fd;
			return 0;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return LEASH_ESYS;
		if ((err = wait_fd(lfd, POLLIN, ctx)) < 0)
			return err;
	}
}

int leash_net_read(int fd, void *buf, size_t len, size_t *nread, const leash_ctx *ctx)
{
	ssize_t n;
	int err, sock = 1;

	if (fd < 0 || (!buf && len) || !nread || !ctx)
		return LEASH_EINVAL;
	*nread = 0;
	for (;;) {
		if ((err = leash_ctx_err(ctx)) != 0)
			return err;
		n = sock ? recv(fd, buf, len, MSG_DONTWAIT) : read(fd, buf, len);
		if (n >= 0) {
			*nread = (size_t)n;
			return 0;
		}
		if (errno == ENOTSOCK && sock) {
			sock = 0;
			if ((err = wait_fd(fd, POLLIN, ctx)) < 0)
				return err;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return LEASH_ESYS;
		if ((err = wait_fd(fd, POLLIN, ctx)) < 0)
			return err;
	}
}

int leash_net_write(int fd, const void *buf, size_t len, size_t *nwritten, const leash_ctx *ctx)
{
	const char *p = buf;
	size_t done = 0;
	ssize_t n;
	int err = 0, sock = 1;

	if (fd < 0 || (!buf && len) || !ctx)
		return LEASH_EINVAL;
	while (done < len) {
		if ((err = leash_ctx_err(ctx)) != 0)
			break;
		n = sock ? send(fd, p + done, len - done, MSG_DONTWAIT | MSG_NOSIGNAL) :
			   write(fd, p + done, len - done);
		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (errno == ENOTSOCK && sock) {
			sock = 0;
			if ((err = wait_fd(fd, POLLOUT, ctx)) < 0)
				break;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			err = LEASH_ESYS;
			break;
		}
		if ((err = wait_fd(fd, POLLOUT, ctx)) < 0)
			break;
	}
	if (nwritten)
		*nwritten = done;
	return err;
}
