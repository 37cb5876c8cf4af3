/* registry.c - the one table of rules, sorted by id.  Adding a rule touches its .c,
 * its .md, its fixtures folder and this table (its declaration and its line). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* The rules: each defined in its own <id>.c. */
void lx_rule_client_call_without_timeout(lx_rule_ctx *ctx);
void lx_rule_consumer_without_closer(lx_rule_ctx *ctx);
void lx_rule_dns_call_without_deadline(lx_rule_ctx *ctx);
void lx_rule_http_call_without_timeout(lx_rule_ctx *ctx);
void lx_rule_socket_call_without_timeout(lx_rule_ctx *ctx);
void lx_rule_thread_never_joined(lx_rule_ctx *ctx);
void lx_rule_unbounded_spawn(lx_rule_ctx *ctx);

static const lx_rule rules[] = {
    {"client-call-without-timeout", "blocking client-library call on a handle with no timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,network", "medium", lx_rule_client_call_without_timeout},
    {"consumer-without-closer", "worker blocked on a receive that nothing can ever end", LX_SEV_NOTE,
     "concurrency,reliability,resource-leak,shutdown", "high", lx_rule_consumer_without_closer},
    {"dns-call-without-deadline", "name resolution on a request path with no deadline", LX_SEV_ERROR,
     "concurrency,reliability,timeout,dns", "medium", lx_rule_dns_call_without_deadline},
    {"http-call-without-timeout", "libcurl transfer with no total timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,http", "high", lx_rule_http_call_without_timeout},
    {"socket-call-without-timeout", "blocking socket call with no timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,network", "medium", lx_rule_socket_call_without_timeout},
    /* Reported by the driver (and the language server) while it applies suppressions. */
    {"suppression-of-unknown-rule", "leash:ignore comment naming an id that is no rule", LX_SEV_WARNING,
     "maintainability", "very-high", NULL},
    {"suppression-without-reason", "leash:ignore comment without a reason", LX_SEV_WARNING,
     "maintainability", "very-high", NULL},
    {"thread-never-joined", "joinable thread whose handle is never joined or detached", LX_SEV_WARNING,
     "concurrency,reliability,resource-leak", "high", lx_rule_thread_never_joined},
    {"unbounded-spawn", "thread or process started per event with no bound", LX_SEV_ERROR,
     "concurrency,reliability,performance", "high", lx_rule_unbounded_spawn},
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
  const lx_prog *prog;
  const char *scope;
  const char *wanted;   /* per rule: run it */
  _Atomic size_t next;  /* the next rule a thread takes */
  lx_findings *found;   /* per rule */
} work;

/* Takes rules one by one until none is left: two threads share them by how long each
 * takes, and each rule's findings go to its own list. */
static void *run_some(void *arg)
{
  work *w = arg;
  for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < sizeof(rules) / sizeof(rules[0]);)
    if (w->wanted[i]) {
      lx_rule_ctx ctx = {w->prog, &w->found[i], w->scope, rules[i].id};
      rules[i].run(&ctx);
    }
  return NULL;
}

void lx_rules_run(const lx_program *program, const char *scope, int (*enabled)(const lx_rule *rule, void *arg),
                  void *arg, lx_findings *out)
{
  enum { N = sizeof(rules) / sizeof(rules[0]) };
  const lx_prog *prog = lx_rq_prog(program);
  char wanted[N];
  lx_findings found[N];
  for (size_t i = 0; i < N; i++) {
    wanted[i] = rules[i].run && enabled(&rules[i], arg);
    lx_findings_init(&found[i]);
  }
  work w = {prog, scope, wanted, 0, found};
  pthread_t th;
  int threaded = pthread_create(&th, NULL, run_some, &w) == 0;
  run_some(&w);
  if (threaded)
    pthread_join(th, NULL);
  for (size_t i = 0; i < N; i++) {
    const lx_rule_setting *set = lx_config_rule(lx_rq_config(prog), rules[i].id);
    for (size_t k = 0; k < found[i].v.n; k++) {
      lx_finding *fd = lx_findings_append(out, &found[i].v.v[k]);
      if (set && set->severity != LX_SEV_DEFAULT)
        fd->severity = set->severity; /* a rule may give some findings another severity */
    }
    lx_findings_free(&found[i]);
  }
}
