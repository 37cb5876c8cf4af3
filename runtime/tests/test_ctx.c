/*
 * test_ctx.c: leash_ctx deadlines, cancellation and their propagation to children.
 */
#include <pthread.h>

#include "test_util.h"

static void test_root_has_no_deadline(void **state)
{
	leash_ctx *ctx;

	assert_status(leash_ctx_new(&ctx), 0);
	assert_int_equal(leash_ctx_done(ctx), 0);
	assert_int_equal(leash_ctx_err(ctx), 0);
	assert_true(leash_ctx_remaining_ms(ctx) == LEASH_FOREVER);
	assert_status(leash_ctx_wait(ctx, 10), 0);
	assert_status(leash_ctx_cancel(ctx), 0);
	assert_int_equal(leash_ctx_done(ctx), 1);
	assert_status(leash_ctx_err(ctx), LEASH_ECANCELED);
	assert_true(leash_ctx_remaining_ms(ctx) == 0);
	assert_status(leash_ctx_cancel(ctx), 0); /* twice is harmless */
	leash_ctx_destroy(ctx);
}

static void test_invalid_arguments(void **state)
{
	leash_ctx *ctx = (leash_ctx *)1;

	assert_status(leash_ctx_with_timeout(NULL, NULL, 10), LEASH_EINVAL);
	assert_status(leash_ctx_with_timeout(&ctx, NULL, -2), LEASH_EINVAL);
	assert_null(ctx);
	assert_status(leash_ctx_with_timeout(&ctx, NULL, INT64_MIN), LEASH_EINVAL);
	assert_status(leash_ctx_cancel(NULL), LEASH_EINVAL);
	assert_status(leash_ctx_wait(NULL, 0), LEASH_EINVAL);
	assert_int_equal(leash_ctx_err(NULL), 0);
	assert_int_equal(leash_ctx_done(NULL), 0);
	assert_true(leash_ctx_remaining_ms(NULL) == LEASH_FOREVER);
	leash_ctx_destroy(NULL);
}

static void test_deadline_expires(void **state)
{
	leash_ctx *ctx;
	int64_t t0 = test_now_ms(), left;

	assert_status(leash_ctx_with_timeout(&ctx, NULL, 60), 0);
	left = leash_ctx_remaining_ms(ctx);
	assert_true(left > 0 && left <= 60);
	assert_int_equal(leash_ctx_done(ctx), 0);
	assert_status(leash_ctx_wait(ctx, LEASH_FOREVER), LEASH_ETIMEDOUT);
	assert_true(test_now_ms() - t0 >= 59);
	assert_int_equal(leash_ctx_done(ctx), 1);
	assert_true(leash_ctx_remaining_ms(ctx) == 0);
	/* Cancelling after the deadline keeps the first cause. */
	leash_ctx_cancel(ctx);
	assert_status(leash_ctx_err(ctx), LEASH_ETIMEDOUT);
	leash_ctx_destroy(ctx);
}

static void test_zero_timeout_is_done_at_once(void **state)
{
	leash_ctx *ctx;

	assert_status(leash_ctx_with_timeout(&ctx, NULL, 0), 0);
	assert_status(leash_ctx_err(ctx), LEASH_ETIMEDOUT);
	assert_status(leash_ctx_wait(ctx, 0), LEASH_ETIMEDOUT);
	leash_ctx_destroy(ctx);
}

static void test_huge_timeout_saturates(void **state)
{
	leash_ctx *ctx;

	assert_status(leash_ctx_with_timeout(&ctx, NULL, INT64_MAX), 0);
	assert_true(leash_ctx_remaining_ms(ctx) == LEASH_FOREVER);
	assert_int_equal(leash_ctx_done(ctx), 0);
	leash_ctx_destroy(ctx);
}

static void test_child_inherits_earlier_deadline(void **state)
{
	leash_ctx *parent, *late, *early;

	assert_status(leash_ctx_with_timeout(&parent, NULL, 80), 0);
	assert_status(leash_ctx_with_timeout(&late, parent, 100000), 0);
	assert_status(leash_ctx_with_timeout(&early, parent, 20), 0);
	assert_true(leash_ctx_remaining_ms(late) <= 80);
	assert_true(leash_ctx_remaining_ms(early) <= 20);
	assert_status(leash_ctx_wait(early, LEASH_FOREVER), LEASH_ETIMEDOUT);
	assert_int_equal(leash_ctx_done(parent), 0);
	assert_status(leash_ctx_wait(late, LEASH_FOREVER), LEASH_ETIMEDOUT);
	assert_status(leash_ctx_err(parent), LEASH_ETIMEDOUT);
	leash_ctx_destroy(early);
	leash_ctx_destroy(late);
	leash_ctx_destroy(parent);
}

static void test_cancel_propagates_down_only(void **state)
{
	leash_ctx *root, *a, *b, *a1;

	assert_status(leash_ctx_new(&root), 0);
	assert_status(leash_ctx_with_cancel(&a, root), 0);
	assert_status(leash_ctx_with_cancel(&b, root), 0);
	assert_status(leash_ctx_with_timeout(&a1, a, 100000), 0);

	assert_status(leash_ctx_cancel(a), 0);
	assert_status(leash_ctx_err(a), LEASH_ECANCELED);
	assert_status(leash_ctx_err(a1), LEASH_ECANCELED);
	assert_int_equal(leash_ctx_done(root), 0);
	assert_int_equal(leash_ctx_done(b), 0);

	assert_status(leash_ctx_cancel(root), 0);
	assert_status(leash_ctx_err(b), LEASH_ECANCELED);

	leash_ctx_destroy(a1);
	leash_ctx_destroy(a);
	leash_ctx_destroy(b);
	leash_ctx_destroy(root);
}

static void test_child_of_cancelled_parent_is_born_done(void **state)
{
	leash_ctx *root, *child;

	assert_status(leash_ctx_new(&root), 0);
	leash_ctx_cancel(root);
	assert_status(leash_ctx_with_cancel(&child, root), 0);
	assert_status(leash_ctx_err(child), LEASH_ECANCELED);
	leash_ctx_destroy(child);
	leash_ctx_destroy(root);
}

static void test_destroying_parent_cancels_and_detaches(void **state)
{
	leash_ctx *root, *c1, *c2, *g;

	assert_status(leash_ctx_new(&root), 0);
	assert_status(leash_ctx_with_cancel(&c1, root), 0);
	assert_status(leash_ctx_with_cancel(&c2, root), 0);
	assert_status(leash_ctx_with_cancel(&g, c1), 0);
	leash_ctx_destroy(root);
	assert_status(leash_ctx_err(c1), LEASH_ECANCELED);
	assert_status(leash_ctx_err(c2), LEASH_ECANCELED);
	assert_status(leash_ctx_err(g), LEASH_ECANCELED);
	/* The children are still valid and can be freed in any order. */
	leash_ctx_destroy(c2);
	leash_ctx_destroy(c1);
	assert_status(leash_ctx_err(g), LEASH_ECANCELED);
	leash_ctx_destroy(g);
}

static void test_destroying_middle_child_keeps_siblings(void **state)
{
	leash_ctx *root, *c[3];
	int i;

	assert_status(leash_ctx_new(&root), 0);
	for (i = 0; i < 3; i++)
		assert_status(leash_ctx_with_cancel(&c[i], root), 0);
	leash_ctx_destroy(c[1]);
	leash_ctx_cancel(root);
	assert_status(leash_ctx_err(c[0]), LEASH_ECANCELED);
	assert_status(leash_ctx_err(c[2]), LEASH_ECANCELED);
	leash_ctx_destroy(c[0]);
	leash_ctx_destroy(c[2]);
	leash_ctx_destroy(root);
}

static void *cancel_later(void *arg)
{
	test_sleep_ms(30);
	leash_ctx_cancel(arg);
	return NULL;
}

static void test_wait_is_woken_by_cancel_of_ancestor(void **state)
{
	leash_ctx *root, *child;
	pthread_t tid;
	int64_t t0;

	assert_status(leash_ctx_new(&root), 0);
	assert_status(leash_ctx_with_timeout(&child, root, 10000), 0);
	t0 = test_now_ms();
	assert_int_equal(pthread_create(&tid, NULL, cancel_later, root), 0);
	assert_status(leash_ctx_wait(child, LEASH_FOREVER), LEASH_ECANCELED);
	assert_true(test_now_ms() - t0 < 5000);
	pthread_join(tid, NULL);
	leash_ctx_destroy(child);
	leash_ctx_destroy(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_has_no_deadline),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_deadline_expires),
		cmocka_unit_test(test_zero_timeout_is_done_at_once),
		cmocka_unit_test(test_huge_timeout_saturates),
		cmocka_unit_test(test_child_inherits_earlier_deadline),
		cmocka_unit_test(test_cancel_propagates_down_only),
		cmocka_unit_test(test_child_of_cancelled_parent_is_born_done),
		cmocka_unit_test(test_destroying_parent_cancels_and_detaches),
		cmocka_unit_test(test_destroying_middle_child_keeps_siblings),
		cmocka_unit_test(test_wait_is_woken_by_cancel_of_ancestor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
