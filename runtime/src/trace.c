/*
 * trace.c: LEASH_TRACE=<ms>, one line per period on stderr with the threads and the
 * pools' queues (the GODEBUG=schedtrace of C). Its thread is a plain pthread, not a
 * tracked one, so it never shows in leash_verify_none; it stops at exit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t trace_cond;
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;
static pthread_once_t auto_once = PTHREAD_ONCE_INIT;
static pthread_once_t atexit_once = PTHREAD_ONCE_INIT;
static int cond_ok;
static int running;
static int stopping;
static int64_t period_ns;
static pthread_t trace_tid;

static void cond_init(void)
{
	cond_ok = leash_cond_init(&trace_cond) == 0;
}

static void print_pool(const char *name, unsigned id, const struct leash_pool_stats *st,
		       void *arg)
{
	FILE *out = arg;

	fprintf(out, " pool[%s#%u]: workers=%zu active=%zu queue=%zu/%zu completed=%" PRIu64
		     " rejected=%" PRIu64 "%s",
		name, id, st->workers, st->active, st->queue_depth, st->queue_cap, st->completed,
		st->rejected, st->closed ? " closed" : "");
}

static void *trace_main(void *arg)
{
	int64_t start = leash_clock_now_ns(), next = start;
	char *line = NULL;
	size_t len = 0;
	FILE *mem;

	(void)arg;
	pthread_mutex_lock(&trace_lock);
	while (!stopping) {
		next += period_ns;
		while (!stopping && !leash_cond_wait_until(&trace_cond, &trace_lock, next))
			;
		if (stopping)
			break;
		pthread_mutex_unlock(&trace_lock);
		/* Build the line in memory so that it reaches stderr in one write. */
		if ((mem = open_memstream(&line, &len))) {
			fprintf(mem, "LEASH %" PRId64 "ms: threads=%d",
				(leash_clock_now_ns() - start) / 1000000, leash_thread_count());
			leash_pool_foreach(print_pool, mem);
			fputc('\n', mem);
			if (fclose(mem) == 0)
				fputs(line, stderr);
			free(line);
			line = NULL;
		}
		pthread_mutex_lock(&trace_lock);
	}
	pthread_mutex_unlock(&trace_lock);
	return NULL;
}

static void stop_at_exit(void)
{
	leash_trace_stop();
}

static void register_atexit(void)
{
	atexit(stop_at_exit);
}

int leash_trace_start(int64_t period_ms)
{
	int err = 0;

	if (period_ms < 1 || period_ms > INT64_MAX / 1000000)
		return LEASH_EINVAL;
	pthread_once(&cond_once, cond_init);
	if (!cond_ok)
		return LEASH_ESYS;
	pthread_once(&atexit_once, register_atexit);
	pthread_mutex_lock(&trace_lock);
	if (running) {
		err = LEASH_EBUSY;
		goto done;
	}
	period_ns = period_ms * 1000000;
	stopping = 0;
	if (pthread_create(&trace_tid, NULL, trace_main, NULL) != 0) {
		err = LEASH_ESYS;
		goto done;
	}
	running = 1;
done:
	pthread_mutex_unlock(&trace_lock);
	return err;
}

int leash_trace_stop(void)
{
	pthread_t tid;

	pthread_once(&cond_once, cond_init);
	pthread_mutex_lock(&trace_lock);
	if (!running || stopping) {
		pthread_mutex_unlock(&trace_lock);
		return 0;
	}
	stopping = 1;
	tid = trace_tid;
	pthread_cond_broadcast(&trace_cond);
	pthread_mutex_unlock(&trace_lock);
	pthread_join(tid, NULL);
	pthread_mutex_lock(&trace_lock);
	running = 0;
	stopping = 0;
	pthread_mutex_unlock(&trace_lock);
	return 0;
}

static void autostart(void)
{
	const char *v = getenv("LEASH_TRACE");
	char *end;
	long long ms;

	if (!v || !*v)
		return;
	ms = strtoll(v, &end, 10);
	if (*end != '\0' || ms < 1) {
		fprintf(stderr, "leash: LEASH_TRACE=%s is not a period in ms; no trace\n", v);
		return;
	}
	leash_trace_start(ms);
}

void leash_trace_autostart(void)
{
	pthread_once(&auto_once, autostart);
}
