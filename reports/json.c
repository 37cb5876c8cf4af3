/* json.c - `--format json`: one object with the findings, built with jansson: a format
 * version, the tool, the findings (each with its related locations and, when its reason
 * is a path, the path's steps in order) and the translation units that failed. */
#include <jansson.h>

#include "reports/findings.h"

/* 2: "format_version", "path" per finding, "failed"; 1 had none of them. */
#define JSON_FORMAT_VERSION 2

static json_t *location(const lx_loc *l, const lx_emit_opts *o)
{
  return json_pack("{s:s, s:i, s:i}", "file", lx_display_path(l->file, o->root), "line", (int)l->line,
                   "column", (int)l->col);
}

static json_t *path_json(const lx_finding *fd, const lx_emit_opts *o)
{
  int order[LX_MAX_RELATED + 1];
  int n = lx_finding_path(fd, order);
  json_t *steps = json_array();
  for (int s = 0; s < n; s++) {
    const lx_loc *l = order[s] < 0 ? &fd->loc : &fd->related[order[s]].loc;
    json_t *j = location(l, o);
    json_object_set_new(j, "message", json_string(order[s] < 0 ? fd->step_message : fd->related[order[s]].message));
    json_array_append_new(steps, j);
  }
  return steps;
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
    json_t *j = json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s, s:o, s:o, s:b}", "rule", fd->rule, "severity",
                          lx_severity_name(fd->severity), "location", location(&fd->loc, o), "message",
                          fd->message, "function", fd->function, "fingerprint", fd->fingerprint,
                          "related", rel, "path", path_json(fd, o), "suppressed", fd->suppressed);
    if (fd->suppressed && fd->suppress_reason)
      json_object_set_new(j, "suppression_reason", json_string(fd->suppress_reason));
    json_array_append_new(arr, j);
  }
  json_t *failed = json_array();
  for (size_t i = 0; i < o->nnotes; i++) {
    const lx_notification *n = &o->notes[i];
    json_array_append_new(failed, json_pack("{s:s?, s:s}", "file", n->file ? lx_display_path(n->file, o->root) : NULL,
                                            "message", n->message));
  }
  json_t *root = json_pack("{s:i, s:s, s:s?, s:o, s:o}", "format_version", JSON_FORMAT_VERSION, "tool", "leash",
                           "version", o->version, "findings", arr, "failed", failed);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return rc == 0 && !ferror(out) ? 0 : -1;
}
