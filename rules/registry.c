/* registry.c - the one table of rules, sorted by id.  Adding a rule touches its .c,
 * its .md, its fixtures folder and this table. */
#include <string.h>

#include "rules.h"

static const lx_rule rules[] = {
    {"consumer-without-closer", "worker blocked on a receive that nothing can ever end", LX_SEV_NOTE,
     "concurrency,reliability,resource-leak,shutdown", "high", lx_rule_consumer_without_closer},
    {"dns-call-without-deadline", "name resolution on a request path with no deadline", LX_SEV_ERROR,
     "concurrency,reliability,timeout,dns", "medium", lx_rule_dns_call_without_deadline},
    {"http-call-without-timeout", "libcurl transfer with no total timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,http", "high", lx_rule_http_call_without_timeout},
    {"socket-call-without-timeout", "blocking socket call with no timeout", LX_SEV_WARNING,
     "concurrency,reliability,timeout,network", "medium", lx_rule_socket_call_without_timeout},
    /* Reported by the driver while it applies suppressions. */
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
