/* driver.h - one `leash check` run: jobs, analysis, rules, suppressions, reports. */
#ifndef LX_DRIVER_H
#define LX_DRIVER_H

#include "config/config.h"

#include <limits.h>
#include <stdio.h>

#include "reports/findings.h"

typedef enum { LX_FMT_TEXT, LX_FMT_JSON, LX_FMT_SARIF } lx_format;

typedef struct {
  const char *compdb_dir; /* -p */
  const char *const *extra_flags; /* after `--`: compiler flags for every file */
  int nextra;
  int fixed_flags;         /* `--` was given: no compilation database is used */
  int jobs;                /* -j: translation units analysed at once (0: one per core) */
  int timeout_s;           /* --timeout: per translation unit, seconds (0: none) */
  int pre_commit;          /* --pre-commit: the files against the database's latest full run */
  const char **files;
  int nfiles;
  lx_format format;
  const char *output;      /* -o, NULL for stdout */
  const char *config_path; /* --config */
  const char *rules;       /* --rules a,b */
  lx_severity fail_on;
  int quiet, verbose;
  int verify;              /* --verify: compare with // expect: markers */
  int color;               /* -1 auto */
  const char *db_path;     /* --db, NULL for the project's (lx_default_db) */
  int no_db;               /* --no-db */
  int shard_k, shard_n;    /* --shard K/N; n == 0 when not sharded */
  int new_only;            /* --new-only: report findings not in the baseline */
  int baseline;            /* --baseline / `leash baseline`: record the baseline */
  const char *const *merge_inputs; /* `leash merge`: shard databases (db_path is OUT) */
  int nmerge;
  int argc;                /* the command line, recorded with the run */
  char **argv;
} lx_check_opts;

#define LX_DEFAULT_DB ".leash/findings.db"

/* The project root, in out: the folder of the .leash.yaml found from the current folder
 * upwards, else that of the compilation database in compdb_dir (found the way clangd
 * finds it from the current folder when NULL): F for F/build/compile_commands.json,
 * the current folder for a database in it or a folder under it, else the database's
 * folder; without either, the current folder. */
void lx_project_root(const char *compdb_dir, char out[PATH_MAX]);

/* The findings database of the project (malloc'd): LX_DEFAULT_DB under its root,
 * relative when the root is the current folder. */
char *lx_default_db(const char *compdb_dir);

/* Exit codes, SPEC section 3. */
enum { LX_EXIT_OK = 0, LX_EXIT_FINDINGS = 1, LX_EXIT_USAGE = 2, LX_EXIT_TU = 3 };

/* Runs the check (or, with merge_inputs, the merge of shard databases); returns the
 * process exit code. */
int lx_check(const lx_check_opts *o);

/* Parses "text", "json" or "sarif"; returns 0, or -1. */
int lx_format_parse(const char *s, lx_format *out);

/* Every registered rule as emitters see it; *n gets the count. */
const lx_rule_meta *lx_rule_metas(size_t *n);

/* Fills the SARIF run metadata of eo (rules, version, information uri). */
void lx_emit_opts_tool(lx_emit_opts *eo);

/* Writes findings in fmt to path (atomically: a temporary file renamed), or to stdout
 * when path is NULL.  Returns 0, or LX_EXIT_USAGE after printing why. */
int lx_report_write(const char *path, lx_format fmt, const lx_findings *f, const lx_emit_opts *eo);

/* Current UTC time as ISO 8601 with milliseconds, in buf (at least 32 bytes). */
const char *lx_utc_now(char *buf, size_t n);

/* `leash facts`: prints the facts of each translation unit as JSON; returns the exit code. */
int lx_facts_dump(const lx_check_opts *o);

#endif
