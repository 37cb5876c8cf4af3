/* check.c - one `leash check` run (and `leash facts`): prepared, its TUs analysed or merged,
 * the program evaluated, the findings concluded.  Each step is in its own file (check_internal.h). */
#include "cli/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/check_internal.h"
#include "facts/facts_bin.h"

int lx_check_usage_error(const char *fmt, const char *a, const char *b)
{
  fputs("leash: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return LX_EXIT_USAGE;
}

int lx_check_db_error(run *r)
{
  fprintf(stderr, "leash: %s\n", lx_db_error(r->db));
  return LX_EXIT_USAGE;
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

static int prepare(run *r)
{
  const lx_check_opts *o = r->o;
  if ((o->shard_n || o->new_only || o->baseline || o->merge_inputs || o->pre_commit) && (o->no_db || o->verify))
    return lx_check_usage_error("--shard, --new-only, --baseline, --pre-commit and merge need the findings database "
                       "(not --no-db or --verify)%s%s", "", "");
  if (o->pre_commit && (o->shard_n || o->baseline || o->merge_inputs))
    return lx_check_usage_error("--pre-commit analyses the given files against the database's latest run; it does "
                       "not combine with --shard, --baseline or merge%s%s", "", "");
  int rc = lx_check_check_output(o);
  if (!rc)
    rc = lx_check_load_config(r);
  if (!rc)
    rc = lx_check_check_rules_option(r);
  if (!rc)
    rc = o->merge_inputs ? lx_check_read_shards(r) : lx_check_plan(r);
  if (!rc && o->shard_n)
    lx_check_select_shard(r);
  if (!rc) {
    if (!o->merge_inputs) /* a merge's project is the shards' (read_shards) */
      lx_project_root(r->compdb, r->project);
    r->db_path = o->db_path ? lx_xstrdup(o->db_path) : lx_default_db(r->compdb);
  }
  if (!rc && o->pre_commit) {
    rc = lx_check_read_context(r);
    lx_check_refresh_context(r);
  }
  if (!rc)
    rc = lx_check_open_db(r);
  if (!rc)
    rc = lx_check_begin_run(r);
  return rc;
}

/* Records, filters and reports the findings; returns the exit code. */
static int conclude(run *r)
{
  int rc = lx_check_record_findings(r);
  if (!rc)
    rc = lx_check_keep_new(r);
  if (rc)
    return rc;
  int status = lx_check_exit_status(r);
  if (r->o->baseline)
    return lx_check_finish_baseline(r, status);
  rc = lx_check_emit(r, status);
  if (rc)
    return rc;
  lx_check_say_tu_failures(r, lx_check_tu_count(r));
  lx_check_say_clean(r, lx_check_tu_count(r));
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
    rc = o->merge_inputs ? lx_check_record_shards(&r) : lx_check_analyse(&r);
  lx_cache_release(); /* every key is made: what it read of files is not needed again */
  if (!rc && o->pre_commit) {
    rc = lx_check_load_facts(&r);
    lx_check_add_context(&r);
  }
  if (!rc && o->shard_n) {
    rc = lx_check_finish_shard(&r);
  } else if (!rc && !(rc = lx_check_evaluate(&r))) {
    if (o->pre_commit)
      lx_check_keep_given(&r);
    rc = o->verify ? lx_check_verify(&r) : conclude(&r);
  }
  if (r.db && r.run_id)
    rc = lx_check_end_run(&r, rc);
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
  int rc = lx_check_load_config(&r);
  if (!rc)
    rc = lx_check_plan(&r);
  if (!rc) {
    if (lx_check_analyse(&r) == 0)
      lx_check_load_facts(&r);
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
