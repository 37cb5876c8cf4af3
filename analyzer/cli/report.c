/* report.c - how a run's findings leave leash: the format names, the rule and tool
 * metadata emitters get, and reports written atomically. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rules/rules.h"
#include "cli/docs.h"
#include "cli/driver.h"


static int write_error(const char *path)
{
  fprintf(stderr, "leash: %s: cannot write: %s\n", path, strerror(errno));
  return LX_EXIT_USAGE;
}

int lx_format_parse(const char *s, lx_format *out)
{
  static const char *const names[] = {"text", "json", "sarif"};
  for (int i = 0; i < 3; i++)
    if (!strcmp(s, names[i])) {
      *out = (lx_format)i;
      return 0;
    }
  return -1;
}

const lx_rule_meta *lx_rule_metas(size_t *n)
{
  static lx_rule_meta *metas;
  static size_t count;
  if (!metas) {
    const lx_rule *rules = lx_rules(&count);
    metas = lx_xcalloc(count ? count : 1, sizeof(*metas));
    for (size_t i = 0; i < count; i++)
      metas[i] = (lx_rule_meta){rules[i].id, rules[i].title, rules[i].tags, lx_rule_doc(rules[i].id),
                                rules[i].default_severity, rules[i].precision, lx_rule_doc_url(rules[i].id)};
  }
  *n = count;
  return metas;
}

void lx_emit_opts_tool(lx_emit_opts *eo)
{
  eo->rules = lx_rule_metas(&eo->nrules);
  eo->version = LEASH_VERSION;
  static char *home;
  static int looked;
  if (!looked) {
    home = lx_homepage_url();
    looked = 1;
  }
  eo->information_uri = home;
}

const char *lx_utc_now(char *buf, size_t n)
{
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  char sec[24];
  strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf, n, "%s.%03ldZ", sec, ts.tv_nsec / 1000000);
  return buf;
}

int lx_report_write(const char *path, lx_format fmt, const lx_findings *f, const lx_emit_opts *eo)
{
  FILE *out = stdout;
  char tmp[PATH_MAX + 16] = "";
  struct stat st;
  if (path && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* -o /dev/null, -o /dev/stdout, a FIFO: written in place (a rename over a device
     * would replace it with a regular file). */
    out = fopen(path, "w");
    if (!out)
      return write_error(path);
    int rc = fmt == LX_FMT_JSON ? lx_emit_json(out, f, eo) : fmt == LX_FMT_SARIF ? lx_emit_sarif(out, f, eo)
                                                                                 : lx_emit_text(out, f, eo);
    if (fclose(out) != 0 || rc != 0)
      return write_error(path);
    return 0;
  }
  if (path) {
    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    out = fopen(tmp, "w");
    if (!out)
      return write_error(path);
  }
  int rc = fmt == LX_FMT_JSON ? lx_emit_json(out, f, eo) : fmt == LX_FMT_SARIF ? lx_emit_sarif(out, f, eo)
                                                                               : lx_emit_text(out, f, eo);
  if (path) {
    if (fclose(out) != 0)
      rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
      rc = -1;
    if (rc != 0) {
      unlink(tmp);
      return write_error(path);
    }
  } else if (fflush(stdout) != 0) {
    return LX_EXIT_USAGE;
  }
  return 0;
}
