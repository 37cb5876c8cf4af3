/* json.c - `--format json`: one object with the findings, built with jansson. */
#include <jansson.h>

#include "findings.h"

static json_t *location(const lx_loc *l, const lx_emit_opts *o)
{
  return json_pack("{s:s, s:i, s:i}", "file", lx_display_path(l->file, o->root), "line", (int)l->line,
                   "column", (int)l->col);
}

int lx_emit_json(FILE *out, const lx_findings *f, const lx_emit_opts *o)
{
  json_t *arr = json_array();
  for (size_t i = 0; i < f->v.n; i++) {
    const lx_finding *fd = &f->v.v[i];
    json_t *rel = json_array();
    for (int r = 0; r < fd->nrelated; r++) {
      json_t *rl = location(&fd->related[r].loc, o);
      json_object_set_new(rl, "message", json_string(fd->related[r].message));
      json_array_append_new(rel, rl);
    }
    json_t *j = json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s, s:o, s:b}", "rule", fd->rule, "severity",
                          lx_severity_name(fd->severity), "location", location(&fd->loc, o), "message",
                          fd->message, "function", fd->function, "fingerprint", fd->fingerprint,
                          "related", rel, "suppressed", fd->suppressed);
    if (fd->suppressed && fd->suppress_reason)
      json_object_set_new(j, "suppression_reason", json_string(fd->suppress_reason));
    json_array_append_new(arr, j);
  }
  json_t *root = json_pack("{s:s, s:o}", "tool", "leash", "findings", arr);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return rc == 0 && !ferror(out) ? 0 : -1;
}
