/* api.c - rules/api.h on the program: the one file of rules/ that includes program/,
 * so that each query here forwards to the program's own function or field and a
 * change of the program's layout stops at this file. */
#include <string.h>

#include "program/context.h"
#include "program/program.h"
#include "program/summaries.h"
#include "rules/rules.h"

_Static_assert(LX_RQ_MAX_PARAMS == LX_MAX_PARAMS, "api.h's parameter masks are the program's");

/* The handle is the program itself, under a type the rules cannot look into. */
static const lx_program *prog_of(const lx_prog *prog)
{
  return (const lx_program *)prog;
}

const lx_prog *lx_rq_prog(const lx_program *prog)
{
  return (const lx_prog *)prog;
}

/* ---- the program and its functions ---------------------------------------- */

size_t lx_rq_nfns(const lx_prog *prog)
{
  return prog_of(prog)->order.n;
}

const lx_fn *lx_rq_fn_at(const lx_prog *prog, size_t i)
{
  return prog_of(prog)->order.v[i];
}

size_t lx_rq_fn_index(const lx_fn *fn)
{
  return (size_t)fn->index;
}

const lx_fn *lx_rq_fn_by_usr(const lx_prog *prog, const char *usr)
{
  return lx_program_fn(prog_of(prog), usr);
}

const char *lx_rq_fn_name(const lx_fn *fn)
{
  return fn->name;
}

const char *lx_rq_fn_usr(const lx_fn *fn)
{
  return fn->usr;
}

const lx_func *lx_rq_body(const lx_fn *fn)
{
  return fn->def;
}

int lx_rq_fn_annotated(const lx_fn *fn)
{
  return fn->annots.n != 0;
}

const lx_api *lx_rq_fn_api(const lx_fn *fn)
{
  return fn->api;
}

size_t lx_rq_ncallers(const lx_fn *fn)
{
  return fn->callers.n;
}

const lx_fn *lx_rq_caller(const lx_fn *fn, size_t k, const lx_call **site)
{
  const lx_site *s = &fn->callers.v[k];
  *site = s->fn->def ? &s->fn->def->calls.v[s->call] : NULL;
  return s->fn;
}

const lx_config *lx_rq_config(const lx_prog *prog)
{
  return prog_of(prog)->cfg;
}

size_t lx_rq_ntus(const lx_prog *prog)
{
  return prog_of(prog)->ntus;
}

const lx_tu_facts *lx_rq_tu(const lx_prog *prog, size_t t)
{
  return prog_of(prog)->tus[t];
}

/* lx_fixed_point hands its pass a node it may change; a rule's pass only reads. */
typedef struct {
  lx_rq_pass_fn pass;
  void *arg;
} pass_of_rule;

static int pass_reading(void *arg, lx_fnode *fn, char *dirty)
{
  const pass_of_rule *r = arg;
  return r->pass(r->arg, fn, dirty);
}

void lx_rq_fixed_point(const lx_prog *prog, char *dirty, int max_rounds, lx_rq_pass_fn pass, void *arg)
{
  pass_of_rule r = {pass, arg};
  lx_fixed_point(prog_of(prog), dirty, max_rounds, pass_reading, &r);
}

void lx_rq_mark_callers(const lx_fn *fn, char *dirty)
{
  lx_mark_callers(fn, dirty);
}

/* ---- the call visitor -------------------------------------------------------- */

/* The first function from index i on that has a body and that the rule reports in. */
static const lx_fn *visited_from(const lx_rule_ctx *ctx, size_t i)
{
  const lx_program *p = prog_of(ctx->prog);
  for (; i < p->order.n; i++)
    if (p->order.v[i]->def && lx_rule_visits(ctx, p->order.v[i]))
      return p->order.v[i];
  return NULL;
}

const lx_fn *lx_rq_first(const lx_rule_ctx *ctx)
{
  return visited_from(ctx, 0);
}

const lx_fn *lx_rq_next(const lx_rule_ctx *ctx, const lx_fn *fn)
{
  return visited_from(ctx, (size_t)fn->index + 1);
}

const lx_call *lx_rq_calls(const lx_fn *fn, size_t *n)
{
  *n = fn->def ? fn->def->calls.n : 0;
  return fn->def ? fn->def->calls.v : NULL;
}

size_t lx_rq_ncalls(const lx_fn *fn)
{
  return fn->def ? fn->def->calls.n : 0;
}

const lx_call *lx_rq_call(const lx_fn *fn, size_t j)
{
  return &fn->def->calls.v[j];
}

const lx_fn *lx_rq_callee(const lx_prog *prog, const lx_call *c)
{
  return lx_program_callee(prog_of(prog), c);
}

/* ---- aliases and origins ------------------------------------------------------ */

int lx_rq_class(const lx_fn *fn, const lx_path *path)
{
  return lx_alias_class(fn, path);
}

int lx_rq_param_class(const lx_fn *fn, int param)
{
  return lx_alias_param_class(fn, param);
}

int lx_rq_nclasses(const lx_fn *fn)
{
  return fn->alias.nclasses;
}

int lx_rq_class_param(const lx_fn *fn, int cls)
{
  return lx_alias_param(fn, cls);
}

size_t lx_rq_nmembers(const lx_fn *fn, int cls)
{
  size_t n;
  lx_alias_members(fn, cls, &n);
  return n;
}

lx_rq_member lx_rq_member_at(const lx_fn *fn, int cls, size_t i)
{
  size_t n;
  const lx_member *m = &lx_alias_members(fn, cls, &n)[i];
  return (lx_rq_member){m->kind, m->deref, m->index, m->object, m->object_hash, lx_alias_member_keys(fn, cls)[i]};
}

const char *lx_rq_next_key(const lx_fn *fn, int cls, size_t *it)
{
  return lx_alias_next_key(fn, cls, it);
}

const lx_call *lx_rq_origin(const lx_prog *prog, const lx_fn *fn, int cls, const lx_fn **origin_fn)
{
  return lx_alias_origin(prog_of(prog), fn, cls, origin_fn);
}

const char *lx_rq_path_key(const lx_path *path, char *buf, size_t n)
{
  return lx_path_key(path, buf, n);
}

void lx_rq_undo_deref(char *key)
{
  lx_key_undo_deref(key);
}

/* ---- timeouts ---------------------------------------------------------------- */

int lx_rq_timed_before(const lx_prog *prog, const lx_fn *fn, int cls, const lx_call *c)
{
  return lx_timed_before(prog_of(prog), fn, cls, c);
}

int lx_rq_sets_timeout(const lx_prog *prog, const lx_call *c, int a)
{
  int n;
  const lx_annot_lite *e = lx_call_effects(prog_of(prog), c, &n);
  for (int k = 0; k < n; k++)
    if (e[k].kind == LX_ANN_TIMEOUT && e[k].arg == a)
      return 1;
  return 0;
}

const lx_call *lx_rq_blocking_origin(const lx_prog *prog, const lx_fn *fn, const lx_call *c, int a,
                                     const lx_fn **origin_fn, int *origin_arg)
{
  return lx_blocking_origin(prog_of(prog), fn, c, a, origin_fn, origin_arg);
}

uint64_t lx_rq_blocks_params(const lx_fn *fn)
{
  return fn->blocks_params;
}

const lx_call *lx_rq_blocks_origin(const lx_fn *fn, int a)
{
  return fn->blocks_origin && a >= 1 && a <= LX_MAX_PARAMS ? fn->blocks_origin[a - 1] : NULL;
}

int lx_rq_poll_guarded_after(const lx_prog *prog, const lx_fn *fn, const lx_call *c, int after)
{
  return lx_poll_guarded_after(prog_of(prog), fn, c, after);
}

int lx_rq_dontwait(const lx_call *c)
{
  return lx_call_dontwait(c);
}

/* ---- per-event context --------------------------------------------------------- */

int lx_rq_per_event(const lx_fn *fn)
{
  return fn->per_event;
}

int lx_rq_request_path(const lx_fn *fn)
{
  return fn->request_path;
}

int lx_rq_thread_entry(const lx_fn *fn)
{
  return fn->thread_entry;
}

int lx_rq_bounded_fn(const lx_fn *fn)
{
  return fn->bounded_fn;
}

int lx_rq_startup_named(const lx_fn *fn)
{
  return fn->def && fn->alias.m->startup_name == 2;
}

const char *lx_rq_why(const lx_fn *fn, char *buf, size_t n)
{
  return lx_fnode_why(fn, buf, n);
}

lx_loc lx_rq_why_loc(const lx_fn *fn)
{
  return fn->why_loc;
}

int lx_rq_unbounded_loop(const lx_prog *prog, const lx_fn *fn, const lx_call *c, lx_rq_loop *kind,
                         const lx_call **source)
{
  lx_loop_bound k = LX_LOOP_FIXED;
  int loop = lx_unbounded_loop(prog_of(prog), fn, c, &k, source);
  *kind = k == LX_LOOP_EVENT ? LX_RQ_LOOP_EVENT : k == LX_LOOP_INPUT ? LX_RQ_LOOP_INPUT : LX_RQ_LOOP_FIXED;
  return loop;
}

int lx_rq_loop_contains(const lx_func *f, int outer, int inner)
{
  return lx_loop_contains(f, outer, inner);
}

/* ---- spawns and joins ---------------------------------------------------------- */

int lx_rq_is_spawn(const lx_prog *prog, const lx_call *c, int *entry_arg)
{
  return lx_is_spawn(prog_of(prog), c, entry_arg);
}

int lx_rq_bounded_before(const lx_prog *prog, const lx_fn *fn, const lx_call *c, int scope_loop)
{
  return lx_bounded_before(prog_of(prog), fn, c, scope_loop);
}

uint64_t lx_rq_spawns_params(const lx_fn *fn)
{
  return fn->spawns_params;
}

const lx_call *lx_rq_spawn_origin(const lx_fn *fn, int a)
{
  return fn->spawn_origin && a >= 1 && a <= LX_MAX_PARAMS ? fn->spawn_origin[a - 1] : NULL;
}

/* ---- the catalogue --------------------------------------------------------------- */

int lx_rq_call_is(const lx_prog *prog, const lx_call *c, lx_kind k)
{
  return lx_call_is(prog_of(prog), c, k);
}

int lx_rq_call_has(const lx_prog *prog, const lx_call *c, lx_ann_kind k, int *arg)
{
  return lx_call_has(prog_of(prog), c, k, arg);
}

const lx_api *lx_rq_call_api(const lx_prog *prog, const lx_call *c)
{
  return lx_call_api(prog_of(prog), c);
}

int lx_rq_api_holds(const lx_prog *prog, const lx_api *api, const lx_func *f, const lx_call *c)
{
  return lx_api_holds(prog_of(prog), api, f, c);
}

int lx_rq_api_is_socket(const lx_api *api)
{
  return lx_api_is_socket(api);
}

int lx_rq_name_in(const char *name, const char *const *list)
{
  return lx_name_in(name, list);
}

int lx_rq_path_sets_flag(const lx_path *path, const char *flag)
{
  return lx_path_sets_flag(path, flag);
}

int lx_rq_path_clears_flag(const lx_path *path, const char *flag)
{
  return lx_path_clears_flag(path, flag);
}
