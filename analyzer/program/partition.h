/* partition.h - splitting a compilation database's TUs into the programs they build. */
#ifndef LX_PARTITION_H
#define LX_PARTITION_H

#include <stddef.h>

#include "facts/facts.h"

/* Assigns each TU a program number in program_of (0 .. result-1), or -1 for TUs to be
 * analysed with every program.  Returns the number of programs: 1 (everything is one
 * program, every entry 0) unless two or more groups of linked TUs define `main`. */
size_t lx_partition(lx_tu_facts *const *tus, size_t n, int *program_of);
/* The same, kept in *cache (NULL at first) and reused while every TU gives lx_partition
 * what it gave last time (the language server's edits seldom change what a file
 * defines or names); compared by two 64-bit hashes of each TU's part. */
typedef struct lx_partition_cache lx_partition_cache;
size_t lx_partition_cached(lx_partition_cache **cache, lx_tu_facts *const *tus, size_t n, int *program_of);
void lx_partition_cache_free(lx_partition_cache *c);
/* Writes to out the TUs program k is built from (its own and those analysed with every
 * program), in their order; returns how many. */
size_t lx_partition_select(lx_tu_facts *const *tus, size_t n, const int *program_of, size_t k, lx_tu_facts **out);

#endif
