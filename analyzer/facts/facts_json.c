/* facts_json.c - TU facts as JSON and back: `leash facts` shows them, and the facts
 * cache and shard merging store them in this form. */
#include <jansson.h>
#include <string.h>

#include "facts/facts.h"

static const char *const path_kinds[] = {"unknown", "local", "param", "global", "field",
                                         "const",   "string", "func",  "call",   "return"};
static const char *const loop_kinds[] = {"for", "while", "do"};
static const char *const cmp_ops[] = {"none", "truthy", "falsy", "<", "<=", ">", ">=", "==", "!="};

static json_t *loc_json(const lx_loc *l)
{
  return json_pack("[s?,i,i]", l->file, (int)l->line, (int)l->col);
}

static json_t *path_json(const lx_path *p)
{
  json_t *j = json_pack("{s:s}", "kind", path_kinds[p->kind]);
  if (p->addr_of)
    json_object_set_new(j, "addr_of", json_true());
  if (p->deref)
    json_object_set_new(j, "deref", json_true());
  if (p->kind == LX_PATH_CONST)
    json_object_set_new(j, "value", json_integer(p->value));
  if (p->kind == LX_PATH_PARAM || p->kind == LX_PATH_CALL)
    json_object_set_new(j, "index", json_integer(p->index));
  if (p->key)
    json_object_set_new(j, "key", json_string(p->key));
  if (p->name)
    json_object_set_new(j, "name", json_string(p->name));
  if (p->type)
    json_object_set_new(j, "type", json_string(p->type));
  if (p->flags)
    json_object_set_new(j, "flags", json_string(p->flags));
  if (p->base)
    json_object_set_new(j, "base", path_json(p->base));
  return j;
}

static json_t *cond_json(const lx_cond *c)
{
  json_t *atoms = json_array();
  for (int i = 0; i < c->n; i++) {
    const lx_atom *a = &c->a[i];
    json_t *j = json_pack("{s:s}", "op", cmp_ops[a->op]);
    if (a->op != LX_CMP_NONE)
      json_object_set_new(j, "lhs", path_json(a->lhs));
    if (a->op >= LX_CMP_LT)
      json_object_set_new(j, "rhs", path_json(a->rhs));
    json_array_append_new(atoms, j);
  }
  return json_pack("{s:s, s:o}", "join", c->disj ? "||" : "&&", "atoms", atoms);
}

static json_t *paths_json(const lx_path *const *p, int n)
{
  json_t *a = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(a, path_json(p[i]));
  return a;
}

static json_t *func_json(const lx_func *f)
{
  json_t *j = json_pack("{s:s, s:s, s:o, s:b, s:b, s:s?}", "usr", f->usr, "name", f->name, "loc",
                        loc_json(&f->loc), "definition", f->is_def, "static", f->is_static, "returns",
                        f->ret_type);
  if (f->in_system)
    json_object_set_new(j, "system", json_true());
  json_t *params = json_array();
  for (int i = 0; i < f->nparams; i++)
    json_array_append_new(params, json_pack("{s:s?, s:s?}", "name", f->param_names[i], "type",
                                            f->param_types[i]));
  json_object_set_new(j, "params", params);
  json_t *annots = json_array();
  for (size_t i = 0; i < f->annots.n; i++)
    json_array_append_new(annots, json_pack("{s:s, s:i}", "kind", lx_ann_name(f->annots.v[i].kind),
                                            "arg", f->annots.v[i].arg));
  json_object_set_new(j, "annotations", annots);
  json_t *calls = json_array();
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    json_t *args = json_array();
    for (int a = 0; a < c->nargs; a++)
      json_array_append_new(args, path_json(c->args[a]));
    json_t *cj = json_pack("{s:s?, s:s?, s:o, s:i, s:i, s:b, s:o}", "callee", c->callee, "name",
                           c->callee_name, "loc", loc_json(&c->loc), "loop", c->loop, "seq", c->seq,
                           "in_cond", c->in_cond, "args", args);
    if (!c->callee && lx_call_fnptr(c)->kind != LX_PATH_UNKNOWN)
      json_object_set_new(cj, "fnptr", path_json(c->fnptr));
    json_array_append_new(calls, cj);
  }
  json_object_set_new(j, "calls", calls);
  json_t *assigns = json_array();
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    json_array_append_new(assigns, json_pack("{s:o, s:o, s:o, s:i, s:i}", "dst", path_json(a->dst),
                                             "src", path_json(a->src), "loc", loc_json(&a->loc),
                                             "loop", a->loop, "seq", a->seq));
  }
  json_object_set_new(j, "assigns", assigns);
  json_t *loops = json_array();
  for (size_t i = 0; i < f->loops.n; i++) {
    const lx_loop *l = &f->loops.v[i];
    json_array_append_new(loops, json_pack("{s:s, s:o, s:i, s:b, s:b, s:o, s:o, s:[i,i]}", "kind",
                                           loop_kinds[l->kind], "loc", loc_json(&l->loc), "parent",
                                           l->parent, "infinite", l->infinite, "has_exit", l->has_exit,
                                           "cond_reads", paths_json(l->cond_reads, l->nreads), "cond",
                                           cond_json(&l->cond), "body", l->body_begin, l->body_end));
  }
  json_object_set_new(j, "loops", loops);
  json_t *branches = json_array();
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *b = &f->branches.v[i];
    json_array_append_new(branches, json_pack("{s:o, s:i, s:o, s:o, s:[i,i], s:b, s:b, s:b}", "loc",
                                              loc_json(&b->loc), "loop", b->loop, "cond", cond_json(&b->cond),
                                              "reads", paths_json(b->reads, b->nreads), "then",
                                              b->then_begin, b->then_end, "then_leaves", b->then_leaves,
                                              "then_exits", b->then_exits, "then_returns", b->then_returns));
  }
  json_object_set_new(j, "branches", branches);
  return j;
}

json_t *lx_facts_to_json(const lx_tu_facts *f)
{
  json_t *funcs = json_array();
  for (size_t i = 0; i < f->funcs.n; i++)
    json_array_append_new(funcs, func_json(f->funcs.v[i]));
  json_t *inits = json_array();
  for (size_t i = 0; i < f->global_inits.n; i++) {
    const lx_assign *a = &f->global_inits.v[i];
    json_array_append_new(inits, json_pack("{s:o, s:o, s:o, s:i, s:i}", "dst", path_json(a->dst), "src",
                                           path_json(a->src), "loc", loc_json(&a->loc), "loop", a->loop,
                                           "seq", a->seq));
  }
  return json_pack("{s:s, s:i, s:o, s:o}", "file", f->main_file, "parse_errors", f->parse_errors,
                   "functions", funcs, "global_inits", inits);
}

/* ---- JSON -> facts ------------------------------------------------------------------ */

typedef struct {
  lx_tu_facts *f;
  lx_map strings; /* interned strings: one copy of each file name, USR, type */
  const char *err;
} reader;

static const char *str_of(reader *rd, const json_t *j)
{
  if (!j || json_is_null(j))
    return NULL;
  if (!json_is_string(j)) {
    rd->err = "a string was expected";
    return NULL;
  }
  const char *s = json_string_value(j);
  const char *have = lx_map_get(&rd->strings, s);
  if (have)
    return have;
  char *copy = lx_arena_strdup(&rd->f->arena, s);
  lx_map_put(&rd->strings, s, copy);
  return copy;
}

static int int_of(reader *rd, const json_t *obj, const char *key, int dflt)
{
  const json_t *v = json_object_get(obj, key);
  if (!v)
    return dflt;
  if (!json_is_integer(v)) {
    rd->err = "an integer was expected";
    return dflt;
  }
  return (int)json_integer_value(v);
}

static int bool_of(const json_t *obj, const char *key) { return json_is_true(json_object_get(obj, key)); }

static int enum_of(reader *rd, const json_t *j, const char *const *names, int n)
{
  const char *s = json_string_value(j);
  for (int i = 0; s && i < n; i++)
    if (!strcmp(s, names[i]))
      return i;
  rd->err = "an unknown kind";
  return 0;
}

static lx_ann_kind ann_of(reader *rd, const json_t *j)
{
  const char *s = json_string_value(j);
  for (int k = 0; s && k < LX_ANN_COUNT; k++)
    if (!strcmp(s, lx_ann_name((lx_ann_kind)k)))
      return (lx_ann_kind)k;
  rd->err = "an unknown annotation kind";
  return LX_ANN_BOUNDED;
}

static lx_loc loc_of(reader *rd, const json_t *j)
{
  lx_loc l = {NULL, 0, 0};
  if (!json_is_array(j) || json_array_size(j) != 3 || !json_is_integer(json_array_get(j, 1)) ||
      !json_is_integer(json_array_get(j, 2))) {
    rd->err = "a location [file, line, column] was expected";
    return l;
  }
  l.file = str_of(rd, json_array_get(j, 0));
  l.line = (unsigned)json_integer_value(json_array_get(j, 1));
  l.col = (unsigned)json_integer_value(json_array_get(j, 2));
  return l;
}

/* The path j describes, in the facts' arena. */
static const lx_path *path_of(reader *rd, const json_t *j, int depth)
{
  lx_path path = {0}, *p = &path;
  if (!json_is_object(j) || depth > 64) {
    rd->err = "an access path was expected";
    return &lx_path_none;
  }
  p->kind = (lx_path_kind)enum_of(rd, json_object_get(j, "kind"), path_kinds,
                                  (int)(sizeof(path_kinds) / sizeof(path_kinds[0])));
  p->addr_of = bool_of(j, "addr_of");
  p->deref = bool_of(j, "deref");
  const json_t *v = json_object_get(j, "value");
  p->value = json_is_integer(v) ? json_integer_value(v) : 0;
  p->index = int_of(rd, j, "index", 0);
  p->key = str_of(rd, json_object_get(j, "key"));
  p->name = str_of(rd, json_object_get(j, "name"));
  p->type = str_of(rd, json_object_get(j, "type"));
  p->flags = str_of(rd, json_object_get(j, "flags"));
  const json_t *base = json_object_get(j, "base");
  if (base)
    p->base = path_of(rd, base, depth + 1);
  return lx_path_store(&rd->f->arena, p);
}

/* An array of paths in the arena; *n gets the count. */
static const lx_path **paths_of(reader *rd, const json_t *arr, int *n)
{
  *n = (int)json_array_size(arr);
  if (!*n)
    return NULL;
  const lx_path **v = lx_arena_alloc(&rd->f->arena, sizeof(*v) * (size_t)*n);
  for (int i = 0; i < *n; i++)
    v[i] = path_of(rd, json_array_get(arr, (size_t)i), 0);
  return v;
}

static void assign_of(reader *rd, const json_t *j, lx_assign *a)
{
  a->dst = path_of(rd, json_object_get(j, "dst"), 0);
  a->src = path_of(rd, json_object_get(j, "src"), 0);
  a->loc = loc_of(rd, json_object_get(j, "loc"));
  a->loop = int_of(rd, j, "loop", -1);
  a->seq = int_of(rd, j, "seq", 0);
}

static void call_of(reader *rd, const json_t *j, lx_call *c)
{
  memset(c, 0, sizeof(*c));
  c->callee = str_of(rd, json_object_get(j, "callee"));
  c->callee_name = str_of(rd, json_object_get(j, "name"));
  c->loc = loc_of(rd, json_object_get(j, "loc"));
  c->loop = int_of(rd, j, "loop", -1);
  c->seq = int_of(rd, j, "seq", 0);
  c->in_cond = bool_of(j, "in_cond");
  c->args = paths_of(rd, json_object_get(j, "args"), &c->nargs);
  const json_t *fp = json_object_get(j, "fnptr");
  if (fp)
    c->fnptr = path_of(rd, fp, 0);
}

static void cond_of(reader *rd, const json_t *j, lx_cond *c)
{
  memset(c, 0, sizeof(*c));
  if (!j)
    return;
  const json_t *join = json_object_get(j, "join");
  c->disj = json_is_string(join) && !strcmp(json_string_value(join), "||");
  const json_t *atoms = json_object_get(j, "atoms");
  size_t na = json_array_size(atoms);
  if (na)
    c->a = lx_arena_alloc(&rd->f->arena, sizeof(lx_atom) * (na < LX_COND_MAX ? na : LX_COND_MAX));
  size_t i;
  const json_t *aj;
  json_array_foreach(atoms, i, aj)
  {
    if (c->n == LX_COND_MAX)
      break;
    lx_atom *a = &c->a[c->n++];
    a->lhs = a->rhs = &lx_path_none;
    a->op = (lx_cmp_op)enum_of(rd, json_object_get(aj, "op"), cmp_ops,
                               (int)(sizeof(cmp_ops) / sizeof(cmp_ops[0])));
    const json_t *lhs = json_object_get(aj, "lhs"), *rhs = json_object_get(aj, "rhs");
    if (lhs)
      a->lhs = path_of(rd, lhs, 0);
    if (rhs)
      a->rhs = path_of(rd, rhs, 0);
  }
}

/* A [begin, end) pair. */
static void range_of(reader *rd, const json_t *j, int *begin, int *end)
{
  *begin = *end = 0;
  if (!j)
    return;
  if (!json_is_array(j) || json_array_size(j) != 2) {
    rd->err = "a [begin, end] range was expected";
    return;
  }
  *begin = (int)json_integer_value(json_array_get(j, 0));
  *end = (int)json_integer_value(json_array_get(j, 1));
}

static void loop_of(reader *rd, const json_t *j, lx_loop *l)
{
  memset(l, 0, sizeof(*l));
  l->kind = (lx_loop_kind)enum_of(rd, json_object_get(j, "kind"), loop_kinds, 3);
  l->loc = loc_of(rd, json_object_get(j, "loc"));
  l->parent = int_of(rd, j, "parent", -1);
  l->infinite = bool_of(j, "infinite");
  l->has_exit = bool_of(j, "has_exit");
  l->cond_reads = paths_of(rd, json_object_get(j, "cond_reads"), &l->nreads);
  cond_of(rd, json_object_get(j, "cond"), &l->cond);
  range_of(rd, json_object_get(j, "body"), &l->body_begin, &l->body_end);
}

static void branch_of(reader *rd, const json_t *j, lx_branch *b)
{
  memset(b, 0, sizeof(*b));
  b->loc = loc_of(rd, json_object_get(j, "loc"));
  b->loop = int_of(rd, j, "loop", -1);
  cond_of(rd, json_object_get(j, "cond"), &b->cond);
  b->reads = paths_of(rd, json_object_get(j, "reads"), &b->nreads);
  range_of(rd, json_object_get(j, "then"), &b->then_begin, &b->then_end);
  b->then_leaves = bool_of(j, "then_leaves");
  b->then_exits = bool_of(j, "then_exits");
  b->then_returns = bool_of(j, "then_returns");
}

static lx_func *func_of(reader *rd, const json_t *j)
{
  lx_func *fn = lx_arena_alloc(&rd->f->arena, sizeof(*fn));
  lx_func_identify(fn);
  fn->usr = str_of(rd, json_object_get(j, "usr"));
  fn->name = str_of(rd, json_object_get(j, "name"));
  if (!fn->usr || !fn->name)
    rd->err = "a function without usr or name";
  fn->loc = loc_of(rd, json_object_get(j, "loc"));
  fn->is_def = bool_of(j, "definition");
  fn->is_static = bool_of(j, "static");
  fn->in_system = bool_of(j, "system");
  fn->ret_type = str_of(rd, json_object_get(j, "returns"));
  const json_t *params = json_object_get(j, "params");
  fn->nparams = (int)json_array_size(params);
  if (fn->nparams) {
    fn->param_names = lx_arena_alloc(&rd->f->arena, sizeof(char *) * (size_t)fn->nparams);
    fn->param_types = lx_arena_alloc(&rd->f->arena, sizeof(char *) * (size_t)fn->nparams);
  }
  for (int i = 0; i < fn->nparams; i++) {
    const json_t *p = json_array_get(params, (size_t)i);
    fn->param_names[i] = str_of(rd, json_object_get(p, "name"));
    fn->param_types[i] = str_of(rd, json_object_get(p, "type"));
  }
  size_t i;
  const json_t *v;
  json_array_foreach(json_object_get(j, "annotations"), i, v) {
    lx_annot a = {ann_of(rd, json_object_get(v, "kind")), int_of(rd, v, "arg", 0)};
    lx_vec_push(&fn->annots, a);
  }
  json_array_foreach(json_object_get(j, "calls"), i, v) {
    lx_call c;
    call_of(rd, v, &c);
    lx_vec_push(&fn->calls, c);
  }
  json_array_foreach(json_object_get(j, "assigns"), i, v) {
    lx_assign a;
    assign_of(rd, v, &a);
    lx_vec_push(&fn->assigns, a);
  }
  json_array_foreach(json_object_get(j, "loops"), i, v) {
    lx_loop l;
    loop_of(rd, v, &l);
    lx_vec_push(&fn->loops, l);
  }
  json_array_foreach(json_object_get(j, "branches"), i, v) {
    lx_branch b;
    branch_of(rd, v, &b);
    lx_vec_push(&fn->branches, b);
  }
  return fn;
}

lx_tu_facts *lx_facts_from_json(const json_t *j, const char **err)
{
  const char *file = json_string_value(json_object_get(j, "file"));
  if (!json_is_object(j) || !file) {
    *err = "not a facts object (no \"file\")";
    return NULL;
  }
  reader rd = {lx_facts_new(file), {0}, NULL};
  lx_map_init(&rd.strings);
  rd.f->parse_errors = int_of(&rd, j, "parse_errors", 0);
  size_t i;
  const json_t *v;
  json_array_foreach(json_object_get(j, "functions"), i, v) {
    lx_func *fn = func_of(&rd, v);
    lx_vec_push(&rd.f->funcs, fn);
  }
  json_array_foreach(json_object_get(j, "global_inits"), i, v) {
    lx_assign a;
    assign_of(&rd, v, &a);
    lx_vec_push(&rd.f->global_inits, a);
  }
  lx_map_free(&rd.strings);
  if (rd.err) {
    *err = rd.err;
    lx_facts_free(rd.f);
    return NULL;
  }
  return rd.f;
}
