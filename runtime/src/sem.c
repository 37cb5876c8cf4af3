/*
 * sem.c: leash_sem, a weighted semaphore with a FIFO of waiters, following Go's
 * golang.org/x/sync/semaphore.Weighted: tokens are handed out in arrival order and a
 * waiter that does not fit blocks everyone behind it, so large requests never starve.
 *
 * Each waiter sleeps on its own condition variable on its own stack, so a release
 * wakes exactly the waiters it serves.
 */
#include <stdlib.h>

#include "internal.h"

struct waiter {
	int64_t n;
	int ready;            /* tokens granted by notify_locked */
	pthread_cond_t cond;
	struct waiter *prev;
	struct waiter *next;
};

struct leash_sem {
	pthread_mutex_t lock;
	int64_t size;
	int64_t cur;          /* tokens held */
	struct waiter *head;  /* FIFO of waiters */
	struct waiter *tail;
};

int leash_sem_create(leash_sem **out, int64_t size)
{
	leash_sem *s;

	if (out)
		*out = NULL;
	if (!out || size < 0)
		return LEASH_EINVAL;
	if (!(s = calloc(1, sizeof(*s))))
		return LEASH_ENOMEM;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return LEASH_ESYS;
	}
	s->size = size;
	*out = s;
	return 0;
}

static void unlink_waiter(leash_sem *s, struct waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		s->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		s->tail = w->prev;
}

/* With the lock held: grants tokens to the head waiters that fit, in order. */
static void notify_locked(leash_sem *s)
{
	struct waiter *w;

	while ((w = s->head) && s->size - s->cur >= w->n) {
		s->cur += w->n;
		unlink_waiter(s, w);
		w->ready = 1;
		pthread_cond_signal(&w->cond);
	}
}

int leash_sem_acquire(leash_sem *s, int64_t n, int64_t timeout_ms)
{
	struct waiter w = {0};
	int64_t deadline;
	int err = 0;

	if (!s || n < 0)
		return LEASH_EINVAL;
	if ((err = leash_deadline_from_ms(timeout_ms, &deadline)) < 0)
		return err;

	pthread_mutex_lock(&s->lock);
	if (s->size - s->cur >= n && !s->head) {
		s->cur += n;
		goto done;
	}
	if (timeout_ms == 0) {
		err = LEASH_EFULL;
		goto done;
	}
	if (n > s->size) {
		/* Can never be met: wait out the deadline, as Go waits for ctx.Done(). */
		pthread_cond_t never;

		if ((err = leash_cond_init(&never)) < 0)
			goto done;
		while (!leash_cond_wait_until(&never, &s->lock, deadline))
			;
		pthread_cond_destroy(&never);
		err = LEASH_ETIMEDOUT;
		goto done;
	}
	if ((err = leash_cond_init(&w.cond)) < 0)
		goto done;
	w.n = n;
	w.prev = s->tail;
	if (s->tail)
		s->tail->next = &w;
	else
		s->head = &w;
	s->tail = &w;
	while (!w.ready) {
		if (leash_cond_wait_until(&w.cond, &s->lock, deadline) && !w.ready) {
			int was_head = s->head == &w;

			unlink_waiter(s, &w);
			/* Leaving the head may let the ones behind fit. */
			if (was_head && s->size > s->cur)
				notify_locked(s);
			err = LEASH_ETIMEDOUT;
			break;
		}
	}
	pthread_cond_destroy(&w.cond);
done:
	pthread_mutex_unlock(&s->lock);
	return err;
}

int leash_sem_try_acquire(leash_sem *s, int64_t n)
{
	int err = LEASH_EFULL;

	if (!s || n < 0)
		return LEASH_EINVAL;
	pthread_mutex_lock(&s->lock);
	if (s->size - s->cur >= n && !s->head) {
		s->cur += n;
		err = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return err;
}

int leash_sem_release(leash_sem *s, int64_t n)
{
	int err = 0;

	if (!s || n < 0)
		return LEASH_EINVAL;
	pthread_mutex_lock(&s->lock);
	if (n > s->cur) {
		err = LEASH_EINVAL;
		goto done;
	}
	s->cur -= n;
	notify_locked(s);
done:
	pthread_mutex_unlock(&s->lock);
	return err;
}

void leash_sem_destroy(leash_sem *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s);
}
