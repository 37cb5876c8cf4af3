/* tu.c - the only place besides extraction that includes clang-c/Index.h: parses a
 * translation unit, prints its errors, hands it to extraction and disposes of it. */
#include "tu.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract.h"

void *lx_tu_index_new(void) { return clang_createIndex(0, 0); }

void lx_tu_index_free(void *index) { clang_disposeIndex(index); }

static int report_diagnostics(CXTranslationUnit tu, FILE *diag)
{
  int errors = 0;
  unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    enum CXDiagnosticSeverity s = clang_getDiagnosticSeverity(d);
    if (s >= CXDiagnostic_Error) {
      errors++;
      if (diag) {
        CXString str = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
                                                     CXDiagnostic_DisplayColumn);
        fprintf(diag, "%s\n", clang_getCString(str));
        clang_disposeString(str);
      }
    }
    clang_disposeDiagnostic(d);
  }
  return errors;
}

lx_tu_status lx_tu_analyse(void *index, const lx_cmd *cmd, lx_tu_facts **facts, FILE *diag)
{
  *facts = NULL;
  CXTranslationUnit tu = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing;
  enum CXErrorCode ec = clang_parseTranslationUnit2(index, cmd->file, (const char *const *)cmd->argv,
                                                    cmd->argc, NULL, 0, opts, &tu);
  if (ec != CXError_Success || !tu) {
    struct stat st;
    if (diag && ec == CXError_Failure && stat(cmd->file, &st) != 0)
      fprintf(diag, "%s: error: cannot read: %s\n", cmd->file, strerror(errno));
    else if (diag)
      fprintf(diag, "%s: error: libclang could not parse this translation unit (%s)\n", cmd->file,
              ec == CXError_Crashed ? "libclang crashed" :
              ec == CXError_ASTReadError ? "AST read error" : "invalid arguments or unreadable file");
    return LX_TU_FAILED;
  }
  int errors = report_diagnostics(tu, diag);
  *facts = lx_extract(tu);
  (*facts)->parse_errors = errors;
  clang_disposeTranslationUnit(tu);
  return errors ? LX_TU_ERRORS : LX_TU_OK;
}

/* ---- translation units kept for editor buffers (lsp) ---------------------------- */

struct lx_tu_doc {
  CXTranslationUnit tu;
};

static int count_errors(CXTranslationUnit tu) { return report_diagnostics(tu, NULL); }

lx_tu_status lx_tu_doc_analyse(void *index, lx_tu_doc **doc, const lx_cmd *cmd, const char *text, size_t len,
                               lx_tu_facts **facts)
{
  *facts = NULL;
  struct CXUnsavedFile unsaved = {cmd->file, text, (unsigned long)len};
  int ok = 0;
  if (*doc && (*doc)->tu) {
    ok = clang_reparseTranslationUnit((*doc)->tu, 1, &unsaved, clang_defaultReparseOptions((*doc)->tu)) == 0;
    if (!ok) {
      /* libclang disposed of nothing; the TU is unusable after a failed reparse. */
      clang_disposeTranslationUnit((*doc)->tu);
      (*doc)->tu = NULL;
    }
  }
  if (!ok) {
    CXTranslationUnit tu = NULL;
    /* The preamble is built by the first reparse (lx_tu_doc_prepare when idle), so
     * that the first diagnosis costs no more than a plain parse. */
    unsigned opts = CXTranslationUnit_KeepGoing | CXTranslationUnit_PrecompiledPreamble;
    enum CXErrorCode ec = clang_parseTranslationUnit2(index, cmd->file, (const char *const *)cmd->argv,
                                                      cmd->argc, &unsaved, 1, opts, &tu);
    if (ec != CXError_Success || !tu) {
      lx_tu_doc_free(*doc);
      *doc = NULL;
      return LX_TU_FAILED;
    }
    if (!*doc)
      *doc = lx_xcalloc(1, sizeof(**doc));
    (*doc)->tu = tu;
  }
  int errors = count_errors((*doc)->tu);
  *facts = lx_extract((*doc)->tu);
  (*facts)->parse_errors = errors;
  return errors ? LX_TU_ERRORS : LX_TU_OK;
}

int lx_tu_doc_prepare(lx_tu_doc *doc, const lx_cmd *cmd, const char *text, size_t len)
{
  if (!doc || !doc->tu)
    return -1;
  struct CXUnsavedFile unsaved = {cmd->file, text, (unsigned long)len};
  if (clang_reparseTranslationUnit(doc->tu, 1, &unsaved, clang_defaultReparseOptions(doc->tu)) != 0) {
    clang_disposeTranslationUnit(doc->tu);
    doc->tu = NULL;
    return -1;
  }
  return 0;
}

void lx_tu_doc_free(lx_tu_doc *doc)
{
  if (!doc)
    return;
  if (doc->tu)
    clang_disposeTranslationUnit(doc->tu);
  free(doc);
}
