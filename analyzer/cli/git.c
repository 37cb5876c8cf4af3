/* git.c - the commit a run analyses: $GITHUB_SHA, else HEAD read from the repository's files
 * (git itself only for a layout they do not explain). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/check_internal.h"

/* The first line of dir/name, without its newline, or "" (out has n bytes). */
static char *first_line(const char *dir, const char *name, char *out, size_t n)
{
  char path[8 * PATH_MAX];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  out[0] = '\0';
  FILE *fp = fopen(path, "r");
  if (fp) {
    if (!fgets(out, (int)n, fp))
      out[0] = '\0';
    fclose(fp);
  }
  out[strcspn(out, "\r\n")] = '\0';
  return out;
}

static int is_sha(const char *s) { return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40; }

/* The commit HEAD names in the repository around root, read from its files (starting
 * git costs more than a warm run): 1 with sha set, 0 when root is in no repository,
 * -1 when the layout is not one this understands (then ask git). */
static int git_head(const char *root, char sha[41])
{
  char dir[PATH_MAX], git[2 * PATH_MAX + 16], line[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", root);
  struct stat st;
  for (;;) {
    snprintf(git, sizeof(git), "%s/.git", dir);
    if (stat(git, &st) == 0)
      break;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
      return 0;
    *slash = '\0';
  }
  if (S_ISREG(st.st_mode)) { /* a worktree or submodule: "gitdir: PATH" */
    first_line(dir, ".git", line, sizeof(line));
    if (strncmp(line, "gitdir: ", 8) != 0)
      return -1;
    if (line[8] == '/')
      snprintf(git, sizeof(git), "%s", line + 8);
    else
      snprintf(git, sizeof(git), "%s/%s", dir, line + 8);
  }
  char common[4 * PATH_MAX];
  first_line(git, "commondir", line, sizeof(line));
  if (!line[0])
    snprintf(common, sizeof(common), "%s", git);
  else if (line[0] == '/')
    snprintf(common, sizeof(common), "%s", line);
  else
    snprintf(common, sizeof(common), "%s/%s", git, line);
  first_line(git, "HEAD", line, sizeof(line));
  if (is_sha(line)) {
    memcpy(sha, line, 41);
    return 1;
  }
  if (strncmp(line, "ref: ", 5) != 0 || strstr(line, ".."))
    return -1;
  char ref[PATH_MAX], val[128];
  snprintf(ref, sizeof(ref), "%s", line + 5);
  if (is_sha(first_line(common, ref, val, sizeof(val)))) {
    memcpy(sha, val, 41);
    return 1;
  }
  char path[4 * PATH_MAX + 16];
  snprintf(path, sizeof(path), "%s/packed-refs", common);
  FILE *fp = fopen(path, "r");
  int found = 0;
  while (fp && !found && fgets(line, sizeof(line), fp)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (strlen(line) > 41 && line[40] == ' ' && !strcmp(line + 41, ref)) {
      line[40] = '\0';
      if ((found = is_sha(line)))
        memcpy(sha, line, 41);
    }
  }
  if (fp)
    fclose(fp);
  return found ? 1 : -1; /* a branch without commits, or a layout to ask git about */
}

/* The commit being analysed: $GITHUB_SHA, else HEAD of the repository, else NULL. */
char *lx_check_vcs_commit(const char *root)
{
  const char *env = getenv("GITHUB_SHA");
  if (env && *env)
    return lx_xstrdup(env);
  char sha[41];
  int got = git_head(root, sha);
  if (got >= 0)
    return got ? lx_xstrdup(sha) : NULL;
  char cmd[PATH_MAX + 64], line[64] = "";
  snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD 2>/dev/null", root);
  if (strchr(root, '\''))
    return NULL;
  FILE *p = popen(cmd, "r");
  if (!p)
    return NULL;
  int ok = fscanf(p, "%63s", line) == 1;
  pclose(p);
  return ok && strlen(line) == 40 ? lx_xstrdup(line) : NULL;
}
