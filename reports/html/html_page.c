/* html_page.c - the HTML report's page of one finding: where it is, the marks, the
 * message, the path steps in order, the source around them with each step's number
 * on its line, and the rule's "How to fix". */
#include "reports/html/html.h"

#include <stdlib.h>
#include <string.h>

/* Lines shown before and after a step; steps closer than twice this share a window. */
#define CONTEXT 4

/* Bytes of the message a finding's own location shows when the rule gave it no step
 * message (the page shows all of it above). */
#define OWN_MESSAGE_MAX 200

/* A place the page marks on the source: a step of the finding's path (no > 0), or
 * another related location or the finding itself when they are not steps (no 0). */
typedef struct {
  lx_loc loc;
  const char *message;
  size_t len; /* of message shown */
  int no;     /* its number on the path, 1-based; 0: not a step */
  int id;     /* unique on the page: the step's number, or nsteps + its rank */
} step;

/* The first clause of a message: up to its first ": " or "; " outside parentheses (the
 * reason and the fix come after), at most OWN_MESSAGE_MAX bytes. */
static size_t first_clause(const char *s)
{
  int depth = 0;
  size_t i = 0;
  for (; s[i] && i < OWN_MESSAGE_MAX; i++) {
    depth += s[i] == '(' ? 1 : s[i] == ')' && depth > 0 ? -1 : 0;
    if (depth == 0 && (s[i] == ':' || s[i] == ';') && s[i + 1] == ' ')
      return i;
  }
  while (i > 0 && s[i] && ((unsigned char)s[i] & 0xc0) == 0x80)
    i--;
  return i;
}

static step own_place(const lx_finding *fd, int no)
{
  const char *m = fd->step_message && *fd->step_message ? fd->step_message : fd->message;
  return (step){fd->loc, m, m == fd->message ? first_clause(m) : strlen(m), no, 0};
}

/* The places of a finding: the steps of its path in order (lx_finding_path), then
 * its related locations that are not steps, then the finding itself when it is not
 * one.  *nsteps gets the number of steps (0: the finding has no path), *own the
 * index of the finding's own place. */
static int places_of(const lx_finding *fd, step *out, int *nsteps, int *own)
{
  int order[LX_MAX_RELATED + 1], n = 0;
  int len = lx_finding_path(fd, order);
  for (int s = 0; s < len; s++, n++) {
    if (order[s] < 0)
      *own = n;
    out[n] = order[s] < 0 ? own_place(fd, s + 1)
                          : (step){fd->related[order[s]].loc, fd->related[order[s]].message,
                                   strlen(fd->related[order[s]].message), s + 1, 0};
  }
  for (int k = 0; k < fd->nrelated; k++)
    if (len == 0 || fd->related[k].step <= 0)
      out[n++] = (step){fd->related[k].loc, fd->related[k].message, strlen(fd->related[k].message), 0, 0};
  if (len == 0) {
    *own = n;
    out[n++] = own_place(fd, 0);
  }
  for (int k = 0; k < n; k++)
    out[k].id = k + 1;
  *nsteps = len;
  return n;
}

static void step_message(FILE *out, const step *s)
{
  lx_html_esc(out, s->message, s->len);
  char next = s->message[s->len];
  if (next && next != ':' && next != ';') /* cut for length, not at a clause's end */
    fputs("&#8230;", out);
}

static void place_item(FILE *out, const step *s, const char *root)
{
  fprintf(out, "<li data-place=\"%d\"", s->id);
  if (s->no)
    fprintf(out, " data-step=\"%d\"", s->no);
  fprintf(out, "><a href=\"#place-%d\">", s->id);
  lx_html_esc(out, lx_display_path(s->loc.file, root), (size_t)-1);
  fprintf(out, ":%u</a> ", s->loc.line);
  step_message(out, s);
  fputs("</li>\n", out);
}

/* A place's marker: its number on the path, or a dot. */
static void marker(FILE *out, const step *s, int anchor)
{
  if (anchor)
    fprintf(out, "<span class=\"%s\" id=\"place-%d\">", s->no ? "step" : "loc", s->id);
  else
    fprintf(out, "<span class=\"%s\">", s->no ? "step" : "loc");
  if (s->no)
    fprintf(out, "%d</span>", s->no);
  else
    fputs("&#8226;</span>", out);
}

static int is_ident(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

static int by_col(const void *a, const void *b)
{
  const step *x = *(const step *const *)a, *y = *(const step *const *)b;
  return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
}

/* One source line: the token at each step's column marked. */
static void code_line(FILE *out, const char *text, size_t len, const step **on, int non)
{
  qsort(on, (size_t)non, sizeof(*on), by_col);
  size_t at = 0;
  for (int k = 0; k < non; k++) {
    size_t c = on[k]->loc.col ? on[k]->loc.col - 1 : 0;
    if (c < at || c >= len)
      continue;
    size_t end = c + 1;
    if (is_ident(text[c]))
      while (end < len && is_ident(text[end]))
        end++;
    lx_html_esc(out, text + at, c - at);
    fputs("<mark>", out);
    lx_html_esc(out, text + c, end - c);
    fputs("</mark>", out);
    at = end;
  }
  lx_html_esc(out, text + at, len - at);
}

static void bubbles(FILE *out, const step **on, int non, const char *file, const char *root)
{
  for (int k = 0; k < non; k++) {
    fprintf(out, "<tr class=\"bubble\" data-place=\"%d\"", on[k]->id);
    if (on[k]->no)
      fprintf(out, " data-step=\"%d\"", on[k]->no);
    fputs("><td class=\"ln\"></td><td class=\"gut\"></td><td>", out);
    marker(out, on[k], 0);
    fputc(' ', out);
    if (!file) {
      lx_html_esc(out, lx_display_path(on[k]->loc.file, root), (size_t)-1);
      fprintf(out, ":%u: ", on[k]->loc.line);
    }
    step_message(out, on[k]);
    fputs("</td></tr>\n", out);
  }
}

static int by_line(const void *a, const void *b)
{
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

/* The source of one file around the steps in it (section k of the page). */
static void source_section(FILE *out, const lx_html_report *r, const lx_emit_opts *o, const lx_finding *fd,
                           const step *st, int nst, const char *file, int k)
{
  const char *shown = lx_display_path(file, o->root);
  fprintf(out, "<section class=\"source\" id=\"src-%d\">\n<h3>", k);
  lx_html_esc(out, shown, (size_t)-1);
  fputs("</h3>\n", out);
  const char *note = r->file_note ? r->file_note(file, r->note_arg) : NULL;
  if (note) {
    fputs("<p class=\"file-note\">", out);
    lx_html_esc(out, note, (size_t)-1);
    fputs("</p>\n", out);
  }
  unsigned lines[LX_MAX_RELATED + 1];
  const step *mine[LX_MAX_RELATED + 1];
  int n = 0;
  for (int i = 0; i < nst; i++)
    if (!strcmp(st[i].loc.file, file))
      lines[n++] = st[i].loc.line;
  qsort(lines, (size_t)n, sizeof(*lines), by_line);
  size_t len;
  int readable = lx_sources_line(o->sources, file, 1, &len) != NULL;
  fputs("<table class=\"code\"><tbody>\n", out);
  if (!readable) { /* the steps in this file, without their lines */
    int non = 0;
    for (int i = 0; i < nst; i++)
      if (!strcmp(st[i].loc.file, file))
        mine[non++] = &st[i];
    bubbles(out, mine, non, NULL, o->root);
  }
  unsigned shown_to = 0;
  for (int i = 0; readable && i < n; i++) {
    if (i > 0 && lines[i] <= shown_to)
      continue;
    unsigned first = lines[i] > CONTEXT ? lines[i] - CONTEXT : 1, last = lines[i] + CONTEXT;
    for (int j = i + 1; j < n && lines[j] <= last + CONTEXT + 1; j++)
      last = lines[j] + CONTEXT;
    if (first > shown_to + 1 && !lx_sources_line(o->sources, file, first, &len))
      break; /* past the end of the file as it is now */
    if (shown_to && first > shown_to + 1)
      fputs("<tr class=\"gap\"><td class=\"ln\">&#8942;</td><td class=\"gut\"></td><td></td></tr>\n", out);
    for (unsigned ln = first > shown_to ? first : shown_to + 1; ln <= last; ln++) {
      const char *text = lx_sources_line(o->sources, file, ln, &len);
      if (!text)
        break;
      int non = 0;
      for (int s = 0; s < nst; s++)
        if (st[s].loc.line == ln && !strcmp(st[s].loc.file, file))
          mine[non++] = &st[s];
      int flagged = ln == fd->loc.line && !strcmp(file, fd->loc.file);
      fprintf(out, "<tr class=\"line%s%s\" id=\"s%d-L%u\" data-line=\"%u\"><td class=\"ln\">%u</td><td class=\"gut\">",
              non ? " has-step" : "", flagged ? " flagged" : "", k, ln, ln, ln);
      for (int s = 0; s < non; s++)
        marker(out, mine[s], 1);
      fputs("</td><td class=\"tx\">", out);
      code_line(out, text, len, mine, non);
      fputs("</td></tr>\n", out);
      bubbles(out, mine, non, file, o->root);
      shown_to = ln;
    }
  }
  fputs("</tbody></table>\n</section>\n", out);
}

int lx_html_finding_page(const lx_html_report *r, const lx_emit_opts *o, size_t i, const char *fix, char *err,
                         size_t errlen)
{
  const lx_finding *fd = &r->findings->v.v[i];
  const lx_html_mark *m = &r->marks[i];
  char name[24], dir[4200];
  lx_html_page_name(fd, name);
  snprintf(dir, sizeof(dir), "%s/findings", r->dir);
  lx_html_file f;
  if (lx_html_file_open(&f, dir, name, err, errlen) < 0)
    return -1;
  FILE *out = f.out;
  const char *where = lx_display_path(fd->loc.file, o->root);
  char title[512];
  snprintf(title, sizeof(title), "%s at %s:%u: leash, run %lld", fd->rule, where, fd->loc.line, (long long)r->run);
  lx_html_head(out, title, "../", o->version);
  const char *sev = lx_severity_name(fd->severity);
  fprintf(out, "<nav><a href=\"../index.html\">&#8592; all findings of run %lld</a></nav>\n", (long long)r->run);
  fprintf(out, "<header class=\"finding sev-%s\" data-fingerprint=\"", sev);
  lx_html_esc(out, fd->fingerprint, (size_t)-1);
  fprintf(out, "\">\n<h1><span class=\"sev sev-%s\">%s</span> <span class=\"rule\">", sev, sev);
  lx_html_esc(out, fd->rule, (size_t)-1);
  fputs("</span>", out);
  const char *help = NULL;
  for (size_t k = 0; k < o->nrules; k++)
    if (!strcmp(o->rules[k].id, fd->rule))
      help = o->rules[k].help_uri;
  if (help) {
    fputs(" <a class=\"help\" href=\"", out);
    lx_html_esc(out, help, (size_t)-1);
    fputs("\">the rule</a>", out);
  }
  step st[LX_MAX_RELATED + 1];
  int nsteps, own = 0, nst = places_of(fd, st, &nsteps, &own);
  fprintf(out, "</h1>\n<p class=\"where\"><a href=\"#place-%d\">", st[own].id);
  lx_html_esc(out, where, (size_t)-1);
  fprintf(out, ":%u:%u</a>", fd->loc.line, fd->loc.col);
  if (fd->function) {
    fputs(" in <code>", out);
    lx_html_esc(out, fd->function, (size_t)-1);
    fputs("()</code>", out);
  }
  fputs("</p>\n<p class=\"marks\">", out);
  lx_html_marks(out, fd, m);
  fputs("</p>\n</header>\n<section><h2>Finding</h2>\n<p class=\"message\" id=\"message\">", out);
  lx_html_esc(out, fd->message, (size_t)-1);
  fputs("</p>\n</section>\n", out);
  if (nsteps) {
    fputs("<section><h2>Path</h2>\n<ol class=\"steps\" id=\"steps\">\n", out);
    for (int s = 0; s < nsteps; s++)
      place_item(out, &st[s], o->root);
    fputs("</ol>\n", out);
    if (nst > nsteps)
      fputs("<h3 class=\"also\">Also</h3>\n", out);
  } else {
    fputs("<section><h2>Locations</h2>\n", out);
  }
  if (nst > nsteps) {
    fputs("<ul class=\"places\" id=\"also\">\n", out);
    for (int s = nsteps; s < nst; s++)
      place_item(out, &st[s], o->root);
    fputs("</ul>\n", out);
  }
  fputs("</section>\n<section><h2>Source</h2>\n", out);
  /* one section per file, in the order the steps reach them */
  for (int s = 0, k = 0; s < nst; s++) {
    int seen = 0;
    for (int t = 0; t < s; t++)
      seen |= !strcmp(st[t].loc.file, st[s].loc.file);
    if (!seen)
      source_section(out, r, o, fd, st, nst, st[s].loc.file, k++);
  }
  fputs("</section>\n", out);
  if (fix) {
    fputs("<section class=\"fix\" id=\"fix\"><h2>How to fix</h2>\n", out);
    fputs(fix, out);
    fputs("</section>\n", out);
  }
  lx_html_foot(out, o->version);
  return lx_html_file_commit(&f, err, errlen);
}
