/* suppress.h - `// leash:ignore rule-id reason` comments. */
#ifndef LX_SUPPRESS_H
#define LX_SUPPRESS_H

#include <stddef.h>

#define LX_SUPPRESS_MAX_RULES 8

typedef struct {
  int nrules;
  char rules[LX_SUPPRESS_MAX_RULES][64]; /* "*" matches every rule */
  char reason[256];                      /* empty when none was given */
  unsigned col;                          /* 1-based column of "leash:ignore" */
} lx_suppression;

/* Parses one source line (not NUL-terminated, len bytes).  Returns 1 and fills out
 * when the line has a leash:ignore inside a comment, else 0.  Rule ids are separated
 * by commas; the reason is the rest of the comment. */
int lx_suppress_parse(const char *line, size_t len, lx_suppression *out);
int lx_suppress_matches(const lx_suppression *s, const char *rule);

#endif
