/*
 * test_chan.c: leash_chan: FIFO, bounds, deadlines, and close (senders fail,
 * receivers drain and then get LEASH_ECLOSED).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "test_util.h"

#define V(i) ((void *)(uintptr_t)(i))

static void test_invalid_arguments(void **state)
{
	leash_chan *c = (leash_chan *)1;
	void *v;

	assert_status(leash_chan_create(NULL, 1), LEASH_EINVAL);
	assert_status(leash_chan_create(&c, 0), LEASH_EINVAL);
	assert_null(c);
	assert_status(leash_chan_create(&c, 1), 0);
	assert_status(leash_chan_send(NULL, V(1), 0), LEASH_EINVAL);
	assert_status(leash_chan_send(c, V(1), -2), LEASH_EINVAL);
	assert_status(leash_chan_recv(c, NULL, 0), LEASH_EINVAL);
	assert_status(leash_chan_recv(c, &v, -2), LEASH_EINVAL);
	assert_status(leash_chan_close(NULL), LEASH_EINVAL);
	assert_int_equal(leash_chan_len(NULL), 0);
	leash_chan_destroy(c);
	leash_chan_destroy(NULL);
}

static void test_fifo_and_bounds(void **state)
{
	leash_chan *c;
	void *v;
	int i;

	assert_status(leash_chan_create(&c, 3), 0);
	assert_status(leash_chan_recv(c, &v, 0), LEASH_EEMPTY);
	for (i = 0; i < 3; i++)
		assert_status(leash_chan_send(c, V(i), 0), 0);
	assert_int_equal(leash_chan_len(c), 3);
	assert_status(leash_chan_send(c, V(9), 0), LEASH_EFULL);
	for (i = 0; i < 2; i++) {
		assert_status(leash_chan_recv(c, &v, 0), 0);
		assert_ptr_equal(v, V(i));
	}
	/* Wrap around the ring. */
	assert_status(leash_chan_send(c, NULL, 0), 0);
	assert_status(leash_chan_send(c, V(4), 0), 0);
	assert_status(leash_chan_recv(c, &v, 0), 0);
	assert_ptr_equal(v, V(2));
	assert_status(leash_chan_recv(c, &v, 0), 0);
	assert_null(v);
	assert_status(leash_chan_recv(c, &v, 0), 0);
	assert_ptr_equal(v, V(4));
	leash_chan_destroy(c);
}

static void test_deadlines(void **state)
{
	leash_chan *c;
	void *v;
	int64_t t0;

	assert_status(leash_chan_create(&c, 1), 0);
	t0 = test_now_ms();
	assert_status(leash_chan_recv(c, &v, 30), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 29);
	assert_status(leash_chan_send(c, V(1), 30), 0);
	t0 = test_now_ms();
	assert_status(leash_chan_send(c, V(2), 30), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 29);
	assert_status(leash_chan_recv(c, &v, 30), 0);
	assert_ptr_equal(v, V(1));
	leash_chan_destroy(c);
}

static void test_close_drains_then_reports_closed(void **state)
{
	leash_chan *c;
	void *v;

	assert_status(leash_chan_create(&c, 4), 0);
	assert_status(leash_chan_send(c, V(1), 0), 0);
	assert_status(leash_chan_send(c, V(2), 0), 0);
	assert_status(leash_chan_close(c), 0);
	assert_status(leash_chan_close(c), LEASH_ECLOSED);
	assert_status(leash_chan_send(c, V(3), 0), LEASH_ECLOSED);
	assert_status(leash_chan_send(c, V(3), LEASH_FOREVER), LEASH_ECLOSED);
	assert_status(leash_chan_recv(c, &v, LEASH_FOREVER), 0);
	assert_ptr_equal(v, V(1));
	assert_status(leash_chan_recv(c, &v, 0), 0);
	assert_ptr_equal(v, V(2));
	assert_status(leash_chan_recv(c, &v, 0), LEASH_ECLOSED);
	assert_status(leash_chan_recv(c, &v, LEASH_FOREVER), LEASH_ECLOSED);
	leash_chan_destroy(c);
}

struct op {
	leash_chan *chan;
	atomic_int status;
};

static void *recv_forever(void *arg)
{
	struct op *o = arg;
	void *v;

	atomic_store(&o->status, leash_chan_recv(o->chan, &v, LEASH_FOREVER));
	return NULL;
}

static void *send_forever(void *arg)
{
	struct op *o = arg;

	atomic_store(&o->status, leash_chan_send(o->chan, V(7), LEASH_FOREVER));
	return NULL;
}

static void test_close_wakes_blocked_receivers_and_senders(void **state)
{
	leash_chan *empty, *full;
	struct op r[3], s[2];
	pthread_t rt[3], st[2];
	int i;

	assert_status(leash_chan_create(&empty, 1), 0);
	assert_status(leash_chan_create(&full, 1), 0);
	assert_status(leash_chan_send(full, V(1), 0), 0);
	for (i = 0; i < 3; i++) {
		r[i].chan = empty;
		atomic_store(&r[i].status, 1);
		assert_int_equal(pthread_create(&rt[i], NULL, recv_forever, &r[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		s[i].chan = full;
		atomic_store(&s[i].status, 1);
		assert_int_equal(pthread_create(&st[i], NULL, send_forever, &s[i]), 0);
	}
	test_sleep_ms(30);
	assert_status(leash_chan_close(empty), 0);
	assert_status(leash_chan_close(full), 0);
	for (i = 0; i < 3; i++) {
		pthread_join(rt[i], NULL);
		assert_status(atomic_load(&r[i].status), LEASH_ECLOSED);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(st[i], NULL);
		assert_status(atomic_load(&s[i].status), LEASH_ECLOSED);
	}
	assert_int_equal(leash_chan_len(full), 1);
	leash_chan_destroy(empty);
	leash_chan_destroy(full);
}

static void test_blocked_receiver_gets_value(void **state)
{
	leash_chan *c;
	struct op r;
	pthread_t t;

	assert_status(leash_chan_create(&c, 1), 0);
	r.chan = c;
	atomic_store(&r.status, 1);
	assert_int_equal(pthread_create(&t, NULL, recv_forever, &r), 0);
	test_sleep_ms(20);
	assert_status(leash_chan_send(c, V(5), 0), 0);
	pthread_join(t, NULL);
	assert_status(atomic_load(&r.status), 0);
	assert_int_equal(leash_chan_len(c), 0);
	leash_chan_destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_fifo_and_bounds),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_close_drains_then_reports_closed),
		cmocka_unit_test(test_close_wakes_blocked_receivers_and_senders),
		cmocka_unit_test(test_blocked_receiver_gets_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
