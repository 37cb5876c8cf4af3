/* config.c - loads rules/catalog.yaml and .leash.yaml with libyaml's document API and
 * checks them strictly: unknown keys, duplicate keys, wrong types and unknown rule ids
 * are errors with file:line:col, never silently ignored. */
#include "config/config.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>


typedef struct {
  lx_config *c;
  const char *name;
  yaml_document_t *doc;
  char *err;
  size_t errlen;
  int user_file;
} ld;

lx_config *lx_config_new(void)
{
  lx_config *c = lx_xcalloc(1, sizeof(*c));
  lx_arena_init(&c->arena);
  lx_map_init(&c->apis);
  lx_map_init(&c->kinds);
  return c;
}

void lx_config_free(lx_config *c)
{
  if (!c)
    return;
  lx_map_free(&c->apis);
  lx_map_free(&c->kinds);
  lx_vec_free(&c->rules);
  lx_vec_free(&c->excludes);
  lx_arena_free(&c->arena);
  free(c);
}

__attribute__((format(printf, 3, 4))) static int fail(ld *l, yaml_node_t *n, const char *fmt, ...)
{
  int off = snprintf(l->err, l->errlen, "%s:%zu:%zu: ", l->name, n ? n->start_mark.line + 1 : 1,
                     n ? n->start_mark.column + 1 : 1);
  if (off < 0 || (size_t)off >= l->errlen)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(l->err + off, l->errlen - (size_t)off, fmt, ap);
  va_end(ap);
  return -1;
}

static yaml_node_t *node(ld *l, int id) { return yaml_document_get_node(l->doc, id); }

static const char *scalar(yaml_node_t *n)
{
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int want(ld *l, yaml_node_t *n, yaml_node_type_t t, const char *what)
{
  if (n->type == t)
    return 0;
  return fail(l, n, "%s must be a %s", what,
              t == YAML_MAPPING_NODE ? "mapping" : t == YAML_SEQUENCE_NODE ? "list" : "scalar");
}

/* Checks a mapping's keys: all scalars, all in allowed, none twice. */
static int check_keys(ld *l, yaml_node_t *map, const char *const *allowed, const char *what)
{
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = node(l, p->key);
    const char *ks = scalar(k);
    if (!ks)
      return fail(l, k, "keys of %s must be plain names", what);
    int ok = 0;
    for (const char *const *a = allowed; *a; a++)
      if (strcmp(*a, ks) == 0)
        ok = 1;
    if (!ok) {
      char list[256] = "";
      for (const char *const *a = allowed; *a; a++) {
        strncat(list, *a, sizeof(list) - strlen(list) - 1);
        if (a[1])
          strncat(list, ", ", sizeof(list) - strlen(list) - 1);
      }
      return fail(l, k, "unknown key '%s' in %s (expected one of: %s)", ks, what, list);
    }
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++)
      if (strcmp(scalar(node(l, q->key)), ks) == 0)
        return fail(l, k, "duplicate key '%s' in %s", ks, what);
  }
  return 0;
}

static int int_value(ld *l, yaml_node_t *n, const char *what, int lo, int hi, int *out)
{
  const char *s = scalar(n);
  char *end;
  if (!s)
    return fail(l, n, "%s must be a number", what);
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno || v < lo || v > hi)
    return fail(l, n, "%s must be a whole number from %d to %d, not '%s'", what, lo, hi, s);
  *out = (int)v;
  return 0;
}

static int bool_value(ld *l, yaml_node_t *n, const char *what, int *out)
{
  const char *s = scalar(n);
  if (s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))) {
    *out = 1;
    return 0;
  }
  if (s && (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))) {
    *out = 0;
    return 0;
  }
  return fail(l, n, "%s must be true or false", what);
}

/* A list of names or texts (or one): into out[*n], at most LX_API_MAX_WHEN. */
static int load_list(ld *l, yaml_node_t *v, const char *what, const char **out, int *n)
{
  if (scalar(v)) {
    if (!*scalar(v))
      return fail(l, v, "%s must not be empty", what);
    out[(*n)++] = lx_arena_strdup(&l->c->arena, scalar(v));
    return 0;
  }
  if (want(l, v, YAML_SEQUENCE_NODE, what))
    return -1;
  for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
    yaml_node_t *e = node(l, *i);
    if (!scalar(e) || !*scalar(e))
      return fail(l, e, "entries of %s must be names, numbers or texts", what);
    if (*n == LX_API_MAX_WHEN)
      return fail(l, e, "at most %d values in %s", LX_API_MAX_WHEN, what);
    out[(*n)++] = lx_arena_strdup(&l->c->arena, scalar(e));
  }
  return 0;
}

static int load_when(ld *l, yaml_node_t *n, lx_api *api)
{
  static const char *const keys[] = {"arg",   "is",       "nonzero", "negative", "contains",
                                     "field", "property", "default", NULL};
  if (want(l, n, YAML_MAPPING_NODE, "'when'") || check_keys(l, n, keys, "'when'"))
    return -1;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const char *k = scalar(node(l, p->key));
    yaml_node_t *v = node(l, p->value);
    if (!strcmp(k, "arg")) {
      if (int_value(l, v, "'when: arg'", 1, 64, &api->when_arg))
        return -1;
    } else if (!strcmp(k, "nonzero") || !strcmp(k, "negative")) {
      if (int_value(l, v, !strcmp(k, "nonzero") ? "'when: nonzero'" : "'when: negative'", 1, 64,
                    !strcmp(k, "nonzero") ? &api->nonzero_arg : &api->negative_arg))
        return -1;
    } else if (!strcmp(k, "field") || !strcmp(k, "property")) {
      const char *s = scalar(v);
      if (!s || !*s)
        return fail(l, v, "'when: %s' must be the name of a %s", k, !strcmp(k, "field") ? "struct member" : "property");
      s = lx_arena_strdup(&l->c->arena, s);
      if (!strcmp(k, "field"))
        api->when_field = s;
      else
        api->when_property = s;
    } else if (!strcmp(k, "default")) {
      if (bool_value(l, v, "'when: default'", &api->when_default))
        return -1;
    } else if (!strcmp(k, "contains")) {
      if (load_list(l, v, "'when: contains'", api->when_contains, &api->ncontains))
        return -1;
    } else {
      if (want(l, v, YAML_SEQUENCE_NODE, "'when: is'") || load_list(l, v, "'when: is'", api->when_is, &api->nwhen))
        return -1;
    }
  }
  if (api->when_default && !api->when_property)
    return fail(l, n, "'when: default' goes with 'property'");
  if (api->when_field && api->when_property)
    return fail(l, n, "'when' takes 'field' or 'property', not both");
  if ((api->nwhen || api->ncontains || api->when_field || api->when_property) && !api->when_arg)
    return fail(l, n, "'when: %s' needs 'arg'",
                api->when_field ? "field" : api->when_property ? "property" : api->ncontains ? "contains" : "is");
  return 0;
}

static int load_api(ld *l, yaml_node_t *n)
{
  static const char *const keys[] = {"name",     "library", "spawns",  "bounded",         "receives",
                                     "closes",   "timeout", "blocks",  "deadline",        "connects",
                                     "connect_timeout", "fix", "when", "joins", "handler", "copies", "periodic",
                                     "no_timeout", "thread_handle", "thread_attr", NULL};
  if (want(l, n, YAML_MAPPING_NODE, "an API entry") || check_keys(l, n, keys, "an API entry"))
    return -1;
  lx_api *api = lx_arena_alloc(&l->c->arena, sizeof(*api));
  api->origin = lx_arena_printf(&l->c->arena, "%s:%zu", l->name, n->start_mark.line + 1);
  api->connects = api->connect_timeout = api->thread_handle = -1;
  api->user = l->user_file ? 1 : 0;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const char *k = scalar(node(l, p->key));
    yaml_node_t *v = node(l, p->value);
    if (!strcmp(k, "name") || !strcmp(k, "library") || !strcmp(k, "fix")) {
      const char *s = scalar(v);
      if (!s || !*s)
        return fail(l, v, "'%s' must be a non-empty %s", k, strcmp(k, "fix") ? "name" : "text");
      s = lx_arena_strdup(&l->c->arena, s);
      if (!strcmp(k, "name"))
        api->name = s;
      else if (!strcmp(k, "library"))
        api->library = s;
      else
        api->fix = s;
    } else if (!strcmp(k, "when")) {
      if (load_when(l, v, api))
        return -1;
    } else if (!strcmp(k, "copies") || !strcmp(k, "periodic") || !strcmp(k, "no_timeout")) {
      char what[32];
      snprintf(what, sizeof(what), "'%s'", k);
      if (int_value(l, v, what, 1, 64,
                    !strcmp(k, "copies") ? &api->copies : !strcmp(k, "periodic") ? &api->periodic : &api->no_timeout))
        return -1;
    } else if (!strcmp(k, "connects") || !strcmp(k, "connect_timeout") || !strcmp(k, "thread_handle")) {
      char what[32];
      snprintf(what, sizeof(what), "'%s'", k);
      if (int_value(l, v, what, 0, 64,
                    !strcmp(k, "connects")          ? &api->connects
                    : !strcmp(k, "connect_timeout") ? &api->connect_timeout
                                                    : &api->thread_handle))
        return -1;
    } else if (!strcmp(k, "thread_attr")) {
      if (int_value(l, v, "'thread_attr'", 1, 64, &api->thread_attr))
        return -1;
    } else {
      lx_annot an;
      char ann[64];
      if (!strcmp(k, "bounded")) {
        int b;
        if (bool_value(l, v, "'bounded'", &b))
          return -1;
        if (!b)
          continue;
        an.kind = LX_ANN_BOUNDED;
        an.arg = 0;
      } else {
        snprintf(ann, sizeof(ann), "leash:%s:1", k);
        if (lx_ann_parse(ann, &an) != 0)
          return fail(l, v, "unknown annotation '%s'", k);
        snprintf(ann, sizeof(ann), "'%s'", k);
        /* timeout: 0 is the returned handle (a constructor that gives it one). */
        int lo = an.kind == LX_ANN_TIMEOUT ? 0 : 1;
        if (int_value(l, v, ann, lo, 64, &an.arg))
          return -1;
      }
      if (api->nannots == LX_API_MAX_ANNOTS)
        return fail(l, v, "too many annotations in one entry");
      api->annots[api->nannots++] = an;
    }
  }
  if (!api->name)
    return fail(l, n, "an API entry needs 'name'");
  if (!api->nannots && api->connects < 0 && api->connect_timeout < 0 && !api->copies &&
      !api->periodic && !api->no_timeout && api->thread_handle < 0)
    return fail(l, n, "API entry '%s' says nothing (give spawns, bounded, receives, closes, "
                      "timeout, blocks, deadline, joins, handler, connects, connect_timeout, copies, periodic, "
                      "no_timeout or thread_handle)", api->name);
  /* A second entry for the same function in the same file adds to the first (each
   * with its own `when`); an entry of a later file replaces those of earlier ones. */
  const lx_api *prev = lx_map_get(&l->c->apis, api->name);
  size_t nl = strlen(l->name);
  if (prev && !strncmp(prev->origin, l->name, nl) && prev->origin[nl] == ':') {
    lx_api *last = (lx_api *)prev;
    while (last->next)
      last = (lx_api *)last->next;
    last->next = api;
    return 0;
  }
  lx_map_put(&l->c->apis, api->name, api);
  return 0;
}

static int load_rules(ld *l, yaml_node_t *n)
{
  static const char *const keys[] = {"enabled", "severity", NULL};
  if (want(l, n, YAML_MAPPING_NODE, "'rules'"))
    return -1;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = node(l, p->key);
    yaml_node_t *v = node(l, p->value);
    const char *id = scalar(k);
    if (!id)
      return fail(l, k, "rule ids must be names");
    if (l->c->rule_known && !l->c->rule_known(id))
      return fail(l, k, "unknown rule id '%s' (see `leash rules`)", id);
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++)
      if (!strcmp(scalar(node(l, q->key)), id))
        return fail(l, k, "duplicate key '%s' in 'rules'", id);
    lx_rule_setting rs = {lx_arena_strdup(&l->c->arena, id), -1, LX_SEV_DEFAULT};
    if (scalar(v)) {
      /* Short forms: `rule: off`, `rule: on`, `rule: error`. */
      lx_severity s = lx_severity_parse(scalar(v));
      if (s != LX_SEV_DEFAULT) {
        rs.severity = s;
        rs.enabled = 1;
      } else if (bool_value(l, v, "a rule setting", &rs.enabled)) {
        return fail(l, v, "rule '%s' must be on, off, a severity (error, warning, note) or a "
                          "mapping with 'enabled' and 'severity'", id);
      }
    } else {
      if (want(l, v, YAML_MAPPING_NODE, "a rule setting") || check_keys(l, v, keys, "a rule setting"))
        return -1;
      for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
        const char *kk = scalar(node(l, q->key));
        yaml_node_t *vv = node(l, q->value);
        if (!strcmp(kk, "enabled")) {
          if (bool_value(l, vv, "'enabled'", &rs.enabled))
            return -1;
        } else if (scalar(vv) && (!strcmp(scalar(vv), "off") || !strcmp(scalar(vv), "on"))) {
          /* `{severity: off}` turns the rule off, `on` keeps its default severity. */
          rs.enabled = !strcmp(scalar(vv), "on");
        } else {
          rs.severity = scalar(vv) ? lx_severity_parse(scalar(vv)) : LX_SEV_DEFAULT;
          if (rs.severity == LX_SEV_DEFAULT)
            return fail(l, vv, "'severity' must be error, warning, note, or off");
        }
      }
    }
    lx_vec_push(&l->c->rules, rs);
  }
  return 0;
}

static const char *const kind_names[LX_KIND_COUNT] = {
    [LX_KIND_EVENT_WAIT] = "event-wait",         [LX_KIND_EVENT_SOURCE] = "event-source",
    [LX_KIND_POLL] = "poll",                     [LX_KIND_FILE_READ] = "file-read",
    [LX_KIND_COND_WAIT] = "cond-wait",           [LX_KIND_ONE_SHOT] = "one-shot",
    [LX_KIND_PROCESS_SPAWN] = "process-spawn",   [LX_KIND_CHILD_WAIT] = "child-wait",
    [LX_KIND_SIGNAL] = "signal",                 [LX_KIND_SIGACTION] = "sigaction",
    [LX_KIND_CLOCK] = "clock",                   [LX_KIND_FD_CREATE] = "fd-create",
    [LX_KIND_FD_PAIR_CREATE] = "fd-pair-create", [LX_KIND_SEND] = "send",
    [LX_KIND_RECEIVE] = "receive",               [LX_KIND_STREAM_READ] = "stream-read",
    [LX_KIND_ATOMIC_STORE] = "atomic-store",     [LX_KIND_ATOMIC_LOAD] = "atomic-load",
    [LX_KIND_THREAD_CANCEL] = "thread-cancel",   [LX_KIND_THREAD_JOIN] = "thread-join",
    [LX_KIND_THREAD_TRY_JOIN] = "thread-try-join", [LX_KIND_THREAD_DETACH] = "thread-detach",
};

const char *lx_kind_name(lx_kind k) { return k < LX_KIND_COUNT ? kind_names[k] : "?"; }

/* kinds: {event-wait: [accept, recv, ...], ...}: the names add to what earlier files
 * gave each kind. */
static int load_kinds(ld *l, yaml_node_t *n)
{
  if (want(l, n, YAML_MAPPING_NODE, "'kinds'"))
    return -1;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
    const char *word = scalar(k);
    int kind = -1;
    for (int i = 0; word && i < LX_KIND_COUNT; i++)
      if (!strcmp(word, kind_names[i]))
        kind = i;
    if (kind < 0) {
      char known[512];
      size_t off = 0;
      for (int i = 0; i < LX_KIND_COUNT && off < sizeof(known); i++)
        off += (size_t)snprintf(known + off, sizeof(known) - off, "%s%s", i ? ", " : "", kind_names[i]);
      return fail(l, k, "unknown kind '%s' (known: %s)", word ? word : "?", known);
    }
    if (want(l, v, YAML_SEQUENCE_NODE, "a kind's function names"))
      return -1;
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
      const char *name = scalar(node(l, *i));
      if (!name || !*name)
        return fail(l, node(l, *i), "the entries of kind '%s' must be function names", word);
      uintptr_t mask = (uintptr_t)lx_map_get(&l->c->kinds, name) | (uintptr_t)1 << kind;
      lx_map_put(&l->c->kinds, name, (void *)mask);
    }
  }
  return 0;
}

int lx_config_is(const lx_config *c, const char *name, uint64_t hash, lx_kind k)
{
  if (!name || !c->kinds.n)
    return 0;
  return ((uintptr_t)lx_map_get_h(&c->kinds, name, hash) >> k) & 1;
}

static int load_root(ld *l, yaml_node_t *root)
{
  static const char *const user_keys[] = {"version", "rules", "exclude", "apis", "kinds", NULL};
  static const char *const cat_keys[] = {"version", "apis", "kinds", NULL};
  if (want(l, root, YAML_MAPPING_NODE, "the top level") ||
      check_keys(l, root, l->user_file ? user_keys : cat_keys, "the top level"))
    return -1;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
    const char *k = scalar(node(l, p->key));
    yaml_node_t *v = node(l, p->value);
    if (!strcmp(k, "version")) {
      int ver;
      if (int_value(l, v, "'version'", 1, 1, &ver))
        return -1;
    } else if (!strcmp(k, "rules")) {
      if (load_rules(l, v))
        return -1;
    } else if (!strcmp(k, "kinds")) {
      if (load_kinds(l, v))
        return -1;
    } else if (!strcmp(k, "exclude")) {
      if (want(l, v, YAML_SEQUENCE_NODE, "'exclude'"))
        return -1;
      for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        const char *s = scalar(node(l, *i));
        if (!s || !*s)
          return fail(l, node(l, *i), "entries of 'exclude' must be path patterns");
        lx_vec_push(&l->c->excludes, lx_arena_strdup(&l->c->arena, s));
      }
    } else {
      if (want(l, v, YAML_SEQUENCE_NODE, "'apis'"))
        return -1;
      for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
        if (load_api(l, node(l, *i)))
          return -1;
    }
  }
  return 0;
}

int lx_config_load_string(lx_config *c, const char *name, const char *text, size_t len,
                          int user_file, char *err, size_t errlen)
{
  yaml_parser_t parser;
  yaml_document_t doc;
  ld l = {c, name, &doc, err, errlen, user_file};
  int rc = -1;
  if (!yaml_parser_initialize(&parser)) {
    snprintf(err, errlen, "%s: cannot initialise the YAML parser", name);
    return -1;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    /* Where parsing failed, and where the construct left open started (libyaml's
     * context mark: the '{' or '[' never closed, the quote never ended). */
    char started[96] = "";
    if (parser.context && (parser.context_mark.line != parser.problem_mark.line ||
                           parser.context_mark.column != parser.problem_mark.column))
      snprintf(started, sizeof(started), " started at line %zu, column %zu", parser.context_mark.line + 1,
               parser.context_mark.column + 1);
    snprintf(err, errlen, "%s:%zu:%zu: %s%s%s%s", name, parser.problem_mark.line + 1,
             parser.problem_mark.column + 1, parser.problem ? parser.problem : "invalid YAML",
             parser.context ? " " : "", parser.context ? parser.context : "", started);
    yaml_parser_delete(&parser);
    return -1;
  }
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (!root)
    rc = 0; /* an empty file configures nothing */
  else
    rc = load_root(&l, root);
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return rc;
}

int lx_config_load(lx_config *c, const char *path, int user_file, char *err, size_t errlen)
{
  size_t len;
  char *text = lx_read_file(path, &len);
  if (!text) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  if (memchr(text, '\0', len)) {
    snprintf(err, errlen, "%s:1:1: not a YAML text file (contains NUL bytes)", path);
    free(text);
    return -1;
  }
  int rc = lx_config_load_string(c, path, text, len, user_file, err, errlen);
  free(text);
  return rc;
}

char *lx_config_find(const char *dir)
{
  char buf[PATH_MAX];
  if (!realpath(dir, buf))
    return NULL;
  for (;;) {
    char cand[PATH_MAX + 16];
    snprintf(cand, sizeof(cand), "%s/.leash.yaml", buf);
    if (access(cand, R_OK) == 0)
      return lx_xstrdup(cand);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf)
      return NULL;
    *slash = '\0';
  }
}

const lx_api *lx_config_api(const lx_config *c, const char *name)
{
  return name ? lx_map_get(&c->apis, name) : NULL;
}

const lx_api *lx_config_api_h(const lx_config *c, const char *name, uint64_t hash)
{
  return name ? lx_map_get_h(&c->apis, name, hash) : NULL;
}

size_t lx_config_user_apis(const lx_config *c)
{
  size_t n = 0;
  for (size_t i = 0; i < c->apis.cap; i++)
    for (const lx_api *api = c->apis.keys[i] ? c->apis.vals[i] : NULL; api; api = api->next)
      n += api->user;
  return n;
}

size_t lx_config_unused_apis(const lx_config *c, lx_tu_facts *const *tus, size_t n,
                             void (*each)(const lx_api *api, void *arg), void *arg)
{
  lx_map seen;
  lx_map_init(&seen);
  for (size_t t = 0; t < n; t++)
    for (size_t i = 0; i < tus[t]->funcs.n; i++) {
      const lx_func *f = tus[t]->funcs.v[i];
      if (f->name)
        lx_map_put(&seen, f->name, (void *)1);
      for (size_t j = 0; j < f->calls.n; j++)
        if (f->calls.v[j].callee_name)
          lx_map_put(&seen, f->calls.v[j].callee_name, (void *)1);
    }
  size_t unused = 0;
  for (size_t i = 0; i < c->apis.cap; i++) {
    const lx_api *api = c->apis.keys[i] ? c->apis.vals[i] : NULL;
    if (api && api->user && !lx_map_get(&seen, api->name)) {
      unused++;
      each(api, arg);
    }
  }
  lx_map_free(&seen);
  return unused;
}

const lx_rule_setting *lx_config_rule(const lx_config *c, const char *id)
{
  for (size_t i = c->rules.n; i-- > 0;)
    if (!strcmp(c->rules.v[i].id, id))
      return &c->rules.v[i];
  return NULL;
}

int lx_config_rule_on(const lx_config *c, const char *id)
{
  const lx_rule_setting *s = lx_config_rule(c, id);
  return !s || s->enabled != 0;
}

int lx_config_excluded(const lx_config *c, const char *path)
{
  const char *rel = path;
  if (c->root) {
    size_t n = strlen(c->root);
    if (!strncmp(path, c->root, n) && path[n] == '/')
      rel = path + n + 1;
  }
  for (size_t i = 0; i < c->excludes.n; i++) {
    const char *pat = c->excludes.v[i];
    size_t pn = strlen(pat);
    if (fnmatch(pat, rel, 0) == 0 || (pat[pn - 1] == '/' && !strncmp(rel, pat, pn)))
      return 1;
    /* "dir/ **" and "dir" cover everything below dir. */
    if (pn > 3 && !strcmp(pat + pn - 3, "/**") && !strncmp(rel, pat, pn - 2))
      return 1;
    if (!strncmp(rel, pat, pn) && rel[pn] == '/')
      return 1;
  }
  return 0;
}
