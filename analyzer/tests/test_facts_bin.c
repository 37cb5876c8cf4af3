/* test_facts_bin.c - facts survive the binary form: encode -> decode gives facts whose
 * JSON is the same, on a snippet using every kind of fact and on every fixture; every
 * truncated or corrupted encoding is refused or read without harm; the binary form is
 * smaller than the JSON one. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <clang-c/Index.h>
#include <jansson.h>

#include "frontend/extract.h"
#include "facts/facts_bin.h"
#include "snippet.h"

static const char snippet[] =
    "struct conn { void *curl; int fd; struct conn *next; };\n"
    "enum { OPT_A = 7, OPT_B = 8 };\n"
    "#define TEN 10\n"
    "typedef void *(*entry_fn)(void *);\n"
    "int spawn(entry_fn f, void *arg) __attribute__((annotate(\"leash:spawns:1\")));\n"
    "int bound(void) __attribute__((annotate(\"leash:bounded\")));\n"
    "int wait_for(int fd, int ms) __attribute__((annotate(\"leash:timeout:2\")));\n"
    "void use(void *a, int b, const char *s, void *c);\n"
    "void *worker(void *arg);\n"
    "static entry_fn table[] = {worker};\n"
    "void *g;\n"
    "int stop;\n"
    "static int helper(int, int b) { return b; }\n"
    "void *worker(void *arg) {\n"
    "  struct conn *c = arg;\n"
    "  int mode = stop | OPT_A;\n"
    "  mode |= OPT_B;\n"
    "  while (!stop) {\n"
    "    if (c->next->next->fd < TEN) break;\n"
    "    if (stop || !c) continue;\n"
    "    use(c->next->curl, OPT_A, \"x\", &g);\n"
    "  }\n"
    "  for (;;) { if (bound()) return 0; }\n"
    "  for (int i = 0; i < mode && c->fd >= 0; i++) wait_for(c->fd, helper(i, -1));\n"
    "  do { table[0](c); } while (c->fd != -1);\n"
    "  return spawn(worker, c) ? arg : 0;\n"
    "}\n";

/* encode -> decode -> encode: the facts read back have the same JSON and encode to the
 * same bytes.  Returns the encoding (free it); *len gets its size. */
static unsigned char *round_trip(const lx_tu_facts *f, size_t *len)
{
  unsigned char *buf = lx_facts_encode(f, len);
  assert_non_null(buf);
  const char *err = NULL;
  lx_tu_facts *back = lx_facts_decode(buf, *len, &err);
  if (!back)
    fail_msg("%s: %s", f->main_file, err);
  char *a = facts_json_text(f), *b = facts_json_text(back);
  assert_string_equal(a, b);
  size_t len2 = 0;
  unsigned char *again = lx_facts_encode(back, &len2);
  assert_int_equal(len2, *len);
  assert_memory_equal(again, buf, *len);
  free(again);
  free(a);
  free(b);
  lx_facts_free(back);
  return buf;
}

static int base_depth(const lx_path *p)
{
  int d = 0;
  for (; p->base; p = p->base)
    d++;
  return d;
}

/* The deepest base chain among the facts' call arguments and condition reads. */
static int deepest_base(const lx_tu_facts *f)
{
  int best = 0;
  for (size_t i = 0; i < f->funcs.n; i++) {
    const lx_func *fn = f->funcs.v[i];
    for (size_t b = 0; b < fn->branches.n; b++)
      for (int r = 0; r < fn->branches.v[b].nreads; r++) {
        int d = base_depth(fn->branches.v[b].reads[r]);
        best = d > best ? d : best;
      }
  }
  return best;
}

static lx_func *func_named(lx_tu_facts *f, const char *name)
{
  for (size_t i = 0; i < f->funcs.n; i++)
    if (!strcmp(f->funcs.v[i]->name, name))
      return f->funcs.v[i];
  fail_msg("no function %s", name);
  return NULL;
}

static void test_round_trip(void **state)
{
  lx_tu_facts *f = parse_snippet(snippet);
  f->parse_errors = 3;
  assert_true(f->funcs.n >= 5);
  assert_true(f->global_inits.n >= 1);
  assert_true(deepest_base(f) >= 3); /* c->next->next->fd */
  size_t len;
  free(round_trip(f, &len));

  /* What extraction leaves NULL or zero in some facts, and what it rarely sets. */
  lx_func *w = func_named(f, "worker");
  lx_func *h = func_named(f, "helper");
  assert_int_equal(h->nparams, 2);
  h->param_names[0] = NULL;
  h->param_types[1] = NULL;
  h->ret_type = NULL;
  h->in_system = 1;
  w->loc.file = NULL;
  assert_true(w->calls.n > 0 && w->loops.n > 0 && w->calls.v[0].nargs > 0);
  w->calls.v[0].callee_name = NULL;
  lx_path *arg0 = lx_arena_alloc(&f->arena, sizeof(*arg0)); /* paths are values: a new one */
  *arg0 = *w->calls.v[0].args[0];
  arg0->type = NULL;
  w->calls.v[0].args[0] = arg0;
  w->loops.v[0].loc.line = 4000000000u;
  w->loops.v[0].body_end = -2147483647 - 1;
  /* A path with a three-deep base chain and every optional field. */
  lx_path *chain = lx_arena_alloc(&f->arena, 3 * sizeof(*chain));
  for (int i = 0; i < 3; i++) {
    chain[i].kind = i == 2 ? LX_PATH_PARAM : LX_PATH_FIELD;
    chain[i].index = i == 2 ? 1 : 0;
    chain[i].key = "struct conn.next";
    chain[i].deref = 1;
    chain[i].base = i < 2 ? &chain[i + 1] : NULL;
  }
  lx_path dst = {0}, src = {0}, src2 = {0};
  dst.kind = LX_PATH_FIELD;
  dst.key = "struct conn.fd";
  dst.flags = "+O_NONBLOCK-O_CLOEXEC";
  dst.base = chain;
  src.kind = LX_PATH_CONST;
  src.value = INT64_MIN;
  src.addr_of = 1;
  lx_assign a = {&dst, &src, {0}, -1, 2147483647};
  lx_vec_push(&f->global_inits, a);
  src2.value = INT64_MAX;
  src2.kind = LX_PATH_CALL;
  src2.index = -5;
  a.src = &src2;
  lx_vec_push(&f->global_inits, a);
  unsigned char *buf = round_trip(f, &len);
  const char *err = NULL;
  lx_tu_facts *back = lx_facts_decode(buf, len, &err);
  assert_non_null(back);
  const lx_assign *got = &back->global_inits.v[back->global_inits.n - 2];
  assert_int_equal(base_depth(got->dst), 3);
  assert_string_equal(got->dst->flags, "+O_NONBLOCK-O_CLOEXEC");
  assert_true(got->src->value == INT64_MIN);
  assert_string_equal(back->main_file, f->main_file);
  assert_int_equal(back->parse_errors, 3);
  assert_true(func_named(back, "helper")->in_system);
  assert_null(func_named(back, "helper")->param_names[0]);
  assert_null(func_named(back, "worker")->loc.file);
  lx_facts_free(back);
  free(buf);
  lx_facts_free(f);
}

static void test_empty_facts(void **state)
{
  lx_tu_facts *f = lx_facts_new("");
  size_t len;
  free(round_trip(f, &len));
  lx_facts_free(f);
}

/* A base chain deeper than the decoder reads is cut at its limit by the encoder. */
static void test_deep_base(void **state)
{
  lx_tu_facts *f = lx_facts_new("deep.c");
  lx_path *chain = lx_arena_alloc(&f->arena, 100 * sizeof(*chain));
  for (int i = 0; i < 100; i++) {
    chain[i].kind = LX_PATH_FIELD;
    chain[i].key = "struct s.next";
    chain[i].base = i < 99 ? &chain[i + 1] : NULL;
  }
  lx_assign a = {&chain[0], &lx_path_none, {0}, 0, 0};
  lx_vec_push(&f->global_inits, a);
  size_t len;
  unsigned char *buf = lx_facts_encode(f, &len);
  const char *err = NULL;
  lx_tu_facts *back = lx_facts_decode(buf, len, &err);
  assert_non_null(back);
  assert_int_equal(base_depth(back->global_inits.v[0].dst), 64);
  lx_facts_free(back);
  free(buf);
  lx_facts_free(f);
}

/* ---- hand-made encodings ------------------------------------------------------------ */

typedef struct {
  unsigned char v[4096];
  size_t n;
} bytes;

static void u(bytes *b, uint64_t v)
{
  while (v >= 0x80) {
    b->v[b->n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  b->v[b->n++] = (unsigned char)v;
}

/* The header and a string table of "a.c" and "x"; main_file "a.c", parse_errors 0. */
static void head(bytes *b, unsigned version)
{
  b->n = 0;
  memcpy(b->v, "LXFB", 4);
  b->n = 4;
  u(b, version);
  u(b, 2);
  u(b, 6);
  memcpy(b->v + b->n, "a.c\0x\0", 6);
  b->n += 6;
  u(b, 1);
  u(b, 0);
}

static int decodes(const bytes *b, const char **err)
{
  *err = NULL;
  lx_tu_facts *f = lx_facts_decode(b->v, b->n, err);
  int ok = f != NULL;
  assert_true(ok ? *err == NULL : *err != NULL);
  lx_facts_free(f);
  return ok;
}

/* One global init whose dst has `depth` bases. */
static void deep_init(bytes *b, int depth)
{
  head(b, LX_FACTS_BIN_VERSION);
  u(b, 0); /* no functions */
  u(b, 1); /* one init */
  for (int i = 0; i < depth; i++) {
    b->v[b->n++] = LX_PATH_FIELD | 0x40;
    u(b, 2), u(b, 0), u(b, 0);
  }
  b->v[b->n++] = LX_PATH_LOCAL;
  u(b, 2), u(b, 2), u(b, 0);
  b->v[b->n++] = LX_PATH_UNKNOWN;
  u(b, 0), u(b, 0), u(b, 0);
  u(b, 1), u(b, 3), u(b, 4); /* loc */
  u(b, 1), u(b, 0);          /* loop -1, seq 0 */
}

/* One function with one loop whose condition has n atoms of op `op`. */
static void loop_cond(bytes *b, unsigned n, unsigned op)
{
  head(b, LX_FACTS_BIN_VERSION);
  u(b, 1);
  u(b, 2), u(b, 2), u(b, 1), u(b, 1), u(b, 1); /* usr, name, loc */
  u(b, 1), u(b, 0), u(b, 0), u(b, 0), u(b, 0), u(b, 0); /* def, returns, no params, annots, calls, assigns */
  u(b, 1); /* one loop */
  u(b, LX_LOOP_WHILE), u(b, 1), u(b, 2), u(b, 3), u(b, 1), u(b, 0); /* kind, loc, parent, no reads */
  u(b, n);
  for (unsigned i = 0; i < n; i++) {
    u(b, op);
    if (op != LX_CMP_NONE)
      b->v[b->n++] = LX_PATH_LOCAL, u(b, 2), u(b, 2), u(b, 0);
  }
  u(b, 0), u(b, 4); /* body */
  u(b, 0);          /* no branches */
  u(b, 0);          /* no inits */
}

static void test_rejects_malformed(void **state)
{
  bytes b;
  const char *err;
  deep_init(&b, 64);
  assert_true(decodes(&b, &err));
  deep_init(&b, 65);
  assert_false(decodes(&b, &err));
  assert_string_equal(err, "an access path nested too deeply in binary facts");

  loop_cond(&b, LX_COND_MAX, LX_CMP_TRUTHY);
  assert_true(decodes(&b, &err));
  loop_cond(&b, LX_COND_MAX + 1, LX_CMP_TRUTHY);
  assert_false(decodes(&b, &err));
  loop_cond(&b, 1, LX_CMP_NE + 1);
  assert_false(decodes(&b, &err));

  /* Another format version, no magic, trailing bytes. */
  deep_init(&b, 1);
  assert_true(decodes(&b, &err));
  b.v[b.n++] = 0;
  assert_false(decodes(&b, &err));
  assert_string_equal(err, "trailing bytes after binary facts");
  head(&b, LX_FACTS_BIN_VERSION + 1);
  u(&b, 0), u(&b, 0);
  assert_false(decodes(&b, &err));
  assert_string_equal(err, "binary facts of another format version");
  assert_null(lx_facts_decode("{\"file\": \"a.c\"}", 15, &err));
  assert_null(lx_facts_decode("", 0, &err));
  assert_null(lx_facts_decode(NULL, 0, &err));

  /* A string table with bytes after its last string, or a string without its NUL. */
  static const struct {
    const char *bytes;
    size_t n;
  } tables[] = {{"\x01\x06" "a.c\0x\0", 8}, {"\x02\x05" "a.c\0x", 7}};
  for (size_t i = 0; i < 2; i++) {
    b.n = 0;
    memcpy(b.v, "LXFB", 4);
    b.n = 4;
    u(&b, LX_FACTS_BIN_VERSION);
    memcpy(b.v + b.n, tables[i].bytes, tables[i].n);
    b.n += tables[i].n;
    u(&b, 1), u(&b, 0), u(&b, 0), u(&b, 0);
    assert_false(decodes(&b, &err));
    assert_string_equal(err, "a malformed string table in binary facts");
  }

  /* Counts far beyond the bytes that follow: refused, nothing huge allocated. */
  static const uint64_t huge[] = {1u << 20, (uint64_t)1 << 40, UINT64_MAX};
  for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
    head(&b, LX_FACTS_BIN_VERSION);
    u(&b, huge[i]);
    assert_false(decodes(&b, &err));
    assert_string_equal(err, "a count larger than the binary facts");
  }
  /* A varint longer than 64 bits, a string index past the table, an unknown kind. */
  head(&b, LX_FACTS_BIN_VERSION);
  memset(b.v + b.n, 0xff, 11);
  b.n += 11;
  assert_false(decodes(&b, &err));
  deep_init(&b, 0);
  b.v[b.n - 8] = 9; /* src key: string 9 of 2 */
  assert_false(decodes(&b, &err));
  assert_string_equal(err, "a string index out of range in binary facts");
  deep_init(&b, 0);
  b.v[b.n - 9] = 10; /* src kind */
  assert_false(decodes(&b, &err));
  assert_string_equal(err, "an unknown access path kind in binary facts");
}

/* Every prefix of a valid encoding is refused; single-byte corruptions never crash,
 * and what they decode to encodes and decodes again to the same bytes. */
static void test_truncation_and_corruption(void **state)
{
  lx_tu_facts *f = parse_snippet(snippet);
  size_t len;
  unsigned char *buf = round_trip(f, &len);
  lx_facts_free(f);
  for (size_t n = 0; n < len; n++) {
    const char *err = NULL;
    unsigned char *copy = lx_xmalloc(n ? n : 1); /* exactly n bytes, so ASan sees overreads */
    memcpy(copy, buf, n);
    lx_tu_facts *t = lx_facts_decode(copy, n, &err);
    if (t)
      fail_msg("prefix of %zu of %zu bytes decoded", n, len);
    assert_non_null(err);
    free(copy);
  }
  uint64_t rng = 0x9e3779b97f4a7c15ULL;
  unsigned char *copy = lx_xmalloc(len);
  int decoded = 0;
  for (int i = 0; i < 5000; i++) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    memcpy(copy, buf, len);
    size_t at = (size_t)(rng % len);
    unsigned char was = copy[at];
    copy[at] = (unsigned char)(rng >> 32);
    if (copy[at] == was)
      copy[at] ^= 0x01;
    const char *err = NULL;
    lx_tu_facts *t = lx_facts_decode(copy, len, &err);
    if (!t) {
      assert_non_null(err);
      continue;
    }
    decoded++;
    size_t n1, n2;
    unsigned char *e1 = lx_facts_encode(t, &n1);
    lx_tu_facts *t2 = lx_facts_decode(e1, n1, &err);
    assert_non_null(t2);
    unsigned char *e2 = lx_facts_encode(t2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(e1, e2, n1);
    free(e1);
    free(e2);
    lx_facts_free(t2);
    lx_facts_free(t);
  }
  assert_true(decoded > 0); /* a changed line or column still decodes */
  free(copy);
  free(buf);
}

/* ---- the fixtures ------------------------------------------------------------------- */

static LX_VEC(char *) found;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  size_t n = strlen(path);
  if (type == FTW_F && n > 2 && !strcmp(path + n - 2, ".c"))
    lx_vec_push(&found, lx_xstrdup(path));
  return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *source_dir(void)
{
  const char *d = getenv("LEASH_SOURCE_DIR");
  return d && *d ? d : LEASH_SOURCE_DIR;
}

/* Round-trips every .c file under dir (relative to the source tree); adds the sizes of
 * their binary and compact JSON forms to *bin and *json.  Returns how many files. */
static size_t round_trip_tree(const char *dir, size_t *bin, size_t *json)
{
  char root[4096];
  snprintf(root, sizeof(root), "%s/%s", source_dir(), dir);
  found.n = 0;
  assert_int_equal(nftw(root, collect, 16, FTW_PHYS), 0);
  qsort(found.v, found.n, sizeof(*found.v), by_name);
  CXIndex idx = clang_createIndex(0, 0);
  static const char *const args[] = {"-std=gnu11"};
  for (size_t i = 0; i < found.n; i++) {
    CXTranslationUnit tu = NULL;
    enum CXErrorCode ec = clang_parseTranslationUnit2(idx, found.v[i], args, 1, NULL, 0,
                                                      CXTranslationUnit_KeepGoing, &tu);
    if (ec != CXError_Success || !tu)
      fail_msg("libclang cannot parse %s", found.v[i]);
    lx_tu_facts *f = lx_extract(tu);
    clang_disposeTranslationUnit(tu);
    assert_non_null(f);
    size_t len;
    free(round_trip(f, &len));
    char *j = facts_json_text(f);
    *bin += len;
    *json += strlen(j);
    free(j);
    lx_facts_free(f);
  }
  clang_disposeIndex(idx);
  size_t n = found.n;
  for (size_t i = 0; i < found.n; i++)
    free(found.v[i]);
  lx_vec_free(&found);
  return n;
}

static void test_rule_fixtures(void **state)
{
  size_t bin = 0, json = 0;
  assert_true(round_trip_tree("fixtures/rules", &bin, &json) >= 100);
}

static void test_demo_smaller_than_json(void **state)
{
  size_t bin = 0, json = 0;
  assert_true(round_trip_tree("fixtures/demo/service", &bin, &json) >= 5);
  print_message("demo service facts: %zu bytes binary, %zu bytes compact JSON\n", bin, json);
  assert_true(bin * 3 < json);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_empty_facts),
      cmocka_unit_test(test_deep_base),
      cmocka_unit_test(test_rejects_malformed),
      cmocka_unit_test(test_truncation_and_corruption),
      cmocka_unit_test(test_rule_fixtures),
      cmocka_unit_test(test_demo_smaller_than_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
