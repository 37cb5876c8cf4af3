/* check_internal.h - what the files of a `leash check` run share: the run's state and
 * each step's functions (check.c runs them in order).  A step that returns int returns 0,
 * or the exit code that ends the run. */
#ifndef LX_CHECK_INTERNAL_H
#define LX_CHECK_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/driver.h"
#include "cache/cache.h"
#include "cli/merge.h"
#include "facts/facts_pool.h"
#include "frontend/compdb.h"
#include "reports/findings.h"
#include "reports/store/db.h"
#include "rules/rules.h"

typedef struct {
  const lx_check_opts *o;
  lx_config *cfg;
  lx_cmds jobs;
  LX_VEC(lx_tu_facts *) facts;
  lx_findings findings;
  lx_sources *sources;
  char root[PATH_MAX];                /* the current folder: paths are shown relative to it */
  char project[PATH_MAX];             /* the project root (lx_project_root): findings are
                                         recorded and fingerprinted relative to it */
  char *compdb;                       /* the compilation database's folder, if one is used */
  int whole;                          /* every TU of a compilation database is analysed */
  char *db_path;                      /* --db, or the default database of the project */
  lx_cmds compdb_cmds;                /* --pre-commit: the compilation database's commands */
  size_t ngiven;                      /* --pre-commit: jobs[0, ngiven) are the files given, the
                                         others TUs of the rest of the program that changed
                                         since any run recorded them */
  int tu_failed;
  lx_db *db;                          /* NULL with --no-db and --verify */
  int64_t run_id;
  LX_VEC(lx_notification) notes;      /* TUs that could not be analysed */
  lx_arena arena;                     /* the notes' strings */
  char started[32];
  lx_shard_tus shards;                /* `leash merge`: the TUs read from the shards;                                          --pre-commit: those of the latest full run */
  char facts_version[64];             /* leash's and the facts format's versions: cache keys */
  char config_digest[17];             /* the .leash.yaml's text, for evaluation keys */
  int stamp_failed;                   /* recording a file stamp failed (the error is the db's) */
  /* Per job, from lx_check_analyse(): its facts (NULL when it failed, or when cached and not
   * loaded yet), whether the cache has them, their cache key and digest. */
  lx_tu_facts **tu_facts;
  lx_facts_pool *pool;                /* what every TU's facts share (facts_pool.h) */
  unsigned char *tu_cached;
  char (*tu_keys)[33];
  char (*tu_digests)[17];
} run;

/* check.c: the errors that end a run (LX_EXIT_USAGE, after saying why). */
int lx_check_usage_error(const char *fmt, const char *a, const char *b);
int lx_check_db_error(run *r);

/* configure.c: r->cfg and r->config_digest loaded; whether a rule runs; --rules checked. */
int lx_check_load_config(run *r);
int lx_check_rule_enabled(const run *r, const lx_rule *rule);
int lx_check_check_rules_option(const run *r);

/* project.c: the compilation database clangd finds from the current folder (malloc'd), or NULL. */
char *lx_check_discover_here(void);

/* plan.c: r->jobs (and r->compdb, r->whole; r->compdb_cmds for --pre-commit); --shard keeps its share. */
int lx_check_plan(run *r);
void lx_check_select_shard(run *r);

/* git.c: the commit of the repository around root (malloc'd), or NULL. */
char *lx_check_vcs_commit(const char *root);

/* record.c: the run in r->db (none with --no-db or --verify); --new-only drops baselined findings. */
int lx_check_open_db(run *r);
int lx_check_begin_run(run *r);
int lx_check_end_run(run *r, int exit_code);
int lx_check_record_findings(run *r);
int lx_check_keep_new(run *r);

/* stamps.c: the stamps r->db holds handed to the cache; the cache's new and unused ones written back. */
void lx_check_use_stamps(run *r);
void lx_check_drop_stamp(const char *path, void *arg);
void lx_check_put_stamp(const lx_file_stamp *s, void *arg);

/* schedule.c: the order in which to look at the jobs (malloc'd); keyed[i]: the key computed ahead. */
size_t *lx_check_work_order(const run *r, char (*hashes)[17], signed char *keyed);

/* analyse.c: a TU that could not be analysed noted; every job's facts, then r->facts in job order. */
void lx_check_note_failure(run *r, const char *file, const char *diag, int errors);
int lx_check_analyse(run *r);
int lx_check_load_facts(run *r);

/* shards.c: `leash merge`: the shards read into r->shards; their TUs recorded, facts into r->facts. */
int lx_check_read_shards(run *r);
int lx_check_record_shards(run *r);

/* precommit.c: --pre-commit's view of the rest of the program in r->shards, refreshed and added;
 * the findings kept to the files given. */
int lx_check_read_context(run *r);
void lx_check_add_context(run *r);
void lx_check_refresh_context(run *r);
void lx_check_keep_given(run *r);

/* suppressions.c: a line of a source as on disk (arg: lx_sources); leash:ignore naming no rule reported. */
const char *lx_check_disk_line(void *arg, const char *file, unsigned line, size_t *len);
void lx_check_check_suppression_ids(run *r);

/* evaluate.c: r->findings from r->facts (or the evaluation cache), suppressed, sorted, fingerprinted. */
int lx_check_evaluate(run *r);

/* verify.c: --verify: the findings against the inputs' // expect: markers; returns the exit code. */
int lx_check_verify(run *r);

/* output.c: the report and exit status, what stderr is told at the end; -o checked before the run. */
int lx_check_emit(run *r, int exit_code);
int lx_check_exit_status(const run *r);
size_t lx_check_tu_count(const run *r);
void lx_check_say_tu_failures(const run *r, size_t total);
void lx_check_say_clean(const run *r, size_t total);
int lx_check_finish_shard(run *r);
int lx_check_finish_baseline(run *r, int status);
int lx_check_check_output(const lx_check_opts *o);

#endif
