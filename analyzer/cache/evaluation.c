/* evaluation.c - the key of a program-wide evaluation and its findings as cached text
 * (JSON: a few hundred findings at most, read once per run). */
#include "cache/evaluation.h"

#include <jansson.h>
#include <string.h>

#include "rules/rules.h"

#define FORMAT "leash-evaluation-2"

void lx_eval_key_init(lx_eval_key *k)
{
  k->h1 = 0x6c65617368ULL;
  k->h2 = 0x9e3779b97f4a7c15ULL;
  lx_eval_key_add(k, FORMAT);
}

void lx_eval_key_add(lx_eval_key *k, const char *s)
{
  static const char null_marker[] = "\1(null)";
  const char *p = s ? s : null_marker;
  size_t n = strlen(p) + 1; /* the NUL separates one input from the next */
  k->h1 = lx_hash64(p, n, k->h1);
  k->h2 = lx_hash64(p, n, k->h2 ^ 0x51ed270b27c6e5a3ULL);
}

void lx_eval_key_final(const lx_eval_key *k, char out[33])
{
  snprintf(out, 33, "%016llx%016llx", (unsigned long long)k->h1, (unsigned long long)k->h2);
}

static json_t *loc_json(const lx_loc *l) { return json_pack("[s,i,i]", l->file, (int)l->line, (int)l->col); }

char *lx_evaluation_encode(const lx_findings *f)
{
  json_t *list = json_array();
  for (size_t i = 0; i < f->v.n; i++) {
    const lx_finding *fd = &f->v.v[i];
    json_t *related = json_array();
    for (int r = 0; r < fd->nrelated; r++)
      json_array_append_new(related, json_pack("[o,s,i]", loc_json(&fd->related[r].loc), fd->related[r].message,
                                               fd->related[r].step));
    json_array_append_new(list, json_pack("[s,i,o,s?,s?,s,o,i,s?]", fd->rule, (int)fd->severity, loc_json(&fd->loc),
                                          fd->function, fd->key, fd->message, related, fd->step,
                                          fd->step_message));
  }
  json_t *root = json_pack("{s:s,s:o}", "format", FORMAT, "findings", list);
  char *text = json_dumps(root, JSON_COMPACT);
  json_decref(root);
  return text;
}

static int loc_of(const json_t *j, lx_loc *l)
{
  const char *file;
  int line, col;
  if (json_unpack((json_t *)j, "[s,i,i]", &file, &line, &col) < 0 || line < 0 || col < 0)
    return -1;
  l->file = file;
  l->line = (unsigned)line;
  l->col = (unsigned)col;
  return 0;
}

int lx_evaluation_decode(const char *text, lx_findings *out)
{
  json_t *root = json_loads(text, 0, NULL);
  const char *format = NULL;
  json_t *list = NULL;
  if (!root || json_unpack(root, "{s:s,s:o}", "format", &format, "findings", &list) < 0 ||
      strcmp(format, FORMAT) != 0 || !json_is_array(list)) {
    json_decref(root);
    return -1;
  }
  size_t first = out->v.n, i;
  json_t *item;
  json_array_foreach(list, i, item) {
    const char *rule, *message;
    int sev, step;
    json_t *loc, *function, *key, *related, *step_message;
    lx_loc l;
    const lx_rule *meta = NULL;
    if (json_unpack(item, "[s,i,o,o,o,s,o,i,o]", &rule, &sev, &loc, &function, &key, &message, &related, &step,
                    &step_message) < 0 || step < 0 || step > LX_MAX_RELATED + 1 ||
        !(meta = lx_rule_find(rule)) || sev < 0 || sev > LX_SEV_ERROR || loc_of(loc, &l) < 0 ||
        !json_is_array(related) || !(json_is_null(function) || json_is_string(function)) ||
        !(json_is_null(key) || json_is_string(key)))
      goto bad;
    lx_finding *fd = lx_findings_add(out, meta->id, (lx_severity)sev, l, json_string_value(function),
                                     json_string_value(key), "%s", message);
    if (step)
      lx_finding_own_step(out, fd, step, "%s", json_is_string(step_message) ? json_string_value(step_message) : "");
    size_t k;
    json_t *rel;
    json_array_foreach(related, k, rel) {
      json_t *rloc;
      const char *msg;
      int rstep;
      lx_loc rl;
      if (json_unpack(rel, "[o,s,i]", &rloc, &msg, &rstep) < 0 || loc_of(rloc, &rl) < 0 || rstep < 0 ||
          rstep > LX_MAX_RELATED + 1)
        goto bad;
      lx_related *r = lx_finding_relate(out, fd, rl, "%s", msg);
      if (r)
        r->step = rstep;
    }
  }
  json_decref(root);
  return 0;
bad:
  out->v.n = first;
  json_decref(root);
  return -1;
}
