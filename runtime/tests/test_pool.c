/*
 * test_pool.c: leash_pool's contract: bounded queue, submit deadlines, close, join,
 * counters, and no thread left behind.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* A gate the tasks wait on, to hold the workers busy. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int open;
	int entered;
};

static struct gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
static atomic_int ran;

static int setup(void **state)
{
	gate.open = 0;
	gate.entered = 0;
	atomic_store(&ran, 0);
	return 0;
}

static int teardown(void **state)
{
	return leash_verify_none() == 0 ? 0 : -1;
}

static void gated_task(void *arg)
{
	pthread_mutex_lock(&gate.lock);
	gate.entered++;
	pthread_cond_broadcast(&gate.cond);
	while (!gate.open)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	atomic_fetch_add(&ran, 1);
}

static void count_task(void *arg)
{
	atomic_fetch_add(&ran, 1);
	if (arg)
		atomic_fetch_add((atomic_int *)arg, 1);
}

static void wait_entered(int n)
{
	pthread_mutex_lock(&gate.lock);
	while (gate.entered < n)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
}

static void open_gate(void)
{
	pthread_mutex_lock(&gate.lock);
	gate.open = 1;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
}

static void test_invalid_arguments(void **state)
{
	leash_pool *p = (leash_pool *)1;

	assert_status(leash_pool_create(NULL, 1, 1, "x"), LEASH_EINVAL);
	assert_status(leash_pool_create(&p, 0, 1, "x"), LEASH_EINVAL);
	assert_status(leash_pool_create(&p, 1, 0, "x"), LEASH_EINVAL);
	assert_status(leash_pool_create(&p, 1, 1, NULL), 0);
	assert_status(leash_pool_submit(p, NULL, NULL, 0), LEASH_EINVAL);
	assert_status(leash_pool_submit(NULL, count_task, NULL, 0), LEASH_EINVAL);
	assert_status(leash_pool_submit(p, count_task, NULL, -7), LEASH_EINVAL);
	assert_status(leash_pool_join(p, -7), LEASH_EINVAL);
	assert_status(leash_pool_close(NULL), LEASH_EINVAL);
	assert_status(leash_pool_join(NULL, 0), LEASH_EINVAL);
	assert_status(leash_pool_stats(p, NULL), LEASH_EINVAL);
	leash_pool_destroy(p);
	leash_pool_destroy(NULL);
}

static void test_runs_every_task_once(void **state)
{
	leash_pool *p;
	struct leash_pool_stats st;
	atomic_int mine = 0;
	int i;

	assert_status(leash_pool_create(&p, 3, 4, "count"), 0);
	assert_int_equal(leash_thread_count(), 3);
	for (i = 0; i < 1000; i++)
		assert_status(leash_pool_submit(p, count_task, &mine, LEASH_FOREVER), 0);
	assert_status(leash_pool_close(p), 0);
	assert_status(leash_pool_join(p, LEASH_FOREVER), 0);
	assert_int_equal(atomic_load(&ran), 1000);
	assert_int_equal(atomic_load(&mine), 1000);
	assert_status(leash_pool_stats(p, &st), 0);
	assert_int_equal(st.workers, 3);
	assert_int_equal(st.queue_cap, 4);
	assert_int_equal(st.submitted, 1000);
	assert_int_equal(st.completed, 1000);
	assert_int_equal(st.rejected, 0);
	assert_int_equal(st.queue_depth, 0);
	assert_int_equal(st.active, 0);
	assert_int_equal(st.closed, 1);
	assert_int_equal(leash_thread_count(), 0);
	/* A second join returns at once. */
	assert_status(leash_pool_join(p, 0), 0);
	leash_pool_destroy(p);
}

static void test_try_submit_fails_at_once_when_full(void **state)
{
	leash_pool *p;
	struct leash_pool_stats st;
	int64_t t0;

	assert_status(leash_pool_create(&p, 1, 2, "full"), 0);
	assert_status(leash_pool_submit(p, gated_task, NULL, 0), 0);
	wait_entered(1); /* the worker is busy, the queue is empty */
	assert_status(leash_pool_try_submit(p, gated_task, NULL), 0);
	assert_status(leash_pool_try_submit(p, gated_task, NULL), 0);
	t0 = test_now_ms();
	assert_status(leash_pool_try_submit(p, gated_task, NULL), LEASH_EFULL);
	assert_status(leash_pool_submit(p, gated_task, NULL, 0), LEASH_EFULL);
	assert_true(test_now_ms() - t0 < 1000);
	assert_status(leash_pool_stats(p, &st), 0);
	assert_int_equal(st.queue_depth, 2);
	assert_int_equal(st.active, 1);
	assert_int_equal(st.rejected, 2);
	open_gate();
	leash_pool_destroy(p); /* closes, drains, joins */
	assert_int_equal(atomic_load(&ran), 3);
}

static void test_submit_times_out_when_full(void **state)
{
	leash_pool *p;
	int64_t t0, took;

	assert_status(leash_pool_create(&p, 1, 1, "deadline"), 0);
	assert_status(leash_pool_submit(p, gated_task, NULL, 0), 0);
	wait_entered(1);
	assert_status(leash_pool_submit(p, gated_task, NULL, 0), 0);
	t0 = test_now_ms();
	assert_status(leash_pool_submit(p, gated_task, NULL, 50), LEASH_ETIMEDOUT);
	took = test_now_ms() - t0;
	assert_true(took >= 49);
	assert_true(took < 5000);
	open_gate();
	leash_pool_destroy(p);
	assert_int_equal(atomic_load(&ran), 2);
}

struct submit_arg {
	leash_pool *pool;
	int status;
};

static void *submit_forever(void *arg)
{
	struct submit_arg *a = arg;

	a->status = leash_pool_submit(a->pool, count_task, NULL, LEASH_FOREVER);
	return NULL;
}

static void test_close_wakes_waiting_submitter(void **state)
{
	struct submit_arg a;
	leash_pool *p;
	pthread_t tid;
	struct leash_pool_stats st;

	assert_status(leash_pool_create(&p, 1, 1, "close"), 0);
	assert_status(leash_pool_submit(p, gated_task, NULL, 0), 0);
	wait_entered(1);
	assert_status(leash_pool_submit(p, count_task, NULL, 0), 0);
	a.pool = p;
	a.status = 1;
	assert_int_equal(pthread_create(&tid, NULL, submit_forever, &a), 0);
	test_sleep_ms(30); /* let it block; if it has not yet, it sees the close */
	assert_status(leash_pool_close(p), 0);
	pthread_join(tid, NULL);
	assert_status(a.status, LEASH_ECLOSED);
	assert_status(leash_pool_close(p), LEASH_ECLOSED);
	assert_status(leash_pool_submit(p, count_task, NULL, LEASH_FOREVER), LEASH_ECLOSED);
	assert_status(leash_pool_try_submit(p, count_task, NULL), LEASH_ECLOSED);
	open_gate();
	assert_status(leash_pool_join(p, LEASH_FOREVER), 0);
	/* The queued task still ran after close: close drains. */
	assert_int_equal(atomic_load(&ran), 2);
	leash_pool_stats(p, &st);
	assert_int_equal(st.submitted, 2);
	assert_int_equal(st.completed, 2);
	assert_int_equal(st.rejected, 3);
	leash_pool_destroy(p);
}

static void test_join_times_out_while_open(void **state)
{
	leash_pool *p;
	int64_t t0 = test_now_ms();

	assert_status(leash_pool_create(&p, 2, 8, "open"), 0);
	assert_status(leash_pool_join(p, 0), LEASH_ETIMEDOUT);
	assert_status(leash_pool_join(p, 40), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 39);
	assert_status(leash_pool_close(p), 0);
	assert_status(leash_pool_join(p, 10000), 0);
	leash_pool_destroy(p);
}

static leash_pool *self_pool;
static atomic_int self_join_status;

static void join_self_task(void *arg)
{
	atomic_store(&self_join_status, leash_pool_join(self_pool, 0));
}

static void test_join_from_a_task_is_refused(void **state)
{
	assert_status(leash_pool_create(&self_pool, 1, 1, "self"), 0);
	atomic_store(&self_join_status, 1);
	assert_status(leash_pool_submit(self_pool, join_self_task, NULL, LEASH_FOREVER), 0);
	leash_pool_destroy(self_pool);
	assert_status(atomic_load(&self_join_status), LEASH_EINVAL);
}

static void test_workers_are_tracked_threads(void **state)
{
	leash_pool *p;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	assert_status(leash_pool_create(&p, 2, 2, "tracked"), 0);
	assert_int_equal(leash_thread_count(), 2);
	mem = open_memstream(&text, &len);
	assert_non_null(mem);
	assert_status(leash_thread_list(mem), 0);
	fclose(mem);
	assert_non_null(strstr(text, "\"tracked/0\""));
	assert_non_null(strstr(text, "\"tracked/1\""));
	free(text);
	leash_pool_destroy(p);
	assert_int_equal(leash_thread_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_invalid_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_every_task_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_try_submit_fails_at_once_when_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_submit_times_out_when_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_wakes_waiting_submitter, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_join_times_out_while_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_from_a_task_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workers_are_tracked_threads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
