/* text.c - clang-shaped text output: file:line:col: severity: message [rule], the
 * source line and a caret, then a note per related location.  A finding of severity
 * note is printed as a `remark:`, clang's level for a diagnostic of its own that is no
 * warning: parsers of clang's output attach a `note:` line to the diagnostic before it. */
#include <string.h>

#include "reports/findings.h"

static void snippet(FILE *out, const lx_emit_opts *o, const lx_loc *loc)
{
  size_t len;
  const char *line = o->sources ? lx_sources_line(o->sources, loc->file, loc->line, &len) : NULL;
  if (!line)
    return;
  fprintf(out, "%.*s\n", (int)len, line);
  /* The caret keeps the line's tabs so it lines up in any tab width. */
  for (size_t i = 0; i + 1 < loc->col && i < len; i++)
    fputc(line[i] == '\t' ? '\t' : ' ', out);
  fputs(o->color ? "\033[1;32m^\033[0m\n" : "^\n", out);
}

static const char *level(lx_severity s) { return s == LX_SEV_NOTE ? "remark" : lx_severity_name(s); }

static const char *sev_color(lx_severity s)
{
  return s == LX_SEV_ERROR ? "\033[1;31m" : s == LX_SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
}

int lx_emit_text(FILE *out, const lx_findings *f, const lx_emit_opts *o)
{
  for (size_t i = 0; i < f->v.n; i++) {
    const lx_finding *fd = &f->v.v[i];
    if (fd->suppressed)
      continue;
    const char *path = lx_display_path(fd->loc.file, o->root);
    if (o->color)
      fprintf(out, "\033[1m%s:%u:%u: %s%s:\033[0m\033[1m %s [%s]\033[0m\n", path, fd->loc.line,
              fd->loc.col, sev_color(fd->severity), level(fd->severity), fd->message, fd->rule);
    else
      fprintf(out, "%s:%u:%u: %s: %s [%s]\n", path, fd->loc.line, fd->loc.col, level(fd->severity), fd->message,
              fd->rule);
    snippet(out, o, &fd->loc);
    for (int r = 0; r < fd->nrelated; r++) {
      const lx_related *rl = &fd->related[r];
      fprintf(out, "%s:%u:%u: note: %s\n", lx_display_path(rl->loc.file, o->root), rl->loc.line,
              rl->loc.col, rl->message);
      snippet(out, o, &rl->loc);
    }
  }
  return ferror(out) ? -1 : 0;
}
