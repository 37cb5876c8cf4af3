/*
 * test_thread.c: tracked threads: spawn, join, detach, leash_thread_count and
 * leash_verify_none naming the threads still alive.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static atomic_int release_flag;

void *leash_test_entry_waits(void *arg);

/* Not static, so that dladdr can name it (the test is linked with exports). */
void *leash_test_entry_waits(void *arg)
{
	while (!atomic_load(&release_flag))
		test_sleep_ms(1);
	return arg;
}

static void *return_arg(void *arg)
{
	return arg;
}

static void test_spawn_join_returns_result(void **state)
{
	leash_thread *t;
	void *r = NULL;

	assert_status(leash_thread_spawn(&t, return_arg, (void *)&r, "ret"), 0);
	assert_status(leash_thread_join(t, &r), 0);
	assert_ptr_equal(r, (void *)&r);
	assert_int_equal(leash_thread_count(), 0);
	assert_status(leash_verify_none(), 0);
}

static void test_invalid_arguments(void **state)
{
	leash_thread *t = (leash_thread *)1;

	assert_status(leash_thread_spawn(NULL, return_arg, NULL, "x"), LEASH_EINVAL);
	assert_status(leash_thread_spawn(&t, NULL, NULL, "x"), LEASH_EINVAL);
	assert_null(t);
	assert_status(leash_thread_join(NULL, NULL), LEASH_EINVAL);
	assert_status(leash_thread_detach(NULL), LEASH_EINVAL);
	assert_status(leash_thread_list(NULL), LEASH_EINVAL);
}

/* Runs f with stderr sent to a temporary file; returns what it wrote (free it). */
static char *capture_stderr(int (*f)(void), int *status)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	char *text;
	long len;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	*status = f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	len = ftell(tmp);
	if (len < 0)
		len = 0;
	text = calloc(1, (size_t)len + 1);
	rewind(tmp);
	if (fread(text, 1, (size_t)len, tmp) != (size_t)len)
		text[0] = '\0';
	fclose(tmp);
	return text;
}

static void test_verify_none_lists_threads_alive(void **state)
{
	leash_thread *named, *anon;
	char *text;
	int status;

	atomic_store(&release_flag, 0);
	assert_status(leash_thread_spawn(&named, leash_test_entry_waits, NULL, "conn-reader"), 0);
	assert_status(leash_thread_spawn(&anon, leash_test_entry_waits, NULL, NULL), 0);
	assert_int_equal(leash_thread_count(), 2);

	text = capture_stderr(leash_verify_none, &status);
	assert_status(status, LEASH_EBUSY);
	assert_non_null(strstr(text, "2 threads still alive"));
	assert_non_null(strstr(text, "\"conn-reader\""));
	/* The unnamed thread is shown by its entry function. */
	assert_non_null(strstr(text, "\"leash_test_entry_waits\""));
	assert_non_null(strstr(text, "running"));
	free(text);

	atomic_store(&release_flag, 1);
	assert_status(leash_thread_join(named, NULL), 0);
	assert_status(leash_thread_join(anon, NULL), 0);
	assert_status(leash_verify_none(), 0);
}

static void test_exited_but_not_joined_still_counts(void **state)
{
	leash_thread *t;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	assert_status(leash_thread_spawn(&t, return_arg, NULL, "zombie"), 0);
	test_sleep_ms(30);
	assert_int_equal(leash_thread_count(), 1);
	mem = open_memstream(&text, &len);
	assert_status(leash_thread_list(mem), 0);
	fclose(mem);
	assert_non_null(strstr(text, "exited, not joined"));
	free(text);
	assert_status(leash_thread_join(t, NULL), 0);
	assert_int_equal(leash_thread_count(), 0);
}

static void test_detached_thread_leaves_when_done(void **state)
{
	leash_thread *running, *finished;

	atomic_store(&release_flag, 0);
	assert_status(leash_thread_spawn(&running, leash_test_entry_waits, NULL, "det1"), 0);
	assert_status(leash_thread_spawn(&finished, return_arg, NULL, "det2"), 0);
	test_sleep_ms(20);
	assert_status(leash_thread_detach(finished), 0); /* already returned */
	assert_status(leash_thread_detach(running), 0);
	assert_int_equal(leash_thread_count(), 1);
	atomic_store(&release_flag, 1);
	/* verify_none gives detached threads a grace period to return. */
	assert_status(leash_verify_none(), 0);
	assert_int_equal(leash_thread_count(), 0);
}

static leash_thread *self_handle;
static atomic_int self_status;

static void *join_self(void *arg)
{
	while (!atomic_load(&release_flag))
		test_sleep_ms(1);
	atomic_store(&self_status, leash_thread_join(self_handle, NULL));
	return NULL;
}

static void test_join_self_is_refused(void **state)
{
	atomic_store(&release_flag, 0);
	assert_status(leash_thread_spawn(&self_handle, join_self, NULL, "self"), 0);
	atomic_store(&release_flag, 1);
	assert_status(leash_thread_join(self_handle, NULL), 0);
	assert_status(atomic_load(&self_status), LEASH_EINVAL);
}

static void test_many_threads(void **state)
{
	leash_thread *t[64];
	int i;

	for (i = 0; i < 64; i++)
		assert_status(leash_thread_spawn(&t[i], return_arg, NULL, "many"), 0);
	for (i = 63; i >= 0; i--)
		assert_status(leash_thread_join(t[i], NULL), 0);
	assert_status(leash_verify_none(), 0);
}

static void test_strerror_words(void **state)
{
	int codes[] = {LEASH_OK, LEASH_EINVAL, LEASH_ENOMEM, LEASH_ETIMEDOUT, LEASH_EFULL,
		       LEASH_EEMPTY, LEASH_ECLOSED, LEASH_ECANCELED, LEASH_ESYS, LEASH_EBUSY};
	size_t i, j;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *s = leash_strerror(codes[i]);

		assert_non_null(s);
		assert_null(strchr(s, '\n'));
		assert_string_not_equal(s, "unknown error");
		for (j = 0; j < i; j++)
			assert_string_not_equal(s, leash_strerror(codes[j]));
	}
	assert_string_equal(leash_strerror(-1000), "unknown error");
	assert_string_equal(leash_strerror(5), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn_join_returns_result),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_verify_none_lists_threads_alive),
		cmocka_unit_test(test_exited_but_not_joined_still_counts),
		cmocka_unit_test(test_detached_thread_leaves_when_done),
		cmocka_unit_test(test_join_self_is_refused),
		cmocka_unit_test(test_many_threads),
		cmocka_unit_test(test_strerror_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
