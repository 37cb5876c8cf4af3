/* verify.c - `leash check --verify`: compares findings with the `// expect: rule-id`
 * markers in the inputs, like clang's -verify (`// expect@+1: rule-id` marks the next
 * line).  Missing and unexpected findings both
 * fail; a file without markers must give no finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check_internal.h"
#include "reports/findings.h"
#include "rules/rules.h"

typedef struct {
  const char *file;
  unsigned line;
  char rule[64];
  int matched;
} expectation;

typedef LX_VEC(expectation) expectations;

static void scan_line(expectations *ex, const char *file, unsigned lineno, const char *line, size_t len)
{
  static const char tag[] = "expect";
  for (size_t i = 0; i + 2 < len; i++) {
    if (line[i] != '/' || (line[i + 1] != '/' && line[i + 1] != '*'))
      continue;
    const char *c = line + i + 2;
    size_t rest = len - i - 2;
    while (rest && (*c == ' ' || *c == '\t')) {
      c++;
      rest--;
    }
    if (rest < sizeof(tag) - 1 || memcmp(c, tag, sizeof(tag) - 1) != 0)
      continue;
    c += sizeof(tag) - 1;
    rest -= sizeof(tag) - 1;
    /* expect@+N: / expect@-N: put the expectation N lines below or above. */
    long shift = 0;
    if (rest && *c == '@') {
      char num[16];
      size_t k = 0;
      c++;
      rest--;
      while (k < rest && k < sizeof(num) - 1 && (c[k] == '+' || c[k] == '-' || (c[k] >= '0' && c[k] <= '9')))
        k++;
      memcpy(num, c, k);
      num[k] = '\0';
      shift = strtol(num, NULL, 10);
      c += k;
      rest -= k;
    }
    if (!rest || *c != ':')
      continue;
    c++;
    rest--;
    if ((long)lineno + shift < 1)
      continue;
    lineno = (unsigned)((long)lineno + shift);
    for (;;) {
      while (rest && (*c == ' ' || *c == '\t' || *c == ',')) {
        c++;
        rest--;
      }
      size_t n = 0;
      while (n < rest && (c[n] == '-' || (c[n] >= 'a' && c[n] <= 'z') || (c[n] >= '0' && c[n] <= '9')))
        n++;
      if (!n)
        break;
      expectation e = {file, lineno, "", 0};
      snprintf(e.rule, sizeof(e.rule), "%.*s", (int)(n < 63 ? n : 63), c);
      lx_vec_push(ex, e);
      c += n;
      rest -= n;
    }
    return;
  }
}

static void scan_file(expectations *ex, lx_sources *src, const char *file)
{
  for (size_t k = 0; k < ex->n; k++)
    if (!strcmp(ex->v[k].file, file))
      return; /* scanned already */
  size_t len;
  const char *line;
  for (unsigned n = 1; (line = lx_sources_line(src, file, n, &len)); n++)
    scan_line(ex, file, n, line, len);
}

int lx_verify(const lx_findings *f, const char *const *files, size_t nfiles, lx_sources *src,
              const char *root, int (*ran)(const char *rule, void *arg), void *arg)
{
  expectations ex = {0};
  LX_VEC(const char *) seen = {0};
  for (size_t i = 0; i < nfiles; i++)
    lx_vec_push(&seen, files[i]);
  for (size_t i = 0; i < f->v.n; i++)
    lx_vec_push(&seen, f->v.v[i].loc.file);
  for (size_t i = 0; i < seen.n; i++) {
    int dup = 0;
    for (size_t k = 0; k < i && !dup; k++)
      dup = !strcmp(seen.v[k], seen.v[i]);
    if (!dup)
      scan_file(&ex, src, seen.v[i]);
  }
  int bad = 0;
  for (size_t i = 0; i < f->v.n; i++) {
    const lx_finding *fd = &f->v.v[i];
    if (fd->suppressed)
      continue;
    int hit = 0;
    for (size_t k = 0; k < ex.n && !hit; k++) {
      expectation *e = &ex.v[k];
      if (!e->matched && e->line == fd->loc.line && !strcmp(e->file, fd->loc.file) &&
          !strcmp(e->rule, fd->rule))
        hit = e->matched = 1;
    }
    if (!hit) {
      fprintf(stderr, "%s:%u:%u: unexpected finding: %s [%s]\n", lx_display_path(fd->loc.file, root),
              fd->loc.line, fd->loc.col, fd->message, fd->rule);
      bad++;
    }
  }
  for (size_t k = 0; k < ex.n; k++)
    if (!ex.v[k].matched && ran(ex.v[k].rule, arg)) {
      fprintf(stderr, "%s:%u: expected finding not reported [%s]\n", lx_display_path(ex.v[k].file, root),
              ex.v[k].line, ex.v[k].rule);
      bad++;
    }
  lx_vec_free(&ex);
  lx_vec_free(&seen);
  if (bad)
    fprintf(stderr, "leash --verify: %d mismatch(es)\n", bad);
  return bad ? 1 : 0;
}

/* For --verify: expectations of rules left out with --rules or disabled are not
 * checked; without --rules, those of rules that do not exist are (and fail). */
static int rule_ran(const char *id, void *arg)
{
  const run *r = arg;
  const lx_rule *rule = lx_rule_find(id);
  if (!rule)
    return r->o->rules == NULL;
  return lx_check_rule_enabled(r, rule);
}

int lx_check_verify(run *r)
{
  const char **files = lx_xcalloc(r->jobs.n + 1, sizeof(char *));
  for (size_t i = 0; i < r->jobs.n; i++)
    files[i] = r->jobs.v[i].file;
  int rc = lx_verify(&r->findings, files, r->jobs.n, r->sources, r->root, rule_ran, r);
  free(files);
  if (r->tu_failed && rc == 0) {
    fprintf(stderr, "leash: %d translation unit(s) could not be analysed\n", r->tu_failed);
    rc = LX_EXIT_TU;
  }
  return rc;
}
