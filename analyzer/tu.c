/* tu.c - the only place besides extraction that includes clang-c/Index.h: parses a
 * translation unit, prints its errors, hands it to extraction and disposes of it. */
#include "tu.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract.h"
#include "facts_bin.h"

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

static int count_errors(CXTranslationUnit tu) { return report_diagnostics(tu, NULL); }

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

/* Moves loc down by lines when it lies in file after (line, col). */
static void shift_loc(lx_loc *l, const char *file, unsigned line, unsigned col, int lines)
{
  if (l->file && (l->line > line || (l->line == line && l->col > col)) && !strcmp(l->file, file))
    l->line = (unsigned)((int)l->line + lines);
}

/* How the facts after an edit move: lines below (line, col) of file, and the byte
 * offsets after `after` that USRs of local variables and parameters hold
 * ("c:file.c@222@F@worker@arg"). */
typedef struct {
  lx_arena *arena;
  const char *file;
  unsigned line, col;
  int lines;
  char usr_prefix[256]; /* "c:file.c@" */
  size_t prefix_len;
  size_t after;
  ptrdiff_t bytes;
} shift;

static void shift_key(const shift *sh, const char **key)
{
  const char *k = *key;
  if (!k || strncmp(k, sh->usr_prefix, sh->prefix_len) != 0)
    return;
  const char *d = k + sh->prefix_len, *e = d;
  unsigned long long off = 0;
  while (*e >= '0' && *e <= '9')
    off = off * 10 + (unsigned long long)(*e++ - '0');
  if (e == d || *e != '@' || off <= sh->after)
    return;
  *key = lx_arena_printf(sh->arena, "%.*s%llu%s", (int)sh->prefix_len, k,
                         (unsigned long long)((long long)off + (long long)sh->bytes), e);
}

/* Type spellings name unnamed records by place, "struct (unnamed at /x/f.c:32:8)":
 * those in the file after the edit move down too. */
static void shift_spelling(const shift *sh, const char **text)
{
  const char *t = *text;
  size_t flen = strlen(sh->file);
  if (!t || !strstr(t, " at "))
    return;
  char *out = NULL;
  size_t cap = 0, len = 0;
  const char *copied = t;
  for (const char *at = strstr(t, " at "); at; at = strstr(at + 1, " at ")) {
    const char *f = at + 4, *e;
    if (strncmp(f, sh->file, flen) != 0 || f[flen] != ':')
      continue;
    unsigned long line = strtoul(f + flen + 1, (char **)&e, 10), col;
    if (*e != ':')
      continue;
    const char *num = f + flen + 1;
    col = strtoul(e + 1, (char **)&e, 10);
    if (*e != ')' || !(line > sh->line || (line == sh->line && col > sh->col)))
      continue;
    size_t need = len + (size_t)(num - copied) + 32 + strlen(e) + 1;
    if (need > cap) {
      cap = need * 2;
      out = lx_xrealloc(out, cap);
    }
    len += (size_t)snprintf(out + len, cap - len, "%.*s%lu", (int)(num - copied), copied,
                            (unsigned long)((long)line + sh->lines));
    copied = num;
    while (*copied >= '0' && *copied <= '9')
      copied++;
  }
  if (!out)
    return;
  size_t rest = strlen(copied);
  out = lx_xrealloc(out, len + rest + 1);
  memcpy(out + len, copied, rest + 1);
  *text = lx_arena_strdup(sh->arena, out);
  free(out);
}

static void shift_path(const shift *sh, lx_path *p)
{
  for (int depth = 0; p && depth < 100; depth++) {
    shift_key(sh, &p->key);
    shift_spelling(sh, &p->key);
    shift_spelling(sh, &p->name);
    shift_spelling(sh, &p->type);
    p = (lx_path *)p->base; /* decoded into the arena being shifted */
  }
}

static void shift_cond(const shift *sh, lx_cond *c)
{
  for (int i = 0; i < c->n && i < LX_COND_MAX; i++) {
    shift_path(sh, &c->a[i].lhs);
    shift_path(sh, &c->a[i].rhs);
  }
}

static void shift_func(const shift *sh, lx_func *fn)
{
  shift_loc(&fn->loc, sh->file, sh->line, sh->col, sh->lines);
  shift_spelling(sh, &fn->ret_type);
  for (int i = 0; i < fn->nparams; i++)
    shift_spelling(sh, &fn->param_types[i]);
  for (size_t i = 0; i < fn->calls.n; i++) {
    lx_call *c = &fn->calls.v[i];
    shift_loc(&c->loc, sh->file, sh->line, sh->col, sh->lines);
    shift_spelling(sh, &c->callee_name);
    shift_path(sh, &c->fnptr);
    for (int a = 0; a < c->nargs; a++)
      shift_path(sh, &c->args[a]);
  }
  for (size_t i = 0; i < fn->assigns.n; i++) {
    lx_assign *a = &fn->assigns.v[i];
    shift_loc(&a->loc, sh->file, sh->line, sh->col, sh->lines);
    shift_path(sh, &a->dst);
    shift_path(sh, &a->src);
  }
  for (size_t i = 0; i < fn->loops.n; i++) {
    lx_loop *l = &fn->loops.v[i];
    shift_loc(&l->loc, sh->file, sh->line, sh->col, sh->lines);
    for (int r = 0; r < l->nreads; r++)
      shift_path(sh, &l->cond_reads[r]);
    shift_cond(sh, &l->cond);
  }
  for (size_t i = 0; i < fn->branches.n; i++) {
    lx_branch *b = &fn->branches.v[i];
    shift_loc(&b->loc, sh->file, sh->line, sh->col, sh->lines);
    for (int r = 0; r < b->nreads; r++)
      shift_path(sh, &b->reads[r]);
    shift_cond(sh, &b->cond);
  }
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
  if (count_errors(doc->tu))
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
  shift sh = {&all->arena, all->main_file, 0, 0, lines, "", 0, edited.close, bytes};
  line_col(old, edited.close, &sh.line, &sh.col);
  const char *base = strrchr(all->main_file, '/');
  snprintf(sh.usr_prefix, sizeof(sh.usr_prefix), "c:%s@", base ? base + 1 : all->main_file);
  sh.prefix_len = strlen(sh.usr_prefix);
  for (size_t i = 0; i < all->funcs.n; i++)
    if (i != at)
      shift_func(&sh, all->funcs.v[i]);
  for (size_t i = 0; i < all->global_inits.n; i++) {
    lx_assign *a = &all->global_inits.v[i];
    shift_loc(&a->loc, sh.file, sh.line, sh.col, sh.lines);
    shift_path(&sh, &a->dst);
    shift_path(&sh, &a->src);
  }
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
