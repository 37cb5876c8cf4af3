/* main.c - the leash command line: `leash check`, `leash rules`, --help, --version. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/rules.h"
#include "driver.h"

#ifndef LEASH_VERSION
#define LEASH_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "usage: leash <command> [options]\n"
    "\n"
    "commands:\n"
    "  check [options] [files...]   analyse files, or every TU of a compilation database\n"
    "  facts [options] [files...]   print the facts extracted from each translation unit (JSON)\n"
    "  rules                        list the rules\n"
    "  rules explain ID             print a rule's documentation\n"
    "\n"
    "check options:\n"
    "  -p DIR              use DIR/compile_commands.json (default: searched for like clangd)\n"
    "  --format FMT        text (default) or json\n"
    "  -o FILE             write the report to FILE (atomically)\n"
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

static int cmd_check(int argc, char **argv, int facts)
{
  enum { OPT_FORMAT = 256, OPT_RULES, OPT_CONFIG, OPT_FAIL_ON, OPT_VERIFY, OPT_COLOR, OPT_NO_COLOR };
  static const struct option longopts[] = {
      {"format", required_argument, NULL, OPT_FORMAT}, {"rules", required_argument, NULL, OPT_RULES},
      {"config", required_argument, NULL, OPT_CONFIG}, {"fail-on", required_argument, NULL, OPT_FAIL_ON},
      {"verify", no_argument, NULL, OPT_VERIFY},       {"color", no_argument, NULL, OPT_COLOR},
      {"no-color", no_argument, NULL, OPT_NO_COLOR},   {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},             {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  lx_check_opts o;
  memset(&o, 0, sizeof(o));
  o.fail_on = LX_SEV_WARNING;
  o.color = -1;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "p:o:qvh", longopts, NULL)) != -1) {
    switch (c) {
    case 'p':
      o.compdb_dir = optarg;
      break;
    case 'o':
      o.output = optarg;
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
      if (!strcmp(optarg, "text"))
        o.format = LX_FMT_TEXT;
      else if (!strcmp(optarg, "json"))
        o.format = LX_FMT_JSON;
      else {
        fprintf(stderr, "leash: --format: unknown format '%s' (text or json)\n", optarg);
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
    default:
      fputs("leash: see `leash check --help`\n", stderr);
      return LX_EXIT_USAGE;
    }
  }
  o.files = (const char **)argv + optind;
  o.nfiles = argc - optind;
  return facts ? lx_facts_dump(&o) : lx_check(&o);
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

int main(int argc, char **argv)
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
    return cmd_check(argc - 1, argv + 1, 0);
  if (!strcmp(cmd, "facts"))
    return cmd_check(argc - 1, argv + 1, 1);
  if (!strcmp(cmd, "rules"))
    return cmd_rules(argc - 1, argv + 1);
  fprintf(stderr, "leash: unknown command '%s'\n", cmd);
  return usage(stderr, LX_EXIT_USAGE);
}
