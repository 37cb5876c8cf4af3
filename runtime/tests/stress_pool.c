/*
 * stress_pool.c: leash_pool under contention, with exact counts: every task a submit
 * accepted runs exactly once, every refused one never, whatever the interleaving of
 * submit, close and join, and whatever deadlines expire while waiting.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "test_util.h"

#define PRODUCERS 4

struct job {
	atomic_int runs;      /* times the task ran */
	int accepted;         /* submit returned 0 */
};

struct round {
	leash_pool *pool;
	struct job *jobs;
	int per_producer;
	int spin;             /* work per task, in loop iterations */
	int mode;             /* 0: FOREVER, 1: mixed timeouts */
	atomic_int start;
	atomic_long errors[16];
};

struct producer {
	struct round *r;
	int index;
	pthread_t tid;
};

static unsigned xorshift(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void task(void *arg)
{
	struct job *j = arg;
	volatile int i;

	atomic_fetch_add_explicit(&j->runs, 1, memory_order_relaxed);
	for (i = 0; i < 50; i++)
		;
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct round *r = p->r;
	unsigned seed = 2463534242u + (unsigned)p->index * 7919u;
	int i, err;
	int64_t timeout;

	while (!atomic_load(&r->start))
		;
	for (i = 0; i < r->per_producer; i++) {
		struct job *j = &r->jobs[p->index * r->per_producer + i];

		if (r->mode == 0) {
			timeout = LEASH_FOREVER;
		} else {
			switch (xorshift(&seed) % 4) {
			case 0: timeout = 0; break;
			case 1: timeout = 1; break;
			case 2: timeout = 3; break;
			default: timeout = LEASH_FOREVER; break;
			}
		}
		err = leash_pool_submit(r->pool, task, j, timeout);
		j->accepted = err == 0;
		atomic_fetch_add(&r->errors[-err], 1);
	}
	return NULL;
}

/* Runs one round; closes after close_after_us (or after the producers if < 0). */
static void run_round(int workers, size_t cap, int per_producer, int mode, long close_after_us)
{
	struct producer prod[PRODUCERS];
	struct leash_pool_stats st;
	struct round r = {0};
	int n = PRODUCERS * per_producer, i, accepted = 0;
	long refused = 0;

	r.jobs = calloc((size_t)n, sizeof(*r.jobs));
	r.per_producer = per_producer;
	r.mode = mode;
	assert_status(leash_pool_create(&r.pool, workers, cap, "stress"), 0);
	for (i = 0; i < PRODUCERS; i++) {
		prod[i].r = &r;
		prod[i].index = i;
		assert_int_equal(pthread_create(&prod[i].tid, NULL, produce, &prod[i]), 0);
	}
	atomic_store(&r.start, 1);
	if (close_after_us >= 0) {
		if (close_after_us > 0)
			test_sleep_ms(close_after_us / 1000);
		assert_status(leash_pool_close(r.pool), 0);
	}
	for (i = 0; i < PRODUCERS; i++)
		pthread_join(prod[i].tid, NULL);
	if (close_after_us < 0)
		assert_status(leash_pool_close(r.pool), 0);
	assert_status(leash_pool_join(r.pool, LEASH_FOREVER), 0);

	for (i = 0; i < n; i++) {
		int runs = atomic_load(&r.jobs[i].runs);

		if (r.jobs[i].accepted) {
			accepted++;
			if (runs != 1)
				fail_msg("accepted task %d ran %d times", i, runs);
		} else if (runs != 0) {
			fail_msg("refused task %d ran %d times", i, runs);
		}
	}
	for (i = 1; i < 16; i++)
		refused += atomic_load(&r.errors[i]);
	assert_int_equal(atomic_load(&r.errors[0]), accepted);
	assert_int_equal(accepted + refused, n);
	/* Only the documented refusals. */
	assert_int_equal(refused, atomic_load(&r.errors[-LEASH_EFULL]) +
					  atomic_load(&r.errors[-LEASH_ETIMEDOUT]) +
					  atomic_load(&r.errors[-LEASH_ECLOSED]));
	assert_status(leash_pool_stats(r.pool, &st), 0);
	assert_int_equal(st.submitted, (uint64_t)accepted);
	assert_int_equal(st.completed, (uint64_t)accepted);
	assert_int_equal(st.rejected, (uint64_t)refused);
	assert_int_equal(st.queue_depth, 0);
	assert_int_equal(st.active, 0);
	leash_pool_destroy(r.pool);
	free(r.jobs);
	assert_status(leash_verify_none(), 0);
}

static void test_many_producers_forever(void **state)
{
	run_round(3, 8, TEST_SCALE(50000), 0, -1);
	run_round(1, 1, TEST_SCALE(5000), 0, -1);
}

static void test_mixed_deadlines(void **state)
{
	run_round(2, 4, TEST_SCALE(20000), 1, -1);
}

static void test_close_races_submit(void **state)
{
	int round;

	for (round = 0; round < TEST_SCALE(40); round++)
		run_round(1 + round % 3, 1 + (size_t)(round % 5) * 3, TEST_SCALE(4000), round % 2,
			  (round % 4) * 1000);
}

struct joiner {
	leash_pool *pool;
	int status;
	pthread_t tid;
};

static void *join_pool(void *arg)
{
	struct joiner *j = arg;

	j->status = leash_pool_join(j->pool, LEASH_FOREVER);
	return NULL;
}

static void test_concurrent_joiners(void **state)
{
	struct joiner j[4];
	struct job jobs[64] = {0};
	leash_pool *p;
	int round, i;

	for (round = 0; round < TEST_SCALE(50); round++) {
		assert_status(leash_pool_create(&p, 2, 64, "join"), 0);
		for (i = 0; i < 64; i++) {
			atomic_store(&jobs[i].runs, 0);
			assert_status(leash_pool_submit(p, task, &jobs[i], 0), 0);
		}
		for (i = 0; i < 4; i++) {
			j[i].pool = p;
			assert_int_equal(pthread_create(&j[i].tid, NULL, join_pool, &j[i]), 0);
		}
		assert_status(leash_pool_close(p), 0);
		for (i = 0; i < 4; i++) {
			pthread_join(j[i].tid, NULL);
			assert_status(j[i].status, 0);
		}
		/* Every joiner returned after the workers were reaped. */
		assert_int_equal(leash_thread_count(), 0);
		for (i = 0; i < 64; i++)
			assert_int_equal(atomic_load(&jobs[i].runs), 1);
		leash_pool_destroy(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_producers_forever),
		cmocka_unit_test(test_mixed_deadlines),
		cmocka_unit_test(test_close_races_submit),
		cmocka_unit_test(test_concurrent_joiners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
