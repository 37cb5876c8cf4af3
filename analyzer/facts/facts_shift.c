/* facts_shift.c - moves facts down after an edit above them: their locations, the
 * byte offsets local variables' USRs hold ("c:f.c@222@F@worker@arg") and the places
 * that name unnamed records ("struct (unnamed at /x/f.c:32:8)"), so that facts kept
 * from before an edit read as a parse of the new text would (`leash lsp`). */
#include "facts/facts_shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Moves loc down by lines when it lies in file after (line, col). */
static void shift_loc(lx_loc *l, const char *file, unsigned line, unsigned col, int lines)
{
  if (l->file && (l->line > line || (l->line == line && l->col > col)) && !strcmp(l->file, file))
    l->line = (unsigned)((int)l->line + lines);
}

typedef struct {
  lx_arena *arena;
  const char *file;
  unsigned line, col;
  int lines;
  char usr_prefix[256]; /* "c:file.c@" */
  size_t prefix_len;
  size_t after;
  ptrdiff_t bytes;
} shift;

static void shift_key(const shift *sh, const char **key)
{
  const char *k = *key;
  if (!k || strncmp(k, sh->usr_prefix, sh->prefix_len) != 0)
    return;
  const char *d = k + sh->prefix_len, *e = d;
  unsigned long long off = 0;
  while (*e >= '0' && *e <= '9')
    off = off * 10 + (unsigned long long)(*e++ - '0');
  if (e == d || *e != '@' || off <= sh->after)
    return;
  *key = lx_arena_printf(sh->arena, "%.*s%llu%s", (int)sh->prefix_len, k,
                         (unsigned long long)((long long)off + (long long)sh->bytes), e);
}

/* Type spellings name unnamed records by place, "struct (unnamed at /x/f.c:32:8)":
 * those in the file after the edit move down too. */
static void shift_spelling(const shift *sh, const char **text)
{
  const char *t = *text;
  size_t flen = strlen(sh->file);
  if (!t || !strstr(t, " at "))
    return;
  char *out = NULL;
  size_t cap = 0, len = 0;
  const char *copied = t;
  for (const char *at = strstr(t, " at "); at; at = strstr(at + 1, " at ")) {
    const char *f = at + 4, *e;
    if (strncmp(f, sh->file, flen) != 0 || f[flen] != ':')
      continue;
    unsigned long line = strtoul(f + flen + 1, (char **)&e, 10), col;
    if (*e != ':')
      continue;
    const char *num = f + flen + 1;
    col = strtoul(e + 1, (char **)&e, 10);
    if (*e != ')' || !(line > sh->line || (line == sh->line && col > sh->col)))
      continue;
    size_t need = len + (size_t)(num - copied) + 32 + strlen(e) + 1;
    if (need > cap) {
      cap = need * 2;
      out = lx_xrealloc(out, cap);
    }
    len += (size_t)snprintf(out + len, cap - len, "%.*s%lu", (int)(num - copied), copied,
                            (unsigned long)((long)line + sh->lines));
    copied = num;
    while (*copied >= '0' && *copied <= '9')
      copied++;
  }
  if (!out)
    return;
  size_t rest = strlen(copied);
  out = lx_xrealloc(out, len + rest + 1);
  memcpy(out + len, copied, rest + 1);
  *text = lx_arena_strdup(sh->arena, out);
  free(out);
}

/* Paths are values, but these facts were decoded without a pool (lx_facts_decode), so
 * each path, bases included, is a copy of its own in the arena being shifted, held by
 * one slot only; the one path they share with everything is lx_path_none, left alone. */
static void shift_path(const shift *sh, const lx_path *path)
{
  lx_path *p = (lx_path *)path;
  for (int depth = 0; p && p != &lx_path_none && depth < 100; depth++) {
    shift_key(sh, &p->key);
    shift_spelling(sh, &p->key);
    shift_spelling(sh, &p->name);
    shift_spelling(sh, &p->type);
    p = (lx_path *)p->base;
  }
}

static void shift_cond(const shift *sh, lx_cond *c)
{
  for (int i = 0; i < c->n && i < LX_COND_MAX; i++) {
    shift_path(sh, c->a[i].lhs);
    shift_path(sh, c->a[i].rhs);
  }
}

static void shift_func(const shift *sh, lx_func *fn)
{
  shift_loc(&fn->loc, sh->file, sh->line, sh->col, sh->lines);
  shift_spelling(sh, &fn->ret_type);
  for (int i = 0; i < fn->nparams; i++)
    shift_spelling(sh, &fn->param_types[i]);
  for (size_t i = 0; i < fn->calls.n; i++) {
    lx_call *c = &fn->calls.v[i];
    shift_loc(&c->loc, sh->file, sh->line, sh->col, sh->lines);
    shift_spelling(sh, &c->callee_name);
    if (c->fnptr)
      shift_path(sh, c->fnptr);
    for (int a = 0; a < c->nargs; a++)
      shift_path(sh, c->args[a]);
  }
  for (size_t i = 0; i < fn->assigns.n; i++) {
    lx_assign *a = &fn->assigns.v[i];
    shift_loc(&a->loc, sh->file, sh->line, sh->col, sh->lines);
    shift_path(sh, a->dst);
    shift_path(sh, a->src);
  }
  for (size_t i = 0; i < fn->loops.n; i++) {
    lx_loop *l = &fn->loops.v[i];
    shift_loc(&l->loc, sh->file, sh->line, sh->col, sh->lines);
    for (int r = 0; r < l->nreads; r++)
      shift_path(sh, l->cond_reads[r]);
    shift_cond(sh, &l->cond);
  }
  for (size_t i = 0; i < fn->branches.n; i++) {
    lx_branch *b = &fn->branches.v[i];
    shift_loc(&b->loc, sh->file, sh->line, sh->col, sh->lines);
    for (int r = 0; r < b->nreads; r++)
      shift_path(sh, b->reads[r]);
    shift_cond(sh, &b->cond);
  }
}


void lx_facts_shift(lx_tu_facts *f, const lx_edit *e, size_t keep)
{
  shift sh = {&f->arena, f->main_file, e->line, e->col, e->lines, "", 0, e->after, e->bytes};
  const char *base = strrchr(f->main_file, '/');
  snprintf(sh.usr_prefix, sizeof(sh.usr_prefix), "c:%s@", base ? base + 1 : f->main_file);
  sh.prefix_len = strlen(sh.usr_prefix);
  for (size_t i = 0; i < f->funcs.n; i++)
    if (i != keep)
      shift_func(&sh, f->funcs.v[i]);
  for (size_t i = 0; i < f->global_inits.n; i++) {
    lx_assign *a = &f->global_inits.v[i];
    shift_loc(&a->loc, sh.file, sh.line, sh.col, sh.lines);
    shift_path(&sh, a->dst);
    shift_path(&sh, a->src);
  }
}
