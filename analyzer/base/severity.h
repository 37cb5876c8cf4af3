/* severity.h - how serious a finding is: the vocabulary the configuration, the rules
 * and every report share. */
#ifndef LX_SEVERITY_H
#define LX_SEVERITY_H

typedef enum { LX_SEV_NOTE = 0, LX_SEV_WARNING = 1, LX_SEV_ERROR = 2, LX_SEV_DEFAULT = -1 } lx_severity;

const char *lx_severity_name(lx_severity s);
/* Returns the severity named s, or LX_SEV_DEFAULT when s names none. */
lx_severity lx_severity_parse(const char *s);

#endif
