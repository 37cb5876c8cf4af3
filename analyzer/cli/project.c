/* project.c - where the project is: its root, and the findings database it has by default. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/check_internal.h"

/* The folder of the compilation database clangd would find for a file in the current
 * folder (malloc'd), or NULL. */
char *lx_check_discover_here(void)
{
  char here[PATH_MAX + 2];
  if (!getcwd(here, PATH_MAX))
    return NULL;
  strcat(here, "/.");
  return lx_compdb_discover(here);
}

void lx_project_root(const char *compdb_dir, char out[PATH_MAX])
{
  char *cfg = lx_config_find(".");
  if (cfg) {
    char *slash = strrchr(cfg, '/');
    if (slash)
      *slash = '\0';
    snprintf(out, PATH_MAX, "%s", slash == cfg ? "/" : cfg);
    free(cfg);
    return;
  }
  char real[PATH_MAX];
  char *found = NULL;
  if (!compdb_dir)
    compdb_dir = found = lx_check_discover_here();
  char cwd[PATH_MAX];
  int have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
  size_t n = have_cwd ? strlen(cwd) : 0;
  if (compdb_dir && realpath(compdb_dir, real)) {
    /* F/build/compile_commands.json is F's, as clangd finds it from F; a database in
     * a folder under the current one (-p out/debug) is the current folder's. */
    char *slash = strrchr(real, '/');
    if (slash && slash != real && !strcmp(slash + 1, "build"))
      *slash = '\0';
    else if (have_cwd && !strncmp(real, cwd, n) && (real[n] == '/' || !real[n]))
      real[n ? n : 1] = '\0';
    snprintf(out, PATH_MAX, "%s", real);
  } else {
    snprintf(out, PATH_MAX, "%s", have_cwd ? cwd : ".");
  }
  free(found);
}

char *lx_default_db(const char *compdb_dir)
{
  char root[PATH_MAX], here[PATH_MAX];
  lx_project_root(compdb_dir, root);
  if (getcwd(here, sizeof(here)) && !strcmp(here, root))
    return lx_xstrdup(LX_DEFAULT_DB);
  char *path = lx_xmalloc(strlen(root) + sizeof(LX_DEFAULT_DB) + 2);
  sprintf(path, "%s/%s", strcmp(root, "/") ? root : "", LX_DEFAULT_DB);
  return path;
}
