/* db.c - the findings database: schema and migrations, runs, translation units with
 * their cached facts, findings with first/last run seen, baselines.
 *
 * Every write is a short BEGIN IMMEDIATE transaction (one per translation unit, one
 * for a run's findings) on a WAL database with a busy timeout, so concurrent runs wait
 * for each other instead of failing, and a process killed mid-run leaves every
 * committed row in place. */
#include "reports/store/db.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#define APP_ID 0x6c656173 /* "leas" */
#define BUSY_TIMEOUT_MS 60000

#define KEPT_STATEMENTS 8

struct lx_db {
  sqlite3 *db;
  int batch; /* inside lx_db_batch_begin: writes join its transaction */
  /* Statements run once per TU, prepared once (by their SQL text's address). */
  struct {
    const char *sql;
    sqlite3_stmt *st;
  } kept[KEPT_STATEMENTS];
  char *path;
  char err[1024];
};

/* Migration i takes the schema from version i to i + 1.  Never edit a migration once
 * released: add one.  analyzer/tests/db_schema_v1.sql is migration 0 plus data. */
static const char *const migrations[LX_DB_VERSION] = {
    /* 0 -> 1 */
    "CREATE TABLE runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started_at TEXT NOT NULL,\n"
    "  finished_at TEXT,\n"
    "  version TEXT NOT NULL,\n"
    "  command TEXT NOT NULL,\n"
    "  options TEXT NOT NULL,\n"
    "  root TEXT NOT NULL,\n"
    "  vcs_commit TEXT,\n"
    "  shard TEXT,\n"
    "  status TEXT NOT NULL DEFAULT 'running',\n"
    "  exit_code INTEGER\n"
    ");\n"
    "CREATE TABLE translation_units (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  path TEXT NOT NULL,\n"
    "  flags_hash TEXT NOT NULL DEFAULT '',\n"
    "  content_hash TEXT,\n"
    "  status TEXT NOT NULL,\n"
    "  parse_errors INTEGER NOT NULL DEFAULT 0,\n"
    "  facts_key TEXT,\n"
    "  UNIQUE (run_id, path, flags_hash)\n"
    ");\n"
    "CREATE TABLE findings (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  fingerprint TEXT NOT NULL UNIQUE,\n"
    "  rule TEXT NOT NULL,\n"
    "  severity TEXT NOT NULL,\n"
    "  file TEXT NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  \"column\" INTEGER NOT NULL,\n"
    "  function TEXT,\n"
    "  message TEXT NOT NULL,\n"
    "  first_run INTEGER NOT NULL REFERENCES runs(id),\n"
    "  last_run INTEGER NOT NULL REFERENCES runs(id),\n"
    "  suppressed INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE occurrences (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
    "  finding_id INTEGER NOT NULL REFERENCES findings(id),\n"
    "  severity TEXT NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  \"column\" INTEGER NOT NULL,\n"
    "  message TEXT NOT NULL,\n"
    "  suppressed INTEGER NOT NULL DEFAULT 0,\n"
    "  suppress_reason TEXT,\n"
    "  related TEXT NOT NULL DEFAULT '[]',\n"
    "  PRIMARY KEY (run_id, finding_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX occurrences_finding ON occurrences(finding_id);\n"
    "CREATE TABLE facts_cache (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  path TEXT NOT NULL,\n"
    "  flags_hash TEXT NOT NULL DEFAULT '',\n"
    "  facts TEXT NOT NULL,\n"
    "  run_id INTEGER\n"
    ");\n"
    "CREATE INDEX facts_cache_path ON facts_cache(path, flags_hash);\n"
    "CREATE VIEW open_findings AS\n"
    "  SELECT f.* FROM findings f\n"
    "  WHERE f.last_run = (SELECT max(id) FROM runs WHERE status = 'complete' AND shard IS NULL)\n"
    "    AND NOT f.suppressed;\n",
    /* 1 -> 2: baselines, the key a finding is about, trends. */
    "ALTER TABLE findings ADD COLUMN key TEXT;\n"
    "ALTER TABLE findings ADD COLUMN baselined INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE findings ADD COLUMN baseline_run INTEGER REFERENCES runs(id);\n"
    "CREATE INDEX findings_baselined ON findings(baselined) WHERE baselined;\n"
    "DROP VIEW open_findings;\n"
    "CREATE VIEW latest_run AS\n"
    "  SELECT max(id) AS id FROM runs\n"
    "  WHERE status = 'complete' AND shard IS NULL AND command IN ('check', 'baseline', 'merge');\n"
    "CREATE VIEW open_findings AS\n"
    "  SELECT f.id, f.fingerprint, f.rule, o.severity, f.file, o.line, o.\"column\", f.function,\n"
    "         o.message, f.first_run, f.last_run, f.baselined\n"
    "  FROM findings f JOIN occurrences o ON o.finding_id = f.id\n"
    "  WHERE o.run_id = (SELECT id FROM latest_run) AND NOT o.suppressed;\n"
    "CREATE VIEW new_since AS\n"
    "  SELECT r.id AS since_run, o.* FROM runs r JOIN open_findings o ON o.first_run > r.id;\n"
    "CREATE VIEW rule_trend AS\n"
    "  SELECT r.id AS run_id, r.started_at, f.rule,\n"
    "         sum(NOT o.suppressed) AS findings, sum(o.suppressed) AS suppressed\n"
    "  FROM occurrences o JOIN findings f ON f.id = o.finding_id JOIN runs r ON r.id = o.run_id\n"
    "  GROUP BY r.id, f.rule;\n"
    "CREATE VIEW file_trend AS\n"
    "  SELECT r.id AS run_id, r.started_at, f.file,\n"
    "         sum(NOT o.suppressed) AS findings, sum(o.suppressed) AS suppressed\n"
    "  FROM occurrences o JOIN findings f ON f.id = o.finding_id JOIN runs r ON r.id = o.run_id\n"
    "  GROUP BY r.id, f.file;\n",
    /* 2 -> 3: facts in a binary encoding with their digest (the JSON ones are dropped:
     * a cache), and the program-wide evaluations they gave. */
    "DROP TABLE facts_cache;\n"
    /* the blob last: reading a column after it would walk its overflow pages */
    "CREATE TABLE facts_cache (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  path TEXT NOT NULL,\n"
    "  flags_hash TEXT NOT NULL DEFAULT '',\n"
    "  digest TEXT NOT NULL,\n"
    "  run_id INTEGER,\n"
    "  facts BLOB NOT NULL\n"
    ");\n"
    "CREATE INDEX facts_cache_path ON facts_cache(path, flags_hash);\n"
    "CREATE TABLE evaluations (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  findings TEXT NOT NULL,\n"
    "  run_id INTEGER\n"
    ");\n"
    "CREATE TABLE file_stamps (\n"
    "  path TEXT PRIMARY KEY,\n"
    "  size INTEGER NOT NULL,\n"
    "  mtime_ns INTEGER NOT NULL,\n"
    "  ctime_ns INTEGER NOT NULL,\n"
    "  inode INTEGER NOT NULL,\n"
    "  hash TEXT NOT NULL,\n"
    "  includes TEXT NOT NULL\n"
    ");\n",
    /* 3 -> 4: what a run covered (the whole program, some files, a shard) and the
     * process that runs it (a run whose process is gone is interrupted); the views
     * take the latest run over the whole program; translation units by path. */
    "ALTER TABLE runs ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';\n"
    "ALTER TABLE runs ADD COLUMN host TEXT;\n"
    "ALTER TABLE runs ADD COLUMN pid INTEGER;\n"
    "ALTER TABLE runs ADD COLUMN process_start TEXT;\n"
    "UPDATE runs SET scope = CASE WHEN shard IS NOT NULL THEN 'shard' WHEN command = 'pre-commit' THEN 'files'\n"
    "  ELSE 'full' END;\n"
    "CREATE INDEX translation_units_path ON translation_units(path, run_id);\n"
    "DROP VIEW new_since;\n"
    "DROP VIEW open_findings;\n"
    "DROP VIEW latest_run;\n"
    "CREATE VIEW latest_run AS\n"
    "  SELECT coalesce(\n"
    "    (SELECT max(id) FROM runs WHERE status = 'complete' AND shard IS NULL AND scope = 'full'\n"
    "       AND command IN ('check', 'baseline', 'merge')),\n"
    "    (SELECT max(id) FROM runs WHERE status = 'complete' AND shard IS NULL\n"
    "       AND command IN ('check', 'baseline', 'merge'))) AS id;\n"
    "CREATE VIEW open_findings AS\n"
    "  SELECT f.id, f.fingerprint, f.rule, o.severity, f.file, o.line, o.\"column\", f.function,\n"
    "         o.message, f.first_run, f.last_run, f.baselined\n"
    "  FROM findings f JOIN occurrences o ON o.finding_id = f.id\n"
    "  WHERE o.run_id = (SELECT id FROM latest_run) AND NOT o.suppressed;\n"
    "CREATE VIEW new_since AS\n"
    "  SELECT r.id AS since_run, o.* FROM runs r JOIN open_findings o ON o.first_run > r.id;\n",
};

static int fail(lx_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(lx_db *db, const char *fmt, ...)
{
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  snprintf(db->err, sizeof(db->err), "%s: %s", db->path, msg);
  return -1;
}

static int sql_fail(lx_db *db, const char *what)
{
  return fail(db, "findings database: %s: %s", what, sqlite3_errmsg(db->db));
}

int lx_db_fail(lx_db *db, const char *what) { return sql_fail(db, what); }

int lx_db_no_run(lx_db *db, int64_t run) { return fail(db, "no run %lld in the findings database", (long long)run); }

static int exec(lx_db *db, const char *sql)
{
  char *msg = NULL;
  if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    fail(db, "findings database: %s", msg ? msg : sqlite3_errmsg(db->db));
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static int pragma_int(lx_db *db, const char *sql, int *out)
{
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  if (rc != SQLITE_OK) {
    rc = sqlite3_errcode(db->db);
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
      fail(db, "not a leash findings database (%s)", sqlite3_errmsg(db->db));
    else
      sql_fail(db, "cannot read it");
  }
  sqlite3_finalize(st);
  return rc == SQLITE_OK ? 0 : -1;
}

static int begin(lx_db *db) { return db->batch ? 0 : exec(db, "BEGIN IMMEDIATE"); }
static void rollback(lx_db *db)
{
  if (!db->batch)
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

static int commit(lx_db *db)
{
  if (db->batch)
    return 0;
  if (exec(db, "COMMIT") < 0) {
    rollback(db);
    return -1;
  }
  return 0;
}

/* Checks the file is ours and not newer; *version gets its schema version. */
static int check_identity(lx_db *db, int *version)
{
  /* One statement, so one snapshot: read one by one, another process's migration could
   * commit between the reads (its application_id not yet there, its version already). */
  int app, tables = 0;
  if (pragma_int(db, "PRAGMA application_id", &app) < 0) /* a file that is no database fails here */
    return -1;
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db->db,
                              "SELECT (SELECT application_id FROM pragma_application_id), "
                              "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)",
                              -1, &st, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    app = sqlite3_column_int(st, 0);
    *version = sqlite3_column_int(st, 1);
    tables = sqlite3_column_int(st, 2);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK)
    return sql_fail(db, "reading what the file is");
  if (app != 0 && app != APP_ID)
    return fail(db, "not a leash findings database (application_id %d)", app);
  if (app == 0 && (*version != 0 || tables != 0))
    return fail(db, "not a leash findings database (an SQLite database of something else)");
  if (*version > LX_DB_VERSION)
    return fail(db, "findings database schema version %d is newer than this leash supports (%d); "
                    "use a newer leash or another --db", *version, LX_DB_VERSION);
  return 0;
}

/* Brings the schema to LX_DB_VERSION in one transaction. */
static int migrate(lx_db *db)
{
  if (begin(db) < 0)
    return -1;
  int version;
  if (check_identity(db, &version) < 0) { /* another process may have migrated meanwhile */
    rollback(db);
    return -1;
  }
  for (int v = version; v < LX_DB_VERSION; v++)
    if (exec(db, migrations[v]) < 0) {
      rollback(db);
      return -1;
    }
  char sql[128];
  snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d", APP_ID, LX_DB_VERSION);
  if (exec(db, sql) < 0) {
    rollback(db);
    return -1;
  }
  return commit(db);
}

static int connect(lx_db *db, int flags)
{
  int oflags = flags & LX_DB_READONLY ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | (flags & LX_DB_CREATE ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(db->path, &db->db, oflags, NULL) != SQLITE_OK) {
    const char *why = errno ? strerror(errno) : sqlite3_errmsg(db->db);
    return fail(db, "cannot open the findings database: %s", why);
  }
  sqlite3_busy_timeout(db->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes(db->db, 1);
  return 0;
}

static void disconnect(lx_db *db)
{
  for (int i = 0; i < KEPT_STATEMENTS; i++) {
    sqlite3_finalize(db->kept[i].st);
    db->kept[i].sql = NULL;
    db->kept[i].st = NULL;
  }
  sqlite3_close_v2(db->db);
  db->db = NULL;
}

#define SETUP_TRIES 3000

/* Checks the file and brings its schema up to date (WAL first, on a new file). */
static int setup(lx_db *db, int *version)
{
  if (check_identity(db, version) < 0)
    return -1;
  if (*version == LX_DB_VERSION)
    return 0;
  /* WAL is a property of the file: set it once, before the schema exists. */
  if (*version == 0 && exec(db, "PRAGMA journal_mode = WAL") < 0)
    return -1;
  return migrate(db);
}

int lx_db_open(const char *path, int flags, lx_db **out, char *err, size_t errlen)
{
  lx_db *db = lx_xcalloc(1, sizeof(*db));
  db->path = lx_xstrdup(path);
  *out = NULL;
  errno = 0;
  int version = 0;
  if (connect(db, flags & ~LX_DB_READONLY) < 0)
    goto fail;
  /* Two processes creating or migrating the file at once can meet in a lock SQLite
   * will not wait for (it would deadlock); the loser retries. */
  for (int tries = 0;; tries++) {
    if (setup(db, &version) == 0)
      break;
    if ((sqlite3_errcode(db->db) & 0xff) != SQLITE_BUSY || tries == SETUP_TRIES)
      goto fail;
    sqlite3_sleep(10 + tries % 40);
  }
  if (flags & LX_DB_READONLY) {
    disconnect(db);
    if (connect(db, LX_DB_READONLY) < 0 || check_identity(db, &version) < 0)
      goto fail;
  } else if (exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON") < 0) {
    /* WAL + NORMAL: a killed process (kill -9, a crash) loses no committed transaction
     * and never corrupts the file; only a power cut may roll back the last few.  FULL
     * would fsync every translation unit's transaction. */
    goto fail;
  }
  *out = db;
  return 0;
fail:
  snprintf(err, errlen, "%s", db->err[0] ? db->err : path);
  lx_db_close(db);
  return -1;
}

void lx_db_close(lx_db *db)
{
  if (!db)
    return;
  disconnect(db);
  free(db->path);
  free(db);
}

const char *lx_db_error(const lx_db *db) { return db->err; }

sqlite3 *lx_db_sqlite(lx_db *db) { return db->db; }

static sqlite3_stmt *prepare(lx_db *db, const char *sql)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
    sql_fail(db, "prepare");
    return NULL;
  }
  return st;
}

/* A statement run once per TU: prepared on first use and kept; finish it with
 * step_kept or sqlite3_reset, never sqlite3_finalize.  sql must be a literal. */
static sqlite3_stmt *prepare_kept(lx_db *db, const char *sql)
{
  int i = 0;
  while (i < KEPT_STATEMENTS && db->kept[i].sql && db->kept[i].sql != sql)
    i++;
  if (i < KEPT_STATEMENTS && db->kept[i].sql == sql) {
    sqlite3_clear_bindings(db->kept[i].st);
    return db->kept[i].st;
  }
  sqlite3_stmt *st = NULL;
  if (i == KEPT_STATEMENTS || sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
    sql_fail(db, "prepare");
    return NULL;
  }
  db->kept[i].sql = sql;
  db->kept[i].st = st;
  return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

/* Runs a statement that returns no row (or whose rows are ignored); finalizes it. */
static int step_done(lx_db *db, sqlite3_stmt *st, const char *what)
{
  if (!st)
    return -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    ;
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : sql_fail(db, what);
}

/* step_done for a kept statement. */
static int step_kept(lx_db *db, sqlite3_stmt *st, const char *what)
{
  if (!st)
    return -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    ;
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : sql_fail(db, what);
}

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/* The latest complete run over the whole program (a compilation database, unsharded,
 * or a merge of shards), as an SQL expression; NULL when there is none. */
#define LATEST_FULL                                                                                   \
  "max(id) FROM runs WHERE status = 'complete' AND scope = 'full' AND shard IS NULL"                  \
  " AND command IN ('check', 'baseline', 'merge')"

/* Facts a TU had before its latest, kept beside those of the latest full run. */
#define RECENT_FACTS_KEPT "1"

/* This process as `runs` records it: the host, and when the process started (the
 * boot's id and the start time in clock ticks, /proc/PID/stat field 22), so that a
 * pid used again by another process is not taken for the run's.  out gets "" when
 * /proc cannot say. */
static void process_start(long pid, char *out, size_t n)
{
  char path[64], boot[64] = "", buf[1024];
  out[0] = '\0';
  FILE *fp = fopen("/proc/sys/kernel/random/boot_id", "r");
  if (fp) {
    if (!fgets(boot, sizeof(boot), fp))
      boot[0] = '\0';
    fclose(fp);
  }
  boot[strcspn(boot, "\r\n")] = '\0';
  snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
  fp = fopen(path, "r");
  size_t len = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
  if (fp)
    fclose(fp);
  buf[len] = '\0';
  const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  for (int field = 2; p && field < 22; field++)
    p = strchr(p + 1, ' ');
  unsigned long long start;
  if (boot[0] && p && sscanf(p + 1, "%llu", &start) == 1)
    snprintf(out, n, "%s/%llu", boot, start);
}

static void host_name(char *out, size_t n)
{
  if (gethostname(out, n) != 0)
    out[0] = '\0';
  out[n - 1] = '\0';
}

/* Whether the process that began a run on this host still runs it. */
static int process_alive(long pid, const char *start)
{
  if (pid <= 0)
    return 1; /* not recorded: cannot tell */
  if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
    return 0;
  if (!start || !start[0])
    return 1;
  char now[128];
  process_start(pid, now, sizeof(now));
  return !now[0] || !strcmp(now, start);
}

int lx_db_runs_reap(lx_db *db)
{
  char host[256];
  host_name(host, sizeof(host));
  if (begin(db) < 0)
    return -1;
  sqlite3_stmt *st = prepare(db, "SELECT id, pid, process_start FROM runs WHERE status = 'running' AND host = ?");
  sqlite3_stmt *up = prepare(db, "UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'");
  int rc = st && up ? SQLITE_ROW : SQLITE_ERROR, n = 0;
  if (st)
    bind_text(st, 1, host);
  while (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (process_alive((long)sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2)))
      continue;
    sqlite3_reset(up);
    sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
    if (sqlite3_step(up) != SQLITE_DONE)
      rc = SQLITE_ERROR;
    n++;
  }
  sqlite3_finalize(st);
  sqlite3_finalize(up);
  if (rc != SQLITE_DONE) {
    sql_fail(db, "marking interrupted runs");
    rollback(db);
    return -1;
  }
  return commit(db) < 0 ? -1 : n;
}

int lx_db_run_begin(lx_db *db, const lx_db_run *run, int64_t *id)
{
  if (lx_db_runs_reap(db) < 0)
    return -1;
  char host[256], start[128];
  host_name(host, sizeof(host));
  process_start((long)getpid(), start, sizeof(start));
  if (begin(db) < 0)
    return -1;
  sqlite3_stmt *st = prepare(db, "INSERT INTO runs (started_at, version, command, options, root, vcs_commit, "
                                 "shard, scope, host, pid, process_start) VALUES (" NOW ", ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, ?)");
  if (st) {
    bind_text(st, 1, run->version);
    bind_text(st, 2, run->command);
    bind_text(st, 3, run->options ? run->options : "[]");
    bind_text(st, 4, run->root);
    bind_text(st, 5, run->vcs_commit);
    bind_text(st, 6, run->shard);
    bind_text(st, 7, run->scope ? run->scope : run->shard ? "shard" : "full");
    bind_text(st, 8, host);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)getpid());
    bind_text(st, 10, start[0] ? start : NULL);
  }
  if (step_done(db, st, "recording the run") < 0) {
    rollback(db);
    return -1;
  }
  *id = sqlite3_last_insert_rowid(db->db);
  return commit(db);
}

int lx_db_run_end(lx_db *db, int64_t run, int exit_code, int complete)
{
  sqlite3_stmt *st = prepare(db, "UPDATE runs SET finished_at = " NOW ", status = ?, exit_code = ? WHERE id = ?");
  if (st) {
    bind_text(st, 1, complete ? "complete" : "failed");
    sqlite3_bind_int(st, 2, exit_code);
    sqlite3_bind_int64(st, 3, run);
  }
  return step_done(db, st, "finishing the run");
}

int lx_db_tu_record(lx_db *db, int64_t run, const lx_db_tu *tu)
{
  if (begin(db) < 0)
    return -1;
  sqlite3_stmt *st;
  if (tu->facts && tu->facts_key) {
    /* The TU's older facts go, but for those a later run may still take as the rest
     * of the program (lx_db_view_tus): the latest full run's, and the most recent
     * other ones (a refused commit's facts, with the file as it was before kept too). */
    st = prepare_kept(db, "DELETE FROM facts_cache WHERE path = ?1 AND flags_hash = ?2 AND key <> ?3"
                          " AND key NOT IN (SELECT facts_key FROM translation_units WHERE path = ?1"
                          "   AND facts_key IS NOT NULL AND run_id = (SELECT " LATEST_FULL "))"
                          " AND key NOT IN (SELECT key FROM facts_cache WHERE path = ?1 AND flags_hash = ?2"
                          "   AND key <> ?3 ORDER BY run_id DESC, rowid DESC LIMIT " RECENT_FACTS_KEPT ")");
    if (st) {
      bind_text(st, 1, tu->path);
      bind_text(st, 2, tu->flags_hash ? tu->flags_hash : "");
      bind_text(st, 3, tu->facts_key);
    }
    if (step_kept(db, st, "pruning the facts cache") < 0)
      goto fail;
    st = prepare_kept(db, "INSERT OR REPLACE INTO facts_cache (key, path, flags_hash, facts, digest, run_id) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
    if (st) {
      bind_text(st, 1, tu->facts_key);
      bind_text(st, 2, tu->path);
      bind_text(st, 3, tu->flags_hash ? tu->flags_hash : "");
      sqlite3_bind_blob64(st, 4, tu->facts, tu->facts_len, SQLITE_STATIC);
      bind_text(st, 5, tu->digest ? tu->digest : "");
      sqlite3_bind_int64(st, 6, run);
    }
    if (step_kept(db, st, "caching facts") < 0)
      goto fail;
  }
  st = prepare_kept(db, "INSERT OR REPLACE INTO translation_units (run_id, path, flags_hash, content_hash, status, "
                   "parse_errors, facts_key) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (st) {
    sqlite3_bind_int64(st, 1, run);
    bind_text(st, 2, tu->path);
    bind_text(st, 3, tu->flags_hash ? tu->flags_hash : "");
    bind_text(st, 4, tu->content_hash);
    bind_text(st, 5, tu->status);
    sqlite3_bind_int(st, 6, tu->parse_errors);
    bind_text(st, 7, tu->facts_key);
  }
  if (step_kept(db, st, "recording a translation unit") < 0)
    goto fail;
  return commit(db);
fail:
  rollback(db);
  return -1;
}

int lx_db_batch_begin(lx_db *db)
{
  if (db->batch || exec(db, "BEGIN IMMEDIATE") < 0)
    return -1;
  db->batch = 1;
  return 0;
}

int lx_db_batch_end(lx_db *db)
{
  if (!db->batch)
    return 0;
  db->batch = 0;
  if (exec(db, "COMMIT") < 0) {
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
  }
  return 0;
}

void *lx_db_facts_get(lx_db *db, const char *key, size_t *len)
{
  sqlite3_stmt *st = prepare_kept(db, "SELECT facts FROM facts_cache WHERE key = ?");
  if (!st)
    return NULL;
  bind_text(st, 1, key);
  void *out = NULL;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const void *b = sqlite3_column_blob(st, 0);
    *len = (size_t)sqlite3_column_bytes(st, 0);
    out = lx_xmalloc(*len ? *len : 1);
    if (*len)
      memcpy(out, b, *len);
  }
  sqlite3_reset(st);
  return out;
}

int lx_db_facts_digest(lx_db *db, const char *key, char digest[17])
{
  sqlite3_stmt *st = prepare_kept(db, "SELECT digest FROM facts_cache WHERE key = ?");
  if (!st)
    return 0;
  bind_text(st, 1, key);
  int found = sqlite3_step(st) == SQLITE_ROW;
  if (found)
    snprintf(digest, 17, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_reset(st);
  return found && digest[0];
}

int lx_db_stamps_load(lx_db *db, int (*fn)(const lx_db_stamp *s, void *arg), void *arg)
{
  sqlite3_stmt *st = prepare(db, "SELECT path, size, mtime_ns, ctime_ns, inode, hash, includes FROM file_stamps");
  if (!st)
    return -1;
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    lx_db_stamp s = {(const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                     sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
                     (const char *)sqlite3_column_text(st, 5), (const char *)sqlite3_column_text(st, 6)};
    stop = fn(&s, arg);
  }
  sqlite3_finalize(st);
  if (stop)
    return stop;
  return rc == SQLITE_DONE ? 0 : sql_fail(db, "reading file stamps");
}

int lx_db_stamp_put(lx_db *db, const lx_db_stamp *s)
{
  sqlite3_stmt *st = prepare_kept(db, "INSERT OR REPLACE INTO file_stamps (path, size, mtime_ns, ctime_ns, inode, "
                                      "hash, includes) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (st) {
    bind_text(st, 1, s->path);
    sqlite3_bind_int64(st, 2, s->size);
    sqlite3_bind_int64(st, 3, s->mtime_ns);
    sqlite3_bind_int64(st, 4, s->ctime_ns);
    sqlite3_bind_int64(st, 5, s->inode);
    bind_text(st, 6, s->hash);
    bind_text(st, 7, s->includes);
  }
  return step_kept(db, st, "recording a file stamp");
}

int lx_db_stamp_drop(lx_db *db, const char *path)
{
  sqlite3_stmt *st = prepare_kept(db, "DELETE FROM file_stamps WHERE path = ?");
  if (st)
    bind_text(st, 1, path);
  return step_kept(db, st, "forgetting a file stamp");
}

char *lx_db_evaluation_get(lx_db *db, const char *key)
{
  sqlite3_stmt *st = prepare(db, "SELECT findings FROM evaluations WHERE key = ?");
  if (!st)
    return NULL;
  bind_text(st, 1, key);
  char *out = sqlite3_step(st) == SQLITE_ROW ? lx_xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
  sqlite3_finalize(st);
  return out;
}

/* How many evaluations are kept: enough for a few branches or configurations. */
#define EVALUATIONS_KEPT 8

int lx_db_evaluation_put(lx_db *db, const char *key, const char *findings, int64_t run)
{
  if (begin(db) < 0)
    return -1;
  sqlite3_stmt *st = prepare(db, "INSERT OR REPLACE INTO evaluations (key, findings, run_id) VALUES (?, ?, ?)");
  if (st) {
    bind_text(st, 1, key);
    bind_text(st, 2, findings);
    sqlite3_bind_int64(st, 3, run);
  }
  if (step_done(db, st, "caching the evaluation") < 0)
    goto fail;
  st = prepare(db, "DELETE FROM evaluations WHERE rowid NOT IN "
                   "(SELECT rowid FROM evaluations ORDER BY run_id DESC, rowid DESC LIMIT ?)");
  if (st)
    sqlite3_bind_int(st, 1, EVALUATIONS_KEPT);
  if (step_done(db, st, "pruning cached evaluations") < 0)
    goto fail;
  return commit(db);
fail:
  rollback(db);
  return -1;
}

static char *related_json(const lx_finding *fd, const char *root)
{
  json_t *arr = json_array();
  for (int r = 0; r < fd->nrelated; r++) {
    const lx_related *rl = &fd->related[r];
    json_t *j = json_pack("{s:s, s:i, s:i, s:s}", "file", lx_display_path(rl->loc.file, root), "line",
                          (int)rl->loc.line, "column", (int)rl->loc.col, "message", rl->message);
    if (rl->step)
      json_object_set_new(j, "step", json_integer(rl->step));
    json_array_append_new(arr, j);
  }
  /* The finding's own step of its path: an entry with no file (its place is the
   * finding's), which readers of related locations skip. */
  if (fd->step)
    json_array_append_new(arr, json_pack("{s:i, s:s}", "step", fd->step, "message",
                                         fd->step_message ? fd->step_message : ""));
  char *s = json_dumps(arr, JSON_COMPACT);
  json_decref(arr);
  return s;
}

static int record_finding(lx_db *db, sqlite3_stmt *up, sqlite3_stmt *occ, int64_t run, const lx_finding *fd,
                          const char *root)
{
  const char *sev = lx_severity_name(fd->severity);
  sqlite3_reset(up);
  sqlite3_clear_bindings(up);
  bind_text(up, 1, fd->fingerprint);
  bind_text(up, 2, fd->rule);
  bind_text(up, 3, sev);
  bind_text(up, 4, lx_display_path(fd->loc.file, root));
  sqlite3_bind_int(up, 5, (int)fd->loc.line);
  sqlite3_bind_int(up, 6, (int)fd->loc.col);
  bind_text(up, 7, fd->function);
  bind_text(up, 8, fd->message);
  sqlite3_bind_int64(up, 9, run);
  sqlite3_bind_int(up, 10, fd->suppressed);
  bind_text(up, 11, fd->key);
  if (sqlite3_step(up) != SQLITE_ROW)
    return sql_fail(db, "recording a finding");
  int64_t id = sqlite3_column_int64(up, 0);
  sqlite3_reset(up);

  char *rel = related_json(fd, root);
  sqlite3_reset(occ);
  sqlite3_clear_bindings(occ);
  sqlite3_bind_int64(occ, 1, run);
  sqlite3_bind_int64(occ, 2, id);
  bind_text(occ, 3, sev);
  sqlite3_bind_int(occ, 4, (int)fd->loc.line);
  sqlite3_bind_int(occ, 5, (int)fd->loc.col);
  bind_text(occ, 6, fd->message);
  sqlite3_bind_int(occ, 7, fd->suppressed);
  bind_text(occ, 8, fd->suppressed ? fd->suppress_reason : NULL);
  bind_text(occ, 9, rel);
  int rc = sqlite3_step(occ);
  free(rel);
  return rc == SQLITE_DONE ? 0 : sql_fail(db, "recording an occurrence");
}

int lx_db_findings_record(lx_db *db, int64_t run, const lx_findings *f, const char *root)
{
  /* A finding keeps its first run; the latest run to see it sets what it says now. */
  sqlite3_stmt *up = NULL, *occ = NULL;
  if (begin(db) < 0)
    return -1;
  up = prepare(db, "INSERT INTO findings (fingerprint, rule, severity, file, line, \"column\", function, "
                   "message, first_run, last_run, suppressed, key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                   "?9, ?10, ?11) ON CONFLICT (fingerprint) DO UPDATE SET "
                   "severity = iif(excluded.last_run >= last_run, excluded.severity, severity), "
                   "file = iif(excluded.last_run >= last_run, excluded.file, file), "
                   "line = iif(excluded.last_run >= last_run, excluded.line, line), "
                   "\"column\" = iif(excluded.last_run >= last_run, excluded.\"column\", \"column\"), "
                   "message = iif(excluded.last_run >= last_run, excluded.message, message), "
                   "suppressed = iif(excluded.last_run >= last_run, excluded.suppressed, suppressed), "
                   "first_run = min(first_run, excluded.first_run), "
                   "last_run = max(last_run, excluded.last_run) RETURNING id");
  occ = prepare(db, "INSERT OR REPLACE INTO occurrences (run_id, finding_id, severity, line, \"column\", "
                    "message, suppressed, suppress_reason, related) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int rc = up && occ ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < f->v.n; i++)
    rc = record_finding(db, up, occ, run, &f->v.v[i], root);
  sqlite3_finalize(up);
  sqlite3_finalize(occ);
  if (rc < 0) {
    rollback(db);
    return -1;
  }
  return commit(db);
}

static const char *abs_path(lx_arena *a, const char *root, const char *file)
{
  if (file[0] == '/' || !root || !*root)
    return lx_arena_strdup(a, file);
  return lx_arena_printf(a, "%s/%s", root, file);
}

static void load_related(lx_findings *out, lx_finding *fd, const char *root, const char *json)
{
  json_t *arr = json_loads(json ? json : "[]", 0, NULL);
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *file = json_string_value(json_object_get(v, "file"));
    const char *msg = json_string_value(json_object_get(v, "message"));
    json_int_t step = json_integer_value(json_object_get(v, "step"));
    if (step < 0 || step > LX_MAX_RELATED + 1)
      step = 0;
    if (!file) {
      if (step)
        lx_finding_own_step(out, fd, (int)step, "%s", msg ? msg : "");
      continue;
    }
    lx_loc loc = {abs_path(&out->arena, root, file), (unsigned)json_integer_value(json_object_get(v, "line")),
                  (unsigned)json_integer_value(json_object_get(v, "column"))};
    lx_related *r = lx_finding_relate(out, fd, loc, "%s", msg ? msg : "");
    if (r)
      r->step = (int)step;
  }
  json_decref(arr);
}

int lx_db_findings_load(lx_db *db, int64_t run, lx_findings *out, char *root_out, size_t rootlen)
{
  sqlite3_stmt *st = prepare(db, "SELECT root FROM runs WHERE id = ?");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    return lx_db_no_run(db, run);
  }
  char *root = lx_xstrdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (root_out)
    snprintf(root_out, rootlen, "%s", root);
  st = prepare(db, "SELECT f.rule, o.severity, f.file, o.line, o.\"column\", f.function, f.key, o.message, "
                   "f.fingerprint, o.suppressed, o.suppress_reason, o.related FROM occurrences o "
                   "JOIN findings f ON f.id = o.finding_id WHERE o.run_id = ? "
                   "ORDER BY f.file, o.line, o.\"column\", f.rule, o.message");
  if (!st) {
    free(root);
    return -1;
  }
  sqlite3_bind_int64(st, 1, run);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
#define COL(i) ((const char *)sqlite3_column_text(st, i))
    lx_loc loc = {abs_path(&out->arena, root, COL(2)), (unsigned)sqlite3_column_int(st, 3),
                  (unsigned)sqlite3_column_int(st, 4)};
    lx_severity sev = lx_severity_parse(COL(1));
    lx_finding *fd = lx_findings_add(out, lx_arena_strdup(&out->arena, COL(0)), sev, loc, COL(5), COL(6), "%s",
                                     COL(7));
    snprintf(fd->fingerprint, sizeof(fd->fingerprint), "%s", COL(8));
    fd->suppressed = sqlite3_column_int(st, 9) != 0;
    if (COL(10))
      fd->suppress_reason = lx_arena_strdup(&out->arena, COL(10));
    load_related(out, fd, root, COL(11));
#undef COL
  }
  sqlite3_finalize(st);
  free(root);
  return rc == SQLITE_DONE ? 0 : sql_fail(db, "reading findings");
}

int lx_db_baseline_set(lx_db *db, int64_t run)
{
  if (begin(db) < 0)
    return -1;
  sqlite3_stmt *st = prepare(db, "UPDATE findings SET baselined = 0, baseline_run = NULL WHERE baselined");
  if (step_done(db, st, "clearing the baseline") < 0)
    goto fail;
  st = prepare(db, "UPDATE findings SET baselined = 1, baseline_run = ?1 "
                   "WHERE id IN (SELECT finding_id FROM occurrences WHERE run_id = ?1)");
  if (st)
    sqlite3_bind_int64(st, 1, run);
  if (step_done(db, st, "recording the baseline") < 0)
    goto fail;
  return commit(db);
fail:
  rollback(db);
  return -1;
}

int lx_db_baselined(lx_db *db, const char *fp)
{
  sqlite3_stmt *st = prepare(db, "SELECT baselined FROM findings WHERE fingerprint = ?");
  if (!st)
    return -1;
  bind_text(st, 1, fp);
  int rc = sqlite3_step(st);
  int hit = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_fail(db, "reading the baseline");
  return hit;
}

static int64_t scalar(lx_db *db, const char *sql, const char *arg)
{
  sqlite3_stmt *st = prepare(db, sql);
  if (!st)
    return -1;
  bind_text(st, 1, arg);
  int rc = sqlite3_step(st);
  int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_fail(db, "query");
  return v;
}

int64_t lx_db_baseline_size(lx_db *db) { return scalar(db, "SELECT count(*) FROM findings WHERE baselined", NULL); }

int64_t lx_db_latest_run(lx_db *db, const char *command)
{
  return scalar(db, "SELECT coalesce(max(id), 0) FROM runs WHERE status = 'complete' AND (?1 IS NULL OR command = ?1)",
                command);
}

int lx_db_run_tus(lx_db *db, int64_t run, int (*fn)(const lx_db_tu *tu, void *arg), void *arg)
{
  sqlite3_stmt *st = prepare(db, "SELECT t.path, t.content_hash, t.status, t.parse_errors, t.facts_key, c.facts, "
                                 "t.flags_hash, c.digest FROM translation_units t LEFT JOIN facts_cache c ON c.key = t.facts_key "
                                 "WHERE t.run_id = ? ORDER BY t.id");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    lx_db_tu tu = {(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                   (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
                   (const char *)sqlite3_column_text(st, 4), sqlite3_column_blob(st, 5),
                   (size_t)sqlite3_column_bytes(st, 5), (const char *)sqlite3_column_text(st, 6),
                   (const char *)sqlite3_column_text(st, 7)};
    stop = fn(&tu, arg);
  }
  sqlite3_finalize(st);
  if (stop)
    return stop;
  return rc == SQLITE_DONE ? 0 : sql_fail(db, "reading translation units");
}

int64_t lx_db_latest_analysis(lx_db *db, char *shard, size_t n, char *root, size_t rootlen)
{
  sqlite3_stmt *st = prepare(db, "SELECT id, coalesce(shard, ''), root FROM runs WHERE status = 'complete' "
                                 "AND command IN ('check', 'baseline') ORDER BY id DESC LIMIT 1");
  if (!st)
    return -1;
  int rc = sqlite3_step(st);
  int64_t id = 0;
  shard[0] = '\0';
  root[0] = '\0';
  if (rc == SQLITE_ROW) {
    id = sqlite3_column_int64(st, 0);
    snprintf(shard, n, "%s", (const char *)sqlite3_column_text(st, 1));
    snprintf(root, rootlen, "%s", (const char *)sqlite3_column_text(st, 2));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_fail(db, "reading runs");
  return id;
}

int lx_db_view_tus(lx_db *db, int (*fn)(const lx_db_tu *tu, int64_t run, void *arg), void *arg)
{
  sqlite3_stmt *st = prepare(db, "SELECT t.path, t.content_hash, t.status, t.parse_errors, t.facts_key, t.flags_hash, "
                                 "c.digest, t.run_id FROM translation_units t JOIN runs r ON r.id = t.run_id "
                                 "LEFT JOIN facts_cache c ON c.key = t.facts_key "
                                 "WHERE t.run_id >= coalesce((SELECT " LATEST_FULL "), 0) AND r.shard IS NULL "
                                 "AND r.command IN ('check', 'baseline', 'merge', 'pre-commit') "
                                 "ORDER BY t.path, t.run_id DESC, t.id DESC");
  if (!st)
    return -1;
  int rc, stop = 0;
  while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    lx_db_tu tu = {(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                   (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
                   (const char *)sqlite3_column_text(st, 4), NULL, 0, (const char *)sqlite3_column_text(st, 5),
                   (const char *)sqlite3_column_text(st, 6)};
    stop = fn(&tu, sqlite3_column_int64(st, 7), arg);
  }
  sqlite3_finalize(st);
  if (stop)
    return stop;
  return rc == SQLITE_DONE ? 0 : sql_fail(db, "reading translation units");
}

int lx_db_run_whole(lx_db *db, int64_t run, char *command, size_t n)
{
  sqlite3_stmt *st = prepare(db, "SELECT command, shard IS NULL AND status = 'complete' FROM runs WHERE id = ?");
  if (!st)
    return -1;
  sqlite3_bind_int64(st, 1, run);
  int rc = sqlite3_step(st), whole = 0;
  command[0] = '\0';
  if (rc == SQLITE_ROW) {
    snprintf(command, n, "%s", (const char *)sqlite3_column_text(st, 0));
    whole = strcmp(command, "pre-commit") != 0 && sqlite3_column_int(st, 1);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_fail(db, "reading runs");
  return whole;
}
