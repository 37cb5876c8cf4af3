/* dbcmd.h - `leash db ...`: queries of the findings database. */
#ifndef LX_DBCMD_H
#define LX_DBCMD_H

/* Runs `leash db` with argv[0] == "db"; returns the process exit code (0, or 2 for a
 * usage or database error, with one line on stderr). */
int lx_db_command(int argc, char **argv);

/* `leash baseline --run RUN`: makes the findings of a recorded run (an id, or `latest`)
 * the baseline, analysing nothing and recording no run.  db_path NULL: the project's
 * database.  The run must be one over the whole program (not a pre-commit run or a
 * shard).  Returns the exit code (0, or 2 with one line on stderr). */
int lx_baseline_from_run(const char *db_path, const char *run, int quiet);

#endif
