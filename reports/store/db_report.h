/* db_report.h - what reports read from the findings database beside a run's findings:
 * the run itself, the trend of its findings across runs, what is new or fixed between
 * two runs, and each finding's baseline state. */
#ifndef LX_DB_REPORT_H
#define LX_DB_REPORT_H

#include <limits.h>
#include <stdint.h>

#include "reports/store/db.h"

/* A run as `runs` records it (strings are "" when not recorded). */
typedef struct {
  int64_t id;
  char started_at[40], finished_at[40];
  char version[40], command[24], status[24], scope[16], shard[24];
  char vcs_commit[80];
  char root[PATH_MAX];
  int exit_code; /* -1 when the run did not finish */
} lx_db_run_info;

/* Reads run into *out.  0, or -1 with lx_db_error set (no such run, a database error). */
int lx_db_run_info_get(lx_db *db, int64_t run, lx_db_run_info *out);

/* One run of a trend, compared with the run before it in the trend (prev, 0 for the
 * first run the database has): its open (unsuppressed) findings, those of them that
 * were not open in prev (fresh), those open in prev and not in it any more (fixed),
 * and its suppressed ones. */
typedef struct {
  int64_t run, prev;
  char started_at[40];
  int64_t open, fresh, fixed, suppressed;
} lx_db_trend_point;

/* The trend that ends at run: the complete, unsharded check, baseline and merge runs
 * before it (only the full ones, over a whole compilation database, when run is one),
 * then run itself; the last max of them, oldest first, in *out (malloc'd, *n of them).
 * 0, or -1 with lx_db_error set. */
int lx_db_trend(lx_db *db, int64_t run, size_t max, lx_db_trend_point **out, size_t *n);

/* A finding of one run that another run has not (strings live until fn returns). */
typedef struct {
  const char *rule, *severity, *file, *message, *fingerprint;
  int line, column;
} lx_db_diff_row;

/* Calls fn for each finding open (not suppressed) in run a and not open in run b
 * (b 0: every open finding of a), by file, line, column and rule, with the file as the
 * database stores it (relative to the run's root).  Stops at fn's first non-zero
 * return, which it returns; -1 with lx_db_error set on a database error. */
int lx_db_run_diff(lx_db *db, int64_t a, int64_t b, int (*fn)(const lx_db_diff_row *row, void *arg), void *arg);

/* What the database says of a finding beyond one run's occurrence of it. */
typedef struct {
  const char *fingerprint;
  int64_t first_run;    /* the run that saw it first */
  int baselined;        /* in the baseline */
  int64_t baseline_run; /* the run the baseline was taken from, 0 when not baselined */
} lx_db_finding_state;

/* Calls fn for each finding of run.  Stops at fn's first non-zero return, which it
 * returns; -1 with lx_db_error set on a database error. */
int lx_db_finding_states(lx_db *db, int64_t run, int (*fn)(const lx_db_finding_state *s, void *arg), void *arg);

/* Calls fn with the path and content hash (16 hex digits, as lx_cache_file_hash gives
 * it; NULL when not recorded) of each translation unit run analysed.  Stops at fn's
 * first non-zero return, which it returns; -1 with lx_db_error set on error. */
int lx_db_run_hashes(lx_db *db, int64_t run, int (*fn)(const char *path, const char *hash, void *arg), void *arg);

#endif
