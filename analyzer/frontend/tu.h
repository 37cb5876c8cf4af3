/* tu.h - loading one translation unit with libclang and reporting its diagnostics.
 * The functions are leash-frontend.so's (tu.c, tu_doc.c): the executable calls them
 * through the table of frontend.h; the types are everyone's. */
#ifndef LX_TU_H
#define LX_TU_H

#include <stdio.h>

#include "frontend/compdb.h"
#include "facts/facts.h"

typedef enum { LX_TU_OK = 0, LX_TU_ERRORS = 1, LX_TU_FAILED = 2 } lx_tu_status;

/* Parses cmd and extracts its facts into *facts (NULL when parsing failed outright).
 * Error diagnostics go to diag (one clang-style line each) unless diag is NULL.
 * Returns LX_TU_OK, LX_TU_ERRORS (parsed with errors: facts are of what parsed), or
 * LX_TU_FAILED. */
lx_tu_status lx_tu_analyse(void *index, const lx_cmd *cmd, lx_tu_facts **facts, FILE *diag);

/* The error diagnostics of tu, a CXTranslationUnit: their number, each printed to diag
 * (one clang-style line) unless diag is NULL. */
int lx_tu_errors(void *tu, FILE *diag);

/* The arguments libclang parses cmd with: cmd's, then -w.  leash reads only errors,
 * and warnings cost time (-Wuninitialized, part of -Wall, analyses every function
 * again) or turn into errors (-Werror); the AST is the same.  *argc gets the count;
 * free the array (not the strings, which are cmd's). */
const char **lx_tu_args(const lx_cmd *cmd, int *argc);

/* A libclang index for lx_tu_analyse; dispose with lx_tu_index_free. */
void *lx_tu_index_new(void);
void lx_tu_index_free(void *index);

/* A translation unit kept open for an editor buffer (`leash lsp`): parsed once with a
 * precompiled preamble (built by lx_tu_doc_prepare or the first reparse), then
 * reparsed after each edit, so that only the main file's own text is parsed again.
 * An edit inside one function body is cheaper still: the other bodies are blanked out
 * for the reparse and only that function is extracted again (tu.c). */
typedef struct lx_tu_doc lx_tu_doc;

/* Analyses the unsaved contents text (len bytes) of cmd->file with cmd's arguments.
 * The first call (*doc NULL) parses and creates *doc; later calls with the same doc
 * reparse it (falling back to a fresh parse when libclang cannot).  *facts gets the
 * facts, their parse_errors counting the error diagnostics (NULL when parsing failed
 * outright; free with lx_facts_free).  Returns LX_TU_OK,
 * LX_TU_ERRORS or LX_TU_FAILED; after LX_TU_FAILED *doc is NULL.  Not thread-safe:
 * one thread uses an index and its docs. */
lx_tu_status lx_tu_doc_analyse(void *index, lx_tu_doc **doc, const lx_cmd *cmd, const char *text, size_t len,
                               lx_tu_facts **facts);

/* Builds doc's precompiled preamble ahead of the next edit: a reparse of the same
 * text (len bytes) whose result is not extracted.  Returns 0, or -1 when libclang
 * failed (the next lx_tu_doc_analyse then parses afresh). */
int lx_tu_doc_prepare(lx_tu_doc *doc, const lx_cmd *cmd, const char *text, size_t len);

/* Whether doc's last analysis was of an edit inside one function body, so that only
 * that function was extracted again (the rest of the facts were the previous ones). */
int lx_tu_doc_reused(const lx_tu_doc *doc);

/* Disposes of doc's translation unit (NULL is allowed). */
void lx_tu_doc_free(lx_tu_doc *doc);

#endif
