/* plan.c - the jobs of a run: the translation units to analyse, with their flags, from the
 * compilation database or the files given (a shard's share of them with --shard). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/check_internal.h"

/* Whether the first 64 KiB of path hold a NUL byte: an object file, an archive, an
 * image, never C source.  libclang would print pages of errors for it. */
static int is_binary(const char *path)
{
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return 0;
  char buf[65536];
  size_t n = fread(buf, 1, sizeof(buf), fp);
  fclose(fp);
  return memchr(buf, '\0', n) != NULL;
}

/* Whether file is C++ (or Objective-C++) by its name, as compilers tell: leash analyses
 * C translation units. */
static int is_cxx(const char *file)
{
  static const char *const exts[] = {"cc", "cp", "cpp", "cxx", "c++", "C", "CPP", "cppm", "ixx", "mm",
                                     "hh", "hpp", "hxx", "h++", "H", "tcc", NULL};
  const char *slash = strrchr(file, '/'), *dot = strrchr(file, '.');
  if (!dot || (slash && dot < slash))
    return 0;
  for (int i = 0; exts[i]; i++)
    if (!strcmp(dot + 1, exts[i]))
      return 1;
  return 0;
}

/* The jobs: every TU of the database, or each file given with its flags. */
int lx_check_plan(run *r)
{
  char err[1024];
  const lx_check_opts *o = r->o;
  lx_cmds db = {0};
  char *db_dir = NULL;
  if (o->compdb_dir) {
    if (lx_compdb_load(o->compdb_dir, &db, err, sizeof(err)) < 0)
      return lx_check_usage_error("%s%s", err, "");
    db_dir = lx_xstrdup(o->compdb_dir);
    if (o->nfiles == 0 && db.n == 0) {
      lx_cmds_free(&db);
      free(db_dir);
      return lx_check_usage_error("%s/compile_commands.json: the compilation database lists no translation unit%s",
                         o->compdb_dir, "");
    }
  }
  if (o->nfiles == 0 && !o->compdb_dir) {
    /* No input: the compilation database of the project around the current folder, found
     * the way clangd finds it (here or a parent, or a build/ folder under one). */
    db_dir = o->fixed_flags ? NULL : lx_check_discover_here();
    if (!db_dir)
      return lx_check_usage_error("no input: give files, or -p DIR with a compile_commands.json (none in this folder, "
                         "a parent, or a build/ folder under one)%s%s", "", "");
    if (lx_compdb_load(db_dir, &db, err, sizeof(err)) < 0) {
      free(db_dir);
      return lx_check_usage_error("%s%s", err, "");
    }
    if (db.n == 0) {
      lx_cmds_free(&db);
      lx_check_usage_error("%s/compile_commands.json: the compilation database lists no translation unit%s", db_dir, "");
      free(db_dir);
      return LX_EXIT_USAGE;
    }
    if (o->verbose)
      fprintf(stderr, "leash: %s/compile_commands.json: the compilation database found for this folder\n", db_dir);
  }
  if (o->nfiles == 0) {
    r->compdb = db_dir;
    r->whole = 1;
    size_t ncxx = 0, ntus = db.n;
    for (size_t i = 0; i < db.n; i++)
      if (is_cxx(db.v[i].file)) {
        ncxx++;
        /* A project of C and C++: its C translation units are analysed. */
        if (o->verbose)
          fprintf(stderr, "leash: %s: not C, left out (leash analyses C translation units)\n", db.v[i].file);
        lx_cmd_free(&db.v[i]);
      } else if (!lx_config_excluded(r->cfg, db.v[i].file))
        lx_vec_push(&r->jobs, db.v[i]);
      else
        lx_cmd_free(&db.v[i]);
    lx_vec_free(&db);
    if (ncxx == ntus && ntus > 0)
      return lx_check_usage_error("%s/compile_commands.json: not C: every translation unit it lists is C++ (leash "
                         "analyses C translation units)%s", db_dir, "");
    return 0;
  }
  for (int i = 0; i < o->nfiles; i++) {
    char abs[PATH_MAX];
    struct stat st;
    if (stat(o->files[i], &st) != 0) {
      lx_cmds_free(&db);
      free(db_dir);
      return lx_check_usage_error("%s: cannot read: %s", o->files[i], strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      lx_cmds_free(&db);
      free(db_dir);
      return lx_check_usage_error("%s: is a directory (give C files, or -p DIR for a compilation database)%s",
                         o->files[i], "");
    }
    const char *bad = !S_ISREG(st.st_mode) ? "not a regular file" :
                      is_cxx(o->files[i]) ? "not C: leash analyses C translation units" :
                      is_binary(o->files[i]) ? "not a C source file (binary data: it contains NUL bytes)" : NULL;
    if (bad) {
      lx_cmds_free(&db);
      free(db_dir);
      return lx_check_usage_error("%s: %s", o->files[i], bad);
    }
    if (!realpath(o->files[i], abs)) {
      lx_cmds_free(&db);
      free(db_dir);
      return lx_check_usage_error("%s: %s", o->files[i], strerror(errno));
    }
    if (!o->compdb_dir && !o->fixed_flags) {
      char *found = lx_compdb_discover(abs);
      if (found && (!db_dir || strcmp(found, db_dir) != 0)) {
        lx_cmds_free(&db);
        free(db_dir);
        db_dir = found;
        if (lx_compdb_load(db_dir, &db, err, sizeof(err)) < 0) {
          free(db_dir);
          return lx_check_usage_error("%s%s", err, "");
        }
      } else {
        free(found);
      }
    }
    lx_cmd c;
    lx_compdb_lookup(o->fixed_flags ? NULL : &db, abs, &c);
    if (o->fixed_flags) {
      c.argv = lx_xrealloc(c.argv, sizeof(char *) * (size_t)(c.argc + o->nextra + 1));
      for (int k = 0; k < o->nextra; k++)
        c.argv[c.argc++] = lx_xstrdup(o->extra_flags[k]);
      c.how = "the command line";
    }
    if (r->o->verbose)
      fprintf(stderr, "leash: %s: flags from %s\n", abs, c.how);
    lx_vec_push(&r->jobs, c);
    if (!r->compdb && db_dir)
      r->compdb = lx_xstrdup(db_dir); /* the first file's: where the project is */
  }
  if (o->pre_commit && r->compdb && db_dir && !strcmp(r->compdb, db_dir)) {
    r->compdb_cmds = db; /* for the TUs of the rest of the program that changed */
    memset(&db, 0, sizeof(db));
  }
  lx_cmds_free(&db);
  free(db_dir);
  return 0;
}

/* Keeps the TUs of shard K of N (o->shard_k/shard_n). */
void lx_check_select_shard(run *r)
{
  size_t w = 0;
  for (size_t i = 0; i < r->jobs.n; i++)
    if (lx_shard_of(r->jobs.v[i].file, r->root, r->o->shard_n) == r->o->shard_k)
      r->jobs.v[w++] = r->jobs.v[i];
    else
      lx_cmd_free(&r->jobs.v[i]);
  r->jobs.n = w;
}
