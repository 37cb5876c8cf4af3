/* program.h - the whole program: every TU's facts merged by function USR, the call
 * graph, per-function alias classes, and the nodes the summaries (summaries.h) and the
 * context (context.h) fill in. */
#ifndef LX_PROGRAM_H
#define LX_PROGRAM_H

#include <stdint.h>

#include "config/config.h"
#include "facts/facts.h"

#define LX_MAX_PARAMS 64
#define LX_SPAWN_UNKNOWN (-2) /* lx_call_info.spawn_arg before the spawn summaries are done */

typedef struct lx_fnode lx_fnode;

/* What the program derives about one call of the facts: kept by the program (facts are
 * never written), found by the call (lx_call_info_of) or by its function and index
 * (lx_fnode.calls). */
typedef struct {
  const lx_call *call;
  lx_fnode *callee;      /* the callee's node, NULL for calls through pointers */
  const lx_api *api;     /* its catalogue or user entry (the first: see lx_api.next) */
  uint64_t name_hash;    /* lx_map_hash(call->callee_name), 0 when it has none */
  short spawn_arg;       /* once known (context.c): -1 not a spawn, else lx_is_spawn's entry_arg */
  unsigned char neffects;
  lx_annot_lite effects[6]; /* the annotations in force (lx_call_annots) */
} lx_call_info;

typedef struct {
  lx_fnode *fn; /* the caller */
  int call;     /* index into fn->def->calls */
} lx_site;

/* One member of an alias class, decoded from its key once. */
typedef struct {
  char kind;          /* the key's first letter: 'L'ocal, 'G'lobal, 'P'arameter, 'F'ield, 'C'all, 'R'eturn */
  unsigned deref : 1; /* the key ends in '*': what the path points to */
  int index;          /* 'C': the call's index in the function's calls; 'P': the parameter (1-based) */
  const char *object; /* 'F', 'G': the key without a trailing '*' (see lx_key_undo_deref) */
  uint64_t key_hash, object_hash; /* 'F', 'G': their lx_map_hash (the whole key: lx_alias_member_keys) */
} lx_member;

/* What lx_program_build derives from one function's own facts alone: computed once
 * per lx_func and kept beside it by its identity (memos.h) while its facts are in use,
 * so that building a program again over the same facts (the language server on each
 * edit) does not derive it again. */
typedef struct lx_func_memo {
  /* Alias classes of the body: access paths joined by assignment. */
  int nclasses;
  const char **members; /* the keys, grouped by class: class c owns */
  int *class_start;     /* members[class_start[c] .. class_start[c + 1]) */
  lx_member *decoded;   /* the members again, decoded (parallel to members) */
  char *text;           /* the keys, and the objects that are not the key itself */
  int *key_slot;        /* path key -> member index + 1 (0: empty), open addressing */
  size_t key_cap;       /* ... by lx_map_hash of the key */
  unsigned char *class_has; /* per class: LX_HAS_* of its members' kinds */
  int *param_class;     /* [1..nparams]: class of each parameter, -1 */
  int ret_class;        /* class of the returned value, -1 */
  const char **fg_keys; /* the keys of fields and globals ("F:...", "G:..."), with */
  int *fg_class;        /* ... their classes */
  uint64_t *fg_hash;    /* ... and their lx_map_hash */
  int nfg;
  int *nonblocking_calls; /* calls making a descriptor non-blocking from its birth */
  int nnonblocking;       /* (socket(..., SOCK_NONBLOCK), accept4(..., SOCK_NONBLOCK)) */
  /* The class of each path the facts hold (call arguments, pointers called through,
   * both sides of assignments), by address: path_at sorted, path_class beside it, so
   * that looking one up neither formats nor hashes its key. */
  const lx_path **path_at;
  int *path_class;
  size_t npaths;
  signed char *loop_input; /* per loop: its bound comes from input (context.c), or NULL */
  unsigned char startup_name; /* context.c: its name makes it start-up code (2), or not (1) */
  unsigned char waits_directly; /* context.c: calls an event waiter itself (2), or not (1) */
  int *handler_sites;      /* where it may register or dispatch a handler (context.c), or NULL */
  int nhandler_sites;
} lx_func_memo;

#define LX_HAS_CALL 1 /* a "C:" key: a call's result */
#define LX_HAS_LOC 2  /* an "F:" or "G:" key: a field or a global */

/* Alias classes of one function body (its memo) with what this program adds. */
typedef struct {
  lx_func_memo *m; /* filled on first use inside the build (context.c), read after */
  int nclasses;
  int *timed_seq;   /* per class: first seq at which a timeout is set, INT32_MAX if never */
  int *timed_loop;  /* per class: loop of that timeout, -1 */
  /* per class: seq of the last call that takes its timeout away (`no_timeout: n`),
   * -1 if none, and the first seq after it at which a timeout is set again */
  int *untimed_seq;
  int *retimed_seq;
} lx_alias;

struct lx_fnode {
  const char *usr, *name;
  lx_func *def; /* NULL when only declared */
  lx_call_info *calls; /* per call of def (parallel to def->calls), NULL when only declared */
  LX_VEC(lx_annot) annots; /* from attributes on any declaration */
  const lx_api *api;       /* catalogue or user entry, by name */
  LX_VEC(lx_site) callers;
  lx_alias alias;
  /* summaries */
  uint64_t timeout_params; /* bit i: sets a timeout on parameter i+1 */
  uint64_t entry_timed;    /* bit i: every caller passes parameter i+1 already timed (or non-blocking) */
  signed char poll_guard;  /* waits for readiness with a bounded poll/select: -1 with a timeout of its
                            * own, k > 0 with the timeout its parameter k gives, 0 not (a wrapper such
                            * as wait_readable(fd, ms) guards the read after it like poll itself) */
  uint64_t blocks_params;  /* bit i: blocks on parameter i+1 with no timeout of its own */
  /* The blocking call behind each bit and its function: LX_MAX_PARAMS entries once
   * a bit is set (out of line: most functions have none, and every pass over the
   * program walks the nodes). */
  const lx_call **blocks_origin;
  const lx_fnode **blocks_origin_fn;
  unsigned returns_timed : 1;
  /* context (context.c) */
  int index;                 /* position in lx_program.order, for per-rule arrays */
  unsigned thread_entry : 1; /* passed to a spawn */
  unsigned per_event : 1;    /* runs once per external event: see why */
  unsigned request_path : 1; /* same as per_event: the severity of hazards here is error */
  unsigned bounded_fn : 1;   /* annotated leash:bounded (set by lx_program_build) */
  /* Bytes of their own, not bits: computed on two threads at once (lx_context_beside). */
  unsigned char startup;     /* main, an init/start/setup function, or only called from them */
  unsigned char waits_event; /* waits for external events (accept, recv, epoll_wait...) */
  unsigned char bounds;      /* calls something that bounds concurrency (sem_wait...) */
  uint64_t spawns_params;    /* bit i: starts a thread running the function in parameter i+1 */
  const lx_call **spawn_origin; /* per bit: the spawn behind it (LX_MAX_PARAMS, once one is set) */
  const lx_call **loop_event; /* per loop: the call that makes it an event loop (not a file read) */
  const lx_call **loop_read;  /* per loop: a read/fgets in it (an event outside start-up) */
  const unsigned char *signal_branch; /* per branch: its condition tests a flag a signal handler
                                       * sets (context.c), or NULL when none does */
  lx_loc why_loc;            /* per_event: the loop, caller or registration that makes it so */
  const char *why_fmt;       /* ... in words (lx_fnode_why): a format with two %s, or NULL */
  const char *why_args[2];
};

typedef struct {
  lx_arena arena;            /* the nodes and what is computed about them */
  lx_arena bottom_arena;     /* what the bottom-up summaries allocate (on their own thread) */
  const lx_config *cfg;
  lx_tu_facts **tus;
  size_t ntus;
  lx_map fns;                /* usr -> lx_fnode */
  LX_VEC(lx_fnode *) order;  /* every function, in first-seen order */
  struct lx_memos *memos;    /* the per-function memos: the builder's, or the program's own */
  unsigned own_memos : 1;
  lx_call_info *call_info;   /* every call of every definition in the TUs, function by function */
  uint32_t *call_slot;       /* open addressing by the call's address: call_info index + 1, 0 empty */
  size_t call_cap;
  size_t ncall_info;         /* entries of call_info in use */
  uint64_t serial;           /* unique in the process, never reused: names this program in
                              * the lookup's per-thread memory of its last answer */
  lx_map timed_locs;         /* "F:struct conn.curl", "G:usr" -> non-NULL: timed program-wide */
  lx_map zero_defaults;      /* "F:struct conf.timeout" -> non-NULL: 0 unless the configuration says
                              * otherwise (stored 0, else only what a call reads or returns) */
  lx_map field_origin;       /* "F:..." -> const lx_call * that first produced the value stored */
  lx_map origin_fn;          /* same key -> lx_fnode * of that call */
  unsigned spawns_known : 1; /* the spawn summaries are done (lx_is_spawn keeps its answers) */
} lx_program;

/* Builds the program from TU facts (borrowed, must outlive it) and computes the
 * summaries, with memos of its own.  Never fails; free with lx_program_free. */
lx_program *lx_program_build(lx_tu_facts **tus, size_t ntus, const lx_config *cfg);
/* The same, keeping the per-function memos in memos (borrowed; NULL: its own), which
 * programs built again over the same facts share. */
lx_program *lx_program_build_with(lx_tu_facts **tus, size_t ntus, const lx_config *cfg, struct lx_memos *memos);
void lx_program_free(lx_program *p);
/* Frees a memo (the memo store's). */
void lx_func_memo_free(lx_func_memo *m);

lx_fnode *lx_program_fn(const lx_program *p, const char *usr);
/* The callee of call c, or NULL for calls through pointers. */
lx_fnode *lx_program_callee(const lx_program *p, const lx_call *c);

/* What the program derived about call c (of a definition in its TUs); a call it does not
 * hold has an empty one. */
const lx_call_info *lx_call_info_of(const lx_program *p, const lx_call *c);

/* Whether the `when` of entry api holds at call c in f (the call's arguments, and for
 * `field` the assignments of f before it, and of the helpers it calls before). */
int lx_api_holds(const lx_program *p, const lx_api *api, const lx_func *f, const lx_call *c);

/* The catalogue or user entry for the function call c calls, or NULL (the first of
 * its entries: see lx_api.next). */
const lx_api *lx_call_api(const lx_program *p, const lx_call *c);

/* Annotations in force for call c: the callee's attributes and its catalogue entry
 * (whose `when` conditions are checked against c's arguments).  Returns the count
 * written to out (at most max). */
int lx_call_annots(const lx_program *p, const lx_call *c, lx_annot *out, int max);
int lx_call_has(const lx_program *p, const lx_call *c, lx_ann_kind k, int *arg);
/* The annotations in force at call c (as lx_call_annots), *n of them. */
const lx_annot_lite *lx_call_effects(const lx_program *p, const lx_call *c, int *n);

/* Whether api is one of the catalogue's sockets or OpenSSL entries. */
int lx_api_is_socket(const lx_api *api);

/* Whether argument a sets the named flag (O_NONBLOCK, SOCK_NONBLOCK...) or clears it
 * (flags & ~O_NONBLOCK). */
int lx_path_sets_flag(const lx_path *a, const char *flag);
int lx_path_clears_flag(const lx_path *a, const char *flag);

/* Whether name is one of list (NULL-terminated); a NULL name is in none. */
int lx_name_in(const char *name, const char *const *list);
/* Whether call c calls a function of kind k (the catalogue's and the user's `kinds:`). */
int lx_call_is(const lx_program *p, const lx_call *c, lx_kind k);
/* Drops the trailing '*' of a path key ("L:usr*" -> "L:usr"): the object, not its
 * element, for matching keys across functions. */
void lx_key_undo_deref(char *key);

/* Key of an access path for alias classes ("L:usr", "P:2", "F:struct conn.curl"...),
 * or NULL when the path is not a location (constants, strings, unknown). */
const char *lx_path_key(const lx_path *p, char *buf, size_t n);
/* Alias class of path in fn, or -1. */
int lx_alias_class(const lx_fnode *fn, const lx_path *path);
/* The class of fn's parameter param (1-based), as lx_alias_class of that parameter. */
int lx_alias_param_class(const lx_fnode *fn, int param);
/* The members of class cls of fn, decoded: *n of them (in lx_alias_next_key's order). */
const lx_member *lx_alias_members(const lx_fnode *fn, int cls, size_t *n);
/* The keys of those members, in the same order. */
const char *const *lx_alias_member_keys(const lx_fnode *fn, int cls);
/* Iterates the keys of class cls: returns the next key after index *it, or NULL. */
const char *lx_alias_next_key(const lx_fnode *fn, int cls, size_t *it);
/* The class of the value fn returns, or -1. */
int lx_alias_return_class(const lx_fnode *fn);
/* First parameter (1-based) in class cls, or 0. */
int lx_alias_param(const lx_fnode *fn, int cls);

/* A fixed point over the program: rounds of pass over the functions, in order, until a
 * round changes nothing or max_rounds rounds ran.  A function whose inputs did not
 * change since its last pass would give the same result, so only those marked in
 * dirty (by index; all at first) are passed; pass (given arg: the program, or a rule's
 * state) returns whether it changed anything and marks what must be passed again
 * (lx_mark_callers). */
typedef int (*lx_pass_fn)(void *arg, lx_fnode *fn, char *dirty);
void lx_fixed_point(const lx_program *p, char *dirty, int max_rounds, lx_pass_fn pass, void *arg);
/* After fn's summary changed: marks its callers (dirty[caller->index]). */
void lx_mark_callers(const lx_fnode *fn, char *dirty);
/* After what fn hands its callees changed: marks them (dirty[callee->index]). */
void lx_mark_callees(const lx_fnode *fn, char *dirty);

/* Whether loop inner is outer or nested in it (inner -1: never). */
int lx_loop_contains(const lx_func *f, int outer, int inner);

/* Whether call c passes MSG_DONTWAIT: a send or receive that never waits. */
int lx_call_dontwait(const lx_call *c);

#endif
