/* rules.h - the rule interface and the registry: one rule per file, one sorted table. */
#ifndef LX_RULES_H
#define LX_RULES_H

#include "program/context.h"
#include "program/summaries.h"
#include "reports/findings.h"

typedef struct {
  const lx_program *prog;
  lx_findings *out;
  /* By lx_fnode.index: whether to report in that function; NULL: in every one.  Each
   * finding is at a call of the function whose body is being checked, so the language
   * server, which shows one file's findings, visits only the functions with a call in
   * that file (the program-wide passes a rule makes first still see everything). */
  const char *scope;
  const char *id; /* the rule's id (its registry entry): what its findings are of */
} lx_rule_ctx;

/* Whether the rule reports in fn (see lx_rule_ctx.scope). */
static inline int lx_rule_visits(const lx_rule_ctx *ctx, const lx_fnode *fn)
{
  return !ctx->scope || ctx->scope[fn->index];
}

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

/* Per function (by lx_fnode.index): whether any path of the program reaches it (reach.c):
 * from main, a function whose address is taken, or (a library) an exported function.
 * Free with free(). */
char *lx_reachable(const lx_program *p);

/* The wrappers between call c (which gets the handle, socket or thread function in
 * its argument a) and origin, the blocking call or spawn deep inside them (spawn: the
 * spawn summaries lead there, else the blocking ones): each call that passes `what`
 * on, as a related location numbered from step.  Returns the step after the last;
 * *origin_fn (unless NULL) gets the name of the function origin is in, when known. */
int lx_relate_hops(lx_rule_ctx *ctx, lx_finding *fd, const lx_call *c, int a, const lx_call *origin, int spawn,
                   const char *what, int step, const char **origin_fn);

/* The path of a finding at call c on its argument a (0: not known), `what` ("handle",
 * "socket") `name`, that blocks in origin: born (where it was made, or NULL), c itself
 * (which `verb`s it: "blocks on", "performs"), each wrapper that passes it on, and
 * blocks (origin's related location; NULL when origin is c). */
void lx_path_blocking(lx_rule_ctx *ctx, lx_finding *fd, const lx_call *c, int a, const lx_call *origin,
                      lx_related *born, lx_related *blocks, const char *what, const char *name, const char *verb);

/* Embedded texts: each rule's doc (rules/<id>.md) and the built-in catalogue. */
const char *lx_rule_doc(const char *id);
const char *lx_catalog_text(size_t *len);
/* A new configuration (*out, always set; free with lx_config_free) that knows the
 * registry's rule ids and holds the built-in catalogue: -1, with the error in err, when
 * the catalogue does not load. */
int lx_rules_config(lx_config **out, char *err, size_t errlen);

/* The rules. */
void lx_rule_client_call_without_timeout(lx_rule_ctx *ctx);
void lx_rule_consumer_without_closer(lx_rule_ctx *ctx);
void lx_rule_dns_call_without_deadline(lx_rule_ctx *ctx);
void lx_rule_http_call_without_timeout(lx_rule_ctx *ctx);
void lx_rule_socket_call_without_timeout(lx_rule_ctx *ctx);
void lx_rule_thread_never_joined(lx_rule_ctx *ctx);
void lx_rule_unbounded_spawn(lx_rule_ctx *ctx);

#endif
