/* util.h - small containers the analyzer shares: arena, growable arrays, string map. */
#ifndef LX_UTIL_H
#define LX_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Arena: many small allocations freed at once (per translation unit, per run). */
typedef struct lx_arena_block lx_arena_block;
typedef struct {
  lx_arena_block *head;
} lx_arena;

void lx_arena_init(lx_arena *a);
/* Returns zeroed memory that lives until lx_arena_free, aligned for pointers, long longs
 * and doubles (not for long double); aborts on out of memory. */
void *lx_arena_alloc(lx_arena *a, size_t n);
char *lx_arena_strdup(lx_arena *a, const char *s);
char *lx_arena_printf(lx_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lx_arena_free(lx_arena *a);
/* Moves every allocation of from into into (from is left empty). */
void lx_arena_adopt(lx_arena *into, lx_arena *from);
/* A position in an arena, to give back what was allocated after it. */
typedef struct {
  lx_arena_block *block;
  size_t used;
} lx_arena_mark;
lx_arena_mark lx_arena_get_mark(const lx_arena *a);
/* Frees what a allocated since mark (taken of the same arena, with nothing adopted or
 * released since); memory allocated before it stays. */
void lx_arena_release(lx_arena *a, lx_arena_mark mark);

/* Allocation helpers that abort with a message on out of memory. */
void *lx_xmalloc(size_t n);
void *lx_xcalloc(size_t n, size_t m);
void *lx_xrealloc(void *p, size_t n);
char *lx_xstrdup(const char *s);

/* Growable array of any element type: struct { T *v; size_t n, cap; }. */
#define LX_VEC(T) \
  struct {        \
    T *v;         \
    size_t n, cap; \
  }
#define lx_vec_push(vec, elem)                                                        \
  do {                                                                                \
    if ((vec)->n == (vec)->cap) {                                                     \
      (vec)->cap = (vec)->cap ? (vec)->cap * 2 : 8;                                   \
      (vec)->v = lx_xrealloc((vec)->v, (vec)->cap * sizeof(*(vec)->v));               \
    }                                                                                 \
    (vec)->v[(vec)->n++] = (elem);                                                    \
  } while (0)
#define lx_vec_free(vec) \
  do {                   \
    free((vec)->v);      \
    (vec)->v = NULL;     \
    (vec)->n = (vec)->cap = 0; \
  } while (0)

/* String-keyed hash map to void *; keys are copied into the map's own storage. */
typedef struct {
  char **keys;
  void **vals;
  uint64_t *hashes; /* lx_map_hash of each key: probes compare it before the string */
  size_t n, cap;
  int borrowed;     /* keys are the callers' strings, not copies (lx_map_init_borrowed) */
} lx_map;

void lx_map_init(lx_map *m);
/* A map whose keys are not copied: each must outlive the map.  Room is made for n keys
 * up front. */
void lx_map_init_borrowed(lx_map *m, size_t n);
void *lx_map_get(const lx_map *m, const char *key);
/* Sets key to val, replacing an older value; returns the stored key. */
const char *lx_map_put(lx_map *m, const char *key, void *val);
/* A key's hash, for callers that look the same key up many times (lx_map_get_h). */
uint64_t lx_map_hash(const char *key);
void *lx_map_get_h(const lx_map *m, const char *key, uint64_t hash);
const char *lx_map_put_h(lx_map *m, const char *key, uint64_t hash, void *val);
void lx_map_free(lx_map *m);

/* Copies src into dst of n bytes, cut to fit and always terminated (snprintf's "%s"). */
void lx_copy(char *dst, size_t n, const char *src);

uint64_t lx_hash64(const void *data, size_t n, uint64_t seed);
/* Another 64-bit hash, several times faster on long inputs (file contents, encoded
 * facts); lx_hash64 stays for what is already stored (fingerprints). */
uint64_t lx_hash64_fast(const void *data, size_t n, uint64_t seed);

/* Reads a whole file; returns NULL and sets errno on failure. *len gets its size. */
char *lx_read_file(const char *path, size_t *len);
/* Writes all n bytes of p to fd, again after EINTR and short writes: 0, or -1. */
int lx_write_all(int fd, const void *p, size_t n);
/* Reads exactly n bytes from fd into p, again after EINTR and short reads: 0, or -1 on
 * an error or the end of the input first. */
int lx_read_full(int fd, void *p, size_t n);

/* A digest of this leash executable (its bytes, read once), "" when it cannot be
 * read: what keys results that depend on the rules' code, not only on the facts. */
const char *lx_self_digest(void);

/* After getopt_long returned '?' or ':' (its optstring starting with ':', opterr 0),
 * prints one line, "leash: CMD: unknown option '--x' (see `leash CMD --help`)" or
 * "... option '--x' needs a value ...", and returns 2 (a usage error). */
int lx_option_error(const char *cmd, int c, char *const *argv);

#endif
