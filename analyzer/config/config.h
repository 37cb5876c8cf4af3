/* config.h - the API catalogue and the user's .leash.yaml, in the SPEC section 2
 * vocabulary, read with libyaml. */
#ifndef LX_CONFIG_H
#define LX_CONFIG_H

#include "base/severity.h"
#include "facts/facts.h"


#define LX_API_MAX_ANNOTS 4
#define LX_API_MAX_WHEN 8

/* What the catalogue or the user says of one function, by name.  A function may have
 * several entries in one file, each with its own `when` (next): hiredis's
 * redisConnectWithOptions connects, and gives the connection a connect timeout when
 * its options set connect_timeout, a command timeout when they set command_timeout. */
typedef struct lx_api {
  const char *name;
  const char *library; /* "libcurl", "pthreads"... or NULL */
  int nannots;
  /* timeout and deadline take argument 0: the handle the function returns (a
   * connect-with-timeout constructor). */
  lx_annot annots[LX_API_MAX_ANNOTS];
  int connects;        /* connects the handle in this argument (0: the one it returns), or -1 */
  int connect_timeout; /* gives the handle in this argument (0: returned) a connect timeout, or -1 */
  int copies;          /* the handle it returns is a copy of argument `copies` and has its timeouts, or 0 */
  int no_timeout;      /* takes the timeout of the handle in this argument away (sets "forever"), or 0 */
  int periodic;        /* registers the function in this argument to run once per interval, or 0 */
  int thread_handle;   /* creates a joinable thread whose handle it writes to this argument (0: returns it), or -1 */
  int thread_attr;     /* ... with the attributes (joinable or detached) in this argument, or 0 */
  const char *fix;     /* how to bound it, in the library's own terms, or NULL */
  /* The entry holds only when argument when_arg is one of when_is (enumerator or
   * macro names, or integers), argument nonzero_arg is not the constant 0, argument
   * negative_arg is a negative constant (libmemcached's -1: wait forever), and:
   * - when_contains: argument when_arg is a string literal containing one of these
   *   texts (libpq's "connect_timeout=" in a connection string);
   * - when_field: argument when_arg is (the address of) a struct whose member of that
   *   name is assigned before the call (hiredis's options.connect_timeout), with a
   *   value that is one of when_is when it is given;
   * - when_property: the arguments from when_arg on are a GObject property list (name,
   *   value, ..., NULL) that gives the property of that name a value other than the
   *   constant 0 (g_object_set(client, "timeout", 5, NULL)); with when_default, a list
   *   that does not name it holds too (the library's default is a timeout). */
  int when_arg;
  int nwhen;
  const char *when_is[LX_API_MAX_WHEN];
  int ncontains;
  const char *when_contains[LX_API_MAX_WHEN];
  const char *when_field;
  const char *when_property;
  int when_default;
  int nonzero_arg;
  int negative_arg; /* the entry holds only when this argument is a negative constant, or 0 */
  unsigned user : 1;    /* from the user's .leash.yaml, not the catalogue */
  const char *origin; /* "file:line" the entry comes from */
  const struct lx_api *next; /* another entry for the same function, or NULL */
} lx_api;

/* What kind of call a function is, for the program-wide steps and the rules: the
 * words of the catalogue's `kinds:` section (see its header), each a list of function
 * names that a project's .leash.yaml extends. */
typedef enum {
  LX_KIND_EVENT_WAIT,     /* waits for the next external event: a loop around it runs per event */
  LX_KIND_EVENT_SOURCE,   /* ...and makes a function that calls it an event waiter too */
  LX_KIND_POLL,           /* waits for readiness of descriptors */
  LX_KIND_FILE_READ,      /* reads what may be a file: at start-up, configuration */
  LX_KIND_COND_WAIT,      /* waits on a condition variable: synchronisation, not an event */
  LX_KIND_ONE_SHOT,       /* calls the function it is given a bounded number of times */
  LX_KIND_PROCESS_SPAWN,  /* starts a process */
  LX_KIND_CHILD_WAIT,     /* waits for a child process */
  LX_KIND_SIGNAL,         /* signal(sig, handler): registers its argument 2 as a signal handler */
  LX_KIND_SIGACTION,      /* sigaction(sig, &sa, old): the handler is a field of sa */
  LX_KIND_CLOCK,          /* reads the time */
  LX_KIND_FD_CREATE,      /* returns a new descriptor */
  LX_KIND_FD_PAIR_CREATE, /* writes new descriptors to its array argument */
  LX_KIND_SEND,           /* sends bytes on the descriptor in argument 1 */
  LX_KIND_RECEIVE,        /* receives bytes from the descriptor in argument 1 */
  LX_KIND_STREAM_READ,    /* a byte-stream read: returns 0 when the peer closes */
  LX_KIND_ATOMIC_STORE,   /* stores argument 2 into what argument 1 points to */
  LX_KIND_ATOMIC_LOAD,    /* loads what argument 1 points to */
  LX_KIND_THREAD_CANCEL,  /* cancels the thread in argument 1 */
  LX_KIND_THREAD_JOIN,    /* waits for the thread in argument 1 to end */
  LX_KIND_THREAD_TRY_JOIN, /* joins the thread in argument 1 if it has ended, or ends in time */
  LX_KIND_THREAD_DETACH,  /* detaches the thread in argument 1 */
  LX_KIND_COUNT
} lx_kind;

/* The word for kind k in `kinds:`. */
const char *lx_kind_name(lx_kind k);

typedef struct {
  const char *id;
  int enabled;          /* 1, 0, or -1 when not set */
  lx_severity severity; /* LX_SEV_DEFAULT when not set */
} lx_rule_setting;

typedef struct lx_config {
  lx_arena arena;
  lx_map apis;  /* name -> lx_api * */
  lx_map kinds; /* name -> (uintptr_t) mask of 1 << lx_kind, from every file */
  LX_VEC(lx_rule_setting) rules;
  LX_VEC(const char *) excludes; /* glob patterns, relative to root */
  const char *root;              /* folder the user config was found in, or NULL */
  /* Whether a `rules:` key names a rule (the registry's lx_rules_config sets it); NULL:
   * any name is taken. */
  int (*rule_known)(const char *id);
} lx_config;

lx_config *lx_config_new(void);
void lx_config_free(lx_config *c);

/* Reads a catalogue or user config file into c; entries of later files replace
 * those of earlier ones by function name.  user_file allows `rules:` and `exclude:`.
 * On error returns -1 and writes "file:line:col: what is wrong" into err. */
int lx_config_load(lx_config *c, const char *path, int user_file, char *err, size_t errlen);

/* Same as lx_config_load, from a string (tests and fuzzing); name is used in errors. */
int lx_config_load_string(lx_config *c, const char *name, const char *text, size_t len,
                          int user_file, char *err, size_t errlen);

/* Finds .leash.yaml from dir upwards; returns a malloc'd path or NULL. */
char *lx_config_find(const char *dir);

const lx_api *lx_config_api(const lx_config *c, const char *name);
/* The same, given lx_map_hash(name). */
const lx_api *lx_config_api_h(const lx_config *c, const char *name, uint64_t hash);
/* Whether the function called name (hash: lx_map_hash(name)) is of kind k. */
int lx_config_is(const lx_config *c, const char *name, uint64_t hash, lx_kind k);
/* How many entries the user's .leash.yaml gives (0: the catalogue's alone). */
size_t lx_config_user_apis(const lx_config *c);

/* Calls each(api, arg) for every entry of the user's .leash.yaml whose function is
 * neither defined, declared with an annotation nor called in any of the n TUs (a
 * misspelled name configures nothing); returns how many. */
size_t lx_config_unused_apis(const lx_config *c, lx_tu_facts *const *tus, size_t n,
                             void (*each)(const lx_api *api, void *arg), void *arg);

const lx_rule_setting *lx_config_rule(const lx_config *c, const char *id);
/* Whether the configuration leaves rule id on (it is unless `enabled: false`). */
int lx_config_rule_on(const lx_config *c, const char *id);
/* Whether path (absolute or relative to the root) matches an exclude pattern. */
int lx_config_excluded(const lx_config *c, const char *path);

#endif
