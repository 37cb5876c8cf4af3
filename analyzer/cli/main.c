/* main.c - the leash command line: `leash check`, `baseline`, `merge`, `db`, `report`, `rules`,
 * `facts`, --help, --version. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "cache/cache.h"
#include "cli/dbcmd.h"
#include "cli/driver.h"
#include "lsp/lsp.h"
#include "cli/reportcmd.h"

#ifndef LEASH_VERSION
#define LEASH_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "usage: leash <command> [options]\n"
    "\n"
    "commands:\n"
    "  check [options] [files...] [-- flags]\n"
    "                               analyse files (with these compiler flags after --), or\n"
    "                               every TU of a compilation database (-p, or with no file\n"
    "                               the one found from here the way clangd finds it)\n"
    "  baseline [check options]     record the current findings as the baseline (--new-only)\n"
    "  baseline --run RUN           make the findings of a recorded run (an id, or latest) the\n"
    "                               baseline, without analysing anything\n"
    "  merge A.db B.db ... -o OUT.db  findings of shard databases (check --shard) together\n"
    "  db runs|show|diff|sql ...    query the findings database (`leash db --help`)\n"
    "  report --html DIR [--db FILE] [--run RUN]\n"
    "                               write the HTML report of a run (default: the latest) in DIR\n"
    "  facts [options] [files...]   print the facts extracted from each translation unit (JSON)\n"
    "  lsp [--db FILE] [-v]         language server (LSP 3.17 on stdio) for editors, beside clangd\n"
    "  rules                        list the rules\n"
    "  rules explain ID             print a rule's documentation\n"
    "\n"
    "check options:\n"
    "  -p DIR              use DIR/compile_commands.json (default: searched for like clangd)\n"
    "  -j N, --jobs N      translation units analysed at once, each in its own process\n"
    "                      (default: one per core)\n"
    "  --timeout SECONDS   stop analysing a translation unit after this long, exit 3\n"
    "                      (default 300; 0: no limit)\n"
    "  --pre-commit        analyse the given files against the rest of the program as the\n"
    "                      database knows it freshest (its latest full run and the runs since);\n"
    "                      report findings in these files only, and once a baseline exists,\n"
    "                      only new ones\n"
    "  --format FMT        text (default), json or sarif (SARIF 2.1.0)\n"
    "  -o FILE             write the report to FILE (atomically); for merge: the output database\n"
    "  --report FILE       merge: write the report to FILE instead of stdout\n"
    "  --db FILE           findings database (default " LX_DEFAULT_DB " at the project root:\n"
    "                      the folder of .leash.yaml, or of the compilation database)\n"
    "  --no-db             do not record the run\n"
    "  --baseline          record this run's findings as the baseline\n"
    "  --new-only          report only findings not in the baseline\n"
    "  --shard K/N         analyse only shard K of N and record its facts for `leash merge`\n"
    "  --rules LIST        run only these rules (comma separated ids)\n"
    "  --config FILE       configuration file (default: .leash.yaml found upwards)\n"
    "  --fail-on SEV       exit 1 on findings at or above error|warning|note (default warning)\n"
    "  --verify            compare findings with `// expect: rule-id` markers in the inputs\n"
    "  --color, --no-color colour text output (default: when writing to a terminal)\n"
    "  -q, --quiet         do not print parse errors\n"
    "  -v, --verbose       say which flags each file gets and what is analysed\n"
    "\n"
    "exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage, configuration or\n"
    "input error, 3 a translation unit could not be analysed (the others still are).\n";

static int usage(FILE *out, int rc)
{
  fputs(usage_text, out);
  return rc;
}

typedef enum { MODE_CHECK, MODE_FACTS, MODE_BASELINE, MODE_MERGE } check_mode;

static int cmd_check(int argc, char **argv, check_mode mode)
{
  enum {
    OPT_FORMAT = 256, OPT_RULES, OPT_CONFIG, OPT_FAIL_ON, OPT_VERIFY, OPT_COLOR, OPT_NO_COLOR, OPT_DB, OPT_NO_DB,
    OPT_SHARD, OPT_NEW_ONLY, OPT_BASELINE, OPT_REPORT, OPT_TIMEOUT, OPT_PRE_COMMIT, OPT_RUN
  };
  static const struct option longopts[] = {
      {"format", required_argument, NULL, OPT_FORMAT}, {"rules", required_argument, NULL, OPT_RULES},
      {"config", required_argument, NULL, OPT_CONFIG}, {"fail-on", required_argument, NULL, OPT_FAIL_ON},
      {"verify", no_argument, NULL, OPT_VERIFY},       {"color", no_argument, NULL, OPT_COLOR},
      {"no-color", no_argument, NULL, OPT_NO_COLOR},   {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},             {"help", no_argument, NULL, 'h'},
      {"db", required_argument, NULL, OPT_DB},         {"no-db", no_argument, NULL, OPT_NO_DB},
      {"shard", required_argument, NULL, OPT_SHARD},   {"new-only", no_argument, NULL, OPT_NEW_ONLY},
      {"baseline", no_argument, NULL, OPT_BASELINE},   {"report", required_argument, NULL, OPT_REPORT},
      {"jobs", required_argument, NULL, 'j'},          {"timeout", required_argument, NULL, OPT_TIMEOUT},
      {"pre-commit", no_argument, NULL, OPT_PRE_COMMIT},
      {"run", required_argument, NULL, OPT_RUN},
      {NULL, 0, NULL, 0}};
  lx_check_opts o;
  memset(&o, 0, sizeof(o));
  o.fail_on = LX_SEV_WARNING;
  o.color = -1;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  o.jobs = cores > 0 ? (int)cores : 1;
  o.timeout_s = 300;
  o.baseline = mode == MODE_BASELINE;
  o.argc = argc;
  o.argv = argv;
  const char *out = NULL, *report = NULL, *from_run = NULL;
  /* `leash check a.c b.c -- -Iinclude -DX`: flags for every file, as clang-tidy takes
   * them (a fixed compilation database). */
  for (int k = 1; k < argc; k++)
    if (!strcmp(argv[k], "--")) {
      o.extra_flags = (const char *const *)argv + k + 1;
      o.nextra = argc - k - 1;
      o.fixed_flags = 1;
      argc = k;
      break;
    }
  int c;
  optind = 1;
  opterr = 0; /* unknown options are reported as leash's (lx_option_error) */
  while ((c = getopt_long(argc, argv, ":p:o:j:qvh", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_PRE_COMMIT:
      o.pre_commit = 1;
      break;
    case OPT_RUN:
      if (mode != MODE_BASELINE) {
        fputs("leash: --run is for `leash baseline`\n", stderr);
        return LX_EXIT_USAGE;
      }
      from_run = optarg;
      break;
    case 'j':
    case OPT_TIMEOUT: {
      char *end;
      long v = strtol(optarg, &end, 10);
      if (end == optarg || *end || v < (c == 'j' ? 1 : 0) || v > 100000) {
        fprintf(stderr, "leash: %s: '%s' is not a %s\n", c == 'j' ? "-j" : "--timeout", optarg,
                c == 'j' ? "number of jobs (1 or more)" : "number of seconds (0 for no limit)");
        return LX_EXIT_USAGE;
      }
      if (c == 'j')
        o.jobs = (int)v;
      else
        o.timeout_s = (int)v;
      break;
    }
    case 'p':
      o.compdb_dir = optarg;
      break;
    case 'o':
      out = optarg;
      break;
    case 'q':
      o.quiet = 1;
      break;
    case 'v':
      o.verbose = 1;
      break;
    case 'h':
      return usage(stdout, 0);
    case OPT_FORMAT:
      if (lx_format_parse(optarg, &o.format) < 0) {
        fprintf(stderr, "leash: --format: unknown format '%s' (text, json or sarif)\n", optarg);
        return LX_EXIT_USAGE;
      }
      break;
    case OPT_RULES:
      o.rules = optarg;
      break;
    case OPT_CONFIG:
      o.config_path = optarg;
      break;
    case OPT_FAIL_ON:
      o.fail_on = lx_severity_parse(optarg);
      if (o.fail_on == LX_SEV_DEFAULT) {
        fprintf(stderr, "leash: --fail-on: '%s' is not error, warning or note\n", optarg);
        return LX_EXIT_USAGE;
      }
      break;
    case OPT_VERIFY:
      o.verify = 1;
      break;
    case OPT_COLOR:
      o.color = 1;
      break;
    case OPT_NO_COLOR:
      o.color = 0;
      break;
    case OPT_DB:
      o.db_path = optarg;
      break;
    case OPT_NO_DB:
      o.no_db = 1;
      break;
    case OPT_SHARD:
      if (lx_shard_parse(optarg, &o.shard_k, &o.shard_n) < 0) {
        fprintf(stderr, "leash: --shard: '%s' is not K/N with 1 <= K <= N\n", optarg);
        return LX_EXIT_USAGE;
      }
      break;
    case OPT_NEW_ONLY:
      o.new_only = 1;
      break;
    case OPT_BASELINE:
      o.baseline = 1;
      break;
    case OPT_REPORT:
      report = optarg;
      break;
    default:
      return lx_option_error(argv[0], c, argv);
    }
  }
  o.files = (const char **)argv + optind;
  o.nfiles = argc - optind;
  if (from_run) {
    if (o.nfiles || o.compdb_dir || o.fixed_flags || o.no_db || o.shard_n || o.pre_commit) {
      fputs("leash: usage: leash baseline --run RUN [--db FILE] [-q] (the findings of a recorded run, "
            "nothing analysed)\n", stderr);
      return LX_EXIT_USAGE;
    }
    return lx_baseline_from_run(o.db_path, from_run, o.quiet);
  }
  if (o.pre_commit) {
    /* pre-commit passes headers too; they are analysed through the files that include them. */
    int w = 0;
    for (int i = 0; i < o.nfiles; i++) {
      const char *dot = strrchr(o.files[i], '.');
      if (!dot || strcmp(dot, ".h"))
        o.files[w++] = o.files[i];
    }
    if (w == 0 && o.nfiles > 0)
      return LX_EXIT_OK;
    o.nfiles = w;
  }
  if (mode != MODE_MERGE) {
    if (report) {
      fputs("leash: --report is for `leash merge`; use -o FILE\n", stderr);
      return LX_EXIT_USAGE;
    }
    o.output = out;
    return mode == MODE_FACTS ? lx_facts_dump(&o) : lx_check(&o);
  }
  if (!out || o.nfiles == 0 || o.db_path || o.no_db || o.shard_n || o.compdb_dir) {
    fputs("leash: usage: leash merge SHARD.db... -o OUT.db [--format F] [--report FILE] [--rules LIST] "
          "[--config FILE] [--fail-on SEV]\n", stderr);
    return LX_EXIT_USAGE;
  }
  o.merge_inputs = o.files;
  o.nmerge = o.nfiles;
  o.files = NULL;
  o.nfiles = 0;
  o.db_path = out;
  o.output = report;
  return lx_check(&o);
}

static int cmd_rules(int argc, char **argv)
{
  size_t n;
  const lx_rule *rules = lx_rules(&n);
  if (argc >= 2 && !strcmp(argv[1], "explain")) {
    if (argc != 3) {
      fputs("leash: usage: leash rules explain RULE-ID\n", stderr);
      return LX_EXIT_USAGE;
    }
    const char *doc = lx_rule_find(argv[2]) ? lx_rule_doc(argv[2]) : NULL;
    if (!doc) {
      fprintf(stderr, "leash: unknown rule id '%s' (see `leash rules`)\n", argv[2]);
      return LX_EXIT_USAGE;
    }
    fputs(doc, stdout);
    return 0;
  }
  if (argc > 1) {
    fprintf(stderr, "leash: rules: unknown argument '%s'\n", argv[1]);
    return LX_EXIT_USAGE;
  }
  for (size_t i = 0; i < n; i++)
    printf("%-30s %-8s %s\n", rules[i].id, lx_severity_name(rules[i].default_severity), rules[i].title);
  return 0;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LX_SANITIZED 1
#endif
#endif

/* Ends the process with status rc once everything written is flushed, without the
 * static destructors of libclang's LLVM where the front end is loaded in this process
 * (several milliseconds: the language server, LEASH_ISOLATE=0); under a sanitizer,
 * whose checks run at exit, by returning from main. */
static int finish(int rc)
{
#ifdef LX_SANITIZED
  return rc;
#else
  fflush(NULL);
  _exit(rc);
#endif
}

static int dispatch(int argc, char **argv)
{
  if (argc < 2)
    return usage(stderr, LX_EXIT_USAGE);
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("leash %s\n", LEASH_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))
    return usage(stdout, 0);
  if (!strcmp(cmd, "check"))
    return cmd_check(argc - 1, argv + 1, MODE_CHECK);
  if (!strcmp(cmd, "facts"))
    return cmd_check(argc - 1, argv + 1, MODE_FACTS);
  if (!strcmp(cmd, "baseline"))
    return cmd_check(argc - 1, argv + 1, MODE_BASELINE);
  if (!strcmp(cmd, "merge"))
    return cmd_check(argc - 1, argv + 1, MODE_MERGE);
  if (!strcmp(cmd, "db"))
    return lx_db_command(argc - 1, argv + 1);
  if (!strcmp(cmd, "report"))
    return lx_report_command(argc - 1, argv + 1);
  if (!strcmp(cmd, "lsp"))
    return lx_lsp_main(argc - 1, argv + 1);
  if (!strcmp(cmd, "rules"))
    return cmd_rules(argc - 1, argv + 1);
  fprintf(stderr, "leash: unknown command '%s'\n", cmd);
  return usage(stderr, LX_EXIT_USAGE);
}

int main(int argc, char **argv) { return finish(dispatch(argc, argv)); }
