/* compdb.c - compile commands: the database clangd would find for a file, the entry (or
 * the neighbour's, or default flags) for a file, and their freeing.  Reading a database
 * is the front end's (compdb_read.c, through libclang; compdb_load.c runs it). */
#include "frontend/compdb.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void lx_cmd_free(lx_cmd *c)
{
  free(c->file);
  free(c->dir);
  for (int i = 0; i < c->argc; i++)
    free(c->argv[i]);
  free(c->argv);
  memset(c, 0, sizeof(*c));
}

void lx_cmds_free(lx_cmds *c)
{
  for (size_t i = 0; i < c->n; i++)
    lx_cmd_free(&c->v[i]);
  lx_vec_free(c);
}

static int has_db(const char *dir)
{
  char path[PATH_MAX + 32];
  snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
  return access(path, R_OK) == 0;
}

char *lx_compdb_discover(const char *file)
{
  char buf[PATH_MAX];
  snprintf(buf, sizeof(buf), "%s", file);
  char *slash = strrchr(buf, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  for (;;) {
    if (has_db(buf[0] ? buf : "/"))
      return lx_xstrdup(buf[0] ? buf : "/");
    char cand[PATH_MAX + 8];
    snprintf(cand, sizeof(cand), "%s/build", buf);
    if (has_db(cand))
      return lx_xstrdup(cand);
    slash = strrchr(buf, '/');
    if (!slash)
      return NULL;
    *slash = '\0';
    if (!buf[0]) {
      if (has_db("/"))
        return lx_xstrdup("/");
      return NULL;
    }
  }
}

static size_t dir_len(const char *p)
{
  const char *s = strrchr(p, '/');
  return s ? (size_t)(s - p) : 0;
}

static size_t common_prefix(const char *a, const char *b)
{
  size_t n = 0;
  while (a[n] && a[n] == b[n])
    n++;
  return n;
}

int lx_compdb_lookup(const lx_cmds *db, const char *file, lx_cmd *out)
{
  memset(out, 0, sizeof(*out));
  const lx_cmd *best = NULL;
  size_t best_score = 0;
  size_t fdir = dir_len(file);
  for (size_t i = 0; db && i < db->n; i++) {
    const lx_cmd *c = &db->v[i];
    if (!strcmp(c->file, file)) {
      best = c;
      break;
    }
    /* Score: shared folder depth first, then shared name prefix within the folder. */
    size_t cp = common_prefix(c->file, file);
    size_t cdir = dir_len(c->file);
    size_t score;
    if (cdir == fdir && cp >= fdir)
      score = 1000000 + (cp - fdir);
    else
      score = cp < fdir ? cp : fdir;
    if (!best || score > best_score) {
      best = c;
      best_score = score;
    }
  }
  if (best && !strcmp(best->file, file)) {
    out->file = lx_xstrdup(file);
    out->dir = lx_xstrdup(best->dir);
    out->argc = best->argc;
    out->argv = lx_xcalloc((size_t)best->argc + 1, sizeof(char *));
    for (int i = 0; i < best->argc; i++)
      out->argv[i] = lx_xstrdup(best->argv[i]);
    out->how = "database";
    return 0;
  }
  /* A neighbour only counts from the same folder or a folder above the file. */
  if (best && best_score >= 1000000) {
    out->file = lx_xstrdup(file);
    out->dir = lx_xstrdup(best->dir);
    out->argc = best->argc;
    out->argv = lx_xcalloc((size_t)best->argc + 1, sizeof(char *));
    for (int i = 0; i < best->argc; i++)
      out->argv[i] = lx_xstrdup(best->argv[i]);
    out->how = "neighbour";
    return 0;
  }
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%.*s", (int)fdir, file);
  out->file = lx_xstrdup(file);
  out->dir = lx_xstrdup(fdir ? dir : "/");
  out->argv = lx_xcalloc(4, sizeof(char *));
  out->argv[0] = lx_xstrdup("-std=gnu11");
  size_t n = strlen(out->dir) + 3;
  out->argv[1] = lx_xmalloc(n);
  snprintf(out->argv[1], n, "-I%s", out->dir);
  out->argc = 2;
  out->how = "defaults";
  return 0;
}
