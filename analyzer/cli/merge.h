/* merge.h - reading the facts that `leash check --shard K/N` runs recorded in their
 * databases, for `leash merge`. */
#ifndef LX_MERGE_H
#define LX_MERGE_H

#include <limits.h>

#include "facts/facts.h"

/* One translation unit of a shard. */
typedef struct {
  char *path, *content_hash, *status, *facts_key, *flags_hash, *digest;
  int parse_errors;
  /* The encoded facts (facts_bin.c), NULL when the TU could not be analysed, or, from
   * lx_shards_load, not kept: read again from database `source` by facts_key when
   * recorded (all of a large program's would be held beside their decoded facts). */
  unsigned char *bytes;
  size_t nbytes;
  int source;
  lx_tu_facts *facts;   /* bytes decoded, or NULL */
} lx_shard_tu;

typedef LX_VEC(lx_shard_tu) lx_shard_tus;

/* Loads the TUs of the latest analysis run of each database in dbs.  A TU (path and
 * flags) present in several databases is taken once (from the first).  Sharded runs must all be of the
 * same N and cover every K from 1 to N, of one project: its root (which findings'
 * paths and fingerprints are relative to) is copied to root.  Returns 0, or -1 with a
 * one-line message naming the file in err (not a database, no run, a shard missing,
 * facts unreadable, shards of different projects).  With a pool (facts_pool.h; may be
 * NULL), the facts are decoded into it: free them (lx_shard_tus_free) before it. */
struct lx_facts_pool;
int lx_shards_load(const char *const *dbs, int n, struct lx_facts_pool *pool, lx_shard_tus *out,
                   char root[PATH_MAX], char *err, size_t errlen);
void lx_shard_tus_free(lx_shard_tus *t);

/* For a run over some files (--pre-commit, the editor): the rest of the program as
 * the findings database at db_path knows it freshest (lx_db_view_tus): per TU, the
 * newest facts recorded for the file as it is now, else the newest recorded (a file
 * that changed and that no run analysed since); files that are gone are left out.
 * *unreadable gets how many TUs were left out because their facts could not be read.
 * Returns 0, or -1 with a one-line message naming the file in err. */
int lx_view_load(const char *db_path, lx_shard_tus *out, size_t *unreadable, char *err, size_t errlen);

#endif
