/* driver.c - runs the pipeline for `leash check`: compilation database -> translation
 * units -> facts -> program summaries -> rules -> suppressions -> report. */
#include "cli/driver.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cache/evaluation.h"
#include "cli/check_internal.h"
#include "facts/facts_bin.h"
#include "frontend/jobs.h"
#include "pipeline/pipeline.h"
#include "pipeline/suppress.h"
#include "pipeline/suppress_ids.h"
#include "program/partition.h"
#include "program/program.h"

int usage_error(const char *fmt, const char *a, const char *b)
{
  fputs("leash: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return LX_EXIT_USAGE;
}

int db_error(run *r)
{
  fprintf(stderr, "leash: %s\n", lx_db_error(r->db));
  return LX_EXIT_USAGE;
}

static int emit(run *r, int exit_code)
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
  eo.notes = r->notes.v;
  eo.nnotes = r->notes.n;
  return lx_report_write(o->output, o->format, &r->findings, &eo);
}

static void run_free(run *r)
{
  lx_db_close(r->db);
  lx_shard_tus_free(&r->shards);
  lx_vec_free(&r->notes);
  lx_arena_free(&r->arena);
  for (size_t i = 0; i < r->facts.n; i++)
    lx_facts_free(r->facts.v[i]);
  lx_vec_free(&r->facts);
  for (size_t i = 0; r->tu_facts && i < r->jobs.n; i++)
    lx_facts_free(r->tu_facts[i]);
  free(r->tu_facts);
  free(r->tu_cached);
  free(r->tu_keys);
  free(r->tu_digests);
  lx_cmds_free(&r->jobs);
  lx_cmds_free(&r->compdb_cmds);
  free(r->compdb);
  free(r->db_path);
  lx_findings_free(&r->findings);
  lx_sources_free(r->sources);
  lx_config_free(r->cfg);
  lx_facts_pool_free(r->pool); /* after every facts decoded into it */
}

static int exit_status(const run *r)
{
  if (r->tu_failed)
    return LX_EXIT_TU;
  for (size_t i = 0; i < r->findings.v.n; i++)
    if (!r->findings.v.v[i].suppressed && r->findings.v.v[i].severity >= r->o->fail_on)
      return LX_EXIT_FINDINGS;
  return LX_EXIT_OK;
}

static size_t tu_count(const run *r) { return r->o->merge_inputs ? r->shards.n : r->jobs.n; }

static void say_tu_failures(const run *r, size_t total)
{
  if (r->tu_failed && !r->o->quiet)
    fprintf(stderr, "leash: %d of %zu translation unit(s) had errors; findings are from what could be parsed\n",
            r->tu_failed, total);
}

/* A run with nothing to report says so, in one line, to someone watching the terminal
 * (a script or CI log reading stderr gets nothing). */
static void say_clean(const run *r, size_t total)
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
static int finish_shard(run *r)
{
  if (!r->o->quiet)
    fprintf(stderr, "leash: shard %d/%d: %zu translation unit(s) recorded in %s; run `leash merge` on "
                    "every shard's database for the findings\n", r->o->shard_k, r->o->shard_n, r->jobs.n,
            r->db_path);
  say_tu_failures(r, r->jobs.n);
  return r->tu_failed ? LX_EXIT_TU : LX_EXIT_OK;
}

/* `leash baseline`: one line instead of the report. */
static int finish_baseline(run *r, int status)
{
  if (!r->o->quiet)
    printf("leash: baseline of %zu finding(s) recorded in %s (run %lld)\n", r->findings.v.n,
           r->db_path, (long long)r->run_id);
  say_tu_failures(r, tu_count(r));
  return status == LX_EXIT_TU ? LX_EXIT_TU : LX_EXIT_OK;
}

/* -o: a folder that cannot take the report is an error before anything is analysed or
 * recorded (the report itself is written to a temporary file there, then renamed). */
static int check_output(const lx_check_opts *o)
{
  if (!o->output)
    return 0;
  struct stat st;
  if (stat(o->output, &st) == 0 && S_ISDIR(st.st_mode))
    return usage_error("%s: cannot write: %s", o->output, strerror(EISDIR));
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", o->output);
  char *slash = strrchr(dir, '/');
  if (!slash)
    snprintf(dir, sizeof(dir), ".");
  else
    slash[slash == dir] = '\0';
  if (access(dir, W_OK | X_OK) != 0)
    return usage_error("%s: cannot write: %s", o->output, strerror(errno));
  return 0;
}

static int prepare(run *r)
{
  const lx_check_opts *o = r->o;
  if ((o->shard_n || o->new_only || o->baseline || o->merge_inputs || o->pre_commit) && (o->no_db || o->verify))
    return usage_error("--shard, --new-only, --baseline, --pre-commit and merge need the findings database "
                       "(not --no-db or --verify)%s%s", "", "");
  if (o->pre_commit && (o->shard_n || o->baseline || o->merge_inputs))
    return usage_error("--pre-commit analyses the given files against the database's latest run; it does "
                       "not combine with --shard, --baseline or merge%s%s", "", "");
  int rc = check_output(o);
  if (!rc)
    rc = load_config(r);
  if (!rc)
    rc = check_rules_option(r);
  if (!rc)
    rc = o->merge_inputs ? read_shards(r) : plan(r);
  if (!rc && o->shard_n)
    select_shard(r);
  if (!rc) {
    if (!o->merge_inputs) /* a merge's project is the shards' (read_shards) */
      lx_project_root(r->compdb, r->project);
    r->db_path = o->db_path ? lx_xstrdup(o->db_path) : lx_default_db(r->compdb);
  }
  if (!rc && o->pre_commit) {
    rc = read_context(r);
    refresh_context(r);
  }
  if (!rc)
    rc = open_db(r);
  if (!rc)
    rc = begin_run(r);
  return rc;
}

/* Records, filters and reports the findings; returns the exit code. */
static int conclude(run *r)
{
  int rc = record_findings(r);
  if (!rc)
    rc = keep_new(r);
  if (rc)
    return rc;
  int status = exit_status(r);
  if (r->o->baseline)
    return finish_baseline(r, status);
  rc = emit(r, status);
  if (rc)
    return rc;
  say_tu_failures(r, tu_count(r));
  say_clean(r, tu_count(r));
  return status;
}

int lx_check(const lx_check_opts *o)
{
  run r;
  memset(&r, 0, sizeof(r));
  r.o = o;
  r.pool = lx_facts_pool_new();
  lx_findings_init(&r.findings);
  lx_arena_init(&r.arena);
  r.sources = lx_sources_new();
  if (!getcwd(r.root, sizeof(r.root)))
    r.root[0] = '\0';
  snprintf(r.facts_version, sizeof(r.facts_version), "%s/facts-%d.%d", LEASH_VERSION, LX_FACTS_VERSION,
           LX_FACTS_BIN_VERSION);
  int rc = prepare(&r);
  if (!rc)
    rc = o->merge_inputs ? record_shards(&r) : analyse(&r);
  if (!rc && o->pre_commit) {
    rc = load_facts(&r);
    add_context(&r);
  }
  if (!rc && o->shard_n) {
    rc = finish_shard(&r);
  } else if (!rc && !(rc = evaluate(&r))) {
    if (o->pre_commit)
      keep_given(&r);
    rc = o->verify ? verify(&r) : conclude(&r);
  }
  if (r.db && r.run_id)
    rc = end_run(&r, rc);
  run_free(&r);
  return rc;
}

int lx_facts_dump(const lx_check_opts *o)
{
  run r;
  memset(&r, 0, sizeof(r));
  r.o = o;
  lx_findings_init(&r.findings);
  r.sources = lx_sources_new();
  int rc = load_config(&r);
  if (!rc)
    rc = plan(&r);
  if (!rc) {
    if (analyse(&r) == 0)
      load_facts(&r);
    json_t *arr = json_array();
    for (size_t i = 0; i < r.facts.n; i++)
      json_array_append_new(arr, lx_facts_to_json(r.facts.v[i]));
    json_dumpf(arr, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(arr);
    rc = r.tu_failed ? LX_EXIT_TU : LX_EXIT_OK;
  }
  run_free(&r);
  return rc;
}
