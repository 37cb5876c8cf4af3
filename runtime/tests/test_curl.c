/*
 * test_curl.c: leash_curl_apply bounds a transfer to a server that never answers,
 * by the context's deadline and by its cancellation.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"
#include <leash/curl.h>

struct server {
	int lfd;
	char url[64];
};

/* A server that accepts connections (the kernel does) and never answers. */
static int setup(void **state)
{
	struct server *s = calloc(1, sizeof(*s));
	struct sockaddr_in addr = {0};
	socklen_t len = sizeof(addr);

	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(s->lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(s->lfd, 16) < 0)
		return -1;
	getsockname(s->lfd, (struct sockaddr *)&addr, &len);
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d/", ntohs(addr.sin_port));
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct server *s = *state;

	close(s->lfd);
	free(s);
	return 0;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

static CURL *new_handle(const char *url)
{
	CURL *h = curl_easy_init();

	assert_non_null(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	return h;
}

static void test_deadline_bounds_the_transfer(void **state)
{
	struct server *s = *state;
	leash_ctx *ctx;
	CURL *h = new_handle(s->url);
	int64_t t0, took;

	assert_status(leash_ctx_with_timeout(&ctx, NULL, 200), 0);
	assert_status(leash_curl_apply(h, ctx), 0);
	t0 = test_now_ms();
	assert_int_equal(curl_easy_perform(h), CURLE_OPERATION_TIMEDOUT);
	took = test_now_ms() - t0;
	assert_true(took >= 150);
	assert_true(took < 3000);
	/* Once the deadline has passed, the helper says so instead of performing. */
	assert_status(leash_curl_apply(h, ctx), LEASH_ETIMEDOUT);
	curl_easy_cleanup(h);
	leash_ctx_destroy(ctx);
}

static void *cancel_later(void *arg)
{
	test_sleep_ms(100);
	leash_ctx_cancel(arg);
	return NULL;
}

static void test_cancel_aborts_the_transfer(void **state)
{
	struct server *s = *state;
	leash_ctx *ctx;
	CURL *h = new_handle(s->url);
	pthread_t tid;
	int64_t t0;

	assert_status(leash_ctx_with_cancel(&ctx, NULL), 0); /* no deadline */
	assert_status(leash_curl_apply(h, ctx), 0);
	t0 = test_now_ms();
	assert_int_equal(pthread_create(&tid, NULL, cancel_later, ctx), 0);
	assert_int_equal(curl_easy_perform(h), CURLE_ABORTED_BY_CALLBACK);
	/* libcurl calls the progress callback about once a second while idle. */
	assert_true(test_now_ms() - t0 < 5000);
	pthread_join(tid, NULL);
	assert_status(leash_curl_apply(h, ctx), LEASH_ECANCELED);
	curl_easy_cleanup(h);
	leash_ctx_destroy(ctx);
}

static void test_invalid_arguments(void **state)
{
	leash_ctx *ctx;
	CURL *h = curl_easy_init();

	assert_status(leash_ctx_new(&ctx), 0);
	assert_status(leash_curl_apply(NULL, ctx), LEASH_EINVAL);
	assert_status(leash_curl_apply(h, NULL), LEASH_EINVAL);
	curl_easy_cleanup(h);
	leash_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deadline_bounds_the_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_aborts_the_transfer, setup, teardown),
		cmocka_unit_test(test_invalid_arguments),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
