/*
 * metrics.c: libleash's state in the Prometheus text exposition format (0.0.4).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct metric {
	const char *name;
	const char *type;
	const char *help;
};

/* Per-pool metrics, in the order their values are read from a stats snapshot. */
static const struct metric pool_metrics[] = {
	{"leash_pool_workers", "gauge", "Worker threads of the pool."},
	{"leash_pool_queue_capacity", "gauge", "Capacity of the pool's queue."},
	{"leash_pool_queue_depth", "gauge", "Tasks accepted and waiting in the queue."},
	{"leash_pool_active", "gauge", "Tasks running now."},
	{"leash_pool_submitted_total", "counter", "Tasks accepted by the pool."},
	{"leash_pool_completed_total", "counter", "Tasks that ran to completion."},
	{"leash_pool_rejected_total", "counter",
	 "Submissions refused because the queue was full, the deadline passed or the pool "
	 "was closed."},
};

#define NPOOL_METRICS (sizeof(pool_metrics) / sizeof(pool_metrics[0]))

struct snapshot {
	char *name;
	unsigned id;
	uint64_t values[NPOOL_METRICS];
};

struct collect {
	struct snapshot *pools;
	size_t len;
	size_t cap;
	int err;
};

static void collect_pool(const char *name, unsigned id, const struct leash_pool_stats *st,
			 void *arg)
{
	struct collect *c = arg;
	struct snapshot *s;

	if (c->err)
		return;
	if (c->len == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct snapshot *p = realloc(c->pools, cap * sizeof(*p));

		if (!p) {
			c->err = LEASH_ENOMEM;
			return;
		}
		c->pools = p;
		c->cap = cap;
	}
	s = &c->pools[c->len];
	if (!(s->name = strdup(name))) {
		c->err = LEASH_ENOMEM;
		return;
	}
	s->id = id;
	s->values[0] = st->workers;
	s->values[1] = st->queue_cap;
	s->values[2] = st->queue_depth;
	s->values[3] = st->active;
	s->values[4] = st->submitted;
	s->values[5] = st->completed;
	s->values[6] = st->rejected;
	c->len++;
}

/* Writes a label value with \, " and newline escaped, as the format asks. */
static int write_label(FILE *out, const char *v)
{
	for (; *v; v++) {
		int rc;

		if (*v == '\\')
			rc = fputs("\\\\", out);
		else if (*v == '"')
			rc = fputs("\\\"", out);
		else if (*v == '\n')
			rc = fputs("\\n", out);
		else
			rc = fputc(*v, out);
		if (rc == EOF)
			return LEASH_ESYS;
	}
	return 0;
}

int leash_metrics_write(FILE *out)
{
	struct collect c = {0};
	size_t m, i;
	int err = 0;

	if (!out)
		return LEASH_EINVAL;
	leash_pool_foreach(collect_pool, &c);
	if ((err = c.err) < 0)
		goto done;
	if (fprintf(out,
		    "# HELP leash_threads Threads started by leash_thread_spawn and not yet "
		    "joined.\n# TYPE leash_threads gauge\nleash_threads %d\n",
		    leash_thread_count()) < 0) {
		err = LEASH_ESYS;
		goto done;
	}
	for (m = 0; m < NPOOL_METRICS; m++) {
		if (fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", pool_metrics[m].name,
			    pool_metrics[m].help, pool_metrics[m].name, pool_metrics[m].type) < 0) {
			err = LEASH_ESYS;
			goto done;
		}
		for (i = 0; i < c.len; i++) {
			if (fprintf(out, "%s{pool=\"", pool_metrics[m].name) < 0 ||
			    (err = write_label(out, c.pools[i].name)) < 0 ||
			    fprintf(out, "\",id=\"%u\"} %" PRIu64 "\n", c.pools[i].id,
				    c.pools[i].values[m]) < 0) {
				err = LEASH_ESYS;
				goto done;
			}
		}
	}
	if (fflush(out) == EOF)
		err = LEASH_ESYS;
done:
	for (i = 0; i < c.len; i++)
		free(c.pools[i].name);
	free(c.pools);
	return err;
}
