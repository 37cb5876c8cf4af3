/*
 * pool_bench.c: small-task throughput and wake-up latency of leash_pool, a plain
 * mutex+condvar bounded queue, and GLib's GThreadPool, side by side in one run.
 *
 * Throughput: one producer submits N tiny tasks as fast as it can (blocking when the
 * queue is full; GThreadPool's queue is unbounded), timed until the last one ran.
 * Latency: one task at a time, the time from submit to the task starting (the cost
 * of waking an idle worker), p50 and p99 over many round trips.
 * Usage: pool_bench [-w workers] [-q queue_cap] [-n tasks] [-l latency_rounds] [-r runs]
 */
#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <leash/leash.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the work: a counter and a few instructions, or a latency probe ---- */

static atomic_long completed;
static _Atomic int64_t probe_start;
static atomic_int probe_done;

static void tiny_task(void *arg)
{
	volatile int spin;

	for (spin = 0; spin < 20; spin++)
		;
	atomic_fetch_add_explicit(&completed, 1, memory_order_relaxed);
}

static void probe_task(void *arg)
{
	atomic_store_explicit(&probe_start, now_ns(), memory_order_relaxed);
	atomic_store_explicit(&probe_done, 1, memory_order_release);
}

/* ---- a plain bounded queue: one mutex, two condvars, signal on every op ---- */

struct plain_task {
	void (*fn)(void *);
	void *arg;
};

struct plain {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	struct plain_task *ring;
	size_t cap, head, len;
	int closed;
	pthread_t *threads;
	int nthreads;
};

static void *plain_worker(void *arg)
{
	struct plain *q = arg;
	struct plain_task t;

	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->len == 0 && !q->closed)
			pthread_cond_wait(&q->not_empty, &q->lock);
		if (q->len == 0) {
			pthread_mutex_unlock(&q->lock);
			return NULL;
		}
		t = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
		pthread_cond_signal(&q->not_full);
		pthread_mutex_unlock(&q->lock);
		t.fn(t.arg);
	}
}

static void *plain_create(int workers, size_t cap)
{
	struct plain *q = calloc(1, sizeof(*q));
	int i;

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	q->ring = calloc(cap, sizeof(*q->ring));
	q->cap = cap;
	q->threads = calloc((size_t)workers, sizeof(*q->threads));
	q->nthreads = workers;
	for (i = 0; i < workers; i++)
		pthread_create(&q->threads[i], NULL, plain_worker, q);
	return q;
}

static void plain_submit(void *p, void (*fn)(void *), void *arg)
{
	struct plain *q = p;

	pthread_mutex_lock(&q->lock);
	while (q->len == q->cap)
		pthread_cond_wait(&q->not_full, &q->lock);
	q->ring[(q->head + q->len) % q->cap] = (struct plain_task){fn, arg};
	q->len++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

static void plain_finish(void *p)
{
	struct plain *q = p;
	int i;

	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
	for (i = 0; i < q->nthreads; i++)
		pthread_join(q->threads[i], NULL);
	free(q->threads);
	free(q->ring);
	free(q);
}

/* ---- leash_pool ---- */

static void *leash_create(int workers, size_t cap)
{
	leash_pool *p;

	if (leash_pool_create(&p, workers, cap, "bench") < 0) {
		fprintf(stderr, "leash_pool_create failed\n");
		exit(1);
	}
	return p;
}

static void leash_submit(void *p, void (*fn)(void *), void *arg)
{
	int err = leash_pool_submit(p, fn, arg, LEASH_FOREVER);

	if (err < 0) {
		fprintf(stderr, "leash_pool_submit: %s\n", leash_strerror(err));
		exit(1);
	}
}

static void leash_finish(void *p)
{
	leash_pool_close(p);
	leash_pool_join(p, LEASH_FOREVER);
	leash_pool_destroy(p);
}

/* ---- GThreadPool ---- */

struct gpool {
	GThreadPool *pool;
	void (*fn)(void *);
};

static void gpool_run(gpointer data, gpointer user)
{
	struct gpool *g = user;

	g->fn(data);
}

static struct gpool *gpool_current;

static void *glib_create(int workers, size_t cap)
{
	struct gpool *g = calloc(1, sizeof(*g));

	(void)cap; /* GThreadPool's queue has no bound */
	g->pool = g_thread_pool_new(gpool_run, g, workers, TRUE, NULL);
	gpool_current = g;
	return g;
}

static void glib_submit(void *p, void (*fn)(void *), void *arg)
{
	struct gpool *g = p;

	g->fn = fn; /* one kind of task per run */
	g_thread_pool_push(g->pool, arg ? arg : (void *)1, NULL);
}

static void glib_finish(void *p)
{
	struct gpool *g = p;

	g_thread_pool_free(g->pool, FALSE, TRUE);
	free(g);
}

/* ---- the runs ---- */

struct impl {
	const char *name;
	void *(*create)(int workers, size_t cap);
	void (*submit)(void *p, void (*fn)(void *), void *arg);
	void (*finish)(void *p);
};

static const struct impl impls[] = {
	{"leash_pool", leash_create, leash_submit, leash_finish},
	{"plain mutex+condvar", plain_create, plain_submit, plain_finish},
	{"GThreadPool", glib_create, glib_submit, glib_finish},
};
#define NIMPLS (sizeof(impls) / sizeof(impls[0]))

static double throughput(const struct impl *im, int workers, size_t cap, long n)
{
	void *p = im->create(workers, cap);
	int64_t t0;
	long i;

	atomic_store(&completed, 0);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		im->submit(p, tiny_task, NULL);
	while (atomic_load_explicit(&completed, memory_order_relaxed) < n)
		;
	im->finish(p);
	return (double)n / ((double)(now_ns() - t0) / 1e9);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void latency(const struct impl *im, int workers, size_t cap, int rounds, double *p50,
		    double *p99)
{
	int64_t *lat = calloc((size_t)rounds, sizeof(*lat));
	void *p = im->create(workers, cap);
	int i;

	for (i = 0; i < rounds; i++) {
		int64_t t0;

		atomic_store(&probe_done, 0);
		usleep(i % 2 ? 50 : 0); /* let the workers go back to sleep, half the time */
		t0 = now_ns();
		im->submit(p, probe_task, NULL);
		while (!atomic_load_explicit(&probe_done, memory_order_acquire))
			;
		lat[i] = atomic_load(&probe_start) - t0;
	}
	im->finish(p);
	qsort(lat, (size_t)rounds, sizeof(*lat), cmp_i64);
	*p50 = (double)lat[rounds / 2] / 1000.0;
	*p99 = (double)lat[(size_t)rounds * 99 / 100] / 1000.0;
	free(lat);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int workers = 2, rounds = 20000, runs = 5, opt, r;
	size_t cap = 1024, k;
	long n = 1000000;
	double tp[NIMPLS][16], p50[NIMPLS], p99[NIMPLS], med[NIMPLS];

	while ((opt = getopt(argc, argv, "w:q:n:l:r:")) != -1) {
		switch (opt) {
		case 'w': workers = atoi(optarg); break;
		case 'q': cap = (size_t)atol(optarg); break;
		case 'n': n = atol(optarg); break;
		case 'l': rounds = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-w workers] [-q cap] [-n tasks] [-l rounds] [-r runs]\n",
				argv[0]);
			return 2;
		}
	}
	if (workers < 1 || cap < 1 || n < 1 || rounds < 100 || runs < 1 || runs > 16) {
		fprintf(stderr, "pool_bench: bad arguments\n");
		return 2;
	}
	/* Interleave the implementations run by run, so that drifts hit all alike. */
	for (r = 0; r < runs; r++)
		for (k = 0; k < NIMPLS; k++)
			tp[k][r] = throughput(&impls[k], workers, cap, n);
	for (k = 0; k < NIMPLS; k++) {
		qsort(tp[k], (size_t)runs, sizeof(double), cmp_double);
		med[k] = tp[k][runs / 2];
		latency(&impls[k], workers, cap, rounds, &p50[k], &p99[k]);
	}

	printf("pool_bench: %d workers, queue %zu, %ld tiny tasks x %d runs (median), "
	       "%d latency rounds, %ld cores\n",
	       workers, cap, n, runs, rounds, sysconf(_SC_NPROCESSORS_ONLN));
	printf("%-22s %14s %10s %14s %14s\n", "implementation", "tasks/s", "vs plain",
	       "latency p50 us", "latency p99 us");
	for (k = 0; k < NIMPLS; k++)
		printf("%-22s %14.0f %9.2fx %14.1f %14.1f\n", impls[k].name, med[k], med[k] / med[1],
		       p50[k], p99[k]);
	return 0;
}
