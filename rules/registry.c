/* registry.c - the one table of rules, sorted by id.  Adding a rule touches its .c,
 * its .md, its fixtures folder and this table. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static const lx_rule rules[] = {
    {"client-call-without-timeout", "blocking client-library call on a handle with no timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,network", "medium", lx_rule_client_call_without_timeout, 1},
    {"consumer-without-closer", "worker blocked on a receive that nothing can ever end", LX_SEV_NOTE,
     "concurrency,reliability,resource-leak,shutdown", "high", lx_rule_consumer_without_closer, 0},
    {"dns-call-without-deadline", "name resolution on a request path with no deadline", LX_SEV_ERROR,
     "concurrency,reliability,timeout,dns", "medium", lx_rule_dns_call_without_deadline, 0},
    {"http-call-without-timeout", "libcurl transfer with no total timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,http", "high", lx_rule_http_call_without_timeout, 1},
    {"socket-call-without-timeout", "blocking socket call with no timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,network", "medium", lx_rule_socket_call_without_timeout, 1},
    /* Reported by the driver while it applies suppressions. */
    {"suppression-without-reason", "leash:ignore comment without a reason", LX_SEV_WARNING,
     "maintainability", "very-high", NULL, 0},
    {"thread-never-joined", "joinable thread whose handle is never joined or detached", LX_SEV_WARNING,
     "concurrency,reliability,resource-leak", "high", lx_rule_thread_never_joined, 0},
    {"unbounded-spawn", "thread or process started per event with no bound", LX_SEV_ERROR,
     "concurrency,reliability,performance", "high", lx_rule_unbounded_spawn, 0},
};

const lx_rule *lx_rules(size_t *n)
{
  *n = sizeof(rules) / sizeof(rules[0]);
  return rules;
}

const lx_rule *lx_rule_find(const char *id)
{
  for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
    if (!strcmp(rules[i].id, id))
      return &rules[i];
  return NULL;
}

lx_severity lx_rule_severity(const lx_config *cfg, const lx_rule *rule)
{
  const lx_rule_setting *set = cfg ? lx_config_rule(cfg, rule->id) : NULL;
  return set && set->severity != LX_SEV_DEFAULT ? set->severity : rule->default_severity;
}

typedef struct {
  const lx_program *prog;
  const char *scope;
  const char *wanted; /* per rule: run it */
  int reads_only;     /* which of the two groups this runs */
  lx_findings *found; /* per rule */
} group;

static void *run_group(void *arg)
{
  const group *g = arg;
  for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
    if (g->wanted[i] && (int)rules[i].reads_only == g->reads_only) {
      lx_rule_ctx ctx = {g->prog, &g->found[i], g->scope};
      rules[i].run(&ctx);
    }
  return NULL;
}

void lx_rules_run(const lx_program *prog, const char *scope, int (*enabled)(const lx_rule *rule, void *arg),
                  void *arg, lx_findings *out)
{
  enum { N = sizeof(rules) / sizeof(rules[0]) };
  char wanted[N];
  lx_findings found[N];
  for (size_t i = 0; i < N; i++) {
    wanted[i] = rules[i].run && enabled(&rules[i], arg);
    lx_findings_init(&found[i]);
  }
  group side = {prog, scope, wanted, 1, found}, rest = {prog, scope, wanted, 0, found};
  pthread_t th;
  int threaded = pthread_create(&th, NULL, run_group, &side) == 0;
  if (!threaded)
    run_group(&side);
  run_group(&rest);
  if (threaded)
    pthread_join(th, NULL);
  for (size_t i = 0; i < N; i++) {
    const lx_rule_setting *set = lx_config_rule(prog->cfg, rules[i].id);
    for (size_t k = 0; k < found[i].v.n; k++) {
      lx_finding *fd = lx_findings_append(out, &found[i].v.v[k]);
      if (set && set->severity != LX_SEV_DEFAULT)
        fd->severity = set->severity; /* a rule may give some findings another severity */
    }
    lx_findings_free(&found[i]);
  }
}
