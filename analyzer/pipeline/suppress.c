/* suppress.c - the suppression comment parser. */
#include "pipeline/suppress.h"

#include <string.h>

static int is_id_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '*';
}

int lx_suppress_parse(const char *line, size_t len, lx_suppression *out)
{
  static const char tag[] = "leash:ignore";
  const size_t tn = sizeof(tag) - 1;
  memset(out, 0, sizeof(*out));
  int in_comment = 0, in_block_only = 0;
  for (size_t i = 0; i + tn <= len; i++) {
    if (!in_comment && i + 1 < len && line[i] == '/' && (line[i + 1] == '/' || line[i + 1] == '*')) {
      in_comment = 1;
      in_block_only = line[i + 1] == '*';
      i++;
      continue;
    }
    if (!in_comment || memcmp(line + i, tag, tn) != 0)
      continue;
    size_t p = i + tn;
    if (p < len && line[p] != ' ' && line[p] != '\t' && line[p] != ':')
      continue;
    out->col = (unsigned)i + 1;
    if (p < len && line[p] == ':')
      p++;
    /* Rule ids: a,b,c */
    for (;;) {
      while (p < len && (line[p] == ' ' || line[p] == '\t'))
        p++;
      size_t s = p;
      while (p < len && is_id_char(line[p]))
        p++;
      if (p == s)
        break;
      if (out->nrules < LX_SUPPRESS_MAX_RULES) {
        size_t n = p - s < 63 ? p - s : 63;
        memcpy(out->rules[out->nrules], line + s, n);
        out->rules[out->nrules][n] = '\0';
        out->nrules++;
      }
      while (p < len && (line[p] == ' ' || line[p] == '\t'))
        p++;
      if (p < len && line[p] == ',') {
        p++;
        continue;
      }
      break;
    }
    /* The reason: the rest, without a closing comment and trailing blanks. */
    while (p < len && (line[p] == ' ' || line[p] == '\t' || line[p] == ':' || line[p] == '-'))
      p++;
    size_t e = len;
    if (in_block_only) {
      for (size_t k = p; k + 1 < len; k++)
        if (line[k] == '*' && line[k + 1] == '/') {
          e = k;
          break;
        }
    }
    while (e > p && (line[e - 1] == ' ' || line[e - 1] == '\t'))
      e--;
    size_t n = e - p < sizeof(out->reason) - 1 ? e - p : sizeof(out->reason) - 1;
    memcpy(out->reason, line + p, n);
    out->reason[n] = '\0';
    return 1;
  }
  return 0;
}

int lx_suppress_matches(const lx_suppression *s, const char *rule)
{
  for (int i = 0; i < s->nrules; i++)
    if (!strcmp(s->rules[i], "*") || !strcmp(s->rules[i], rule))
      return 1;
  return 0;
}
