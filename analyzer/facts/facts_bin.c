/* facts_bin.c - TU facts as compact bytes and back (see facts_bin.h).
 *
 * Every integer is a LEB128 varint (signed ones zig-zagged, so -1 takes one byte) and
 * every string a reference into the string table: 0 for NULL, i + 1 for the i-th string.
 *
 *   "LXFB" version nstrings nbytes <the distinct strings, each with its NUL>
 *   main_file parse_errors nfuncs func* ninits assign*
 *
 *   func    usr name loc bits(def, static, system) ret_type nparams (name type)*
 *           nannots (kind arg)* ncalls call* nassigns assign* nloops loop* nbranches branch*
 *   call    callee name loc loop seq bits(in_cond, fnptr) nargs path* [fnptr]
 *   assign  dst src loc loop seq
 *   loop    bits(kind:2, infinite, has_exit) loc parent nreads path* cond begin end
 *   branch  loc loop cond nreads path* then_begin then_end bits(leaves, exits, returns)
 *   cond    bits(n:3, disj) (op [lhs] [rhs])*: lhs unless op is NONE, rhs for comparisons
 *   path    bits(kind:4, addr_of, deref, base, flags) [value] [index] key name type
 *           [flags] [base]: value for CONST, index for PARAM and CALL
 *   loc     file line col
 *
 * Like the JSON form, it keeps a path's value for CONST only, its index for PARAM and
 * CALL only and a call's fnptr for indirect calls only; what lx_program_build fills in
 * is not a fact and is not written.  Strings are written once each, in order of first
 * use; reading copies the whole table into the facts' arena and hashes nothing.  Read
 * into a pool (facts_pool.h), each string is looked up in the pool instead, and each
 * function is hashed as it is read (its numbers, its strings by their pooled copies):
 * one the pool holds already is given back and shared. */
#include "facts/facts_bin.h"

#include "facts/facts_pool.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char magic[4] = {'L', 'X', 'F', 'B'};

/* How many bases an access path may have below it (facts_json.c has the same limit). */
#define MAX_BASE_DEPTH 64

/* The fewest bytes each record takes: a count of more records than the bytes left can
 * hold is refused before anything is allocated for it. */
enum {
  MIN_LOC = 3,
  MIN_PATH = 4,
  MIN_PARAM = 2,
  MIN_ANNOT = 2,
  MIN_CALL = 6 + MIN_LOC,
  MIN_ASSIGN = 2 * MIN_PATH + MIN_LOC + 2,
  MIN_LOOP = 6 + MIN_LOC,
  MIN_BRANCH = 6 + MIN_LOC,
  MIN_FUNC = 10 + MIN_LOC,
};

/* ---- facts -> bytes ----------------------------------------------------------------- */

typedef struct {
  unsigned char *v;
  size_t n, cap;
} bytes;

static void reserve(bytes *b, size_t k)
{
  if (b->cap - b->n >= k)
    return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap - b->n < k)
    cap *= 2;
  b->v = lx_xrealloc(b->v, cap);
  b->cap = cap;
}

static void put_byte(bytes *b, unsigned v)
{
  reserve(b, 1);
  b->v[b->n++] = (unsigned char)v;
}

static void put_u(bytes *b, uint64_t v)
{
  reserve(b, 10);
  unsigned char *p = b->v + b->n;
  while (v >= 0x80) {
    *p++ = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  *p++ = (unsigned char)v;
  b->n = (size_t)(p - b->v);
}

static void put_s(bytes *b, int64_t v) { put_u(b, v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1); }

static void put_raw(bytes *b, const void *p, size_t n)
{
  if (!n)
    return;
  reserve(b, n);
  memcpy(b->v + b->n, p, n);
  b->n += n;
}

/* A string of the table, found by its contents. */
typedef struct {
  const char *s;
  uint64_t hash;
  size_t len;
  uint32_t ref; /* index + 1 */
} str_slot;

#define RECENT 1024 /* a power of two */

typedef struct {
  bytes rec;       /* the records */
  bytes text;      /* the string table: each string with its NUL */
  uint32_t nstrings;
  str_slot *slots; /* open addressing, cap a power of two */
  size_t nslots, cap;
  /* The last string seen at each (hashed) address: file names and the strings of
   * decoded facts are shared, and are found again without hashing their contents. */
  struct {
    const char *s;
    uint32_t ref;
  } recent[RECENT];
} writer;

static void grow_slots(writer *w)
{
  size_t cap = w->cap ? w->cap * 2 : 1024;
  str_slot *slots = lx_xcalloc(cap, sizeof(*slots));
  for (size_t i = 0; i < w->cap; i++) {
    if (!w->slots[i].s)
      continue;
    size_t j = (size_t)w->slots[i].hash & (cap - 1);
    while (slots[j].s)
      j = (j + 1) & (cap - 1);
    slots[j] = w->slots[i];
  }
  free(w->slots);
  w->slots = slots;
  w->cap = cap;
}

static uint32_t string_ref(writer *w, const char *s)
{
  size_t r = (size_t)(((uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ULL) >> 54) & (RECENT - 1);
  if (w->recent[r].s == s)
    return w->recent[r].ref;
  size_t len = strlen(s);
  uint64_t h = lx_hash64(s, len, 0);
  if ((w->nslots + 1) * 2 > w->cap)
    grow_slots(w);
  size_t mask = w->cap - 1, i = (size_t)h & mask;
  for (; w->slots[i].s; i = (i + 1) & mask) {
    const str_slot *e = &w->slots[i];
    if (e->hash == h && e->len == len && !memcmp(e->s, s, len))
      break;
  }
  if (!w->slots[i].s) {
    w->slots[i] = (str_slot){s, h, len, ++w->nstrings};
    w->nslots++;
    put_raw(&w->text, s, len + 1);
  }
  w->recent[r].s = s;
  w->recent[r].ref = w->slots[i].ref;
  return w->slots[i].ref;
}

static void put_str(writer *w, const char *s) { put_u(&w->rec, s ? string_ref(w, s) : 0); }

static void put_loc(writer *w, const lx_loc *l)
{
  put_str(w, l->file);
  put_u(&w->rec, l->line);
  put_u(&w->rec, l->col);
}

static void put_path(writer *w, const lx_path *p, int depth)
{
  const lx_path *base = depth < MAX_BASE_DEPTH ? p->base : NULL;
  put_byte(&w->rec, (unsigned)p->kind | (unsigned)p->addr_of << 4 | (unsigned)p->deref << 5 |
                        (unsigned)(base != NULL) << 6 | (unsigned)(p->flags != NULL) << 7);
  if (p->kind == LX_PATH_CONST)
    put_s(&w->rec, p->value);
  if (p->kind == LX_PATH_PARAM || p->kind == LX_PATH_CALL)
    put_s(&w->rec, p->index);
  put_str(w, p->key);
  put_str(w, p->name);
  put_str(w, p->type);
  if (p->flags)
    put_str(w, p->flags);
  if (base)
    put_path(w, base, depth + 1);
}

static void put_paths(writer *w, const lx_path *const *p, int n)
{
  put_u(&w->rec, (uint64_t)n);
  for (int i = 0; i < n; i++)
    put_path(w, p[i], 0);
}

static void put_cond(writer *w, const lx_cond *c)
{
  put_byte(&w->rec, (unsigned)c->n | (unsigned)c->disj << 3);
  for (int i = 0; i < c->n; i++) {
    const lx_atom *a = &c->a[i];
    put_byte(&w->rec, (unsigned)a->op);
    if (a->op != LX_CMP_NONE)
      put_path(w, a->lhs, 0);
    if (a->op >= LX_CMP_LT)
      put_path(w, a->rhs, 0);
  }
}

static void put_assign(writer *w, const lx_assign *a)
{
  put_path(w, a->dst, 0);
  put_path(w, a->src, 0);
  put_loc(w, &a->loc);
  put_s(&w->rec, a->loop);
  put_s(&w->rec, a->seq);
}

static void put_call(writer *w, const lx_call *c)
{
  int fnptr = !c->callee && lx_call_fnptr(c)->kind != LX_PATH_UNKNOWN;
  put_str(w, c->callee);
  put_str(w, c->callee_name);
  put_loc(w, &c->loc);
  put_s(&w->rec, c->loop);
  put_s(&w->rec, c->seq);
  put_byte(&w->rec, (unsigned)c->in_cond | (unsigned)fnptr << 1);
  put_paths(w, c->args, c->nargs);
  if (fnptr)
    put_path(w, c->fnptr, 0);
}

static void put_loop(writer *w, const lx_loop *l)
{
  put_byte(&w->rec, (unsigned)l->kind | (unsigned)l->infinite << 2 | (unsigned)l->has_exit << 3);
  put_loc(w, &l->loc);
  put_s(&w->rec, l->parent);
  put_paths(w, l->cond_reads, l->nreads);
  put_cond(w, &l->cond);
  put_s(&w->rec, l->body_begin);
  put_s(&w->rec, l->body_end);
}

static void put_branch(writer *w, const lx_branch *b)
{
  put_loc(w, &b->loc);
  put_s(&w->rec, b->loop);
  put_cond(w, &b->cond);
  put_paths(w, b->reads, b->nreads);
  put_s(&w->rec, b->then_begin);
  put_s(&w->rec, b->then_end);
  put_byte(&w->rec, (unsigned)b->then_leaves | (unsigned)b->then_exits << 1 | (unsigned)b->then_returns << 2);
}

static void put_func(writer *w, const lx_func *fn)
{
  put_str(w, fn->usr);
  put_str(w, fn->name);
  put_loc(w, &fn->loc);
  put_byte(&w->rec, (unsigned)fn->is_def | (unsigned)fn->is_static << 1 | (unsigned)fn->in_system << 2);
  put_str(w, fn->ret_type);
  put_u(&w->rec, (uint64_t)fn->nparams);
  for (int i = 0; i < fn->nparams; i++) {
    put_str(w, fn->param_names[i]);
    put_str(w, fn->param_types[i]);
  }
  put_u(&w->rec, fn->annots.n);
  for (size_t i = 0; i < fn->annots.n; i++) {
    put_u(&w->rec, (uint64_t)fn->annots.v[i].kind);
    put_s(&w->rec, fn->annots.v[i].arg);
  }
  put_u(&w->rec, fn->calls.n);
  for (size_t i = 0; i < fn->calls.n; i++)
    put_call(w, &fn->calls.v[i]);
  put_u(&w->rec, fn->assigns.n);
  for (size_t i = 0; i < fn->assigns.n; i++)
    put_assign(w, &fn->assigns.v[i]);
  put_u(&w->rec, fn->loops.n);
  for (size_t i = 0; i < fn->loops.n; i++)
    put_loop(w, &fn->loops.v[i]);
  put_u(&w->rec, fn->branches.n);
  for (size_t i = 0; i < fn->branches.n; i++)
    put_branch(w, &fn->branches.v[i]);
}

unsigned char *lx_facts_encode(const lx_tu_facts *f, size_t *len)
{
  writer *w = lx_xcalloc(1, sizeof(*w));
  put_str(w, f->main_file);
  put_s(&w->rec, f->parse_errors);
  put_u(&w->rec, f->funcs.n);
  for (size_t i = 0; i < f->funcs.n; i++)
    put_func(w, f->funcs.v[i]);
  put_u(&w->rec, f->global_inits.n);
  for (size_t i = 0; i < f->global_inits.n; i++)
    put_assign(w, &f->global_inits.v[i]);

  bytes out = {NULL, 0, 0};
  reserve(&out, sizeof(magic) + 30 + w->text.n + w->rec.n);
  put_raw(&out, magic, sizeof(magic));
  put_u(&out, LX_FACTS_BIN_VERSION);
  put_u(&out, w->nstrings);
  put_u(&out, w->text.n);
  put_raw(&out, w->text.v, w->text.n);
  put_raw(&out, w->rec.v, w->rec.n);
  free(w->rec.v);
  free(w->text.v);
  free(w->slots);
  free(w);
  *len = out.n;
  return out.v;
}

/* ---- bytes -> facts ----------------------------------------------------------------- */

typedef struct {
  const unsigned char *p, *end;
  lx_tu_facts *f;
  const char **strings; /* the string table, by index */
  size_t nstrings;
  const char *err;      /* the first error; reading stops there */
  lx_arena *arena;      /* where the facts go: the TU's arena, or the pool's */
  lx_facts_pool *pool;  /* lx_facts_decode_pooled, else NULL */
  int hashing;          /* every value read goes into h1, h2 (a function's content) */
  uint64_t h1, h2;
} reader;

/* Two independent running hashes of what a function record holds: its numbers, and
 * its strings by their pooled copies (one address per distinct string). */
static void feed(reader *rd, uint64_t v)
{
  uint64_t a = rd->h1 ^ (v * 0xbf58476d1ce4e5b9ULL);
  rd->h1 = ((a << 31) | (a >> 33)) * 0x94d049bb133111ebULL;
  uint64_t b = (rd->h2 + v) * 0x9e3779b97f4a7c15ULL;
  rd->h2 = ((b << 27) | (b >> 37)) ^ 0xff51afd7ed558ccdULL;
}

/* Records the first error and moves to the end: every later read fails at once. */
static void fail(reader *rd, const char *err)
{
  if (!rd->err)
    rd->err = err;
  rd->p = rd->end;
}

static unsigned get_byte(reader *rd)
{
  if (rd->p < rd->end) {
    if (rd->hashing)
      feed(rd, *rd->p | 0x100u);
    return *rd->p++;
  }
  fail(rd, "truncated binary facts");
  return 0;
}

static uint64_t get_u_raw(reader *rd)
{
  const unsigned char *p = rd->p;
  if (p < rd->end && *p < 0x80) {
    rd->p = p + 1;
    return *p;
  }
  uint64_t v = 0;
  for (unsigned shift = 0; p < rd->end; shift += 7) {
    unsigned b = *p++;
    if (shift == 63 && b > 1) {
      fail(rd, "a number out of range in binary facts");
      return 0;
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    if (b < 0x80) {
      rd->p = p;
      return v;
    }
  }
  fail(rd, "truncated binary facts");
  return 0;
}

static uint64_t get_u(reader *rd)
{
  uint64_t v = get_u_raw(rd);
  if (rd->hashing)
    feed(rd, v);
  return v;
}

static int64_t get_s(reader *rd)
{
  uint64_t u = get_u(rd);
  return (u & 1) ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
}

static int get_int(reader *rd)
{
  int64_t v = get_s(rd);
  if (v < INT_MIN || v > INT_MAX) {
    fail(rd, "a number out of range in binary facts");
    return 0;
  }
  return (int)v;
}

static unsigned get_uint(reader *rd)
{
  uint64_t v = get_u(rd);
  if (v > UINT_MAX) {
    fail(rd, "a number out of range in binary facts");
    return 0;
  }
  return (unsigned)v;
}

/* A count of records that take at least min bytes each. */
static size_t get_count(reader *rd, size_t min)
{
  uint64_t n = get_u(rd);
  if (n > (uint64_t)(rd->end - rd->p) / min || n > INT_MAX) {
    fail(rd, "a count larger than the binary facts");
    return 0;
  }
  return (size_t)n;
}

/* Zeroed storage for a vector of n elements (NULL for none): lx_facts_free frees it. */
static void *vec_storage(size_t n, size_t size) { return n ? lx_xcalloc(n, size) : NULL; }

static const char *get_str(reader *rd)
{
  uint64_t ref = get_u_raw(rd);
  if (rd->hashing)
    feed(rd, ref ? (uint64_t)(uintptr_t)(ref <= rd->nstrings ? rd->strings[ref - 1] : NULL) : 1);
  if (!ref)
    return NULL;
  if (ref > rd->nstrings) {
    fail(rd, "a string index out of range in binary facts");
    return NULL;
  }
  return rd->strings[ref - 1];
}

static void get_strings(reader *rd)
{
  size_t n = get_count(rd, 1);
  uint64_t size = get_u(rd);
  if (rd->err)
    return;
  if (size > (uint64_t)(rd->end - rd->p) || n > size) {
    fail(rd, "a string table larger than the binary facts");
    return;
  }
  if (!n) {
    if (size)
      fail(rd, "a malformed string table in binary facts");
    return;
  }
  /* Pooled: each string is looked up in the pool and the table points to its copy. */
  char *text = rd->pool ? (char *)rd->p : lx_arena_alloc(rd->arena, (size_t)size);
  if (!rd->pool)
    memcpy(text, rd->p, (size_t)size);
  rd->p += size;
  rd->strings = lx_xmalloc(n * sizeof(*rd->strings));
  char *s = text, *end = text + size;
  for (size_t i = 0; i < n; i++) {
    char *nul = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;
    if (!nul) {
      fail(rd, "a malformed string table in binary facts");
      return;
    }
    rd->strings[i] = rd->pool ? lx_facts_pool_intern(rd->pool, s, (size_t)(nul - s)) : s;
    s = nul + 1;
  }
  if (s != end) {
    fail(rd, "a malformed string table in binary facts");
    return;
  }
  rd->nstrings = n;
}

static void get_loc(reader *rd, lx_loc *l)
{
  l->file = get_str(rd);
  l->line = get_uint(rd);
  l->col = get_uint(rd);
}

/* A path (depth: how many paths it is the base of): the pool's copy when decoding into
 * one (equal paths are one object there), else a copy in the facts' arena. */
static const lx_path *get_path(reader *rd, int depth)
{
  lx_path p = {0};
  unsigned bits = get_byte(rd);
  unsigned kind = bits & 15;
  if (kind > LX_PATH_RETURN) {
    fail(rd, "an unknown access path kind in binary facts");
    return &lx_path_none;
  }
  p.kind = (lx_path_kind)kind;
  p.addr_of = bits >> 4 & 1;
  p.deref = bits >> 5 & 1;
  if (kind == LX_PATH_CONST)
    p.value = get_s(rd);
  if (kind == LX_PATH_PARAM || kind == LX_PATH_CALL)
    p.index = get_int(rd);
  p.key = get_str(rd);
  p.name = get_str(rd);
  p.type = get_str(rd);
  if (bits & 0x80)
    p.flags = get_str(rd);
  if ((bits & 0x40) && !rd->err) {
    if (depth >= MAX_BASE_DEPTH) {
      fail(rd, "an access path nested too deeply in binary facts");
      return &lx_path_none;
    }
    p.base = get_path(rd, depth + 1);
  }
  if (rd->err)
    return &lx_path_none;
  return rd->pool ? lx_facts_pool_path(rd->pool, &p) : lx_path_store(rd->arena, &p);
}

/* An array of paths in the arena, or NULL; *n gets the count. */
static const lx_path **get_paths(reader *rd, int *n)
{
  *n = (int)get_count(rd, MIN_PATH);
  if (!*n)
    return NULL;
  const lx_path **v = lx_arena_alloc(rd->arena, sizeof(*v) * (size_t)*n);
  for (int i = 0; i < *n; i++)
    v[i] = rd->err ? &lx_path_none : get_path(rd, 0);
  return v;
}

static void get_cond(reader *rd, lx_cond *c)
{
  unsigned bits = get_byte(rd);
  if (bits > 15 || (bits & 7) > LX_COND_MAX) {
    fail(rd, "a condition with too many atoms in binary facts");
    return;
  }
  c->n = (int)(bits & 7);
  c->disj = bits >> 3 & 1;
  lx_atom *atoms = c->n ? lx_arena_alloc(rd->arena, sizeof(lx_atom) * (size_t)c->n) : NULL;
  for (int i = 0; i < c->n; i++)
    atoms[i] = (lx_atom){LX_CMP_NONE, &lx_path_none, &lx_path_none};
  c->a = atoms;
  for (int i = 0; i < c->n && !rd->err; i++) {
    lx_atom *a = &atoms[i];
    unsigned op = get_byte(rd);
    if (op > LX_CMP_NE) {
      fail(rd, "an unknown comparison in binary facts");
      return;
    }
    a->op = (lx_cmp_op)op;
    if (op != LX_CMP_NONE)
      a->lhs = get_path(rd, 0);
    if (op >= LX_CMP_LT)
      a->rhs = get_path(rd, 0);
  }
}

/* The bits of a flags byte, refusing any outside mask. */
static unsigned get_bits(reader *rd, unsigned mask)
{
  unsigned bits = get_byte(rd);
  if (bits & ~mask) {
    fail(rd, "unknown flag bits in binary facts");
    return 0;
  }
  return bits;
}

static void get_assign(reader *rd, lx_assign *a)
{
  a->dst = get_path(rd, 0);
  a->src = get_path(rd, 0);
  get_loc(rd, &a->loc);
  a->loop = get_int(rd);
  a->seq = get_int(rd);
}

static void get_call(reader *rd, lx_call *c)
{
  c->callee = get_str(rd);
  c->callee_name = get_str(rd);
  get_loc(rd, &c->loc);
  c->loop = get_int(rd);
  c->seq = get_int(rd);
  unsigned bits = get_bits(rd, 3);
  c->in_cond = bits & 1;
  c->args = get_paths(rd, &c->nargs);
  if (!(bits & 2) || rd->err)
    return;
  c->fnptr = get_path(rd, 0);
  if (c->callee || c->fnptr->kind == LX_PATH_UNKNOWN)
    fail(rd, "a function pointer on a direct call in binary facts");
}

static void get_loop(reader *rd, lx_loop *l)
{
  unsigned bits = get_bits(rd, 15);
  if ((bits & 3) > LX_LOOP_DO) {
    fail(rd, "an unknown loop kind in binary facts");
    return;
  }
  l->kind = (lx_loop_kind)(bits & 3);
  l->infinite = bits >> 2 & 1;
  l->has_exit = bits >> 3 & 1;
  get_loc(rd, &l->loc);
  l->parent = get_int(rd);
  l->cond_reads = get_paths(rd, &l->nreads);
  get_cond(rd, &l->cond);
  l->body_begin = get_int(rd);
  l->body_end = get_int(rd);
}

static void get_branch(reader *rd, lx_branch *b)
{
  get_loc(rd, &b->loc);
  b->loop = get_int(rd);
  get_cond(rd, &b->cond);
  b->reads = get_paths(rd, &b->nreads);
  b->then_begin = get_int(rd);
  b->then_end = get_int(rd);
  unsigned bits = get_bits(rd, 7);
  b->then_leaves = bits & 1;
  b->then_exits = bits >> 1 & 1;
  b->then_returns = bits >> 2 & 1;
}

/* Reads a count of records of at least min bytes into vec, calling get on each. */
#define GET_VEC(rd, vec, min, get)                                \
  do {                                                            \
    size_t n_ = get_count((rd), (min));                           \
    (vec)->v = vec_storage(n_, sizeof(*(vec)->v));                \
    (vec)->n = (vec)->cap = n_;                                   \
    for (size_t i_ = 0; i_ < n_ && !(rd)->err; i_++)              \
      get((rd), &(vec)->v[i_]);                                   \
  } while (0)

static void get_annot(reader *rd, lx_annot *a)
{
  uint64_t kind = get_u(rd);
  if (kind >= LX_ANN_COUNT) {
    fail(rd, "an unknown annotation kind in binary facts");
    return;
  }
  a->kind = (lx_ann_kind)kind;
  a->arg = get_int(rd);
}

static void get_func(reader *rd, lx_func *fn)
{
  lx_func_identify(fn);
  fn->usr = get_str(rd);
  fn->name = get_str(rd);
  if (!fn->usr || !fn->name)
    fail(rd, "a function without usr or name in binary facts");
  get_loc(rd, &fn->loc);
  unsigned bits = get_bits(rd, 7);
  fn->is_def = bits & 1;
  fn->is_static = bits >> 1 & 1;
  fn->in_system = bits >> 2 & 1;
  fn->ret_type = get_str(rd);
  fn->nparams = (int)get_count(rd, MIN_PARAM);
  if (fn->nparams) {
    fn->param_names = lx_arena_alloc(rd->arena, sizeof(char *) * (size_t)fn->nparams);
    fn->param_types = lx_arena_alloc(rd->arena, sizeof(char *) * (size_t)fn->nparams);
  }
  for (int i = 0; i < fn->nparams && !rd->err; i++) {
    fn->param_names[i] = get_str(rd);
    fn->param_types[i] = get_str(rd);
  }
  GET_VEC(rd, &fn->annots, MIN_ANNOT, get_annot);
  GET_VEC(rd, &fn->calls, MIN_CALL, get_call);
  GET_VEC(rd, &fn->assigns, MIN_ASSIGN, get_assign);
  GET_VEC(rd, &fn->loops, MIN_LOOP, get_loop);
  GET_VEC(rd, &fn->branches, MIN_BRANCH, get_branch);
}

/* Function i of the TU, decoded into the pool: the pool's own copy when it holds one
 * with the same content already (what was decoded is given back). */
static void get_pooled_func(reader *rd)
{
  lx_arena_mark mark = lx_arena_get_mark(rd->arena);
  lx_func *fn = lx_arena_alloc(rd->arena, sizeof(*fn));
  rd->f->funcs.v[rd->f->funcs.n++] = fn;
  rd->hashing = 1;
  rd->h1 = 0x243f6a8885a308d3ULL;
  rd->h2 = 0x13198a2e03707344ULL;
  get_func(rd, fn);
  rd->hashing = 0;
  if (rd->err)
    return; /* not pooled: lx_facts_free frees its vectors */
  lx_func *same = lx_facts_pool_find(rd->pool, rd->h1, rd->h2);
  if (!same) {
    lx_facts_pool_add(rd->pool, rd->h1, rd->h2, fn);
    return;
  }
  lx_func_clear(fn);
  lx_arena_release(rd->arena, mark);
  rd->f->funcs.v[rd->f->funcs.n - 1] = same;
  lx_facts_pool_note_shared(rd->pool);
}

static lx_tu_facts *decode(const void *buf, size_t len, lx_facts_pool *pool, const char **err)
{
  const unsigned char *b = buf;
  if (!b || len < sizeof(magic) || memcmp(b, magic, sizeof(magic)) != 0) {
    *err = "not binary facts (no LXFB header)";
    return NULL;
  }
  reader rd;
  memset(&rd, 0, sizeof(rd));
  rd.p = b + sizeof(magic);
  rd.end = b + len;
  rd.pool = pool;
  uint64_t version = get_u(&rd);
  if (rd.err) {
    *err = rd.err;
    return NULL;
  }
  if (version != LX_FACTS_BIN_VERSION) {
    *err = "binary facts of another format version";
    return NULL;
  }
  rd.f = lx_facts_new(NULL); /* its main file is read below */
  rd.arena = pool ? lx_facts_pool_arena(pool) : &rd.f->arena;
  get_strings(&rd);
  rd.f->main_file = get_str(&rd);
  if (!rd.f->main_file)
    fail(&rd, "binary facts without a main file");
  rd.f->parse_errors = get_int(&rd);
  size_t n = get_count(&rd, MIN_FUNC);
  if (n && pool) {
    rd.f->funcs.v = lx_xmalloc(n * sizeof(*rd.f->funcs.v));
    rd.f->funcs.cap = n;
    for (size_t i = 0; i < n && !rd.err; i++)
      get_pooled_func(&rd);
  } else if (n) {
    lx_func *fns = lx_arena_alloc(&rd.f->arena, n * sizeof(*fns));
    rd.f->funcs.v = lx_xmalloc(n * sizeof(*rd.f->funcs.v));
    rd.f->funcs.cap = n;
    /* Counted as they come: lx_facts_free frees the vectors of the first funcs.n. */
    for (size_t i = 0; i < n && !rd.err; i++) {
      rd.f->funcs.v[rd.f->funcs.n++] = &fns[i];
      get_func(&rd, &fns[i]);
    }
  }
  GET_VEC(&rd, &rd.f->global_inits, MIN_ASSIGN, get_assign);
  if (rd.p != rd.end)
    fail(&rd, "trailing bytes after binary facts");
  free(rd.strings);
  if (rd.err) {
    *err = rd.err;
    lx_facts_free(rd.f);
    return NULL;
  }
  return rd.f;
}

lx_tu_facts *lx_facts_decode(const void *buf, size_t len, const char **err) { return decode(buf, len, NULL, err); }

lx_tu_facts *lx_facts_decode_pooled(const void *buf, size_t len, lx_facts_pool *pool, const char **err)
{
  return decode(buf, len, pool, err);
}
