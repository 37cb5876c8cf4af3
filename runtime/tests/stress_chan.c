/*
 * stress_chan.c: leash_chan with many senders and receivers, exact counts: every
 * value a send accepted is received exactly once, a refused one never; receivers
 * with short deadlines and a close racing with the senders.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "test_util.h"

#define SENDERS 4
#define RECEIVERS 3

struct round {
	leash_chan *chan;
	int per_sender;
	int send_mode;        /* 0: FOREVER, 1: mixed timeouts */
	int recv_timeout;     /* ms; 0 means FOREVER */
	unsigned char *sent;  /* 1 if the send of value i succeeded */
	atomic_int *seen;     /* times value i was received */
	atomic_long recv_sum;
	atomic_long recv_timeouts;
};

struct worker {
	struct round *r;
	int index;
	pthread_t tid;
};

static void *sender(void *arg)
{
	struct worker *w = arg;
	struct round *r = w->r;
	unsigned seed = 88172645u + (unsigned)w->index;
	int i;

	for (i = 0; i < r->per_sender; i++) {
		int id = w->index * r->per_sender + i;
		int64_t timeout = LEASH_FOREVER;

		if (r->send_mode) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			timeout = (int64_t)(seed % 3); /* 0, 1 or 2 ms */
		}
		/* Values are id + 1 so that none is NULL. */
		r->sent[id] = leash_chan_send(r->chan, (void *)(uintptr_t)(id + 1), timeout) == 0;
	}
	return NULL;
}

static void *receiver(void *arg)
{
	struct worker *w = arg;
	struct round *r = w->r;
	void *v;
	int err;

	for (;;) {
		err = leash_chan_recv(r->chan, &v, r->recv_timeout ? r->recv_timeout : LEASH_FOREVER);
		if (err == LEASH_ETIMEDOUT) {
			atomic_fetch_add(&r->recv_timeouts, 1);
			continue;
		}
		if (err == LEASH_ECLOSED)
			return NULL;
		assert_status(err, 0);
		atomic_fetch_add(&r->seen[(uintptr_t)v - 1], 1);
		atomic_fetch_add(&r->recv_sum, (long)(uintptr_t)v);
	}
}

static void run_round(size_t cap, int per_sender, int send_mode, int recv_timeout,
		      int close_early_ms)
{
	struct worker s[SENDERS], rc[RECEIVERS];
	struct round r = {0};
	int n = SENDERS * per_sender, i;
	long want_sum = 0, accepted = 0;

	assert_status(leash_chan_create(&r.chan, cap), 0);
	r.per_sender = per_sender;
	r.send_mode = send_mode;
	r.recv_timeout = recv_timeout;
	r.sent = calloc((size_t)n, 1);
	r.seen = calloc((size_t)n, sizeof(*r.seen));
	for (i = 0; i < RECEIVERS; i++) {
		rc[i].r = &r;
		rc[i].index = i;
		assert_int_equal(pthread_create(&rc[i].tid, NULL, receiver, &rc[i]), 0);
	}
	for (i = 0; i < SENDERS; i++) {
		s[i].r = &r;
		s[i].index = i;
		assert_int_equal(pthread_create(&s[i].tid, NULL, sender, &s[i]), 0);
	}
	if (close_early_ms >= 0) {
		test_sleep_ms(close_early_ms);
		assert_status(leash_chan_close(r.chan), 0);
	}
	for (i = 0; i < SENDERS; i++)
		pthread_join(s[i].tid, NULL);
	if (close_early_ms < 0)
		assert_status(leash_chan_close(r.chan), 0);
	for (i = 0; i < RECEIVERS; i++)
		pthread_join(rc[i].tid, NULL);

	for (i = 0; i < n; i++) {
		int seen = atomic_load(&r.seen[i]);

		if (r.sent[i]) {
			accepted++;
			want_sum += i + 1;
			if (seen != 1)
				fail_msg("sent value %d received %d times", i + 1, seen);
		} else if (seen != 0) {
			fail_msg("refused value %d received %d times", i + 1, seen);
		}
	}
	assert_int_equal(atomic_load(&r.recv_sum), want_sum);
	if (close_early_ms < 0 && send_mode == 0)
		assert_int_equal(accepted, n);
	assert_int_equal(leash_chan_len(r.chan), 0);
	leash_chan_destroy(r.chan);
	free(r.sent);
	free(r.seen);
}

static void test_many_senders_and_receivers(void **state)
{
	run_round(16, TEST_SCALE(50000), 0, 0, -1);
	run_round(1, TEST_SCALE(10000), 0, 0, -1);
}

static void test_receivers_with_short_deadlines(void **state)
{
	run_round(4, TEST_SCALE(10000), 1, 1, -1);
}

static void test_close_races_send(void **state)
{
	int round;

	for (round = 0; round < TEST_SCALE(40); round++)
		run_round(1 + (size_t)(round % 4) * 5, TEST_SCALE(5000), round % 2,
			  round % 3 == 0 ? 1 : 0, round % 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_senders_and_receivers),
		cmocka_unit_test(test_receivers_with_short_deadlines),
		cmocka_unit_test(test_close_races_send),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
