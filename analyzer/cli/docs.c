/* docs.c - the URLs of leash's documentation: a homepage when the build names one,
 * else the documentation installed beside the binary, else the source tree's. */
#include "cli/docs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp/lsp_diag.h"
#include "base/util.h"

#ifndef LEASH_HOMEPAGE
#define LEASH_HOMEPAGE ""
#endif
#ifndef LEASH_RULE_DOCS_URL
#define LEASH_RULE_DOCS_URL ""
#endif

/* The path of doc file rel (written to out): in the docs installed beside the running
 * binary (<prefix>/bin/leash -> <prefix>/share/doc/leash/rel), else in those of the
 * prefix leash was built for, else in the source tree.  Returns 0, or -1 when none has it. */
static int doc_file(const char *rel, char out[PATH_MAX])
{
  char exe[PATH_MAX - 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      slash = strrchr(exe, '/');
      if (slash && !strcmp(slash, "/bin")) {
        *slash = '\0';
        snprintf(out, PATH_MAX, "%s/share/doc/leash/%s", exe, rel);
        if (access(out, R_OK) == 0)
          return 0;
      }
    }
  }
#ifdef LEASH_DOC_DIR
  snprintf(out, PATH_MAX, "%s/%s", LEASH_DOC_DIR, rel);
  if (access(out, R_OK) == 0)
    return 0;
#endif
#ifdef LEASH_SOURCE_DIR
  snprintf(out, PATH_MAX, "%s/%s", LEASH_SOURCE_DIR, rel);
  if (access(out, R_OK) == 0)
    return 0;
#endif
  return -1;
}

static char *trimmed(const char *url)
{
  char *s = lx_xstrdup(url);
  size_t n = strlen(s);
  while (n && s[n - 1] == '/')
    s[--n] = '\0';
  return s;
}

char *lx_rule_doc_url(const char *id)
{
  char path[PATH_MAX], rel[256];
  if (*LEASH_RULE_DOCS_URL || *LEASH_HOMEPAGE) {
    char *base = trimmed(*LEASH_RULE_DOCS_URL ? LEASH_RULE_DOCS_URL : LEASH_HOMEPAGE);
    char *url = lx_xmalloc(strlen(base) + strlen(id) + 32);
    sprintf(url, "%s%s/%s.md", base, *LEASH_RULE_DOCS_URL ? "" : "/blob/main/rules", id);
    free(base);
    return url;
  }
  snprintf(rel, sizeof(rel), "rules/%s.md", id);
  if (doc_file(rel, path) == 0)
    return lx_lsp_uri_from_path(path);
  return NULL;
}

char *lx_homepage_url(void)
{
  char path[PATH_MAX];
  if (*LEASH_HOMEPAGE)
    return trimmed(LEASH_HOMEPAGE);
  if (doc_file("README.md", path) == 0)
    return lx_lsp_uri_from_path(path);
  return NULL;
}
