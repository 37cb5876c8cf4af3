/* suppress_ids.c - leash:ignore comments that name no rule: a misspelled id suppresses
 * nothing, so it is reported (rule suppression-of-unknown-rule) with the id meant. */
#include "pipeline/suppress_ids.h"

#include <string.h>

#include "rules/rules.h"
#include "pipeline/suppress.h"

#define RULE LX_UNKNOWN_SUPPRESSION_RULE

/* Edit distance of a and b (ids are short: at most 63 bytes). */
static size_t distance(const char *a, const char *b)
{
  size_t na = strlen(a), nb = strlen(b), row[64];
  if (na > 63 || nb > 63)
    return 64;
  for (size_t j = 0; j <= nb; j++)
    row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

/* The rule id closest to id, when it is close enough to be what was meant. */
static const char *meant(const char *id)
{
  size_t n, best = 64;
  const lx_rule *rules = lx_rules(&n);
  const char *who = NULL;
  for (size_t i = 0; i < n; i++) {
    size_t d = distance(id, rules[i].id);
    if (d < best) {
      best = d;
      who = rules[i].id;
    }
  }
  return who && best <= strlen(who) / 4 + 1 ? who : NULL;
}

/* Whether the leash:ignore at col opens a comment (right after a // or a slash-star that
 * is not inside a string or character literal): prose that mentions leash:ignore further
 * into a comment, or a string that holds one (a test of the parser), names no rule. */
static int opens_comment(const char *text, unsigned col)
{
  size_t i = col - 1;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
    i--;
  if (i < 2 || text[i - 2] != '/' || (text[i - 1] != '/' && text[i - 1] != '*'))
    return 0;
  char quote = 0;
  for (size_t k = 0; k + 2 < i; k++) {
    if (quote && text[k] == '\\')
      k++;
    else if (quote && text[k] == quote)
      quote = 0;
    else if (!quote && (text[k] == '"' || text[k] == '\''))
      quote = text[k];
    else if (!quote && text[k] == '/' && (text[k + 1] == '/' || text[k + 1] == '*'))
      return 0; /* an earlier comment: this one is prose inside it */
  }
  return !quote;
}

int lx_suppress_unknown(lx_findings *out, const char *file, lx_line_fn line_of, void *arg)
{
  int found = 0;
  size_t len;
  const char *text;
  for (unsigned line = 1; (text = line_of(arg, file, line, &len)) != NULL; line++) {
    lx_suppression s;
    if (!memmem(text, len, "leash:ignore", 12) || !lx_suppress_parse(text, len, &s) || !opens_comment(text, s.col))
      continue;
    for (int k = 0; k < s.nrules; k++) {
      const char *id = s.rules[k];
      if (!strcmp(id, "*") || lx_rule_find(id))
        continue;
      const char *m = meant(id);
      lx_loc at = {file, line, s.col};
      lx_findings_add(out, RULE, LX_SEV_WARNING, at, NULL, id,
                      "this leash:ignore names '%s', which is not a rule id, so it suppresses nothing%s%s%s",
                      id, m ? "; did you mean '" : " (`leash rules` lists the rules)", m ? m : "", m ? "'?" : "");
      found++;
    }
  }
  return found;
}
