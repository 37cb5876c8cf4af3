/* util.c - arena, allocation helpers, string map, hashing, file reading. */
#include "base/util.h"

#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARENA_MAX(a, b) ((a) > (b) ? (a) : (b))
#define ARENA_ALIGN ARENA_MAX(ARENA_MAX(_Alignof(void *), _Alignof(long long)), _Alignof(double))

struct lx_arena_block {
  lx_arena_block *next;
  size_t used, cap;
  max_align_t data[];
};

static void die_oom(void)
{
  fputs("leash: out of memory\n", stderr);
  abort();
}

void *lx_xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    die_oom();
  return p;
}

void *lx_xcalloc(size_t n, size_t m)
{
  void *p = calloc(n ? n : 1, m ? m : 1);
  if (!p)
    die_oom();
  return p;
}

void *lx_xrealloc(void *p, size_t n)
{
  p = realloc(p, n ? n : 1);
  if (!p)
    die_oom();
  return p;
}

char *lx_xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;
  return memcpy(lx_xmalloc(n), s, n);
}

void lx_arena_init(lx_arena *a) { a->head = NULL; }

void *lx_arena_alloc(lx_arena *a, size_t n)
{
  /* What arenas hold (facts, nodes, strings) needs no more than pointers, long longs and
   * doubles do: max_align_t's 16 would round a 56-byte path up to 64. */
  const size_t align = ARENA_ALIGN;
  n = (n + align - 1) / align * align;
  lx_arena_block *b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > 64 * 1024 ? n : 64 * 1024;
    b = lx_xmalloc(sizeof(*b) + cap);
    b->used = 0;
    b->cap = cap;
    b->next = a->head;
    a->head = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *lx_arena_strdup(lx_arena *a, const char *s)
{
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  return memcpy(lx_arena_alloc(a, n), s, n);
}

char *lx_arena_printf(lx_arena *a, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = lx_arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

void lx_arena_adopt(lx_arena *into, lx_arena *from)
{
  lx_arena_block *b = from->head;
  if (!b)
    return;
  while (b->next)
    b = b->next;
  b->next = into->head; /* the head stays the block with room: from's newest */
  into->head = from->head;
  from->head = NULL;
}

lx_arena_mark lx_arena_get_mark(const lx_arena *a)
{
  lx_arena_mark m = {a->head, a->head ? a->head->used : 0};
  return m;
}

void lx_arena_release(lx_arena *a, lx_arena_mark mark)
{
  while (a->head && a->head != mark.block) {
    lx_arena_block *next = a->head->next;
    free(a->head);
    a->head = next;
  }
  if (a->head)
    a->head->used = mark.used;
}

void lx_arena_free(lx_arena *a)
{
  lx_arena_block *b = a->head;
  while (b) {
    lx_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

/* splitmix64's finaliser: every bit of h moves every bit of the result. */
static uint64_t avalanche(uint64_t h)
{
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

uint64_t lx_hash64(const void *data, size_t n, uint64_t seed)
{
  /* FNV-1a with a final avalanche (splitmix64). */
  const unsigned char *p = data;
  uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return avalanche(h);
}

static uint64_t mix_word(uint64_t h, uint64_t w)
{
  h ^= w * 0xbf58476d1ce4e5b9ULL;
  return ((h << 31) | (h >> 33)) * 0x94d049bb133111ebULL;
}

uint64_t lx_hash64_fast(const void *data, size_t n, uint64_t seed)
{
  /* Eight bytes at a time, each word multiplied in and rotated; a final avalanche. */
  const unsigned char *p = data;
  uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL ^ ((uint64_t)n * 0xff51afd7ed558ccdULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h = mix_word(h, w);
  }
  uint64_t w = 0;
  for (size_t k = 0; i + k < n; k++)
    w |= (uint64_t)p[i + k] << (8 * k);
  return avalanche(mix_word(h, w));
}

void lx_copy(char *dst, size_t n, const char *src)
{
  if (!n)
    return;
  size_t len = strnlen(src, n - 1);
  memcpy(dst, src, len);
  dst[len] = '\0';
}

void lx_map_init(lx_map *m) { memset(m, 0, sizeof(*m)); }

void lx_map_init_borrowed(lx_map *m, size_t n)
{
  memset(m, 0, sizeof(*m));
  m->borrowed = 1;
  for (m->cap = 64; m->cap < n * 2; m->cap *= 2)
    ;
  m->keys = lx_xcalloc(m->cap, sizeof(char *));
  m->vals = lx_xcalloc(m->cap, sizeof(void *));
  m->hashes = lx_xcalloc(m->cap, sizeof(uint64_t));
}

uint64_t lx_map_hash(const char *key) { return lx_hash64_fast(key, strlen(key), 0); }

static size_t map_slot(const lx_map *m, const char *key, uint64_t hash)
{
  size_t mask = m->cap - 1;
  size_t i = (size_t)hash & mask;
  while (m->keys[i] && (m->hashes[i] != hash || strcmp(m->keys[i], key) != 0))
    i = (i + 1) & mask;
  return i;
}

void *lx_map_get_h(const lx_map *m, const char *key, uint64_t hash)
{
  if (!m->cap)
    return NULL;
  size_t i = map_slot(m, key, hash);
  return m->keys[i] ? m->vals[i] : NULL;
}

void *lx_map_get(const lx_map *m, const char *key)
{
  return m->cap ? lx_map_get_h(m, key, lx_map_hash(key)) : NULL;
}

static void map_grow(lx_map *m)
{
  lx_map old = *m;
  m->cap = old.cap ? old.cap * 2 : 64;
  m->keys = lx_xcalloc(m->cap, sizeof(char *));
  m->vals = lx_xcalloc(m->cap, sizeof(void *));
  m->hashes = lx_xcalloc(m->cap, sizeof(uint64_t));
  m->n = 0;
  for (size_t i = 0; i < old.cap; i++) {
    if (old.keys[i]) {
      size_t j = (size_t)old.hashes[i] & (m->cap - 1);
      while (m->keys[j])
        j = (j + 1) & (m->cap - 1);
      m->keys[j] = old.keys[i];
      m->vals[j] = old.vals[i];
      m->hashes[j] = old.hashes[i];
      m->n++;
    }
  }
  free(old.keys);
  free(old.vals);
  free(old.hashes);
}

const char *lx_map_put(lx_map *m, const char *key, void *val) { return lx_map_put_h(m, key, lx_map_hash(key), val); }

const char *lx_map_put_h(lx_map *m, const char *key, uint64_t hash, void *val)
{
  if ((m->n + 1) * 2 > m->cap)
    map_grow(m);
  size_t i = map_slot(m, key, hash);
  if (!m->keys[i]) {
    m->keys[i] = m->borrowed ? (char *)key : lx_xstrdup(key);
    m->hashes[i] = hash;
    m->n++;
  }
  m->vals[i] = val;
  return m->keys[i];
}

void lx_map_free(lx_map *m)
{
  for (size_t i = 0; i < m->cap && !m->borrowed; i++)
    free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  free(m->hashes);
  memset(m, 0, sizeof(*m));
}

char *lx_read_file(const char *path, size_t *len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat st;
  /* The size is a hint (it may change, or be 0 for a pipe): read until end of file. */
  size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096, n = 0;
  char *buf = lx_xmalloc(cap + 1);
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = lx_xrealloc(buf, cap + 1);
    }
    ssize_t got = read(fd, buf + n, cap - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int e = errno;
      close(fd);
      free(buf);
      errno = e;
      return NULL;
    }
    if (got == 0)
      break;
    n += (size_t)got;
  }
  close(fd);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

const char *lx_self_digest(void)
{
  static char digest[17];
  static int done;
  if (!done) {
    done = 1;
    size_t len = 0;
    char *bytes = lx_read_file("/proc/self/exe", &len);
    if (bytes)
      snprintf(digest, sizeof(digest), "%016llx", (unsigned long long)lx_hash64_fast(bytes, len, 0));
    free(bytes);
  }
  return digest;
}

int lx_option_error(const char *cmd, int c, char *const *argv)
{
  char name[64];
  if (optopt > 0 && optopt < 128 && isgraph(optopt) && (optind < 1 || !argv[optind - 1] ||
                                                         strncmp(argv[optind - 1], "--", 2) != 0)) {
    snprintf(name, sizeof(name), "-%c", optopt);
  } else {
    const char *a = optind >= 1 && argv[optind - 1] ? argv[optind - 1] : "?";
    size_t n = strcspn(a, "=");
    snprintf(name, sizeof(name), "%.*s", (int)(n < 60 ? n : 60), a);
  }
  fprintf(stderr, "leash: %s: %s '%s'%s (see `leash %s --help`)\n", cmd, c == ':' ? "option" : "unknown option",
          name, c == ':' ? " needs a value" : "", cmd);
  return 2;
}

int lx_write_all(int fd, const void *p, size_t n)
{
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

int lx_read_full(int fd, void *p, size_t n)
{
  char *c = p;
  while (n) {
    ssize_t r = read(fd, c, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    c += r;
    n -= (size_t)r;
  }
  return 0;
}
