/* jobs.c - runs up to N isolated TU analyses at once (tu_isolate.c forks one child per
 * TU), reads their replies as they come, and stops any that outlive the time limit. */
#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tu_isolate.h"

typedef struct {
  size_t job;   /* index into the caller's job list */
  pid_t pid;
  int fd;
  char *buf;
  size_t len, cap;
  double started;
} slot;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void finish(const lx_cmd *cmds, const size_t *jobs, slot *s, int timed_out, int timeout_s,
                   lx_jobs_done done, void *arg)
{
  char *diag = NULL;
  size_t dlen = 0;
  FILE *mem = open_memstream(&diag, &dlen);
  lx_tu_facts *f = NULL;
  const lx_cmd *c = &cmds[jobs[s->job]];
  lx_tu_status st = lx_tu_isolate_finish(c, s->pid, s->buf, s->len, timed_out, timeout_s, &f, mem);
  if (mem)
    fclose(mem);
  close(s->fd);
  free(s->buf);
  done(arg, s->job, st, f, diag ? diag : "");
  free(diag);
  memset(s, 0, sizeof(*s));
  s->fd = -1;
}

/* In-process, one at a time: LEASH_ISOLATE=0, or when no child can be started. */
static void run_here(void *index, const lx_cmd *cmds, const size_t *jobs, size_t job, lx_jobs_done done, void *arg)
{
  char *diag = NULL;
  size_t dlen = 0;
  FILE *mem = open_memstream(&diag, &dlen);
  lx_tu_facts *f = NULL;
  lx_tu_status st = lx_tu_analyse(index, &cmds[jobs[job]], &f, mem ? mem : stderr);
  if (mem)
    fclose(mem);
  done(arg, job, st, f, diag ? diag : "");
  free(diag);
}

void lx_jobs_run(void *index, const lx_cmd *cmds, const size_t *jobs, size_t n, int workers, int timeout_s,
                 lx_jobs_done done, void *arg)
{
  const char *env = getenv("LEASH_ISOLATE");
  if (env && !strcmp(env, "0")) {
    for (size_t i = 0; i < n; i++)
      run_here(index, cmds, jobs, i, done, arg);
    return;
  }
  if (workers < 1)
    workers = 1;
  slot *slots = lx_xcalloc((size_t)workers, sizeof(slot));
  struct pollfd *pfd = lx_xcalloc((size_t)workers, sizeof(struct pollfd));
  for (int w = 0; w < workers; w++)
    slots[w].fd = -1;
  size_t next = 0, busy = 0;
  while (next < n || busy) {
    /* Fill idle slots. */
    for (int w = 0; w < workers && next < n; w++) {
      if (slots[w].fd >= 0)
        continue;
      slot *s = &slots[w];
      s->job = next;
      s->pid = lx_tu_isolate_start(index, &cmds[jobs[next]], &s->fd);
      if (s->pid < 0) {
        s->fd = -1;
        run_here(index, cmds, jobs, next++, done, arg);
        continue;
      }
      fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
      s->started = now_s();
      next++;
      busy++;
    }
    if (!busy)
      continue;
    /* Wait for replies, or for the earliest time limit. */
    int wait_ms = -1;
    double t = now_s();
    for (int w = 0; w < workers; w++) {
      pfd[w].fd = slots[w].fd;
      pfd[w].events = POLLIN;
      pfd[w].revents = 0;
      if (slots[w].fd >= 0 && timeout_s > 0) {
        double left = slots[w].started + timeout_s - t;
        int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
        if (wait_ms < 0 || ms < wait_ms)
          wait_ms = ms;
      }
    }
    int rc = poll(pfd, (nfds_t)workers, wait_ms);
    if (rc < 0 && errno != EINTR)
      break;
    t = now_s();
    for (int w = 0; w < workers; w++) {
      slot *s = &slots[w];
      if (s->fd < 0)
        continue;
      if (pfd[w].revents) {
        for (;;) {
          if (s->cap - s->len < 65536) {
            s->cap = s->cap ? s->cap * 2 : 1 << 17;
            s->buf = lx_xrealloc(s->buf, s->cap);
          }
          ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
          if (r > 0) {
            s->len += (size_t)r;
            continue;
          }
          if (r < 0 && errno == EINTR)
            continue;
          if (r == 0) { /* the child is done: its reply is whole */
            finish(cmds, jobs, s, 0, timeout_s, done, arg);
            busy--;
          }
          break; /* EAGAIN: more later */
        }
      }
      if (s->fd >= 0 && timeout_s > 0 && t - s->started >= timeout_s) {
        finish(cmds, jobs, s, 1, timeout_s, done, arg);
        busy--;
      }
    }
  }
  free(pfd);
  free(slots);
}
