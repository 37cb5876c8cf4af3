/* findings.h - what rules report and emitters print: findings with their related
 * locations, fingerprints and suppression state.  Emitters know findings, not rules. */
#ifndef LX_FINDINGS_H
#define LX_FINDINGS_H

#include <stdio.h>

#include "base/severity.h"
#include "facts/facts.h"

#define LX_MAX_RELATED 8

typedef struct {
  lx_loc loc;
  const char *message;
  int step; /* its place on the finding's path (1 first), or 0: not a step (see lx_finding.step) */
} lx_related;

typedef struct {
  const char *rule;
  lx_severity severity;
  lx_loc loc;
  const char *function; /* enclosing function, or NULL */
  const char *message;
  const char *key;      /* what the finding is about ("h", "struct conn.curl"), for fingerprints */
  int nrelated;
  lx_related related[LX_MAX_RELATED];
  char fingerprint[17]; /* hex, stable across line shifts */
  unsigned suppressed : 1;
  const char *suppress_reason;
  /* A finding whose reason is a path (the accept loop, the handler it calls, the
   * wrapper, the spawn; the handle made, passed on, performed) numbers its steps:
   * related locations with a step, and the finding's own location at `step` with
   * step_message (short: the full message is `message`).  0 when it has no path;
   * otherwise the steps are 1..n with no gap, the finding's own among them. */
  int step;
  const char *step_message;
} lx_finding;

typedef struct {
  lx_arena arena;
  LX_VEC(lx_finding) v;
} lx_findings;

void lx_findings_init(lx_findings *f);
void lx_findings_free(lx_findings *f);
/* Adds a finding; strings are copied.  Returns it so related locations can be added. */
lx_finding *lx_findings_add(lx_findings *f, const char *rule, lx_severity sev, lx_loc loc,
                            const char *function, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Adds a related location; returns it (to give it a step), or NULL when the finding
 * has LX_MAX_RELATED already or loc has no file. */
lx_related *lx_finding_relate(lx_findings *f, lx_finding *fd, lx_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Makes the finding's own location step `step` of its path, saying fmt. */
void lx_finding_own_step(lx_findings *f, lx_finding *fd, int step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A path of up to three steps: `before` (what led to the call: the loop, the caller,
 * where the handle was made), the finding's own location saying fmt, then `after`
 * (the blocking call or spawn inside a wrapper it calls).  Either may be NULL; with
 * both NULL the finding has no path and nothing is set. */
void lx_finding_chain(lx_findings *f, lx_finding *fd, lx_related *before, lx_related *after, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The finding's path in order: out[k] is the related index of step k+1, or -1 for the
 * finding's own location.  Returns the number of steps (0: no path, or steps that do
 * not number 1..n). */
int lx_finding_path(const lx_finding *fd, int out[LX_MAX_RELATED + 1]);
/* Adds a copy of fd (from another list) with its related locations. */
lx_finding *lx_findings_append(lx_findings *f, const lx_finding *fd);
/* Sorts by file, line, column, rule, and drops exact duplicates. */
void lx_findings_sort(lx_findings *f);

/* Source lines for snippets and suppressions; files are read once. */
typedef struct lx_sources lx_sources;
lx_sources *lx_sources_new(void);
void lx_sources_free(lx_sources *s);
/* Line `line` (1-based) of file without its newline, or NULL; *len gets its length. */
const char *lx_sources_line(lx_sources *s, const char *file, unsigned line, size_t *len);

/* Fills each finding's fingerprint: a hash of rule, file, function, key, the flagged
 * line's text without blanks, and its rank among findings sharing all of these. */
void lx_findings_fingerprint(lx_findings *f, lx_sources *src, const char *root);

/* Path shown for a file: relative to root when below it. */
const char *lx_display_path(const char *file, const char *root);

/* What an emitter may say about a rule (SARIF's tool.driver.rules); the analyzer
 * fills it from its rule table, so emitters need not know rules. */
typedef struct {
  const char *id;
  const char *title;    /* one line */
  const char *tags;     /* comma separated */
  const char *doc;      /* the rule's Markdown documentation, or NULL */
  lx_severity severity; /* default */
  const char *precision; /* SARIF/CodeQL: "very-high", "high", "medium", "low" */
  const char *help_uri;  /* the URL of its page, or NULL */
} lx_rule_meta;

/* Something the run itself reports (a translation unit that did not parse). */
typedef struct {
  const char *file; /* or NULL */
  const char *message;
  lx_severity level;
} lx_notification;

/* Emitters; each returns 0 or -1 on a write error. */
typedef struct {
  const char *root;   /* paths are shown relative to this */
  int color;
  lx_sources *sources;
  /* Run metadata, for SARIF: every rule, the tool version, the invocation. */
  const lx_rule_meta *rules;
  size_t nrules;
  const char *version;
  const char *information_uri;
  const char *start_utc, *end_utc; /* ISO 8601, or NULL */
  int exit_code;
  const char *const *argv;         /* the command line, or NULL */
  int argc;
  const lx_notification *notes;
  size_t nnotes;
} lx_emit_opts;

int lx_emit_text(FILE *out, const lx_findings *f, const lx_emit_opts *o);
int lx_emit_json(FILE *out, const lx_findings *f, const lx_emit_opts *o);
/* SARIF 2.1.0 for GitHub code scanning: uris relative to %SRCROOT% (o->root). */
int lx_emit_sarif(FILE *out, const lx_findings *f, const lx_emit_opts *o);

#endif
