/* driver.c - runs the pipeline for `leash check`: compilation database -> translation
 * units -> facts -> program summaries -> rules -> suppressions -> report. */
#include "driver.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "../reports/findings.h"
#include "../rules/rules.h"
#include "compdb.h"
#include "program.h"
#include "suppress.h"
#include "tu.h"

#define SUPPRESSION_RULE "suppression-without-reason"

typedef struct {
  const lx_check_opts *o;
  lx_config *cfg;
  lx_cmds jobs;
  LX_VEC(lx_tu_facts *) facts;
  lx_findings findings;
  lx_sources *sources;
  char root[PATH_MAX];
  int tu_failed;
} run;

static int usage_error(const char *fmt, const char *a, const char *b)
{
  fputs("leash: ", stderr);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  return LX_EXIT_USAGE;
}

static int load_config(run *r)
{
  char err[1024];
  size_t len;
  const char *text = lx_catalog_text(&len);
  r->cfg = lx_config_new();
  if (lx_config_load_string(r->cfg, "rules/catalog.yaml", text, len, 0, err, sizeof(err)) < 0)
    return usage_error("%s%s", err, "");
  char *path = r->o->config_path ? lx_xstrdup(r->o->config_path) : lx_config_find(".");
  if (!path)
    return 0;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    usage_error("%s: is a directory, not a configuration file%s", path, "");
    free(path);
    return LX_EXIT_USAGE;
  }
  int rc = lx_config_load(r->cfg, path, 1, err, sizeof(err));
  if (rc == 0) {
    char real[PATH_MAX];
    if (realpath(path, real)) {
      char *slash = strrchr(real, '/');
      if (slash)
        *slash = '\0';
      r->cfg->root = lx_arena_strdup(&r->cfg->arena, real);
    }
  }
  free(path);
  return rc < 0 ? usage_error("%s%s", err, "") : 0;
}

static int rule_enabled(const run *r, const lx_rule *rule)
{
  if (r->o->rules) {
    const char *p = r->o->rules;
    size_t n = strlen(rule->id);
    int hit = 0;
    while (*p && !hit) {
      const char *e = strchr(p, ',');
      size_t len = e ? (size_t)(e - p) : strlen(p);
      hit = len == n && !strncmp(p, rule->id, n);
      p = e ? e + 1 : p + len;
    }
    if (!hit)
      return 0;
  }
  const lx_rule_setting *s = lx_config_rule(r->cfg, rule->id);
  return !s || s->enabled != 0;
}

static int check_rules_option(const run *r)
{
  const char *p = r->o->rules;
  while (p && *p) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    char id[128];
    snprintf(id, sizeof(id), "%.*s", (int)(len < 127 ? len : 127), p);
    if (!lx_rule_find(id))
      return usage_error("--rules: unknown rule id '%s' (see `leash rules`)%s", id, "");
    p = e ? e + 1 : p + len;
  }
  return 0;
}

/* The jobs: every TU of the database, or each file given with its flags. */
static int plan(run *r)
{
  char err[1024];
  const lx_check_opts *o = r->o;
  lx_cmds db = {0};
  char *db_dir = NULL;
  if (o->compdb_dir) {
    if (lx_compdb_load(o->compdb_dir, &db, err, sizeof(err)) < 0)
      return usage_error("%s%s", err, "");
    db_dir = lx_xstrdup(o->compdb_dir);
  }
  if (o->nfiles == 0) {
    if (!o->compdb_dir)
      return usage_error("no input: give files, or -p DIR with a compile_commands.json%s%s", "", "");
    for (size_t i = 0; i < db.n; i++)
      if (!lx_config_excluded(r->cfg, db.v[i].file))
        lx_vec_push(&r->jobs, db.v[i]);
      else
        lx_cmd_free(&db.v[i]);
    lx_vec_free(&db);
    free(db_dir);
    return 0;
  }
  for (int i = 0; i < o->nfiles; i++) {
    char abs[PATH_MAX];
    struct stat st;
    if (stat(o->files[i], &st) != 0) {
      lx_cmds_free(&db);
      free(db_dir);
      return usage_error("%s: cannot read: %s", o->files[i], strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      lx_cmds_free(&db);
      free(db_dir);
      return usage_error("%s: is a directory (give C files, or -p DIR for a compilation database)%s",
                         o->files[i], "");
    }
    if (!realpath(o->files[i], abs)) {
      lx_cmds_free(&db);
      free(db_dir);
      return usage_error("%s: %s", o->files[i], strerror(errno));
    }
    if (!o->compdb_dir) {
      char *found = lx_compdb_discover(abs);
      if (found && (!db_dir || strcmp(found, db_dir) != 0)) {
        lx_cmds_free(&db);
        free(db_dir);
        db_dir = found;
        if (lx_compdb_load(db_dir, &db, err, sizeof(err)) < 0) {
          free(db_dir);
          return usage_error("%s%s", err, "");
        }
      } else {
        free(found);
      }
    }
    lx_cmd c;
    lx_compdb_lookup(&db, abs, &c);
    if (r->o->verbose)
      fprintf(stderr, "leash: %s: flags from %s\n", abs, c.how);
    lx_vec_push(&r->jobs, c);
  }
  lx_cmds_free(&db);
  free(db_dir);
  return 0;
}

static void analyse(run *r)
{
  void *index = lx_tu_index_new();
  for (size_t i = 0; i < r->jobs.n; i++) {
    const lx_cmd *c = &r->jobs.v[i];
    if (r->o->verbose)
      fprintf(stderr, "leash: [%zu/%zu] %s\n", i + 1, r->jobs.n, c->file);
    lx_tu_facts *f = NULL;
    lx_tu_status st = lx_tu_analyse(index, c, &f, r->o->quiet ? NULL : stderr);
    if (st != LX_TU_OK)
      r->tu_failed++;
    if (f)
      lx_vec_push(&r->facts, f);
  }
  lx_tu_index_free(index);
}

static void run_rules(run *r, const lx_program *prog)
{
  size_t n;
  const lx_rule *rules = lx_rules(&n);
  for (size_t i = 0; i < n; i++) {
    if (!rules[i].run || !rule_enabled(r, &rules[i]))
      continue;
    size_t first = r->findings.v.n;
    lx_rule_ctx ctx = {prog, &r->findings};
    rules[i].run(&ctx);
    const lx_rule_setting *s = lx_config_rule(r->cfg, rules[i].id);
    if (s && s->severity != LX_SEV_DEFAULT)
      for (size_t k = first; k < r->findings.v.n; k++)
        r->findings.v.v[k].severity = s->severity;
  }
}

/* Marks suppressed findings; reports suppressions that give no reason. */
static void apply_suppressions(run *r)
{
  size_t n = r->findings.v.n;
  for (size_t i = 0; i < n; i++) {
    lx_finding *fd = &r->findings.v.v[i];
    for (unsigned line = fd->loc.line; line + 1 >= fd->loc.line && line >= 1; line--) {
      size_t len;
      const char *text = lx_sources_line(r->sources, fd->loc.file, line, &len);
      lx_suppression s;
      if (!text || !lx_suppress_parse(text, len, &s) || !lx_suppress_matches(&s, fd->rule))
        continue;
      fd->suppressed = 1;
      if (s.reason[0]) {
        fd->suppress_reason = lx_arena_strdup(&r->findings.arena, s.reason);
      } else {
        lx_loc at = {fd->loc.file, line, s.col};
        const lx_rule *meta = lx_rule_find(SUPPRESSION_RULE);
        if (meta && rule_enabled(r, meta)) {
          lx_findings_add(&r->findings, SUPPRESSION_RULE, LX_SEV_WARNING, at, fd->function, fd->rule,
                          "this leash:ignore of %s gives no reason; write why the finding does not "
                          "apply after the rule id", fd->rule);
          fd = &r->findings.v.v[i]; /* the add may have moved the array */
        }
      }
      break;
    }
  }
}

static void drop_excluded(run *r)
{
  size_t w = 0;
  for (size_t i = 0; i < r->findings.v.n; i++)
    if (!lx_config_excluded(r->cfg, r->findings.v.v[i].loc.file))
      r->findings.v.v[w++] = r->findings.v.v[i];
  r->findings.v.n = w;
}

int lx_verify(const lx_findings *f, const char *const *files, size_t nfiles, lx_sources *src,
              const char *root, int (*ran)(const char *rule, void *arg), void *arg);

/* For --verify: expectations of rules left out with --rules or disabled are not
 * checked; without --rules, those of rules that do not exist are (and fail). */
static int rule_ran(const char *id, void *arg)
{
  const run *r = arg;
  const lx_rule *rule = lx_rule_find(id);
  if (!rule)
    return r->o->rules == NULL;
  return rule_enabled(r, rule);
}

static int emit(run *r)
{
  const lx_check_opts *o = r->o;
  FILE *out = stdout;
  char tmp[PATH_MAX + 16] = "";
  if (o->output) {
    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", o->output, (long)getpid());
    out = fopen(tmp, "w");
    if (!out)
      return usage_error("%s: cannot write: %s", o->output, strerror(errno));
  }
  int color = o->color >= 0 ? o->color : (!o->output && isatty(fileno(stdout)));
  lx_emit_opts eo = {r->root, color && o->format == LX_FMT_TEXT, r->sources};
  int rc = o->format == LX_FMT_JSON ? lx_emit_json(out, &r->findings, &eo)
                                    : lx_emit_text(out, &r->findings, &eo);
  if (o->output) {
    if (fclose(out) != 0)
      rc = -1;
    if (rc == 0 && rename(tmp, o->output) != 0)
      rc = -1;
    if (rc != 0) {
      unlink(tmp);
      return usage_error("%s: cannot write: %s", o->output, strerror(errno));
    }
  } else if (fflush(stdout) != 0) {
    return LX_EXIT_USAGE;
  }
  return 0;
}

static void run_free(run *r)
{
  for (size_t i = 0; i < r->facts.n; i++)
    lx_facts_free(r->facts.v[i]);
  lx_vec_free(&r->facts);
  lx_cmds_free(&r->jobs);
  lx_findings_free(&r->findings);
  lx_sources_free(r->sources);
  lx_config_free(r->cfg);
}

int lx_check(const lx_check_opts *o)
{
  run r;
  memset(&r, 0, sizeof(r));
  r.o = o;
  lx_findings_init(&r.findings);
  r.sources = lx_sources_new();
  if (!getcwd(r.root, sizeof(r.root)))
    r.root[0] = '\0';
  int rc = load_config(&r);
  if (!rc)
    rc = check_rules_option(&r);
  if (!rc)
    rc = plan(&r);
  if (rc) {
    run_free(&r);
    return rc;
  }
  analyse(&r);
  lx_program *prog = lx_program_build(r.facts.v, r.facts.n, r.cfg);
  run_rules(&r, prog);
  lx_program_free(prog);
  drop_excluded(&r);
  apply_suppressions(&r);
  lx_findings_sort(&r.findings);
  lx_findings_fingerprint(&r.findings, r.sources, r.root);

  if (o->verify) {
    const char **files = lx_xcalloc(r.jobs.n + 1, sizeof(char *));
    for (size_t i = 0; i < r.jobs.n; i++)
      files[i] = r.jobs.v[i].file;
    rc = lx_verify(&r.findings, files, r.jobs.n, r.sources, r.root, rule_ran, &r);
    free(files);
    if (r.tu_failed && rc == 0) {
      fprintf(stderr, "leash: %d translation unit(s) could not be analysed\n", r.tu_failed);
      rc = LX_EXIT_TU;
    }
    run_free(&r);
    return rc;
  }

  rc = emit(&r);
  if (!rc) {
    int worst = 0;
    for (size_t i = 0; i < r.findings.v.n; i++)
      if (!r.findings.v.v[i].suppressed && r.findings.v.v[i].severity >= o->fail_on)
        worst = 1;
    if (r.tu_failed) {
      if (!o->quiet)
        fprintf(stderr, "leash: %d of %zu translation unit(s) had errors; findings are from what "
                        "could be parsed\n", r.tu_failed, r.jobs.n);
      rc = LX_EXIT_TU;
    } else {
      rc = worst ? LX_EXIT_FINDINGS : LX_EXIT_OK;
    }
  }
  run_free(&r);
  return rc;
}

int lx_facts_dump(const lx_check_opts *o)
{
  run r;
  memset(&r, 0, sizeof(r));
  r.o = o;
  lx_findings_init(&r.findings);
  r.sources = lx_sources_new();
  int rc = load_config(&r);
  if (!rc)
    rc = plan(&r);
  if (!rc) {
    analyse(&r);
    json_t *arr = json_array();
    for (size_t i = 0; i < r.facts.n; i++)
      json_array_append_new(arr, lx_facts_to_json(r.facts.v[i]));
    json_dumpf(arr, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(arr);
    rc = r.tu_failed ? LX_EXIT_TU : LX_EXIT_OK;
  }
  run_free(&r);
  return rc;
}
