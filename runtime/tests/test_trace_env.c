/*
 * test_trace_env.c: LEASH_TRACE=<ms> in the environment starts the trace at the
 * first pool, and leash_trace_stop stops it without leaving a thread behind.
 * Run with LEASH_TRACE=10 (ctest sets it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static void test_env_starts_trace(void **state)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	leash_pool *p;
	char buf[8192];
	size_t n;

	assert_non_null(getenv("LEASH_TRACE"));
	fflush(stderr);
	dup2(fileno(tmp), 2);
	assert_status(leash_pool_create(&p, 2, 2, "env"), 0);
	test_sleep_ms(60);
	assert_status(leash_trace_start(10), LEASH_EBUSY); /* already running */
	leash_pool_destroy(p);
	assert_status(leash_trace_stop(), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	assert_non_null(strstr(buf, "pool[env#"));
	assert_status(leash_verify_none(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_starts_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
