/*
 * test_net.c: socket calls bounded by a context: round trips, deadlines, cancel,
 * refused connections, end of stream, writes to a peer that does not read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_util.h"

struct fixture {
	int lfd;
	struct sockaddr_in addr;
	leash_ctx *ctx;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	socklen_t len = sizeof(f->addr);

	f->addr.sin_family = AF_INET;
	f->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (leash_net_listen(&f->lfd, (struct sockaddr *)&f->addr, sizeof(f->addr), 16) < 0)
		return -1;
	getsockname(f->lfd, (struct sockaddr *)&f->addr, &len);
	if (leash_ctx_with_timeout(&f->ctx, NULL, 10000) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->lfd);
	leash_ctx_destroy(f->ctx);
	free(f);
	return 0;
}

/* A connected pair (client, server) through the fixture's listener. */
static void connect_pair(struct fixture *f, int *cfd, int *sfd)
{
	assert_status(leash_net_connect(cfd, (struct sockaddr *)&f->addr, sizeof(f->addr), f->ctx),
		      0);
	assert_status(leash_net_accept(sfd, f->lfd, NULL, NULL, f->ctx), 0);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	char buf[16] = {0};
	size_t n = 0, w = 0;
	int cfd, sfd;

	connect_pair(f, &cfd, &sfd);
	assert_status(leash_net_write(cfd, "ping", 4, &w, f->ctx), 0);
	assert_int_equal(w, 4);
	assert_status(leash_net_read(sfd, buf, sizeof(buf), &n, f->ctx), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "ping", 4);
	close(cfd);
	assert_status(leash_net_read(sfd, buf, sizeof(buf), &n, f->ctx), 0);
	assert_int_equal(n, 0); /* end of stream */
	close(sfd);
}

static void test_invalid_arguments(void **state)
{
	struct fixture *f = *state;
	int fd;
	size_t n;
	char c;

	assert_status(leash_net_connect(NULL, (struct sockaddr *)&f->addr, sizeof(f->addr), f->ctx),
		      LEASH_EINVAL);
	assert_status(leash_net_connect(&fd, (struct sockaddr *)&f->addr, sizeof(f->addr), NULL),
		      LEASH_EINVAL);
	assert_status(leash_net_accept(&fd, -1, NULL, NULL, f->ctx), LEASH_EINVAL);
	assert_status(leash_net_read(0, &c, 1, NULL, f->ctx), LEASH_EINVAL);
	assert_status(leash_net_read(0, &c, 1, &n, NULL), LEASH_EINVAL);
	assert_status(leash_net_write(-1, &c, 1, &n, f->ctx), LEASH_EINVAL);
}

static void test_read_times_out(void **state)
{
	struct fixture *f = *state;
	leash_ctx *short_ctx;
	size_t n = 99;
	int64_t t0;
	char c;
	int cfd, sfd;

	connect_pair(f, &cfd, &sfd);
	assert_status(leash_ctx_with_timeout(&short_ctx, f->ctx, 50), 0);
	t0 = test_now_ms();
	assert_status(leash_net_read(sfd, &c, 1, &n, short_ctx), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 49);
	assert_true(test_now_ms() - t0 < 5000);
	assert_int_equal(n, 0);
	leash_ctx_destroy(short_ctx);
	close(cfd);
	close(sfd);
}

static void test_accept_times_out(void **state)
{
	struct fixture *f = *state;
	leash_ctx *short_ctx;
	int64_t t0;
	int fd;

	assert_status(leash_ctx_with_timeout(&short_ctx, NULL, 40), 0);
	t0 = test_now_ms();
	assert_status(leash_net_accept(&fd, f->lfd, NULL, NULL, short_ctx), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 39);
	assert_int_equal(fd, -1);
	leash_ctx_destroy(short_ctx);
}

static void test_expired_ctx_fails_at_once(void **state)
{
	struct fixture *f = *state;
	leash_ctx *done;
	int fd;

	assert_status(leash_ctx_with_timeout(&done, NULL, 0), 0);
	assert_status(leash_net_connect(&fd, (struct sockaddr *)&f->addr, sizeof(f->addr), done),
		      LEASH_ETIMEDOUT);
	assert_int_equal(fd, -1);
	leash_ctx_destroy(done);
}

struct canceller {
	leash_ctx *ctx;
	int ms;
};

static void *cancel_later(void *arg)
{
	struct canceller *c = arg;

	test_sleep_ms(c->ms);
	leash_ctx_cancel(c->ctx);
	return NULL;
}

static void test_read_is_cancelled(void **state)
{
	struct fixture *f = *state;
	struct canceller c;
	leash_ctx *ctx;
	pthread_t tid;
	size_t n;
	char buf[4];
	int cfd, sfd;
	int64_t t0;

	connect_pair(f, &cfd, &sfd);
	assert_status(leash_ctx_with_cancel(&ctx, NULL), 0); /* no deadline at all */
	c.ctx = ctx;
	c.ms = 30;
	t0 = test_now_ms();
	assert_int_equal(pthread_create(&tid, NULL, cancel_later, &c), 0);
	assert_status(leash_net_read(sfd, buf, sizeof(buf), &n, ctx), LEASH_ECANCELED);
	assert_true(test_now_ms() - t0 < 5000);
	pthread_join(tid, NULL);
	leash_ctx_destroy(ctx);
	close(cfd);
	close(sfd);
}

static void test_connect_refused(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in addr = f->addr;
	socklen_t len = sizeof(addr);
	int fd, probe;

	/* A port that was just free: bind, read the port, close. */
	probe = socket(AF_INET, SOCK_STREAM, 0);
	addr.sin_port = 0;
	bind(probe, (struct sockaddr *)&addr, sizeof(addr));
	getsockname(probe, (struct sockaddr *)&addr, &len);
	close(probe);
	errno = 0;
	assert_status(leash_net_connect(&fd, (struct sockaddr *)&addr, sizeof(addr), f->ctx),
		      LEASH_ESYS);
	assert_int_equal(errno, ECONNREFUSED);
	assert_int_equal(fd, -1);
}

static void test_connect_times_out_on_full_backlog(void **state)
{
	struct sockaddr_in addr = {0};
	socklen_t len = sizeof(addr);
	int lfd, fds[64], nfds = 0, timed_out = 0, i, err;
	leash_ctx *ctx;

	/* A listener nobody accepts from, backlog 0: past a few connections the kernel
	 * drops the SYNs and connect can only wait. */
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	getsockname(lfd, (struct sockaddr *)&addr, &len);
	assert_int_equal(listen(lfd, 0), 0);
	for (i = 0; i < 64 && !timed_out; i++) {
		assert_status(leash_ctx_with_timeout(&ctx, NULL, 100), 0);
		err = leash_net_connect(&fds[nfds], (struct sockaddr *)&addr, sizeof(addr), ctx);
		leash_ctx_destroy(ctx);
		if (err == 0)
			nfds++;
		else if (err == LEASH_ETIMEDOUT)
			timed_out = 1;
		else
			fail_msg("connect: %s", leash_strerror(err));
	}
	assert_true(timed_out);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	close(lfd);
}

static void test_write_times_out_when_peer_does_not_read(void **state)
{
	struct fixture *f = *state;
	size_t size = 64u << 20, w = 0;
	char *big = calloc(1, size);
	leash_ctx *ctx;
	int cfd, sfd;

	connect_pair(f, &cfd, &sfd);
	assert_status(leash_ctx_with_timeout(&ctx, NULL, 100), 0);
	assert_status(leash_net_write(cfd, big, size, &w, ctx), LEASH_ETIMEDOUT);
	assert_true(w > 0 && w < size);
	leash_ctx_destroy(ctx);
	free(big);
	close(cfd);
	close(sfd);
}

static void test_write_to_closed_peer_fails_without_sigpipe(void **state)
{
	struct fixture *f = *state;
	char buf[4096] = {0};
	size_t w;
	int cfd, sfd, i, err = 0;

	connect_pair(f, &cfd, &sfd);
	close(sfd);
	for (i = 0; i < 100 && err == 0; i++)
		err = leash_net_write(cfd, buf, sizeof(buf), &w, f->ctx);
	assert_status(err, LEASH_ESYS);
	assert_true(errno == EPIPE || errno == ECONNRESET);
	close(cfd);
}

static void test_pipe_read(void **state)
{
	struct fixture *f = *state;
	char buf[8];
	size_t n;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	assert_status(leash_net_read(p[0], buf, sizeof(buf), &n, f->ctx), 0);
	assert_int_equal(n, 3);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expired_ctx_fails_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_is_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_times_out_on_full_backlog, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_times_out_when_peer_does_not_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_write_to_closed_peer_fails_without_sigpipe,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_read, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
