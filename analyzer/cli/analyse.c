/* analyse.c - the facts of every job: from the cache when its key is there, else parsed in
 * workers (-j, --timeout), each TU recorded; then handed to the program in job order. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check_internal.h"
#include "facts/facts_bin.h"
#include "frontend/jobs.h"

void lx_check_note_failure(run *r, const char *file, const char *diag, int errors)
{
  char first[512] = "";
  if (diag)
    sscanf(diag, "%511[^\n]", first);
  lx_notification n = {lx_arena_strdup(&r->arena, file),
                       first[0] ? lx_arena_printf(&r->arena, "translation unit not fully analysed (%d error(s)); "
                                                  "first: %s", errors, first)
                                : "translation unit could not be analysed",
                       LX_SEV_ERROR};
  lx_vec_push(&r->notes, n);
  r->tu_failed++;
}

/* The digest of encoded facts: what makes two TUs' facts the same. */
static void digest_of(const unsigned char *bytes, size_t n, char out[17])
{
  snprintf(out, 17, "%016llx", (unsigned long long)lx_hash64_fast(bytes, n, 0x6661637473ULL));
}

/* Records the TU and, when freshly parsed without errors, its encoded facts for the
 * cache (bytes, with their digest). */
static int record_tu(run *r, const lx_cmd *c, const char *key, const char *hash, const char *status,
                     const lx_tu_facts *f, int fresh, const unsigned char *bytes, size_t nbytes, const char *digest)
{
  if (!r->db)
    return 0;
  int store = fresh && f && bytes && key[0] && !strcmp(status, "ok");
  char flags[17];
  lx_flags_hash(c, flags);
  lx_db_tu tu = {c->file, hash[0] ? hash : NULL, status, f ? f->parse_errors : 0,
                 key[0] && (store || !fresh) ? key : NULL, store ? bytes : NULL, store ? nbytes : 0, flags,
                 digest};
  int rc = lx_db_tu_record(r->db, r->run_id, &tu);
  return rc < 0 ? lx_check_db_error(r) : 0;
}

/* State of one lx_check_analyse(): what each job gave, and the cache keys of the fresh ones. */
typedef struct {
  run *r;
  char (*hashes)[17];
  size_t done;
  int rc;
  lx_jobs *jobs; /* the workers, once a TU needs parsing */
} analysis;

/* The diagnostics of a TU with each line's path shown as findings show it (relative to
 * the current folder when below it); malloc'd. */
static char *display_diag(const run *r, const char *diag)
{
  size_t n = strlen(diag);
  char *out = lx_xmalloc(n + 1), *w = out;
  for (const char *p = diag; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p + 1) : strlen(p);
    const char *colon = memchr(p, ':', len);
    const char *from = p;
    if (colon && p[0] == '/') {
      char path[PATH_MAX];
      size_t pl = (size_t)(colon - p);
      if (pl < sizeof(path)) {
        memcpy(path, p, pl);
        path[pl] = '\0';
        from = p + (lx_display_path(path, r->root) - path);
      }
    }
    memcpy(w, from, len - (size_t)(from - p));
    w += len - (size_t)(from - p);
    p += len;
  }
  *w = '\0';
  return out;
}

/* A freshly analysed TU: its diagnostics, its failure if any, its record. */
static void tu_done(void *arg, size_t k, lx_tu_status st, lx_tu_facts *f, const char *diag,
                    const unsigned char *bytes, size_t nbytes)
{
  analysis *a = arg;
  run *r = a->r;
  size_t i = k;
  const lx_cmd *c = &r->jobs.v[i];
  a->done++;
  if (r->o->verbose)
    fprintf(stderr, "leash: [%zu/%zu] %s\n", a->done, r->jobs.n, c->file);
  char *shown = display_diag(r, diag);
  if (shown[0] && !r->o->quiet)
    fputs(shown, stderr);
  if (st != LX_TU_OK && !(r->o->pre_commit && i >= r->ngiven))
    lx_check_note_failure(r, c->file, shown, f ? f->parse_errors : 1);
  free(shown);
  const char *status = st == LX_TU_OK ? "ok" : st == LX_TU_ERRORS ? "errors" : "failed";
  unsigned char *mine = NULL;
  if (f && !bytes) /* analysed in this process */
    bytes = mine = lx_facts_encode(f, &nbytes);
  /* Kept for the program decoded into the pool, as cached facts are: strings and header
   * bodies that other TUs have too are held once. */
  const char *why = NULL;
  lx_tu_facts *pooled = f && r->pool ? lx_facts_decode_pooled(bytes, nbytes, r->pool, &why) : NULL;
  if (pooled) {
    pooled->parse_errors = f->parse_errors;
    lx_facts_free(f);
    f = pooled;
  }
  r->tu_digests[i][0] = '\0';
  if (f)
    digest_of(bytes, nbytes, r->tu_digests[i]);
  if (a->rc == 0)
    a->rc = record_tu(r, c, r->tu_keys[i], a->hashes[i], status, f, 1, bytes, nbytes, r->tu_digests[i]);
  free(mine);
  r->tu_facts[i] = f;
  r->tu_cached[i] = 0;
}

/* Starts analysing job i in a worker (-j, --timeout); it is recorded in its own
 * transaction when it finishes (tu_done). */
static void analyse_job(analysis *a, size_t i)
{
  if (!a->jobs)
    a->jobs = lx_jobs_begin(a->r->jobs.v, a->r->o->jobs, a->r->o->timeout_s, tu_done, a);
  lx_jobs_add(a->jobs, i);
}

/* Waits for the jobs analyse_job started. */
static int analysed(analysis *a)
{
  if (a->jobs) {
    lx_jobs_end(a->jobs);
    a->jobs = NULL;
  }
  return a->rc;
}

/* Analyses every job whose facts are not cached, each started as soon as its key is
 * known not to be cached (parsing overlaps the keys still to compute).  Cached facts
 * are only looked up here (their digest); lx_check_load_facts() reads them when the program
 * must be built. */
int lx_check_analyse(run *r)
{
  size_t n = r->jobs.n;
  r->tu_facts = lx_xcalloc(n ? n : 1, sizeof(lx_tu_facts *));
  r->tu_cached = lx_xcalloc(n ? n : 1, 1);
  r->tu_keys = lx_xcalloc(n ? n : 1, 33);
  r->tu_digests = lx_xcalloc(n ? n : 1, 17);
  analysis a = {r, lx_xcalloc(n ? n : 1, 17), 0, 0, NULL};
  lx_cache_snapshot(); /* the sources as they are now, read once for every key */
  if (r->db)
    lx_check_use_stamps(r);
  if (r->db && lx_db_batch_begin(r->db) < 0) /* the cached TUs' records, all at once */
    a.rc = lx_check_db_error(r);
  signed char *keyed = lx_xcalloc(n ? n : 1, 1);
  size_t *order = lx_check_work_order(r, a.hashes, keyed);
  for (size_t k = 0; k < n && a.rc == 0; k++) {
    size_t i = order[k];
    const lx_cmd *c = &r->jobs.v[i];
    if (r->db && !keyed[i])
      keyed[i] = lx_cache_key(c, r->facts_version, r->tu_keys[i], a.hashes[i], NULL) == 0 ? 1 : -1;
    if (!r->db || keyed[i] < 0)
      r->tu_keys[i][0] = a.hashes[i][0] = '\0';
    if (!r->tu_keys[i][0] || !lx_db_facts_digest(r->db, r->tu_keys[i], r->tu_digests[i])) {
      analyse_job(&a, i);
      continue;
    }
    a.done++;
    if (r->o->verbose)
      fprintf(stderr, "leash: [%zu/%zu] %s (cached)\n", a.done, n, c->file);
    a.rc = record_tu(r, c, r->tu_keys[i], a.hashes[i], "cached", NULL, 0, NULL, 0, NULL);
    r->tu_cached[i] = 1;
  }
  if (r->db && a.rc == 0) {
    lx_cache_new_stamps(lx_check_put_stamp, r);
    /* Every TU of the compilation database was looked at: a stamp no key met is of a
     * file nothing includes any more (or gone), and is dropped. */
    if (r->whole && !r->o->shard_n && !r->o->pre_commit)
      lx_cache_unused_stamps(lx_check_drop_stamp, r);
    if (r->stamp_failed)
      a.rc = lx_check_db_error(r);
  }
  if (r->db && lx_db_batch_end(r->db) < 0 && a.rc == 0)
    a.rc = lx_check_db_error(r);
  analysed(&a);
  free(order);
  free(keyed);
  free(a.hashes);
  return a.rc;
}

/* Reads the cached facts lx_check_analyse() left in the database, analysing again any that
 * cannot be decoded, and hands every job's facts to the program, in job order (so
 * that it does not depend on which worker finished first). */
int lx_check_load_facts(run *r)
{
  size_t n = r->jobs.n, nbad = 0;
  size_t *bad = lx_xcalloc(n ? n : 1, sizeof(size_t));
  for (size_t i = 0; i < n; i++) {
    if (!r->tu_cached || !r->tu_cached[i])
      continue;
    size_t len = 0;
    void *bytes = lx_db_facts_get(r->db, r->tu_keys[i], &len);
    const char *err = NULL;
    r->tu_facts[i] = bytes ? lx_facts_decode_pooled(bytes, len, r->pool, &err) : NULL;
    free(bytes);
    r->tu_cached[i] = 0;
    if (!r->tu_facts[i])
      bad[nbad++] = i;
  }
  /* Parsed again, their facts replace the unreadable ones under the same key. */
  analysis a = {r, lx_xcalloc(n ? n : 1, 17), n - nbad, 0, NULL};
  for (size_t k = 0; k < nbad; k++) {
    size_t i = bad[k];
    lx_cache_key(&r->jobs.v[i], r->facts_version, r->tu_keys[i], a.hashes[i], NULL);
    analyse_job(&a, i);
  }
  analysed(&a);
  for (size_t i = 0; i < n; i++)
    if (r->tu_facts && r->tu_facts[i]) {
      lx_vec_push(&r->facts, r->tu_facts[i]);
      r->tu_facts[i] = NULL;
    }
  free(bad);
  free(a.hashes);
  return a.rc;
}
