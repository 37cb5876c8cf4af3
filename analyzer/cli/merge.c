/* merge.c - gathers the translation units, with their facts, that shard runs stored
 * in their findings databases, checking that the shards make a whole. */
#include "cli/merge.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/store/db.h"
#include "cache/cache.h"
#include "facts/facts_bin.h"
#include "facts/facts_pool.h"

typedef struct {
  lx_shard_tus *out;
  lx_facts_pool *pool;
  lx_map *seen;
  int source;
  const char *db;
  char *err;
  size_t errlen;
} load_ctx;

static char *dup_or_null(const char *s) { return s ? lx_xstrdup(s) : NULL; }

static int take_tu(const lx_db_tu *tu, void *arg)
{
  load_ctx *c = arg;
  char id[PATH_MAX + 32];
  snprintf(id, sizeof(id), "%s\n%s", tu->path, tu->flags_hash ? tu->flags_hash : "");
  if (lx_map_get(c->seen, id))
    return 0;
  lx_map_put(c->seen, id, (void *)1);
  lx_shard_tu t;
  memset(&t, 0, sizeof(t));
  if (tu->facts) {
    const char *why = NULL;
    t.facts = c->pool ? lx_facts_decode_pooled(tu->facts, tu->facts_len, c->pool, &why)
                      : lx_facts_decode(tu->facts, tu->facts_len, &why);
    if (!t.facts) {
      snprintf(c->err, c->errlen, "%s: cached facts of %s are unreadable: %s", c->db, tu->path, why);
      return -1;
    }
  } else if (strcmp(tu->status, "failed") != 0) {
    snprintf(c->err, c->errlen, "%s: the facts of %s are missing from the database", c->db, tu->path);
    return -1;
  }
  t.path = lx_xstrdup(tu->path);
  t.content_hash = dup_or_null(tu->content_hash);
  t.status = lx_xstrdup(tu->status);
  t.facts_key = dup_or_null(tu->facts_key);
  t.flags_hash = dup_or_null(tu->flags_hash);
  t.parse_errors = tu->parse_errors;
  t.digest = dup_or_null(tu->digest);
  t.source = c->source;
  if (tu->facts && !tu->facts_key) { /* no key to read them again by: kept */
    t.bytes = lx_xmalloc(tu->facts_len ? tu->facts_len : 1);
    memcpy(t.bytes, tu->facts, tu->facts_len);
    t.nbytes = tu->facts_len;
  }
  lx_vec_push(c->out, t);
  return 0;
}

/* Every K of 1..N given exactly once, all with the same N. */
static int check_shards(const char *const *dbs, int n, char (*shards)[32], char *err, size_t errlen)
{
  int total = 0;
  for (int i = 0; i < n; i++) {
    int k, m;
    if (!shards[i][0])
      continue;
    if (lx_shard_parse(shards[i], &k, &m) < 0 || (total && m != total)) {
      snprintf(err, errlen, "%s: shard %s does not belong with shards of %d", dbs[i], shards[i], total);
      return -1;
    }
    total = m;
  }
  for (int want = 1; want <= total; want++) {
    int found = 0;
    for (int i = 0; i < n; i++) {
      int k, m;
      if (shards[i][0] && lx_shard_parse(shards[i], &k, &m) == 0 && k == want) {
        if (found) {
          snprintf(err, errlen, "%s: shard %d/%d is given twice", dbs[i], want, total);
          return -1;
        }
        found = 1;
      }
    }
    if (!found) {
      snprintf(err, errlen, "shard %d/%d is missing: give the databases of all %d shards", want, total, total);
      return -1;
    }
  }
  return 0;
}

int lx_shards_load(const char *const *dbs, int n, lx_facts_pool *pool, lx_shard_tus *out,
                   char root[PATH_MAX], char *err, size_t errlen)
{
  root[0] = '\0';
  char (*shards)[32] = lx_xcalloc((size_t)n, sizeof(*shards));
  err[0] = '\0';
  lx_map seen;
  lx_map_init(&seen);
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    lx_db *db;
    if (lx_db_open(dbs[i], LX_DB_READONLY, &db, err, errlen) < 0) {
      rc = -1;
      break;
    }
    char this_root[PATH_MAX];
    int64_t run = lx_db_latest_analysis(db, shards[i], sizeof(shards[i]), this_root, sizeof(this_root));
    if (run > 0 && root[0] && strcmp(root, this_root)) {
      snprintf(err, errlen, "%s: a run of the project at %s, the others are of %s", dbs[i], this_root, root);
      rc = -1;
    } else if (run <= 0) {
      snprintf(err, errlen, "%s", run < 0 ? lx_db_error(db) : "");
      if (run == 0)
        snprintf(err, errlen, "%s: no complete `leash check` run in this database", dbs[i]);
      rc = -1;
    } else {
      if (!root[0])
        snprintf(root, PATH_MAX, "%s", this_root);
      load_ctx c = {out, pool, &seen, i, dbs[i], err, errlen};
      rc = lx_db_run_tus(db, run, take_tu, &c);
      if (rc > 0 || (rc < 0 && !err[0]))
        snprintf(err, errlen, "%s", lx_db_error(db));
      rc = rc ? -1 : 0;
    }
    lx_db_close(db);
  }
  if (rc == 0)
    rc = check_shards(dbs, n, shards, err, errlen);
  lx_map_free(&seen);
  free(shards);
  if (rc < 0)
    lx_shard_tus_free(out);
  return rc;
}

static void shard_tu_free(lx_shard_tu *s)
{
  free(s->path);
  free(s->content_hash);
  free(s->status);
  free(s->facts_key);
  free(s->flags_hash);
  free(s->bytes);
  free(s->digest);
  lx_facts_free(s->facts);
  memset(s, 0, sizeof(*s));
}

void lx_shard_tus_free(lx_shard_tus *t)
{
  for (size_t i = 0; i < t->n; i++)
    shard_tu_free(&t->v[i]);
  lx_vec_free(t);
}

/* ---- the freshest view, for runs over some files ------------------------------------ */

typedef struct {
  lx_shard_tus *out;
  char path[PATH_MAX];
  char hash[17];      /* the file's contents now; "" when it is gone */
  lx_shard_tu pick;   /* the record chosen for path so far (path NULL: none) */
  int exact;          /* its contents are the file's now */
} view_ctx;

static void view_flush(view_ctx *c)
{
  if (c->pick.path)
    lx_vec_push(c->out, c->pick);
  memset(&c->pick, 0, sizeof(c->pick));
  c->exact = 0;
}

static int take_view_tu(const lx_db_tu *tu, int64_t run, void *arg)
{
  (void)run;
  view_ctx *c = arg;
  if (strcmp(c->path, tu->path) != 0) {
    view_flush(c);
    snprintf(c->path, sizeof(c->path), "%s", tu->path);
    if (lx_cache_file_hash(tu->path, c->hash) < 0)
      c->hash[0] = '\0';
  }
  if (!c->hash[0] || !tu->digest || !tu->facts_key || c->exact)
    return 0; /* gone, no facts cached, or the newest facts of the file as it is taken */
  int exact = tu->content_hash && !strcmp(tu->content_hash, c->hash);
  if (c->pick.path && !exact)
    return 0; /* an older record of other contents than the newest */
  shard_tu_free(&c->pick);
  lx_shard_tu t;
  memset(&t, 0, sizeof(t));
  t.path = lx_xstrdup(tu->path);
  t.content_hash = dup_or_null(tu->content_hash);
  t.status = lx_xstrdup(tu->status);
  t.facts_key = lx_xstrdup(tu->facts_key);
  t.flags_hash = dup_or_null(tu->flags_hash);
  t.digest = lx_xstrdup(tu->digest);
  t.parse_errors = tu->parse_errors;
  c->pick = t;
  c->exact = exact;
  return 0;
}

int lx_view_load(const char *db_path, lx_shard_tus *out, size_t *unreadable, char *err, size_t errlen)
{
  lx_db *db;
  *unreadable = 0;
  err[0] = '\0';
  if (lx_db_open(db_path, LX_DB_READONLY, &db, err, errlen) < 0)
    return -1;
  view_ctx c;
  memset(&c, 0, sizeof(c));
  c.out = out;
  int rc = lx_db_view_tus(db, take_view_tu, &c);
  view_flush(&c);
  if (rc != 0)
    snprintf(err, errlen, "%s", lx_db_error(db));
  size_t w = 0;
  for (size_t i = 0; rc == 0 && i < out->n; i++) {
    lx_shard_tu *t = &out->v[i];
    size_t len = 0;
    t->bytes = lx_db_facts_get(db, t->facts_key, &len);
    t->nbytes = len;
    const char *why = NULL;
    t->facts = t->bytes ? lx_facts_decode(t->bytes, len, &why) : NULL;
    if (t->facts) {
      out->v[w++] = *t;
      continue;
    }
    (*unreadable)++; /* pruned meanwhile by another run, or unreadable: left out */
    shard_tu_free(t);
  }
  if (rc == 0)
    out->n = w;
  lx_db_close(db);
  if (rc != 0)
    lx_shard_tus_free(out);
  return rc == 0 ? 0 : -1;
}
