/* suppressions.c - a run's suppressions: the source lines leash:ignore comments are read from, and
 * the comments that name no rule reported. */
#include "cli/check_internal.h"
#include "pipeline/suppress_ids.h"

const char *lx_check_disk_line(void *arg, const char *file, unsigned line, size_t *len)
{
  return lx_sources_line(arg, file, line, len);
}

/* Reports leash:ignore comments that name no rule, in every file analysed (by this run,
 * or by the shards a merge reads) and every file with a finding (a misspelled id leaves
 * its finding unsuppressed there). */
void lx_check_check_suppression_ids(run *r)
{
  const lx_rule *meta = lx_rule_find(LX_UNKNOWN_SUPPRESSION_RULE);
  if (!meta || !lx_check_rule_enabled(r, meta))
    return;
  lx_map seen;
  lx_map_init(&seen);
  size_t nfindings = r->findings.v.n, njobs = r->jobs.n, nshards = r->o->merge_inputs ? r->shards.n : 0;
  for (size_t i = 0; i < njobs + nshards + nfindings; i++) {
    const char *file = i < njobs ? r->jobs.v[i].file
                       : i < njobs + nshards ? r->shards.v[i - njobs].path
                                             : r->findings.v.v[i - njobs - nshards].loc.file;
    if (lx_map_get(&seen, file) || lx_config_excluded(r->cfg, file))
      continue;
    lx_map_put(&seen, file, (void *)file);
    lx_suppress_unknown(&r->findings, file, lx_check_disk_line, r->sources);
  }
  lx_map_free(&seen);
}
