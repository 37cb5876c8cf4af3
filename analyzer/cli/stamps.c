/* stamps.c - file stamps: what an earlier run recorded of each file it read (size, times,
 * inode, hash), so that the files unchanged since are not read again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check_internal.h"

/* The stamps of the files an earlier run read: those unchanged are not read again. */
typedef LX_VEC(lx_file_stamp) stamp_vec;

static int take_stamp(const lx_db_stamp *s, void *arg)
{
  stamp_vec *v = arg;
  char *end;
  uint64_t hash = strtoull(s->hash ? s->hash : "", &end, 16);
  if (!s->path || !s->hash || *end || strlen(s->hash) != 16)
    return 0; /* not one this leash wrote: the file is read */
  lx_file_stamp st = {lx_xstrdup(s->path), s->size, s->mtime_ns, s->ctime_ns, s->inode, hash,
                      lx_xstrdup(s->includes ? s->includes : "")};
  lx_vec_push(v, st);
  return 0;
}

void lx_check_use_stamps(run *r)
{
  stamp_vec v = {0};
  if (lx_db_stamps_load(r->db, take_stamp, &v) == 0)
    lx_cache_use_stamps(v.v, v.n);
  for (size_t i = 0; i < v.n; i++) {
    free((char *)v.v[i].path);
    free((char *)v.v[i].includes);
  }
  lx_vec_free(&v);
}

void lx_check_drop_stamp(const char *path, void *arg)
{
  run *r = arg;
  if (!r->stamp_failed && lx_db_stamp_drop(r->db, path) < 0)
    r->stamp_failed = 1;
}

void lx_check_put_stamp(const lx_file_stamp *s, void *arg)
{
  run *r = arg;
  char hash[17];
  snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)s->hash);
  lx_db_stamp d = {s->path, s->size, s->mtime_ns, s->ctime_ns, s->inode, hash, s->includes};
  if (!r->stamp_failed && lx_db_stamp_put(r->db, &d) < 0)
    r->stamp_failed = 1;
}
