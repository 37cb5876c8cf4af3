/* schedule.c - the order in which a run looks at its jobs: the changed first, then the heaviest. */
#include <stdlib.h>
#include <sys/types.h>

#include "cli/check_internal.h"

/* The jobs in the order to look at them: those whose main file changed since the
 * last run first (most likely to need parsing: it starts at once), then heaviest
 * first, so that -j workers do not end with one of them parsing a big TU alone while
 * the others wait (the biggest TU of memcached takes a seventh of the whole).  Facts
 * stay in job order. */
typedef struct {
  size_t job;
  int stamped; /* the main file is as the last run recorded it */
  off_t size;
} work;

static int by_likely_work(const void *a, const void *b)
{
  const work *x = a, *y = b;
  if (x->stamped != y->stamped)
    return x->stamped - y->stamped;
  if (x->size != y->size)
    return x->size < y->size ? 1 : -1;
  return (x->job > y->job) - (x->job < y->job);
}

size_t *lx_check_work_order(const run *r, char (*hashes)[17], signed char *keyed)
{
  size_t n = r->jobs.n, *order = lx_xcalloc(n ? n : 1, sizeof(size_t)), likely = 0;
  work *w = lx_xcalloc(n ? n : 1, sizeof(work));
  for (size_t i = 0; i < n; i++) {
    w[i].job = i;
    w[i].stamped = lx_cache_stamped(r->jobs.v[i].file, &w[i].size);
    likely += !w[i].stamped;
  }
  /* More TUs to parse than workers: the heaviest first, weighed by everything they
   * include (a short file that includes the project's big header is no quick job), so
   * that none is left to run alone at the end: the size lx_cache_key reports, its key
   * kept for lx_check_analyse() (keyed[i]: 1 done, -1 unreadable).  One or two (a file changed)
   * start at once. */
  if (likely > (size_t)(r->o->jobs > 1 ? r->o->jobs : 1)) /* -j is resolved by then */
    for (size_t i = 0; i < n; i++)
      if (!w[i].stamped) {
        uint64_t bytes = 0;
        keyed[i] = lx_cache_key(&r->jobs.v[i], r->facts_version, r->tu_keys[i], hashes[i], &bytes) == 0 ? 1 : -1;
        w[i].size = (off_t)bytes;
      }
  qsort(w, n, sizeof(*w), by_likely_work);
  for (size_t i = 0; i < n; i++)
    order[i] = w[i].job;
  free(w);
  return order;
}
