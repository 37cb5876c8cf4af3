/* dbcmd.h - `leash db ...`: queries of the findings database. */
#ifndef LX_DBCMD_H
#define LX_DBCMD_H

#include <stdint.h>

#include "reports/store/db.h"

/* Runs `leash db` with argv[0] == "db"; returns the process exit code (0, or 2 for a
 * usage or database error, with one line on stderr). */
int lx_db_command(int argc, char **argv);

/* `leash baseline --run RUN`: makes the findings of a recorded run (an id, or `latest`)
 * the baseline, analysing nothing and recording no run.  db_path NULL: the project's
 * database.  The run must be one over the whole program (not a pre-commit run or a
 * shard).  Returns the exit code (0, or 2 with one line on stderr). */
int lx_baseline_from_run(const char *db_path, const char *run, int quiet);

/* Opens the findings database at path, which must exist (flags as lx_db_open's).
 * Returns 0 and *db, or LX_EXIT_USAGE after one line on stderr: no database there
 * (run `leash check` first), not leash's, newer than this leash, cannot be opened. */
int lx_db_open_existing(const char *path, int flags, lx_db **db);

/* The run that s names: a run id, or `latest` (the latest complete run over the whole
 * program: the view latest_run).  Returns it, or -1 after one line on stderr naming
 * db_path when there is no such run. */
int64_t lx_db_run_arg(lx_db *db, const char *db_path, const char *s);

#endif
