/* fixture_sets.h - for the cmocka tests: each folder of the fixtures (rules and demo)
 * with its .c files analysed together, as one set of TUs, and the configuration they
 * are checked with.  Include after <cmocka.h>;
 * the test needs LEASH_SOURCE_DIR defined. */
#ifndef LX_TEST_FIXTURE_SETS_H
#define LX_TEST_FIXTURE_SETS_H

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "frontend/compdb.h"
#include "config/config.h"
#include "facts/facts.h"
#include "frontend/tu.h"

/* The configuration the fixtures are checked with: the built-in catalogue alone. */
static lx_config *fixture_config(void)
{
  lx_config *cfg;
  char err[256];
  assert_int_equal(lx_rules_config(&cfg, err, sizeof(err)), 0);
  return cfg;
}

/* For lx_rules_run: every rule. */
static int every_rule(const lx_rule *rule, void *arg)
{
  (void)rule;
  (void)arg;
  return 1;
}

typedef void (*fixture_set_fn)(lx_tu_facts **tus, size_t n, void *arg);

static int fixture_is_c(const char *name)
{
  size_t n = strlen(name);
  return n > 2 && !strcmp(name + n - 2, ".c");
}

/* Calls fn once per folder under fixtures/rules and fixtures/demo (each .c file in it
 * analysed, in directory order); returns how many TUs were analysed in all. */
static size_t for_each_fixture_set(fixture_set_fn fn, void *arg)
{
  void *index = lx_tu_index_new();
  LX_VEC(char *) dirs = {0};
  lx_vec_push(&dirs, strdup(LEASH_SOURCE_DIR "/fixtures/rules"));
  lx_vec_push(&dirs, strdup(LEASH_SOURCE_DIR "/fixtures/demo"));
  size_t total = 0;
  for (size_t d = 0; d < dirs.n; d++) {
    DIR *dh = opendir(dirs.v[d]);
    assert_non_null(dh);
    LX_VEC(lx_tu_facts *) tus = {0};
    struct dirent *e;
    while ((e = readdir(dh))) {
      if (e->d_name[0] == '.')
        continue;
      char path[1024];
      snprintf(path, sizeof(path), "%s/%s", dirs.v[d], e->d_name);
      if (e->d_type == DT_DIR) {
        lx_vec_push(&dirs, strdup(path));
        continue;
      }
      if (!fixture_is_c(e->d_name))
        continue;
      lx_cmd c;
      lx_compdb_lookup(NULL, path, &c);
      lx_tu_facts *f = NULL;
      if (lx_tu_analyse(index, &c, &f, NULL) != LX_TU_FAILED && f)
        lx_vec_push(&tus, f);
      lx_cmd_free(&c);
    }
    closedir(dh);
    if (tus.n)
      fn(tus.v, tus.n, arg);
    total += tus.n;
    for (size_t i = 0; i < tus.n; i++)
      lx_facts_free(tus.v[i]);
    lx_vec_free(&tus);
  }
  for (size_t d = 0; d < dirs.n; d++)
    free(dirs.v[d]);
  lx_vec_free(&dirs);
  lx_tu_index_free(index);
  return total;
}

#endif
