/* facts_json.c - TU facts as JSON: `leash facts` shows them, and the cache and shard
 * merging store them in this form. */
#include <jansson.h>

#include "facts.h"

static const char *const path_kinds[] = {"unknown", "local", "param", "global", "field",
                                         "const",   "string", "func",  "call",   "return"};
static const char *const loop_kinds[] = {"for", "while", "do"};

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
  if (p->base)
    json_object_set_new(j, "base", path_json(p->base));
  return j;
}

static json_t *func_json(const lx_func *f)
{
  json_t *j = json_pack("{s:s, s:s, s:o, s:b, s:b, s:s?}", "usr", f->usr, "name", f->name, "loc",
                        loc_json(&f->loc), "definition", f->is_def, "static", f->is_static, "returns",
                        f->ret_type);
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
      json_array_append_new(args, path_json(&c->args[a]));
    json_t *cj = json_pack("{s:s?, s:s?, s:o, s:i, s:i, s:b, s:o}", "callee", c->callee, "name",
                           c->callee_name, "loc", loc_json(&c->loc), "loop", c->loop, "seq", c->seq,
                           "in_cond", c->in_cond, "args", args);
    if (!c->callee && c->fnptr.kind != LX_PATH_UNKNOWN)
      json_object_set_new(cj, "fnptr", path_json(&c->fnptr));
    json_array_append_new(calls, cj);
  }
  json_object_set_new(j, "calls", calls);
  json_t *assigns = json_array();
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    json_array_append_new(assigns, json_pack("{s:o, s:o, s:o, s:i, s:i}", "dst", path_json(&a->dst),
                                             "src", path_json(&a->src), "loc", loc_json(&a->loc),
                                             "loop", a->loop, "seq", a->seq));
  }
  json_object_set_new(j, "assigns", assigns);
  json_t *loops = json_array();
  for (size_t i = 0; i < f->loops.n; i++) {
    const lx_loop *l = &f->loops.v[i];
    json_t *reads = json_array();
    for (int r = 0; r < l->nreads; r++)
      json_array_append_new(reads, path_json(&l->cond_reads[r]));
    json_array_append_new(loops, json_pack("{s:s, s:o, s:i, s:b, s:b, s:o}", "kind", loop_kinds[l->kind],
                                           "loc", loc_json(&l->loc), "parent", l->parent, "infinite",
                                           l->infinite, "has_exit", l->has_exit, "cond_reads", reads));
  }
  json_object_set_new(j, "loops", loops);
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
    json_array_append_new(inits, json_pack("{s:o, s:o, s:o}", "dst", path_json(&a->dst), "src",
                                           path_json(&a->src), "loc", loc_json(&a->loc)));
  }
  return json_pack("{s:s, s:i, s:o, s:o}", "file", f->main_file, "parse_errors", f->parse_errors,
                   "functions", funcs, "global_inits", inits);
}
