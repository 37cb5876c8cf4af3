/* api.h - what a rule may ask of the program: a visitor over the functions and calls it
 * reports in, and queries grouped by concept, on opaque handles.  The program's own
 * structs (program/) stay behind rules/api.c, so the program can change its layout
 * without touching a rule; the facts (facts/facts.h) and the catalogue's entries
 * (config/config.h) are immutable inputs and stay visible. */
#ifndef LX_RULES_API_H
#define LX_RULES_API_H

#include <stdint.h>

#include "config/config.h"
#include "facts/facts.h"
#include "reports/findings.h"

/* The whole program, as the rules see it: only a handle (rules/api.c knows it is the
 * build's lx_program). */
typedef struct lx_prog lx_prog;
/* One function of the program, defined or only declared: only a handle. */
typedef struct lx_fnode lx_fn;

/* Parameters a summary knows of, per function: bit i of a mask is parameter i+1. */
#define LX_RQ_MAX_PARAMS 64

/* ---- the rule being run ------------------------------------------------------- */

typedef struct lx_rule_ctx {
  const lx_prog *prog;
  lx_findings *out;
  /* By function index (lx_rq_fn_index): whether to report in that function; NULL: in
   * every one.  Each finding is at a call of the function whose body is being checked,
   * so the language server, which shows one file's findings, visits only the functions
   * with a call in that file (the program-wide passes a rule makes first still see
   * everything).  lx_rq_first and lx_rq_next visit these. */
  const char *scope;
  const char *id; /* the rule's id (its registry entry): what its findings are of */
} lx_rule_ctx;

/* ---- the program and its functions ---------------------------------------- */

/* Every function of the program, in first-seen order: n of them, each with its index
 * (0 .. n-1), which per-function arrays of a rule use. */
size_t lx_rq_nfns(const lx_prog *prog);
const lx_fn *lx_rq_fn_at(const lx_prog *prog, size_t i);
size_t lx_rq_fn_index(const lx_fn *fn);
/* The function of this USR, or NULL. */
const lx_fn *lx_rq_fn_by_usr(const lx_prog *prog, const char *usr);
const char *lx_rq_fn_name(const lx_fn *fn);
const char *lx_rq_fn_usr(const lx_fn *fn);
/* Its facts (body, parameters, location), or NULL when it is only declared. */
const lx_func *lx_rq_body(const lx_fn *fn);
/* Whether any declaration of it carries a leash annotation. */
int lx_rq_fn_annotated(const lx_fn *fn);
/* The catalogue's or the user's entry for it, by name, or NULL. */
const lx_api *lx_rq_fn_api(const lx_fn *fn);
/* The calls of the program that call fn: n of them; caller k is in the function
 * returned, at the call *site. */
size_t lx_rq_ncallers(const lx_fn *fn);
const lx_fn *lx_rq_caller(const lx_fn *fn, size_t k, const lx_call **site);
/* The configuration the program was built with. */
const lx_config *lx_rq_config(const lx_prog *prog);
/* The translation units' facts (their global initialisers, their functions). */
size_t lx_rq_ntus(const lx_prog *prog);
const lx_tu_facts *lx_rq_tu(const lx_prog *prog, size_t t);

/* A rule's own fixed point over the program (as the summaries make theirs): rounds of
 * pass over the functions marked in dirty (by index; all at first), until a round
 * changes nothing or max_rounds ran.  pass returns whether it changed anything and
 * marks what must be passed again (lx_rq_mark_callers). */
typedef int (*lx_rq_pass_fn)(void *arg, const lx_fn *fn, char *dirty);
void lx_rq_fixed_point(const lx_prog *prog, char *dirty, int max_rounds, lx_rq_pass_fn pass, void *arg);
/* After fn's summary changed: marks its callers in dirty. */
void lx_rq_mark_callers(const lx_fn *fn, char *dirty);

/* ---- the call visitor -------------------------------------------------------- */

/* Whether the rule reports in fn (see lx_rule_ctx.scope). */
static inline int lx_rule_visits(const lx_rule_ctx *ctx, const lx_fn *fn)
{
  return !ctx->scope || ctx->scope[lx_rq_fn_index(fn)];
}

/* The functions with a body that the rule reports in (lx_rule_ctx.scope), in program
 * order: for (fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)). */
const lx_fn *lx_rq_first(const lx_rule_ctx *ctx);
const lx_fn *lx_rq_next(const lx_rule_ctx *ctx, const lx_fn *fn);
/* The calls in fn's body, in source order: *n of them (0 when it has no body).  Each
 * call's name, arguments, loop, seq and location are its facts (lx_call). */
const lx_call *lx_rq_calls(const lx_fn *fn, size_t *n);
/* The same one by one: how many, and call j (j < lx_rq_ncalls(fn)). */
size_t lx_rq_ncalls(const lx_fn *fn);
const lx_call *lx_rq_call(const lx_fn *fn, size_t j);
/* The function call c calls, or NULL for calls through pointers. */
const lx_fn *lx_rq_callee(const lx_prog *prog, const lx_call *c);

/* ---- what the rules share (reach.c, path.c) ------------------------------------ */

/* Per function (by lx_rq_fn_index): whether any path of the program reaches it
 * (reach.c): from main, a function whose address is taken, or (a library) an exported
 * function.  Free with free(). */
char *lx_reachable(const lx_prog *prog);

/* The wrappers between call c (which gets the handle, socket or thread function in
 * its argument a) and origin, the blocking call or spawn deep inside them (spawn: the
 * spawn summaries lead there, else the blocking ones): each call that passes `what`
 * on, as a related location numbered from step.  Returns the step after the last;
 * *origin_fn (unless NULL) gets the name of the function origin is in, when known. */
int lx_relate_hops(lx_rule_ctx *ctx, lx_finding *fd, const lx_call *c, int a, const lx_call *origin, int spawn,
                   const char *what, int step, const char **origin_fn);

/* The path of a finding at call c on its argument a (0: not known), `what` ("handle",
 * "socket") `name`, that blocks in origin: born (where it was made, or NULL), c itself
 * (which `verb`s it: "blocks on", "performs"), each wrapper that passes it on, and
 * blocks (origin's related location; NULL when origin is c). */
void lx_path_blocking(lx_rule_ctx *ctx, lx_finding *fd, const lx_call *c, int a, const lx_call *origin,
                      lx_related *born, lx_related *blocks, const char *what, const char *name, const char *verb);

/* ---- aliases and origins ------------------------------------------------------ */

/* Alias class of path in fn, or -1; the class of parameter param (1-based); how many
 * classes fn has (classes are 0 .. n-1); the first parameter in class cls, or 0. */
int lx_rq_class(const lx_fn *fn, const lx_path *path);
int lx_rq_param_class(const lx_fn *fn, int param);
int lx_rq_nclasses(const lx_fn *fn);
int lx_rq_class_param(const lx_fn *fn, int cls);

/* One member of an alias class, decoded from its key. */
typedef struct {
  char kind;          /* the key's first letter: 'L'ocal, 'G'lobal, 'P'arameter, 'F'ield, 'C'all, 'R'eturn */
  int deref;          /* the key ends in '*': what the path points to */
  int index;          /* 'C': the call's index in the function's calls; 'P': the parameter (1-based) */
  const char *object; /* 'F', 'G': the key without a trailing '*' */
  uint64_t object_hash; /* 'F', 'G': its lx_map_hash */
  const char *key;    /* the whole key */
} lx_rq_member;
/* The members of class cls of fn (none for -1): n of them, member i by value. */
size_t lx_rq_nmembers(const lx_fn *fn, int cls);
lx_rq_member lx_rq_member_at(const lx_fn *fn, int cls, size_t i);
/* Iterates the keys of class cls: returns the next key after index *it, or NULL. */
const char *lx_rq_next_key(const lx_fn *fn, int cls, size_t *it);
/* Where the value of class cls was created: the call that produced it (in
 * *origin_fn), or NULL. */
const lx_call *lx_rq_origin(const lx_prog *prog, const lx_fn *fn, int cls, const lx_fn **origin_fn);

/* Key of an access path ("L:usr", "P:2", "F:struct conn.curl"...), written to buf, or
 * NULL when the path is not a location; lx_rq_undo_deref drops a key's trailing '*'
 * (the object, not its element). */
const char *lx_rq_path_key(const lx_path *path, char *buf, size_t n);
void lx_rq_undo_deref(char *key);

/* ---- timeouts ---------------------------------------------------------------- */

/* Whether a timeout reaches call c on class cls in fn: set before it in fn, set in the
 * same loop, or set program-wide on a field or global of the class. */
int lx_rq_timed_before(const lx_prog *prog, const lx_fn *fn, int cls, const lx_call *c);
/* Whether call c itself sets a timeout on its argument a (0: the handle it returns). */
int lx_rq_sets_timeout(const lx_prog *prog, const lx_call *c, int a);
/* Whether call c (in fn) may block on its argument a (1-based): the blocking call
 * itself or, through the callee's summary, the blocking call in a wrapper it reaches.
 * Returns that call, with its function in *origin_fn and the argument it blocks on in
 * *origin_arg, or NULL. */
const lx_call *lx_rq_blocking_origin(const lx_prog *prog, const lx_fn *fn, const lx_call *c, int a,
                                     const lx_fn **origin_fn, int *origin_arg);
/* fn's blocking summary: the parameters it blocks on with no timeout of its own (a
 * mask), and the blocking call behind parameter a (1-based), or NULL. */
uint64_t lx_rq_blocks_params(const lx_fn *fn);
const lx_call *lx_rq_blocks_origin(const lx_fn *fn, int a);
/* Whether a poll/select with a finite timeout after seq `after` guards call c in fn. */
int lx_rq_poll_guarded_after(const lx_prog *prog, const lx_fn *fn, const lx_call *c, int after);
/* Whether call c passes MSG_DONTWAIT: a send or receive that never waits. */
int lx_rq_dontwait(const lx_call *c);

/* ---- per-event context --------------------------------------------------------- */

/* fn runs once per external event; it is on a request path (hazards there are
 * errors); it is passed to a spawn; it is annotated leash:bounded. */
int lx_rq_per_event(const lx_fn *fn);
int lx_rq_request_path(const lx_fn *fn);
int lx_rq_thread_entry(const lx_fn *fn);
int lx_rq_bounded_fn(const lx_fn *fn);
/* Whether its name makes fn start-up code (init, setup, start...). */
int lx_rq_startup_named(const lx_fn *fn);
/* Why fn runs per event, in words ("runs once per event of the accept() loop in
 * serve()"), written to buf, or NULL; and where (the loop, caller or registration). */
const char *lx_rq_why(const lx_fn *fn, char *buf, size_t n);
lx_loc lx_rq_why_loc(const lx_fn *fn);

/* How a loop is bounded. */
typedef enum {
  LX_RQ_LOOP_FIXED = 0, /* a constant or configured bound, or start-up code */
  LX_RQ_LOOP_INPUT,     /* bound by the size of its input (a parameter, a request field) */
  LX_RQ_LOOP_EVENT,     /* runs once per external event: it accepts, receives, polls */
} lx_rq_loop;
/* The outermost loop around call c that is not fixed, or -1: *kind gets how it is
 * bounded, *source the call that makes it an event loop. */
int lx_rq_unbounded_loop(const lx_prog *prog, const lx_fn *fn, const lx_call *c, lx_rq_loop *kind,
                         const lx_call **source);
/* Whether loop inner of f is outer or nested in it (inner -1: never). */
int lx_rq_loop_contains(const lx_func *f, int outer, int inner);

/* ---- spawns and joins ---------------------------------------------------------- */

/* Whether call c starts a thread or process; *entry_arg gets the 1-based argument that
 * holds the function run (0 for fork-like calls). */
int lx_rq_is_spawn(const lx_prog *prog, const lx_call *c, int *entry_arg);
/* Whether something bounds concurrency before call c in fn (a bounding call, a
 * counter-vs-limit check that rejects), within loop scope_loop (-1: all of fn). */
int lx_rq_bounded_before(const lx_prog *prog, const lx_fn *fn, const lx_call *c, int scope_loop);
/* fn's spawn summary: the parameters whose function it starts a thread running (a
 * mask), and the spawn behind parameter a (1-based), or NULL. */
uint64_t lx_rq_spawns_params(const lx_fn *fn);
const lx_call *lx_rq_spawn_origin(const lx_fn *fn, int a);

/* ---- the catalogue --------------------------------------------------------------- */

/* Whether call c calls a function of kind k (the catalogue's and the user's kinds:). */
int lx_rq_call_is(const lx_prog *prog, const lx_call *c, lx_kind k);
/* Whether an annotation of kind k is in force at call c (*arg, unless NULL, gets its
 * argument). */
int lx_rq_call_has(const lx_prog *prog, const lx_call *c, lx_ann_kind k, int *arg);
/* The catalogue's or the user's first entry for what call c calls (lx_api.next: the
 * others), or NULL. */
const lx_api *lx_rq_call_api(const lx_prog *prog, const lx_call *c);
/* Whether the `when` of entry api holds at call c in f. */
int lx_rq_api_holds(const lx_prog *prog, const lx_api *api, const lx_func *f, const lx_call *c);
/* Whether api is one of the catalogue's sockets or OpenSSL entries. */
int lx_rq_api_is_socket(const lx_api *api);
/* Whether name is one of list (NULL-terminated); a NULL name is in none. */
int lx_rq_name_in(const char *name, const char *const *list);
/* Whether argument path sets the named flag (O_NONBLOCK...), or clears it. */
int lx_rq_path_sets_flag(const lx_path *path, const char *flag);
int lx_rq_path_clears_flag(const lx_path *path, const char *flag);

#endif
