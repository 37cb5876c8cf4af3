/* dbcmd.h - `leash db ...`: queries of the findings database. */
#ifndef LX_DBCMD_H
#define LX_DBCMD_H

/* Runs `leash db` with argv[0] == "db"; returns the process exit code (0, or 2 for a
 * usage or database error, with one line on stderr). */
int lx_db_command(int argc, char **argv);

#endif
