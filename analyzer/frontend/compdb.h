/* compdb.h - compilation databases: loading with libclang (in the front end, or in a
 * child process that loads it), clangd-style discovery, and flags for files the
 * database does not name. */
#ifndef LX_COMPDB_H
#define LX_COMPDB_H

#include <stddef.h>

#include "base/util.h"

/* One translation unit to analyse: an absolute file and the arguments libclang gets
 * (compiler, -c, -o and dependency flags removed; -working-directory added). */
typedef struct {
  char *file;
  char *dir;
  int argc;
  char **argv;
  const char *how; /* "database", "neighbour <file>", "defaults" */
} lx_cmd;

typedef LX_VEC(lx_cmd) lx_cmds;

/* Loads every command of DIR/compile_commands.json (compdb_load.c): through the front
 * end when this process has it, else in a child process that loads it, so that this one
 * never maps libclang.  Returns 0, or -1 with a one-line error naming the file (and
 * line:col for malformed JSON) in err, or naming the front end when it cannot be loaded. */
int lx_compdb_load(const char *dir, lx_cmds *out, char *err, size_t errlen);

/* The same, read here with libclang (compdb_read.c, in the front end). */
int lx_compdb_read(const char *dir, lx_cmds *out, char *err, size_t errlen);

/* Finds the folder holding the compile_commands.json for file the way clangd does:
 * the file's folder and each parent, and a build/ folder under each.  Returns a
 * malloc'd folder or NULL. */
char *lx_compdb_discover(const char *file);

/* Fills out with the command for file: its own entry in db, else that of its nearest
 * neighbour (same folder, longest shared name prefix; then the nearest folder up),
 * else default flags.  file must be absolute.  Returns 0. */
int lx_compdb_lookup(const lx_cmds *db, const char *file, lx_cmd *out);

void lx_cmd_free(lx_cmd *c);
void lx_cmds_free(lx_cmds *c);

#endif
