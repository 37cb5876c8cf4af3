/*
 * ctx.c: contexts, a deadline plus a cancellation that flows from parent to child.
 *
 * The tree is guarded by one process-wide lock: creating, cancelling and destroying
 * contexts are rare next to checking them, and checking takes no lock (an atomic
 * error and a deadline fixed at creation, already the earliest of the ancestors').
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

struct leash_ctx {
	atomic_int err;    /* 0 until cancelled, then LEASH_ECANCELED or LEASH_ETIMEDOUT */
	int64_t deadline;  /* absolute ns; the earliest of its own and its ancestors' */
	leash_ctx *parent; /* NULL for a root or once the parent is destroyed */
	leash_ctx *child;  /* first child */
	leash_ctx *prev;   /* siblings */
	leash_ctx *next;
	int wake[2];       /* pipe written on cancel, for poll; -1 until asked for */
};

static pthread_mutex_t tree_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tree_cond;
static pthread_once_t tree_once = PTHREAD_ONCE_INIT;
static int tree_cond_ok;

static void tree_init(void)
{
	tree_cond_ok = leash_cond_init(&tree_cond) == 0;
}

static int load_err(const leash_ctx *ctx)
{
	return atomic_load_explicit(&((leash_ctx *)ctx)->err, memory_order_acquire);
}

/* With tree_lock held: cancels ctx and its subtree with `cause`. */
static void cancel_locked(leash_ctx *ctx, int cause)
{
	leash_ctx *c;
	char byte = 1;

	if (load_err(ctx) != 0)
		return;
	if (ctx->deadline != LEASH_NO_DEADLINE && leash_clock_now_ns() >= ctx->deadline)
		cause = LEASH_ETIMEDOUT;
	atomic_store_explicit(&ctx->err, cause, memory_order_release);
	if (ctx->wake[1] >= 0) {
		ssize_t n = write(ctx->wake[1], &byte, 1);
		(void)n; /* a full pipe is already readable */
	}
	for (c = ctx->child; c; c = c->next)
		cancel_locked(c, cause);
}

int leash_ctx_with_timeout(leash_ctx **out, leash_ctx *parent, int64_t timeout_ms)
{
	leash_ctx *ctx = NULL;
	int64_t deadline;
	int err;

	if (!out)
		return LEASH_EINVAL;
	*out = NULL;
	if ((err = leash_deadline_from_ms(timeout_ms, &deadline)) < 0)
		goto done;
	pthread_once(&tree_once, tree_init);
	if (!tree_cond_ok) {
		err = LEASH_ESYS;
		goto done;
	}
	if (!(ctx = calloc(1, sizeof(*ctx)))) {
		err = LEASH_ENOMEM;
		goto done;
	}
	ctx->wake[0] = ctx->wake[1] = -1;
	ctx->deadline = deadline;
	atomic_init(&ctx->err, 0);

	pthread_mutex_lock(&tree_lock);
	if (parent) {
		if (parent->deadline < ctx->deadline)
			ctx->deadline = parent->deadline;
		ctx->parent = parent;
		ctx->next = parent->child;
		if (parent->child)
			parent->child->prev = ctx;
		parent->child = ctx;
		if (load_err(parent) != 0)
			atomic_store_explicit(&ctx->err, load_err(parent), memory_order_release);
	}
	pthread_mutex_unlock(&tree_lock);
	*out = ctx;
	err = 0;
done:
	return err;
}

int leash_ctx_new(leash_ctx **out)
{
	return leash_ctx_with_timeout(out, NULL, LEASH_FOREVER);
}

int leash_ctx_with_cancel(leash_ctx **out, leash_ctx *parent)
{
	return leash_ctx_with_timeout(out, parent, LEASH_FOREVER);
}

int leash_ctx_cancel(leash_ctx *ctx)
{
	if (!ctx)
		return LEASH_EINVAL;
	pthread_mutex_lock(&tree_lock);
	cancel_locked(ctx, LEASH_ECANCELED);
	pthread_cond_broadcast(&tree_cond);
	pthread_mutex_unlock(&tree_lock);
	return 0;
}

int leash_ctx_err(const leash_ctx *ctx)
{
	int err;

	if (!ctx)
		return 0;
	if ((err = load_err(ctx)) != 0)
		return err;
	if (ctx->deadline != LEASH_NO_DEADLINE && leash_clock_now_ns() >= ctx->deadline)
		return LEASH_ETIMEDOUT;
	return 0;
}

int leash_ctx_done(const leash_ctx *ctx)
{
	return leash_ctx_err(ctx) != 0;
}

int64_t leash_ctx_remaining_ms(const leash_ctx *ctx)
{
	int64_t left;

	if (!ctx)
		return LEASH_FOREVER;
	if (load_err(ctx) != 0)
		return 0;
	if (ctx->deadline == LEASH_NO_DEADLINE)
		return LEASH_FOREVER;
	left = ctx->deadline - leash_clock_now_ns();
	if (left <= 0)
		return 0;
	return (left + 999999) / 1000000;
}

int leash_ctx_wait(const leash_ctx *ctx, int64_t timeout_ms)
{
	int64_t until, wake;
	int err;

	if (!ctx)
		return LEASH_EINVAL;
	if ((err = leash_deadline_from_ms(timeout_ms, &until)) < 0)
		return err;
	pthread_once(&tree_once, tree_init);
	wake = until < ctx->deadline ? until : ctx->deadline;
	pthread_mutex_lock(&tree_lock);
	for (;;) {
		if ((err = leash_ctx_err(ctx)) != 0)
			break;
		if (leash_cond_wait_until(&tree_cond, &tree_lock, wake)) {
			err = leash_ctx_err(ctx);
			if (err == 0 && wake == until)
				break;
		}
	}
	pthread_mutex_unlock(&tree_lock);
	return err;
}

int64_t leash_ctx_deadline_ns(const leash_ctx *ctx)
{
	return ctx->deadline;
}

int leash_ctx_wake_fd(const leash_ctx *ctx)
{
	leash_ctx *c = (leash_ctx *)ctx;
	int fd;

	pthread_mutex_lock(&tree_lock);
	if (c->wake[0] < 0) {
		if (pipe2(c->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
			c->wake[0] = c->wake[1] = -1;
		} else if (load_err(c) != 0) {
			char byte = 1;
			ssize_t n = write(c->wake[1], &byte, 1);
			(void)n;
		}
	}
	fd = c->wake[0];
	pthread_mutex_unlock(&tree_lock);
	return fd;
}

void leash_ctx_destroy(leash_ctx *ctx)
{
	leash_ctx *c, *next;

	if (!ctx)
		return;
	pthread_once(&tree_once, tree_init);
	pthread_mutex_lock(&tree_lock);
	cancel_locked(ctx, LEASH_ECANCELED);
	for (c = ctx->child; c; c = next) {
		next = c->next;
		c->parent = NULL;
		c->prev = c->next = NULL;
	}
	if (ctx->parent) {
		if (ctx->prev)
			ctx->prev->next = ctx->next;
		else
			ctx->parent->child = ctx->next;
	}
	if (ctx->next)
		ctx->next->prev = ctx->prev;
	pthread_cond_broadcast(&tree_cond);
	pthread_mutex_unlock(&tree_lock);
	if (ctx->wake[0] >= 0) {
		close(ctx->wake[0]);
		close(ctx->wake[1]);
	}
	free(ctx);
}
