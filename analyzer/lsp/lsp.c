/* lsp.c - `leash lsp`: the JSON-RPC loop on stdio and the open documents.  The main
 * thread reads messages and keeps each document's latest text; one worker thread
 * analyses the newest text of each changed document (older edits are coalesced away)
 * with a translation unit kept per document, and publishes only results that are
 * still current. */
#include "lsp/lsp.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "reports/store/db.h"
#include "cli/merge.h"
#include "facts/facts_bin.h"
#include "rules/rules.h"
#include "lsp/lsp_diag.h"
#include "lsp/lsp_flags.h"
#include "lsp/lsp_io.h"
#include "program/memos.h"
#include "frontend/frontend.h"

#ifndef LEASH_VERSION
#define LEASH_VERSION "0.0.0"
#endif

/* JSON-RPC and LSP error codes. */
enum {
  RPC_PARSE_ERROR = -32700,
  RPC_INVALID_REQUEST = -32600,
  RPC_METHOD_NOT_FOUND = -32601,
  RPC_INVALID_PARAMS = -32602,
  RPC_SERVER_NOT_INITIALIZED = -32002,
};

typedef struct {
  char *uri, *path;
  /* Owned by the main thread, read by the worker under the lock. */
  char *text;
  size_t len;
  int version;      /* the client's version of text */
  unsigned long gen; /* bumped on every change of text */
  int closed;
  /* Owned by the worker. */
  unsigned long analysed_gen;
  lx_tu_doc *tu;
  lx_cmd cmd;
  int have_cmd;
  lx_tu_facts *facts;   /* of the text last analysed */
  char *facts_text;     /* that text */
  size_t facts_len;
  char *published;      /* the diagnostics last published (JSON), to skip repeats */
  int prepared;         /* the preamble was built */
  /* Written by the worker, read by the main thread, under the lock. */
  json_t *actions;      /* code actions of the published diagnostics */
} doc;

typedef LX_VEC(lx_tu_facts *) facts_vec;

/* Cached facts of the other translation units, from the findings database. */
typedef struct {
  char *path;
  struct timespec mtime, wal_mtime;
  facts_vec tus;
  unsigned long loads; /* how many times facts were read: a new set to prepare */
} db_facts;

typedef struct {
  int in_fd, out_fd, verbose;
  const char *db_option;
  char *root; /* the workspace folder, or NULL */
  pthread_mutex_t out_lock;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  LX_VEC(doc *) docs;
  int quit;
  int initialized, shut_down;
  const lx_frontend_api *fe; /* loaded before the worker starts: it parses in this process */
  /* The worker's. */
  void *index;
  lx_lsp_flags *flags;
  lx_config *cfg;
  char *cfg_path;
  struct timespec cfg_mtime;
  db_facts db;
  lx_partition_cache *parts; /* how the last evaluation's TUs split into programs */
  lx_memos *memos;           /* per-function memos of the facts evaluated (the database's, the buffers') */
} server;

/* ---- output ----------------------------------------------------------------------- */

static void send_msg(server *s, json_t *msg)
{
  json_object_set_new(msg, "jsonrpc", json_string("2.0"));
  char *body = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  if (!body)
    return;
  pthread_mutex_lock(&s->out_lock);
  lx_lsp_write(s->out_fd, body, strlen(body));
  pthread_mutex_unlock(&s->out_lock);
  free(body);
}

static void reply(server *s, json_t *id, json_t *result)
{
  send_msg(s, json_pack("{s:O,s:o}", "id", id ? id : json_null(), "result", result ? result : json_null()));
}

static void reply_error(server *s, json_t *id, int code, const char *message)
{
  send_msg(s, json_pack("{s:O,s:{s:i,s:s}}", "id", id ? id : json_null(), "error", "code", code, "message", message));
}

static void notify(server *s, const char *method, json_t *params)
{
  send_msg(s, json_pack("{s:s,s:o}", "method", method, "params", params));
}

/* A window/logMessage (type 1 error .. 4 log), and a line on stderr with -v. */
static void say(server *s, int type, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(server *s, int type, const char *fmt, ...)
{
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (s->verbose)
    fprintf(stderr, "leash lsp: %s\n", msg);
  if (type <= 3 || s->verbose)
    notify(s, "window/logMessage", json_pack("{s:i,s:s}", "type", type, "message", msg));
}

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- documents ---------------------------------------------------------------------- */

/* The open document of uri, or NULL.  Call with the lock held. */
static doc *find_doc(server *s, const char *uri)
{
  for (size_t i = 0; i < s->docs.n; i++)
    if (!strcmp(s->docs.v[i]->uri, uri))
      return s->docs.v[i];
  return NULL;
}

static void doc_free(doc *d)
{
  free(d->uri);
  free(d->path);
  free(d->text);
  if (d->tu)
    lx_frontend()->doc_free(d->tu);
  if (d->have_cmd)
    lx_cmd_free(&d->cmd);
  lx_facts_free(d->facts);
  free(d->facts_text);
  free(d->published);
  json_decref(d->actions);
  free(d);
}

static char *canonical_path(const char *uri)
{
  char *path = lx_lsp_path_from_uri(uri);
  char real[PATH_MAX];
  if (path && realpath(path, real)) {
    free(path);
    path = lx_xstrdup(real);
  }
  return path;
}

/* Sets d's text (the lock held) and wakes the worker. */
static void set_text(server *s, doc *d, const char *text, size_t len, int version)
{
  free(d->text);
  d->text = lx_xmalloc(len + 1);
  memcpy(d->text, text, len);
  d->text[len] = '\0';
  d->len = len;
  d->version = version;
  d->gen++;
  pthread_cond_signal(&s->wake);
}

static const char *text_document_uri(json_t *params)
{
  return json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
}

static void did_open(server *s, json_t *params)
{
  json_t *td = json_object_get(params, "textDocument");
  const char *uri = json_string_value(json_object_get(td, "uri"));
  json_t *text = json_object_get(td, "text");
  if (!uri || !json_is_string(text)) {
    say(s, 2, "didOpen without textDocument.uri and text: ignored");
    return;
  }
  char *path = canonical_path(uri);
  if (!path) {
    say(s, 3, "%s: not a file URI; leash analyses files only", uri);
    return;
  }
  pthread_mutex_lock(&s->lock);
  doc *d = find_doc(s, uri);
  if (!d) {
    d = lx_xcalloc(1, sizeof(*d));
    d->uri = lx_xstrdup(uri);
    d->path = path;
    path = NULL;
    lx_vec_push(&s->docs, d);
  }
  d->closed = 0;
  set_text(s, d, json_string_value(text), json_string_length(text),
           (int)json_integer_value(json_object_get(td, "version")));
  pthread_mutex_unlock(&s->lock);
  free(path);
}

static void did_change(server *s, json_t *params)
{
  const char *uri = text_document_uri(params);
  json_t *changes = json_object_get(params, "contentChanges");
  json_t *last = json_array_size(changes) ? json_array_get(changes, json_array_size(changes) - 1) : NULL;
  json_t *text = json_object_get(last, "text");
  if (!uri || !json_is_string(text) || json_object_get(last, "range")) {
    say(s, 2, "didChange: expected a full-text change (textDocumentSync is Full); ignored");
    return;
  }
  pthread_mutex_lock(&s->lock);
  doc *d = find_doc(s, uri);
  if (d && !d->closed)
    set_text(s, d, json_string_value(text), json_string_length(text),
             (int)json_integer_value(json_object_get(json_object_get(params, "textDocument"), "version")));
  pthread_mutex_unlock(&s->lock);
  if (!d)
    say(s, 2, "didChange for %s, which is not open: ignored", uri);
}

static void did_save(server *s, json_t *params)
{
  const char *uri = text_document_uri(params);
  json_t *text = json_object_get(params, "text");
  pthread_mutex_lock(&s->lock);
  doc *d = uri ? find_doc(s, uri) : NULL;
  if (d && !d->closed) {
    if (json_is_string(text) && (json_string_length(text) != d->len || memcmp(json_string_value(text), d->text, d->len)))
      set_text(s, d, json_string_value(text), json_string_length(text), d->version);
    else {
      d->gen++; /* headers or the database may have changed: analyse again */
      pthread_cond_signal(&s->wake);
    }
  }
  pthread_mutex_unlock(&s->lock);
}

static void did_close(server *s, json_t *params)
{
  const char *uri = text_document_uri(params);
  pthread_mutex_lock(&s->lock);
  doc *d = uri ? find_doc(s, uri) : NULL;
  if (d) {
    d->closed = 1;
    d->gen++;
    pthread_cond_signal(&s->wake);
  }
  pthread_mutex_unlock(&s->lock);
}

static int line_of(json_t *pos) { return (int)json_integer_value(json_object_get(pos, "line")); }

/* The actions of the diagnostics on the lines of the range asked for. */
static void code_action(server *s, json_t *id, json_t *params)
{
  const char *uri = text_document_uri(params);
  json_t *range = json_object_get(params, "range");
  if (!uri || !json_is_object(range)) {
    reply_error(s, id, RPC_INVALID_PARAMS, "codeAction needs textDocument.uri and range");
    return;
  }
  json_t *only = json_object_get(json_object_get(params, "context"), "only");
  int want = !json_is_array(only);
  for (size_t i = 0; i < json_array_size(only); i++) {
    const char *k = json_string_value(json_array_get(only, i));
    want |= k && (!strcmp(k, "quickfix") || !strcmp(k, ""));
  }
  int first = line_of(json_object_get(range, "start")), last = line_of(json_object_get(range, "end"));
  json_t *result = json_array();
  pthread_mutex_lock(&s->lock);
  doc *d = find_doc(s, uri);
  for (size_t i = 0; want && d && !d->closed && i < json_array_size(d->actions); i++) {
    json_t *e = json_array_get(d->actions, i);
    int line = (int)json_integer_value(json_object_get(e, "line"));
    if (line < first || line > last)
      continue;
    json_t *acts = json_object_get(e, "actions");
    for (size_t k = 0; k < json_array_size(acts); k++)
      json_array_append_new(result, json_deep_copy(json_array_get(acts, k)));
  }
  pthread_mutex_unlock(&s->lock);
  reply(s, id, result);
}

static json_t *capabilities(void)
{
  return json_pack("{s:{s:b,s:i,s:{s:b}},s:{s:[s]}}", "textDocumentSync", "openClose", 1, "change", 1, "save",
                   "includeText", 1, "codeActionProvider", "codeActionKinds", "quickfix");
}

static void initialize(server *s, json_t *id, json_t *params)
{
  const char *root_uri = json_string_value(json_object_get(params, "rootUri"));
  const char *root_path = json_string_value(json_object_get(params, "rootPath"));
  free(s->root);
  s->root = root_uri ? lx_lsp_path_from_uri(root_uri) : root_path ? lx_xstrdup(root_path) : NULL;
  const char *db = json_string_value(json_object_get(json_object_get(params, "initializationOptions"), "db"));
  if (db && !s->db_option)
    s->db_option = lx_xstrdup(db); /* lives as long as the process */
  json_t *caps = capabilities();
  s->initialized = 1;
  reply(s, id, json_pack("{s:o,s:{s:s,s:s}}", "capabilities", caps, "serverInfo", "name", "leash", "version",
                         LEASH_VERSION));
}

/* ---- the worker: analysis ------------------------------------------------------------ */

static int same_time(struct timespec a, struct timespec b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

/* The catalogue and the .leash.yaml above path, reread when that file changes. */
static const lx_config *config_for(server *s, const char *path)
{
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  char *found = lx_config_find(dir);
  struct stat st;
  struct timespec mt = {0, 0};
  if (found && stat(found, &st) == 0)
    mt = st.st_mtim;
  if (s->cfg && ((!found && !s->cfg_path) || (found && s->cfg_path && !strcmp(found, s->cfg_path) &&
                                               same_time(mt, s->cfg_mtime)))) {
    free(found);
    return s->cfg;
  }
  lx_config_free(s->cfg);
  free(s->cfg_path);
  s->cfg_path = found;
  s->cfg_mtime = mt;
  char err[1024];
  if (lx_rules_config(&s->cfg, err, sizeof(err)) < 0)
    say(s, 1, "%s", err);
  if (found && lx_config_load(s->cfg, found, 1, err, sizeof(err)) < 0) {
    say(s, 1, "%s (the file is ignored until it is fixed)", err);
    lx_config_free(s->cfg);
    lx_rules_config(&s->cfg, err, sizeof(err));
  } else if (found) {
    char real[PATH_MAX];
    if (realpath(found, real)) {
      char *sl = strrchr(real, '/');
      if (sl)
        *sl = '\0';
      s->cfg->root = lx_arena_strdup(&s->cfg->arena, real);
    }
  }
  return s->cfg;
}

/* The findings database for path: --db or initializationOptions.db, else
 * .leash/findings.db in path's folder or a parent, else in the workspace folder. */
static char *find_db(server *s, const char *path)
{
  if (s->db_option)
    return lx_xstrdup(s->db_option);
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", path);
  for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
    *slash = '\0';
    char cand[PATH_MAX + 32];
    snprintf(cand, sizeof(cand), "%s/.leash/findings.db", dir);
    if (access(cand, R_OK) == 0)
      return lx_xstrdup(cand);
  }
  if (s->root) {
    char cand[PATH_MAX + 32];
    snprintf(cand, sizeof(cand), "%s/.leash/findings.db", s->root);
    if (access(cand, R_OK) == 0)
      return lx_xstrdup(cand);
  }
  return NULL;
}

static void db_facts_clear(db_facts *f)
{
  for (size_t i = 0; i < f->tus.n; i++)
    lx_facts_free(f->tus.v[i]);
  lx_vec_free(&f->tus);
  free(f->path);
  memset(f, 0, sizeof(*f));
}

static struct timespec mtime_of(const char *path, const char *suffix)
{
  char p[PATH_MAX + 8];
  snprintf(p, sizeof(p), "%s%s", path, suffix);
  struct stat st;
  return stat(p, &st) == 0 ? st.st_mtim : (struct timespec){0, 0};
}

/* The cached facts of the latest analysis run in the database for path, reloaded
 * when the database changes. */
static const db_facts *program_facts(server *s, const char *path)
{
  char *dbp = find_db(s, path);
  if (!dbp) {
    db_facts_clear(&s->db);
    return &s->db;
  }
  struct timespec m = mtime_of(dbp, ""), w = mtime_of(dbp, "-wal");
  if (s->db.path && !strcmp(s->db.path, dbp) && same_time(m, s->db.mtime) && same_time(w, s->db.wal_mtime)) {
    free(dbp);
    return &s->db;
  }
  double t0 = now_ms();
  unsigned long loads = s->db.loads;
  db_facts_clear(&s->db);
  s->db.path = dbp;
  s->db.loads = loads + 1;
  /* The freshest view of the whole program: a commit or a run over some files since
   * the latest full run brings its files' facts, and takes none away. */
  char err[1024];
  lx_shard_tus view = {0};
  size_t unreadable = 0;
  if (lx_view_load(dbp, &view, &unreadable, err, sizeof(err)) < 0) {
    say(s, 2, "%s (program-wide facts come from the open files only)", err);
    return &s->db;
  }
  for (size_t i = 0; i < view.n; i++) {
    lx_vec_push(&s->db.tus, view.v[i].facts);
    view.v[i].facts = NULL;
  }
  lx_shard_tus_free(&view);
  /* Opening may have checkpointed the WAL into the file: the times to compare with
   * next are those after this reader closed it. */
  s->db.mtime = mtime_of(dbp, "");
  s->db.wal_mtime = mtime_of(dbp, "-wal");
  if (unreadable)
    say(s, 2, "%s: the facts of %zu translation unit(s) could not be read", dbp, unreadable);
  say(s, 4, "%s: facts of %zu translation unit(s), read in %.1f ms", dbp, s->db.tus.n, now_ms() - t0);
  return &s->db;
}

/* Program facts for evaluating d: its own, the other open documents', and the
 * database's for every other file.  Call with the lock held. */
static void gather(server *s, doc *d, const db_facts *dbf, facts_vec *out)
{
  lx_vec_push(out, d->facts);
  for (size_t i = 0; i < s->docs.n; i++)
    if (s->docs.v[i] != d && s->docs.v[i]->facts && !s->docs.v[i]->closed)
      lx_vec_push(out, s->docs.v[i]->facts);
  for (size_t i = 0; i < dbf->tus.n; i++) {
    const char *f = dbf->tus.v[i]->main_file;
    int open = 0;
    for (size_t k = 0; k < s->docs.n && !open; k++)
      open = f && !strcmp(f, s->docs.v[k]->path) && s->docs.v[k]->facts && !s->docs.v[k]->closed;
    if (!open)
      lx_vec_push(out, dbf->tus.v[i]);
  }
}

/* Runs the rules for d (whose facts are current) and publishes them unless a newer
 * text arrived meanwhile or nothing changed since the last publication. */
static void evaluate_publish(server *s, doc *d, int version, int force)
{
  double t0 = now_ms();
  const lx_config *cfg = config_for(s, d->path);
  double t1 = now_ms();
  const db_facts *dbf = program_facts(s, d->path);
  double t2 = now_ms();
  facts_vec tus = {0};
  pthread_mutex_lock(&s->lock);
  gather(s, d, dbf, &tus);
  pthread_mutex_unlock(&s->lock);
  lx_lsp_lines lines;
  lx_lsp_lines_init(&lines, d->facts_text, d->facts_len);
  lx_findings f;
  lx_findings_init(&f);
  if (!lx_config_excluded(cfg, d->path))
    lx_lsp_evaluate(tus.v, tus.n, cfg, d->path, &lines, &s->parts, s->memos, &f);
  double t3 = now_ms();
  say(s, 4, "%s: configuration %.1f ms, program facts %.1f ms, program of %zu TU(s) evaluated in %.1f ms", d->path,
      t1 - t0, t2 - t1, tus.n, t3 - t2);
  lx_vec_free(&tus);
  json_t *actions;
  json_t *params = lx_lsp_diagnostics(&f, d->path, d->uri, version, &lines, &actions);
  lx_findings_free(&f);
  lx_lsp_lines_free(&lines);
  char *text = json_dumps(json_object_get(params, "diagnostics"), JSON_COMPACT | JSON_SORT_KEYS);
  pthread_mutex_lock(&s->lock);
  int current = d->gen == d->analysed_gen && !d->closed;
  if (current) {
    json_decref(d->actions);
    d->actions = actions;
    actions = NULL;
  }
  pthread_mutex_unlock(&s->lock);
  json_decref(actions);
  /* Only this thread publishes, so a newer analysis is always published after. */
  if (current && (!d->published || strcmp(d->published, text) != 0 || force)) {
    notify(s, "textDocument/publishDiagnostics", params);
    params = NULL;
    free(d->published);
    d->published = text;
    text = NULL;
  }
  json_decref(params);
  free(text);
}

/* While a file is parsed, another thread reads the database's facts (when they
 * changed) and prepares them for building programs (lx_memos_prepare): on a
 * first diagnosis that takes as long as the parse.  Only the worker thread uses
 * s->db, and not while this runs. */
typedef struct {
  server *s;
  const char *path;
  pthread_t th;
  int started;
} prefetch;

static void *prefetch_main(void *arg)
{
  prefetch *pf = arg;
  unsigned long before = pf->s->db.loads;
  const db_facts *dbf = program_facts(pf->s, pf->path);
  if (dbf->loads != before) {
    double t0 = now_ms();
    lx_memos_prepare(pf->s->memos, dbf->tus.v, dbf->tus.n);
    say(pf->s, 4, "%s: prepared in %.1f ms", dbf->path ? dbf->path : "(no database)", now_ms() - t0);
  }
  return NULL;
}

/* Parses (or reparses) d's text of generation gen and publishes its findings. */
static void analyse_doc(server *s, doc *d, char *text, size_t len, int version, unsigned long gen)
{
  double t0 = now_ms();
  if (!d->have_cmd) {
    char err[1024];
    if (lx_lsp_flags_for(s->flags, d->path, &d->cmd, err, sizeof(err)) < 0)
      say(s, 1, "%s", err);
    d->have_cmd = 1;
    say(s, 4, "%s: flags from %s", d->path, d->cmd.how);
  }
  if (!s->index)
    s->index = s->fe->index_new();
  prefetch pf = {.s = s, .path = d->path};
  pf.started = pthread_create(&pf.th, NULL, prefetch_main, &pf) == 0;
  lx_tu_facts *facts = NULL;
  lx_tu_status st = s->fe->doc_analyse(s->index, &d->tu, &d->cmd, text, len, &facts);
  double t1 = now_ms();
  if (pf.started)
    pthread_join(pf.th, NULL);
  if (st == LX_TU_FAILED || !facts) {
    d->prepared = 0;
    say(s, 1, "%s: libclang could not parse this file", d->path);
    free(text);
    return;
  }
  pthread_mutex_lock(&s->lock);
  lx_tu_facts *old = d->facts; /* freed once the new findings are out */
  d->facts = facts;
  pthread_mutex_unlock(&s->lock);
  free(d->facts_text);
  d->facts_text = text;
  d->facts_len = len;
  d->analysed_gen = gen;
  evaluate_publish(s, d, version, 1);
  lx_facts_free(old);
  lx_memos_sweep(s->memos); /* the memos of the facts just replaced go */
  say(s, 4, "%s: version %d: parsed in %.1f ms, diagnosed in %.1f ms%s", d->path, version, t1 - t0, now_ms() - t0,
      st == LX_TU_ERRORS ? " (with errors)" : s->fe->doc_reused(d->tu) ? " (one function body re-extracted)" : "");
}

/* After d changed, the other open documents' findings may have too (a timeout set
 * in one file bounds a call in another): evaluate them again, without parsing. */
static void refresh_others(server *s, doc *d)
{
  for (size_t i = 0;; i++) {
    pthread_mutex_lock(&s->lock);
    doc *o = i < s->docs.n ? s->docs.v[i] : NULL;
    int fresh = o && o != d && o->facts && !o->closed && o->gen == o->analysed_gen;
    int version = o ? o->version : 0;
    int busy = 0;
    for (size_t k = 0; k < s->docs.n && !busy; k++)
      busy = s->docs.v[k]->gen != s->docs.v[k]->analysed_gen;
    pthread_mutex_unlock(&s->lock);
    if (!o || busy)
      return;
    if (fresh)
      evaluate_publish(s, o, version, 0);
  }
}

/* Removes closed document d (the lock held, released meanwhile) and clears its
 * diagnostics. */
static void drop_doc(server *s, doc *d)
{
  for (size_t i = 0; i < s->docs.n; i++)
    if (s->docs.v[i] == d) {
      s->docs.v[i] = s->docs.v[--s->docs.n];
      break;
    }
  pthread_mutex_unlock(&s->lock);
  notify(s, "textDocument/publishDiagnostics", json_pack("{s:s,s:[]}", "uri", d->uri, "diagnostics"));
  doc_free(d);
  pthread_mutex_lock(&s->lock);
}

/* When no document waits for analysis, builds the preamble of those that have none
 * yet, so that the first edit is as fast as the next ones (the lock held, released
 * meanwhile). */
static void prepare_idle(server *s)
{
  for (size_t i = 0; i < s->docs.n; i++) {
    for (size_t k = 0; k < s->docs.n; k++)
      if (s->docs.v[k]->gen != s->docs.v[k]->analysed_gen)
        return;
    doc *d = s->docs.v[i];
    if (d->prepared || !d->tu || !d->facts_text)
      continue;
    d->prepared = 1;
    pthread_mutex_unlock(&s->lock);
    double t0 = now_ms();
    int rc = s->fe->doc_prepare(d->tu, &d->cmd, d->facts_text, d->facts_len);
    say(s, 4, "%s: preamble %s in %.1f ms", d->path, rc == 0 ? "built" : "failed", now_ms() - t0);
    pthread_mutex_lock(&s->lock);
  }
}

static void *worker(void *arg)
{
  server *s = arg;
  pthread_mutex_lock(&s->lock);
  while (!s->quit) {
    doc *d = NULL;
    for (size_t i = 0; i < s->docs.n && !d; i++)
      if (s->docs.v[i]->gen != s->docs.v[i]->analysed_gen)
        d = s->docs.v[i];
    if (!d) {
      pthread_cond_wait(&s->wake, &s->lock);
      continue;
    }
    if (d->closed) {
      drop_doc(s, d);
      continue;
    }
    unsigned long gen = d->gen;
    int version = d->version;
    size_t len = d->len;
    char *text = lx_xmalloc(len + 1);
    memcpy(text, d->text, len + 1);
    pthread_mutex_unlock(&s->lock);
    analyse_doc(s, d, text, len, version, gen);
    refresh_others(s, d);
    pthread_mutex_lock(&s->lock);
    prepare_idle(s);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

/* ---- the main loop --------------------------------------------------------------------- */

static int is_valid_id(json_t *id) { return json_is_string(id) || json_is_integer(id); }

/* Handles one message; returns 1 when the server should stop (exit). */
static int handle(server *s, const char *body, size_t len)
{
  json_error_t jerr;
  json_t *msg = json_loadb(body, len, 0, &jerr);
  if (!msg) {
    char why[256];
    snprintf(why, sizeof(why), "Parse error: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
    reply_error(s, NULL, RPC_PARSE_ERROR, why);
    return 0;
  }
  json_t *id = json_object_get(msg, "id");
  json_t *m = json_object_get(msg, "method");
  const char *method = json_string_value(m);
  json_t *params = json_object_get(msg, "params");
  int stop = 0;
  if (!json_is_object(msg) || (id && !is_valid_id(id) && !json_is_null(id))) {
    reply_error(s, is_valid_id(id) ? id : NULL, RPC_INVALID_REQUEST, "Invalid Request: not a JSON-RPC message");
  } else if (!m) {
    /* A response to a request of ours (we send none) or a malformed message. */
    if (!json_object_get(msg, "result") && !json_object_get(msg, "error"))
      reply_error(s, id, RPC_INVALID_REQUEST, "Invalid Request: no method");
  } else if (!method) {
    reply_error(s, id, RPC_INVALID_REQUEST, "Invalid Request: method is not a string");
  } else if (!strcmp(method, "exit")) {
    stop = 1;
  } else if (!strcmp(method, "initialize") && id) {
    if (s->initialized)
      reply_error(s, id, RPC_INVALID_REQUEST, "initialize was already received");
    else
      initialize(s, id, params);
  } else if (!s->initialized) {
    if (id)
      reply_error(s, id, RPC_SERVER_NOT_INITIALIZED, "the server is not initialized yet");
  } else if (!strcmp(method, "shutdown") && id) {
    s->shut_down = 1;
    reply(s, id, json_null());
  } else if (s->shut_down) {
    if (id)
      reply_error(s, id, RPC_INVALID_REQUEST, "the server is shut down; only exit is accepted");
  } else if (!strcmp(method, "textDocument/codeAction") && id) {
    code_action(s, id, params);
  } else if (id) {
    char why[300];
    snprintf(why, sizeof(why), "Method not found: %.200s", method);
    reply_error(s, id, RPC_METHOD_NOT_FOUND, why);
  } else if (!strcmp(method, "textDocument/didOpen")) {
    did_open(s, params);
  } else if (!strcmp(method, "textDocument/didChange")) {
    did_change(s, params);
  } else if (!strcmp(method, "textDocument/didSave")) {
    did_save(s, params);
  } else if (!strcmp(method, "textDocument/didClose")) {
    did_close(s, params);
  } /* other notifications (initialized, $/cancelRequest, $/setTrace...) need nothing */
  json_decref(msg);
  return stop;
}

int lx_lsp_serve(int in_fd, int out_fd, const char *db_path, int verbose)
{
  server s;
  memset(&s, 0, sizeof(s));
  s.in_fd = in_fd;
  s.out_fd = out_fd;
  s.verbose = verbose;
  s.db_option = db_path;
  s.flags = lx_lsp_flags_new();
  s.memos = lx_memos_new();
  /* Loaded here, before any thread: the compilation databases are then read in this
   * process too (compdb_load.c forks a reader only where the front end is not loaded). */
  s.fe = lx_frontend();
  pthread_mutex_init(&s.out_lock, NULL);
  pthread_mutex_init(&s.lock, NULL);
  pthread_cond_init(&s.wake, NULL);
  pthread_t th;
  if (pthread_create(&th, NULL, worker, &s) != 0) {
    fprintf(stderr, "leash lsp: cannot start the analysis thread\n");
    return 1;
  }
  lx_lsp_frames fr;
  lx_lsp_frames_init(&fr);
  char buf[65536];
  int stop = 0;
  while (!stop) {
    ssize_t n = read(in_fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    lx_lsp_frames_feed(&fr, buf, (size_t)n);
    for (;;) {
      char *body, err[256];
      size_t len;
      int r = lx_lsp_frames_next(&fr, &body, &len, err, sizeof(err));
      if (r == 0)
        break;
      if (r < 0) {
        reply_error(&s, NULL, RPC_PARSE_ERROR, err);
        continue;
      }
      stop = handle(&s, body, len);
      free(body);
      if (stop)
        break;
    }
  }
  lx_lsp_frames_free(&fr);
  pthread_mutex_lock(&s.lock);
  s.quit = 1;
  pthread_cond_signal(&s.wake);
  pthread_mutex_unlock(&s.lock);
  pthread_join(th, NULL);
  for (size_t i = 0; i < s.docs.n; i++)
    doc_free(s.docs.v[i]);
  lx_vec_free(&s.docs);
  if (s.index)
    s.fe->index_free(s.index);
  lx_lsp_flags_free(s.flags);
  lx_config_free(s.cfg);
  free(s.cfg_path);
  db_facts_clear(&s.db);
  lx_partition_cache_free(s.parts);
  lx_memos_free(s.memos);
  free(s.root);
  if (s.db_option && s.db_option != db_path)
    free((char *)s.db_option);
  pthread_cond_destroy(&s.wake);
  pthread_mutex_destroy(&s.lock);
  pthread_mutex_destroy(&s.out_lock);
  return stop && s.shut_down ? 0 : 1;
}

int lx_lsp_main(int argc, char **argv)
{
  static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                           {"verbose", no_argument, NULL, 'v'},
                                           {"help", no_argument, NULL, 'h'},
                                           {"stdio", no_argument, NULL, 's'},
                                           {NULL, 0, NULL, 0}};
  const char *db = NULL;
  int verbose = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
    switch (c) {
    case 'd':
      db = optarg;
      break;
    case 'v':
      verbose = 1;
      break;
    case 's':
      break;
    case 'h':
      puts("usage: leash lsp [--db FILE] [-v]\n"
           "Language Server Protocol 3.17 on stdin/stdout, to run beside clangd.\n"
           "  --db FILE   findings database with the other files' facts (default: .leash/findings.db\n"
           "              found upwards from each file, or in the workspace folder)\n"
           "  -v          log each analysis to stderr and to the client's log");
      return 0;
    default:
      return lx_option_error("lsp", c, argv);
    }
  }
  if (optind < argc) {
    fprintf(stderr, "leash: lsp: unexpected argument '%s'\n", argv[optind]);
    return 2;
  }
  return lx_lsp_serve(0, 1, db, verbose);
}
