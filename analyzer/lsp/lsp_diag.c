/* lsp_diag.c - findings of an open buffer as LSP diagnostics (UTF-16 ranges, rule
 * links, related locations) and their code actions: the suppression comment, and the
 * timeout a reviewer would add by hand when the fix is mechanical. */
#include "lsp/lsp_diag.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "program/partition.h"
#include "pipeline/pipeline.h"
#include "cli/docs.h"
#include "pipeline/suppress.h"
#include "pipeline/suppress_ids.h"

#define SUPPRESSION_RULE "suppression-without-reason"
#define REASON_PLACEHOLDER "TODO: why"

/* ---- lines and positions -------------------------------------------------------- */

void lx_lsp_lines_init(lx_lsp_lines *l, const char *text, size_t len)
{
  memset(l, 0, sizeof(*l));
  l->text = text;
  l->len = len;
  lx_vec_push(&l->starts, (size_t)0);
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      lx_vec_push(&l->starts, i + 1);
}

void lx_lsp_lines_free(lx_lsp_lines *l) { lx_vec_free(&l->starts); }

const char *lx_lsp_line(const lx_lsp_lines *l, size_t line, size_t *n)
{
  if (line >= l->starts.n)
    return NULL;
  size_t b = l->starts.v[line];
  size_t e = line + 1 < l->starts.n ? l->starts.v[line + 1] - 1 : l->len;
  if (e > b && l->text[e - 1] == '\r')
    e--;
  *n = e - b;
  return l->text + b;
}

/* UTF-16 code units in the first n bytes of s (UTF-8). */
static int utf16_units(const char *s, size_t n)
{
  int u = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c & 0xC0) == 0x80)
      continue;
    u += c >= 0xF0 ? 2 : 1;
  }
  return u;
}

static int ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* The range of the token at line:col (1-based, col in bytes) of a line's text. */
static json_t *range_at(const char *text, size_t n, unsigned line, unsigned col)
{
  size_t b = col ? col - 1 : 0;
  if (!text || b > n)
    b = 0;
  size_t e = b;
  while (text && e < n && ident_char(text[e]))
    e++;
  if (e == b && text && e < n)
    e++;
  int sc = text ? utf16_units(text, b) : 0, ec = text ? utf16_units(text, e) : 0;
  int l = line ? (int)line - 1 : 0;
  return json_pack("{s:{s:i,s:i},s:{s:i,s:i}}", "start", "line", l, "character", sc, "end", "line", l,
                   "character", ec);
}

/* The range of loc: from the buffer when loc is in path, else from the file on disk. */
static json_t *loc_range(const lx_loc *loc, const char *path, const lx_lsp_lines *text, lx_sources *disk)
{
  size_t n = 0;
  const char *line = NULL;
  if (!strcmp(loc->file, path))
    line = loc->line ? lx_lsp_line(text, loc->line - 1, &n) : NULL;
  else if (loc->line)
    line = lx_sources_line(disk, loc->file, loc->line, &n);
  return range_at(line, n, loc->line, loc->col);
}

/* ---- URIs ------------------------------------------------------------------------ */

char *lx_lsp_uri_from_path(const char *path)
{
  size_t n = strlen(path);
  char *s = lx_xmalloc(n * 3 + 8), *o = s;
  o += sprintf(o, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (isalnum(*p) || strchr("/-._~", *p))
      *o++ = (char)*p;
    else
      o += sprintf(o, "%%%02X", *p);
  }
  *o = '\0';
  return s;
}

static int hexval(char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *lx_lsp_path_from_uri(const char *uri)
{
  if (strncmp(uri, "file://", 7) != 0)
    return NULL;
  const char *p = uri + 7;
  if (*p != '/') { /* file://host/path: only localhost */
    if (strncmp(p, "localhost/", 10) != 0)
      return NULL;
    p += 9;
  }
  char *s = lx_xmalloc(strlen(p) + 1), *o = s;
  for (; *p && *p != '?' && *p != '#'; p++) {
    int h, l;
    if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
      *o++ = (char)(h * 16 + l);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  if (memchr(s, '\0', (size_t)(o - s))) {
    free(s);
    return NULL;
  }
  return s;
}

/* ---- evaluation -------------------------------------------------------------------- */

static int enabled_in(const lx_rule *rule, void *cfg) { return lx_config_rule_on(cfg, rule->id); }

/* The editor's findings are all in its file, read from the buffer. */
static const char *buffer_line(void *arg, const char *file, unsigned line, size_t *len)
{
  (void)file;
  return line ? lx_lsp_line(arg, line - 1, len) : NULL;
}

void lx_lsp_evaluate(lx_tu_facts **tus, size_t n, const lx_config *cfg, const char *path,
                     const lx_lsp_lines *text, lx_partition_cache **parts, struct lx_memos *memos,
                     lx_findings *out)
{
  lx_findings all;
  lx_findings_init(&all);
  /* As `leash check` does (pipeline.c), over the program(s) the file's TU (tus[0])
   * belongs to, reporting in the functions with a call in the file. */
  lx_pipeline pl = {.cfg = cfg, .enabled = enabled_in, .arg = (void *)cfg, .file = path,
                    .file_tu = n ? tus[0] : NULL, .parts = parts, .memos = memos};
  lx_pipeline_rules(&pl, tus, n, &all);
  lx_findings here; /* path's, then excluded and suppressed as everywhere */
  lx_findings_init(&here);
  for (size_t i = 0; i < all.v.n; i++)
    if (!strcmp(all.v.v[i].loc.file, path))
      lx_findings_append(&here, &all.v.v[i]);
  lx_pipeline_suppress(&pl, &here, buffer_line, (void *)text);
  for (size_t i = 0; i < here.v.n; i++)
    if (!here.v.v[i].suppressed)
      lx_findings_append(out, &here.v.v[i]);
  lx_findings_free(&here);
  lx_findings_free(&all);
  if (lx_config_rule_on(cfg, LX_UNKNOWN_SUPPRESSION_RULE) && !lx_config_excluded(cfg, path)) {
    lx_suppress_unknown(out, path, buffer_line, (void *)text);
  }
  lx_findings_sort(out);
}

/* ---- diagnostics --------------------------------------------------------------------- */

static int lsp_severity(lx_severity s) { return s == LX_SEV_ERROR ? 1 : s == LX_SEV_WARNING ? 2 : 3; }


static json_t *text_edit(int line, int ch, const char *text)
{
  return json_pack("{s:{s:{s:i,s:i},s:{s:i,s:i}},s:s}", "range", "start", "line", line, "character", ch, "end",
                   "line", line, "character", ch, "newText", text);
}

static json_t *action(const char *title, json_t *diag, const char *uri, json_t *edit, int preferred)
{
  json_t *changes = json_object();
  json_object_set_new(changes, uri, json_pack("[o]", edit));
  json_t *a = json_pack("{s:s,s:s,s:[O],s:{s:o}}", "title", title, "kind", "quickfix", "diagnostics", diag,
                        "edit", "changes", changes);
  if (preferred)
    json_object_set_new(a, "isPreferred", json_true());
  return a;
}

static size_t indent_of(const char *t, size_t n)
{
  size_t i = 0;
  while (i < n && (t[i] == ' ' || t[i] == '\t'))
    i++;
  return i;
}

static int is_ident(const char *s)
{
  if (!s || !*s || isdigit((unsigned char)*s))
    return 0;
  for (; *s; s++)
    if (!ident_char(*s))
      return 0;
  return 1;
}

/* Whether line t (n bytes) mentions identifier name as a whole word. */
static int mentions(const char *t, size_t n, const char *name)
{
  size_t k = strlen(name);
  for (size_t i = 0; i + k <= n; i++)
    if (!memcmp(t + i, name, k) && (i == 0 || !ident_char(t[i - 1])) && (i + k == n || !ident_char(t[i + k])))
      return 1;
  return 0;
}

static int trimmed_ends_with(const char *t, size_t n, char c)
{
  while (n && isspace((unsigned char)t[n - 1]))
    n--;
  return n && t[n - 1] == c;
}

/* The 0-based line before which a statement configuring `name`, created by the
 * statement on 0-based line `made`, goes: after that statement and after the check
 * of its result that usually follows (`if (!h) return -1;`, `if (fd < 0) { ... }`).
 * Returns -1 when the creation is not a statement of its own line. */
static long insertion_line(const lx_lsp_lines *text, size_t made, const char *name)
{
  size_t n;
  const char *t = lx_lsp_line(text, made, &n);
  if (!t || !trimmed_ends_with(t, n, ';'))
    return -1;
  size_t at = made + 1;
  const char *c = lx_lsp_line(text, at, &n);
  if (!c)
    return (long)at;
  size_t in = indent_of(c, n);
  if (n - in < 3 || strncmp(c + in, "if", 2) != 0 || ident_char(c[in + 2]) || !mentions(c, n, name))
    return (long)at;
  if (trimmed_ends_with(c, n, ';'))
    return (long)at + 1;
  if (trimmed_ends_with(c, n, '{')) {
    for (size_t k = at + 1; (c = lx_lsp_line(text, k, &n)) != NULL; k++) {
      size_t ki = indent_of(c, n);
      if (ki == in && ki < n && c[ki] == '}')
        return trimmed_ends_with(c, n, '}') ? (long)k + 1 : -1;
    }
    return -1;
  }
  c = lx_lsp_line(text, at + 1, &n);
  return c && trimmed_ends_with(c, n, ';') ? (long)at + 2 : -1;
}

/* The mechanical fix of finding fd, or NULL: a total timeout on a libcurl handle, or
 * receive and send timeouts on a socket, set right after the handle is created. */
static json_t *fix_action(const lx_finding *fd, const char *path, const char *uri, const lx_lsp_lines *text,
                          json_t *diag)
{
  int http = !strcmp(fd->rule, "http-call-without-timeout");
  int sock = !strcmp(fd->rule, "socket-call-without-timeout");
  if ((!http && !sock) || !is_ident(fd->key))
    return NULL;
  const lx_related *made = NULL;
  for (int k = 0; k < fd->nrelated; k++) {
    const char *m = fd->related[k].message;
    if ((http && strstr(m, "is created here")) || (sock && strstr(m, "the socket comes from here")))
      made = &fd->related[k];
  }
  if (!made || strcmp(made->loc.file, path) != 0 || made->loc.line == 0)
    return NULL;
  if (sock && !strstr(fd->message, "(from socket() at"))
    return NULL;
  long at = insertion_line(text, made->loc.line - 1, fd->key);
  if (at < 0)
    return NULL;
  size_t n;
  const char *mt = lx_lsp_line(text, made->loc.line - 1, &n);
  int ind = (int)indent_of(mt, n);
  char line[1024], title[256];
  if (http) {
    snprintf(line, sizeof(line), "%.*scurl_easy_setopt(%s, CURLOPT_TIMEOUT_MS, 5000L);\n", ind, mt, fd->key);
    snprintf(title, sizeof(title), "Set a 5 s total timeout on '%s' (CURLOPT_TIMEOUT_MS)", fd->key);
  } else {
    snprintf(line, sizeof(line),
             "%.*s{ struct timeval leash_tv = {.tv_sec = 5}; setsockopt(%s, SOL_SOCKET, SO_RCVTIMEO, &leash_tv, "
             "sizeof leash_tv); setsockopt(%s, SOL_SOCKET, SO_SNDTIMEO, &leash_tv, sizeof leash_tv); }\n",
             ind, mt, fd->key, fd->key);
    snprintf(title, sizeof(title), "Set 5 s receive and send timeouts on socket '%s' (SO_RCVTIMEO, SO_SNDTIMEO)",
             fd->key);
  }
  (void)path;
  return action(title, diag, uri, text_edit((int)at, 0, line), 1);
}

static json_t *suppress_action(const lx_finding *fd, const char *uri, const lx_lsp_lines *text, json_t *diag)
{
  size_t n = 0;
  unsigned l = fd->loc.line ? fd->loc.line - 1 : 0;
  const char *t = lx_lsp_line(text, l, &n);
  int ind = t ? (int)indent_of(t, n) : 0;
  char line[512], title[160];
  snprintf(line, sizeof(line), "%.*s// leash:ignore %s " REASON_PLACEHOLDER "\n", ind, t ? t : "", fd->rule);
  snprintf(title, sizeof(title), "Suppress %s on this line (leash:ignore, give the reason)", fd->rule);
  return action(title, diag, uri, text_edit((int)l, 0, line), 0);
}

json_t *lx_lsp_diagnostics(const lx_findings *f, const char *path, const char *uri, int version,
                           const lx_lsp_lines *text, json_t **actions)
{
  json_t *diags = json_array();
  *actions = json_array();
  lx_sources *disk = lx_sources_new();
  for (size_t i = 0; i < f->v.n; i++) {
    const lx_finding *fd = &f->v.v[i];
    char *href = lx_rule_doc_url(fd->rule);
    json_t *d = json_pack("{s:o,s:i,s:s,s:s,s:s}", "range", loc_range(&fd->loc, path, text, disk),
                          "severity", lsp_severity(fd->severity), "code", fd->rule, "source", "leash", "message",
                          fd->message);
    if (href) /* LSP: a URI that opens the rule's page */
      json_object_set_new(d, "codeDescription", json_pack("{s:s}", "href", href));
    free(href);
    if (fd->nrelated) {
      json_t *rel = json_array();
      for (int k = 0; k < fd->nrelated; k++) {
        const lx_related *r = &fd->related[k];
        char *ruri = lx_lsp_uri_from_path(r->loc.file);
        json_array_append_new(rel, json_pack("{s:{s:s,s:o},s:s}", "location", "uri", ruri, "range",
                                             loc_range(&r->loc, path, text, disk), "message", r->message));
        free(ruri);
      }
      json_object_set_new(d, "relatedInformation", rel);
    }
    json_array_append(diags, d);
    json_t *acts = json_array();
    json_t *fix = strcmp(fd->rule, SUPPRESSION_RULE) ? fix_action(fd, path, uri, text, d) : NULL;
    if (fix)
      json_array_append_new(acts, fix);
    if (strcmp(fd->rule, SUPPRESSION_RULE) != 0)
      json_array_append_new(acts, suppress_action(fd, uri, text, d));
    json_array_append_new(*actions, json_pack("{s:i,s:o}", "line", fd->loc.line ? (int)fd->loc.line - 1 : 0,
                                              "actions", acts));
    json_decref(d);
  }
  lx_sources_free(disk);
  json_t *params = json_pack("{s:s,s:o}", "uri", uri, "diagnostics", diags);
  if (version >= 0)
    json_object_set_new(params, "version", json_integer(version));
  return params;
}
