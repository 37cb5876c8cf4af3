/* facts.h - the facts model: what extraction learns of one translation unit.
 *
 * Facts are plain C structs allocated in the translation unit's arena.  They name
 * functions by USR, values by access path and places by (file, line, column), and
 * never hold a libclang cursor: rules, summaries, the cache and shard merging work on
 * facts alone.
 */
#ifndef LX_FACTS_H
#define LX_FACTS_H

#include "base/util.h"

/* A source position.  file points into the owning TU's string storage. */
typedef struct {
  const char *file;
  unsigned line, col;
} lx_loc;

typedef enum {
  LX_PATH_UNKNOWN = 0,
  LX_PATH_LOCAL,  /* key: the variable's USR; name: its spelling */
  LX_PATH_PARAM,  /* index: 1-based parameter number; name: its spelling */
  LX_PATH_GLOBAL, /* key: the variable's USR; name: its spelling */
  LX_PATH_FIELD,  /* key: "struct conn.curl", one abstract location program-wide */
  LX_PATH_CONST,  /* value: the integer; name: macro or enumerator spelling, if any */
  LX_PATH_STRING, /* name: the literal's contents, truncated */
  LX_PATH_FUNC,   /* key: the function's USR; name: its spelling */
  LX_PATH_CALL,   /* index: the call (in this function) whose result this is */
  LX_PATH_RETURN, /* the function's return value (destination of `return e`) */
} lx_path_kind;

/* A path is a value: once made it is never changed, and the facts hold it by pointer,
 * so that one path stands for every place it is written (decoded into a facts pool,
 * equal paths are one object: facts_pool.h).  Where a slot has no path it holds
 * &lx_path_none, never NULL. */
typedef struct lx_path {
  lx_path_kind kind : 8;
  unsigned addr_of : 1; /* &x */
  unsigned deref : 1;   /* *p, p[i] */
  int index;            /* PARAM number or CALL index */
  long long value;      /* CONST value */
  const char *key;      /* identity, see the kinds */
  const char *name;     /* what a user reads */
  const char *type;     /* type spelling of the expression, or NULL */
  const char *flags;    /* named bit flags set or cleared: "+SOCK_STREAM+SOCK_NONBLOCK", "-O_NONBLOCK" */
  const struct lx_path *base; /* FIELD: the object the field is read from, or NULL */
} lx_path;

/* An annotation in force at a call (see lx_annot): kind and 1-based argument. */
typedef struct {
  unsigned char kind, arg;
} lx_annot_lite;

/* One call expression inside a function body, as written: what a program derives about
 * it (its callee's node, catalogue entry, annotations in force) is the program's
 * (lx_call_info, program.h).  The fields every program-wide pass reads come first, so
 * that walking a function's calls touches little memory. */
typedef struct {
  const char *callee;      /* USR of the function called, NULL when indirect */
  const char *callee_name; /* spelling of the function, or of the pointer called */
  const lx_path **args;
  int nargs;
  int loop;      /* innermost enclosing loop (index in lx_func.loops), -1 if none */
  int seq;       /* evaluation order within the function */
  unsigned in_cond : 1; /* part of an if/loop/switch condition */
  lx_loc loc;
  const lx_path *fnptr; /* indirect calls: the pointer called through (lx_call_fnptr), or NULL */
} lx_call;

/* The path of kind LX_PATH_UNKNOWN: what an empty slot holds (a direct call's pointer
 * called through, an atom's unused side). */
extern const lx_path lx_path_none;
/* Whether a and b are the same path field by field, strings and bases by address (as
 * a facts pool holds them: each once). */
int lx_path_same(const lx_path *a, const lx_path *b);
/* A copy of *p in arena (the facts of one TU: extraction and decoders without a pool);
 * a path of nothing (lx_path_same as lx_path_none) is &lx_path_none. */
const lx_path *lx_path_store(lx_arena *arena, const lx_path *p);
static inline const lx_path *lx_call_fnptr(const lx_call *c) { return c->fnptr ? c->fnptr : &lx_path_none; }

/* dst = src: assignment, initialisation, `return src` (dst RETURN), or a function
 * stored into a table or variable (src FUNC). */
typedef struct {
  const lx_path *dst, *src;
  lx_loc loc;
  int loop;
  int seq;
} lx_assign;

/* The shape of a condition, when it is simple enough to have one.  TRUTHY(x) holds
 * when x is non-zero, FALSY(x) when it is zero; `!` is folded in. */
typedef enum {
  LX_CMP_NONE = 0, /* not a simple comparison (&&, ||, calls...) */
  LX_CMP_TRUTHY,
  LX_CMP_FALSY,
  LX_CMP_LT,
  LX_CMP_LE,
  LX_CMP_GT,
  LX_CMP_GE,
  LX_CMP_EQ,
  LX_CMP_NE,
} lx_cmp_op;

typedef struct {
  lx_cmp_op op;
  const lx_path *lhs, *rhs; /* rhs unused (&lx_path_none) for TRUTHY/FALSY, both for NONE */
} lx_atom;

/* An atom while it is built (extraction), its paths by value. */
typedef struct {
  lx_cmp_op op;
  lx_path lhs, rhs;
} lx_atom_buf;

#define LX_COND_MAX 4

/* A condition as the && (or, with disj, the ||) of up to LX_COND_MAX simple atoms;
 * n == 0 when it has no such shape.  The atoms are out of line, in the facts' arena
 * (most conditions have one, and every loop and branch has a condition). */
typedef struct {
  int n;
  unsigned disj : 1;
  lx_atom *a; /* n atoms, or NULL */
} lx_cond;

/* A condition while it is built (extraction), with room for every atom. */
typedef struct {
  int n;
  unsigned disj : 1;
  lx_atom_buf a[LX_COND_MAX];
} lx_cond_buf;

/* The condition of b, its atoms and their paths copied into arena. */
lx_cond lx_cond_store(lx_arena *arena, const lx_cond_buf *b);

typedef enum { LX_LOOP_FOR, LX_LOOP_WHILE, LX_LOOP_DO } lx_loop_kind;

typedef struct {
  lx_loop_kind kind;
  lx_loc loc;
  int parent;              /* enclosing loop, -1 if none */
  unsigned infinite : 1;   /* no condition, or a constant true one */
  unsigned has_exit : 1;   /* a break, return or goto leaves it */
  int nreads;
  const lx_path **cond_reads; /* what the exit condition reads */
  lx_cond cond;            /* the loop goes on while this holds */
  int body_begin, body_end; /* seq range [begin, end) of the body */
} lx_loop;

/* An if statement: its condition and what its then-branch does. */
typedef struct {
  lx_loc loc;
  int loop;                 /* innermost enclosing loop, -1 */
  lx_cond cond;             /* the then-branch runs when this holds */
  int nreads;
  const lx_path **reads;    /* what the condition reads */
  int then_begin, then_end; /* seq range [begin, end) of the then-branch */
  unsigned then_leaves : 1; /* the then-branch jumps away (return, break, continue, goto, exit) */
  unsigned then_exits : 1;  /* ... out of the enclosing loop (return, break, goto, exit) */
  unsigned then_returns : 1; /* ... out of the function, and so of every loop (return, goto, exit) */
} lx_branch;

/* The section 2 vocabulary. */
typedef enum {
  LX_ANN_SPAWNS,
  LX_ANN_BOUNDED,
  LX_ANN_RECEIVES,
  LX_ANN_CLOSES,
  LX_ANN_TIMEOUT,
  LX_ANN_BLOCKS,
  LX_ANN_DEADLINE,
  LX_ANN_JOINS,   /* joins or detaches the thread whose handle is the argument */
  LX_ANN_HANDLER, /* registers the function in the argument as a per-event handler */
  LX_ANN_COUNT
} lx_ann_kind;

typedef struct {
  lx_ann_kind kind;
  int arg; /* 1-based, 0 for LEASH_BOUNDED */
} lx_annot;

/* A function: a definition with its body's facts, or a declaration that carries
 * leash annotations. */
typedef struct {
  const char *usr, *name;
  lx_loc loc;
  unsigned is_def : 1, is_static : 1, in_system : 1;
  int nparams;
  const char **param_names;
  const char **param_types;
  const char *ret_type;
  LX_VEC(lx_annot) annots;
  LX_VEC(lx_call) calls;
  LX_VEC(lx_assign) assigns;
  LX_VEC(lx_loop) loops;
  LX_VEC(lx_branch) branches;
  /* Filled by extraction for a definition whose body is written out in the main file
   * (not made by a macro), not part of the facts (never cached or compared): the byte
   * offsets of the body's `{` and `}` (`leash lsp` re-extracts one edited body). */
  unsigned has_body_span : 1;
  unsigned body_open, body_close;
  /* The identity of these facts: unique in the process and never reused (given by
   * lx_func_identify where they are made), so that what is derived from them can be kept
   * beside them by it (program/memos.h).  Not part of the facts: never cached or compared. */
  uint64_t id;
  /* Owned by a facts pool (facts_pool.h), maybe shared by several TUs' facts: freed
   * with the pool, not with them. */
  unsigned pooled : 1;
} lx_func;

/* Gives fn, whose facts were just made, its identity (lx_func.id). */
void lx_func_identify(lx_func *fn);

/* Everything learnt from one translation unit. */
typedef struct {
  lx_arena arena;
  const char *main_file;
  LX_VEC(lx_func *) funcs;
  LX_VEC(lx_assign) global_inits; /* initialisers of globals (function tables...) */
  int parse_errors;               /* error diagnostics libclang reported */
  /* The identity of these facts, as lx_func.id (given by lx_facts_new): what is derived
   * from them (the references partition.c reads) is kept by it, not in them. */
  uint64_t id;
} lx_tu_facts;

/* New empty facts of main_file (copied; NULL: set later, by the caller). */
lx_tu_facts *lx_facts_new(const char *main_file);
void lx_facts_free(lx_tu_facts *f);
/* Frees what fn holds outside the arena (its vectors), leaving them empty. */
void lx_func_clear(lx_func *fn);

const char *lx_ann_name(lx_ann_kind k);
/* Parses "leash:blocks:2" into *out; returns 0, or -1 when s is not a leash annotation. */
int lx_ann_parse(const char *s, lx_annot *out);
/* Writes a short human form of a path ("h", "param 2", "struct conn.curl", "5"). */
const char *lx_path_str(const lx_path *p, char *buf, size_t n);

/* The version of what extraction records; part of every facts cache key, so bump it
 * whenever extract.c records something new or differently. */
#define LX_FACTS_VERSION 15 /* 15: a function in a struct global's initialiser is stored in its member.
                            * 14: an initialiser with no designator gives a struct's members in order.
                            * 13: so are a compound literal's.
                            * 12: a local struct's `.field = value` initialisers are assignments.
                            * 11: an else-branch is a branch of its own (negated condition); joins and handler
                            * annotations.
                            * 10: fields of system records are per function; a field's name is its spelling (c->fd).
                            * 9: parsed with -w (parse_errors no longer counts warnings -Werror promotes) */

/* The facts as JSON (a jansson json_t *, new reference): `leash facts`, cache, shards. */
struct json_t;
struct json_t *lx_facts_to_json(const lx_tu_facts *f);
/* The inverse: new facts (free with lx_facts_free) allocated in their own arena, or
 * NULL with *err set to a static description when j is not facts of this shape. */
lx_tu_facts *lx_facts_from_json(const struct json_t *j, const char **err);

#endif
