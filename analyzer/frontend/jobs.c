/* jobs.c - up to N long-lived worker processes analyse translation units, one at a
 * time each; the parent hands out jobs, reads the replies as they come, and replaces
 * a worker that crashes or outlives the per-TU time limit.
 *
 * Workers are forked once, not once per TU: each loads the front end (libclang,
 * frontend.h) after the fork, which costs tens of milliseconds, as much as parsing a
 * small file; the parent, which holds every TU's facts, never loads it.  A worker gets
 * job numbers on a pipe and answers each with one length-prefixed reply
 * (tu_isolate.c's encoding); a worker that dies mid-job fails that job only.  Jobs
 * are handed out as they are added, so parsing overlaps what the caller does next. */
#include "frontend/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "frontend/tu_isolate.h"

typedef struct {
  pid_t pid;     /* 0: no worker in this slot */
  int to, from;  /* job numbers out, replies in */
  int busy;
  size_t job;    /* position in the caller's job list, while busy */
  char *buf;
  size_t len, cap;
  double started;
} worker;

typedef struct {
  const lx_cmd *cmds;
  int timeout_s;
  lx_jobs_done done;
  void *arg;
  const lx_frontend_api *fe; /* in this process (run_here), once needed */
  void *index;
} ctx;

struct lx_jobs {
  ctx x;
  int in_process;          /* LEASH_ISOLATE=0 */
  int nworkers;
  worker *ws;
  struct pollfd *pfd;
  LX_VEC(size_t) queue;    /* jobs added; queue.v[next..] wait for a worker */
  size_t next, finished;
  void (*old_pipe)(int);
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The worker's life: the front end loaded, then a job number in, a reply out, until
 * its input closes. */
static void worker_main(const ctx *x, int in, int out)
{
  signal(SIGPIPE, SIG_DFL);
  char why[4096];
  const lx_frontend_api *fe = lx_frontend_try(why, sizeof(why));
  if (!fe) {
    lx_tu_isolate_refuse(out, why); /* the parent says why and ends the run */
    _exit(121);
  }
  void *index = fe->index_new();
  fe->crash_recovery(0); /* (after the index, which turns it on) a crash ends this worker; the parent reports it */
  uint64_t job;
  while (lx_read_full(in, &job, sizeof(job)) == 0)
    if (lx_tu_isolate_reply(fe, index, &x->cmds[job], out) < 0)
      _exit(122);
  _exit(0); /* no atexit handlers, no stdio flush: those are the parent's */
}

/* Closes every descriptor above 2 but a and b (one system call each range). */
static void keep_only(int a, int b)
{
  int lo = a < b ? a : b, hi = a < b ? b : a;
  int ranges[3][2] = {{3, lo - 1}, {lo + 1, hi - 1}, {hi + 1, -1}};
  for (int i = 0; i < 3; i++) {
    unsigned first = (unsigned)ranges[i][0], last = ranges[i][1] < 0 ? ~0U : (unsigned)ranges[i][1];
    if (ranges[i][1] >= 0 && ranges[i][0] > ranges[i][1])
      continue;
    if (close_range(first, last, 0) == 0)
      continue;
    for (unsigned fd = first; fd <= last && fd < 4096; fd++) /* a kernel without close_range */
      close((int)fd);
  }
}

static int worker_start(const ctx *x, worker *w)
{
  int down[2], up[2];
  if (pipe(down) < 0)
    return -1;
  if (pipe(up) < 0) {
    close(down[0]);
    close(down[1]);
    return -1;
  }
  fflush(stdout);
  fflush(stderr);
  /* leash:ignore unbounded-spawn refills one of the -j worker slots: at most `workers` run */
  pid_t pid = fork();
  if (pid < 0) {
    close(down[0]);
    close(down[1]);
    close(up[0]);
    close(up[1]);
    return -1;
  }
  if (pid == 0) {
    /* Keep only this worker's two pipe ends: an inherited write end of another
     * worker's pipe would keep that worker from ever seeing its input close. */
    keep_only(down[0], up[1]);
    worker_main(x, down[0], up[1]);
  }
  close(down[0]);
  close(up[1]);
  fcntl(down[1], F_SETFD, FD_CLOEXEC);
  fcntl(up[0], F_SETFD, FD_CLOEXEC);
  fcntl(up[0], F_SETFL, fcntl(up[0], F_GETFL) | O_NONBLOCK);
  memset(w, 0, sizeof(*w));
  w->pid = pid;
  w->to = down[1];
  w->from = up[0];
  return 0;
}

/* How worker_stop ends a worker. */
enum { STOP_WAIT, STOP_KILL, STOP_NO_WAIT };

/* Ends a worker: closes its pipes (an idle worker then exits), kills it for
 * STOP_KILL, and reaps it; returns its status.  With STOP_NO_WAIT it is reaped only if
 * already gone (its status is then of no interest): tearing down libclang's address
 * space takes milliseconds, and whoever reaps this process's children later (init,
 * once this process ends) reaps it. */
static int worker_stop(worker *w, int how)
{
  int status = 0;
  close(w->to);
  close(w->from);
  if (how == STOP_KILL)
    kill(w->pid, SIGKILL);
  while (waitpid(w->pid, &status, how == STOP_NO_WAIT ? WNOHANG : 0) < 0 && errno == EINTR)
    ;
  free(w->buf);
  memset(w, 0, sizeof(*w));
  return status;
}

/* Reports job k with a status but no reply (the worker died or was stopped). */
static void fail_job(const ctx *x, size_t k, int status, int timed_out)
{
  char *diag = NULL;
  size_t dlen = 0;
  FILE *mem = open_memstream(&diag, &dlen);
  const lx_cmd *c = &x->cmds[k];
  if (mem && timed_out)
    fprintf(mem, "%s: error: analysing this translation unit took longer than %d s; it was stopped and "
                 "not analysed (raise the limit with --timeout)\n", c->file, x->timeout_s);
  else if (mem)
    lx_tu_isolate_say_crash(c, status, mem);
  if (mem)
    fclose(mem);
  x->done(x->arg, k, LX_TU_FAILED, NULL, diag ? diag : "", NULL, 0);
  free(diag);
}

/* A whole reply in w->buf: decode it and hand it over.  Returns 1 when it was whole. */
static int take_reply(const ctx *x, worker *w)
{
  uint64_t total;
  if (w->len < sizeof(total))
    return 0;
  memcpy(&total, w->buf, sizeof(total));
  if (w->len - sizeof(total) < total) /* (a refusal's length is the largest there is) */
    return 0;
  char *diag = NULL;
  size_t dlen = 0;
  FILE *mem = open_memstream(&diag, &dlen);
  lx_tu_facts *f = NULL;
  size_t k = w->job;
  const unsigned char *bytes = NULL;
  size_t nbytes = 0;
  lx_tu_status st = lx_tu_isolate_decode(&x->cmds[k], w->buf, sizeof(total) + total, &f, mem, &bytes,
                                         &nbytes);
  if (mem)
    fclose(mem);
  w->len = 0;
  w->busy = 0;
  x->done(x->arg, k, st, f, diag ? diag : "", bytes, nbytes);
  free(diag);
  return 1;
}

/* In-process, one at a time: LEASH_ISOLATE=0, or when no worker can be started (the
 * front end is then loaded here). */
static void run_here(ctx *x, size_t k)
{
  if (!x->fe) {
    x->fe = lx_frontend();
    x->index = x->fe->index_new();
  }
  char *diag = NULL;
  size_t dlen = 0;
  FILE *mem = open_memstream(&diag, &dlen);
  lx_tu_facts *f = NULL;
  lx_tu_status st = x->fe->tu_analyse(x->index, &x->cmds[k], &f, mem ? mem : stderr);
  if (mem)
    fclose(mem);
  x->done(x->arg, k, st, f, diag ? diag : "", NULL, 0);
  free(diag);
}

/* Reads what w has sent; a reply completes its job, an end of file means it died. */
static void drain(const ctx *x, worker *w)
{
  for (;;) {
    if (w->cap - w->len < 65536) {
      w->cap = w->cap ? w->cap * 2 : 1 << 17;
      w->buf = lx_xrealloc(w->buf, w->cap);
    }
    ssize_t r = read(w->from, w->buf + w->len, w->cap - w->len);
    if (r > 0) {
      w->len += (size_t)r;
      if (w->busy)
        take_reply(x, w);
      continue;
    }
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0 && errno == EAGAIN)
      return;
    /* End of file: the worker died (a libclang crash, a stack overflow), or it could
     * not load the front end, and then no worker can. */
    char *why = lx_tu_isolate_refused(w->buf, w->len);
    if (why)
      lx_frontend_fail(why);
    int busy = w->busy;
    size_t k = w->job;
    int status = worker_stop(w, STOP_WAIT);
    if (busy)
      fail_job(x, k, status, 0);
    return;
  }
}

/* Hands waiting jobs to idle workers, starting workers as needed. */
static void dispatch(lx_jobs *j)
{
  for (int i = 0; i < j->nworkers && j->next < j->queue.n; i++) {
    worker *w = &j->ws[i];
    if (w->busy)
      continue;
    size_t job = j->queue.v[j->next];
    if (!w->pid && worker_start(&j->x, w) < 0) {
      j->next++;
      run_here(&j->x, job);
      j->finished++;
      continue;
    }
    uint64_t id = job;
    if (write(w->to, &id, sizeof(id)) != (ssize_t)sizeof(id)) {
      j->next++;
      fail_job(&j->x, job, worker_stop(w, STOP_KILL), 0);
      j->finished++;
      continue;
    }
    j->next++;
    w->busy = 1;
    w->job = job;
    w->started = now_s();
  }
}

/* Takes what the workers sent, waiting up to the earliest time limit when block
 * (else not at all), and stops the workers that outlived it. */
static void progress(lx_jobs *j, int block)
{
  int wait_ms = block ? -1 : 0, nbusy = 0;
  double t = now_s();
  for (int i = 0; i < j->nworkers; i++) {
    worker *w = &j->ws[i];
    j->pfd[i].fd = w->pid ? w->from : -1;
    j->pfd[i].events = POLLIN;
    j->pfd[i].revents = 0;
    if (!w->busy)
      continue;
    nbusy++;
    if (block && j->x.timeout_s > 0) {
      double left = w->started + j->x.timeout_s - t;
      int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
      if (wait_ms < 0 || ms < wait_ms)
        wait_ms = ms;
    }
  }
  if (!nbusy)
    return;
  if (poll(j->pfd, (nfds_t)j->nworkers, wait_ms) < 0 && errno != EINTR)
    return;
  t = now_s();
  for (int i = 0; i < j->nworkers; i++) {
    worker *w = &j->ws[i];
    if (!w->pid)
      continue;
    int was_busy = w->busy;
    if (j->pfd[i].revents)
      drain(&j->x, w);
    if (was_busy && (!w->pid || !w->busy)) {
      j->finished++;
      continue;
    }
    if (w->busy && j->x.timeout_s > 0 && t - w->started >= j->x.timeout_s) {
      size_t k = w->job;
      worker_stop(w, STOP_KILL);
      fail_job(&j->x, k, 0, 1);
      j->finished++;
    }
  }
}

lx_jobs *lx_jobs_begin(const lx_cmd *cmds, int workers, int timeout_s, lx_jobs_done done, void *arg)
{
  lx_jobs *j = lx_xcalloc(1, sizeof(*j));
  j->x = (ctx){cmds, timeout_s, done, arg, NULL, NULL};
  const char *env = getenv("LEASH_ISOLATE");
  j->in_process = env && !strcmp(env, "0");
  j->nworkers = workers < 1 ? 1 : workers;
  j->ws = lx_xcalloc((size_t)j->nworkers, sizeof(worker));
  j->pfd = lx_xcalloc((size_t)j->nworkers, sizeof(struct pollfd));
  j->old_pipe = signal(SIGPIPE, SIG_IGN); /* a dead worker's pipe: EPIPE, not death */
  return j;
}

void lx_jobs_add(lx_jobs *j, size_t job)
{
  if (j->in_process) {
    run_here(&j->x, job);
    return;
  }
  lx_vec_push(&j->queue, job);
  progress(j, 0); /* a worker that has finished takes the next job now */
  dispatch(j);
}

void lx_jobs_end(lx_jobs *j)
{
  while (j->finished < j->queue.n) {
    dispatch(j);
    progress(j, 1);
  }
  for (int i = 0; i < j->nworkers; i++)
    if (j->ws[i].pid)
      worker_stop(&j->ws[i], STOP_NO_WAIT); /* every job is answered: it is idle */
  signal(SIGPIPE, j->old_pipe);
  if (j->x.index)
    j->x.fe->index_free(j->x.index);
  lx_vec_free(&j->queue);
  free(j->pfd);
  free(j->ws);
  free(j);
}
