/* extract.c - the one AST walk: libclang cursors in, lx_tu_facts out.
 *
 * Statements are walked with clang_visitChildren; every expression is handled by
 * expr(), which returns the expression's access path and records the calls and
 * assignments inside it as it goes, so that each node is seen exactly once.
 */
#include "frontend/extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_LOOP (-1)
#define BREAK_SWITCH (-2)

typedef struct {
  lx_tu_facts *facts;
  CXTranslationUnit tu;
  lx_map files;       /* file name -> interned copy in the arena */
  lx_func *fn;        /* function whose body is being walked, or NULL */
  CXCursor fn_cursor;
  int loop;           /* innermost loop, NO_LOOP outside loops */
  int break_target;   /* loop index a `break` leaves, or BREAK_SWITCH */
  int in_cond;
  LX_VEC(lx_path) *reads; /* collects what a loop condition reads, or NULL */
  int seq;
  int leaves;         /* jumps seen so far: return, break, continue, goto, noreturn calls */
  int exits;          /* those that leave the innermost loop (all but continue) */
  int returns;        /* those that leave the function (return, goto, noreturn calls) */
  lx_map local_flags; /* local USR -> named flags it holds ("+O_NONBLOCK"), per function */
  struct decl_memo *memo; /* what each referenced declaration resolves to, by declaration */
  CXFile last_file;       /* loc_of's one-entry cache */
  const char *last_file_name;
  size_t memo_n, memo_cap;
  int depth;          /* nesting of the walk, bounded so deep code cannot exhaust the stack */
} ex_ctx;

/* Deeper than this, expressions and statements are skipped (their facts are lost, the
 * walk goes on): real code nests a few dozen levels; generated code can nest thousands. */
#define MAX_DEPTH 600

static lx_path expr(ex_ctx *x, CXCursor c);
static void stmt(ex_ctx *x, CXCursor c);

static const char *intern_cx(ex_ctx *x, CXString s)
{
  const char *str = clang_getCString(s);
  const char *out = lx_arena_strdup(&x->facts->arena, str ? str : "");
  clang_disposeString(s);
  return out;
}

static lx_loc loc_of(ex_ctx *x, CXCursor c)
{
  lx_loc l = {NULL, 0, 0};
  CXFile file;
  unsigned line, col;
  clang_getExpansionLocation(clang_getCursorLocation(c), &file, &line, &col, NULL);
  if (file && file == x->last_file) {
    l.file = x->last_file_name; /* most locations are in the file of the one before */
  } else if (file) {
    CXString name = clang_getFileName(file);
    const char *s = clang_getCString(name);
    if (s) {
      const char *in = lx_map_get(&x->files, s);
      if (!in) {
        in = lx_arena_strdup(&x->facts->arena, s);
        lx_map_put(&x->files, s, (void *)in);
      }
      l.file = in;
      x->last_file = file;
      x->last_file_name = in;
    }
    clang_disposeString(name);
  }
  l.line = line;
  l.col = col;
  return l;
}

/* ---- children helpers ---------------------------------------------------- */

typedef struct {
  CXCursor v[8];
  int n;   /* number of children seen (may exceed 8) */
} kids;

static enum CXChildVisitResult collect_kid(CXCursor c, CXCursor parent, CXClientData d)
{
  kids *k = d;
  if (k->n < 8)
    k->v[k->n] = c;
  k->n++;
  return CXChildVisit_Continue;
}

static kids children(CXCursor c)
{
  kids k;
  k.n = 0;
  clang_visitChildren(c, collect_kid, &k);
  return k;
}

typedef struct {
  ex_ctx *x;
} walk_arg;

static enum CXChildVisitResult expr_kid(CXCursor c, CXCursor parent, CXClientData d)
{
  ex_ctx *x = d;
  if (clang_isExpression(clang_getCursorKind(c)))
    expr(x, c);
  else
    stmt(x, c);
  return CXChildVisit_Continue;
}

static void expr_children(ex_ctx *x, CXCursor c) { clang_visitChildren(c, expr_kid, x); }

static enum CXChildVisitResult stmt_kid(CXCursor c, CXCursor parent, CXClientData d)
{
  stmt(d, c);
  return CXChildVisit_Continue;
}

/* ---- access paths --------------------------------------------------------- */

static const char *type_of(ex_ctx *x, CXCursor c)
{
  CXType t = clang_getCursorType(c);
  if (t.kind == CXType_Invalid)
    return NULL;
  return intern_cx(x, clang_getTypeSpelling(t));
}

static int param_index(ex_ctx *x, CXCursor parm)
{
  if (!x->fn)
    return 0;
  int n = clang_Cursor_getNumArguments(x->fn_cursor);
  for (int i = 0; i < n; i++)
    if (clang_equalCursors(clang_Cursor_getArgument(x->fn_cursor, i), parm))
      return i + 1;
  return 0;
}

/* The macro a constant is spelled with: the token where it is expanded is a name. */
static const char *macro_name(ex_ctx *x, CXCursor c)
{
  CXFile file;
  unsigned off;
  clang_getExpansionLocation(clang_getCursorLocation(c), &file, NULL, NULL, &off);
  if (!file)
    return NULL;
  CXToken *tok = clang_getToken(x->tu, clang_getLocationForOffset(x->tu, file, off));
  if (!tok)
    return NULL;
  const char *name = NULL;
  if (clang_getTokenKind(*tok) == CXToken_Identifier)
    name = intern_cx(x, clang_getTokenSpelling(x->tu, *tok));
  clang_disposeTokens(x->tu, tok, 1);
  return name;
}

/* References to one declaration resolve to the same path: USRs and spellings are
 * built once per declaration, not once per use (they are most of the walk's cost). */
struct decl_memo {
  const void *decl;
  lx_path path;
};

static struct decl_memo *memo_slot(ex_ctx *x, const void *decl)
{
  if ((x->memo_n + 1) * 2 > x->memo_cap) {
    struct decl_memo *old = x->memo;
    size_t oldcap = x->memo_cap;
    x->memo_cap = oldcap ? oldcap * 2 : 1024;
    x->memo = lx_xcalloc(x->memo_cap, sizeof(*x->memo));
    x->memo_n = 0;
    for (size_t i = 0; i < oldcap; i++)
      if (old[i].decl) {
        *memo_slot(x, old[i].decl) = old[i];
        x->memo_n++;
      }
    free(old);
  }
  size_t mask = x->memo_cap - 1;
  size_t i = (size_t)(((uintptr_t)decl >> 4) * 0x9E3779B97F4A7C15ULL) & mask;
  while (x->memo[i].decl && x->memo[i].decl != decl)
    i = (i + 1) & mask;
  return &x->memo[i];
}

static lx_path decl_ref_uncached(ex_ctx *x, CXCursor d);

static lx_path decl_ref(ex_ctx *x, CXCursor c)
{
  CXCursor d = clang_getCursorReferenced(c);
  const void *key = d.data[0];
  if (!key || clang_getCursorKind(d) == CXCursor_ParmDecl)
    return decl_ref_uncached(x, d); /* a parameter's index is relative to the function */
  struct decl_memo *m = memo_slot(x, key);
  if (!m->decl) {
    m->decl = key;
    m->path = decl_ref_uncached(x, d);
    x->memo_n++;
  }
  return m->path;
}

static lx_path decl_ref_uncached(ex_ctx *x, CXCursor d)
{
  lx_path p = {0};
  switch (clang_getCursorKind(d)) {
  case CXCursor_ParmDecl:
    p.index = param_index(x, d);
    p.kind = p.index ? LX_PATH_PARAM : LX_PATH_LOCAL;
    p.key = intern_cx(x, clang_getCursorUSR(d));
    p.name = intern_cx(x, clang_getCursorSpelling(d));
    break;
  case CXCursor_VarDecl: {
    enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(d));
    int local = pk == CXCursor_FunctionDecl && clang_Cursor_getStorageClass(d) != CX_SC_Static &&
                clang_Cursor_getStorageClass(d) != CX_SC_Extern;
    p.kind = local ? LX_PATH_LOCAL : LX_PATH_GLOBAL;
    p.key = intern_cx(x, clang_getCursorUSR(d));
    p.name = intern_cx(x, clang_getCursorSpelling(d));
    break;
  }
  case CXCursor_FunctionDecl:
    p.kind = LX_PATH_FUNC;
    p.key = intern_cx(x, clang_getCursorUSR(d));
    p.name = intern_cx(x, clang_getCursorSpelling(d));
    break;
  case CXCursor_EnumConstantDecl:
    p.kind = LX_PATH_CONST;
    p.value = clang_getEnumConstantDeclValue(d);
    p.name = intern_cx(x, clang_getCursorSpelling(d));
    break;
  default:
    break;
  }
  return p;
}

/* Whether the base expression of a member access is a pointer (`c->fd`), not a
 * struct value (`pfd.fd`). */
static int base_is_pointer(CXCursor base)
{
  CXType t = clang_getCanonicalType(clang_getCursorType(base));
  return t.kind == CXType_Pointer;
}

/* Sets p to the field path of FieldDecl field: kind, key ("struct conn.fd"; a system
 * record's field is one location per function) and, in name, the field's spelling.
 * Returns 0 when field is no field. */
static int field_key(ex_ctx *x, CXCursor field, lx_path *p, const char **plain)
{
  if (clang_getCursorKind(field) != CXCursor_FieldDecl || !field.data[0])
    return 0;
  struct decl_memo *m = memo_slot(x, field.data[0]);
  if (!m->decl) {
    CXCursor rec = clang_getCursorSemanticParent(field);
    CXString rs = clang_getTypeSpelling(clang_getCursorType(rec));
    CXString fs = clang_getCursorSpelling(field);
    m->decl = field.data[0];
    m->path.kind = LX_PATH_FIELD;
    m->path.key = lx_arena_printf(&x->facts->arena, "%s.%s", clang_getCString(rs), clang_getCString(fs));
    m->path.name = intern_cx(x, clang_getCursorSpelling(field)); /* the field alone */
    /* A record of the system headers (struct pollfd, struct epoll_event, struct
     * msghdr) is no abstraction of the program's: every module fills its own, so its
     * fields are one location per function, not one program-wide. */
    m->path.value = clang_Location_isInSystemHeader(clang_getCursorLocation(rec)) ? 1 : 0;
    clang_disposeString(rs);
    clang_disposeString(fs);
    x->memo_n++;
  }
  p->kind = LX_PATH_FIELD;
  p->key = m->path.key;
  if (m->path.value && x->fn)
    p->key = lx_arena_printf(&x->facts->arena, "%s@%s", m->path.key, x->fn->usr);
  p->name = m->path.name;
  if (plain)
    *plain = m->path.key;
  return 1;
}

static lx_path member_ref(ex_ctx *x, CXCursor c)
{
  lx_path p = {0};
  CXCursor field = clang_getCursorReferenced(c);
  kids k = children(c);
  int arrow = 0;
  if (k.n >= 1) {
    lx_path base = expr(x, k.v[0]);
    arrow = base_is_pointer(k.v[0]);
    if (base.kind != LX_PATH_UNKNOWN) {
      lx_path *b = lx_arena_alloc(&x->facts->arena, sizeof(*b));
      *b = base;
      p.base = b;
    }
  }
  const char *plain = NULL;
  if (!field_key(x, field, &p, &plain))
    return p;
  /* What a user reads: the expression as spelled (`c->fd`, `srv.conn.fd`), when its
   * base has a name; else the record's field (`struct conn.fd`). */
  char base[256];
  if (p.base && (p.base->kind == LX_PATH_LOCAL || p.base->kind == LX_PATH_PARAM ||
                 p.base->kind == LX_PATH_GLOBAL || p.base->kind == LX_PATH_FIELD) &&
      p.base->name && !p.base->addr_of && !p.base->deref) {
    lx_path_str(p.base, base, sizeof(base));
    p.name = lx_arena_printf(&x->facts->arena, "%s%s%s", base, arrow ? "->" : ".", p.name);
  } else {
    p.name = plain;
  }
  return p;
}

static lx_path constant(ex_ctx *x, CXCursor c)
{
  lx_path p = {0};
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (r) {
    if (clang_EvalResult_getKind(r) == CXEval_Int) {
      p.kind = LX_PATH_CONST;
      p.value = clang_EvalResult_getAsLongLong(r);
      p.name = macro_name(x, c);
    }
    clang_EvalResult_dispose(r);
  }
  return p;
}

static int is_noreturn(const char *name)
{
  static const char *const names[] = {"exit",       "_exit",        "_Exit",     "abort",
                                      "quick_exit", "pthread_exit", "thrd_exit", "longjmp",
                                      "siglongjmp", "g_thread_exit", "err",      "errx"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strcmp(name, names[i]) == 0)
      return 1;
  return 0;
}

static void leave_loops(ex_ctx *x)
{
  x->leaves++;
  x->exits++;
  x->returns++;
  if (!x->fn)
    return;
  for (int l = x->loop; l != NO_LOOP; l = x->fn->loops.v[l].parent)
    x->fn->loops.v[l].has_exit = 1;
}

static lx_path call(ex_ctx *x, CXCursor c)
{
  lx_call cl;
  memset(&cl, 0, sizeof(cl));
  cl.loc = loc_of(x, c);
  cl.loop = x->loop;
  cl.in_cond = x->in_cond > 0;
  CXCursor callee = clang_getCursorReferenced(c);
  if (clang_getCursorKind(callee) == CXCursor_FunctionDecl) {
    cl.callee = intern_cx(x, clang_getCursorUSR(callee));
    cl.callee_name = intern_cx(x, clang_getCursorSpelling(callee));
  } else {
    /* Through a pointer: the first child is the callee expression. */
    kids k = children(c);
    if (k.n >= 1) {
      lx_path fp = expr(x, k.v[0]);
      cl.fnptr = lx_path_store(&x->facts->arena, &fp);
      char buf[128];
      cl.callee_name = lx_arena_strdup(&x->facts->arena, lx_path_str(cl.fnptr, buf, sizeof(buf)));
    }
  }
  int n = clang_Cursor_getNumArguments(c);
  if (n > 0) {
    cl.nargs = n;
    cl.args = lx_arena_alloc(&x->facts->arena, sizeof(*cl.args) * (size_t)n);
    for (int i = 0; i < n; i++) {
      CXCursor a = clang_Cursor_getArgument(c, i);
      lx_path arg = expr(x, a);
      if (arg.kind != LX_PATH_CONST && arg.kind != LX_PATH_STRING)
        arg.type = type_of(x, a);
      cl.args[i] = lx_path_store(&x->facts->arena, &arg);
    }
  }
  cl.seq = x->seq++;
  lx_path p = {0};
  if (!x->fn)
    return p;
  if (cl.callee_name && cl.callee && is_noreturn(cl.callee_name))
    leave_loops(x);
  lx_vec_push(&x->fn->calls, cl);
  p.kind = LX_PATH_CALL;
  p.index = (int)x->fn->calls.n - 1;
  p.name = cl.callee_name;
  return p;
}

static void record_assign(ex_ctx *x, lx_path dst, lx_path src, CXCursor at)
{
  if (dst.kind == LX_PATH_UNKNOWN || src.kind == LX_PATH_UNKNOWN)
    return;
  lx_assign a = {lx_path_store(&x->facts->arena, &dst), lx_path_store(&x->facts->arena, &src), loc_of(x, at),
                 x->loop, x->seq++};
  if (x->fn)
    lx_vec_push(&x->fn->assigns, a);
  else
    lx_vec_push(&x->facts->global_inits, a);
}

/* The n paths of v, stored in the facts. */
static const lx_path **store_reads(ex_ctx *x, const lx_path *v, size_t n)
{
  const lx_path **out = lx_arena_alloc(&x->facts->arena, sizeof(*out) * n);
  for (size_t i = 0; i < n; i++)
    out[i] = lx_path_store(&x->facts->arena, &v[i]);
  return out;
}

static void note_read(ex_ctx *x, lx_path p)
{
  if (x->reads && p.kind != LX_PATH_UNKNOWN && p.kind != LX_PATH_CONST)
    lx_vec_push(x->reads, p);
}

static lx_path expr_at(ex_ctx *x, CXCursor c);
static int designated_fields(ex_ctx *x, const lx_path *var, CXCursor list);

/* The named flags `a | b` sets ("+O_NONBLOCK") or `a & b` clears ("-O_NONBLOCK", from
 * b = ~O_NONBLOCK), with those its operands already carry; NULL when none. */
static const char *flag_names(ex_ctx *x, int is_or, const lx_path *a, const lx_path *b)
{
  char buf[256] = "";
  const lx_path *side[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    const lx_path *s = side[i];
    size_t n = strlen(buf);
    if (s->flags && (is_or || s->flags[0] == '-'))
      snprintf(buf + n, sizeof(buf) - n, "%s", s->flags);
    else if (is_or && s->kind == LX_PATH_CONST && s->name)
      snprintf(buf + n, sizeof(buf) - n, "+%s", s->name);
  }
  return buf[0] ? lx_arena_strdup(&x->facts->arena, buf) : NULL;
}

/* C11 <stdatomic.h> operations are builtins libclang does not expose (AtomicExpr):
 * atomic_load(&x) reads x, atomic_store(&x, v) and atomic_exchange(&x, v) write v. */
static lx_path atomic_expr(ex_ctx *x, CXCursor c, const kids *ks)
{
  lx_path none = {0};
  const char *op = macro_name(x, c);
  lx_path obj = expr(x, ks->v[0]);
  obj.addr_of = 0;
  lx_path val = none;
  /* AtomicExpr children: the pointer, the memory order, then the value (if any). */
  for (int i = 1; i < ks->n; i++) {
    lx_path v = expr(x, ks->v[i]);
    if (i == 2)
      val = v;
  }
  if (!op || strncmp(op, "atomic_", 7) != 0)
    return none;
  if (!strncmp(op, "atomic_load", 11)) {
    note_read(x, obj);
    return obj;
  }
  if (!strncmp(op, "atomic_store", 12) || !strncmp(op, "atomic_exchange", 15) || !strncmp(op, "atomic_init", 11))
    record_assign(x, obj, val, c);
  return none;
}

/* Remembers the flags a local is given (`fl = x | O_NONBLOCK`, `fl |= O_NONBLOCK`), so
 * that fcntl(fd, F_SETFL, fl) shows them; accumulates over branches. */
static void track_flags(ex_ctx *x, const lx_path *dst, const char *flags, int add)
{
  if (!x->fn || dst->kind != LX_PATH_LOCAL || !dst->key)
    return;
  const char *old = lx_map_get(&x->local_flags, dst->key);
  if (!flags) {
    if (!add && old)
      lx_map_put(&x->local_flags, dst->key, NULL);
    return;
  }
  const char *now = add && old ? lx_arena_printf(&x->facts->arena, "%s%s", old, flags) : flags;
  lx_map_put(&x->local_flags, dst->key, (void *)now);
}

/* Handles one expression: records what it does, returns what it denotes. */
static lx_path expr(ex_ctx *x, CXCursor c)
{
  lx_path p = {0};
  if (x->depth >= MAX_DEPTH)
    return p;
  x->depth++;
  p = expr_at(x, c);
  x->depth--;
  return p;
}

static lx_path expr_at(ex_ctx *x, CXCursor c)
{
  lx_path p = {0};
  enum CXCursorKind k = clang_getCursorKind(c);
  switch (k) {
  case CXCursor_DeclRefExpr:
    p = decl_ref(x, c);
    if (p.kind == LX_PATH_LOCAL && x->fn && p.key)
      p.flags = lx_map_get(&x->local_flags, p.key);
    note_read(x, p);
    return p;
  case CXCursor_MemberRefExpr:
    p = member_ref(x, c);
    note_read(x, p);
    return p;
  case CXCursor_IntegerLiteral:
  case CXCursor_CharacterLiteral:
    return constant(x, c);
  case CXCursor_StringLiteral: {
    CXString s = clang_getCursorSpelling(c);
    const char *str = clang_getCString(s);
    p.kind = LX_PATH_STRING;
    p.name = lx_arena_printf(&x->facts->arena, "%.60s", str ? str : "");
    clang_disposeString(s);
    return p;
  }
  case CXCursor_CallExpr:
    return call(x, c);
  case CXCursor_ParenExpr:
  case CXCursor_CStyleCastExpr:
  case CXCursor_UnexposedExpr: {
    kids ks = children(c);
    if (ks.n == 1)
      return expr(x, ks.v[0]);
    /* A cast's first child may be a type reference. */
    if (k == CXCursor_CStyleCastExpr && ks.n == 2 && !clang_isExpression(clang_getCursorKind(ks.v[0])))
      return expr(x, ks.v[1]);
    if (k == CXCursor_UnexposedExpr && ks.n >= 2 && ks.n <= 8)
      return atomic_expr(x, c, &ks);
    expr_children(x, c);
    return p;
  }
  case CXCursor_UnaryOperator: {
    enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
    kids ks = children(c);
    if (ks.n != 1)
      return p;
    p = expr(x, ks.v[0]);
    if (op == CXUnaryOperator_PostInc || op == CXUnaryOperator_PreInc || op == CXUnaryOperator_PostDec ||
        op == CXUnaryOperator_PreDec) {
      record_assign(x, p, p, c); /* n++: a write of a value we do not know */
      p.kind = LX_PATH_UNKNOWN;
      return p;
    }
    if (op == CXUnaryOperator_AddrOf)
      p.addr_of = 1;
    else if (op == CXUnaryOperator_Deref)
      p.deref = 1;
    else if (p.kind == LX_PATH_CONST && (op == CXUnaryOperator_Minus || op == CXUnaryOperator_Not ||
                                        op == CXUnaryOperator_LNot || op == CXUnaryOperator_Plus)) {
      const char *inner = p.name;
      p = constant(x, c);
      if (op == CXUnaryOperator_Not && inner) /* ~O_NONBLOCK: a mask that clears a flag */
        p.flags = lx_arena_printf(&x->facts->arena, "-%s", inner);
      return p;
    }
    else if (op != CXUnaryOperator_Extension)
      p.kind = LX_PATH_UNKNOWN;
    return p;
  }
  case CXCursor_ArraySubscriptExpr: {
    kids ks = children(c);
    if (ks.n >= 1)
      p = expr(x, ks.v[0]);
    for (int i = 1; i < ks.n && i < 8; i++)
      expr(x, ks.v[i]);
    p.deref = 1;
    return p;
  }
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator: {
    kids ks = children(c);
    if (ks.n != 2) {
      expr_children(x, c);
      return p;
    }
    enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
    if (op == CXBinaryOperator_Assign) {
      lx_path dst = expr(x, ks.v[0]);
      lx_path src = expr(x, ks.v[1]);
      record_assign(x, dst, src, c);
      track_flags(x, &dst, src.flags, 0);
      return dst;
    }
    lx_path a = expr(x, ks.v[0]);
    lx_path b = expr(x, ks.v[1]);
    if (k == CXCursor_CompoundAssignOperator) {
      /* n += 2, flags |= O_NONBLOCK: a write of a value we do not know (and the flags) */
      record_assign(x, a, a, c);
      if (op == CXBinaryOperator_OrAssign || op == CXBinaryOperator_AndAssign)
        track_flags(x, &a, flag_names(x, op == CXBinaryOperator_OrAssign, &(lx_path){0}, &b), 1);
      return p;
    }
    if (op == CXBinaryOperator_Comma)
      return b;
    if (a.kind == LX_PATH_CONST && b.kind == LX_PATH_CONST)
      p = constant(x, c);
    if (op == CXBinaryOperator_Or || op == CXBinaryOperator_And)
      p.flags = flag_names(x, op == CXBinaryOperator_Or, &a, &b);
    return p;
  }
  case CXCursor_ConditionalOperator:
    expr_children(x, c);
    return p;
  case CXCursor_CompoundLiteralExpr: {
    kids ks = children(c);
    if (ks.n >= 1 && clang_getCursorKind(ks.v[ks.n - 1]) == CXCursor_InitListExpr && designated_fields(x, NULL, ks.v[ks.n - 1]))
      return p;
    expr_children(x, c);
    return p;
  }
  case CXCursor_StmtExpr:
    /* ({ ... }): a GNU statement expression, e.g. libcurl's type-checking macros. */
    clang_visitChildren(c, stmt_kid, x);
    return p;
  default:
    expr_children(x, c);
    return p;
  }
}

/* ---- conditions ------------------------------------------------------------ */

static lx_cmp_op negate(lx_cmp_op op)
{
  switch (op) {
  case LX_CMP_TRUTHY: return LX_CMP_FALSY;
  case LX_CMP_FALSY: return LX_CMP_TRUTHY;
  case LX_CMP_LT: return LX_CMP_GE;
  case LX_CMP_LE: return LX_CMP_GT;
  case LX_CMP_GT: return LX_CMP_LE;
  case LX_CMP_GE: return LX_CMP_LT;
  case LX_CMP_EQ: return LX_CMP_NE;
  case LX_CMP_NE: return LX_CMP_EQ;
  default: return LX_CMP_NONE;
  }
}

static void negate_cond(lx_cond_buf *c)
{
  for (int i = 0; i < c->n; i++)
    c->a[i].op = negate(c->a[i].op);
  if (c->n > 1)
    c->disj = !c->disj; /* De Morgan */
}

/* Evaluates condition c like expr() and describes its shape in *out. */
static lx_path cond_expr(ex_ctx *x, CXCursor c, lx_cond_buf *out)
{
  lx_path none = {0};
  memset(out, 0, sizeof(*out));
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr) {
    kids ks = children(c);
    if (ks.n == 1)
      return cond_expr(x, ks.v[0], out);
  }
  if (k == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot) {
    kids ks = children(c);
    if (ks.n == 1) {
      cond_expr(x, ks.v[0], out);
      negate_cond(out);
      return none;
    }
  }
  if (k == CXCursor_BinaryOperator) {
    enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
    kids ks = children(c);
    if ((op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr) && ks.n == 2) {
      lx_cond_buf l, r;
      cond_expr(x, ks.v[0], &l);
      cond_expr(x, ks.v[1], &r);
      int disj = op == CXBinaryOperator_LOr;
      /* Flatten a && (b && c); a mixed chain keeps the atoms of its own operator. */
      if (l.n && (l.n == 1 || l.disj == disj) && r.n && (r.n == 1 || r.disj == disj) &&
          l.n + r.n <= LX_COND_MAX) {
        *out = l;
        out->disj = (unsigned)disj;
        for (int i = 0; i < r.n; i++)
          out->a[out->n++] = r.a[i];
      }
      return none;
    }
    lx_cmp_op cmp = op == CXBinaryOperator_LT ? LX_CMP_LT : op == CXBinaryOperator_LE ? LX_CMP_LE
                  : op == CXBinaryOperator_GT ? LX_CMP_GT : op == CXBinaryOperator_GE ? LX_CMP_GE
                  : op == CXBinaryOperator_EQ ? LX_CMP_EQ : op == CXBinaryOperator_NE ? LX_CMP_NE
                  : LX_CMP_NONE;
    if (cmp != LX_CMP_NONE && ks.n == 2) {
      lx_atom_buf *a = &out->a[0];
      a->lhs = expr(x, ks.v[0]);
      a->rhs = expr(x, ks.v[1]);
      a->op = cmp;
      if (a->rhs.kind == LX_PATH_CONST && a->rhs.value == 0 && (cmp == LX_CMP_EQ || cmp == LX_CMP_NE))
        a->op = cmp == LX_CMP_EQ ? LX_CMP_FALSY : LX_CMP_TRUTHY;
      out->n = 1;
      return none;
    }
  }
  lx_path p = expr(x, c);
  if (p.kind != LX_PATH_UNKNOWN && p.kind != LX_PATH_CONST && p.kind != LX_PATH_STRING) {
    out->n = 1;
    out->a[0].op = LX_CMP_TRUTHY;
    out->a[0].lhs = p;
  }
  return p;
}

/* ---- statements ------------------------------------------------------------ */

static int open_loop(ex_ctx *x, CXCursor c, lx_loop_kind kind)
{
  lx_loop l;
  memset(&l, 0, sizeof(l));
  l.kind = kind;
  l.loc = loc_of(x, c);
  l.parent = x->loop;
  lx_vec_push(&x->fn->loops, l);
  return (int)x->fn->loops.n - 1;
}

/* Walks a loop condition, recording what it reads and whether it is constant true. */
static void loop_cond(ex_ctx *x, int li, CXCursor cond)
{
  LX_VEC(lx_path) reads = {0};
  void *saved = x->reads;
  x->reads = (void *)&reads;
  x->in_cond++;
  int saved_loop = x->loop;
  x->loop = li; /* the condition runs on every pass: its calls are in the loop */
  lx_cond_buf shape;
  memset(&shape, 0, sizeof(shape));
  lx_path p = cond_expr(x, cond, &shape);
  x->loop = saved_loop;
  x->in_cond--;
  x->reads = saved;
  lx_loop *l = &x->fn->loops.v[li];
  l->cond = lx_cond_store(&x->facts->arena, &shape);
  if (p.kind == LX_PATH_CONST && p.value != 0 && reads.n == 0)
    l->infinite = 1;
  if (reads.n) {
    l->nreads = (int)reads.n;
    l->cond_reads = store_reads(x, reads.v, reads.n);
  }
  lx_vec_free(&reads);
}

/* Offsets of the two `;` of a for header, to tell init, condition and increment apart. */
static void for_semicolons(ex_ctx *x, CXCursor c, CXCursor body, unsigned semi[2])
{
  semi[0] = semi[1] = 0;
  CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
  CXSourceLocation bstart = clang_getRangeStart(clang_getCursorExtent(body));
  CXToken *toks = NULL;
  unsigned n = 0;
  clang_tokenize(x->tu, clang_getRange(start, bstart), &toks, &n);
  int depth = 0, found = 0;
  for (unsigned i = 0; i < n && found < 2; i++) {
    if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
      continue;
    CXString s = clang_getTokenSpelling(x->tu, toks[i]);
    const char *t = clang_getCString(s);
    if (strcmp(t, "(") == 0)
      depth++;
    else if (strcmp(t, ")") == 0)
      depth--;
    else if (strcmp(t, ";") == 0 && depth == 1) {
      unsigned off;
      clang_getExpansionLocation(clang_getTokenLocation(x->tu, toks[i]), NULL, NULL, NULL, &off);
      semi[found++] = off;
    }
    clang_disposeString(s);
  }
  clang_disposeTokens(x->tu, toks, n);
}

static unsigned offset_of(CXCursor c)
{
  unsigned off;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL, NULL, &off);
  return off;
}

static void loop_body(ex_ctx *x, int li, CXCursor body)
{
  int saved_loop = x->loop, saved_brk = x->break_target;
  x->loop = li;
  x->break_target = li;
  x->fn->loops.v[li].body_begin = x->seq;
  int saved_exits = x->exits; /* a break in this loop leaves this loop, not the enclosing one */
  stmt(x, body);
  x->exits = saved_exits;
  x->fn->loops.v[li].body_end = x->seq;
  x->loop = saved_loop;
  x->break_target = saved_brk;
}

static void for_stmt(ex_ctx *x, CXCursor c)
{
  kids k = children(c);
  if (k.n == 0 || k.n > 4)
    return;
  CXCursor body = k.v[k.n - 1];
  int li = open_loop(x, c, LX_LOOP_FOR);
  unsigned semi[2];
  for_semicolons(x, c, body, semi);
  int has_cond = 0;
  for (int i = 0; i < k.n - 1; i++) {
    unsigned off = offset_of(k.v[i]);
    if (semi[1] && off > semi[0] && off < semi[1]) {
      loop_cond(x, li, k.v[i]);
      has_cond = 1;
    } else if (semi[1] && off > semi[1]) {
      continue; /* the increment runs with the body, below */
    } else {
      stmt(x, k.v[i]);
    }
  }
  if (!has_cond)
    x->fn->loops.v[li].infinite = 1;
  loop_body(x, li, body);
  for (int i = 0; i < k.n - 1; i++) {
    unsigned off = offset_of(k.v[i]);
    if (semi[1] && off > semi[1]) {
      int saved = x->loop;
      x->loop = li;
      stmt(x, k.v[i]);
      x->loop = saved;
    }
  }
}

static void annotations(ex_ctx *x, CXCursor c, lx_func *fn);

static void if_stmt(ex_ctx *x, CXCursor c)
{
  kids ks = children(c);
  if (ks.n < 2 || ks.n > 3) {
    clang_visitChildren(c, stmt_kid, x);
    return;
  }
  lx_branch b;
  memset(&b, 0, sizeof(b));
  b.loc = loc_of(x, c);
  b.loop = x->loop;
  LX_VEC(lx_path) reads = {0};
  void *saved = x->reads;
  x->reads = (void *)&reads;
  x->in_cond++;
  lx_cond_buf shape;
  memset(&shape, 0, sizeof(shape));
  if (clang_isExpression(clang_getCursorKind(ks.v[0])))
    cond_expr(x, ks.v[0], &shape);
  else
    stmt(x, ks.v[0]);
  b.cond = lx_cond_store(&x->facts->arena, &shape);
  x->in_cond--;
  x->reads = saved;
  if (reads.n) {
    b.nreads = (int)reads.n;
    b.reads = store_reads(x, reads.v, reads.n);
  }
  lx_vec_free(&reads);
  int leaves = x->leaves, exits = x->exits, returns = x->returns;
  b.then_begin = x->seq;
  stmt(x, ks.v[1]);
  b.then_end = x->seq;
  b.then_leaves = x->leaves > leaves;
  b.then_exits = x->exits > exits || x->returns > returns;
  b.then_returns = x->returns > returns;
  lx_vec_push(&x->fn->branches, b);
  if (ks.n == 3) {
    /* The else-branch is a branch of its own, run when the condition does not hold:
     * `if (n >= limit) reject(); else spawn();` bounds the spawn. */
    lx_branch e = b;
    negate_cond(&shape);
    e.cond = lx_cond_store(&x->facts->arena, &shape);
    leaves = x->leaves, exits = x->exits, returns = x->returns;
    e.then_begin = x->seq;
    stmt(x, ks.v[2]);
    e.then_end = x->seq;
    e.then_leaves = x->leaves > leaves;
    e.then_exits = x->exits > exits || x->returns > returns;
    e.then_returns = x->returns > returns;
    lx_vec_push(&x->fn->branches, e);
  }
}

/* struct addrinfo hints = {.ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_DGRAM}:
 * each `.field = value` of a local struct's initialiser is an assignment to var.field
 * (var NULL: of a compound literal, &(struct addrinfo){.ai_socktype = SOCK_DGRAM}, whose
 * fields are known by their record alone).  A list with no designator gives the
 * struct's members in order (Paho's MQTTClient_connectOptions_initializer,
 * { {'M', 'Q', 'T', 'C'}, 8, 60, ... }): item i is member i.
 * Returns 0 (nothing recorded) when the list mixes both, or is not of a struct. */
typedef LX_VEC(CXCursor) cursor_list;

static enum CXChildVisitResult collect_all(CXCursor c, CXCursor parent, CXClientData d)
{
  (void)parent;
  lx_vec_push((cursor_list *)d, c);
  return CXChildVisit_Continue;
}

static enum CXVisitorResult collect_field(CXCursor c, CXClientData d)
{
  lx_vec_push((cursor_list *)d, c);
  return CXVisit_Continue;
}

/* A table: every function stored in the list is registered through dst. */
static void table_reads(ex_ctx *x, lx_path dst, CXCursor list)
{
  LX_VEC(lx_path) reads = {0};
  void *saved = x->reads;
  x->reads = (void *)&reads;
  expr(x, list);
  x->reads = saved;
  for (size_t j = 0; j < reads.n; j++)
    if (reads.v[j].kind == LX_PATH_FUNC)
      record_assign(x, dst, reads.v[j], list);
  lx_vec_free(&reads);
}

static int designated_fields(ex_ctx *x, const lx_path *var, CXCursor list)
{
  if (!x->fn || (var && var->kind != LX_PATH_LOCAL))
    return 0;
  cursor_list items = {0}, fields = {0};
  clang_visitChildren(list, collect_all, &items);
  int designated = items.n > 0, positional = items.n > 0;
  for (size_t i = 0; i < items.n; i++) {
    /* `.a = v` is [MemberRef a, v]; `.a.b = v` (a member of a member) [a, b, v] */
    kids parts = children(items.v[i]);
    int names_member = parts.n >= 1 && clang_getCursorKind(parts.v[0]) == CXCursor_MemberRef;
    for (int k = 0; k + 1 < parts.n && names_member; k++)
      names_member = clang_getCursorKind(parts.v[k]) == CXCursor_MemberRef;
    if (!names_member || parts.n < 2 || !clang_isExpression(clang_getCursorKind(parts.v[parts.n - 1])))
      designated = 0;
    if (parts.n >= 1 && clang_getCursorKind(parts.v[0]) == CXCursor_MemberRef)
      positional = 0;
  }
  if (!designated && positional) {
    CXType t = clang_getCanonicalType(clang_getCursorType(list));
    if (t.kind == CXType_Record)
      clang_Type_visitFields(t, collect_field, &fields);
    positional = fields.n >= items.n;
  }
  for (size_t i = 0; i < items.n && (designated || positional); i++) {
    kids parts = children(items.v[i]);
    CXCursor value = designated ? parts.v[parts.n - 1] : items.v[i];
    if (clang_getCursorKind(value) == CXCursor_InitListExpr) { /* a member that is a struct or array */
      if (var)
        table_reads(x, *var, value);
      else
        expr(x, value);
      continue;
    }
    lx_path src = expr(x, value);
    if (src.kind == LX_PATH_FUNC) {
      if (var)
        record_assign(x, *var, src, items.v[i]); /* as the table walk records it */
      continue;
    }
    lx_path dst = {0};
    if (!field_key(x, designated ? clang_getCursorReferenced(parts.v[parts.n - 2]) : fields.v[i], &dst, NULL))
      continue;
    if (var) {
      lx_path *b = lx_arena_alloc(&x->facts->arena, sizeof(*b));
      *b = *var;
      dst.base = b;
      dst.name = lx_arena_printf(&x->facts->arena, "%s.%s", var->name ? var->name : "?", dst.name);
    }
    record_assign(x, dst, src, items.v[i]);
  }
  int done = designated || positional;
  lx_vec_free(&items);
  lx_vec_free(&fields);
  return done;
}

/* const struct conn_type CT_Socket = {.connect = sock_connect, .read = sock_read}: a
 * function given to a member in a struct variable's initialiser (by designator, or by
 * position in a list with none; members of members too) is stored in that member, as
 * `CT_Socket.connect = sock_connect` stores it, so a call through the field
 * (c->type->connect(c, ...)) may call it. */
static void member_functions(ex_ctx *x, CXCursor list, int depth)
{
  CXType t = clang_getCanonicalType(clang_getCursorType(list));
  if (t.kind != CXType_Record || depth > 4)
    return;
  cursor_list items = {0}, fields = {0};
  clang_visitChildren(list, collect_all, &items);
  int any_designator = 0;
  for (size_t i = 0; i < items.n && !any_designator; i++) {
    kids parts = children(items.v[i]);
    any_designator = parts.n >= 1 && clang_getCursorKind(parts.v[0]) == CXCursor_MemberRef;
  }
  if (!any_designator)
    clang_Type_visitFields(t, collect_field, &fields);
  for (size_t i = 0; i < items.n; i++) {
    kids parts = children(items.v[i]);
    CXCursor value = items.v[i], member = clang_getNullCursor();
    if (any_designator) {
      if (parts.n < 2 || clang_getCursorKind(parts.v[parts.n - 2]) != CXCursor_MemberRef)
        continue;
      value = parts.v[parts.n - 1];
      member = clang_getCursorReferenced(parts.v[parts.n - 2]);
    } else if (i < fields.n) {
      member = fields.v[i];
    }
    if (clang_Cursor_isNull(member))
      continue;
    if (clang_getCursorKind(value) == CXCursor_InitListExpr) {
      member_functions(x, value, depth + 1);
      continue;
    }
    LX_VEC(lx_path) reads = {0};
    void *saved = x->reads;
    x->reads = (void *)&reads;
    lx_path src = expr(x, value);
    x->reads = saved;
    lx_vec_free(&reads);
    lx_path dst = {0};
    if (src.kind == LX_PATH_FUNC && field_key(x, member, &dst, NULL))
      record_assign(x, dst, src, items.v[i]);
  }
  lx_vec_free(&items);
  lx_vec_free(&fields);
}

static void var_decl(ex_ctx *x, CXCursor c)
{
  kids k = children(c);
  lx_path dst = {0};
  int local = x->fn && clang_Cursor_getStorageClass(c) != CX_SC_Static &&
              clang_Cursor_getStorageClass(c) != CX_SC_Extern;
  dst.kind = local ? LX_PATH_LOCAL : LX_PATH_GLOBAL;
  dst.key = intern_cx(x, clang_getCursorUSR(c));
  dst.name = intern_cx(x, clang_getCursorSpelling(c));
  if (!local)
    dst.type = type_of(x, c); /* tables: the element type tells which dispatch reads them */
  for (int i = 0; i < k.n && i < 8; i++) {
    enum CXCursorKind kk = clang_getCursorKind(k.v[i]);
    if (!clang_isExpression(kk))
      continue;
    if (kk == CXCursor_InitListExpr && designated_fields(x, &dst, k.v[i]))
      continue;
    if (kk == CXCursor_InitListExpr) {
      table_reads(x, dst, k.v[i]);
      if (!local)
        member_functions(x, k.v[i], 0);
    } else {
      lx_path src = expr(x, k.v[i]);
      record_assign(x, dst, src, c);
    }
  }
}

static void stmt_at(ex_ctx *x, CXCursor c);

static void stmt(ex_ctx *x, CXCursor c)
{
  if (x->depth >= MAX_DEPTH)
    return;
  x->depth++;
  stmt_at(x, c);
  x->depth--;
}

/* A condition that is the constant 0 (while (0), the do-while(0) of macros). */
static int const_false(CXCursor c)
{
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k != CXCursor_IntegerLiteral && k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr &&
      k != CXCursor_CStyleCastExpr)
    return 0;
  CXEvalResult r = clang_Cursor_Evaluate(c);
  if (!r)
    return 0;
  int zero = clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) == 0;
  clang_EvalResult_dispose(r);
  return zero;
}

static void stmt_at(ex_ctx *x, CXCursor c)
{
  enum CXCursorKind k = clang_getCursorKind(c);
  if (clang_isExpression(k)) {
    expr(x, c);
    return;
  }
  if (!x->fn)
    return;
  switch (k) {
  case CXCursor_VarDecl:
    var_decl(x, c);
    return;
  case CXCursor_IfStmt:
    if_stmt(x, c);
    return;
  case CXCursor_SwitchStmt: {
    kids ks = children(c);
    for (int i = 0; i < ks.n && i < 8; i++) {
      if (i == 0) {
        x->in_cond++;
        stmt(x, ks.v[i]);
        x->in_cond--;
      } else if (k == CXCursor_SwitchStmt) {
        int saved = x->break_target;
        x->break_target = BREAK_SWITCH;
        stmt(x, ks.v[i]);
        x->break_target = saved;
      } else {
        stmt(x, ks.v[i]);
      }
    }
    return;
  }
  case CXCursor_WhileStmt: {
    kids ks = children(c);
    if (ks.n != 2)
      return;
    int li = open_loop(x, c, LX_LOOP_WHILE);
    loop_cond(x, li, ks.v[0]);
    loop_body(x, li, ks.v[1]);
    return;
  }
  case CXCursor_DoStmt: {
    kids ks = children(c);
    if (ks.n != 2)
      return;
    if (const_false(ks.v[1])) {
      /* do { ... } while (0): a macro's block, run once; not a loop. */
      int saved = x->break_target;
      x->break_target = BREAK_SWITCH;
      stmt(x, ks.v[0]);
      x->break_target = saved;
      expr(x, ks.v[1]);
      return;
    }
    int li = open_loop(x, c, LX_LOOP_DO);
    loop_body(x, li, ks.v[0]);
    int saved = x->loop;
    x->loop = li;
    loop_cond(x, li, ks.v[1]);
    x->loop = saved;
    return;
  }
  case CXCursor_ForStmt:
    for_stmt(x, c);
    return;
  case CXCursor_BreakStmt:
    x->leaves++;
    if (x->break_target >= 0) {
      x->fn->loops.v[x->break_target].has_exit = 1;
      x->exits++;
    }
    return;
  case CXCursor_ContinueStmt:
    x->leaves++;
    return;
  case CXCursor_ReturnStmt: {
    kids ks = children(c);
    if (ks.n == 1) {
      lx_path src = expr(x, ks.v[0]);
      lx_path dst = {0};
      dst.kind = LX_PATH_RETURN;
      record_assign(x, dst, src, c);
    }
    leave_loops(x);
    return;
  }
  case CXCursor_GotoStmt:
  case CXCursor_IndirectGotoStmt:
    leave_loops(x);
    return;
  default:
    clang_visitChildren(c, stmt_kid, x);
    return;
  }
}

/* ---- declarations ---------------------------------------------------------- */

static enum CXChildVisitResult annot_kid(CXCursor c, CXCursor parent, CXClientData d)
{
  void **a = d;
  if (clang_getCursorKind(c) == CXCursor_AnnotateAttr) {
    ex_ctx *x = a[0];
    lx_func *fn = a[1];
    CXString s = clang_getCursorSpelling(c);
    lx_annot an;
    if (lx_ann_parse(clang_getCString(s), &an) == 0)
      lx_vec_push(&fn->annots, an);
    clang_disposeString(s);
    (void)x;
  }
  return CXChildVisit_Continue;
}

static void annotations(ex_ctx *x, CXCursor c, lx_func *fn)
{
  if (!clang_Cursor_hasAttrs(c))
    return;
  void *a[2] = {x, fn};
  clang_visitChildren(c, annot_kid, a);
}

/* Notes where body, a compound statement, lies when it is written out in the main
 * file: both braces there, neither made by a macro. */
static void body_span(lx_func *fn, CXCursor body)
{
  CXSourceRange r = clang_getCursorExtent(body);
  CXSourceLocation a = clang_getRangeStart(r), b = clang_getRangeEnd(r);
  if (!clang_Location_isFromMainFile(a) || !clang_Location_isFromMainFile(b))
    return;
  CXFile fa, fb, sa, sb;
  unsigned oa, ob, soa, sob;
  clang_getExpansionLocation(a, &fa, NULL, NULL, &oa);
  clang_getExpansionLocation(b, &fb, NULL, NULL, &ob);
  clang_getSpellingLocation(a, &sa, NULL, NULL, &soa);
  clang_getSpellingLocation(b, &sb, NULL, NULL, &sob);
  if (!clang_File_isEqual(fa, fb) || !clang_File_isEqual(fa, sa) || !clang_File_isEqual(fb, sb) || oa != soa ||
      ob != sob || ob <= oa + 1)
    return;
  fn->has_body_span = 1;
  fn->body_open = oa;
  fn->body_close = ob - 1;
}

static void function_decl(ex_ctx *x, CXCursor c)
{
  int is_def = clang_isCursorDefinition(c);
  int in_system = clang_Location_isInSystemHeader(clang_getCursorLocation(c));
  lx_func tmp;
  memset(&tmp, 0, sizeof(tmp));
  annotations(x, c, &tmp);
  if (!tmp.annots.n && (!is_def || in_system))
    return; /* nothing a rule needs */
  lx_func *fn = lx_arena_alloc(&x->facts->arena, sizeof(*fn));
  lx_func_identify(fn);
  *fn = tmp;
  fn->usr = intern_cx(x, clang_getCursorUSR(c));
  fn->name = intern_cx(x, clang_getCursorSpelling(c));
  fn->loc = loc_of(x, c);
  fn->is_def = is_def && !in_system;
  fn->in_system = in_system;
  fn->is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
  fn->ret_type = intern_cx(x, clang_getTypeSpelling(clang_getResultType(clang_getCursorType(c))));
  int n = clang_Cursor_getNumArguments(c);
  if (n > 0) {
    fn->nparams = n;
    fn->param_names = lx_arena_alloc(&x->facts->arena, sizeof(char *) * (size_t)n);
    fn->param_types = lx_arena_alloc(&x->facts->arena, sizeof(char *) * (size_t)n);
    for (int i = 0; i < n; i++) {
      CXCursor a = clang_Cursor_getArgument(c, i);
      fn->param_names[i] = intern_cx(x, clang_getCursorSpelling(a));
      fn->param_types[i] = type_of(x, a);
    }
  }
  lx_vec_push(&x->facts->funcs, fn);
  if (!fn->is_def)
    return;
  x->fn = fn;
  x->fn_cursor = c;
  lx_map_free(&x->local_flags);
  lx_map_init(&x->local_flags);
  x->loop = NO_LOOP;
  x->break_target = NO_LOOP;
  x->seq = 0;
  x->in_cond = 0;
  kids ks = children(c);
  if (ks.n > 0 && ks.n <= 8 && clang_getCursorKind(ks.v[ks.n - 1]) == CXCursor_CompoundStmt) {
    body_span(fn, ks.v[ks.n - 1]);
    stmt(x, ks.v[ks.n - 1]);
  } else
    clang_visitChildren(c, stmt_kid, x); /* more than 8 children: walk them all */
  x->fn = NULL;
}

static enum CXChildVisitResult top_kid(CXCursor c, CXCursor parent, CXClientData d)
{
  ex_ctx *x = d;
  switch (clang_getCursorKind(c)) {
  case CXCursor_FunctionDecl:
    function_decl(x, c);
    break;
  case CXCursor_VarDecl:
    if (!clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
      var_decl(x, c);
    break;
  case CXCursor_LinkageSpec:
  case CXCursor_UnexposedDecl:
    return CXChildVisit_Recurse;
  default:
    break;
  }
  return CXChildVisit_Continue;
}

/* Extracts the whole TU, or (only non-NULL) just that function definition. */
static lx_tu_facts *extract(CXTranslationUnit tu, const CXCursor *only)
{
  CXString name = clang_getTranslationUnitSpelling(tu);
  lx_tu_facts *facts = lx_facts_new(clang_getCString(name));
  clang_disposeString(name);
  ex_ctx x;
  memset(&x, 0, sizeof(x));
  x.facts = facts;
  x.tu = tu;
  x.loop = NO_LOOP;
  x.break_target = NO_LOOP;
  lx_map_init(&x.files);
  lx_map_init(&x.local_flags);
  if (only)
    function_decl(&x, *only);
  else
    clang_visitChildren(clang_getTranslationUnitCursor(tu), top_kid, &x);
  lx_map_free(&x.files);
  lx_map_free(&x.local_flags);
  free(x.memo);
  return facts;
}

lx_tu_facts *lx_extract(CXTranslationUnit tu) { return extract(tu, NULL); }

lx_tu_facts *lx_extract_function(CXTranslationUnit tu, CXCursor fn) { return extract(tu, &fn); }
