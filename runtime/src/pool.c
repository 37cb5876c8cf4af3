/*
 * pool.c: leash_pool, a fixed set of workers fed by a bounded ring of tasks.
 *
 * One mutex guards the ring and the counters. Workers and submitters signal each
 * other only when someone is known to be waiting, so a busy pool makes no futex call
 * it does not need. The invariant that makes "no task lost or run twice" hold: a task
 * is accepted only under the lock while the pool is open, and a worker exits only
 * under the lock once the pool is closed and the ring is empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct task {
	leash_task_fn fn;
	void *arg;
};

enum reap_state { REAP_NONE, REAP_RUNNING, REAP_DONE };

struct leash_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;  /* workers wait for tasks or close */
	pthread_cond_t room;  /* submitters wait for room or close */
	pthread_cond_t quit;  /* joiners wait for the workers to exit */

	struct task *ring;
	size_t cap;
	size_t head;          /* next task to run */
	size_t len;           /* tasks in the ring */

	size_t idle;          /* workers waiting on `work` */
	size_t blocked;       /* submitters waiting on `room` */
	size_t active;        /* tasks running */
	size_t alive;         /* workers not yet out of their loop */
	uint64_t submitted, completed, rejected;
	int closed;
	enum reap_state reap;

	leash_thread **threads;
	size_t nthreads;
	char *name;
	unsigned id;
	leash_pool *reg_prev; /* registry links, under reg_lock */
	leash_pool *reg_next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static leash_pool *reg_head, *reg_tail;
static unsigned reg_next_id;

/* The pool whose task the calling thread is running, to refuse a join from it. */
static _Thread_local leash_pool *current_pool;

static void *worker_main(void *arg)
{
	leash_pool *p = arg;
	struct task t;

	current_pool = p;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->len == 0 && !p->closed) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->lock);
			p->idle--;
		}
		if (p->len == 0)
			break; /* closed and drained */
		t = p->ring[p->head];
		if (++p->head == p->cap)
			p->head = 0;
		p->len--;
		p->active++;
		if (p->blocked)
			pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->lock);

		t.fn(t.arg);

		pthread_mutex_lock(&p->lock);
		p->active--;
		p->completed++;
	}
	if (--p->alive == 0)
		pthread_cond_broadcast(&p->quit);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void registry_add(leash_pool *p)
{
	pthread_mutex_lock(&reg_lock);
	p->id = reg_next_id++;
	p->reg_prev = reg_tail;
	if (reg_tail)
		reg_tail->reg_next = p;
	else
		reg_head = p;
	reg_tail = p;
	pthread_mutex_unlock(&reg_lock);
}

static void registry_remove(leash_pool *p)
{
	pthread_mutex_lock(&reg_lock);
	if (p->reg_prev)
		p->reg_prev->reg_next = p->reg_next;
	else
		reg_head = p->reg_next;
	if (p->reg_next)
		p->reg_next->reg_prev = p->reg_prev;
	else
		reg_tail = p->reg_prev;
	pthread_mutex_unlock(&reg_lock);
}

void leash_pool_foreach(leash_pool_visit_fn visit, void *arg)
{
	struct leash_pool_stats st;
	leash_pool *p;

	pthread_mutex_lock(&reg_lock);
	for (p = reg_head; p; p = p->reg_next) {
		leash_pool_stats(p, &st);
		visit(p->name, p->id, &st, arg);
	}
	pthread_mutex_unlock(&reg_lock);
}

/* Frees what leash_pool_create allocated; the threads must be gone. */
static void pool_free(leash_pool *p)
{
	pthread_cond_destroy(&p->quit);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p->ring);
	free(p->name);
	free(p);
}

/* Joins the workers once; with the lock held, the loop having exited. */
static void reap_locked(leash_pool *p)
{
	size_t i;

	p->reap = REAP_RUNNING;
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		leash_thread_join(p->threads[i], NULL);
	pthread_mutex_lock(&p->lock);
	p->reap = REAP_DONE;
	pthread_cond_broadcast(&p->quit);
}

int leash_pool_create(leash_pool **out, int nworkers, size_t queue_cap, const char *name)
{
	leash_pool *p = NULL;
	char tname[64];
	int err = 0, inited = 0;

	if (out)
		*out = NULL;
	if (!out || nworkers < 1 || queue_cap < 1 || queue_cap > SIZE_MAX / sizeof(struct task))
		return LEASH_EINVAL;
	if (!(p = calloc(1, sizeof(*p))) ||
	    !(p->ring = calloc(queue_cap, sizeof(*p->ring))) ||
	    !(p->threads = calloc((size_t)nworkers, sizeof(*p->threads))) ||
	    !(p->name = strdup(name ? name : "pool"))) {
		err = LEASH_ENOMEM;
		goto done;
	}
	p->cap = queue_cap;
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		err = LEASH_ESYS;
		goto done;
	}
	inited = 1;
	if ((err = leash_cond_init(&p->work)) < 0)
		goto done;
	inited = 2;
	if ((err = leash_cond_init(&p->room)) < 0)
		goto done;
	inited = 3;
	if ((err = leash_cond_init(&p->quit)) < 0)
		goto done;
	inited = 4;

	for (p->nthreads = 0; p->nthreads < (size_t)nworkers; p->nthreads++) {
		snprintf(tname, sizeof(tname), "%s/%zu", p->name, p->nthreads);
		pthread_mutex_lock(&p->lock);
		p->alive++;
		pthread_mutex_unlock(&p->lock);
		if ((err = leash_thread_spawn(&p->threads[p->nthreads], worker_main, p, tname)) < 0) {
			pthread_mutex_lock(&p->lock);
			p->alive--;
			p->closed = 1;
			pthread_cond_broadcast(&p->work);
			while (p->alive > 0)
				pthread_cond_wait(&p->quit, &p->lock);
			reap_locked(p);
			pthread_mutex_unlock(&p->lock);
			goto done;
		}
	}
	registry_add(p);
	*out = p;
	p = NULL;
done:
	if (p) {
		if (inited == 4) {
			pool_free(p);
		} else {
			if (inited >= 3)
				pthread_cond_destroy(&p->room);
			if (inited >= 2)
				pthread_cond_destroy(&p->work);
			if (inited >= 1)
				pthread_mutex_destroy(&p->lock);
			free(p->threads);
			free(p->ring);
			free(p->name);
			free(p);
		}
	}
	return err;
}

int leash_pool_submit(leash_pool *p, leash_task_fn fn, void *arg, int64_t timeout_ms)
{
	int64_t deadline = 0;
	int err = 0;
	size_t tail;

	if (!p || !fn)
		return LEASH_EINVAL;
	if (timeout_ms != 0 && (err = leash_deadline_from_ms(timeout_ms, &deadline)) < 0)
		return err;

	pthread_mutex_lock(&p->lock);
	while (!p->closed && p->len == p->cap) {
		if (timeout_ms == 0) {
			err = LEASH_EFULL;
			goto done;
		}
		p->blocked++;
		int expired = leash_cond_wait_until(&p->room, &p->lock, deadline);
		p->blocked--;
		if (expired && !p->closed && p->len == p->cap) {
			err = LEASH_ETIMEDOUT;
			goto done;
		}
	}
	if (p->closed) {
		err = LEASH_ECLOSED;
		goto done;
	}
	tail = p->head + p->len;
	if (tail >= p->cap)
		tail -= p->cap;
	p->ring[tail].fn = fn;
	p->ring[tail].arg = arg;
	p->len++;
	p->submitted++;
	if (p->idle)
		pthread_cond_signal(&p->work);
done:
	if (err < 0)
		p->rejected++;
	pthread_mutex_unlock(&p->lock);
	return err;
}

int leash_pool_try_submit(leash_pool *p, leash_task_fn fn, void *arg)
{
	return leash_pool_submit(p, fn, arg, 0);
}

int leash_pool_close(leash_pool *p)
{
	int err = 0;

	if (!p)
		return LEASH_EINVAL;
	pthread_mutex_lock(&p->lock);
	if (p->closed) {
		err = LEASH_ECLOSED;
	} else {
		p->closed = 1;
		pthread_cond_broadcast(&p->work);
		pthread_cond_broadcast(&p->room);
	}
	pthread_mutex_unlock(&p->lock);
	return err;
}

int leash_pool_join(leash_pool *p, int64_t timeout_ms)
{
	int64_t deadline;
	int err;

	if (!p || current_pool == p)
		return LEASH_EINVAL;
	if ((err = leash_deadline_from_ms(timeout_ms, &deadline)) < 0)
		return err;
	pthread_mutex_lock(&p->lock);
	while (p->alive > 0 || p->reap == REAP_RUNNING) {
		if (leash_cond_wait_until(&p->quit, &p->lock, deadline) &&
		    (p->alive > 0 || p->reap == REAP_RUNNING)) {
			err = LEASH_ETIMEDOUT;
			goto done;
		}
	}
	if (p->reap == REAP_NONE)
		reap_locked(p);
done:
	pthread_mutex_unlock(&p->lock);
	return err;
}

int leash_pool_stats(leash_pool *p, struct leash_pool_stats *st)
{
	if (!p || !st)
		return LEASH_EINVAL;
	pthread_mutex_lock(&p->lock);
	st->workers = p->nthreads;
	st->queue_cap = p->cap;
	st->queue_depth = p->len;
	st->active = p->active;
	st->submitted = p->submitted;
	st->completed = p->completed;
	st->rejected = p->rejected;
	st->closed = p->closed;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void leash_pool_destroy(leash_pool *p)
{
	if (!p)
		return;
	leash_pool_close(p);
	leash_pool_join(p, LEASH_FOREVER);
	registry_remove(p);
	pool_free(p);
}
