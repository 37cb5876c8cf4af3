/* evaluation.h - reusing a program-wide evaluation whose inputs did not change.
 *
 * The rules' findings depend on the facts of every TU, the rules selected and the
 * configuration, nothing else.  A run whose TUs all have the facts of an earlier run
 * (cached, or parsed again into the same facts: a comment edited, a file touched)
 * takes that run's raw findings instead of building the program again.  Exclusions,
 * suppressions and fingerprints are applied afterwards, from the sources as they are. */
#ifndef LX_EVALUATION_H
#define LX_EVALUATION_H

#include "reports/findings.h"

/* Keys an evaluation: add the inputs in order, then take the 32 hex digits. */
typedef struct {
  uint64_t h1, h2;
} lx_eval_key;

void lx_eval_key_init(lx_eval_key *k);
/* Adds a string (NULL is distinct from ""). */
void lx_eval_key_add(lx_eval_key *k, const char *s);
void lx_eval_key_final(const lx_eval_key *k, char out[33]);

/* The raw findings as text for the cache (malloc'd). */
char *lx_evaluation_encode(const lx_findings *f);
/* Appends the findings text holds to out.  0, or -1 (out unchanged) when text is not
 * an evaluation of this leash (another format, a rule it does not know). */
int lx_evaluation_decode(const char *text, lx_findings *out);

#endif
