/* tu_doc.c - translation units kept for editor buffers (`leash lsp`): parsed once
 * with a precompiled preamble, reparsed after each edit; an edit inside one function
 * body is reparsed with the other bodies blanked out and only that function is
 * extracted again, the rest of the facts moved down from the previous analysis. */
#include <clang-c/Index.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/extract.h"
#include "facts/facts_bin.h"
#include "facts/facts_shift.h"
#include "frontend/tu.h"

/* A function body in the main file: the offsets of its `{` and `}`. */
typedef struct {
  size_t open, close;
  int blankable; /* no directive inside but balanced #if/#ifdef/#else/#endif */
} body_span;

struct lx_tu_doc {
  CXTranslationUnit tu;
  char *text;            /* the text last analysed, */
  size_t len;
  unsigned char *facts;  /* its facts (facts_bin.c), */
  size_t facts_len;
  LX_VEC(body_span) bodies; /* and its function bodies, in order */
  int reused;            /* the last analysis re-extracted one function only */
};

/* Whether text[0..n) holds no preprocessor directive but balanced conditionals: such
 * a body can be blanked without changing what the rest of the file means. */
static int blankable(const char *text, size_t n)
{
  int depth = 0;
  for (size_t i = 0; i < n; i++) {
    if (text[i] != '#')
      continue;
    size_t b = i;
    while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t'))
      b--;
    if (b > 0 && text[b - 1] != '\n')
      continue; /* not at the start of a line: a string, a comment, `a ## b` */
    size_t w = i + 1;
    while (w < n && (text[w] == ' ' || text[w] == '\t'))
      w++;
    size_t e = w;
    while (e < n && text[e] >= 'a' && text[e] <= 'z')
      e++;
    size_t len = e - w;
    const char *d = text + w;
    if ((len == 2 && !strncmp(d, "if", 2)) || (len == 5 && !strncmp(d, "ifdef", 5)) ||
        (len == 6 && !strncmp(d, "ifndef", 6)))
      depth++;
    else if (len == 5 && !strncmp(d, "endif", 5))
      depth--;
    else if (!((len == 4 && (!strncmp(d, "else", 4) || !strncmp(d, "elif", 4))) ||
               (len == 7 && !strncmp(d, "elifdef", 7)) || (len == 8 && !strncmp(d, "elifndef", 8))))
      return 0; /* #define, #undef, #include, #pragma, #line, ... */
    if (depth < 0)
      return 0;
  }
  return depth == 0;
}

/* Remembers text and its facts as what the next edit is compared with; with spans,
 * the function bodies are taken from the facts (freshly extracted from text). */
static void remember(lx_tu_doc *doc, const char *text, size_t len, const lx_tu_facts *facts, int spans)
{
  free(doc->text);
  doc->text = lx_xmalloc(len ? len : 1);
  memcpy(doc->text, text, len);
  doc->len = len;
  free(doc->facts);
  doc->facts = lx_facts_encode(facts, &doc->facts_len);
  if (!spans)
    return;
  doc->bodies.n = 0;
  for (size_t i = 0; i < facts->funcs.n; i++) {
    const lx_func *fn = facts->funcs.v[i];
    if (!fn->has_body_span || fn->body_close >= len || text[fn->body_open] != '{' || text[fn->body_close] != '}' ||
        (doc->bodies.n && doc->bodies.v[doc->bodies.n - 1].close >= fn->body_open))
      continue;
    body_span sp = {fn->body_open, fn->body_close,
                    blankable(text + fn->body_open + 1, fn->body_close - fn->body_open - 1)};
    lx_vec_push(&doc->bodies, sp);
  }
}

/* The function definition whose body's `{` is at offset open of the main file. */
static CXCursor function_at(CXTranslationUnit tu, const char *file, size_t open)
{
  CXFile f = clang_getFile(tu, file);
  CXCursor c = f ? clang_getCursor(tu, clang_getLocationForOffset(tu, f, (unsigned)open)) : clang_getNullCursor();
  for (int up = 0; up < 4 && !clang_Cursor_isNull(c) && clang_getCursorKind(c) != CXCursor_FunctionDecl; up++) {
    CXCursor p = clang_getCursorSemanticParent(c);
    if (clang_equalCursors(p, c))
      break;
    c = p;
  }
  return !clang_Cursor_isNull(c) && clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c)
             ? c
             : clang_getNullCursor();
}

static void forget(lx_tu_doc *doc)
{
  free(doc->text);
  free(doc->facts);
  doc->text = NULL;
  doc->facts = NULL;
  doc->bodies.n = 0;
}

static size_t count_lines(const char *t, size_t n)
{
  size_t k = 0;
  for (const char *p = t; (p = memchr(p, '\n', n - (size_t)(p - t))) != NULL; p++)
    k++;
  return k;
}

/* Line and column (1-based, in bytes) of offset off of text. */
static void line_col(const char *t, size_t off, unsigned *line, unsigned *col)
{
  size_t nl = count_lines(t, off);
  const char *bol = t + off;
  while (bol > t && bol[-1] != '\n')
    bol--;
  *line = (unsigned)nl + 1;
  *col = (unsigned)(t + off - bol) + 1;
}

/* An edit inside one function body: the file is reparsed with every other body that
 * allows it blanked out (spaces, lines kept), so that libclang parses little more than
 * declarations and that body; that function alone is extracted again, and the rest of
 * the facts are the previous ones, moved down by the lines the edit added.  Returns 0
 * with *facts set, or -1 when the edit is not of that kind (the caller parses it all). */
static int reanalyse_body(lx_tu_doc *doc, const char *text, size_t len, lx_tu_facts **facts)
{
  const char *old = doc->text;
  size_t olen = doc->len, min = olen < len ? olen : len, p = 0, s = 0;
  if (!doc->tu || !old || !doc->facts)
    return -1;
  while (p < min && old[p] == text[p])
    p++;
  while (s < min - p && old[olen - 1 - s] == text[len - 1 - s])
    s++;
  size_t oend = olen - s, nend = len - s, k = 0;
  while (k < doc->bodies.n && !(doc->bodies.v[k].open < p && oend <= doc->bodies.v[k].close))
    k++;
  if (k == doc->bodies.n || memchr(old + p, '#', oend - p) || memchr(text + p, '#', nend - p))
    return -1; /* outside any body, or a directive changed */
  body_span edited = doc->bodies.v[k];
  for (size_t i = edited.close + 1; i < olen && old[i] != '\n'; i++)
    if (old[i] != ' ' && old[i] != '\t' && old[i] != '\r')
      return -1; /* code after the `}` on its line: its column may move */
  ptrdiff_t bytes = (ptrdiff_t)len - (ptrdiff_t)olen;
  int lines = (int)count_lines(text + p, nend - p) - (int)count_lines(old + p, oend - p);

  char *blank = lx_xmalloc(len ? len : 1);
  memcpy(blank, text, len);
  for (size_t j = 0; j < doc->bodies.n; j++) {
    const body_span *b = &doc->bodies.v[j];
    if (j == k || !b->blankable)
      continue;
    size_t o = j > k ? (size_t)((ptrdiff_t)b->open + bytes) : b->open;
    size_t c = j > k ? (size_t)((ptrdiff_t)b->close + bytes) : b->close;
    for (size_t i = o + 1; i < c; i++)
      if (blank[i] != '\n' && blank[i] != '\r')
        blank[i] = ' ';
  }
  CXString name = clang_getTranslationUnitSpelling(doc->tu);
  char *file = lx_xstrdup(clang_getCString(name));
  clang_disposeString(name);
  struct CXUnsavedFile unsaved = {file, blank, (unsigned long)len};
  int rc = -1;
  if (clang_reparseTranslationUnit(doc->tu, 1, &unsaved, clang_defaultReparseOptions(doc->tu)) != 0) {
    clang_disposeTranslationUnit(doc->tu);
    doc->tu = NULL;
    goto out;
  }
  if (lx_tu_errors(doc->tu, NULL))
    goto out; /* the full parse reports them as they are */
  size_t nclose = (size_t)((ptrdiff_t)edited.close + bytes);
  if (!blankable(text + edited.open + 1, nclose - edited.open - 1))
    goto out; /* the edit made a directive */
  CXCursor fn = function_at(doc->tu, file, edited.open);
  if (clang_Cursor_isNull(fn))
    goto out;

  const char *err = NULL;
  lx_tu_facts *all = lx_facts_decode(doc->facts, doc->facts_len, &err);
  lx_tu_facts *fresh = all ? lx_extract_function(doc->tu, fn) : NULL;
  size_t at = all ? all->funcs.n : 0;
  if (fresh && fresh->funcs.n == 1 && fresh->funcs.v[0]->has_body_span &&
      fresh->funcs.v[0]->body_open == edited.open && fresh->funcs.v[0]->body_close == nclose)
    for (size_t i = 0; i < all->funcs.n && at == all->funcs.n; i++) {
      const lx_func *f = all->funcs.v[i], *g = fresh->funcs.v[0];
      if (f->is_def && f->loc.line == g->loc.line && f->loc.col == g->loc.col && !strcmp(f->usr, g->usr))
        at = i;
    }
  if (!all || !fresh || at == all->funcs.n) { /* e.g. the edit moved the body's end */
    lx_facts_free(all);
    lx_facts_free(fresh);
    goto out;
  }
  lx_edit moved = {0, 0, edited.close, lines, bytes};
  line_col(old, edited.close, &moved.line, &moved.col);
  lx_facts_shift(all, &moved, at);
  lx_func_clear(all->funcs.v[at]);
  all->funcs.v[at] = fresh->funcs.v[0];
  fresh->funcs.n = 0;
  lx_arena_adopt(&all->arena, &fresh->arena);
  lx_facts_free(fresh);

  for (size_t j = k; j < doc->bodies.n; j++) {
    body_span *b = &doc->bodies.v[j];
    if (j > k)
      b->open = (size_t)((ptrdiff_t)b->open + bytes);
    b->close = (size_t)((ptrdiff_t)b->close + bytes);
  }
  doc->bodies.v[k].blankable = 1;
  doc->reused = 1;
  remember(doc, text, len, all, 0);
  *facts = all;
  rc = 0;
out:
  free(blank);
  free(file);
  return rc;
}

lx_tu_status lx_tu_doc_analyse(void *index, lx_tu_doc **doc, const lx_cmd *cmd, const char *text, size_t len,
                               lx_tu_facts **facts)
{
  *facts = NULL;
  if (*doc && reanalyse_body(*doc, text, len, facts) == 0)
    return LX_TU_OK;
  if (*doc)
    (*doc)->reused = 0;
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
    int argc;
    const char **argv = lx_tu_args(cmd, &argc);
    enum CXErrorCode ec = clang_parseTranslationUnit2(index, cmd->file, argv, argc, &unsaved, 1, opts, &tu);
    free(argv);
    if (ec != CXError_Success || !tu) {
      lx_tu_doc_free(*doc);
      *doc = NULL;
      return LX_TU_FAILED;
    }
    if (!*doc)
      *doc = lx_xcalloc(1, sizeof(**doc));
    (*doc)->tu = tu;
  }
  int errors = lx_tu_errors((*doc)->tu, NULL);
  *facts = lx_extract((*doc)->tu);
  (*facts)->parse_errors = errors;
  if (errors)
    forget(*doc); /* what follows an error may parse differently once it is fixed */
  else
    remember(*doc, text, len, *facts, 1);
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

int lx_tu_doc_reused(const lx_tu_doc *doc) { return doc && doc->reused; }

void lx_tu_doc_free(lx_tu_doc *doc)
{
  if (!doc)
    return;
  if (doc->tu)
    clang_disposeTranslationUnit(doc->tu);
  forget(doc);
  lx_vec_free(&doc->bodies);
  free(doc);
}
