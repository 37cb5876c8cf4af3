/* tu.c - parses a translation unit, prints its errors, hands it to extraction and
 * disposes of it (tu_doc.c keeps editor buffers' translation units). */
#include "frontend/tu.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend/extract.h"

void *lx_tu_index_new(void) { return clang_createIndex(0, 0); }

void lx_tu_index_free(void *index) { clang_disposeIndex(index); }

int lx_tu_errors(void *unit, FILE *diag)
{
  CXTranslationUnit tu = unit;
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

const char **lx_tu_args(const lx_cmd *cmd, int *argc)
{
  const char **argv = lx_xcalloc((size_t)cmd->argc + 2, sizeof(char *));
  for (int i = 0; i < cmd->argc; i++)
    argv[i] = cmd->argv[i];
  argv[cmd->argc] = "-w";
  *argc = cmd->argc + 1;
  return argv;
}

lx_tu_status lx_tu_analyse(void *index, const lx_cmd *cmd, lx_tu_facts **facts, FILE *diag)
{
  *facts = NULL;
  CXTranslationUnit tu = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing;
  int argc;
  const char **argv = lx_tu_args(cmd, &argc);
  enum CXErrorCode ec = clang_parseTranslationUnit2(index, cmd->file, argv, argc, NULL, 0, opts, &tu);
  free(argv);
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
  int errors = lx_tu_errors(tu, diag);
  *facts = lx_extract(tu);
  (*facts)->parse_errors = errors;
  clang_disposeTranslationUnit(tu);
  return errors ? LX_TU_ERRORS : LX_TU_OK;
}
