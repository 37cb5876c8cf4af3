/* findings.c - the findings list, source line cache and fingerprints. */
#include "reports/findings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void lx_findings_init(lx_findings *f)
{
  memset(f, 0, sizeof(*f));
  lx_arena_init(&f->arena);
}

void lx_findings_free(lx_findings *f)
{
  lx_vec_free(&f->v);
  lx_arena_free(&f->arena);
}

static const char *vfmt(lx_arena *a, const char *fmt, va_list ap)
{
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  char *s = lx_arena_alloc(a, (size_t)n + 1);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

lx_finding *lx_findings_add(lx_findings *f, const char *rule, lx_severity sev, lx_loc loc,
                            const char *function, const char *key, const char *fmt, ...)
{
  lx_finding fd;
  memset(&fd, 0, sizeof(fd));
  fd.rule = rule;
  fd.severity = sev;
  fd.loc = loc;
  fd.loc.file = lx_arena_strdup(&f->arena, loc.file ? loc.file : "<unknown>");
  fd.function = lx_arena_strdup(&f->arena, function);
  fd.key = lx_arena_strdup(&f->arena, key);
  va_list ap;
  va_start(ap, fmt);
  fd.message = vfmt(&f->arena, fmt, ap);
  va_end(ap);
  lx_vec_push(&f->v, fd);
  return &f->v.v[f->v.n - 1];
}

lx_finding *lx_findings_append(lx_findings *f, const lx_finding *fd)
{
  lx_finding *copy = lx_findings_add(f, fd->rule, fd->severity, fd->loc, fd->function, fd->key, "%s", fd->message);
  for (int k = 0; k < fd->nrelated; k++) {
    lx_related *r = lx_finding_relate(f, copy, fd->related[k].loc, "%s", fd->related[k].message);
    if (r)
      r->step = fd->related[k].step;
  }
  if (fd->step)
    lx_finding_own_step(f, copy, fd->step, "%s", fd->step_message ? fd->step_message : "");
  return copy;
}

lx_related *lx_finding_relate(lx_findings *f, lx_finding *fd, lx_loc loc, const char *fmt, ...)
{
  if (fd->nrelated == LX_MAX_RELATED || !loc.file)
    return NULL;
  lx_related *r = &fd->related[fd->nrelated++];
  r->loc = loc;
  r->loc.file = lx_arena_strdup(&f->arena, loc.file);
  r->step = 0;
  va_list ap;
  va_start(ap, fmt);
  r->message = vfmt(&f->arena, fmt, ap);
  va_end(ap);
  return r;
}

void lx_finding_own_step(lx_findings *f, lx_finding *fd, int step, const char *fmt, ...)
{
  fd->step = step;
  va_list ap;
  va_start(ap, fmt);
  fd->step_message = vfmt(&f->arena, fmt, ap);
  va_end(ap);
}

void lx_finding_chain(lx_findings *f, lx_finding *fd, lx_related *before, lx_related *after, const char *fmt, ...)
{
  if (!before && !after)
    return;
  fd->step = before ? 2 : 1;
  if (before)
    before->step = 1;
  if (after)
    after->step = fd->step + 1;
  va_list ap;
  va_start(ap, fmt);
  fd->step_message = vfmt(&f->arena, fmt, ap);
  va_end(ap);
}

int lx_finding_path(const lx_finding *fd, int out[LX_MAX_RELATED + 1])
{
  if (fd->step <= 0)
    return 0;
  int n = 0;
  for (int k = 0; k < fd->nrelated; k++)
    n += fd->related[k].step > 0;
  n++; /* the finding's own */
  for (int s = 1; s <= n; s++) {
    int at = fd->step == s ? -1 : -2;
    for (int k = 0; k < fd->nrelated && at == -2; k++)
      if (fd->related[k].step == s)
        at = k;
    if (at == -2)
      return 0;
    out[s - 1] = at;
  }
  return n;
}

static int cmp_finding(const void *a, const void *b)
{
  const lx_finding *x = a, *y = b;
  int c = strcmp(x->loc.file, y->loc.file);
  if (c)
    return c;
  if (x->loc.line != y->loc.line)
    return x->loc.line < y->loc.line ? -1 : 1;
  if (x->loc.col != y->loc.col)
    return x->loc.col < y->loc.col ? -1 : 1;
  c = strcmp(x->rule, y->rule);
  if (c)
    return c;
  return strcmp(x->message, y->message);
}

void lx_findings_sort(lx_findings *f)
{
  if (f->v.n < 2)
    return;
  qsort(f->v.v, f->v.n, sizeof(lx_finding), cmp_finding);
  size_t w = 1;
  for (size_t r = 1; r < f->v.n; r++)
    if (cmp_finding(&f->v.v[w - 1], &f->v.v[r]) != 0)
      f->v.v[w++] = f->v.v[r];
  f->v.n = w;
}

/* ---- sources --------------------------------------------------------------------- */

typedef struct {
  char *text;
  LX_VEC(size_t) starts;
  size_t len;
} src_file;

struct lx_sources {
  lx_map files;
};

lx_sources *lx_sources_new(void)
{
  lx_sources *s = lx_xcalloc(1, sizeof(*s));
  lx_map_init(&s->files);
  return s;
}

void lx_sources_free(lx_sources *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->files.cap; i++) {
    src_file *sf = s->files.vals[i];
    if (s->files.keys[i] && sf) {
      free(sf->text);
      lx_vec_free(&sf->starts);
      free(sf);
    }
  }
  lx_map_free(&s->files);
  free(s);
}

static src_file *load(lx_sources *s, const char *file)
{
  src_file *sf = lx_map_get(&s->files, file);
  if (sf)
    return sf;
  sf = lx_xcalloc(1, sizeof(*sf));
  sf->text = lx_read_file(file, &sf->len);
  if (sf->text) {
    lx_vec_push(&sf->starts, (size_t)0);
    for (size_t i = 0; i < sf->len; i++)
      if (sf->text[i] == '\n')
        lx_vec_push(&sf->starts, i + 1);
  }
  lx_map_put(&s->files, file, sf);
  return sf;
}

const char *lx_sources_line(lx_sources *s, const char *file, unsigned line, size_t *len)
{
  src_file *sf = load(s, file);
  if (!sf->text || line == 0 || line > sf->starts.n)
    return NULL;
  size_t start = sf->starts.v[line - 1];
  size_t end = line < sf->starts.n ? sf->starts.v[line] - 1 : sf->len;
  if (end > start && sf->text[end - 1] == '\r')
    end--;
  if (start > sf->len || end < start)
    return NULL;
  *len = end - start;
  return sf->text + start;
}

const char *lx_display_path(const char *file, const char *root)
{
  if (root && *root) {
    size_t n = strlen(root);
    if (!strncmp(file, root, n) && file[n] == '/')
      return file + n + 1;
  }
  return file;
}

void lx_findings_fingerprint(lx_findings *f, lx_sources *src, const char *root)
{
  uint64_t *base = lx_xcalloc(f->v.n, sizeof(uint64_t));
  for (size_t i = 0; i < f->v.n; i++) {
    lx_finding *fd = &f->v.v[i];
    const char *parts[4] = {fd->rule, lx_display_path(fd->loc.file, root), fd->function ? fd->function : "",
                            fd->key ? fd->key : ""};
    uint64_t h = 0;
    for (int k = 0; k < 4; k++)
      h = lx_hash64(parts[k], strlen(parts[k]), h + (uint64_t)k);
    size_t len = 0;
    const char *line = lx_sources_line(src, fd->loc.file, fd->loc.line, &len);
    for (size_t k = 0; line && k < len; k++)
      if (line[k] != ' ' && line[k] != '\t')
        h = lx_hash64(&line[k], 1, h);
    base[i] = h;
  }
  for (size_t i = 0; i < f->v.n; i++) {
    int rank = 0;
    for (size_t j = 0; j < i; j++)
      rank += base[j] == base[i];
    uint64_t h = lx_hash64(&rank, sizeof(rank), base[i]);
    snprintf(f->v.v[i].fingerprint, sizeof(f->v.v[i].fingerprint), "%016llx", (unsigned long long)h);
  }
  free(base);
}
