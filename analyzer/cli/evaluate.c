/* evaluate.c - facts -> program -> rules -> findings, suppressed, sorted and fingerprinted: the
 * program-wide evaluation, reused from the evaluation cache when no input changed. */
#include <stdio.h>
#include <stdlib.h>

#include "cache/evaluation.h"
#include "cli/check_internal.h"
#include "pipeline/pipeline.h"

static int wanted(const lx_rule *rule, void *arg) { return lx_check_rule_enabled(arg, rule); }

static void say_program(size_t k, size_t nprog, size_t ntus, void *arg)
{
  (void)arg;
  fprintf(stderr, "leash: program %zu of %zu: %zu translation unit(s)\n", k + 1, nprog, ntus);
}

/* The key of this run's program-wide evaluation (see evaluation.h): every job's facts
 * digest, this executable (the rules' code), the rules selected, the catalogue and the
 * configuration.  Returns -1 when the run does not cache evaluations (no database;
 * merge and --pre-commit runs, whose facts come from elsewhere). */
static int evaluation_key(const run *r, char out[33])
{
  if (!r->db || !r->tu_digests || r->o->merge_inputs || r->o->pre_commit)
    return -1;
  lx_eval_key k;
  lx_eval_key_init(&k);
  size_t len;
  const char *catalog = lx_catalog_text(&len);
  char h[17];
  snprintf(h, sizeof(h), "%016llx", (unsigned long long)lx_hash64(catalog, len, 0));
  lx_eval_key_add(&k, r->facts_version);
  lx_eval_key_add(&k, lx_self_digest()); /* the rules' code: a rebuilt leash evaluates anew */
  lx_eval_key_add(&k, h);
  lx_eval_key_add(&k, r->config_digest);
  lx_eval_key_add(&k, r->o->rules);
  for (size_t i = 0; i < r->jobs.n; i++) {
    lx_eval_key_add(&k, r->jobs.v[i].file);
    lx_eval_key_add(&k, r->tu_digests[i][0] ? r->tu_digests[i] : NULL);
  }
  lx_eval_key_final(&k, out);
  return 0;
}

/* -v: an `apis:` entry of .leash.yaml that names a function no TU declares or calls
 * configures nothing (a misspelled name). */
static void say_unused_api(const lx_api *api, void *arg)
{
  (void)arg;
  fprintf(stderr, "leash: %s: API '%s' is not declared or called in any translation unit\n", api->origin,
          api->name);
}

/* The rules over the whole program: reused from an earlier run with the same inputs,
 * or computed (and cached); then exclusions, suppressions, order and fingerprints. */
int lx_check_evaluate(run *r)
{
  char key[33];
  int cacheable = evaluation_key(r, key) == 0;
  char *text = cacheable ? lx_db_evaluation_get(r->db, key) : NULL;
  int reused = text && lx_evaluation_decode(text, &r->findings) == 0;
  free(text);
  if (r->o->verbose && cacheable)
    fprintf(stderr, "leash: program-wide evaluation %s\n",
            reused ? "reused (no translation unit's facts changed)" : "computed");
  /* With -v the misspelled entries are said on every run, a reused evaluation's too. */
  if (!reused || (r->o->verbose && lx_config_user_apis(r->cfg))) {
    int rc = lx_check_load_facts(r);
    if (rc)
      return rc;
    if (r->o->verbose)
      lx_config_unused_apis(r->cfg, r->facts.v, r->facts.n, say_unused_api, NULL);
    lx_facts_pool_seal(r->pool); /* every TU's facts are read */
    if (r->o->verbose) {
      lx_facts_pool_stats st;
      lx_facts_pool_count(r->pool, &st);
      fprintf(stderr, "leash: facts of %zu translation unit(s): %zu distinct strings (%zu bytes), %zu distinct "
                      "paths, %zu functions, %zu more shared\n", r->facts.n, st.strings, st.string_bytes, st.paths,
              st.funcs, st.shared);
    }
  }
  if (!reused) {
    /* One program-wide analysis per program the database builds (partition.c). */
    lx_pipeline pl = {.cfg = r->cfg, .enabled = wanted, .arg = r, .progress = r->o->verbose ? say_program : NULL};
    lx_pipeline_rules(&pl, r->facts.v, r->facts.n, &r->findings);
    if (cacheable) {
      char *enc = lx_evaluation_encode(&r->findings);
      int rc = lx_db_evaluation_put(r->db, key, enc, r->run_id);
      free(enc);
      if (rc < 0)
        return lx_check_db_error(r);
    }
  }
  lx_pipeline pl = {.cfg = r->cfg, .enabled = wanted, .arg = r};
  lx_pipeline_suppress(&pl, &r->findings, lx_check_disk_line, r->sources);
  lx_check_check_suppression_ids(r);
  lx_findings_sort(&r->findings);
  lx_findings_fingerprint(&r->findings, r->sources, r->project);
  return 0;
}
