/* fuzz_extract.c - libFuzzer target: extraction on arbitrary C text.  The input is
 * parsed by libclang as an unsaved file (it parses what it can), lx_extract walks
 * whatever comes back, the facts make the round trip through the JSON the facts cache
 * stores, and everything is freed: no crash and no leak, whatever the text.
 *
 * Inputs that would make libclang read other files (#include, #embed, #import,
 * `#pragma GCC dependency`) or crash on purpose (`#pragma clang __debug crash`) are
 * skipped: they test the machine's files or clang's debugging pragmas, not leash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <clang-c/Index.h>
#include <jansson.h>

#include "frontend/extract.h"
#include "facts/facts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int skipped(const uint8_t *data, size_t size)
{
  /* Undo line splices first: `#inc\<newline>lude` is an include too. */
  char *t = malloc(size + 1);
  size_t n = 0;
  for (size_t i = 0; i < size; i++) {
    if (data[i] == '\\' && i + 1 < size && data[i + 1] == '\n') {
      i++;
      continue;
    }
    if (data[i] == '\\' && i + 2 < size && data[i + 1] == '\r' && data[i + 2] == '\n') {
      i += 2;
      continue;
    }
    t[n++] = data[i] ? (char)data[i] : ' ';
  }
  t[n] = '\0';
  static const char *const banned[] = {"include", "embed", "import", "dependency", "__debug", NULL};
  int skip = 0;
  for (const char *const *b = banned; *b && !skip; b++)
    skip = strstr(t, *b) != NULL;
  free(t);
  return skip;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static CXIndex index;
  if (!index)
    index = clang_createIndex(0, 0);
  if (skipped(data, size))
    return -1; /* not added to the corpus */
  static const char *const args[] = {"-std=gnu11", "-nostdinc", "-ferror-limit=50"};
  struct CXUnsavedFile file = {"/fuzz/input.c", (const char *)data, (unsigned long)size};
  CXTranslationUnit tu = NULL;
  enum CXErrorCode ec = clang_parseTranslationUnit2(index, file.Filename, args, 3, &file, 1,
                                                    CXTranslationUnit_KeepGoing, &tu);
  if (ec != CXError_Success || !tu)
    return 0;
  lx_tu_facts *f = lx_extract(tu);
  clang_disposeTranslationUnit(tu);
  if (!f)
    abort();
  json_t *j = lx_facts_to_json(f);
  const char *err = NULL;
  lx_tu_facts *back = j ? lx_facts_from_json(j, &err) : NULL;
  if (!back)
    abort(); /* the facts cache could not read back what extraction produced */
  json_t *again = lx_facts_to_json(back);
  if (!json_equal(j, again))
    abort(); /* the round trip lost or changed a fact */
  json_decref(again);
  json_decref(j);
  lx_facts_free(back);
  lx_facts_free(f);
  return 0;
}
