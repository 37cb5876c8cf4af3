/* lsp_bench.c - times `leash lsp` against `clang -fsyntax-only` on one file: the first
 * diagnosis (didOpen to publishDiagnostics) and re-diagnosis after an edit (didChange
 * to publishDiagnostics, median of several), each as a ratio of the compiler's time.
 * Edits are typed inside a function body in the middle of the file (the common case,
 * where only that function is analysed again), then outside any function (where the
 * whole file is).  LSP_BENCH_VERBOSE=1 passes -v to the server (its timings on stderr);
 * LSP_BENCH_DB=FILE gives it a findings database (the rest of the program's facts). 
 * Usage: lsp_bench LEASH CLANG FILE [EDITS]   (flags from the file's compile_commands.json
 * entry when there is one, as both leash and clangd find them) */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- clang -fsyntax-only with the database's flags ---------------------------------- */

static json_t *db_entry(const char *file)
{
  char dir[PATH_MAX];
  snprintf(dir, sizeof(dir), "%s", file);
  for (char *s = strrchr(dir, '/'); s; s = strrchr(dir, '/')) {
    *s = '\0';
    const char *sub[] = {"", "/build"};
    for (int k = 0; k < 2; k++) {
      char p[PATH_MAX + 64];
      snprintf(p, sizeof(p), "%s%s/compile_commands.json", dir, sub[k]);
      json_t *db = json_load_file(p, 0, NULL);
      for (size_t i = 0; i < json_array_size(db); i++) {
        json_t *e = json_array_get(db, i);
        if (!strcmp(json_string_value(json_object_get(e, "file")) ?: "", file)) {
          json_incref(e);
          json_decref(db);
          return e;
        }
      }
      if (db) {
        json_decref(db);
        return NULL;
      }
    }
  }
  return NULL;
}

static double clang_time(const char *clang, const char *file)
{
  json_t *e = db_entry(file);
  json_t *args = json_object_get(e, "arguments");
  const char *dir = json_string_value(json_object_get(e, "directory"));
  char **argv = calloc(json_array_size(args) + 8, sizeof(char *));
  int n = 0;
  argv[n++] = (char *)clang;
  argv[n++] = "-fsyntax-only";
  argv[n++] = "-w"; /* as leash parses it, and as ci/bench/check.sh's floor: the parse alone */
  for (size_t i = 1; i < json_array_size(args); i++) {
    const char *a = json_string_value(json_array_get(args, i));
    if (!strcmp(a, "-c") || !strcmp(a, "-Werror"))
      continue;
    if (!strcmp(a, "-o")) {
      i++;
      continue;
    }
    if (a[0] != '-')
      continue; /* the source file: given below, absolute */
    argv[n++] = (char *)a;
  }
  if (!e) {
    argv[n++] = "-std=gnu11";
  }
  argv[n++] = (char *)file;
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid == 0) {
    if (dir && chdir(dir) != 0)
      _exit(127);
    execvp(clang, argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  double t = now_ms() - t0;
  if (!WIFEXITED(st) || WEXITSTATUS(st) == 127)
    fprintf(stderr, "lsp_bench: %s did not run\n", clang);
  free(argv);
  json_decref(e);
  return t;
}

/* ---- the server ----------------------------------------------------------------------- */

static int to_srv, from_srv;
static char *inbuf;
static size_t inlen, incap;

static void send_msg(json_t *m)
{
  char *body = json_dumps(m, JSON_COMPACT);
  json_decref(m);
  char h[64];
  int hn = snprintf(h, sizeof(h), "Content-Length: %zu\r\n\r\n", strlen(body));
  if (write(to_srv, h, (size_t)hn) != hn || write(to_srv, body, strlen(body)) != (ssize_t)strlen(body)) {
    perror("lsp_bench: write");
    exit(1);
  }
  free(body);
}

static json_t *recv_msg(void)
{
  for (;;) {
    char *end = inlen ? memmem(inbuf, inlen, "\r\n\r\n", 4) : NULL;
    if (end) {
      size_t hl = (size_t)(end - inbuf) + 4;
      size_t bl = strtoul(strstr(inbuf, ":") + 1, NULL, 10);
      if (inlen >= hl + bl) {
        json_t *j = json_loadb(inbuf + hl, bl, 0, NULL);
        memmove(inbuf, inbuf + hl + bl, inlen - hl - bl);
        inlen -= hl + bl;
        return j;
      }
    }
    if (inlen + 65536 > incap)
      inbuf = realloc(inbuf, incap = (inlen + 65536) * 2);
    ssize_t n = read(from_srv, inbuf + inlen, 65536);
    if (n <= 0) {
      fprintf(stderr, "lsp_bench: the server closed its output\n");
      exit(1);
    }
    inlen += (size_t)n;
  }
}

/* Waits for the publishDiagnostics of version; returns the number of diagnostics. */
static int wait_publish(int version)
{
  for (;;) {
    json_t *m = recv_msg();
    const char *method = json_string_value(json_object_get(m, "method"));
    json_t *p = json_object_get(m, "params");
    if (method && !strcmp(method, "textDocument/publishDiagnostics") &&
        json_integer_value(json_object_get(p, "version")) == version) {
      int n = (int)json_array_size(json_object_get(p, "diagnostics"));
      json_decref(m);
      return n;
    }
    json_decref(m);
  }
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 64);
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = '\0';
  fclose(f);
  return s;
}

int main(int argc, char **argv)
{
  if (argc < 4) {
    fputs("usage: lsp_bench LEASH CLANG FILE [EDITS]\n", stderr);
    return 2;
  }
  const char *leash = argv[1], *clang = argv[2];
  char file[PATH_MAX];
  if (!realpath(argv[3], file)) {
    perror(argv[3]);
    return 2;
  }
  int edits = argc > 4 ? atoi(argv[4]) : 10;
  char *text = slurp(file);
  double ct[5];
  for (int i = 0; i < 5; i++)
    ct[i] = clang_time(clang, file);
  double clang_ms = median(ct, 5);

  int in[2], out[2];
  if (pipe(in) || pipe(out))
    return 1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    const char *db = getenv("LSP_BENCH_DB"); /* program-wide facts from this database */
    const char *v = getenv("LSP_BENCH_VERBOSE") ? "-v" : NULL;
    if (db)
      execl(leash, leash, "lsp", "--db", db, v, (char *)NULL);
    execl(leash, leash, "lsp", v, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  to_srv = in[1];
  from_srv = out[0];
  char uri[PATH_MAX + 16];
  snprintf(uri, sizeof(uri), "file://%s", file);
  send_msg(json_pack("{s:s,s:i,s:s,s:{s:n,s:{}}}", "jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
                     "rootUri", "capabilities"));
  json_decref(recv_msg());
  send_msg(json_pack("{s:s,s:s,s:{}}", "jsonrpc", "2.0", "method", "initialized", "params"));
  double t0 = now_ms();
  send_msg(json_pack("{s:s,s:s,s:{s:{s:s,s:s,s:i,s:s}}}", "jsonrpc", "2.0", "method", "textDocument/didOpen",
                     "params", "textDocument", "uri", uri, "languageId", "c", "version", 1, "text", text));
  int nd = wait_publish(1);
  double first = now_ms() - t0;
  size_t len = strlen(text);
  /* Typing inside a function: the first function whose header line starts after the
   * middle of the file; each edit inserts a statement after its `{` line. */
  size_t at = len / 2;
  for (;;) {
    const char *nl = strchr(text + at, '\n');
    if (!nl) {
      at = len;
      break;
    }
    at = (size_t)(nl - text) + 1;
    const char *eol = strchr(text + at, '\n');
    size_t n = eol ? (size_t)(eol - text) - at : len - at;
    if (n > 2 && text[at] != ' ' && text[at] != '\t' && text[at] != '#' && text[at] != '/' &&
        memchr(text + at, '(', n) && text[at + n - 1] == '{') {
      at += n + 1;
      break;
    }
  }
  double *re = calloc((size_t)edits, sizeof(double)), *top = calloc((size_t)edits, sizeof(double));
  int version = 1;
  for (int kind = 0; kind < 2; kind++)
    for (int e = 0; e < edits; e++) {
      char *t2 = malloc(len + 64);
      if (kind == 0) /* inside a function body */
        snprintf(t2, len + 64, "%.*s    (void)0; /* edit %d */\n%s", (int)at, text, e, text + at);
      else /* a comment after the last declaration: outside any function, parsed whole */
        snprintf(t2, len + 64, "%s/* edit %d */\n", text, e);
      t0 = now_ms();
      send_msg(json_pack("{s:s,s:s,s:{s:{s:s,s:i},s:[{s:s}]}}", "jsonrpc", "2.0", "method",
                         "textDocument/didChange", "params", "textDocument", "uri", uri, "version", ++version,
                         "contentChanges", "text", t2));
      wait_publish(version);
      (kind == 0 ? re : top)[e] = now_ms() - t0;
      free(t2);
    }
  double re_ms = median(re, edits), top_ms = median(top, edits);
  send_msg(json_pack("{s:s,s:i,s:s}", "jsonrpc", "2.0", "id", 2, "method", "shutdown"));
  json_decref(recv_msg());
  send_msg(json_pack("{s:s,s:s}", "jsonrpc", "2.0", "method", "exit"));
  int st;
  waitpid(pid, &st, 0);
  printf("file                 %s (%d leash diagnostic(s))\n", file, nd);
  printf("clang -fsyntax-only  %8.1f ms (median of 5)\n", clang_ms);
  printf("first diagnosis      %8.1f ms  = %.2fx clang   (target <= 2x)\n", first, first / clang_ms);
  printf("after an edit        %8.1f ms  = %.2fx clang   (target <= 0.3x; median of %d, in a function "
         "body)\n", re_ms, re_ms / clang_ms, edits);
  printf("after a top-level edit %6.1f ms  = %.2fx clang   (median of %d, a comment after the last "
         "declaration: parsed whole)\n", top_ms, top_ms / clang_ms, edits);
  free(re);
  free(top);
  free(text);
  return 0;
}
