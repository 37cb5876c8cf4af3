/* test_lsp.c - `leash lsp` robustness: the Content-Length framing (malformed headers,
 * two messages in one read, a message split across reads), and the server over pipes
 * (bad JSON, unknown methods, unknown files, requests before initialize, edits faster
 * than analysis coalesced with no stale result published last). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include "rules/rules.h"
#include "config/config.h"
#include "lsp/lsp.h"
#include "lsp/lsp_diag.h"
#include "pipeline/pipeline.h"
#include "lsp/lsp_io.h"
#include "program/partition.h"
#include "frontend/tu.h"

#include "fixture_sets.h"

static const char *frame(char *buf, size_t n, const char *body)
{
  snprintf(buf, n, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  return buf;
}

static void feed_str(lx_lsp_frames *f, const char *s) { lx_lsp_frames_feed(f, s, strlen(s)); }

static int next(lx_lsp_frames *f, char **body)
{
  size_t len;
  char err[256];
  return lx_lsp_frames_next(f, body, &len, err, sizeof(err));
}

static void test_two_messages_in_one_read(void **state)
{
  (void)state;
  lx_lsp_frames f;
  lx_lsp_frames_init(&f);
  char a[128], b[128], both[256];
  frame(a, sizeof(a), "{\"a\":1}");
  frame(b, sizeof(b), "{\"b\":2}");
  snprintf(both, sizeof(both), "%s%s", a, b);
  feed_str(&f, both);
  char *body;
  assert_int_equal(next(&f, &body), 1);
  assert_string_equal(body, "{\"a\":1}");
  free(body);
  assert_int_equal(next(&f, &body), 1);
  assert_string_equal(body, "{\"b\":2}");
  free(body);
  assert_int_equal(next(&f, &body), 0);
  lx_lsp_frames_free(&f);
}

static void test_split_across_reads(void **state)
{
  (void)state;
  lx_lsp_frames f;
  lx_lsp_frames_init(&f);
  char a[256];
  frame(a, sizeof(a), "{\"method\":\"initialized\",\"params\":{\"x\":\"\xc3\xa9\"}}");
  char *body;
  for (size_t i = 0; a[i]; i++) {
    assert_int_equal(next(&f, &body), 0);
    lx_lsp_frames_feed(&f, a + i, 1);
  }
  assert_int_equal(next(&f, &body), 1);
  assert_string_equal(body, "{\"method\":\"initialized\",\"params\":{\"x\":\"\xc3\xa9\"}}");
  free(body);
  /* Other headers, any case, are accepted. */
  feed_str(&f, "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
  assert_int_equal(next(&f, &body), 1);
  assert_string_equal(body, "{}");
  free(body);
  lx_lsp_frames_free(&f);
}

static void test_malformed_headers(void **state)
{
  (void)state;
  static const char *const bad[] = {
      "Content-Type: text/plain\r\n\r\n{}",       /* no Content-Length */
      "Content-Length: twelve\r\n\r\n{}",         /* not a number */
      "Content-Length: 99999999999\r\n\r\n{}",    /* too large */
      "hello world\r\n\r\n",                      /* no colon */
      "Content-Length: 2 3\r\n\r\n{}",            /* trailing junk */
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
    lx_lsp_frames f;
    lx_lsp_frames_init(&f);
    char good[128];
    feed_str(&f, bad[i]);
    feed_str(&f, frame(good, sizeof(good), "{\"ok\":true}"));
    char *body;
    size_t len;
    char err[256] = "";
    assert_int_equal(lx_lsp_frames_next(&f, &body, &len, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "malformed message header"));
    /* The stream goes on with the next message. */
    assert_int_equal(next(&f, &body), 1);
    assert_string_equal(body, "{\"ok\":true}");
    free(body);
    lx_lsp_frames_free(&f);
  }
}

static void test_uris(void **state)
{
  (void)state;
  char *u = lx_lsp_uri_from_path("/tmp/a b/c#d.c");
  assert_string_equal(u, "file:///tmp/a%20b/c%23d.c");
  char *p = lx_lsp_path_from_uri(u);
  assert_string_equal(p, "/tmp/a b/c#d.c");
  free(u);
  free(p);
  assert_null(lx_lsp_path_from_uri("untitled:Untitled-1"));
}

/* ---- the server over pipes ------------------------------------------------------- */

typedef struct {
  int in, out, rc;
} serve_args;

static void *serve(void *arg)
{
  serve_args *a = arg;
  a->rc = lx_lsp_serve(a->in, a->out, NULL, 0);
  close(a->out);
  return NULL;
}

typedef struct {
  int to, from;
  pthread_t th;
  serve_args args;
  lx_lsp_frames frames;
} client;

static void start(client *c)
{
  int in[2], out[2];
  assert_int_equal(pipe(in), 0);
  assert_int_equal(pipe(out), 0);
  c->args = (serve_args){in[0], out[1], -1};
  c->to = in[1];
  c->from = out[0];
  lx_lsp_frames_init(&c->frames);
  assert_int_equal(pthread_create(&c->th, NULL, serve, &c->args), 0);
}

static void send_raw(client *c, const char *s) { assert_int_equal(write(c->to, s, strlen(s)), (ssize_t)strlen(s)); }

static void send_body(client *c, const char *body)
{
  char *buf = malloc(strlen(body) + 64);
  sprintf(buf, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  send_raw(c, buf);
  free(buf);
}

/* The next message from the server, or NULL at the end or after timeout_ms. */
static json_t *receive(client *c, int timeout_ms)
{
  for (;;) {
    char *body;
    if (next(&c->frames, &body) == 1) {
      json_t *j = json_loads(body, 0, NULL);
      free(body);
      assert_non_null(j);
      return j;
    }
    struct pollfd p = {c->from, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0)
      return NULL;
    char buf[4096];
    ssize_t n = read(c->from, buf, sizeof(buf));
    if (n <= 0)
      return NULL;
    lx_lsp_frames_feed(&c->frames, buf, (size_t)n);
  }
}

/* The next response (skipping notifications). */
static json_t *response(client *c)
{
  for (;;) {
    json_t *j = receive(c, 20000);
    assert_non_null(j);
    if (!json_object_get(j, "method"))
      return j;
    json_decref(j);
  }
}

static int finish(client *c)
{
  close(c->to);
  pthread_join(c->th, NULL);
  close(c->from);
  lx_lsp_frames_free(&c->frames);
  return c->args.rc;
}

static void expect_error(client *c, int code)
{
  json_t *r = response(c);
  assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "error"), "code")), code);
  json_decref(r);
}

static void test_server_robust(void **state)
{
  (void)state;
  client c;
  start(&c);
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/codeAction\",\"params\":{}}");
  expect_error(&c, -32002); /* not initialized */
  send_raw(&c, "Content-Type: nothing\r\n\r\n");
  expect_error(&c, -32700); /* malformed header */
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":");
  expect_error(&c, -32700); /* bad JSON */
  send_body(&c, "[1,2]");
  expect_error(&c, -32600);
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
  json_t *r = response(&c);
  assert_int_equal(json_integer_value(json_object_get(r, "id")), 3);
  json_t *caps = json_object_get(json_object_get(r, "result"), "capabilities");
  assert_int_equal(json_integer_value(json_object_get(json_object_get(caps, "textDocumentSync"), "change")), 1);
  json_decref(r);
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"workspace/somethingNew\",\"params\":{}}"); /* ignored */
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/hover\",\"params\":{}}");
  expect_error(&c, -32601);
  /* A request about a file that is not open is answered. */
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":"
                "{\"uri\":\"file:///nonexistent/x.c\"},\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":"
                "{\"line\":3,\"character\":0}},\"context\":{\"diagnostics\":[]}}}");
  r = response(&c);
  assert_int_equal(json_integer_value(json_object_get(r, "id")), 5);
  assert_true(json_is_array(json_object_get(r, "result")));
  assert_int_equal(json_array_size(json_object_get(r, "result")), 0);
  json_decref(r);
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
                "{\"uri\":\"file:///nonexistent/x.c\",\"version\":2},\"contentChanges\":[{\"text\":\"int x;\"}]}}");
  /* shutdown and exit in one write. */
  char a[128], b[128], both[256];
  frame(a, sizeof(a), "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"shutdown\"}");
  frame(b, sizeof(b), "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
  snprintf(both, sizeof(both), "%s%s", a, b);
  send_raw(&c, both);
  r = response(&c);
  assert_int_equal(json_integer_value(json_object_get(r, "id")), 6);
  assert_true(json_is_null(json_object_get(r, "result")));
  json_decref(r);
  assert_int_equal(finish(&c), 0);
}

static const char unbounded[] =
    "#include <curl/curl.h>\n"
    "int get(const char *u) {\n"
    "  CURL *h = curl_easy_init();\n"
    "  curl_easy_setopt(h, CURLOPT_URL, u);\n"
    "%s"
    "  return curl_easy_perform(h);\n"
    "}\n";

static void did_change(client *c, const char *uri, int version, const char *extra)
{
  char text[1024], *esc;
  snprintf(text, sizeof(text), unbounded, extra);
  json_t *msg = json_pack("{s:s,s:s,s:{s:{s:s,s:i},s:[{s:s}]}}", "jsonrpc", "2.0", "method",
                          version == 1 ? "textDocument/didOpen" : "textDocument/didChange", "params",
                          "textDocument", "uri", uri, "version", version, "contentChanges", "text", text);
  if (version == 1) {
    json_t *p = json_object_get(msg, "params");
    json_object_set_new(p, "textDocument", json_pack("{s:s,s:s,s:i,s:s}", "uri", uri, "languageId", "c",
                                                     "version", 1, "text", text));
  }
  esc = json_dumps(msg, JSON_COMPACT);
  send_body(c, esc);
  free(esc);
  json_decref(msg);
}

static void test_server_coalesces_edits(void **state)
{
  (void)state;
  char dir[] = "/tmp/leash-lsp-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256], uri[300];
  snprintf(path, sizeof(path), "%s/get.c", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fclose(f);
  snprintf(uri, sizeof(uri), "file://%s", path);
  client c;
  start(&c);
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
  json_decref(response(&c));
  /* Twenty versions as fast as they can be written; the last sets a timeout. */
  for (int v = 1; v <= 20; v++)
    did_change(&c, uri, v, v == 20 ? "  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);\n" : "");
  int last = 0, publishes = 0;
  size_t ndiag = 99;
  while (last != 20) {
    json_t *m = receive(&c, 30000);
    assert_non_null(m);
    const char *method = json_string_value(json_object_get(m, "method"));
    if (method && !strcmp(method, "textDocument/publishDiagnostics")) {
      json_t *p = json_object_get(m, "params");
      int v = (int)json_integer_value(json_object_get(p, "version"));
      assert_true(v > last); /* never a stale result after a newer one */
      last = v;
      ndiag = json_array_size(json_object_get(p, "diagnostics"));
      if (v < 20)
        assert_int_equal(ndiag, 1);
      publishes++;
    }
    json_decref(m);
  }
  assert_int_equal(ndiag, 0);
  assert_true(publishes < 20); /* coalesced */
  send_body(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
  assert_int_equal(finish(&c), 1); /* exit without shutdown */
  unlink(path);
  rmdir(dir);
}

/* The program a file belongs to, as `leash check` splits them: the fixed twin's join
 * of its own `struct stats.flusher` does not excuse the service's thread. */
static void test_evaluate_own_program(void **state)
{
  (void)state;
  const char *dir = LEASH_SOURCE_DIR "/fixtures/rules/thread-never-joined/two_programs_one_struct";
  char service[512], twin[512];
  snprintf(service, sizeof(service), "%s/service.c", dir);
  snprintf(twin, sizeof(twin), "%s/twin.c", dir);
  void *index = lx_tu_index_new();
  lx_tu_facts *tus[2] = {NULL, NULL};
  const char *files[2] = {service, twin};
  for (int i = 0; i < 2; i++) {
    lx_cmd c;
    lx_compdb_lookup(NULL, files[i], &c);
    assert_int_equal(lx_tu_analyse(index, &c, &tus[i], NULL), LX_TU_OK);
    lx_cmd_free(&c);
  }
  lx_config *cfg = fixture_config();
  size_t tlen;
  char *text = lx_read_file(service, &tlen);
  lx_lsp_lines lines;
  lx_lsp_lines_init(&lines, text, tlen);
  lx_findings f;
  lx_findings_init(&f);
  lx_lsp_evaluate(tus, 2, cfg, service, &lines, NULL, NULL, &f);
  assert_int_equal(f.v.n, 1);
  assert_string_equal(f.v.v[0].rule, "thread-never-joined");
  assert_int_equal(f.v.v[0].loc.line, 22);
  lx_findings_free(&f);
  lx_lsp_lines_free(&lines);
  free(text);
  lx_config_free(cfg);
  for (int i = 0; i < 2; i++)
    lx_facts_free(tus[i]);
  lx_tu_index_free(index);
}

/* The findings in path as `leash check` gives them: every function of path's program
 * visited, then the others dropped (what lx_lsp_evaluate gave before it visited only
 * the functions with a call in path). */
static void evaluate_whole(lx_tu_facts **tus, size_t n, const lx_config *cfg, const char *path, lx_findings *out)
{
  lx_findings all;
  lx_findings_init(&all);
  /* path's program (its TU is tus[0]), every function visited: no file scope. */
  lx_pipeline pl = {.cfg = cfg, .enabled = every_rule, .file_tu = tus[0]};
  lx_pipeline_rules(&pl, tus, n, &all);
  for (size_t i = 0; i < all.v.n; i++) {
    const lx_finding *fd = &all.v.v[i];
    if (strcmp(fd->loc.file, path) != 0)
      continue;
    lx_findings_append(out, fd);
  }
  lx_findings_sort(out);
  lx_findings_free(&all);
}

typedef struct {
  const lx_config *cfg;
  size_t compared, findings;
} scoped_check;

static void compare_scoped(lx_tu_facts **tus, size_t n, void *arg)
{
  scoped_check *sc = arg;
  for (size_t i = 0; i < n; i++) {
    lx_tu_facts *t = tus[0];
    tus[0] = tus[i];
    tus[i] = t; /* the file's own TU first, as the server passes it */
    const char *path = tus[0]->main_file;
    lx_lsp_lines lines;
    lx_lsp_lines_init(&lines, "", 0);
    lx_findings scoped, whole;
    lx_findings_init(&scoped);
    lx_findings_init(&whole);
    lx_lsp_evaluate(tus, n, sc->cfg, path, &lines, NULL, NULL, &scoped);
    evaluate_whole(tus, n, sc->cfg, path, &whole);
    assert_int_equal(scoped.v.n, whole.v.n);
    for (size_t k = 0; k < whole.v.n; k++) {
      const lx_finding *a = &scoped.v.v[k], *b = &whole.v.v[k];
      assert_string_equal(a->rule, b->rule);
      assert_int_equal(a->loc.line, b->loc.line);
      assert_int_equal(a->loc.col, b->loc.col);
      assert_string_equal(a->message, b->message);
      assert_int_equal(a->nrelated, b->nrelated);
      for (int r = 0; r < a->nrelated; r++)
        assert_int_equal(a->related[r].loc.line, b->related[r].loc.line);
    }
    sc->compared++;
    sc->findings += whole.v.n;
    lx_findings_free(&scoped);
    lx_findings_free(&whole);
    lx_lsp_lines_free(&lines);
  }
}

/* For every fixture folder, analysed as one set of TUs: each file's findings in the
 * language server, which visits only the functions with a call in that file, are
 * those of a whole run. */
static void test_evaluate_scoped_as_whole(void **state)
{
  (void)state;
  lx_config *cfg = fixture_config();
  scoped_check sc = {cfg, 0, 0};
  for_each_fixture_set(compare_scoped, &sc);
  assert_true(sc.compared >= 200);
  assert_true(sc.findings >= 100);
  lx_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_messages_in_one_read), cmocka_unit_test(test_split_across_reads),
      cmocka_unit_test(test_malformed_headers),        cmocka_unit_test(test_uris),
      cmocka_unit_test(test_server_robust),            cmocka_unit_test(test_server_coalesces_edits),
      cmocka_unit_test(test_evaluate_own_program),    cmocka_unit_test(test_evaluate_scoped_as_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
