/* lsp_diag.h - what `leash lsp` tells the editor: the rules run over the facts of an
 * open buffer (with the rest of the program), turned into LSP diagnostics, and the code
 * actions that fix or suppress each one. */
#ifndef LX_LSP_DIAG_H
#define LX_LSP_DIAG_H

#include <jansson.h>

#include "reports/findings.h"
#include "config/config.h"
#include "program/memos.h"
#include "program/partition.h"

/* A buffer's text, split in lines (0-based), for positions and suppressions. */
typedef struct {
  const char *text;
  size_t len;
  LX_VEC(size_t) starts; /* byte offset of each line */
} lx_lsp_lines;

void lx_lsp_lines_init(lx_lsp_lines *l, const char *text, size_t len);
void lx_lsp_lines_free(lx_lsp_lines *l);
/* Line `line` (0-based) without its end of line, or NULL; *n gets its length. */
const char *lx_lsp_line(const lx_lsp_lines *l, size_t line, size_t *n);

/* Runs the rules cfg enables over the facts of the program (tus[0..n), tus[0] being
 * path's own; when the TUs make several programs, those path belongs to), keeps the
 * findings located in path, drops those excluded by cfg or suppressed by a
 * `leash:ignore` in text (path's unsaved contents), and reports suppressions that give
 * no reason.  out must be initialised.  parts, when not NULL, keeps how the TUs split
 * into programs from one call to the next (lx_partition_cached); memos, when not NULL,
 * the per-function memos (program/memos.h). */
void lx_lsp_evaluate(lx_tu_facts **tus, size_t n, const lx_config *cfg, const char *path,
                     const lx_lsp_lines *text, lx_partition_cache **parts, struct lx_memos *memos,
                     lx_findings *out);

/* The publishDiagnostics params for findings f of path (uri, at version; version < 0
 * for none).  *actions gets a new array of {"line", "actions"} entries: the code actions
 * of each diagnostic (the suppression comment, and the mechanical fix when there is
 * one), for textDocument/codeAction. */
json_t *lx_lsp_diagnostics(const lx_findings *f, const char *path, const char *uri, int version,
                           const lx_lsp_lines *text, json_t **actions);

/* file:// URI of an absolute path (percent-encoded), and back (NULL when uri is not a
 * file URI).  Both malloc'd. */
char *lx_lsp_uri_from_path(const char *path);
char *lx_lsp_path_from_uri(const char *uri);

#endif
