/* html_io.c - the files of an HTML report: escaping, each file written to a temporary
 * name and renamed into place, the report's folder made (or refused when it holds
 * something else) and the pages of an earlier report pruned. */
#include "reports/html/html.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What an index.html of ours says in its head (html.c writes it). */
#define GENERATOR_MARK "<meta name=\"generator\" content=\"leash"

void lx_html_esc(FILE *out, const char *s, size_t n)
{
  if (!s)
    return;
  if (n == (size_t)-1)
    n = strlen(s);
  size_t run = 0; /* bytes waiting to be written as they are */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *ent = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
                    : c == '\'' ? "&#39;" : NULL;
    int drop = !ent && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n';
    if (!ent && !drop)
      continue;
    fwrite(s + run, 1, i - run, out);
    if (ent)
      fputs(ent, out);
    run = i + 1;
  }
  fwrite(s + run, 1, n - run, out);
}

static int io_fail(char *err, size_t errlen, const char *path, const char *what)
{
  snprintf(err, errlen, "%s: %s: %s", path, what, strerror(errno));
  return -1;
}

int lx_html_file_open(lx_html_file *f, const char *dir, const char *name, char *err, size_t errlen)
{
  if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s", dir, name) >= sizeof(f->path)) {
    snprintf(err, errlen, "%s: path too long", dir);
    return -1;
  }
  snprintf(f->tmp, sizeof(f->tmp), "%s.tmp%ld", f->path, (long)getpid());
  f->out = fopen(f->tmp, "w");
  return f->out ? 0 : io_fail(err, errlen, f->path, "cannot write");
}

int lx_html_file_commit(lx_html_file *f, char *err, size_t errlen)
{
  int bad = ferror(f->out);
  if (fclose(f->out) != 0 || bad) {
    if (!errno)
      errno = EIO;
    io_fail(err, errlen, f->path, "cannot write");
    unlink(f->tmp);
    return -1;
  }
  f->out = NULL;
  if (rename(f->tmp, f->path) != 0) {
    io_fail(err, errlen, f->path, "cannot write");
    unlink(f->tmp);
    return -1;
  }
  return 0;
}

static int make_dirs(char *path, char *err, size_t errlen)
{
  for (char *p = path + 1;; p++) {
    if (*p != '/' && *p)
      continue;
    char c = *p;
    *p = '\0';
    struct stat st;
    int ok = mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    if (!ok && errno == EEXIST)
      errno = ENOTDIR;
    if (!ok) {
      io_fail(err, errlen, path, "cannot create the report folder");
      *p = c;
      return -1;
    }
    *p = c;
    if (!c)
      return 0;
  }
}

/* Whether dir is empty (1), has something (0), or cannot be read (-1). */
static int is_empty(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  struct dirent *e;
  int empty = 1;
  while (empty && (e = readdir(d)))
    empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
  closedir(d);
  return empty;
}

static int ours(const char *dir)
{
  char path[4200], head[1024];
  snprintf(path, sizeof(path), "%s/index.html", dir);
  FILE *in = fopen(path, "r");
  if (!in)
    return 0;
  size_t n = fread(head, 1, sizeof(head) - 1, in);
  fclose(in);
  head[n] = '\0';
  return strstr(head, GENERATOR_MARK) != NULL;
}

int lx_html_dir_prepare(const char *dir, const char *sub, char *err, size_t errlen)
{
  char path[4096];
  if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path) - 64) {
    snprintf(err, errlen, "%s: path too long", dir);
    return -1;
  }
  struct stat st;
  if (stat(path, &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      snprintf(err, errlen, "%s: exists and is not a folder; give --html a folder for the report", dir);
      return -1;
    }
    int empty = is_empty(path);
    if (empty < 0)
      return io_fail(err, errlen, dir, "cannot read the report folder");
    if (!empty && !ours(path)) {
      snprintf(err, errlen, "%s: not empty and not a leash report; give --html a new or empty folder", dir);
      return -1;
    }
  }
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';
  if (make_dirs(path, err, errlen) < 0)
    return -1;
  snprintf(path + len, sizeof(path) - len, "/%s", sub);
  return make_dirs(path, err, errlen);
}

/* A finding page's name: 16 lower-case hex digits and ".html". */
static int page_name(const char *s)
{
  for (int i = 0; i < 16; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return !strcmp(s + 16, ".html");
}

int lx_html_dir_prune(const char *dir, int (*keep)(const char *name, void *arg), void *arg, char *err,
                      size_t errlen)
{
  DIR *d = opendir(dir);
  if (!d)
    return io_fail(err, errlen, dir, "cannot read the report folder");
  int n = 0;
  struct dirent *e;
  char path[4400];
  while ((e = readdir(d)))
    if (page_name(e->d_name) && !keep(e->d_name, arg)) {
      snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
      if (unlink(path) == 0)
        n++;
    }
  closedir(d);
  return n;
}
