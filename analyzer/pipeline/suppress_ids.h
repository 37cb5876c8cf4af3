/* suppress_ids.h - leash:ignore comments that name no rule. */
#ifndef LX_SUPPRESS_IDS_H
#define LX_SUPPRESS_IDS_H

#include <stddef.h>

#include "reports/findings.h"

#define LX_UNKNOWN_SUPPRESSION_RULE "suppression-of-unknown-rule"

/* Line `line` (1-based) of file without its newline, or NULL past its end (the
 * pipeline's suppressions read lines the same way). */
typedef const char *(*lx_line_fn)(void *arg, const char *file, unsigned line, size_t *len);

/* Adds to out a finding of suppression-of-unknown-rule for every id of a leash:ignore
 * that opens a comment in file (read line by line through line_of) that no rule has ('*' is every
 * rule), naming the rule it was likely meant for.  Returns how many. */
int lx_suppress_unknown(lx_findings *out, const char *file, lx_line_fn line_of, void *arg);

#endif
