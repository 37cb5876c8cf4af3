/* reportcmd.c - `leash report --html DIR`: the HTML report of a run of the findings
 * database (the latest by default), compared with the run before it, with the trend of
 * the runs up to it and the source as it is on disk. */
#include "cli/reportcmd.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/store/db_report.h"
#include "reports/html/html.h"
#include "cache/cache.h"
#include "cli/dbcmd.h"
#include "cli/driver.h"

/* Runs the trend chart shows at most. */
#define TREND_RUNS 60

static const char report_usage[] =
    "usage: leash report --html DIR [--db FILE] [--run RUN] [-q]\n"
    "  --html DIR   write the HTML report in DIR (index.html, one page per finding)\n"
    "  --db FILE    findings database (default " LX_DEFAULT_DB " at the project root)\n"
    "  --run RUN    the run to report: an id (see `leash db runs`) or latest (the default)\n"
    "  -q           print nothing when it succeeds\n";

typedef struct {
  lx_arena arena;
  lx_map hashes; /* TU path -> content hash the run recorded */
  lx_map notes;  /* file -> note ("" when none) */
  int64_t run;
} file_states;

static int add_hash(const char *path, const char *hash, void *arg)
{
  file_states *fs = arg;
  if (hash)
    lx_map_put(&fs->hashes, path, lx_arena_strdup(&fs->arena, hash));
  return 0;
}

/* What the page says of a file: gone, or changed since the run (for the translation
 * units it recorded; headers have no hash there). */
static const char *file_note(const char *file, void *arg)
{
  file_states *fs = arg;
  const char *note = lx_map_get(&fs->notes, file);
  if (!note) {
    const char *then = lx_map_get(&fs->hashes, file);
    char now[17];
    if (access(file, R_OK) != 0)
      note = "This file is not on disk any more (or cannot be read): its source is not shown.";
    else if (then && lx_cache_file_hash(file, now) == 0 && strcmp(then, now) != 0)
      note = lx_arena_printf(&fs->arena, "This file has changed since run %" PRId64 ": the lines shown are those of "
                                         "the file as it is now, and may have moved.", fs->run);
    else
      note = "";
    lx_map_put(&fs->notes, file, (void *)note);
  }
  return *note ? note : NULL;
}

typedef struct {
  lx_map *fresh; /* fingerprints */
  lx_findings *fixed;
  const char *root;
} diff_into;

static int note_fresh(const lx_db_diff_row *row, void *arg)
{
  lx_map_put(((diff_into *)arg)->fresh, row->fingerprint, (void *)1);
  return 0;
}

static int add_fixed(const lx_db_diff_row *row, void *arg)
{
  diff_into *d = arg;
  const char *file = row->file[0] == '/' ? row->file : lx_arena_printf(&d->fixed->arena, "%s/%s", d->root, row->file);
  lx_loc loc = {file, (unsigned)row->line, (unsigned)row->column};
  lx_finding *fd = lx_findings_add(d->fixed, lx_arena_strdup(&d->fixed->arena, row->rule),
                                   lx_severity_parse(row->severity), loc, NULL, NULL, "%s", row->message);
  lx_copy(fd->fingerprint, sizeof(fd->fingerprint), row->fingerprint);
  return 0;
}

typedef struct {
  lx_map at; /* fingerprint -> index + 1 */
  lx_html_mark *marks;
} marks_by_fp;

static int set_state(const lx_db_finding_state *s, void *arg)
{
  marks_by_fp *m = arg;
  size_t i = (size_t)(uintptr_t)lx_map_get(&m->at, s->fingerprint);
  if (i) {
    m->marks[i - 1].baselined = s->baselined != 0;
    m->marks[i - 1].baseline_run = s->baseline_run;
  }
  return 0;
}

static int report_html(lx_db *db, const char *db_path, int64_t run, const char *dir, int quiet)
{
  lx_db_run_info info;
  lx_findings f, fixed;
  lx_findings_init(&f);
  lx_findings_init(&fixed);
  lx_db_trend_point *trend = NULL;
  lx_html_point *points = NULL;
  size_t ntrend = 0;
  lx_map fresh;
  lx_map_init(&fresh);
  marks_by_fp marks = {0};
  lx_map_init(&marks.at);
  file_states fs = {0};
  lx_arena_init(&fs.arena);
  lx_map_init(&fs.hashes);
  lx_map_init(&fs.notes);
  fs.run = run;
  lx_sources *src = lx_sources_new();
  int rc = LX_EXIT_USAGE;

  if (lx_db_run_info_get(db, run, &info) < 0 || lx_db_findings_load(db, run, &f, NULL, 0) < 0 ||
      lx_db_trend(db, run, TREND_RUNS, &trend, &ntrend) < 0)
    goto db_error;
  int64_t prev = ntrend ? trend[ntrend - 1].prev : 0;
  diff_into d = {&fresh, &fixed, info.root};
  if (lx_db_run_diff(db, run, prev, note_fresh, &d) < 0 || (prev && lx_db_run_diff(db, prev, run, add_fixed, &d) < 0))
    goto db_error;
  marks.marks = lx_xcalloc(f.v.n ? f.v.n : 1, sizeof(*marks.marks));
  for (size_t i = 0; i < f.v.n; i++) {
    lx_map_put(&marks.at, f.v.v[i].fingerprint, (void *)(uintptr_t)(i + 1));
    marks.marks[i].fresh = lx_map_get(&fresh, f.v.v[i].fingerprint) != NULL;
  }
  if (lx_db_finding_states(db, run, set_state, &marks) < 0 || lx_db_run_hashes(db, run, add_hash, &fs) < 0)
    goto db_error;

  points = lx_xcalloc(ntrend ? ntrend : 1, sizeof(*points));
  for (size_t i = 0; i < ntrend; i++)
    points[i] = (lx_html_point){trend[i].run, trend[i].started_at, trend[i].open, trend[i].fresh, trend[i].fixed};
  const char *slash = strrchr(info.root, '/');
  const char *project = slash && slash[1] ? slash + 1 : info.root[0] ? info.root : "project";
  lx_html_report r = {dir,         project,      run, prev, info.started_at, info.status, info.command,
                      info.vcs_commit, db_path, &f,  marks.marks, &fixed,  points,   ntrend,
                      file_note,   &fs};
  lx_emit_opts eo = {.root = info.root, .sources = src};
  lx_emit_opts_tool(&eo);
  char err[1024];
  if (lx_emit_html(&r, &eo, err, sizeof(err)) < 0) {
    fprintf(stderr, "leash: %s\n", err);
    goto done;
  }
  if (!quiet) {
    size_t nfresh = 0;
    for (size_t i = 0; i < f.v.n; i++)
      nfresh += marks.marks[i].fresh && !f.v.v[i].suppressed;
    printf("leash: report of run %" PRId64 " (%zu finding(s), %zu new, %zu fixed) written to %s/index.html\n", run,
           f.v.n, nfresh, fixed.v.n, dir);
  }
  rc = fflush(stdout) == 0 ? 0 : LX_EXIT_USAGE;
  goto done;
db_error:
  fprintf(stderr, "leash: %s\n", lx_db_error(db));
done:
  lx_sources_free(src);
  free(points);
  free(trend);
  free(marks.marks);
  lx_map_free(&marks.at);
  lx_map_free(&fresh);
  lx_map_free(&fs.hashes);
  lx_map_free(&fs.notes);
  lx_arena_free(&fs.arena);
  lx_findings_free(&f);
  lx_findings_free(&fixed);
  return rc;
}

int lx_report_command(int argc, char **argv)
{
  enum { OPT_HTML = 256, OPT_DB, OPT_RUN };
  static const struct option longopts[] = {{"html", required_argument, NULL, OPT_HTML},
                                           {"db", required_argument, NULL, OPT_DB},
                                           {"run", required_argument, NULL, OPT_RUN},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *dir = NULL, *db_path = NULL, *run_s = "latest";
  int quiet = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_HTML:
      dir = optarg;
      break;
    case OPT_DB:
      db_path = optarg;
      break;
    case OPT_RUN:
      run_s = optarg;
      break;
    case 'q':
      quiet = 1;
      break;
    case 'h':
      fputs(report_usage, stdout);
      return 0;
    default:
      fprintf(stderr, "leash: report: %s '%s'\n%s", c == ':' ? "missing value after" : "unknown option",
              argv[optind - 1], report_usage);
      return LX_EXIT_USAGE;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "leash: report: unexpected argument '%s' (the run is given with --run RUN)\n%s", argv[optind],
            report_usage);
    return LX_EXIT_USAGE;
  }
  if (!dir || !*dir) {
    fprintf(stderr, "leash: report: give --html DIR, the folder to write the report in\n%s", report_usage);
    return LX_EXIT_USAGE;
  }
  char folder[PATH_MAX];
  lx_copy(folder, sizeof(folder), dir);
  for (size_t n = strlen(folder); n > 1 && folder[n - 1] == '/'; n--) /* out/ is out */
    folder[n - 1] = '\0';
  dir = folder;
  char *mine = db_path ? NULL : lx_default_db(NULL);
  if (mine)
    db_path = mine;
  lx_db *db = NULL;
  int rc = lx_db_open_existing(db_path, LX_DB_READONLY, &db);
  if (rc == 0) {
    int64_t run = lx_db_run_arg(db, db_path, run_s);
    rc = run < 0 ? LX_EXIT_USAGE : report_html(db, db_path, run, dir, quiet);
  }
  lx_db_close(db);
  free(mine);
  return rc;
}
