/* record.c - a run in the findings database: opened, begun, its findings (and baseline)
 * recorded, ended; --new-only against the baseline. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/check_internal.h"

static int make_parent(const char *path)
{
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir)
    return 0;
  *slash = '\0';
  return mkdir(dir, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int lx_check_open_db(run *r)
{
  const lx_check_opts *o = r->o;
  if (o->no_db || o->verify)
    return 0;
  const char *path = r->db_path;
  if (!o->db_path && make_parent(path) < 0)
    return lx_check_usage_error("%s: cannot create the findings database: %s", path, strerror(errno));
  char err[1024];
  if (lx_db_open(path, LX_DB_CREATE, &r->db, err, sizeof(err)) < 0)
    return lx_check_usage_error("%s%s", err, "");
  return 0;
}

int lx_check_begin_run(run *r)
{
  lx_utc_now(r->started, sizeof(r->started));
  if (!r->db)
    return 0;
  const lx_check_opts *o = r->o;
  json_t *args = json_array();
  for (int i = 0; i < o->argc; i++)
    json_array_append_new(args, json_string(o->argv[i]));
  char *options = json_dumps(args, JSON_COMPACT);
  json_decref(args);
  char shard[32];
  snprintf(shard, sizeof(shard), "%d/%d", o->shard_k, o->shard_n);
  char *commit = lx_check_vcs_commit(r->project);
  lx_db_run info = {o->merge_inputs ? "merge" : o->baseline ? "baseline" : o->pre_commit ? "pre-commit" : "check",
                    LEASH_VERSION, options,
                    r->project, commit, o->shard_n ? shard : NULL,
                    o->shard_n ? "shard" : o->merge_inputs || (r->whole && !o->pre_commit) ? "full" : "files"};
  int rc = lx_db_run_begin(r->db, &info, &r->run_id);
  free(options);
  free(commit);
  return rc < 0 ? lx_check_db_error(r) : 0;
}

/* Marks the run complete (failed when exit_code is a usage or input error). */
int lx_check_end_run(run *r, int exit_code)
{
  if (lx_db_run_end(r->db, r->run_id, exit_code, exit_code != LX_EXIT_USAGE) < 0)
    return lx_check_db_error(r);
  return exit_code;
}

/* Records the findings (and the baseline with --baseline). */
int lx_check_record_findings(run *r)
{
  /* A --pre-commit run's are those in the files given: `leash db runs` counts them,
   * and the views (latest_run, open_findings) take only runs over the program. */
  if (!r->db)
    return 0;
  if (lx_db_findings_record(r->db, r->run_id, &r->findings, r->project) < 0)
    return lx_check_db_error(r);
  if (r->o->baseline && lx_db_baseline_set(r->db, r->run_id) < 0)
    return lx_check_db_error(r);
  return 0;
}

/* --new-only: drops the findings whose fingerprint is in the baseline. */
int lx_check_keep_new(run *r)
{
  /* --pre-commit fails on new findings only once a baseline exists. */
  if (r->o->pre_commit && !r->o->new_only && lx_db_baseline_size(r->db) <= 0)
    return 0;
  if (!r->o->new_only && !r->o->pre_commit)
    return 0;
  if (lx_db_baseline_size(r->db) == 0 && !r->o->quiet)
    fprintf(stderr, "leash: --new-only: the findings database has no baseline (see `leash baseline`); "
                    "every finding is new\n");
  size_t w = 0;
  for (size_t i = 0; i < r->findings.v.n; i++) {
    int b = lx_db_baselined(r->db, r->findings.v.v[i].fingerprint);
    if (b < 0)
      return lx_check_db_error(r);
    if (!b)
      r->findings.v.v[w++] = r->findings.v.v[i];
  }
  r->findings.v.n = w;
  return 0;
}
