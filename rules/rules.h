/* rules.h - the registry, for the rest of the analyzer: one rule per file, one sorted
 * table, and running them over a program.  A rule file includes rules/api.h only: the
 * program's structs, which this header shows its includers (the driver, the language
 * server and the tests build programs), stay out of the rules. */
#ifndef LX_RULES_H
#define LX_RULES_H

#include "program/context.h"
#include "program/summaries.h"
#include "reports/findings.h"
#include "rules/api.h"

typedef struct {
  const char *id;    /* stable id: file name, doc name, fixture folder, SARIF ruleId */
  const char *title; /* one line */
  lx_severity default_severity;
  const char *tags;  /* comma separated, for SARIF properties */
  const char *precision; /* how often a finding is right: very-high, high, medium, low */
  /* Reads the program only (the build fills every cache before the rules run), so
   * rules run on two threads at once (lx_rules_run). */
  void (*run)(lx_rule_ctx *ctx);
} lx_rule;

/* All registered rules, sorted by id. */
const lx_rule *lx_rules(size_t *n);
const lx_rule *lx_rule_find(const char *id);
/* The severity findings of rule get: the configuration's `severity:` for it, else the
 * rule's default. */
lx_severity lx_rule_severity(const lx_config *cfg, const lx_rule *rule);

/* Runs the rules enabled(rule, arg) accepts over prog, reporting in scope (see
 * lx_rule_ctx), and adds their findings to out in the table's order, with the
 * severity the configuration (prog->cfg) gives each rule.  Two threads share the
 * rules: the build filled every cache, so a rule only reads the program. */
void lx_rules_run(const lx_program *prog, const char *scope, int (*enabled)(const lx_rule *rule, void *arg),
                  void *arg, lx_findings *out);
/* The program as the rules see it: rules/api.h's handle (api.c). */
const lx_prog *lx_rq_prog(const lx_program *prog);

/* Embedded texts: each rule's doc (rules/<id>.md) and the built-in catalogue. */
const char *lx_rule_doc(const char *id);
const char *lx_catalog_text(size_t *len);

/* A new configuration (*out, always set; free with lx_config_free) that knows the
 * registry's rule ids and holds the built-in catalogue: -1, with the error in err, when
 * the catalogue does not load. */
int lx_rules_config(lx_config **out, char *err, size_t errlen);

#endif
