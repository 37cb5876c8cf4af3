/* build.c - builds a program in its stages: the graph and alias classes (program.c),
 * then the context (context.c) and the bottom-up summaries (summaries.c) on two threads,
 * then the caches the rules would fill on first use, so that the rules only read. */
#include <pthread.h>

#include "program/context.h"
#include "program/program.h"
#include "program/stages.h"

/* The second thread: the part of the context that runs beside the spawn summaries,
 * then (once the main thread may go on to per-event code) the bottom-up summaries. */
typedef struct {
  lx_program *p;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int beside_done;
} second_thread;

static void *second_main(void *arg)
{
  second_thread *st = arg;
  lx_context_beside(st->p);
  pthread_mutex_lock(&st->lock);
  st->beside_done = 1;
  pthread_cond_signal(&st->cond);
  pthread_mutex_unlock(&st->lock);
  lx_summaries_bottom_up(st->p);
  return NULL;
}

lx_program *lx_program_build(lx_tu_facts **tus, size_t ntus, const lx_config *cfg)
{
  return lx_program_build_with(tus, ntus, cfg, NULL);
}

lx_program *lx_program_build_with(lx_tu_facts **tus, size_t ntus, const lx_config *cfg, struct lx_memos *memos)
{
  lx_program *p = lx_program_graph(tus, ntus, cfg, memos);
  lx_summaries_start(p); /* before the threads: both read what it fills */
  /* On two threads when a second can be had: spawns beside start-up and waits, then
   * per-event code beside the bottom-up summaries. */
  second_thread st = {p, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
  pthread_t th;
  int threaded = pthread_create(&th, NULL, second_main, &st) == 0;
  if (!threaded) {
    lx_context_beside(p);
    lx_summaries_bottom_up(p);
  }
  lx_context_spawns(p);
  pthread_mutex_lock(&st.lock);
  while (threaded && !st.beside_done)
    pthread_cond_wait(&st.cond, &st.lock);
  pthread_mutex_unlock(&st.lock);
  lx_context_events(p);
  if (threaded)
    pthread_join(th, NULL);
  lx_context_seal(p);
  pthread_mutex_destroy(&st.lock);
  pthread_cond_destroy(&st.cond);
  return p;
}
