/* merge.h - reading the facts that `leash check --shard K/N` runs recorded in their
 * databases, for `leash merge`. */
#ifndef LX_MERGE_H
#define LX_MERGE_H

#include "facts.h"

/* One translation unit of a shard. */
typedef struct {
  char *path, *content_hash, *status, *facts_key, *flags_hash, *digest;
  int parse_errors;
  unsigned char *bytes; /* the encoded facts (facts_bin.c), NULL when the TU could not be analysed */
  size_t nbytes;
  lx_tu_facts *facts;   /* bytes decoded, or NULL */
} lx_shard_tu;

typedef LX_VEC(lx_shard_tu) lx_shard_tus;

/* Loads the TUs of the latest analysis run of each database in dbs.  A TU (path and
 * flags) present in several databases is taken once (from the first).  Sharded runs must all be of the
 * same N and cover every K from 1 to N.  Returns 0, or -1 with a one-line message
 * naming the file in err (not a database, no run, a shard missing, facts unreadable). */
int lx_shards_load(const char *const *dbs, int n, lx_shard_tus *out, char *err, size_t errlen);
void lx_shard_tus_free(lx_shard_tus *t);

#endif
