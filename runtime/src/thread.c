/*
 * thread.c: tracked threads. Every thread started here is on one registry list from
 * its spawn until it is joined (or, detached, until it returns), which is what
 * leash_thread_count and leash_verify_none read.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define NAME_MAX_LEN 64
#define VERIFY_GRACE_MS 250

enum thread_state { THREAD_RUNNING, THREAD_EXITED };

struct leash_thread {
	pthread_t tid;
	leash_thread_fn fn;
	void *arg;
	char name[NAME_MAX_LEN];
	enum thread_state state;
	int detached;
	leash_thread *prev;
	leash_thread *next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reg_cond;
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;
static int reg_cond_ok;
static leash_thread *reg_head;
static int reg_count;

static void reg_init(void)
{
	reg_cond_ok = leash_cond_init(&reg_cond) == 0;
}

/* With reg_lock held. */
static void reg_unlink(leash_thread *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		reg_head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	reg_count--;
	pthread_cond_broadcast(&reg_cond);
}

/* The symbol name of fn into buf, or its address. */
static void describe_fn(leash_thread_fn fn, char *buf, size_t len)
{
	Dl_info info;
	void *addr;

	memcpy(&addr, &fn, sizeof(addr));
	if (dladdr(addr, &info) && info.dli_sname && info.dli_saddr == addr)
		snprintf(buf, len, "%s", info.dli_sname);
	else
		snprintf(buf, len, "%p", addr);
}

static void *trampoline(void *p)
{
	leash_thread *t = p;
	char short_name[16];
	void *result;

	memcpy(short_name, t->name, sizeof(short_name) - 1);
	short_name[sizeof(short_name) - 1] = '\0';
	pthread_setname_np(pthread_self(), short_name);
	result = t->fn(t->arg);

	pthread_mutex_lock(&reg_lock);
	t->state = THREAD_EXITED;
	if (t->detached) {
		reg_unlink(t);
		free(t);
	}
	pthread_mutex_unlock(&reg_lock);
	return result;
}

int leash_thread_spawn(leash_thread **out, leash_thread_fn fn, void *arg, const char *name)
{
	leash_thread *t = NULL;
	int err = 0;

	if (out)
		*out = NULL;
	if (!out || !fn)
		return LEASH_EINVAL;
	pthread_once(&reg_once, reg_init);
	if (!reg_cond_ok)
		return LEASH_ESYS;
	leash_trace_autostart();
	if (!(t = calloc(1, sizeof(*t)))) {
		err = LEASH_ENOMEM;
		goto done;
	}
	t->fn = fn;
	t->arg = arg;
	if (name)
		snprintf(t->name, sizeof(t->name), "%s", name);
	else
		describe_fn(fn, t->name, sizeof(t->name));

	pthread_mutex_lock(&reg_lock);
	t->next = reg_head;
	if (reg_head)
		reg_head->prev = t;
	reg_head = t;
	reg_count++;
	if (pthread_create(&t->tid, NULL, trampoline, t) != 0) {
		reg_unlink(t);
		pthread_mutex_unlock(&reg_lock);
		err = LEASH_ESYS;
		goto done;
	}
	pthread_mutex_unlock(&reg_lock);
	*out = t;
	t = NULL;
done:
	free(t);
	return err;
}

int leash_thread_join(leash_thread *t, void **result)
{
	void *r;

	if (!t || pthread_equal(t->tid, pthread_self()))
		return LEASH_EINVAL;
	if (pthread_join(t->tid, &r) != 0)
		return LEASH_ESYS;
	if (result)
		*result = r;
	pthread_mutex_lock(&reg_lock);
	reg_unlink(t);
	pthread_mutex_unlock(&reg_lock);
	free(t);
	return 0;
}

int leash_thread_detach(leash_thread *t)
{
	if (!t)
		return LEASH_EINVAL;
	pthread_mutex_lock(&reg_lock);
	if (pthread_detach(t->tid) != 0) {
		pthread_mutex_unlock(&reg_lock);
		return LEASH_ESYS;
	}
	if (t->state == THREAD_EXITED) {
		reg_unlink(t);
		free(t);
	} else {
		t->detached = 1;
	}
	pthread_mutex_unlock(&reg_lock);
	return 0;
}

int leash_thread_count(void)
{
	int n;

	pthread_mutex_lock(&reg_lock);
	n = reg_count;
	pthread_mutex_unlock(&reg_lock);
	return n;
}

/* With reg_lock held. */
static int list_locked(FILE *out)
{
	leash_thread *t;
	char entry[NAME_MAX_LEN];

	for (t = reg_head; t; t = t->next) {
		describe_fn(t->fn, entry, sizeof(entry));
		if (fprintf(out, "leash: thread \"%s\" (entry %s) %s%s\n", t->name, entry,
			    t->state == THREAD_RUNNING ? "running" : "exited, not joined",
			    t->detached ? ", detached" : "") < 0)
			return LEASH_ESYS;
	}
	return 0;
}

int leash_thread_list(FILE *out)
{
	int err;

	if (!out)
		return LEASH_EINVAL;
	pthread_mutex_lock(&reg_lock);
	err = list_locked(out);
	pthread_mutex_unlock(&reg_lock);
	return err;
}

/* With reg_lock held: 1 if some thread alive is detached (it will go by itself). */
static int any_detached_locked(void)
{
	leash_thread *t;

	for (t = reg_head; t; t = t->next)
		if (t->detached)
			return 1;
	return 0;
}

int leash_verify_none(void)
{
	int64_t deadline;
	int err = 0;

	pthread_once(&reg_once, reg_init);
	leash_deadline_from_ms(VERIFY_GRACE_MS, &deadline);
	pthread_mutex_lock(&reg_lock);
	while (reg_count > 0 && any_detached_locked() && reg_cond_ok)
		if (leash_cond_wait_until(&reg_cond, &reg_lock, deadline))
			break;
	if (reg_count > 0) {
		fprintf(stderr, "leash: %d thread%s still alive:\n", reg_count,
			reg_count == 1 ? "" : "s");
		list_locked(stderr);
		err = LEASH_EBUSY;
	}
	pthread_mutex_unlock(&reg_lock);
	return err;
}
