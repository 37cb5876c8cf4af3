/* html.c - the HTML report's index (the run, counts of open, new, fixed, baselined and
 * suppressed findings, the trend chart, counts per rule and per file, every finding),
 * its stylesheet, and the order in which a report's files are written. */
#include "reports/html/html.h"

#include <cmark.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Characters of a message shown in the index (the page has all of it). */
#define INDEX_MESSAGE_MAX 220

static const char stylesheet[] =
    ":root{--fg:#24292f;--muted:#57606a;--line:#d8dee4;--bg2:#f6f8fa}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);margin:0 auto;padding:16px 24px;"
    "max-width:1180px;line-height:1.45}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}\n"
    "h3{font-size:1em;margin:1em 0 .3em;font-family:ui-monospace,monospace}\n"
    "a{color:#0550ae}nav{margin-bottom:8px}\n"
    ".run{color:var(--muted)}\n"
    "code,.tx,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}\n"
    "table{border-collapse:collapse}th,td{text-align:left;padding:3px 8px;vertical-align:top}\n"
    "table.counts td.n,table.counts th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.list tr{border-bottom:1px solid var(--line)}table.list thead th{background:var(--bg2)}\n"
    "table.list td code{white-space:nowrap}\n"
    ".summary{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}\n"
    ".summary .card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px}\n"
    ".summary .n{display:block;font-size:1.7em;font-weight:600}\n"
    ".sev{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:.85em;font-weight:600}\n"
    ".sev-error .sev,.sev.sev-error{background:#cf222e}.sev-warning .sev,.sev.sev-warning{background:#9a6700}\n"
    ".sev-note .sev,.sev.sev-note{background:#0969da}\n"
    ".mark{display:inline-block;border-radius:10px;padding:0 8px;margin-right:4px;font-size:.8em;border:1px solid}\n"
    ".mark-new{color:#1a7f37;border-color:#1a7f37;background:#dafbe1}\n"
    ".mark-suppressed{color:#57606a;border-color:#8c959f;background:#eaeef2}\n"
    ".mark-baselined{color:#6639ba;border-color:#8250df;background:#fbefff}\n"
    "tr.suppressed td{color:var(--muted)}tr.suppressed .msg{text-decoration:line-through}\n"
    "svg.trend{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}\n"
    ".message{font-size:1.05em;background:var(--bg2);border-left:4px solid #cf222e;padding:8px 12px}\n"
    ".sev-warning~section .message{border-left-color:#9a6700}.sev-note~section .message{border-left-color:#0969da}\n"
    ".file-note{color:#9a6700;background:#fff8c5;padding:4px 8px;border-radius:4px}\n"
    "table.code{width:100%;border:1px solid var(--line)}table.code td{padding:0 8px}\n"
    "table.code .ln{color:var(--muted);text-align:right;width:1%;user-select:none;background:var(--bg2)}\n"
    "table.code .gut{width:1%;white-space:nowrap}\n"
    ".tx{white-space:pre;tab-size:8}tr.flagged .tx,tr.flagged .ln{background:#fff3bf}\n"
    ".tx mark{background:#ffd8a8;border-bottom:2px solid #e8590c}\n"
    ".step{display:inline-block;min-width:1.3em;text-align:center;border-radius:50%;background:#7048e8;color:#fff;"
    "font-size:.8em;font-weight:700;margin-right:2px}\n"
    ".loc{display:inline-block;min-width:1.3em;text-align:center;color:#57606a;font-weight:700}\n"
    "h1 a.help{font-size:.55em;font-weight:400;margin-left:8px}\n"
    "tr.bubble td:last-child{padding:2px 8px 6px 24px;color:#3b2e7e}\n"
    "tr.bubble td:last-child>*:first-child{margin-left:-18px}\n"
    ".fix pre{background:var(--bg2);padding:8px;overflow:auto}\n"
    "ol.steps li{margin:2px 0}footer{margin-top:32px;color:var(--muted);font-size:.85em}\n";

void lx_html_head(FILE *out, const char *title, const char *base, const char *version)
{
  fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"generator\" content=\"leash %s\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; "
               "img-src 'self' data:\">\n<title>",
          version ? version : "");
  lx_html_esc(out, title, (size_t)-1);
  fprintf(out, "</title>\n<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n<body>\n", base);
}

void lx_html_foot(FILE *out, const char *version)
{
  fprintf(out, "<footer>Written by leash %s from its findings database.</footer>\n</body>\n</html>\n",
          version ? version : "");
}

void lx_html_page_name(const lx_finding *fd, char out[24])
{
  int ok = strlen(fd->fingerprint) == 16;
  for (int i = 0; ok && i < 16; i++)
    ok = (fd->fingerprint[i] >= '0' && fd->fingerprint[i] <= '9') || (fd->fingerprint[i] >= 'a' && fd->fingerprint[i] <= 'f');
  if (ok)
    snprintf(out, 24, "%s.html", fd->fingerprint);
  else
    snprintf(out, 24, "%016llx.html", (unsigned long long)lx_hash64(fd->fingerprint, strlen(fd->fingerprint), 0x68746d6c));
}

void lx_html_marks(FILE *out, const lx_finding *fd, const lx_html_mark *m)
{
  if (m->fresh && !fd->suppressed)
    fputs("<span class=\"mark mark-new\">new</span>", out);
  if (fd->suppressed) {
    fputs("<span class=\"mark mark-suppressed\" title=\"", out);
    lx_html_esc(out, fd->suppress_reason ? fd->suppress_reason : "no reason given", (size_t)-1);
    fputs("\">suppressed</span>", out);
    if (fd->suppress_reason) {
      fputs("<span class=\"reason\">", out);
      lx_html_esc(out, fd->suppress_reason, (size_t)-1);
      fputs("</span>", out);
    }
  }
  if (m->baselined)
    fprintf(out, "<span class=\"mark mark-baselined\" title=\"in the baseline taken from run %" PRId64
                 "\">baselined</span>",
            m->baseline_run);
}

/* ---- the rules' "How to fix", rendered once per rule ------------------------------ */

typedef struct {
  const char *rule;
  char *html; /* cmark's, or NULL when the rule has no such section */
} fix_entry;
typedef LX_VEC(fix_entry) fix_cache;

static char *render_fix(const char *doc)
{
  static const char heading[] = "## How to fix\n";
  const char *at = doc;
  while (at && strncmp(at, heading, sizeof(heading) - 1) != 0) {
    at = strchr(at, '\n');
    at = at ? at + 1 : NULL;
  }
  if (!at)
    return NULL;
  at += sizeof(heading) - 1;
  const char *end = at;
  while (*end && !(end[0] == '#' && end[1] == '#' && (end == at || end[-1] == '\n'))) {
    const char *nl = strchr(end, '\n');
    end = nl ? nl + 1 : end + strlen(end);
  }
  /* CommonMark to HTML; raw HTML in the text is left out (cmark's default). */
  return cmark_markdown_to_html(at, (size_t)(end - at), CMARK_OPT_DEFAULT);
}

static const char *fix_of(fix_cache *cache, const lx_emit_opts *o, const char *rule)
{
  for (size_t i = 0; i < cache->n; i++)
    if (!strcmp(cache->v[i].rule, rule))
      return cache->v[i].html;
  fix_entry e = {rule, NULL};
  for (size_t i = 0; i < o->nrules; i++)
    if (!strcmp(o->rules[i].id, rule) && o->rules[i].doc)
      e.html = render_fix(o->rules[i].doc);
  lx_vec_push(cache, e);
  return e.html;
}

/* ---- the index --------------------------------------------------------------------- */

typedef struct {
  const char *name;
  int64_t open, fresh, baselined, suppressed;
} tally;

typedef struct {
  lx_map at; /* name -> index + 1 in v */
  LX_VEC(tally) v;
} tallies;

static void count(tallies *t, const char *name, const lx_finding *fd, const lx_html_mark *m)
{
  size_t i = (size_t)(uintptr_t)lx_map_get(&t->at, name);
  if (!i) {
    i = t->v.n + 1;
    tally fresh = {lx_map_put(&t->at, name, (void *)(uintptr_t)i), 0, 0, 0, 0};
    lx_vec_push(&t->v, fresh);
  }
  tally *c = &t->v.v[i - 1];
  if (fd->suppressed) {
    c->suppressed++;
    return;
  }
  c->open++;
  c->fresh += m->fresh;
  c->baselined += m->baselined;
}

static int by_open(const void *a, const void *b)
{
  const tally *x = a, *y = b;
  if (x->open != y->open)
    return x->open > y->open ? -1 : 1;
  if (x->suppressed != y->suppressed)
    return x->suppressed > y->suppressed ? -1 : 1;
  return strcmp(x->name, y->name);
}

static void counts_table(FILE *out, const char *id, const char *what, tallies *t)
{
  qsort(t->v.v, t->v.n, sizeof(tally), by_open);
  fprintf(out, "<table class=\"counts list\" id=\"%s\"><thead><tr><th>%s</th><th class=\"n\">open</th>"
               "<th class=\"n\">new</th><th class=\"n\">baselined</th><th class=\"n\">suppressed</th></tr></thead>"
               "<tbody>\n",
          id, what);
  for (size_t i = 0; i < t->v.n; i++) {
    const tally *c = &t->v.v[i];
    fputs("<tr data-name=\"", out);
    lx_html_esc(out, c->name, (size_t)-1);
    fputs("\"><td><code>", out);
    lx_html_esc(out, c->name, (size_t)-1);
    fprintf(out, "</code></td><td class=\"n open\">%" PRId64 "</td><td class=\"n new\">%" PRId64
                 "</td><td class=\"n baselined\">%" PRId64 "</td><td class=\"n suppressed\">%" PRId64 "</td></tr>\n",
            c->open, c->fresh, c->baselined, c->suppressed);
  }
  fputs("</tbody></table>\n", out);
}

/* Up to max bytes of s, cut at a character boundary, with an ellipsis when cut. */
static void esc_cut(FILE *out, const char *s, size_t max)
{
  size_t n = strlen(s);
  if (n <= max) {
    lx_html_esc(out, s, n);
    return;
  }
  while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
    max--;
  lx_html_esc(out, s, max);
  fputs("&#8230;", out);
}

static void summary_card(FILE *out, const char *id, int64_t n, const char *label, int64_t since)
{
  fprintf(out, "<div class=\"card\" id=\"card-%s\"><span class=\"n\" id=\"n-%s\">%" PRId64 "</span>%s", id, id, n,
          label);
  if (since)
    fprintf(out, " since run %" PRId64, since);
  fputs("</div>\n", out);
}

static void run_line(FILE *out, const lx_html_report *r, const char *version)
{
  fprintf(out, "<p class=\"run\" id=\"run\" data-run=\"%" PRId64 "\">run %" PRId64, r->run, r->run);
  const char *parts[][2] = {{"", r->started_at},  {"", r->command},      {"status ", r->status},
                            {"commit ", r->commit}, {"database ", r->db_path}, {"leash ", version}};
  for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
    if (parts[i][1] && *parts[i][1]) {
      fprintf(out, " &#183; %s", parts[i][0]);
      lx_html_esc(out, parts[i][1], i == 3 ? 12 : (size_t)-1);
    }
  fputs("</p>\n", out);
}

static void trend_section(FILE *out, const lx_html_report *r)
{
  fputs("<section id=\"trend\"><h2>Trend</h2>\n", out);
  lx_html_trend_svg(out, r->trend, r->ntrend);
  fputs("<details><summary>The runs</summary>\n<table class=\"counts list\" id=\"trend-table\"><thead><tr><th>run"
        "</th><th>started (UTC)</th><th class=\"n\">open</th><th class=\"n\">new</th><th class=\"n\">fixed</th></tr>"
        "</thead><tbody>\n",
        out);
  for (size_t i = 0; i < r->ntrend; i++) {
    const lx_html_point *p = &r->trend[i];
    fprintf(out, "<tr data-run=\"%" PRId64 "\"><td>%" PRId64 "</td><td>", p->run, p->run);
    lx_html_esc(out, p->started_at, (size_t)-1);
    fprintf(out, "</td><td class=\"n open\">%" PRId64 "</td><td class=\"n new\">%" PRId64 "</td><td class=\"n "
                 "fixed\">%" PRId64 "</td></tr>\n",
            p->open, p->fresh, p->fixed);
  }
  fputs("</tbody></table>\n</details>\n</section>\n", out);
}

static void findings_table(FILE *out, const lx_html_report *r, const lx_emit_opts *o)
{
  fputs("<section><h2>Findings</h2>\n<table class=\"list\" id=\"findings\"><thead><tr><th>severity</th><th>where</th>"
        "<th>rule</th><th>function</th><th>message</th><th></th></tr></thead><tbody>\n",
        out);
  for (size_t i = 0; i < r->findings->v.n; i++) {
    const lx_finding *fd = &r->findings->v.v[i];
    const lx_html_mark *m = &r->marks[i];
    const char *sev = lx_severity_name(fd->severity);
    char name[24];
    lx_html_page_name(fd, name);
    fprintf(out, "<tr class=\"finding sev-%s%s%s%s\" data-rule=\"", sev, fd->suppressed ? " suppressed" : "",
            m->baselined ? " baselined" : "", m->fresh && !fd->suppressed ? " new" : "");
    lx_html_esc(out, fd->rule, (size_t)-1);
    fprintf(out, "\"><td><span class=\"sev\">%s</span></td><td><a href=\"findings/%s\">", sev, name);
    lx_html_esc(out, lx_display_path(fd->loc.file, o->root), (size_t)-1);
    fprintf(out, ":%u:%u</a></td><td><code>", fd->loc.line, fd->loc.col);
    lx_html_esc(out, fd->rule, (size_t)-1);
    fputs("</code></td><td><code>", out);
    lx_html_esc(out, fd->function, (size_t)-1);
    fputs("</code></td><td class=\"msg\">", out);
    esc_cut(out, fd->message, INDEX_MESSAGE_MAX);
    fputs("</td><td class=\"marks\">", out);
    lx_html_marks(out, fd, m);
    fputs("</td></tr>\n", out);
  }
  fputs("</tbody></table>\n</section>\n", out);
}

static void fixed_table(FILE *out, const lx_html_report *r, const lx_emit_opts *o)
{
  fprintf(out, "<section><h2>Fixed since run %" PRId64 "</h2>\n", r->prev_run);
  if (!r->fixed || r->fixed->v.n == 0) {
    fputs("<p id=\"fixed-none\">None.</p>\n</section>\n", out);
    return;
  }
  fputs("<table class=\"list\" id=\"fixed\"><thead><tr><th>severity</th><th>where (then)</th><th>rule</th>"
        "<th>message</th></tr></thead><tbody>\n",
        out);
  for (size_t i = 0; i < r->fixed->v.n; i++) {
    const lx_finding *fd = &r->fixed->v.v[i];
    const char *sev = lx_severity_name(fd->severity);
    fprintf(out, "<tr class=\"sev-%s\"><td><span class=\"sev\">%s</span></td><td>", sev, sev);
    lx_html_esc(out, lx_display_path(fd->loc.file, o->root), (size_t)-1);
    fprintf(out, ":%u</td><td><code>", fd->loc.line);
    lx_html_esc(out, fd->rule, (size_t)-1);
    fputs("</code></td><td class=\"msg\">", out);
    esc_cut(out, fd->message, INDEX_MESSAGE_MAX);
    fputs("</td></tr>\n", out);
  }
  fputs("</tbody></table>\n</section>\n", out);
}

static int write_index(const lx_html_report *r, const lx_emit_opts *o, char *err, size_t errlen)
{
  lx_html_file f;
  if (lx_html_file_open(&f, r->dir, "index.html", err, errlen) < 0)
    return -1;
  FILE *out = f.out;
  char title[512];
  snprintf(title, sizeof(title), "leash: %s, run %" PRId64, r->project, r->run);
  lx_html_head(out, title, "", o->version);
  fputs("<header><h1>leash: ", out);
  lx_html_esc(out, r->project, (size_t)-1);
  fputs("</h1>\n", out);
  run_line(out, r, o->version);
  fputs("</header>\n", out);

  tallies rules = {0}, files = {0};
  lx_map_init(&rules.at);
  lx_map_init(&files.at);
  int64_t open = 0, fresh = 0, baselined = 0, suppressed = 0, sev[3] = {0, 0, 0};
  for (size_t i = 0; i < r->findings->v.n; i++) {
    const lx_finding *fd = &r->findings->v.v[i];
    const lx_html_mark *m = &r->marks[i];
    count(&rules, fd->rule, fd, m);
    count(&files, lx_display_path(fd->loc.file, o->root), fd, m);
    if (fd->suppressed) {
      suppressed++;
      continue;
    }
    open++;
    fresh += m->fresh;
    baselined += m->baselined;
    if (fd->severity >= LX_SEV_NOTE && fd->severity <= LX_SEV_ERROR)
      sev[fd->severity]++;
  }
  int64_t fixed = r->fixed ? (int64_t)r->fixed->v.n : 0;
  fputs("<section class=\"summary\" id=\"summary\">\n", out);
  summary_card(out, "open", open, " open", 0);
  summary_card(out, "new", fresh, " new", r->prev_run);
  summary_card(out, "fixed", fixed, " fixed", r->prev_run);
  summary_card(out, "baselined", baselined, " baselined", 0);
  summary_card(out, "suppressed", suppressed, " suppressed", 0);
  fprintf(out, "<div class=\"card\" id=\"card-severity\"><span class=\"sev sev-error\">%" PRId64 " error</span> "
               "<span class=\"sev sev-warning\">%" PRId64 " warning</span> <span class=\"sev sev-note\">%" PRId64
               " note</span></div>\n</section>\n",
          sev[LX_SEV_ERROR], sev[LX_SEV_WARNING], sev[LX_SEV_NOTE]);
  trend_section(out, r);
  fputs("<section><h2>By rule</h2>\n", out);
  counts_table(out, "by-rule", "rule", &rules);
  fputs("</section>\n<section><h2>By file</h2>\n", out);
  counts_table(out, "by-file", "file", &files);
  fputs("</section>\n", out);
  findings_table(out, r, o);
  if (r->prev_run)
    fixed_table(out, r, o);
  lx_html_foot(out, o->version);
  lx_map_free(&rules.at);
  lx_map_free(&files.at);
  lx_vec_free(&rules.v);
  lx_vec_free(&files.v);
  return lx_html_file_commit(&f, err, errlen);
}

/* ---- the report -------------------------------------------------------------------- */

static int kept(const char *name, void *arg) { return lx_map_get(arg, name) != NULL; }

int lx_emit_html(const lx_html_report *r, const lx_emit_opts *o, char *err, size_t errlen)
{
  if (lx_html_dir_prepare(r->dir, "findings", err, errlen) < 0)
    return -1;
  lx_html_file f;
  if (lx_html_file_open(&f, r->dir, "style.css", err, errlen) < 0)
    return -1;
  fputs(stylesheet, f.out);
  if (lx_html_file_commit(&f, err, errlen) < 0)
    return -1;
  fix_cache fixes = {0};
  lx_map pages;
  lx_map_init(&pages);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < r->findings->v.n; i++) {
    const lx_finding *fd = &r->findings->v.v[i];
    char name[24];
    lx_html_page_name(fd, name);
    lx_map_put(&pages, name, (void *)1);
    rc = lx_html_finding_page(r, o, i, fix_of(&fixes, o, fd->rule), err, errlen);
  }
  /* The index last: it never links to a page not yet written. */
  if (rc == 0)
    rc = write_index(r, o, err, errlen);
  if (rc == 0) {
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/findings", r->dir);
    rc = lx_html_dir_prune(dir, kept, &pages, err, errlen) < 0 ? -1 : 0;
  }
  for (size_t i = 0; i < fixes.n; i++)
    free(fixes.v[i].html);
  lx_vec_free(&fixes);
  lx_map_free(&pages);
  return rc;
}
