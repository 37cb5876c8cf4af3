/* configure.c - a run's configuration: the .leash.yaml it loads (digested for the evaluation
 * cache) and the rules it runs (--rules, and the file's rules:). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/check_internal.h"

int lx_check_load_config(run *r)
{
  char err[1024];
  if (lx_rules_config(&r->cfg, err, sizeof(err)) < 0)
    return lx_check_usage_error("%s%s", err, "");
  char *path = r->o->config_path ? lx_xstrdup(r->o->config_path) : lx_config_find(".");
  if (!path)
    return 0;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    lx_check_usage_error("%s: is a directory, not a configuration file%s", path, "");
    free(path);
    return LX_EXIT_USAGE;
  }
  int rc = lx_config_load(r->cfg, path, 1, err, sizeof(err));
  size_t ylen;
  char *ytext = rc == 0 ? lx_read_file(path, &ylen) : NULL;
  if (ytext)
    snprintf(r->config_digest, sizeof(r->config_digest), "%016llx",
             (unsigned long long)lx_hash64(ytext, ylen, 0));
  free(ytext);
  if (rc == 0) {
    char real[PATH_MAX];
    if (realpath(path, real)) {
      char *slash = strrchr(real, '/');
      if (slash)
        *slash = '\0';
      r->cfg->root = lx_arena_strdup(&r->cfg->arena, real);
    }
  }
  free(path);
  return rc < 0 ? lx_check_usage_error("%s%s", err, "") : 0;
}

int lx_check_rule_enabled(const run *r, const lx_rule *rule)
{
  if (r->o->rules) {
    const char *p = r->o->rules;
    size_t n = strlen(rule->id);
    int hit = 0;
    while (*p && !hit) {
      const char *e = strchr(p, ',');
      size_t len = e ? (size_t)(e - p) : strlen(p);
      hit = len == n && !strncmp(p, rule->id, n);
      p = e ? e + 1 : p + len;
    }
    if (!hit)
      return 0;
  }
  return lx_config_rule_on(r->cfg, rule->id);
}

int lx_check_check_rules_option(const run *r)
{
  const char *p = r->o->rules;
  while (p && *p) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char id[128];
    snprintf(id, sizeof(id), "%.*s", (int)(len < 127 ? len : 127), p);
    if (!lx_rule_find(id))
      return lx_check_usage_error("--rules: unknown rule id '%s' (see `leash rules`)%s", id, "");
    p = e ? e + 1 : p + len;
  }
  return 0;
}
