/* output.c - how a run ends for its user: the report, the exit status, and what is said on stderr
 * (a shard's or a baseline's line, failures, a clean run). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/check_internal.h"

/* Notes by file, then text: workers finish in any order, the report does not change. */
static int by_file(const void *a, const void *b)
{
  const lx_notification *x = a, *y = b;
  int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
  return c ? c : strcmp(x->message ? x->message : "", y->message ? y->message : "");
}

int lx_check_emit(run *r, int exit_code)
{
  const lx_check_opts *o = r->o;
  int color = o->color >= 0 ? o->color : (!o->output && isatty(fileno(stdout)));
  char ended[32];
  lx_emit_opts eo = {.root = r->root, .color = color && o->format == LX_FMT_TEXT, .sources = r->sources};
  lx_emit_opts_tool(&eo);
  eo.start_utc = r->started;
  eo.end_utc = lx_utc_now(ended, sizeof(ended));
  eo.exit_code = exit_code;
  eo.argv = (const char *const *)o->argv;
  eo.argc = o->argc;
  if (r->notes.n)
    qsort(r->notes.v, r->notes.n, sizeof(*r->notes.v), by_file);
  eo.notes = r->notes.v;
  eo.nnotes = r->notes.n;
  return lx_report_write(o->output, o->format, &r->findings, &eo);
}

int lx_check_exit_status(const run *r)
{
  if (r->tu_failed)
    return LX_EXIT_TU;
  for (size_t i = 0; i < r->findings.v.n; i++)
    if (!r->findings.v.v[i].suppressed && r->findings.v.v[i].severity >= r->o->fail_on)
      return LX_EXIT_FINDINGS;
  return LX_EXIT_OK;
}

size_t lx_check_tu_count(const run *r) { return r->o->merge_inputs ? r->shards.n : r->jobs.n; }

void lx_check_say_tu_failures(const run *r, size_t total)
{
  if (r->tu_failed && !r->o->quiet)
    fprintf(stderr, "leash: %d of %zu translation unit(s) had errors; findings are from what could be parsed\n",
            r->tu_failed, total);
}

/* A run with nothing to report says so, in one line, to someone watching the terminal
 * (a script or CI log reading stderr gets nothing). */
void lx_check_say_clean(const run *r, size_t total)
{
  if (r->o->quiet || r->tu_failed || !isatty(STDERR_FILENO))
    return;
  size_t suppressed = 0;
  for (size_t i = 0; i < r->findings.v.n; i++) {
    if (!r->findings.v.v[i].suppressed)
      return;
    suppressed++;
  }
  if (suppressed)
    fprintf(stderr, "leash: no findings in %zu translation unit(s) (%zu suppressed)\n", total, suppressed);
  else
    fprintf(stderr, "leash: no findings in %zu translation unit(s)\n", total);
}

/* A shard records its TUs' facts for `leash merge`; program-wide rules need them all. */
int lx_check_finish_shard(run *r)
{
  if (!r->o->quiet)
    fprintf(stderr, "leash: shard %d/%d: %zu translation unit(s) recorded in %s; run `leash merge` on "
                    "every shard's database for the findings\n", r->o->shard_k, r->o->shard_n, r->jobs.n,
            r->db_path);
  lx_check_say_tu_failures(r, r->jobs.n);
  return r->tu_failed ? LX_EXIT_TU : LX_EXIT_OK;
}

/* `leash baseline`: one line instead of the report. */
int lx_check_finish_baseline(run *r, int status)
{
  if (!r->o->quiet)
    printf("leash: baseline of %zu finding(s) recorded in %s (run %lld)\n", r->findings.v.n,
           r->db_path, (long long)r->run_id);
  lx_check_say_tu_failures(r, lx_check_tu_count(r));
  return status == LX_EXIT_TU ? LX_EXIT_TU : LX_EXIT_OK;
}

/* -o: a folder that cannot take the report is an error before anything is analysed or
 * recorded (the report itself is written to a temporary file there, then renamed). */
int lx_check_check_output(const lx_check_opts *o)
{
  if (!o->output)
    return 0;
  struct stat st;
  if (stat(o->output, &st) == 0 && S_ISDIR(st.st_mode))
    return lx_check_usage_error("%s: cannot write: %s", o->output, strerror(EISDIR));
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", o->output);
  char *slash = strrchr(dir, '/');
  if (!slash)
    snprintf(dir, sizeof(dir), ".");
  else
    slash[slash == dir] = '\0';
  if (access(dir, W_OK | X_OK) != 0)
    return lx_check_usage_error("%s: cannot write: %s", o->output, strerror(errno));
  return 0;
}
