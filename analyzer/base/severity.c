/* severity.c - severity names. */
#include "base/severity.h"

#include <string.h>

static const char *const sev_names[] = {"note", "warning", "error"};

const char *lx_severity_name(lx_severity s)
{
  return s >= LX_SEV_NOTE && s <= LX_SEV_ERROR ? sev_names[s] : "warning";
}

lx_severity lx_severity_parse(const char *s)
{
  for (int i = 0; i < 3; i++)
    if (strcmp(s, sev_names[i]) == 0)
      return (lx_severity)i;
  return LX_SEV_DEFAULT;
}
