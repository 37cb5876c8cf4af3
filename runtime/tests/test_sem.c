/*
 * test_sem.c: leash_sem against golang.org/x/sync/semaphore's semantics: FIFO,
 * no starvation of large requests, requests larger than the size, deadlines.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "test_util.h"

static void test_invalid_arguments(void **state)
{
	leash_sem *s = (leash_sem *)1;

	assert_status(leash_sem_create(NULL, 1), LEASH_EINVAL);
	assert_status(leash_sem_create(&s, -1), LEASH_EINVAL);
	assert_null(s);
	assert_status(leash_sem_create(&s, 3), 0);
	assert_status(leash_sem_acquire(s, -1, 0), LEASH_EINVAL);
	assert_status(leash_sem_acquire(s, 1, -3), LEASH_EINVAL);
	assert_status(leash_sem_acquire(NULL, 1, 0), LEASH_EINVAL);
	assert_status(leash_sem_try_acquire(s, -1), LEASH_EINVAL);
	assert_status(leash_sem_release(s, -1), LEASH_EINVAL);
	assert_status(leash_sem_release(NULL, 1), LEASH_EINVAL);
	leash_sem_destroy(s);
	leash_sem_destroy(NULL);
}

static void test_acquire_release_counts(void **state)
{
	leash_sem *s;

	assert_status(leash_sem_create(&s, 5), 0);
	assert_status(leash_sem_acquire(s, 3, 0), 0);
	assert_status(leash_sem_try_acquire(s, 2), 0);
	assert_status(leash_sem_try_acquire(s, 1), LEASH_EFULL);
	assert_status(leash_sem_acquire(s, 1, 0), LEASH_EFULL);
	assert_status(leash_sem_acquire(s, 0, 0), 0); /* zero always fits, as in Go */
	assert_status(leash_sem_release(s, 4), 0);
	assert_status(leash_sem_release(s, 2), LEASH_EINVAL); /* more than held */
	assert_status(leash_sem_try_acquire(s, 4), 0);
	assert_status(leash_sem_release(s, 5), 0);
	assert_status(leash_sem_try_acquire(s, 5), 0);
	assert_status(leash_sem_release(s, 5), 0);
	leash_sem_destroy(s);
}

static void test_acquire_times_out(void **state)
{
	leash_sem *s;
	int64_t t0;

	assert_status(leash_sem_create(&s, 2), 0);
	assert_status(leash_sem_acquire(s, 2, LEASH_FOREVER), 0);
	t0 = test_now_ms();
	assert_status(leash_sem_acquire(s, 1, 40), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 39);
	/* The timed-out waiter left the queue: try_acquire sees no waiter. */
	assert_status(leash_sem_release(s, 1), 0);
	assert_status(leash_sem_try_acquire(s, 1), 0);
	assert_status(leash_sem_release(s, 2), 0);
	leash_sem_destroy(s);
}

static void test_more_than_size_waits_out_the_deadline(void **state)
{
	leash_sem *s;
	int64_t t0;

	assert_status(leash_sem_create(&s, 4), 0);
	assert_status(leash_sem_acquire(s, 5, 0), LEASH_EFULL);
	t0 = test_now_ms();
	assert_status(leash_sem_acquire(s, 5, 40), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 39);
	assert_status(leash_sem_try_acquire(s, 4), 0); /* it never queued */
	assert_status(leash_sem_release(s, 4), 0);
	leash_sem_destroy(s);
}

struct acq {
	leash_sem *sem;
	int64_t n;
	int64_t timeout_ms;
	atomic_int status; /* 1 while running */
};

static void *acquire_thread(void *arg)
{
	struct acq *a = arg;

	atomic_store(&a->status, leash_sem_acquire(a->sem, a->n, a->timeout_ms));
	return NULL;
}

static void start_acq(pthread_t *tid, struct acq *a, leash_sem *s, int64_t n, int64_t ms)
{
	a->sem = s;
	a->n = n;
	a->timeout_ms = ms;
	atomic_store(&a->status, 1);
	assert_int_equal(pthread_create(tid, NULL, acquire_thread, a), 0);
	test_sleep_ms(50); /* let it queue, in this order (no API shows the queue) */
}

static void test_large_waiter_is_not_starved(void **state)
{
	pthread_t big_t, small_t;
	struct acq big, small;
	leash_sem *s;

	assert_status(leash_sem_create(&s, 10), 0);
	assert_status(leash_sem_acquire(s, 10, 0), 0);
	start_acq(&big_t, &big, s, 10, LEASH_FOREVER);
	start_acq(&small_t, &small, s, 1, LEASH_FOREVER);

	/* One token free: the small waiter would fit, but the big one is ahead. */
	assert_status(leash_sem_release(s, 1), 0);
	test_sleep_ms(20);
	assert_int_equal(atomic_load(&big.status), 1);
	assert_int_equal(atomic_load(&small.status), 1);
	assert_status(leash_sem_try_acquire(s, 1), LEASH_EFULL); /* waiters queued */

	assert_status(leash_sem_release(s, 9), 0);
	pthread_join(big_t, NULL);
	assert_status(atomic_load(&big.status), 0);
	assert_int_equal(atomic_load(&small.status), 1);

	assert_status(leash_sem_release(s, 10), 0);
	pthread_join(small_t, NULL);
	assert_status(atomic_load(&small.status), 0);
	assert_status(leash_sem_release(s, 1), 0);
	leash_sem_destroy(s);
}

static void test_head_timing_out_lets_the_next_in(void **state)
{
	pthread_t big_t, small_t;
	struct acq big, small;
	leash_sem *s;
	int64_t t0;

	assert_status(leash_sem_create(&s, 10), 0);
	assert_status(leash_sem_acquire(s, 5, 0), 0);
	t0 = test_now_ms();
	start_acq(&big_t, &big, s, 10, 60);
	start_acq(&small_t, &small, s, 5, LEASH_FOREVER);
	pthread_join(big_t, NULL);
	assert_status(atomic_load(&big.status), LEASH_ETIMEDOUT);
	/* Nobody released: the small waiter got the 5 free tokens when the head left. */
	pthread_join(small_t, NULL);
	assert_status(atomic_load(&small.status), 0);
	assert_true(test_now_ms() - t0 < 5000);
	assert_status(leash_sem_release(s, 10), 0);
	leash_sem_destroy(s);
}

static void test_release_serves_several_in_order(void **state)
{
	pthread_t t[3];
	struct acq a[3];
	leash_sem *s;

	assert_status(leash_sem_create(&s, 6), 0);
	assert_status(leash_sem_acquire(s, 6, 0), 0);
	start_acq(&t[0], &a[0], s, 2, LEASH_FOREVER);
	start_acq(&t[1], &a[1], s, 3, LEASH_FOREVER);
	start_acq(&t[2], &a[2], s, 4, LEASH_FOREVER);
	assert_status(leash_sem_release(s, 6), 0); /* 2 + 3 fit, 4 does not */
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	assert_status(atomic_load(&a[0].status), 0);
	assert_status(atomic_load(&a[1].status), 0);
	test_sleep_ms(10);
	assert_int_equal(atomic_load(&a[2].status), 1);
	assert_status(leash_sem_release(s, 3), 0);
	pthread_join(t[2], NULL);
	assert_status(atomic_load(&a[2].status), 0);
	assert_status(leash_sem_release(s, 6), 0);
	assert_status(leash_sem_try_acquire(s, 6), 0);
	leash_sem_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_acquire_release_counts),
		cmocka_unit_test(test_acquire_times_out),
		cmocka_unit_test(test_more_than_size_waits_out_the_deadline),
		cmocka_unit_test(test_large_waiter_is_not_starved),
		cmocka_unit_test(test_head_timing_out_lets_the_next_in),
		cmocka_unit_test(test_release_serves_several_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
