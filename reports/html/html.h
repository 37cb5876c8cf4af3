/* html.h - the HTML report of one run: an index (counts per rule and per file, a trend
 * chart of open, new and fixed findings across runs, every finding) and one page per
 * finding (its source with the path steps numbered on their lines, the message, the
 * fix).  Static files only: no script, no font, nothing fetched; they open offline and
 * from a CI artifact. */
#ifndef LX_HTML_H
#define LX_HTML_H

#include <stdint.h>
#include <stdio.h>

#include "reports/findings.h"

/* One run of the trend chart. */
typedef struct {
  int64_t run;
  const char *started_at;     /* ISO 8601, or "" */
  int64_t open, fresh, fixed; /* fresh: open and not open in the run before */
} lx_html_point;

/* What the database says of one finding beyond its message. */
typedef struct {
  unsigned fresh : 1;     /* open in this run and not in the run before it */
  unsigned baselined : 1; /* in the baseline */
  int64_t baseline_run;   /* the run the baseline was taken from */
} lx_html_mark;

typedef struct {
  const char *dir;      /* the report's folder, created when missing */
  const char *project;  /* shown in titles (the root's folder name) */
  int64_t run, prev_run; /* the run reported and the one it is compared with (0: none) */
  const char *started_at, *status, *command, *commit, *db_path; /* "" when unknown */
  const lx_findings *findings; /* the run's, sorted by file and line */
  const lx_html_mark *marks;   /* one per finding */
  const lx_findings *fixed;    /* open in prev_run and not in run */
  const lx_html_point *trend;  /* oldest first, ending with run */
  size_t ntrend;
  /* What to say of a source file (changed or gone since the run), or NULL. */
  const char *(*file_note)(const char *file, void *arg);
  void *note_arg;
} lx_html_report;

/* Writes r->dir/index.html, r->dir/style.css and r->dir/findings/<fingerprint>.html,
 * each to a temporary name renamed into place, the index last, and removes the
 * finding pages of an earlier report there that this one has not.  o gives the root
 * (paths are shown relative to it), the sources, the rules (their "How to fix") and the
 * version.  A folder that holds something other than a leash report is refused.
 * Returns 0, or -1 with a one-line message in err. */
int lx_emit_html(const lx_html_report *r, const lx_emit_opts *o, char *err, size_t errlen);

/* ---- html_io.c: the files of a report ------------------------------------------- */

/* Writes s (n bytes, or up to its NUL when n is (size_t)-1) HTML-escaped: & < > " '
 * as entities, control characters but tab and newline dropped. */
void lx_html_esc(FILE *out, const char *s, size_t n);

/* A file of the report being written: a temporary file in its folder until
 * lx_html_file_commit renames it into place. */
typedef struct {
  FILE *out;
  char path[4096], tmp[4120];
} lx_html_file;

/* Opens dir/name's temporary file.  0, or -1 with err set. */
int lx_html_file_open(lx_html_file *f, const char *dir, const char *name, char *err, size_t errlen);
/* Closes it and renames it into place (removing it on failure).  0, or -1 with err set. */
int lx_html_file_commit(lx_html_file *f, char *err, size_t errlen);

/* Makes dir (and its parents) and dir/sub.  A folder that exists, is not empty and has
 * no index.html written by leash is refused.  0, or -1 with err set. */
int lx_html_dir_prepare(const char *dir, const char *sub, char *err, size_t errlen);

/* Removes from dir the pages named like a finding's (16 hex digits, ".html") for which
 * keep(name, arg) is 0.  Returns how many, or -1 with err set. */
int lx_html_dir_prune(const char *dir, int (*keep)(const char *name, void *arg), void *arg, char *err,
                      size_t errlen);

/* ---- html.c and html_page.c: what the pages share ---------------------------------- */

/* The page's head, up to <body>: title escaped, the stylesheet at base "style.css"
 * (base "" or "../"), a content policy that allows nothing but that stylesheet. */
void lx_html_head(FILE *out, const char *title, const char *base, const char *version);
void lx_html_foot(FILE *out, const char *version);
/* The file name of fd's page: its fingerprint (or a hash of whatever the database
 * holds instead of one) and ".html". */
void lx_html_page_name(const lx_finding *fd, char out[24]);
/* The marks of a finding: new, suppressed (with the reason), baselined. */
void lx_html_marks(FILE *out, const lx_finding *fd, const lx_html_mark *m);

/* Writes the page of finding i of r->findings in dir/findings; fix is the rule's "How
 * to fix" as HTML, or NULL.  0, or -1 with err set. */
int lx_html_finding_page(const lx_html_report *r, const lx_emit_opts *o, size_t i, const char *fix, char *err,
                         size_t errlen);

/* ---- html_chart.c: the trend chart ------------------------------------------------ */

/* Writes an inline SVG line chart of open, new and fixed findings per run. */
void lx_html_trend_svg(FILE *out, const lx_html_point *p, size_t n);

#endif
