/* sarif.c - `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it, built with
 * jansson: the tool and every rule, results with repository-relative locations,
 * fingerprints and suppressions, and the invocation. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "reports/findings.h"

#define SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_KEY "leashFingerprint/v1"

/* A JSON string of s[0..n), with bytes that are not UTF-8 replaced by '?'. */
static json_t *jstrn(const char *s, size_t n)
{
  json_t *j = json_stringn(s, n);
  if (j)
    return j;
  char *copy = lx_xmalloc(n + 1);
  for (size_t i = 0; i < n; i++)
    copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
  j = json_stringn(copy, n);
  free(copy);
  return j;
}

static json_t *jstr(const char *s) { return jstrn(s ? s : "", s ? strlen(s) : 0); }

/* {"text": s}, with a final period as SARIF asks of messages. */
static json_t *message(const char *s)
{
  size_t n = strlen(s);
  if (n && strchr(".!?", s[n - 1]))
    return json_pack("{s:o}", "text", jstr(s));
  char *t = lx_xmalloc(n + 2);
  memcpy(t, s, n);
  memcpy(t + n, ".", 2);
  json_t *j = json_pack("{s:o}", "text", jstr(t));
  free(t);
  return j;
}

/* Percent-encodes a path for a URI reference (RFC 3986: unreserved characters and '/'
 * stay). */
static json_t *uri(const char *prefix, const char *path)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(prefix), len = strlen(path);
  char *u = lx_xmalloc(n + 3 * len + 1), *w = u;
  memcpy(w, prefix, n);
  w += n;
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
      *w++ = (char)*p;
    } else {
      *w++ = '%';
      *w++ = hex[*p >> 4];
      *w++ = hex[*p & 15];
    }
  }
  *w = '\0';
  json_t *j = json_string(u);
  free(u);
  return j;
}

/* SARIF columns count UTF-16 code units; libclang's count bytes. */
static int utf16_column(const char *line, size_t len, unsigned col)
{
  int units = 1;
  for (size_t i = 0; i + 1 < col && i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    if ((c & 0xC0) != 0x80)
      units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

static json_t *artifact(const char *file, const lx_emit_opts *o)
{
  const char *rel = lx_display_path(file, o->root);
  if (rel != file)
    return json_pack("{s:o, s:s}", "uri", uri("", rel), "uriBaseId", "SRCROOT");
  return json_pack("{s:o}", "uri", uri(file[0] == '/' ? "file://" : "", file));
}

static json_t *physical(const lx_loc *l, const lx_emit_opts *o)
{
  json_t *region = json_object();
  size_t len = 0;
  const char *line = o->sources && l->line ? lx_sources_line(o->sources, l->file, l->line, &len) : NULL;
  if (l->line) {
    json_object_set_new(region, "startLine", json_integer(l->line));
    if (l->col)
      json_object_set_new(region, "startColumn", json_integer(line ? utf16_column(line, len, l->col) : (int)l->col));
  }
  if (line)
    json_object_set_new(region, "snippet", json_pack("{s:o}", "text", jstrn(line, len)));
  json_t *p = json_pack("{s:o}", "artifactLocation", artifact(l->file, o));
  if (l->line)
    json_object_set_new(p, "region", region);
  else
    json_decref(region);
  return p;
}

static const char *level(lx_severity s)
{
  return s == LX_SEV_ERROR ? "error" : s == LX_SEV_NOTE ? "note" : "warning";
}

/* "http-call-without-timeout" -> "HttpCallWithoutTimeout". */
static json_t *pascal_name(const char *id)
{
  size_t n = strlen(id);
  char *s = lx_xmalloc(n + 1), *w = s;
  int up = 1;
  for (const char *p = id; *p; p++) {
    if (*p == '-' || *p == '_') {
      up = 1;
      continue;
    }
    *w++ = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    up = 0;
  }
  *w = '\0';
  json_t *j = json_string(s);
  free(s);
  return j;
}

/* The first paragraph of the doc's "## What it finds", on one line; else title. */
static json_t *full_description(const lx_rule_meta *r)
{
  const char *p = r->doc ? strstr(r->doc, "## What it finds") : NULL;
  if (!p)
    return message(r->title);
  p = strchr(p, '\n');
  while (p && *p == '\n')
    p++;
  if (!p || !*p)
    return message(r->title);
  const char *end = strstr(p, "\n\n");
  size_t n = end ? (size_t)(end - p) : strlen(p);
  char *t = lx_xmalloc(n + 1);
  for (size_t i = 0; i < n; i++)
    t[i] = p[i] == '\n' ? ' ' : p[i];
  t[n] = '\0';
  json_t *j = message(t);
  free(t);
  return j;
}

static json_t *tags(const char *list)
{
  json_t *a = json_array();
  for (const char *p = list; p && *p;) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n)
      json_array_append_new(a, jstrn(p, n));
    p = e ? e + 1 : p + n;
  }
  return a;
}

static json_t *rule_json(const lx_rule_meta *r, const lx_emit_opts *o)
{
  json_t *j = json_pack("{s:s, s:o, s:o, s:o}", "id", r->id, "name", pascal_name(r->id), "shortDescription",
                        message(r->title), "fullDescription", full_description(r));
  if (r->doc)
    json_object_set_new(j, "help", json_pack("{s:o, s:o}", "text", jstr(r->doc), "markdown", jstr(r->doc)));
  else /* GitHub requires help; a rule without its doc yet gets its title */
    json_object_set_new(j, "help", full_description(r));
  if (r->help_uri)
    json_object_set_new(j, "helpUri", jstr(r->help_uri));
  json_object_set_new(j, "defaultConfiguration", json_pack("{s:s}", "level", level(r->severity)));
  json_object_set_new(j, "properties",
                      json_pack("{s:o, s:s, s:s}", "tags", tags(r->tags), "precision", r->precision ? r->precision : "high", "problem.severity",
                                r->severity == LX_SEV_NOTE ? "recommendation" : level(r->severity)));
  return j;
}

static int rule_index(const lx_emit_opts *o, const char *id)
{
  for (size_t i = 0; i < o->nrules; i++)
    if (!strcmp(o->rules[i].id, id))
      return (int)i;
  return -1;
}

/* The function the finding is in, as SARIF names code that is not a file: C has one
 * namespace, so its name is also its fully qualified name.  A finding outside any
 * function is in its file's translation unit. */
static json_t *logical_locations(const lx_finding *fd, const lx_emit_opts *o)
{
  if (fd->function && *fd->function)
    return json_pack("[{s:o, s:o, s:s}]", "name", jstr(fd->function), "fullyQualifiedName", jstr(fd->function),
                     "kind", "function");
  const char *path = lx_display_path(fd->loc.file, o->root);
  const char *base = strrchr(path, '/');
  return json_pack("[{s:o, s:o, s:s}]", "name", jstr(base ? base + 1 : path), "fullyQualifiedName", jstr(path),
                   "kind", "module");
}

/* A finding whose reason is a path, as one thread flow: its steps in order, each with
 * its location and what happens there ("show paths" on GitHub). */
static json_t *code_flows(const lx_finding *fd, const lx_emit_opts *o)
{
  int order[LX_MAX_RELATED + 1];
  int n = lx_finding_path(fd, order);
  if (n < 2)
    return NULL;
  json_t *steps = json_array();
  for (int s = 0; s < n; s++) {
    const lx_loc *l = order[s] < 0 ? &fd->loc : &fd->related[order[s]].loc;
    const char *msg = order[s] < 0 ? fd->step_message : fd->related[order[s]].message;
    json_t *loc = json_pack("{s:o}", "physicalLocation", physical(l, o));
    if (msg && *msg)
      json_object_set_new(loc, "message", message(msg));
    if (order[s] < 0)
      json_object_set_new(loc, "logicalLocations", logical_locations(fd, o));
    json_array_append_new(steps, json_pack("{s:o, s:i, s:s}", "location", loc, "executionOrder", s + 1,
                                           "importance", order[s] < 0 ? "essential" : "important"));
  }
  char text[160];
  snprintf(text, sizeof(text), "The path to the finding, in %d steps", n);
  return json_pack("[{s:o, s:[{s:o}]}]", "message", message(text), "threadFlows", "locations", steps);
}

static json_t *result_json(const lx_finding *fd, const lx_emit_opts *o)
{
  json_t *j = json_pack("{s:s}", "ruleId", fd->rule);
  int idx = rule_index(o, fd->rule);
  if (idx >= 0)
    json_object_set_new(j, "ruleIndex", json_integer(idx));
  json_object_set_new(j, "level", json_string(level(fd->severity)));
  json_object_set_new(j, "message", message(fd->message));
  json_object_set_new(j, "locations", json_pack("[{s:o, s:o}]", "physicalLocation", physical(&fd->loc, o),
                                                "logicalLocations", logical_locations(fd, o)));
  json_t *flows = code_flows(fd, o);
  if (flows)
    json_object_set_new(j, "codeFlows", flows);
  if (fd->nrelated) {
    json_t *rel = json_array();
    for (int r = 0; r < fd->nrelated; r++)
      json_array_append_new(rel, json_pack("{s:i, s:o, s:o}", "id", r + 1, "physicalLocation",
                                           physical(&fd->related[r].loc, o), "message",
                                           message(fd->related[r].message)));
    json_object_set_new(j, "relatedLocations", rel);
  }
  json_object_set_new(j, "partialFingerprints", json_pack("{s:s}", FINGERPRINT_KEY, fd->fingerprint));
  if (fd->suppressed) {
    json_t *s = json_pack("{s:s, s:s}", "kind", "inSource", "status", "accepted");
    if (fd->suppress_reason && *fd->suppress_reason)
      json_object_set_new(s, "justification", jstr(fd->suppress_reason));
    json_object_set_new(j, "suppressions", json_pack("[o]", s));
  }
  return j;
}

static json_t *invocation_json(const lx_emit_opts *o)
{
  json_t *inv = json_pack("{s:b, s:i}", "executionSuccessful", o->exit_code <= 1, "exitCode", o->exit_code);
  if (o->start_utc)
    json_object_set_new(inv, "startTimeUtc", json_string(o->start_utc));
  if (o->end_utc)
    json_object_set_new(inv, "endTimeUtc", json_string(o->end_utc));
  if (o->argv && o->argc > 0) {
    json_t *args = json_array();
    for (int i = 0; i < o->argc; i++)
      json_array_append_new(args, jstr(o->argv[i]));
    json_object_set_new(inv, "arguments", args);
  }
  json_t *notes = json_array();
  for (size_t i = 0; i < o->nnotes; i++) {
    const lx_notification *n = &o->notes[i];
    json_t *nj = json_pack("{s:s, s:o}", "level", level(n->level), "message", message(n->message));
    if (n->file)
      json_object_set_new(nj, "locations",
                          json_pack("[{s:{s:o}}]", "physicalLocation", "artifactLocation", artifact(n->file, o)));
    json_array_append_new(notes, nj);
  }
  json_object_set_new(inv, "toolExecutionNotifications", notes);
  return inv;
}

int lx_emit_sarif(FILE *out, const lx_findings *f, const lx_emit_opts *o)
{
  json_t *rules = json_array();
  for (size_t i = 0; i < o->nrules; i++)
    json_array_append_new(rules, rule_json(&o->rules[i], o));
  json_t *drv = json_pack("{s:s, s:s, s:s, s:o}", "name", "leash", "version", o->version ? o->version : "0",
                          "semanticVersion", o->version ? o->version : "0.0.0", "rules", rules);
  if (o->information_uri)
    json_object_set_new(drv, "informationUri", json_string(o->information_uri));

  json_t *results = json_array();
  for (size_t i = 0; i < f->v.n; i++)
    json_array_append_new(results, result_json(&f->v.v[i], o));

  json_t *run = json_pack("{s:{s:o}, s:o, s:[o], s:s}", "tool", "driver", drv, "results", results, "invocations",
                          invocation_json(o), "columnKind", "utf16CodeUnits");
  if (o->root && *o->root) {
    size_t n = strlen(o->root);
    char *root = lx_xmalloc(n + 2);
    snprintf(root, n + 2, "%s%s", o->root, o->root[n - 1] == '/' ? "" : "/");
    json_object_set_new(run, "originalUriBaseIds",
                        json_pack("{s:{s:o}}", "SRCROOT", "uri", uri("file://", root)));
    free(root);
  }
  json_t *doc = json_pack("{s:s, s:s, s:[o]}", "$schema", SCHEMA, "version", "2.1.0", "runs", run);
  int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(doc);
  return rc == 0 && !ferror(out) ? 0 : -1;
}
