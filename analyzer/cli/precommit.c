/* precommit.c - --pre-commit: the files given against the rest of the program as the findings
 * database knows it (refreshed where it changed), and only their findings reported. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/check_internal.h"

/* --pre-commit: the rest of the program, as the database knows it freshest: the TUs
 * of its latest full run and of every run since, each with the newest facts recorded
 * for the file as it is now (lx_view_load).  No run recorded yet: the files alone. */
int lx_check_read_context(run *r)
{
  const char *path = r->db_path;
  if (access(path, F_OK) != 0) {
    if (!r->o->quiet)
      fprintf(stderr, "leash: --pre-commit: %s does not exist yet; analysing the given files alone (run "
                      "`leash check -p DIR` once to record the whole program)\n", path);
    return 0;
  }
  char err[1024];
  size_t unreadable = 0;
  if (lx_view_load(path, &r->shards, &unreadable, err, sizeof(err)) < 0) {
    memset(&r->shards, 0, sizeof(r->shards));
    if (!r->o->quiet)
      fprintf(stderr, "leash: --pre-commit: no full run to take the rest of the program from (%s); "
                      "analysing the given files alone\n", err);
  } else if (unreadable && !r->o->quiet) {
    fprintf(stderr, "leash: --pre-commit: %s: the facts of %zu translation unit(s) could not be read; the rest "
                    "of the program is taken without them\n", path, unreadable);
  } else if (r->shards.n == 0 && !r->o->quiet) {
    fprintf(stderr, "leash: --pre-commit: %s has recorded no run yet; analysing the given files alone (run "
                    "`leash check -p DIR` once to record the whole program)\n", path);
  }
  return 0;
}

/* --pre-commit: every TU of that view that is not among the files given (those were
 * analysed afresh). */
void lx_check_add_context(run *r)
{
  size_t added = 0;
  for (size_t i = 0; i < r->shards.n; i++) {
    lx_shard_tu *t = &r->shards.v[i];
    int given = 0;
    for (size_t k = 0; k < r->jobs.n && !given; k++)
      given = !strcmp(r->jobs.v[k].file, t->path);
    if (given || !t->facts) /* given, or analysed again in this run (refresh_context) */
      continue;
    lx_vec_push(&r->facts, t->facts);
    t->facts = NULL;
    added++;
  }
  if (r->o->verbose)
    fprintf(stderr, "leash: --pre-commit: %zu other translation unit(s) from the database, %zu analysed again "
                    "(changed since a run recorded them)\n", added, r->jobs.n - r->ngiven);
}

/* --pre-commit: a TU of the rest of the program whose sources are not as the run that
 * recorded its facts saw them (changed, and committed without the hook or not
 * committed; a header changed) is analysed in this run when the compilation database
 * names it (its facts come from the cache when some run recorded its key), so that the
 * rest of the program is the files as they are.  Without a command for it, its facts
 * are the newest recorded for its file as it is, else the newest (lx_view_load).  A TU
 * of the compilation database that no run recorded is analysed too. */
void lx_check_refresh_context(run *r)
{
  r->ngiven = r->jobs.n;
  if (!r->compdb_cmds.n)
    return;
  lx_cache_snapshot();
  for (size_t i = 0; i < r->shards.n; i++) {
    lx_shard_tu *t = &r->shards.v[i];
    if (!t->facts)
      continue;
    int given = 0;
    for (size_t k = 0; k < r->ngiven && !given; k++)
      given = !strcmp(r->jobs.v[k].file, t->path);
    lx_cmd *c = NULL;
    for (size_t k = 0; k < r->compdb_cmds.n && !c && !given; k++)
      if (r->compdb_cmds.v[k].file && !strcmp(r->compdb_cmds.v[k].file, t->path))
        c = &r->compdb_cmds.v[k];
    char key[33], hash[17];
    if (!c || lx_config_excluded(r->cfg, t->path) ||
        (lx_cache_key(c, r->facts_version, key, hash, NULL) == 0 && t->facts_key && !strcmp(key, t->facts_key)))
      continue;
    lx_vec_push(&r->jobs, *c);
    memset(c, 0, sizeof(*c)); /* the job owns it now */
    lx_facts_free(t->facts);
    t->facts = NULL;
  }
  /* A TU the compilation database gained since (a file added without the hook) is
   * part of the program too, once some run recorded the program. */
  for (size_t k = 0; k < r->compdb_cmds.n && r->shards.n; k++) {
    lx_cmd *c = &r->compdb_cmds.v[k];
    int known = !c->file || lx_config_excluded(r->cfg, c->file);
    for (size_t i = 0; i < r->shards.n && !known; i++)
      known = !strcmp(r->shards.v[i].path, c->file);
    for (size_t i = 0; i < r->jobs.n && !known; i++)
      known = !strcmp(r->jobs.v[i].file, c->file);
    if (known)
      continue;
    lx_vec_push(&r->jobs, *c);
    memset(c, 0, sizeof(*c));
  }
}

/* --pre-commit: only what lies in the files given is reported. */
void lx_check_keep_given(run *r)
{
  size_t w = 0;
  for (size_t i = 0; i < r->findings.v.n; i++) {
    int given = 0;
    for (size_t k = 0; k < r->ngiven && !given; k++)
      given = !strcmp(r->jobs.v[k].file, r->findings.v.v[i].loc.file);
    if (given)
      r->findings.v.v[w++] = r->findings.v.v[i];
  }
  r->findings.v.n = w;
}
