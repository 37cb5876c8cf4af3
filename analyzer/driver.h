/* driver.h - one `leash check` run: jobs, analysis, rules, suppressions, reports. */
#ifndef LX_DRIVER_H
#define LX_DRIVER_H

#include "config.h"

typedef enum { LX_FMT_TEXT, LX_FMT_JSON } lx_format;

typedef struct {
  const char *compdb_dir; /* -p */
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
} lx_check_opts;

/* Exit codes, SPEC section 3. */
enum { LX_EXIT_OK = 0, LX_EXIT_FINDINGS = 1, LX_EXIT_USAGE = 2, LX_EXIT_TU = 3 };

/* Runs the check; returns the process exit code. */
int lx_check(const lx_check_opts *o);

/* `leash facts`: prints the facts of each translation unit as JSON; returns the exit code. */
int lx_facts_dump(const lx_check_opts *o);

#endif
