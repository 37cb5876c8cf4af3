/* facts_pool.h - storage that the facts of many translation units share: each distinct
 * string once, and each function whose facts are the same in several TUs (a header's
 * static inline, seen by every TU that includes it) once.
 *
 * A whole program's facts, decoded TU by TU with lx_facts_decode_pooled (facts_bin.h),
 * hold every type spelling, USR, file name and header body once instead of once per
 * TU that sees it.  The TUs' facts point into the pool: free them (lx_facts_free)
 * before the pool.  Paths are values (facts.h): each distinct one is held once, so the
 * facts of every function point to the same `param 1` or `struct conn.fd`.  A pooled function is the same object in every TU that has it, so
 * what lx_program_build derives from its own facts (its memo) is derived once too. */
#ifndef LX_FACTS_POOL_H
#define LX_FACTS_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"

typedef struct lx_facts_pool lx_facts_pool;

lx_facts_pool *lx_facts_pool_new(void);
/* Frees the pool and the functions it holds; every facts decoded into it must be
 * freed first (they point into it).  NULL is ignored. */
void lx_facts_pool_free(lx_facts_pool *p);

/* The pool's copy of s (of length n, without its NUL), made on first sight. */
const char *lx_facts_pool_intern(lx_facts_pool *p, const char *s, size_t n);

/* The pool's copy of path (made on first sight; its base must be the pool's already):
 * equal paths, field by field with strings compared as the pool's copies, are one
 * object.  A path of nothing (kind UNKNOWN, every field zero) is &lx_path_none. */
const lx_path *lx_facts_pool_path(lx_facts_pool *p, const lx_path *path);

/* Where the functions decoded into the pool are allocated. */
lx_arena *lx_facts_pool_arena(lx_facts_pool *p);

/* The function already pooled under this content hash (two independent 64-bit hashes
 * of everything its facts hold, strings by their pooled copies), or NULL. */
lx_func *lx_facts_pool_find(const lx_facts_pool *p, uint64_t h1, uint64_t h2);
/* Adds fn (allocated in the pool's arena, its vectors malloc'd) under that hash: the
 * pool owns it from now on (fn->pooled is set). */
void lx_facts_pool_add(lx_facts_pool *p, uint64_t h1, uint64_t h2, lx_func *fn);

/* Drops what finds strings, paths and functions again (a third of the pool on a large
 * program), once every TU is decoded: what the facts point to stays.  Decoding into
 * the pool after this is still right, only shares less. */
void lx_facts_pool_seal(lx_facts_pool *p);

/* What the pool holds, for -v and the benchmark: distinct strings and their bytes,
 * functions kept, and functions found again (shared instead of decoded once more). */
typedef struct {
  size_t strings, string_bytes, paths, funcs, shared;
} lx_facts_pool_stats;
void lx_facts_pool_count(const lx_facts_pool *p, lx_facts_pool_stats *out);
/* Counts one function found again (lx_facts_decode_pooled). */
void lx_facts_pool_note_shared(lx_facts_pool *p);

#endif
