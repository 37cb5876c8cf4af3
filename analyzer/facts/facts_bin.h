/* facts_bin.h - TU facts as compact bytes and back: the form workers reply in, the facts
 * cache stores and shards carry.  It holds exactly what the JSON form (facts_json.c)
 * holds, several times smaller and an order of magnitude faster to read. */
#ifndef LX_FACTS_BIN_H
#define LX_FACTS_BIN_H

#include <stddef.h>

#include "facts/facts.h"

/* The layout of the bytes.  Bump it whenever facts_bin.c writes anything differently
 * or lx_tu_facts changes shape: bytes of another version are refused, never misread. */
#define LX_FACTS_BIN_VERSION 1

/* The facts as bytes (malloc'd, *len set): worker replies, the facts cache, shards.
 * Access paths are written at most 64 bases deep (the decoder's limit); deeper bases,
 * which only generated code produces, are left out. */
unsigned char *lx_facts_encode(const lx_tu_facts *f, size_t *len);

/* The inverse: new facts (free with lx_facts_free) in their own arena, or NULL with *err
 * set to a static description when buf is not whole, valid facts of this format version.
 * Never reads outside buf[0..len), never crashes or loops on any input. */
lx_tu_facts *lx_facts_decode(const void *buf, size_t len, const char **err);

/* The same, with the strings and the functions in pool (facts_pool.h): a function
 * whose facts the pool holds already (the same header body decoded for another TU) is
 * the pool's object, shared.  Free the facts before the pool. */
struct lx_facts_pool;
lx_tu_facts *lx_facts_decode_pooled(const void *buf, size_t len, struct lx_facts_pool *pool, const char **err);

#endif
