/* extract.h - walks one libclang translation unit once and turns it into facts. */
#ifndef LX_EXTRACT_H
#define LX_EXTRACT_H

#include <clang-c/Index.h>

#include "facts/facts.h"

/* Extracts the facts of tu.  Returns NULL only on out of memory; a TU with errors
 * still yields the facts of what libclang could parse.  The caller frees the result
 * with lx_facts_free and may dispose tu right after. */
lx_tu_facts *lx_extract(CXTranslationUnit tu);

/* The facts of one top-level function definition fn of tu alone, exactly as
 * lx_extract records that function (`leash lsp` re-extracts only the function an edit
 * changed). */
lx_tu_facts *lx_extract_function(CXTranslationUnit tu, CXCursor fn);

#endif
