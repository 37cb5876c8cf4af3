/* loader.c - finds and loads leash-frontend.so, the front end (frontend.h), in the
 * processes that parse: dlopen on first need, never at start-up, so that a process
 * that only holds facts (`leash check`'s own, `leash merge`) never maps libclang.
 *
 * Where: LEASH_FRONTEND when set (tests, a relocated module), else beside the running
 * executable (a build tree), else <exe folder>/LEASH_FRONTEND_REL (the same install
 * moved to another prefix), else LEASH_FRONTEND_DIR (where it was installed).  A unit
 * test or fuzz target that links the front end in gets that one, without dlopen. */
#include "frontend/frontend.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LEASH_VERSION
#define LEASH_VERSION "0.0.0"
#endif
#define MODULE "leash-frontend.so"

/* Defined when the front end is linked in (unit tests, fuzz targets); the leash
 * executable leaves it NULL and loads the module. */
extern const lx_frontend_api *lx_frontend_api_v1(void) __attribute__((weak));

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const lx_frontend_api *loaded;
static char why[PATH_MAX * 3 + 512];

/* Whether api is of this build: its table, its version, its structs' layouts. */
static int check(const lx_frontend_api *api, const char *path)
{
  if (api && api->size == sizeof(*api) && !strcmp(api->version, LEASH_VERSION) &&
      api->layout == lx_frontend_layout())
    return 0;
  snprintf(why, sizeof(why), "%s: cannot load leash's front end: it is of another build of leash (%s), not of "
           "this one (" LEASH_VERSION ")", path, api && api->size >= sizeof(*api) ? api->version : "?");
  return -1;
}

static void load_from(const char *path)
{
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    size_t n = strlen(path);
    if (e && !strncmp(e, path, n) && !strncmp(e + n, ": ", 2)) /* dlerror's own "path: " */
      e += n + 2;
    snprintf(why, sizeof(why), "%s: cannot load leash's front end: %s", path, e ? e : "dlopen failed");
    return;
  }
  const lx_frontend_api *(*get)(void) = (const lx_frontend_api *(*)(void))dlsym(h, "lx_frontend_api_v1");
  if (!get) {
    snprintf(why, sizeof(why), "%s: cannot load leash's front end: it has no lx_frontend_api_v1", path);
    return;
  }
  const lx_frontend_api *api = get();
  if (check(api, path) == 0)
    __atomic_store_n(&loaded, api, __ATOMIC_RELEASE);
  /* Not closed when refused: libclang is marked NODELETE and would stay mapped anyway. */
}

/* Candidate i (0, 1, 2) for the module, written to out; 0 when there is none. */
static int candidate(int i, char out[PATH_MAX])
{
  if (i == 2) {
#ifdef LEASH_FRONTEND_DIR
    return snprintf(out, PATH_MAX, "%s/" MODULE, LEASH_FRONTEND_DIR) < PATH_MAX;
#else
    return 0;
#endif
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0)
    return 0;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash)
    return 0;
  *slash = '\0';
  if (i == 0)
    return snprintf(out, PATH_MAX, "%s/" MODULE, exe) < PATH_MAX;
#ifdef LEASH_FRONTEND_REL
  const char *rel = LEASH_FRONTEND_REL;
  while (!strncmp(rel, "../", 3) && (slash = strrchr(exe, '/')) && slash != exe) { /* <prefix>/bin/.. */
    *slash = '\0';
    rel += 3;
  }
  return snprintf(out, PATH_MAX, "%s/%s/" MODULE, exe, rel) < PATH_MAX;
#else
  return 0;
#endif
}

static void load(void)
{
  if (lx_frontend_api_v1) {
    if (check(lx_frontend_api_v1(), "(linked in)") == 0)
      __atomic_store_n(&loaded, lx_frontend_api_v1(), __ATOMIC_RELEASE);
    return;
  }
  const char *env = getenv("LEASH_FRONTEND");
  if (env && *env) {
    load_from(env);
    return;
  }
  char path[PATH_MAX], tried[3][PATH_MAX];
  int ntried = 0;
  for (int i = 0; i < 3; i++) {
    if (!candidate(i, path))
      continue;
    if (access(path, F_OK) == 0) {
      load_from(path);
      return;
    }
    if (ntried == 0 || strcmp(tried[ntried - 1], path))
      memcpy(tried[ntried++], path, PATH_MAX);
  }
  int at = snprintf(why, sizeof(why), "cannot load leash's front end: " MODULE " is not where leash looks for it (");
  for (int i = 0; i < ntried && at > 0 && (size_t)at < sizeof(why); i++)
    at += snprintf(why + at, sizeof(why) - (size_t)at, "%s%s", i ? ", " : "", tried[i]);
  if (at > 0 && (size_t)at < sizeof(why))
    snprintf(why + at, sizeof(why) - (size_t)at, "); LEASH_FRONTEND=PATH names another");
}

const lx_frontend_api *lx_frontend_try(char *err, size_t errlen)
{
  pthread_once(&once, load);
  if (!loaded && err)
    snprintf(err, errlen, "%s", why);
  return loaded;
}

void lx_frontend_fail(const char *reason)
{
  fprintf(stderr, "leash: %s\n", reason);
  fflush(NULL);
  _exit(2);
}

const lx_frontend_api *lx_frontend(void)
{
  const lx_frontend_api *api = lx_frontend_try(NULL, 0);
  if (!api)
    lx_frontend_fail(why);
  return api;
}

int lx_frontend_loaded(void)
{
  if (lx_frontend_api_v1)
    return 1;
  /* Loading happens once, under the once-lock: a caller asking from another thread
   * meanwhile is told no, and only the compilation database's reader asks. */
  return __atomic_load_n(&loaded, __ATOMIC_ACQUIRE) != NULL;
}
