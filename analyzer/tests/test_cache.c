/* test_cache.c - facts cache keys (flags, the file, the project headers it includes)
 * and shard selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache/cache.h"

static char dir[256];

static void write_file(const char *name, const char *text)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state)
{
  snprintf(dir, sizeof(dir), "/tmp/leash-test-cache-XXXXXX");
  assert_non_null(mkdtemp(dir));
  char inc[300];
  snprintf(inc, sizeof(inc), "%s/include", dir);
  assert_int_equal(mkdir(inc, 0777), 0);
  write_file("main.c", "#include \"local.h\"\n#include <proj.h>\n#include <stdio.h>\nint main(void) { return 0; }\n");
  write_file("local.h", "#include \"nested.h\"\n");
  write_file("nested.h", "#define N 1\n");
  write_file("include/proj.h", "int proj(void);\n");
  return 0;
}

static int teardown(void **state)
{
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void key_of(const char *flag, char key[33], char hash[17])
{
  char file[300], inc[300];
  snprintf(file, sizeof(file), "%s/main.c", dir);
  snprintf(inc, sizeof(inc), "-I%s", flag);
  char *argv[] = {"-std=gnu11", inc};
  lx_cmd c = {file, dir, 2, argv, "database"};
  assert_int_equal(lx_cache_key(&c, "1.0", key, hash, NULL), 0);
}

/* The bytes lx_cache_key hashed for cmd, or 0 when its file cannot be read. */
static uint64_t bytes_of(const lx_cmd *cmd)
{
  char key[33], hash[17];
  uint64_t bytes = 0;
  return lx_cache_key(cmd, "1.0", key, hash, &bytes) == 0 ? bytes : 0;
}

/* A TU's weight (the bytes its key hashed) counts what it includes: a short file that
 * includes a big header weighs more than a longer one that includes nothing. */
static void test_weight(void **state)
{
  char big[4096], heavy[300], light[300];
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  char text[4200];
  snprintf(text, sizeof(text), "/* %s */\n", big);
  write_file("big.h", text);
  write_file("heavy.c", "#include \"big.h\"\nint heavy;\n");
  snprintf(text, sizeof(text), "/* %.*s */\nint light;\n", 1000, big);
  write_file("light.c", text);
  snprintf(heavy, sizeof(heavy), "%s/heavy.c", dir);
  snprintf(light, sizeof(light), "%s/light.c", dir);
  char *argv[] = {"-std=gnu11"};
  lx_cmd h = {heavy, dir, 1, argv, "database"}, l = {light, dir, 1, argv, "database"};
  uint64_t wh = bytes_of(&h), wl = bytes_of(&l);
  assert_true(wl > 1000 && wl < 1100);
  assert_true(wh > 4096 && wh < 4200);
  char missing[300];
  snprintf(missing, sizeof(missing), "%s/missing.c", dir);
  lx_cmd m = {missing, dir, 1, argv, "database"};
  assert_int_equal(bytes_of(&m), 0);
}

static void test_key_follows_inputs(void **state)
{
  char k1[33], k2[33], h1[17], h2[17];
  key_of("include", k1, h1);
  key_of("include", k2, h2);
  assert_string_equal(k1, k2);
  assert_int_equal(strlen(k1), 32);

  write_file("nested.h", "#define N 2\n"); /* two includes deep */
  key_of("include", k2, h2);
  assert_string_not_equal(k1, k2);
  assert_string_equal(h1, h2); /* the main file itself did not change */

  key_of("include", k1, h1);
  write_file("include/proj.h", "int proj(int);\n"); /* found through -I */
  key_of("include", k2, h2);
  assert_string_not_equal(k1, k2);

  key_of("other", k1, h1); /* other flags */
  assert_string_not_equal(k1, k2);

  write_file("main.c", "int main(void) { return 1; }\n");
  key_of("other", k2, h2);
  assert_string_not_equal(h1, h2);

  char file[] = "/nonexistent/x.c";
  lx_cmd missing = {file, dir, 0, NULL, "defaults"};
  assert_int_equal(lx_cache_key(&missing, "1.0", k1, h1, NULL), -1);
}

/* Within a snapshot files are read once: a change is seen from the next snapshot on. */
static void test_snapshot(void **state)
{
  char k1[33], k2[33], h1[17], h2[17];
  write_file("main.c", "#include \"local.h\"\nint main(void) { return 0; }\n");
  lx_cache_snapshot();
  key_of("include", k1, h1);
  write_file("nested.h", "#define N 3 /* changed during the run */\n");
  key_of("include", k2, h2);
  assert_string_equal(k1, k2);
  lx_cache_snapshot();
  key_of("include", k2, h2);
  assert_string_not_equal(k1, k2);
  write_file("local.h", "#include \"nested.h\"\n#include \"new.h\"\n");
  lx_cache_snapshot();
  key_of("include", k1, h1); /* new.h does not exist yet */
  write_file("new.h", "int x;\n");
  lx_cache_snapshot();
  key_of("include", k2, h2); /* now it does: resolved again */
  assert_string_not_equal(k1, k2);
}

static void count_stamp(const lx_file_stamp *s, void *arg)
{
  (void)s;
  ++*(int *)arg;
}

static lx_file_stamp stamp_now(const char *name, const char *includes)
{
  static char paths[2][400];
  static int which;
  char *path = paths[which++ % 2];
  snprintf(path, 400, "%s/%s", dir, name);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  lx_file_stamp s = {path, (long long)st.st_size, (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
                     (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec, (long long)st.st_ino,
                     0x1234, includes};
  return s;
}

/* A file whose stamp matches is not read again: its recorded hash and includes are
 * used.  A stamp that differs in any way (here the change time) is ignored. */
static void test_stamps(void **state)
{
  char k1[33], k2[33], h1[17], h2[17];
  write_file("main.c", "#include \"local.h\"\nint main(void) { return 0; }\n");
  write_file("local.h", "#include \"stamped.h\"\n#include \"changed.h\"\n");
  write_file("stamped.h", "int s;\n");
  write_file("changed.h", "int c;\n");
  write_file("other.h", "int o;\n");
  write_file("other2.h", "int o2;\n");
  lx_file_stamp st[2] = {stamp_now("stamped.h", "\"other.h\n"), stamp_now("changed.h", "\"other2.h\n")};
  st[1].ctime_ns++; /* changed.h was written since its stamp */
  lx_cache_use_stamps(st, 2);
  lx_cache_snapshot();
  key_of("include", k1, h1);
  int fresh = 0;
  lx_cache_new_stamps(count_stamp, &fresh);
  assert_int_equal(fresh, 0); /* all written just now: too recent to be trusted later */

  write_file("other.h", "int o, p;\n"); /* followed through stamped.h's stamp alone */
  lx_cache_snapshot();
  key_of("include", k2, h2);
  assert_string_not_equal(k1, k2);

  write_file("other2.h", "int o2, p2;\n"); /* changed.h's stamp was not used */
  lx_cache_snapshot();
  key_of("include", k1, h1);
  assert_string_equal(k1, k2);
  lx_cache_use_stamps(NULL, 0);
}

static void test_shards(void **state)
{
  int k, n;
  assert_int_equal(lx_shard_parse("2/3", &k, &n), 0);
  assert_int_equal(k, 2);
  assert_int_equal(n, 3);
  assert_int_equal(lx_shard_parse("0/3", &k, &n), -1);
  assert_int_equal(lx_shard_parse("4/3", &k, &n), -1);
  assert_int_equal(lx_shard_parse("1/0", &k, &n), -1);
  assert_int_equal(lx_shard_parse("1/", &k, &n), -1);
  assert_int_equal(lx_shard_parse("1/3x", &k, &n), -1);
  assert_int_equal(lx_shard_parse("a/3", &k, &n), -1);

  /* Every file in exactly one shard; the path relative to the root decides. */
  int seen[5] = {0};
  for (int i = 0; i < 200; i++) {
    char f[64];
    snprintf(f, sizeof(f), "/repo/src/file%d.c", i);
    int s = lx_shard_of(f, "/repo", 4);
    assert_in_range(s, 1, 4);
    seen[s]++;
    char elsewhere[64];
    snprintf(elsewhere, sizeof(elsewhere), "/ci/checkout/src/file%d.c", i);
    assert_int_equal(lx_shard_of(elsewhere, "/ci/checkout", 4), s);
    assert_int_equal(lx_shard_of(f, "/repo", 1), 1);
  }
  for (int s = 1; s <= 4; s++)
    assert_true(seen[s] > 20); /* roughly even */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_key_follows_inputs),
      cmocka_unit_test(test_weight),
      cmocka_unit_test(test_snapshot),
      cmocka_unit_test(test_stamps),
      cmocka_unit_test(test_shards),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
