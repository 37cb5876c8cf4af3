/*
 * stress_sem.c: leash_sem with many threads acquiring random weights under random
 * deadlines: the tokens held never exceed the size, nothing is lost (all tokens are
 * free at the end), and every outcome is one the contract allows.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "test_util.h"

#define THREADS 6
#define SIZE 10

struct shared {
	leash_sem *sem;
	int iterations;
	atomic_long held;
	atomic_long max_held;
	atomic_long ok;
	atomic_long timeouts;
	atomic_long full;
	atomic_long bad;
};

struct worker {
	struct shared *s;
	unsigned seed;
	pthread_t tid;
};

static unsigned next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	int i;

	for (i = 0; i < s->iterations; i++) {
		int64_t n = 1 + next(&w->seed) % SIZE;
		unsigned pick = next(&w->seed) % 4;
		int64_t timeout = pick == 0 ? 0 : pick == 1 ? 1 : pick == 2 ? 5 : LEASH_FOREVER;
		int err = leash_sem_acquire(s->sem, n, timeout);
		long now, max;

		if (err == LEASH_ETIMEDOUT) {
			atomic_fetch_add(&s->timeouts, 1);
			continue;
		}
		if (err == LEASH_EFULL) {
			atomic_fetch_add(&s->full, 1);
			continue;
		}
		if (err != 0) {
			atomic_fetch_add(&s->bad, 1);
			continue;
		}
		now = atomic_fetch_add(&s->held, n) + n;
		max = atomic_load(&s->max_held);
		while (now > max && !atomic_compare_exchange_weak(&s->max_held, &max, now))
			;
		atomic_fetch_add(&s->ok, 1);
		atomic_fetch_sub(&s->held, n);
		if (leash_sem_release(s->sem, n) != 0)
			atomic_fetch_add(&s->bad, 1);
	}
	return NULL;
}

static void test_weights_and_deadlines(void **state)
{
	struct worker w[THREADS];
	struct shared s = {0};
	int i;

	assert_status(leash_sem_create(&s.sem, SIZE), 0);
	s.iterations = TEST_SCALE(20000);
	for (i = 0; i < THREADS; i++) {
		w[i].s = &s;
		w[i].seed = 1234567u * (unsigned)(i + 1);
		assert_int_equal(pthread_create(&w[i].tid, NULL, work, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(w[i].tid, NULL);
	assert_int_equal(atomic_load(&s.bad), 0);
	assert_true(atomic_load(&s.max_held) <= SIZE);
	assert_int_equal(atomic_load(&s.ok) + atomic_load(&s.timeouts) + atomic_load(&s.full),
			 (long)THREADS * s.iterations);
	assert_true(atomic_load(&s.ok) > 0);
	/* Every token came back and no waiter is left queued. */
	assert_status(leash_sem_try_acquire(s.sem, SIZE), 0);
	assert_status(leash_sem_release(s.sem, SIZE), 0);
	leash_sem_destroy(s.sem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights_and_deadlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
