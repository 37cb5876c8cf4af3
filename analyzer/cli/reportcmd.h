/* reportcmd.h - `leash report`: reports written from the findings database. */
#ifndef LX_REPORTCMD_H
#define LX_REPORTCMD_H

/* Runs `leash report` with argv[0] == "report": `--html DIR [--db FILE] [--run RUN]
 * [-q]` writes the HTML report of the run (the latest by default) in DIR.  Returns the
 * process exit code: 0, or 2 with one line on stderr (usage, no or a bad database, no
 * such run, the folder cannot be written). */
int lx_report_command(int argc, char **argv);

#endif
