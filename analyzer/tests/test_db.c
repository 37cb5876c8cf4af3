/* test_db.c - the findings database through its C API: schema on a new file, runs and
 * TUs, the facts cache, findings with first/last run seen (also when runs finish out of
 * order), loading a run back, baselines, files that are refused, the view of the
 * program runs over some files take, runs whose process is gone, and what reports read
 * (db_report.h: the trend across runs, what is new or fixed, baseline states). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "reports/store/db_report.h"

static char dir[256], path[300];

static int setup(void **state)
{
  snprintf(dir, sizeof(dir), "/tmp/leash-test-db-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/f.db", dir);
  return 0;
}

static int teardown(void **state)
{
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(lx_db *db, const char *sql)
{
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(lx_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static int64_t begin_run(lx_db *db)
{
  lx_db_run info = {"check", "1.0", "[\"check\"]", "/repo", NULL, NULL, NULL};
  int64_t id;
  assert_int_equal(lx_db_run_begin(db, &info, &id), 0);
  return id;
}

static void add(lx_findings *f, const char *fp, unsigned line, const char *msg)
{
  lx_finding *fd = lx_findings_add(f, "a-rule", LX_SEV_WARNING, (lx_loc){"/repo/src/a.c", line, 3}, "fn", "h", "%s", msg);
  lx_finding_relate(f, fd, (lx_loc){"/repo/src/a.c", line - 1, 1}, "made here");
  snprintf(fd->fingerprint, sizeof(fd->fingerprint), "%s", fp);
}

static int collect(const lx_db_tu *tu, void *arg)
{
  char *out = arg;
  strcat(out, tu->path);
  strcat(out, tu->facts ? "+" : "-");
  strcat(out, ";");
  return 0;
}

static void test_runs_findings_cache(void **state)
{
  char err[512];
  lx_db *db;
  assert_int_equal(lx_db_open(path, LX_DB_CREATE, &db, err, sizeof(err)), 0);
  assert_int_equal(count(db, "PRAGMA user_version"), LX_DB_VERSION);

  int64_t r1 = begin_run(db), r2 = begin_run(db);
  assert_true(r2 > r1);
  /* Facts: per (path, flags), a new key replaces the older ones but for the latest full
   * run's and the most recent other (a later run may take them as the rest of the
   * program: lx_db_view_tus). */
  lx_db_tu a = {"/repo/src/a.c", "h1", "ok", 0, "k1", "\1a\0", 3, "f1", "d1"};
  lx_db_tu a2 = {"/repo/src/a.c", "h1", "ok", 0, "k2", "\1a2", 3, "f2", "d2"};
  lx_db_tu b = {"/repo/src/b.c", "h2", "failed", 3, NULL, NULL, 0, "f1", NULL};
  assert_int_equal(lx_db_tu_record(db, r1, &a), 0);
  assert_int_equal(lx_db_tu_record(db, r1, &a2), 0);
  assert_int_equal(lx_db_tu_record(db, r1, &b), 0);
  assert_int_equal(count(db, "SELECT count(*) FROM facts_cache"), 2);
  assert_int_equal(lx_db_run_end(db, r1, 1, 1), 0); /* r1, a full run, has a.c as k1 */
  const char *keys[] = {"k4", "k5", "k3"};
  for (int i = 0; i < 3; i++) {
    a.facts_key = keys[i];
    a.facts = "\1a3\0\2";
    a.facts_len = 5;
    a.digest = "d3";
    assert_int_equal(lx_db_tu_record(db, r2, &a), 0);
  }
  assert_int_equal(count(db, "SELECT count(*) FROM facts_cache"), 4); /* k1 (r1's), k2 (f2), k5, k3 */
  assert_int_equal(count(db, "SELECT count(*) FROM facts_cache WHERE key = 'k4'"), 0);
  size_t len = 0;
  char *bytes = lx_db_facts_get(db, "k3", &len);
  assert_int_equal(len, 5);
  assert_memory_equal(bytes, "\1a3\0\2", 5); /* binary, NUL bytes included */
  free(bytes);
  assert_null(lx_db_facts_get(db, "k4", &len));
  char digest[17];
  assert_int_equal(lx_db_facts_digest(db, "k3", digest), 1);
  assert_string_equal(digest, "d3");
  assert_int_equal(lx_db_facts_digest(db, "k4", digest), 0);
  assert_int_equal(lx_db_facts_digest(db, "k1", digest), 1);

  /* Evaluations: found by key, the few most recent kept. */
  assert_null(lx_db_evaluation_get(db, "e0"));
  for (int i = 0; i < 12; i++) {
    char key[8], text[16];
    snprintf(key, sizeof(key), "e%d", i);
    snprintf(text, sizeof(text), "[%d]", i);
    assert_int_equal(lx_db_evaluation_put(db, key, text, r1 + i), 0);
  }
  char *ev = lx_db_evaluation_get(db, "e11");
  assert_string_equal(ev, "[11]");
  free(ev);
  assert_null(lx_db_evaluation_get(db, "e0"));
  assert_int_equal(count(db, "SELECT count(*) FROM evaluations"), 8);
  char seen[256] = "";
  assert_int_equal(lx_db_run_tus(db, r1, collect, seen), 0);
  assert_string_equal(seen, "/repo/src/a.c+;/repo/src/a.c+;/repo/src/b.c-;"); /* k1 is the full run's */

  /* Findings: the later run (r2) finishes first; r1's older text must not win. */
  lx_findings f1, f2;
  lx_findings_init(&f1);
  lx_findings_init(&f2);
  add(&f2, "00000000000000aa", 12, "new text");
  add(&f1, "00000000000000aa", 10, "old text");
  add(&f1, "00000000000000bb", 20, "only in r1");
  assert_int_equal(lx_db_findings_record(db, r2, &f2, "/repo"), 0);
  assert_int_equal(lx_db_findings_record(db, r1, &f1, "/repo"), 0);
  assert_int_equal(count(db, "SELECT first_run FROM findings WHERE fingerprint = '00000000000000aa'"), r1);
  assert_int_equal(count(db, "SELECT last_run FROM findings WHERE fingerprint = '00000000000000aa'"), r2);
  assert_int_equal(count(db, "SELECT line FROM findings WHERE fingerprint = '00000000000000aa'"), 12);
  assert_int_equal(lx_db_run_end(db, r1, 1, 1), 0);
  assert_int_equal(lx_db_run_end(db, r2, 1, 1), 0);
  assert_int_equal(lx_db_latest_run(db, NULL), r2);
  assert_int_equal(count(db, "SELECT count(*) FROM open_findings"), 1);
  assert_int_equal(count(db, "SELECT count(*) FROM new_since"), 0); /* aa was seen first in r1 */

  /* A run loads back as it was recorded, files absolute again. */
  lx_findings back;
  lx_findings_init(&back);
  char root[64];
  assert_int_equal(lx_db_findings_load(db, r1, &back, root, sizeof(root)), 0);
  assert_string_equal(root, "/repo");
  assert_int_equal(back.v.n, 2);
  assert_string_equal(back.v.v[0].loc.file, "/repo/src/a.c");
  assert_int_equal(back.v.v[0].loc.line, 10);
  assert_string_equal(back.v.v[0].message, "old text");
  assert_string_equal(back.v.v[0].fingerprint, "00000000000000aa");
  assert_int_equal(back.v.v[0].nrelated, 1);
  assert_string_equal(back.v.v[0].related[0].message, "made here");
  assert_int_equal(lx_db_findings_load(db, 999, &back, NULL, 0), -1);
  assert_non_null(strstr(lx_db_error(db), "no run 999"));

  /* Baselines replace each other. */
  assert_int_equal(lx_db_baseline_set(db, r1), 0);
  assert_int_equal(lx_db_baseline_size(db), 2);
  assert_int_equal(lx_db_baseline_set(db, r2), 0);
  assert_int_equal(lx_db_baseline_size(db), 1);
  assert_int_equal(lx_db_baselined(db, "00000000000000aa"), 1);
  assert_int_equal(lx_db_baselined(db, "00000000000000bb"), 0);
  assert_int_equal(lx_db_baselined(db, "not-there"), 0);

  lx_findings_free(&back);
  lx_findings_free(&f1);
  lx_findings_free(&f2);
  lx_db_close(db);

  /* Reopened read-only: the data is there and writes fail. */
  assert_int_equal(lx_db_open(path, LX_DB_READONLY, &db, err, sizeof(err)), 0);
  assert_int_equal(count(db, "SELECT count(*) FROM runs"), 2);
  assert_int_not_equal(sqlite3_exec(lx_db_sqlite(db), "DELETE FROM runs", NULL, NULL, NULL), SQLITE_OK);
  lx_db_close(db);
}

static int collect_view(const lx_db_tu *tu, int64_t run, void *arg)
{
  char *out = arg;
  sprintf(out + strlen(out), "%s:%s:%lld%s;", tu->path, tu->facts_key ? tu->facts_key : "", (long long)run,
          tu->digest ? "" : "-");
  return 0;
}

static void record(lx_db *db, int64_t run, const char *file, const char *key)
{
  lx_db_tu t = {file, "h", "ok", 0, key, "\1", 1, "f", "d"};
  assert_int_equal(lx_db_tu_record(db, run, &t), 0);
}

static int64_t begin_as(lx_db *db, const char *command, const char *scope)
{
  lx_db_run info = {command, "1.0", "[]", "/repo", NULL, NULL, scope};
  int64_t id;
  assert_int_equal(lx_db_run_begin(db, &info, &id), 0);
  return id;
}

/* Runs over some files add to the view of the program and hide nothing of it; runs
 * whose process is gone are marked interrupted. */
static void test_view_and_reap(void **state)
{
  char err[512], vpath[320];
  snprintf(vpath, sizeof(vpath), "%s/view.db", dir);
  lx_db *db;
  assert_int_equal(lx_db_open(vpath, LX_DB_CREATE, &db, err, sizeof(err)), 0);
  int64_t r1 = begin_as(db, "check", "full");
  record(db, r1, "/repo/a.c", "a1");
  record(db, r1, "/repo/b.c", "b1");
  assert_int_equal(lx_db_run_end(db, r1, 0, 1), 0);
  int64_t r2 = begin_as(db, "pre-commit", "files");
  record(db, r2, "/repo/a.c", "a2");
  assert_int_equal(lx_db_run_end(db, r2, 1, 1), 0);
  int64_t r3 = begin_as(db, "check", "files"); /* still running */
  record(db, r3, "/repo/c.c", "c1");
  char seen[512] = "";
  assert_int_equal(lx_db_view_tus(db, collect_view, seen), 0);
  char want[512];
  snprintf(want, sizeof(want), "/repo/a.c:a2:%lld;/repo/a.c:a1:%lld;/repo/b.c:b1:%lld;/repo/c.c:c1:%lld;",
           (long long)r2, (long long)r1, (long long)r1, (long long)r3);
  assert_string_equal(seen, want);
  /* The views take the latest full run; a run over some files does not replace it. */
  assert_int_equal(lx_db_run_end(db, r3, 0, 1), 0);
  assert_int_equal(count(db, "SELECT id FROM latest_run"), r1);
  char command[32];
  assert_int_equal(lx_db_run_whole(db, r1, command, sizeof(command)), 1);
  assert_int_equal(lx_db_run_whole(db, r2, command, sizeof(command)), 0);
  assert_string_equal(command, "pre-commit");
  assert_int_equal(lx_db_run_whole(db, 999, command, sizeof(command)), 0);
  assert_string_equal(command, "");
  /* A new full run starts the view again. */
  int64_t r4 = begin_as(db, "check", "full");
  record(db, r4, "/repo/b.c", "b2");
  assert_int_equal(lx_db_run_end(db, r4, 0, 1), 0);
  seen[0] = '\0';
  assert_int_equal(lx_db_view_tus(db, collect_view, seen), 0);
  snprintf(want, sizeof(want), "/repo/b.c:b2:%lld;", (long long)r4);
  assert_string_equal(seen, want);

  /* A run whose process is gone is interrupted; one whose process lives is not. */
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  assert_true(child > 0);
  assert_int_equal(waitpid(child, NULL, 0), child);
  int64_t r5 = begin_as(db, "check", "full"), r6 = begin_as(db, "check", "full");
  record(db, r5, "/repo/a.c", "a3");
  char sql[128];
  snprintf(sql, sizeof(sql), "UPDATE runs SET pid = %d WHERE id = %lld", (int)child, (long long)r5);
  assert_int_equal(sqlite3_exec(lx_db_sqlite(db), sql, NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(lx_db_runs_reap(db), 1);
  snprintf(sql, sizeof(sql), "SELECT status = 'interrupted' FROM runs WHERE id = %lld", (long long)r5);
  assert_int_equal(count(db, sql), 1);
  snprintf(sql, sizeof(sql), "SELECT status = 'running' FROM runs WHERE id = %lld", (long long)r6);
  assert_int_equal(count(db, sql), 1);
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM translation_units WHERE run_id = %lld", (long long)r5);
  assert_int_equal(count(db, sql), 1); /* what it committed stays */
  assert_int_equal(lx_db_runs_reap(db), 0);
  lx_db_close(db);
}

static void test_refused(void **state)
{
  char err[512], other[300];
  lx_db *db = NULL;
  snprintf(other, sizeof(other), "%s/newer.db", dir);
  sqlite3 *h;
  assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
  assert_int_equal(sqlite3_exec(h, "PRAGMA application_id = 1818583411; PRAGMA user_version = 99", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(h);
  assert_int_equal(lx_db_open(other, LX_DB_CREATE, &db, err, sizeof(err)), -1);
  assert_null(db);
  assert_non_null(strstr(err, other));
  assert_non_null(strstr(err, "schema version 99 is newer"));
  assert_null(strchr(err, '\n'));

  snprintf(other, sizeof(other), "%s/notes.db", dir);
  assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
  assert_int_equal(sqlite3_exec(h, "CREATE TABLE notes (t)", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(h);
  assert_int_equal(lx_db_open(other, LX_DB_CREATE, &db, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "not a leash findings database"));

  snprintf(other, sizeof(other), "%s/missing.db", dir);
  assert_int_equal(lx_db_open(other, 0, &db, err, sizeof(err)), -1); /* no LX_DB_CREATE */
  assert_int_equal(access(other, F_OK), -1);
  snprintf(other, sizeof(other), "%s/no/such/dir/f.db", dir);
  assert_int_equal(lx_db_open(other, LX_DB_CREATE, &db, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "cannot open the findings database"));
}

static void finding(lx_findings *f, const char *fp, unsigned line, int suppressed)
{
  add(f, fp, line, "m");
  f->v.v[f->v.n - 1].suppressed = (unsigned)suppressed;
}

/* A run with these findings ("fingerprint" or "!fingerprint" for a suppressed one). */
static int64_t run_with(lx_db *db, const char *scope, int complete, const char *const *fps, int n)
{
  int64_t run = begin_as(db, "check", scope);
  lx_findings f;
  lx_findings_init(&f);
  for (int i = 0; i < n; i++)
    finding(&f, fps[i] + (fps[i][0] == '!'), (unsigned)(10 + i), fps[i][0] == '!');
  assert_int_equal(lx_db_findings_record(db, run, &f, "/repo"), 0);
  lx_findings_free(&f);
  if (complete)
    assert_int_equal(lx_db_run_end(db, run, 1, 1), 0);
  return run;
}

static int diff_fps(const lx_db_diff_row *row, void *arg)
{
  sprintf((char *)arg + strlen(arg), "%s@%s:%d;", row->fingerprint, row->file, row->line);
  return 0;
}

static int state_fps(const lx_db_finding_state *s, void *arg)
{
  sprintf((char *)arg + strlen(arg), "%s:%lld:%d:%lld;", s->fingerprint, (long long)s->first_run, s->baselined,
          (long long)s->baseline_run);
  return 0;
}

/* The trend: runs of the same kind up to the one reported, each compared with the one
 * before; the findings one run has and another has not; baseline states. */
static void test_trend_and_diff(void **state)
{
  char err[512], file[400];
  snprintf(file, sizeof(file), "%s/trend.db", dir);
  lx_db *db;
  assert_int_equal(lx_db_open(file, LX_DB_CREATE, &db, err, sizeof(err)), 0);
  const char *one[] = {"00000000000000a1", "00000000000000b2"}, *two[] = {"00000000000000a1"},
             *three[] = {"!00000000000000a1", "00000000000000c3"};
  int64_t r1 = run_with(db, "full", 1, one, 2), r2 = run_with(db, "files", 1, two, 1),
          r3 = run_with(db, "full", 1, three, 2), r4 = run_with(db, "full", 0, one, 2);
  assert_int_equal(lx_db_baseline_set(db, r1), 0);

  lx_db_trend_point *p;
  size_t n;
  assert_int_equal(lx_db_trend(db, r3, 60, &p, &n), 0); /* r2 covered some files only: left out */
  assert_int_equal(n, 2);
  assert_int_equal(p[0].run, r1);
  assert_int_equal(p[0].prev, 0);
  assert_true(p[0].open == 2 && p[0].fresh == 2 && p[0].fixed == 0 && p[0].suppressed == 0);
  assert_int_equal(p[1].run, r3);
  assert_int_equal(p[1].prev, r1);
  assert_true(p[1].open == 1 && p[1].fresh == 1 && p[1].fixed == 2 && p[1].suppressed == 1);
  assert_non_null(strchr(p[1].started_at, 'T'));
  free(p);
  assert_int_equal(lx_db_trend(db, r3, 1, &p, &n), 0); /* the last one, still compared with r1 */
  assert_true(n == 1 && p[0].run == r3 && p[0].prev == r1);
  free(p);
  assert_int_equal(lx_db_trend(db, r2, 60, &p, &n), 0); /* a run over some files: any kind before it */
  assert_true(n == 2 && p[1].run == r2 && p[1].prev == r1 && p[1].open == 1 && p[1].fresh == 0 && p[1].fixed == 1);
  free(p);
  assert_int_equal(lx_db_trend(db, r4, 60, &p, &n), 0); /* the run asked for, though it is not complete */
  assert_true(n == 3 && p[2].run == r4 && p[2].prev == r3 && p[2].fresh == 2 && p[2].fixed == 1);
  free(p);

  char out[512] = "";
  assert_int_equal(lx_db_run_diff(db, r3, r1, diff_fps, out), 0);
  assert_string_equal(out, "00000000000000c3@src/a.c:11;");
  out[0] = '\0';
  assert_int_equal(lx_db_run_diff(db, r1, r3, diff_fps, out), 0); /* suppressed since: no longer open */
  assert_string_equal(out, "00000000000000a1@src/a.c:10;00000000000000b2@src/a.c:11;");
  out[0] = '\0';
  assert_int_equal(lx_db_finding_states(db, r3, state_fps, out), 0);
  assert_non_null(strstr(out, "00000000000000a1:1:1:1;"));
  assert_non_null(strstr(out, "00000000000000c3:3:0:0;"));

  lx_db_run_info info;
  assert_int_equal(lx_db_run_info_get(db, r2, &info), 0);
  assert_string_equal(info.scope, "files");
  assert_string_equal(info.status, "complete");
  assert_string_equal(info.root, "/repo");
  assert_int_equal(info.exit_code, 1);
  assert_int_equal(lx_db_run_info_get(db, r4, &info), 0);
  assert_int_equal(info.exit_code, -1);
  assert_int_equal(lx_db_run_info_get(db, 99, &info), -1);
  assert_non_null(strstr(lx_db_error(db), "no run 99"));
  lx_db_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_runs_findings_cache),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_view_and_reap),
      cmocka_unit_test(test_trend_and_diff),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
