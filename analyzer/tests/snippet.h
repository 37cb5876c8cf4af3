/* snippet.h - for the cmocka tests: a C snippet parsed with libclang and extracted into
 * facts.  Include after <cmocka.h>. */
#ifndef LX_TEST_SNIPPET_H
#define LX_TEST_SNIPPET_H

#include <clang-c/Index.h>
#include <jansson.h>
#include <string.h>

#include "frontend/extract.h"
#include "facts/facts.h"

static lx_tu_facts *parse_snippet(const char *code)
{
  CXIndex idx = clang_createIndex(0, 0);
  struct CXUnsavedFile uf = {"snippet.c", code, (unsigned long)strlen(code)};
  const char *args[] = {"-std=gnu11"};
  CXTranslationUnit tu = NULL;
  assert_int_equal(clang_parseTranslationUnit2(idx, "snippet.c", args, 1, &uf, 1, 0, &tu), CXError_Success);
  lx_tu_facts *f = lx_extract(tu);
  clang_disposeTranslationUnit(tu);
  clang_disposeIndex(idx);
  assert_non_null(f);
  return f;
}

/* The facts as compact JSON with sorted keys, to compare two sets of facts; free it. */
static inline char *facts_json_text(const lx_tu_facts *f)
{
  json_t *j = lx_facts_to_json(f);
  assert_non_null(j);
  char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
  json_decref(j);
  return s;
}

#endif
