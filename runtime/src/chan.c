/*
 * chan.c: leash_chan, a bounded ring of pointers shared by any number of senders and
 * receivers, that can be closed: senders then fail, receivers drain, then fail.
 */
#include <stdlib.h>

#include "internal.h"

struct leash_chan {
	pthread_mutex_t lock;
	pthread_cond_t can_recv; /* receivers wait for a value or close */
	pthread_cond_t can_send; /* senders wait for room or close */
	void **ring;
	size_t cap;
	size_t head;
	size_t len;
	size_t recv_waiting;
	size_t send_waiting;
	int closed;
};

int leash_chan_create(leash_chan **out, size_t cap)
{
	leash_chan *c = NULL;
	int err = 0, inited = 0;

	if (out)
		*out = NULL;
	if (!out || cap < 1 || cap > SIZE_MAX / sizeof(void *))
		return LEASH_EINVAL;
	if (!(c = calloc(1, sizeof(*c))) || !(c->ring = calloc(cap, sizeof(void *)))) {
		err = LEASH_ENOMEM;
		goto done;
	}
	c->cap = cap;
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		err = LEASH_ESYS;
		goto done;
	}
	inited = 1;
	if ((err = leash_cond_init(&c->can_recv)) < 0)
		goto done;
	inited = 2;
	if ((err = leash_cond_init(&c->can_send)) < 0)
		goto done;
	*out = c;
	c = NULL;
done:
	if (c) {
		if (inited >= 2)
			pthread_cond_destroy(&c->can_recv);
		if (inited >= 1)
			pthread_mutex_destroy(&c->lock);
		free(c->ring);
		free(c);
	}
	return err;
}

int leash_chan_send(leash_chan *c, void *value, int64_t timeout_ms)
{
	int64_t deadline = 0;
	size_t tail;
	int err = 0;

	if (!c)
		return LEASH_EINVAL;
	if (timeout_ms != 0 && (err = leash_deadline_from_ms(timeout_ms, &deadline)) < 0)
		return err;
	pthread_mutex_lock(&c->lock);
	while (!c->closed && c->len == c->cap) {
		if (timeout_ms == 0) {
			err = LEASH_EFULL;
			goto done;
		}
		c->send_waiting++;
		int expired = leash_cond_wait_until(&c->can_send, &c->lock, deadline);
		c->send_waiting--;
		if (expired && !c->closed && c->len == c->cap) {
			err = LEASH_ETIMEDOUT;
			goto done;
		}
	}
	if (c->closed) {
		err = LEASH_ECLOSED;
		goto done;
	}
	tail = c->head + c->len;
	if (tail >= c->cap)
		tail -= c->cap;
	c->ring[tail] = value;
	c->len++;
	if (c->recv_waiting)
		pthread_cond_signal(&c->can_recv);
done:
	pthread_mutex_unlock(&c->lock);
	return err;
}

int leash_chan_recv(leash_chan *c, void **out, int64_t timeout_ms)
{
	int64_t deadline = 0;
	int err = 0;

	if (!c || !out)
		return LEASH_EINVAL;
	if (timeout_ms != 0 && (err = leash_deadline_from_ms(timeout_ms, &deadline)) < 0)
		return err;
	pthread_mutex_lock(&c->lock);
	while (!c->closed && c->len == 0) {
		if (timeout_ms == 0) {
			err = LEASH_EEMPTY;
			goto done;
		}
		c->recv_waiting++;
		int expired = leash_cond_wait_until(&c->can_recv, &c->lock, deadline);
		c->recv_waiting--;
		if (expired && !c->closed && c->len == 0) {
			err = LEASH_ETIMEDOUT;
			goto done;
		}
	}
	if (c->len == 0) {
		err = LEASH_ECLOSED;
		goto done;
	}
	*out = c->ring[c->head];
	if (++c->head == c->cap)
		c->head = 0;
	c->len--;
	if (c->send_waiting)
		pthread_cond_signal(&c->can_send);
done:
	pthread_mutex_unlock(&c->lock);
	return err;
}

int leash_chan_close(leash_chan *c)
{
	int err = 0;

	if (!c)
		return LEASH_EINVAL;
	pthread_mutex_lock(&c->lock);
	if (c->closed) {
		err = LEASH_ECLOSED;
	} else {
		c->closed = 1;
		pthread_cond_broadcast(&c->can_recv);
		pthread_cond_broadcast(&c->can_send);
	}
	pthread_mutex_unlock(&c->lock);
	return err;
}

size_t leash_chan_len(leash_chan *c)
{
	size_t n;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	n = c->len;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void leash_chan_destroy(leash_chan *c)
{
	if (!c)
		return;
	pthread_cond_destroy(&c->can_send);
	pthread_cond_destroy(&c->can_recv);
	pthread_mutex_destroy(&c->lock);
	free(c->ring);
	free(c);
}
