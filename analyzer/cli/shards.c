/* shards.c - `leash merge` in a run: the shards' translation units read, recorded in the output
 * database, and their facts taken for the program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check_internal.h"

/* `leash merge`: reads every shard's TUs, before anything is written. */
int lx_check_read_shards(run *r)
{
  char err[1024];
  if (lx_shards_load(r->o->merge_inputs, r->o->nmerge, r->pool, &r->shards, r->project, err, sizeof(err)) < 0)
    return lx_check_usage_error("%s%s", err, "");
  return 0;
}

/* The encoded facts of t, which lx_shards_load decoded but did not keep: read again
 * from the shard's database (opened on first need, into src[]), or NULL with an error
 * said.  A shard database is only read. */
static unsigned char *shard_bytes(run *r, lx_db **src, const lx_shard_tu *t, size_t *len)
{
  const char *path = r->o->merge_inputs[t->source];
  char err[1024];
  if (!src[t->source] && lx_db_open(path, LX_DB_READONLY, &src[t->source], err, sizeof(err)) < 0) {
    fprintf(stderr, "leash: %s\n", err);
    return NULL;
  }
  unsigned char *bytes = lx_db_facts_get(src[t->source], t->facts_key, len);
  if (!bytes)
    fprintf(stderr, "leash: %s: the facts of %s are gone from the database (pruned by another run?)\n", path,
            t->path);
  return bytes;
}

/* Takes the shards' facts, and records their TUs in the output database. */
int lx_check_record_shards(run *r)
{
  int rc = 0;
  lx_db **src = lx_xcalloc((size_t)(r->o->nmerge > 0 ? r->o->nmerge : 1), sizeof(*src));
  for (size_t i = 0; i < r->shards.n && rc == 0; i++) {
    lx_shard_tu *t = &r->shards.v[i];
    if (!t->facts || (strcmp(t->status, "ok") && strcmp(t->status, "cached"))) /* cached: ok facts reused */
      lx_check_note_failure(r, t->path, NULL, t->parse_errors);
    if (r->db && t->facts && !t->bytes && !(t->bytes = shard_bytes(r, src, t, &t->nbytes))) {
      rc = LX_EXIT_USAGE;
      break;
    }
    lx_db_tu tu = {t->path, t->content_hash, t->status, t->parse_errors, t->facts_key, t->bytes, t->nbytes,
                   t->flags_hash, t->digest};
    if (r->db && lx_db_tu_record(r->db, r->run_id, &tu) < 0)
      rc = lx_check_db_error(r);
    free(t->bytes); /* recorded: the decoded facts are what the program needs */
    t->bytes = NULL;
    t->nbytes = 0;
    if (t->facts) {
      lx_vec_push(&r->facts, t->facts);
      t->facts = NULL;
    }
  }
  for (int i = 0; i < r->o->nmerge; i++)
    lx_db_close(src[i]);
  free(src);
  if (r->o->verbose)
    fprintf(stderr, "leash: merged %zu translation unit(s) from %d database(s)\n", r->shards.n, r->o->nmerge);
  return rc;
}
