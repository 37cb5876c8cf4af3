/* lsp_flags.h - compiler flags for an editor's file, found the way clangd finds them:
 * a `.clangd` CompileFlags: CompilationDatabase setting, else compile_commands.json
 * in the file's folder, its parents and their build/ folders. */
#ifndef LX_LSP_FLAGS_H
#define LX_LSP_FLAGS_H

#include "frontend/compdb.h"

typedef struct lx_lsp_flags lx_lsp_flags;

/* The databases read so far (reread when compile_commands.json changes). */
lx_lsp_flags *lx_lsp_flags_new(void);
void lx_lsp_flags_free(lx_lsp_flags *fl);

/* Fills out with the command for file (absolute): its database entry, its nearest
 * neighbour's, or default flags (out->how says which).  Free with lx_cmd_free.
 * Returns 0, or -1 when the database named is malformed (err says why; out still
 * gets default flags). */
int lx_lsp_flags_for(lx_lsp_flags *fl, const char *file, lx_cmd *out, char *err, size_t errlen);

/* The nearest `.clangd` above file that sets CompileFlags: CompilationDatabase:
 * returns a malloc'd absolute folder, "" for `None`, or NULL when no `.clangd` says
 * (or it says `Ancestors`, clangd's default).  Fragments with an If: are skipped. */
char *lx_clangd_compdb_setting(const char *file);

#endif
