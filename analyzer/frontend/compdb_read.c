/* compdb_read.c - compile commands through libclang's CXCompilationDatabase API, in the
 * front end (leash-frontend.so); jansson only checks the JSON first so that a malformed
 * file gets a line and column. */
#include "frontend/compdb.h"

#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *join(const char *dir, const char *file)
{
  if (file[0] == '/' || !dir || !*dir)
    return lx_xstrdup(file);
  size_t n = strlen(dir) + strlen(file) + 2;
  char *s = lx_xmalloc(n);
  snprintf(s, n, "%s/%s", dir, file);
  return s;
}

/* Normalises a path lexically (no symlinks resolved): removes ., .. and //. */
static void normalise(char *p)
{
  char *out = p, *in = p;
  int abs = *p == '/';
  while (*in) {
    while (*in == '/')
      in++;
    char *seg = in;
    while (*in && *in != '/')
      in++;
    size_t n = (size_t)(in - seg);
    if (n == 0 || (n == 1 && seg[0] == '.'))
      continue;
    if (n == 2 && seg[0] == '.' && seg[1] == '.') {
      char *slash = out > p ? out - 1 : p;
      while (slash > p && *slash != '/')
        slash--;
      out = slash;
      continue;
    }
    if (out > p || abs)
      *out++ = '/';
    memmove(out, seg, n);
    out += n;
  }
  if (out == p && abs)
    *out++ = '/';
  *out = '\0';
}

static int drop_with_value(const char *a)
{
  static const char *const f[] = {"-o", "-MF", "-MT", "-MQ", "-Xclang", NULL};
  for (int i = 0; f[i]; i++)
    if (!strcmp(a, f[i]))
      return 1;
  return 0;
}

static int drop_alone(const char *a)
{
  static const char *const f[] = {"-c", "-MD", "-MMD", "-M", "-MM", "-MP", "-Werror", "-pipe",
                                  "-fsyntax-only", "-S", "-E", "--", NULL};
  for (int i = 0; f[i]; i++)
    if (!strcmp(a, f[i]))
      return 1;
  return !strncmp(a, "-Werror=", 8) || !strncmp(a, "-o", 2) || !strncmp(a, "-MF", 3) ||
         !strncmp(a, "-fdiagnostics-color", 19);
}

/* Turns a compiler command line into libclang arguments for file. */
static void make_cmd(lx_cmd *out, const char *dir, const char *file, int argc, char **argv)
{
  out->dir = lx_xstrdup(dir ? dir : ".");
  out->file = lx_xstrdup(file);
  out->argv = lx_xcalloc((size_t)argc + 4, sizeof(char *));
  int n = 0;
  char wd[PATH_MAX + 32];
  snprintf(wd, sizeof(wd), "-working-directory=%s", out->dir);
  out->argv[n++] = lx_xstrdup(wd);
  out->argv[n++] = lx_xstrdup("-Wno-unknown-warning-option");
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (drop_with_value(a)) {
      i++;
      continue;
    }
    if (drop_alone(a))
      continue;
    /* The source file itself, however the command spelled it. */
    if (a[0] != '-') {
      char *abs = join(out->dir, a);
      normalise(abs);
      const char *ab = strrchr(a, '/');
      int same = !strcmp(abs, file) || (!strcmp(ab ? ab + 1 : a, base) && access(abs, F_OK) != 0);
      free(abs);
      if (same)
        continue;
    }
    out->argv[n++] = lx_xstrdup(a);
  }
  out->argc = n;
}

int lx_compdb_read(const char *dir, lx_cmds *out, char *err, size_t errlen)
{
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/compile_commands.json", dir);
  json_error_t je;
  size_t len;
  char *text = lx_read_file(path, &len); /* jansson reads a FILE a character at a time */
  if (!text) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  json_t *j = json_loadb(text, len, 0, &je);
  free(text);
  if (!j) {
    snprintf(err, errlen, "%s:%d:%d: not valid JSON: %s", path, je.line, je.column, je.text);
    return -1;
  }
  int ok = json_is_array(j);
  size_t bad = 0;
  if (ok) {
    json_t *e;
    size_t i;
    json_array_foreach(j, i, e)
    {
      if (!json_is_object(e) || !json_is_string(json_object_get(e, "file")) ||
          !json_is_string(json_object_get(e, "directory")) ||
          (!json_is_string(json_object_get(e, "command")) && !json_is_array(json_object_get(e, "arguments")))) {
        ok = 0;
        bad = i;
        break;
      }
    }
  }
  json_decref(j);
  if (!ok) {
    snprintf(err, errlen, "%s: entry %zu is not a compile command (an object with directory, file, "
             "and command or arguments)", path, bad + 1);
    return -1;
  }
  CXCompilationDatabase_Error cerr;
  CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, &cerr);
  if (cerr != CXCompilationDatabase_NoError || !db) {
    snprintf(err, errlen, "%s: libclang cannot load this compilation database", path);
    return -1;
  }
  CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
  unsigned n = clang_CompileCommands_getSize(cmds);
  for (unsigned i = 0; i < n; i++) {
    CXCompileCommand cc = clang_CompileCommands_getCommand(cmds, i);
    CXString d = clang_CompileCommand_getDirectory(cc);
    CXString f = clang_CompileCommand_getFilename(cc);
    char *file = join(clang_getCString(d), clang_getCString(f));
    normalise(file);
    unsigned na = clang_CompileCommand_getNumArgs(cc);
    char **argv = lx_xcalloc(na + 1, sizeof(char *));
    for (unsigned k = 0; k < na; k++) {
      CXString s = clang_CompileCommand_getArg(cc, k);
      argv[k] = lx_xstrdup(clang_getCString(s));
      clang_disposeString(s);
    }
    lx_cmd c;
    memset(&c, 0, sizeof(c));
    make_cmd(&c, clang_getCString(d), file, (int)na, argv);
    c.how = "database";
    /* The same file compiled twice (two targets): analyse it once. */
    int dup = 0;
    for (size_t k = 0; k < out->n && !dup; k++)
      dup = !strcmp(out->v[k].file, file);
    if (dup)
      lx_cmd_free(&c);
    else
      lx_vec_push(out, c);
    for (unsigned k = 0; k < na; k++)
      free(argv[k]);
    free(argv);
    free(file);
    clang_disposeString(d);
    clang_disposeString(f);
  }
  clang_CompileCommands_dispose(cmds);
  clang_CompilationDatabase_dispose(db);
  return 0;
}
