/* cache.c - what makes cached facts valid: a key over the flags, the file and the
 * project headers it includes; and the deterministic split of TUs into shards. */
#include "cache/cache.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reports/findings.h"

#define MAX_DEPS 4096

typedef struct {
  lx_map seen;               /* absolute path -> (void *)1 */
  LX_VEC(const char *) dirs; /* -iquote and -I folders, in order */
  size_t dirs_no;            /* the folders' number in dir_lists: part of a resolution's identity */
  uint64_t h1, h2;
  uint64_t bytes;            /* the sizes of the files scanned */
} key_state;

static void mix(key_state *k, const void *data, size_t n)
{
  k->h1 = lx_hash64(data, n, k->h1);
  k->h2 = lx_hash64(data, n, k->h2 ^ 0x9e3779b97f4a7c15ULL);
}

static int is_file(const char *p) { return access(p, R_OK) == 0; }

/* Resolves an include name to an existing file, or returns 0. */
static int try_path(const char *dir, const char *name, char *out)
{
  int n = dir ? snprintf(out, PATH_MAX, "%s/%s", dir, name) : snprintf(out, PATH_MAX, "%s", name);
  return n > 0 && n < PATH_MAX && is_file(out);
}

/* Within a snapshot (lx_cache_snapshot) files are taken to stay as they are: each is
 * stat'ed, read and hashed once, each include resolved and each path made real once,
 * however many TUs include it.  Without one, everything is checked on every use. */
static unsigned snapshot;
static lx_map resolved; /* "dirs\nfrom\nname\nquoted" -> found path, or "" */
static lx_map dir_lists; /* include folders joined -> a small number for `resolved` keys */
static lx_map reals;    /* path -> real path, or "" */

void lx_cache_snapshot(void)
{
  snapshot++;
  for (size_t i = 0; i < resolved.cap; i++)
    free(resolved.keys && resolved.keys[i] ? resolved.vals[i] : NULL);
  for (size_t i = 0; i < reals.cap; i++)
    free(reals.keys && reals.keys[i] ? reals.vals[i] : NULL);
  lx_map_free(&resolved);
  lx_map_free(&reals);
  lx_map_free(&dir_lists);
  lx_map_init(&resolved);
  lx_map_init(&reals);
  lx_map_init(&dir_lists);
}

static int resolve_uncached(const key_state *k, const char *from_dir, const char *name, int quoted, char *out)
{
  if (name[0] == '/')
    return try_path(NULL, name, out);
  if (quoted && try_path(from_dir, name, out))
    return 1;
  for (size_t i = 0; i < k->dirs.n; i++)
    if (try_path(k->dirs.v[i], name, out))
      return 1;
  return 0;
}

static int resolve(const key_state *k, const char *from_dir, const char *name, int quoted, char *out)
{
  if (!snapshot)
    return resolve_uncached(k, from_dir, name, quoted, out);
  char *id = lx_xmalloc(strlen(from_dir) + strlen(name) + 32);
  sprintf(id, "%zu\n%s\n%s\n%d", k->dirs_no, from_dir, name, quoted);
  const char *have = lx_map_get(&resolved, id);
  if (!have) {
    int found = resolve_uncached(k, from_dir, name, quoted, out);
    have = lx_xstrdup(found ? out : "");
    lx_map_put(&resolved, id, (void *)have);
  }
  free(id);
  snprintf(out, PATH_MAX, "%s", have);
  return have[0] != '\0';
}

/* realpath(), once per path in a snapshot. */
static int real_path(const char *path, char *out)
{
  const char *have = snapshot ? lx_map_get(&reals, path) : NULL;
  if (!have) {
    int ok = realpath(path, out) != NULL;
    if (!snapshot)
      return ok;
    have = lx_xstrdup(ok ? out : "");
    lx_map_put(&reals, path, (void *)have);
  }
  snprintf(out, PATH_MAX, "%s", have);
  return have[0] != '\0';
}

/* What a file contributes to every key it is part of, read and hashed once per
 * process (a project header is included by many translation units). */
typedef struct {
  unsigned snapshot; /* checked in this snapshot: no need to stat it again */
  int missing;
  struct timespec mtime; /* the file as it was read: a long-lived process re-reads it */
  off_t size;            /* when it changes */
  struct timespec ctime;
  ino_t ino;
  int fresh;             /* read in this process, not taken from a stamp; */
  int racy;              /* changed too recently for its stamp to be trusted later */
  uint64_t hash;
  int ninc;
  char **names;    /* the `#include "x"` / `#include <x>` names, in order */
  char *quoted;    /* per name: 1 for "x" */
} file_memo;

static lx_map memos;  /* absolute path -> file_memo *; lives as long as the process */
static lx_map stamps; /* absolute path -> lx_file_stamp * (lx_cache_use_stamps) */

/* Collects each `#include "x"` / `#include <x>` line of text. */
static void parse_includes(file_memo *m, const char *text, size_t len)
{
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      eol = end;
    const char *s = p;
    while (s < eol && isspace((unsigned char)*s))
      s++;
    if (s < eol && *s == '#') {
      s++;
      while (s < eol && isspace((unsigned char)*s))
        s++;
      if (eol - s > 7 && !strncmp(s, "include", 7)) {
        s += 7;
        while (s < eol && isspace((unsigned char)*s))
          s++;
        char close = s < eol && *s == '"' ? '"' : s < eol && *s == '<' ? '>' : 0;
        const char *e = close ? memchr(s + 1, close, (size_t)(eol - s - 1)) : NULL;
        if (e && e - s - 1 < PATH_MAX / 2) {
          m->names = lx_xrealloc(m->names, sizeof(char *) * (size_t)(m->ninc + 1));
          m->quoted = lx_xrealloc(m->quoted, (size_t)(m->ninc + 1));
          size_t n = (size_t)(e - s - 1);
          m->names[m->ninc] = lx_xmalloc(n + 1);
          memcpy(m->names[m->ninc], s + 1, n);
          m->names[m->ninc][n] = '\0';
          m->quoted[m->ninc++] = close == '"';
        }
      }
    }
    p = eol + 1;
  }
}

static void memo_free(file_memo *m)
{
  for (int i = 0; i < m->ninc; i++)
    free(m->names[i]);
  free(m->names);
  free(m->quoted);
  free(m);
}

static long long ns_of(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

/* The stamp of real from an earlier run, when the file is still as it was then: same
 * size, modification and change times (the change time moves with every write, even
 * one that restores the modification time) and inode. */
static const lx_file_stamp *stamp_of(const char *real, const struct stat *st)
{
  const lx_file_stamp *s = stamps.n ? lx_map_get(&stamps, real) : NULL;
  return s && s->size == (long long)st->st_size && s->mtime_ns == ns_of(st->st_mtim) &&
                 s->ctime_ns == ns_of(st->st_ctim) && s->inode == (long long)st->st_ino
             ? s
             : NULL;
}

/* The include lines a stamp recorded: '"' or '<', the name, a newline, each. */
static void includes_of_stamp(file_memo *m, const char *inc)
{
  while (inc && *inc) {
    const char *nl = strchr(inc, '\n');
    size_t n = nl ? (size_t)(nl - inc) : strlen(inc);
    if (n > 1) {
      m->names = lx_xrealloc(m->names, sizeof(char *) * (size_t)(m->ninc + 1));
      m->quoted = lx_xrealloc(m->quoted, (size_t)(m->ninc + 1));
      m->names[m->ninc] = lx_xmalloc(n);
      memcpy(m->names[m->ninc], inc + 1, n - 1);
      m->names[m->ninc][n - 1] = '\0';
      m->quoted[m->ninc++] = inc[0] == '"';
    }
    inc += n + (nl != NULL);
  }
}

static const file_memo *memo_of(const char *real)
{
  file_memo *m = lx_map_get(&memos, real);
  if (m && snapshot && m->snapshot == snapshot)
    return m;
  struct stat st;
  int have = stat(real, &st) == 0;
  if (m && (m->missing ? !have
                       : have && st.st_size == m->size && ns_of(st.st_mtim) == ns_of(m->mtime) &&
                             ns_of(st.st_ctim) == ns_of(m->ctime) && st.st_ino == m->ino)) {
    m->snapshot = snapshot;
    return m;
  }
  if (m)
    memo_free(m);
  m = lx_xcalloc(1, sizeof(*m));
  m->snapshot = snapshot;
  if (have) {
    m->mtime = st.st_mtim;
    m->ctime = st.st_ctim;
    m->size = st.st_size;
    m->ino = st.st_ino;
  }
  const lx_file_stamp *stamp = have ? stamp_of(real, &st) : NULL;
  size_t len;
  char *text = stamp ? NULL : lx_read_file(real, &len);
  if (stamp) {
    m->hash = stamp->hash;
    includes_of_stamp(m, stamp->includes);
  } else if (!text) {
    m->missing = 1;
  } else {
    m->hash = lx_hash64_fast(text, len, 0);
    parse_includes(m, text, len);
    free(text);
    m->fresh = have;
    /* Written within the last two seconds: a write in the same clock tick could
     * leave every time as it is (git's "racily clean" files); hashed again next time. */
    m->racy = st.st_ctim.tv_sec >= time(NULL) - 2 || st.st_mtim.tv_sec >= time(NULL) - 2;
  }
  lx_map_put(&memos, real, m);
  return m;
}

int lx_cache_stamped(const char *path, off_t *size)
{
  char real[PATH_MAX];
  struct stat st;
  *size = 0;
  if (!real_path(path, real) || stat(real, &st) != 0)
    return 0;
  *size = st.st_size;
  return stamp_of(real, &st) != NULL;
}

int lx_cache_file_hash(const char *path, char out[17])
{
  char real[PATH_MAX];
  const file_memo *m = real_path(path, real) ? memo_of(real) : NULL;
  if (!m || m->missing)
    return -1;
  snprintf(out, 17, "%016llx", (unsigned long long)m->hash);
  return 0;
}

static void drop_stamps(void)
{
  for (size_t i = 0; i < stamps.cap; i++)
    if (stamps.keys && stamps.keys[i]) {
      lx_file_stamp *old = stamps.vals[i];
      free((char *)old->includes);
      free(old);
    }
  lx_map_free(&stamps);
  lx_map_init(&stamps);
}

void lx_cache_release(void)
{
  lx_cache_snapshot(); /* a new one, empty: what the old one resolved is freed */
  for (size_t i = 0; i < memos.cap; i++)
    if (memos.keys && memos.keys[i])
      memo_free(memos.vals[i]);
  lx_map_free(&memos);
  lx_map_init(&memos);
  drop_stamps();
}

void lx_cache_use_stamps(const lx_file_stamp *s, size_t n)
{
  drop_stamps();
  for (size_t i = 0; i < n; i++) {
    lx_file_stamp *copy = lx_xmalloc(sizeof(*copy));
    *copy = s[i];
    copy->includes = lx_xstrdup(s[i].includes ? s[i].includes : "");
    copy->path = lx_map_put(&stamps, s[i].path, copy);
  }
}

void lx_cache_new_stamps(void (*fn)(const lx_file_stamp *s, void *arg), void *arg)
{
  for (size_t i = 0; i < memos.cap; i++) {
    const file_memo *m = memos.keys && memos.keys[i] ? memos.vals[i] : NULL;
    if (!m || !m->fresh || m->racy || m->missing)
      continue;
    size_t n = 1;
    for (int k = 0; k < m->ninc; k++)
      n += strlen(m->names[k]) + 2;
    char *inc = lx_xmalloc(n), *p = inc;
    for (int k = 0; k < m->ninc; k++)
      p += sprintf(p, "%c%s\n", m->quoted[k] ? '"' : '<', m->names[k]);
    *p = '\0';
    lx_file_stamp s = {memos.keys[i], (long long)m->size, ns_of(m->mtime), ns_of(m->ctime), (long long)m->ino,
                       m->hash, inc};
    fn(&s, arg);
    free(inc);
  }
}

void lx_cache_unused_stamps(void (*fn)(const char *path, void *arg), void *arg)
{
  for (size_t i = 0; i < stamps.cap; i++) {
    if (!stamps.keys || !stamps.keys[i])
      continue;
    const file_memo *m = lx_map_get(&memos, stamps.keys[i]);
    if (!m || m->missing)
      fn(stamps.keys[i], arg);
  }
}

static void scan(key_state *k, const char *path)
{
  char real[PATH_MAX];
  if (!real_path(path, real) || lx_map_get(&k->seen, real) || k->seen.n >= MAX_DEPS)
    return;
  lx_map_put(&k->seen, real, (void *)1);
  const file_memo *m = memo_of(real);
  mix(k, real, strlen(real) + 1);
  if (m->missing) {
    mix(k, "-", 1);
    return;
  }
  mix(k, &m->hash, sizeof(m->hash));
  k->bytes += (uint64_t)m->size;
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", real);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  for (int i = 0; i < m->ninc; i++) {
    char found[PATH_MAX];
    if (resolve(k, dir, m->names[i], m->quoted[i], found))
      scan(k, found);
  }
}

/* Collects the -I and -iquote folders of cmd, absolute. */
static void include_dirs(key_state *k, const lx_cmd *cmd, lx_arena *a)
{
  for (int pass = 0; pass < 2; pass++) /* -iquote folders come first */
    for (int i = 0; i < cmd->argc; i++) {
      const char *flag = pass == 0 ? "-iquote" : "-I";
      size_t n = strlen(flag);
      if (strncmp(cmd->argv[i], flag, n) != 0)
        continue;
      const char *d = cmd->argv[i][n] ? cmd->argv[i] + n : i + 1 < cmd->argc ? cmd->argv[i + 1] : NULL;
      if (!d)
        continue;
      const char *abs = d[0] == '/' ? lx_arena_strdup(a, d) : lx_arena_printf(a, "%s/%s", cmd->dir, d);
      lx_vec_push(&k->dirs, abs);
    }
}

int lx_cache_key(const lx_cmd *cmd, const char *version, char key[33], char content_hash[17], uint64_t *bytes)
{
  char real[PATH_MAX];
  const file_memo *main = real_path(cmd->file, real) ? memo_of(real) : NULL;
  if (!main || main->missing)
    return -1;
  snprintf(content_hash, 17, "%016llx", (unsigned long long)main->hash);

  key_state k;
  memset(&k, 0, sizeof(k));
  lx_map_init(&k.seen);
  lx_arena a;
  lx_arena_init(&a);
  mix(&k, version, strlen(version) + 1);
  for (int i = 0; i < cmd->argc; i++)
    mix(&k, cmd->argv[i], strlen(cmd->argv[i]) + 1);
  include_dirs(&k, cmd, &a);
  size_t idlen = 1;
  for (size_t i = 0; i < k.dirs.n; i++)
    idlen += strlen(k.dirs.v[i]) + 1;
  char *id = lx_arena_alloc(&a, idlen);
  for (size_t i = 0; i < k.dirs.n; i++) {
    strcat(id, k.dirs.v[i]);
    strcat(id, "\t");
  }
  if (snapshot) {
    k.dirs_no = (size_t)(uintptr_t)lx_map_get(&dir_lists, id);
    if (!k.dirs_no) {
      k.dirs_no = dir_lists.n + 1;
      lx_map_put(&dir_lists, id, (void *)(uintptr_t)k.dirs_no);
    }
  }
  scan(&k, cmd->file);
  if (bytes)
    *bytes = k.bytes;
  snprintf(key, 33, "%016llx%016llx", (unsigned long long)k.h1, (unsigned long long)k.h2);
  lx_vec_free(&k.dirs);
  lx_map_free(&k.seen);
  lx_arena_free(&a);
  return 0;
}

void lx_flags_hash(const lx_cmd *cmd, char out[17])
{
  uint64_t h = 0;
  for (int i = 0; i < cmd->argc; i++)
    h = lx_hash64(cmd->argv[i], strlen(cmd->argv[i]) + 1, h);
  snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int lx_shard_of(const char *file, const char *root, int n)
{
  const char *rel = lx_display_path(file, root);
  return (int)(lx_hash64(rel, strlen(rel), 0x5ea7) % (uint64_t)n) + 1;
}

int lx_shard_parse(const char *s, int *k, int *n)
{
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s || *end != '/')
    return -1;
  const char *t = end + 1;
  long b = strtol(t, &end, 10);
  if (end == t || *end || b < 1 || b > 4096 || a < 1 || a > b)
    return -1;
  *k = (int)a;
  *n = (int)b;
  return 0;
}
