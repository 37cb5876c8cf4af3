/* db.h - the findings database (SQLite): runs, translation units, findings over time,
 * baselines and the per-TU facts cache.  The schema is versioned with
 * PRAGMA user_version and migrated on open; README "Findings database" documents it. */
#ifndef LX_DB_H
#define LX_DB_H

#include <stdint.h>

#include "reports/findings.h"

/* The schema version this leash writes. */
#define LX_DB_VERSION 4

typedef struct lx_db lx_db;

enum {
  LX_DB_CREATE = 1,   /* create the file when missing (else it must exist) */
  LX_DB_READONLY = 2, /* SQLITE_OPEN_READONLY (migrating first when the file is older) */
};

/* Opens (and creates or migrates) the database at path.  Returns 0 and *out, or -1
 * with a one-line message naming the file in err: not a database, a database of
 * another application, a schema newer than LX_DB_VERSION, cannot open or write. */
int lx_db_open(const char *path, int flags, lx_db **out, char *err, size_t errlen);
void lx_db_close(lx_db *db);
/* The message of the last failure, naming the file. */
const char *lx_db_error(const lx_db *db);
/* The connection, for queries of `leash db`. */
struct sqlite3 *lx_db_sqlite(lx_db *db);
/* For queries made on that connection elsewhere (db_report.c): sets lx_db_error to
 * "findings database: what: SQLite's last message", naming the file, and returns -1. */
int lx_db_fail(lx_db *db, const char *what);
/* Sets lx_db_error to "no run RUN in the findings database" and returns -1. */
int lx_db_no_run(lx_db *db, int64_t run);

/* A run as recorded in `runs`. */
typedef struct {
  const char *command;   /* check, baseline, merge */
  const char *version;
  const char *options;   /* the command line as a JSON array */
  const char *root;
  const char *vcs_commit; /* or NULL */
  const char *shard;      /* "K/N" or NULL */
  const char *scope;      /* full (every TU of a compilation database, or a merge), files, shard;
                             NULL: shard when sharded, else full */
} lx_db_run;

/* Marks `interrupted` every `running` run begun on this host by a process that is
 * gone (killed, crashed, the machine restarted); what they committed stays.  Returns
 * how many, or -1. */
int lx_db_runs_reap(lx_db *db);
/* Inserts a run with status `running`, with this process's host, pid and start time
 * (after lx_db_runs_reap); *id gets its id.  0 or -1. */
int lx_db_run_begin(lx_db *db, const lx_db_run *run, int64_t *id);
/* Marks the run complete (or failed when !complete) with its exit code and end time. */
int lx_db_run_end(lx_db *db, int64_t run, int exit_code, int complete);

/* One translation unit of a run; facts (may be NULL: facts_bin.c's encoding, with
 * digest its hash) are stored in the facts cache under facts_key, replacing older
 * entries for the same path and flags but the latest full run's and the most recent
 * other one (a later run over other files may take them: lx_db_view_tus). */
typedef struct {
  const char *path;
  const char *content_hash;
  const char *status; /* ok, errors, failed, cached */
  int parse_errors;
  const char *facts_key;  /* or NULL */
  const void *facts;      /* or NULL: the cache already has facts_key */
  size_t facts_len;
  const char *flags_hash; /* the arguments' hash: a file compiled twice is two TUs */
  const char *digest;     /* the facts' hash, with facts */
} lx_db_tu;

/* Records one TU in one transaction.  0 or -1. */
int lx_db_tu_record(lx_db *db, int64_t run, const lx_db_tu *tu);
/* Records made between these two join one transaction (many cached TUs at once)
 * instead of one each.  0 or -1. */
int lx_db_batch_begin(lx_db *db);
int lx_db_batch_end(lx_db *db);
/* The cached facts for key (malloc'd, *len set), or NULL when not cached. */
void *lx_db_facts_get(lx_db *db, const char *key, size_t *len);
/* Whether facts are cached under key: 1 with their digest copied to digest, else 0. */
int lx_db_facts_digest(lx_db *db, const char *key, char digest[17]);

/* A source file as a run read it (see lx_file_stamp in analyzer/cache/cache.h). */
typedef struct {
  const char *path;
  long long size, mtime_ns, ctime_ns, inode;
  const char *hash;     /* 16 hex digits */
  const char *includes;
} lx_db_stamp;

/* Calls fn for each file stamp; stops at its first non-zero return, which it returns;
 * -1 on a database error. */
int lx_db_stamps_load(lx_db *db, int (*fn)(const lx_db_stamp *s, void *arg), void *arg);
/* Records (or replaces) one file's stamp.  0 or -1. */
int lx_db_stamp_put(lx_db *db, const lx_db_stamp *s);
/* Forgets one file's stamp (the next run that meets the file reads it).  0 or -1. */
int lx_db_stamp_drop(lx_db *db, const char *path);

/* The raw findings a program-wide evaluation gave, cached under a key that hashes
 * everything they depend on (every TU's facts digest, the rules, the configuration):
 * a run whose facts did not change reuses them.  Text (malloc'd) or NULL. */
char *lx_db_evaluation_get(lx_db *db, const char *key);
/* Stores one, keeping the few most recent.  0 or -1. */
int lx_db_evaluation_put(lx_db *db, const char *key, const char *findings, int64_t run);

/* Records the run's findings (fingerprints, first/last run seen, occurrences) in one
 * transaction.  root makes file names repository-relative.  0 or -1. */
int lx_db_findings_record(lx_db *db, int64_t run, const lx_findings *f, const char *root);
/* Appends the findings of run to out, with absolute file names under the run's root
 * (copied to root_out, of size rootlen, when not NULL).  0, or -1 (no such run). */
int lx_db_findings_load(lx_db *db, int64_t run, lx_findings *out, char *root_out, size_t rootlen);

/* Makes the findings of run the baseline (replacing an older one).  0 or -1. */
int lx_db_baseline_set(lx_db *db, int64_t run);
/* Whether fingerprint fp is in the baseline: 1, 0, or -1 on error. */
int lx_db_baselined(lx_db *db, const char *fp);
/* Number of fingerprints in the baseline, or -1. */
int64_t lx_db_baseline_size(lx_db *db);

/* Calls fn for each translation unit of run, in the order they were recorded, with facts set to
 * its cached facts (NULL when none).  Stops at fn's first non-zero return, which it
 * returns; -1 on a database error. */
int lx_db_run_tus(lx_db *db, int64_t run, int (*fn)(const lx_db_tu *tu, void *arg), void *arg);
/* The latest complete analysis run (check or baseline); its shard ("K/N", or "" when
 * not sharded) is copied to shard, its project root to root (rootlen bytes).  0 when
 * there is none, -1 on error. */
int64_t lx_db_latest_analysis(lx_db *db, char *shard, size_t n, char *root, size_t rootlen);

/* The freshest complete view of the program the database knows, for a run that
 * analyses some files only (--pre-commit, the editor): every TU that the latest
 * complete full run (scope full; when there is none, any run) or a later unsharded
 * run recorded.  fn gets each record of each TU since that run, grouped by path and
 * newest first, with facts NULL and digest NULL when the cache has no facts under its
 * facts_key (lx_db_facts_get reads them), and the run that recorded it; the caller
 * picks one per path.  Stops at fn's first non-zero return, which it returns; -1 on
 * a database error. */
int lx_db_view_tus(lx_db *db, int (*fn)(const lx_db_tu *tu, int64_t run, void *arg), void *arg);

/* Whether run's findings are those of the whole program (a complete, unsharded check,
 * baseline or merge, not a pre-commit run): 1 or 0, with its command copied to command
 * ("" when there is no such run); -1 on error. */
int lx_db_run_whole(lx_db *db, int64_t run, char *command, size_t n);

/* The latest run of the database that finished (any command when command is NULL),
 * or 0 when there is none; -1 on error. */
int64_t lx_db_latest_run(lx_db *db, const char *command);

#endif
