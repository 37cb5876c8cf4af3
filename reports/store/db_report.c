/* db_report.c - the findings database read for reports: a run's record, the trend of
 * open, new and fixed findings across runs, the findings one run has and another has
 * not, and each finding's baseline state.  Read-only queries on lx_db's connection. */
#include "reports/store/db_report.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *text(sqlite3_stmt *st, int i)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? s : "";
}

static sqlite3_stmt *prepare(lx_db *db, const char *sql)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(lx_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK) {
    lx_db_fail(db, "prepare");
    sqlite3_finalize(st);
    return NULL;
  }
  return st;
}

int lx_db_run_info_get(lx_db *db, int64_t run, lx_db_run_info *out)
{
  memset(out, 0, sizeof(*out));
  sqlite3_stmt *st = prepare(db, "SELECT started_at, finished_at, version, command, status, scope, shard, "
                                 "vcs_commit, root, coalesce(exit_code, -1) FROM runs WHERE id = ?");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->id = run;
    lx_copy(out->started_at, sizeof(out->started_at), text(st, 0));
    lx_copy(out->finished_at, sizeof(out->finished_at), text(st, 1));
    lx_copy(out->version, sizeof(out->version), text(st, 2));
    lx_copy(out->command, sizeof(out->command), text(st, 3));
    lx_copy(out->status, sizeof(out->status), text(st, 4));
    lx_copy(out->scope, sizeof(out->scope), text(st, 5));
    lx_copy(out->shard, sizeof(out->shard), text(st, 6));
    lx_copy(out->vcs_commit, sizeof(out->vcs_commit), text(st, 7));
    lx_copy(out->root, sizeof(out->root), text(st, 8));
    out->exit_code = sqlite3_column_int(st, 9);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_ROW)
    return 0;
  return rc == SQLITE_DONE ? lx_db_no_run(db, run) : lx_db_fail(db, "reading runs");
}

/* Open findings of t.id not open in t.prev, and the other way round: the occurrences'
 * primary key (run_id, finding_id) answers each NOT EXISTS. */
#define OPEN_IN(run, other)                                                                           \
  "(SELECT count(*) FROM occurrences o WHERE o.run_id = " run " AND NOT o.suppressed AND NOT EXISTS " \
  "(SELECT 1 FROM occurrences p WHERE p.run_id = " other " AND p.finding_id = o.finding_id AND NOT p.suppressed))"

int lx_db_trend(lx_db *db, int64_t run, size_t max, lx_db_trend_point **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st = prepare(
      db, "WITH sel AS (SELECT id, scope FROM runs WHERE id = ?1),\n"
          "t AS (SELECT r.id, r.started_at, lag(r.id, 1, 0) OVER (ORDER BY r.id) AS prev FROM runs r, sel\n"
          "  WHERE r.id = sel.id OR (r.id < sel.id AND r.status = 'complete' AND r.shard IS NULL\n"
          "    AND r.command IN ('check', 'baseline', 'merge') AND (sel.scope <> 'full' OR r.scope = 'full')))\n"
          "SELECT t.id, t.prev, t.started_at,\n"
          "  (SELECT count(*) FROM occurrences o WHERE o.run_id = t.id AND NOT o.suppressed),\n"
          "  " OPEN_IN("t.id", "t.prev") ",\n"
          "  " OPEN_IN("t.prev", "t.id") ",\n"
          "  (SELECT count(*) FROM occurrences o WHERE o.run_id = t.id AND o.suppressed)\n"
          "FROM t ORDER BY t.id DESC LIMIT ?2");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  sqlite3_bind_int64(st, 2, (sqlite3_int64)(max > 0 && max < INT32_MAX ? max : INT32_MAX));
  LX_VEC(lx_db_trend_point) v = {0};
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    lx_db_trend_point p = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), "", sqlite3_column_int64(st, 3),
                           sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6)};
    lx_copy(p.started_at, sizeof(p.started_at), text(st, 2));
    lx_vec_push(&v, p);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    lx_vec_free(&v);
    return lx_db_fail(db, "reading the trend");
  }
  for (size_t i = 0; i < v.n / 2; i++) { /* oldest first */
    lx_db_trend_point t = v.v[i];
    v.v[i] = v.v[v.n - 1 - i];
    v.v[v.n - 1 - i] = t;
  }
  *out = v.v;
  *n = v.n;
  return 0;
}

int lx_db_run_diff(lx_db *db, int64_t a, int64_t b, int (*fn)(const lx_db_diff_row *row, void *arg), void *arg)
{
  sqlite3_stmt *st = prepare(db, "SELECT f.rule, o.severity, f.file, o.message, f.fingerprint, o.line, o.\"column\""
                                 " FROM occurrences o JOIN findings f ON f.id = o.finding_id"
                                 " WHERE o.run_id = ?1 AND NOT o.suppressed AND NOT EXISTS"
                                 " (SELECT 1 FROM occurrences p WHERE p.run_id = ?2 AND p.finding_id = o.finding_id"
                                 " AND NOT p.suppressed)"
                                 " ORDER BY f.file, o.line, o.\"column\", f.rule");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, a);
  sqlite3_bind_int64(st, 2, b);
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    lx_db_diff_row row = {text(st, 0), text(st, 1), text(st, 2), text(st, 3), text(st, 4), sqlite3_column_int(st, 5),
                          sqlite3_column_int(st, 6)};
    stop = fn(&row, arg);
  }
  sqlite3_finalize(st);
  if (stop)
    return stop;
  return rc == SQLITE_DONE ? 0 : lx_db_fail(db, "comparing runs");
}

int lx_db_finding_states(lx_db *db, int64_t run, int (*fn)(const lx_db_finding_state *s, void *arg), void *arg)
{
  sqlite3_stmt *st = prepare(db, "SELECT f.fingerprint, f.first_run, f.baselined, coalesce(f.baseline_run, 0)"
                                 " FROM occurrences o JOIN findings f ON f.id = o.finding_id WHERE o.run_id = ?");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    lx_db_finding_state s = {text(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2) != 0,
                             sqlite3_column_int64(st, 3)};
    stop = fn(&s, arg);
  }
  sqlite3_finalize(st);
  if (stop)
    return stop;
  return rc == SQLITE_DONE ? 0 : lx_db_fail(db, "reading findings");
}

int lx_db_run_hashes(lx_db *db, int64_t run, int (*fn)(const char *path, const char *hash, void *arg), void *arg)
{
  sqlite3_stmt *st = prepare(db, "SELECT path, content_hash FROM translation_units WHERE run_id = ? ORDER BY id");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
    stop = fn(text(st, 0), (const char *)sqlite3_column_text(st, 1), arg);
  sqlite3_finalize(st);
  if (stop)
    return stop;
  return rc == SQLITE_DONE ? 0 : lx_db_fail(db, "reading translation units");
}
