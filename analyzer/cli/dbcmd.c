/* dbcmd.c - `leash db`: list runs, show a run's findings, diff two runs, and run
 * read-only SQL on the findings database. */
#include "cli/dbcmd.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "reports/store/db_report.h"
#include "cli/driver.h"

static const char db_usage[] =
    "usage: leash db [--db FILE] runs\n"
    "       leash db [--db FILE] show RUN [--format text|json|sarif] [-o FILE]\n"
    "       leash db [--db FILE] diff RUN_A RUN_B [--format text|json]\n"
    "       leash db [--db FILE] sql 'SELECT ...' [--format text|json]\n"
    "RUN is a run id (see `leash db runs`) or `latest`; FILE defaults to " LX_DEFAULT_DB " at the\n"
    "project root (the folder of .leash.yaml, or of the compilation database found like clangd).\n";

typedef struct {
  const char *db_path; /* NULL: the project's */
  const char *output;
  lx_format format;
  int nargs;
  const char *args[4];
} db_opts;

static int bad_usage(const char *what, const char *arg)
{
  fprintf(stderr, "leash: db: %s%s%s\n%s", what, arg ? " " : "", arg ? arg : "", db_usage);
  return LX_EXIT_USAGE;
}

static int parse(int argc, char **argv, db_opts *o)
{
  memset(o, 0, sizeof(*o));
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **slot = !strcmp(a, "--db") ? &o->db_path : !strcmp(a, "-o") ? &o->output : NULL;
    if (slot || !strcmp(a, "--format")) {
      if (i + 1 >= argc)
        return bad_usage("missing value after", a);
      if (slot)
        *slot = argv[++i];
      else if (lx_format_parse(argv[++i], &o->format) < 0)
        return bad_usage("--format: unknown format", argv[i]);
    } else if (!strncmp(a, "--db=", 5)) {
      o->db_path = a + 5;
    } else if (a[0] == '-' && a[1] && !strpbrk(a, " \t\n")) { /* SQL may begin with a -- comment */
      return bad_usage("unknown option", a);
    } else if (o->nargs == 4) {
      return bad_usage("too many arguments", NULL);
    } else {
      o->args[o->nargs++] = a;
    }
  }
  return 0;
}

int lx_db_open_existing(const char *path, int flags, lx_db **db)
{
  char err[1024];
  if (access(path, F_OK) != 0) {
    fprintf(stderr, "leash: %s: no findings database here (run `leash check` first, or give --db FILE)\n", path);
    return LX_EXIT_USAGE;
  }
  if (lx_db_open(path, flags, db, err, sizeof(err)) < 0) {
    fprintf(stderr, "leash: %s\n", err);
    return LX_EXIT_USAGE;
  }
  return 0;
}

int64_t lx_db_run_arg(lx_db *db, const char *db_path, const char *s)
{
  int64_t id = 0;
  if (!strcmp(s, "latest")) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(lx_db_sqlite(db), "SELECT coalesce(id, 0) FROM latest_run", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  } else {
    char *end;
    long long v = strtoll(s, &end, 10);
    id = *end || end == s ? -1 : v;
  }
  sqlite3_stmt *st;
  int found = 0;
  if (id > 0 && sqlite3_prepare_v2(lx_db_sqlite(db), "SELECT 1 FROM runs WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, id);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
  }
  if (!found) {
    fprintf(stderr, "leash: %s: no run '%s' (see `leash db runs`)\n", db_path, s);
    return -1;
  }
  return id;
}

static const char *col(sqlite3_stmt *st, int i)
{
  const char *s = (const char *)sqlite3_column_text(st, i);
  return s ? s : "";
}

static int cmd_runs(lx_db *db)
{
  lx_db_runs_reap(db); /* runs whose process is gone are shown interrupted (best effort) */
  static const char sql[] =
      "SELECT r.id, r.started_at, r.command, coalesce(r.shard, ''), r.status, coalesce(r.exit_code, ''),"
      " (SELECT count(*) FROM translation_units t WHERE t.run_id = r.id),"
      " (SELECT count(*) FROM occurrences o WHERE o.run_id = r.id AND NOT o.suppressed),"
      " substr(coalesce(r.vcs_commit, ''), 1, 12) FROM runs r ORDER BY r.id";
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(lx_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "leash: %s\n", sqlite3_errmsg(lx_db_sqlite(db)));
    return LX_EXIT_USAGE;
  }
  printf("%-5s %-24s %-10s %-7s %-11s %-4s %5s %8s  %s\n", "run", "started (UTC)", "command", "shard", "status",
         "exit", "TUs", "findings", "commit");
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    printf("%-5s %-24s %-10s %-7s %-11s %-4s %5s %8s  %s\n", col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
           col(st, 5), col(st, 6), col(st, 7), col(st, 8));
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : LX_EXIT_USAGE;
}


/* File, a path relative to the project root, made absolute (kept in f's arena). */
static const char *under_root(lx_findings *f, const char *root, const char *file)
{
  if (!file || file[0] == '/' || !root[0])
    return file;
  size_t n = strlen(root) + strlen(file) + 2;
  char *abs = lx_arena_alloc(&f->arena, n);
  snprintf(abs, n, "%s/%s", strcmp(root, "/") ? root : "", file);
  return abs;
}

static int cmd_show(lx_db *db, const db_opts *o)
{
  int64_t run = lx_db_run_arg(db, o->db_path, o->args[1]);
  if (run < 0)
    return LX_EXIT_USAGE;
  lx_findings f;
  lx_findings_init(&f);
  char root[PATH_MAX] = "", started[64] = "", ended[64] = "";
  int exit_code = 0;
  if (lx_db_findings_load(db, run, &f, root, sizeof(root)) < 0) {
    fprintf(stderr, "leash: %s\n", lx_db_error(db));
    lx_findings_free(&f);
    return LX_EXIT_USAGE;
  }
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(lx_db_sqlite(db), "SELECT started_at, finished_at, coalesce(exit_code, 0) FROM runs WHERE id = ?",
                         -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW) {
      snprintf(started, sizeof(started), "%s", col(st, 0));
      snprintf(ended, sizeof(ended), "%s", col(st, 1));
      exit_code = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
  }
  /* Stored paths are the project's (relative to its root); shown as `leash check` shows
   * them, relative to the current folder, and read from there. */
  for (size_t i = 0; i < f.v.n; i++) {
    lx_finding *fd = &f.v.v[i];
    fd->loc.file = under_root(&f, root, fd->loc.file);
    for (int k = 0; k < fd->nrelated; k++)
      fd->related[k].loc.file = under_root(&f, root, fd->related[k].loc.file);
  }
  char here[PATH_MAX];
  if (!getcwd(here, sizeof(here)))
    snprintf(here, sizeof(here), "%s", root);
  lx_sources *src = lx_sources_new();
  lx_emit_opts eo = {.root = here, .sources = src};
  lx_emit_opts_tool(&eo);
  eo.start_utc = started[0] ? started : NULL;
  eo.end_utc = ended[0] ? ended : NULL;
  eo.exit_code = exit_code;
  int rc = lx_report_write(o->output, o->format, &f, &eo);
  lx_sources_free(src);
  lx_findings_free(&f);
  return rc;
}

typedef struct {
  const char *label;
  json_t *arr;
  int n;
} diff_out;

/* Prints one finding of a diff, or appends it to the JSON array. */
static int diff_row(const lx_db_diff_row *r, void *arg)
{
  diff_out *d = arg;
  d->n++;
  if (d->arr)
    json_array_append_new(d->arr, json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s}", "file", r->file, "line", r->line,
                                            "column", r->column, "severity", r->severity, "message", r->message,
                                            "rule", r->rule, "fingerprint", r->fingerprint));
  else
    printf("%s %s:%d:%d: %s: %s [%s]\n", d->label, r->file, r->line, r->column, r->severity, r->message, r->rule);
  return 0;
}

/* Findings of run a that are not in run b, printed one a line or appended to arr;
 * how many, or -1. */
static int diff_side(lx_db *db, int64_t a, int64_t b, const char *label, json_t *arr)
{
  diff_out d = {label, arr, 0};
  return lx_db_run_diff(db, a, b, diff_row, &d) < 0 ? -1 : d.n;
}

static int cmd_diff(lx_db *db, const db_opts *o)
{
  int64_t a = lx_db_run_arg(db, o->db_path, o->args[1]);
  int64_t b = a < 0 ? -1 : lx_db_run_arg(db, o->db_path, o->args[2]);
  if (a < 0 || b < 0)
    return LX_EXIT_USAGE;
  json_t *fresh = o->format == LX_FMT_JSON ? json_array() : NULL;
  json_t *fixed = fresh ? json_array() : NULL;
  int n_new = diff_side(db, b, a, "new", fresh);
  int n_fixed = n_new < 0 ? -1 : diff_side(db, a, b, "fixed", fixed);
  if (n_new < 0 || n_fixed < 0) {
    fprintf(stderr, "leash: %s\n", lx_db_error(db));
    json_decref(fresh);
    json_decref(fixed);
    return LX_EXIT_USAGE;
  }
  if (fresh) {
    json_t *j = json_pack("{s:I, s:I, s:o, s:o}", "from", (json_int_t)a, "to", (json_int_t)b, "new", fresh, "fixed",
                          fixed);
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(j);
  } else {
    printf("run %lld -> %lld: %d new, %d fixed\n", (long long)a, (long long)b, n_new, n_fixed);
  }
  return fflush(stdout) == 0 ? 0 : LX_EXIT_USAGE;
}

static json_t *value_json(sqlite3_stmt *st, int i)
{
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_INTEGER:
    return json_integer(sqlite3_column_int64(st, i));
  case SQLITE_FLOAT:
    return json_real(sqlite3_column_double(st, i));
  case SQLITE_NULL:
    return json_null();
  default: {
    json_t *s = json_stringn((const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
    return s ? s : json_string("<blob>");
  }
  }
}

/* Prints the rows of one statement: a header line and '|'-separated rows, or JSON. */
static int print_rows(sqlite3_stmt *st, json_t *arr)
{
  int n = sqlite3_column_count(st), rc, first = 1;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (arr) {
      json_t *row = json_object();
      for (int i = 0; i < n; i++)
        json_object_set_new(row, sqlite3_column_name(st, i), value_json(st, i));
      json_array_append_new(arr, row);
      continue;
    }
    if (first)
      for (int i = 0; i < n; i++)
        printf("%s%s", sqlite3_column_name(st, i), i + 1 < n ? "|" : "\n");
    first = 0;
    for (int i = 0; i < n; i++)
      printf("%s%s", col(st, i), i + 1 < n ? "|" : "\n");
  }
  return rc == SQLITE_DONE ? 0 : -1;
}

static int cmd_sql(lx_db *db, const db_opts *o)
{
  sqlite3 *h = lx_db_sqlite(db);
  const char *sql = o->args[1];
  json_t *arr = o->format == LX_FMT_JSON ? json_array() : NULL;
  int rc = 0;
  while (rc == 0 && sql && *sql) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, &tail) != SQLITE_OK) {
      fprintf(stderr, "leash: db sql: %s\n", sqlite3_errmsg(h));
      rc = LX_EXIT_USAGE;
    } else if (st && !sqlite3_stmt_readonly(st)) {
      fprintf(stderr, "leash: db sql: only read-only statements are allowed (SELECT, WITH, read-only PRAGMA)\n");
      rc = LX_EXIT_USAGE;
    } else if (st && print_rows(st, arr) < 0) {
      fprintf(stderr, "leash: db sql: %s\n", sqlite3_errmsg(h));
      rc = LX_EXIT_USAGE;
    }
    sqlite3_finalize(st);
    sql = tail;
  }
  if (arr && rc == 0) {
    json_dumpf(arr, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
  }
  json_decref(arr);
  return rc == 0 && fflush(stdout) != 0 ? LX_EXIT_USAGE : rc;
}

static int db_command(const db_opts *o);

int lx_db_command(int argc, char **argv)
{
  db_opts o;
  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(db_usage, stdout);
    return 0;
  }
  if (parse(argc, argv, &o))
    return LX_EXIT_USAGE;
  char *mine = o.db_path ? NULL : lx_default_db(NULL);
  if (mine)
    o.db_path = mine;
  int rc = 0;
  if (o.nargs == 0)
    rc = bad_usage("missing subcommand", NULL);
  else
    rc = db_command(&o);
  free(mine);
  return rc;
}

static int db_command(const db_opts *op)
{
  const db_opts o = *op;
  static const struct {
    const char *name;
    int nargs;
  } subs[] = {{"runs", 0}, {"show", 1}, {"diff", 2}, {"sql", 1}};
  int which = -1;
  for (int i = 0; i < 4; i++)
    if (!strcmp(o.args[0], subs[i].name))
      which = i;
  if (which < 0)
    return bad_usage("unknown subcommand", o.args[0]);
  if (o.nargs - 1 != subs[which].nargs)
    return bad_usage("wrong number of arguments for", o.args[0]);
  if (o.format == LX_FMT_SARIF && which != 1)
    return bad_usage("--format sarif is for `show`", NULL);
  lx_db *db = NULL;
  int rc = lx_db_open_existing(o.db_path, which == 3 ? LX_DB_READONLY : 0, &db);
  if (rc)
    return rc;
  switch (which) {
  case 0:
    rc = cmd_runs(db);
    break;
  case 1:
    rc = cmd_show(db, &o);
    break;
  case 2:
    rc = cmd_diff(db, &o);
    break;
  default:
    rc = cmd_sql(db, &o);
  }
  lx_db_close(db);
  return rc;
}

int lx_baseline_from_run(const char *db_path, const char *run, int quiet)
{
  db_opts o;
  memset(&o, 0, sizeof(o));
  char *mine = db_path ? NULL : lx_default_db(NULL);
  o.db_path = db_path ? db_path : mine;
  lx_db *db = NULL;
  int rc = lx_db_open_existing(o.db_path, 0, &db);
  int64_t id = rc ? -1 : lx_db_run_arg(db, o.db_path, run);
  char command[32] = "";
  int whole = id > 0 ? lx_db_run_whole(db, id, command, sizeof(command)) : -1;
  if (rc == 0 && id < 0) {
    rc = LX_EXIT_USAGE;
  } else if (rc == 0 && whole < 0) {
    fprintf(stderr, "leash: %s\n", lx_db_error(db));
    rc = LX_EXIT_USAGE;
  } else if (rc == 0 && !whole) {
    fprintf(stderr, "leash: %s: run %lld (%s) is not a run over the whole program that completed; give a run of "
                    "`leash check` or `leash baseline` (see `leash db runs`)\n", o.db_path, (long long)id, command);
    rc = LX_EXIT_USAGE;
  } else if (rc == 0 && lx_db_baseline_set(db, id) < 0) {
    fprintf(stderr, "leash: %s\n", lx_db_error(db));
    rc = LX_EXIT_USAGE;
  } else if (rc == 0 && !quiet) {
    printf("leash: baseline of %lld finding(s) recorded in %s (run %lld)\n", (long long)lx_db_baseline_size(db),
           o.db_path, (long long)id);
  }
  lx_db_close(db);
  free(mine);
  return rc;
}