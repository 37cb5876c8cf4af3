/* socket-call-without-timeout.c - connect/read/write/accept/SSL calls on a blocking
 * socket whose peer can stall them and that nothing bounds: no SO_RCVTIMEO/SO_SNDTIMEO,
 * no O_NONBLOCK, no poll with a finite timeout before it.  Each descriptor is judged by
 * the call that made it and followed along assignments, parameters, returns, struct
 * fields and globals, across files (see state below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

/* What a descriptor is, from the call that made it.  Only some kinds have a peer that
 * can stall a call: a TCP (or unknown) stream, a connection accepted from any
 * listener (of an AF_UNIX listener's clients, only what waits for them to send).  A datagram socket's sends never wait for a peer, and its receives wait
 * for a reply only after it sent a request; an AF_UNIX client talks to a local
 * daemon; netlink talks to the kernel; pipes, eventfds and socketpairs are the
 * program's own wake-ups. */
enum {
  K_STREAM = 0, /* socket(AF_INET/AF_INET6/unknown, SOCK_STREAM/unknown) */
  K_ACCEPTED,   /* accept()/accept4(): a client of a listener */
  K_DGRAM,      /* socket(..., SOCK_DGRAM/SOCK_RAW) not AF_UNIX */
  K_LOCAL,      /* socket(AF_UNIX, ...): a local peer */
  K_KERNEL,     /* socket(AF_NETLINK/AF_PACKET, ...) */
  K_NOTNET,     /* pipe, pipe2, socketpair, eventfd, signalfd, timerfd, open... */
  K_COUNT
};
static const char *const kind_words[K_COUNT] = {"stream socket", "accepted connection", "datagram socket",
                                                "AF_UNIX socket", "kernel socket", "descriptor"};

/* A blocking call this rule judges: the catalogue's sockets and OpenSSL, and the
 * user's own (an annotation, or a .leash.yaml entry with no library): the same
 * function declared either way means the same. */
static int fd_api(const lx_api *api)
{
  return !api || !api->library || lx_rq_api_is_socket(api);
}

static int const_named(const lx_path *a, const char *const *names, long long value)
{
  if (a->kind != LX_PATH_CONST)
    return 0;
  for (int i = 0; names[i]; i++)
    if ((a->name && !strcmp(a->name, names[i])) || lx_rq_path_sets_flag(a, names[i]))
      return 1;
  return !a->name && a->value == value;
}

/* The one constant path v of fn stands for, or NULL: itself; a local or a field fn
 * stores only that constant into (the getaddrinfo hints' `.ai_socktype = SOCK_DGRAM`,
 * read back as ai->ai_socktype: a system record's field is one location per
 * function); a parameter every caller passes it for (`int domain = AF_UNIX`,
 * connect_client(host, port, AF_UNSPEC, SOCK_DGRAM)). */
static const lx_path *const_of(const lx_fn *fn, const lx_path *v, int depth)
{
  if (v->kind == LX_PATH_CONST)
    return v;
  if (depth > 3 || v->deref || v->addr_of || !lx_rq_body(fn))
    return NULL;
  const lx_path *found = NULL;
  if (v->kind == LX_PATH_PARAM) {
    for (size_t k = 0; k < lx_rq_ncallers(fn); k++) {
      const lx_call *c;
      const lx_fn *caller = lx_rq_caller(fn, k, &c);
      const lx_path *a = v->index >= 1 && v->index <= c->nargs ? const_of(caller, c->args[v->index - 1], depth + 1)
                                                               : NULL;
      if (!a || (found && found->value != a->value))
        return NULL;
      found = a;
    }
    return found;
  }
  if ((v->kind != LX_PATH_LOCAL && v->kind != LX_PATH_FIELD) || !v->key)
    return NULL;
  const lx_func *f = lx_rq_body(fn);
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    if (a->dst->kind != v->kind || a->dst->deref || !a->dst->key || strcmp(a->dst->key, v->key))
      continue;
    const lx_path *c = const_of(fn, a->src, depth + 1);
    if (!c || (found && found->value != c->value))
      return NULL; /* set to something else too */
    found = c;
  }
  return found;
}

/* The kind of descriptor creating call c (in fn) makes. */
static int kind_of(const lx_fn *fn, const lx_call *c)
{
  const char *n = c->callee_name;
  if (!strncmp(n, "accept", 6))
    return K_ACCEPTED;
  if (strcmp(n, "socket"))
    return K_NOTNET;
  static const char *const local[] = {"AF_UNIX", "PF_UNIX", "AF_LOCAL", "PF_LOCAL", NULL};
  static const char *const netlink[] = {"AF_NETLINK", "PF_NETLINK", NULL};
  static const char *const packet[] = {"AF_PACKET", "PF_PACKET", NULL};
  const lx_path *d = c->nargs >= 1 ? const_of(fn, c->args[0], 0) : NULL;
  if (d && const_named(d, local, 1))
    return K_LOCAL;
  if (d && (const_named(d, netlink, 16) || const_named(d, packet, 17)))
    return K_KERNEL;
  const lx_path *t = c->nargs >= 2 ? const_of(fn, c->args[1], 0) : NULL;
  if (t) {
    int base = (int)(t->value & 0xf); /* without SOCK_NONBLOCK, SOCK_CLOEXEC */
    if (base == 2 || base == 3 || base == 4 || base == 10 || lx_rq_path_sets_flag(t, "SOCK_DGRAM") ||
        lx_rq_path_sets_flag(t, "SOCK_RAW"))
      return K_DGRAM;
  }
  return K_STREAM;
}

/* The descriptors a value may hold: a kind mask, and the first call making each. */
typedef struct {
  unsigned mask;
  const lx_call *call[K_COUNT];
  const lx_fn *fn[K_COUNT];
} fdset;

/* Where descriptors are followed: along assignments, in their direction (dst = src
 * gives dst what src holds, not src what dst holds), from arguments to parameters
 * (and back through what a pointer argument points to), into a thread's argument,
 * out of returns.  Locals and parameters are slots of their function; fields and
 * globals are program-wide slots (a system record's fields are per function, see
 * extract.c).  Unlike the alias classes, a local reused for two descriptors, or a
 * field stored into a local that later holds something else, does not mix them. */
typedef struct {
  const lx_prog *p;
  fdset *returns; /* per function: what it returns */
  lx_map slots;   /* "F:struct conn.fd", "G:usr", "<fn index>|L:usr", "<fn index>|P:1*", "<fn index>|C:3" */
} state;

static int fdset_add(fdset *to, const fdset *from)
{
  unsigned add = from->mask & ~to->mask;
  if (!add)
    return 0;
  for (int k = 0; k < K_COUNT; k++)
    if (add & (1u << k)) {
      to->call[k] = from->call[k];
      to->fn[k] = from->fn[k];
    }
  to->mask |= add;
  return 1;
}

static void fdset_one(fdset *s, const lx_call *c, const lx_fn *fn, int kind)
{
  if (s->mask & (1u << kind))
    return;
  s->mask |= 1u << kind;
  s->call[kind] = c;
  s->fn[kind] = fn;
}

/* The slot of path v in fn ("" when it is no location), written to buf. */
static const char *slot_key(const lx_fn *fn, const lx_path *v, char *buf, size_t n)
{
  char k[512];
  if (!lx_rq_path_key(v, k, sizeof(k)))
    return NULL;
  if (k[0] == 'F' || k[0] == 'G') {
    lx_rq_undo_deref(k); /* an element of a global array: the array */
    snprintf(buf, n, "%s", k);
  } else if (k[0] == 'R') {
    return NULL; /* returns: st->returns */
  } else {
    snprintf(buf, n, "%zu|%s", lx_rq_fn_index(fn), k);
  }
  return buf;
}

static fdset *slot(state *st, const char *key, int make)
{
  fdset *s = lx_map_get(&st->slots, key);
  if (!s && make) {
    s = lx_xcalloc(1, sizeof(*s));
    lx_map_put(&st->slots, key, s);
  }
  return s;
}

/* What path v of fn holds now, added to out. */
static void value_of(state *st, const lx_fn *fn, const lx_path *v, fdset *out)
{
  if (v->kind == LX_PATH_CALL && !v->deref && v->index >= 0 && (size_t)v->index < lx_rq_ncalls(fn)) {
    const lx_call *c = lx_rq_call(fn, v->index);
    const lx_fn *callee = lx_rq_callee(st->p, c);
    if (c->callee && lx_rq_call_is(st->p, c, LX_KIND_FD_CREATE))
      fdset_one(out, c, fn, kind_of(fn, c));
    else if (callee && lx_rq_body(callee))
      fdset_add(out, &st->returns[lx_rq_fn_index(callee)]);
  }
  char key[600];
  const fdset *s = slot_key(fn, v, key, sizeof(key)) ? slot(st, key, 0) : NULL;
  if (s)
    fdset_add(out, s);
}

/* Adds what `from` holds to path dst of fn; returns whether it grew.  store: an
 * assignment of fn's own (not a caller handing something over). */
static int flow_into_as(state *st, const lx_fn *fn, const lx_path *dst, const fdset *from, int store)
{
  if (!from->mask)
    return 0;
  if (dst->kind == LX_PATH_RETURN)
    return fdset_add(&st->returns[lx_rq_fn_index(fn)], from);
  char key[600];
  if (!slot_key(fn, dst, key, sizeof(key)))
    return 0;
  int changed = fdset_add(slot(st, key, 1), from);
  if (store && dst->kind == LX_PATH_PARAM && dst->deref && !dst->addr_of) {
    /* *out = fd: what the function itself stores through a pointer parameter, which
     * reaches the caller's object (not what other callers' objects held). */
    char out[620];
    snprintf(out, sizeof(out), "out|%s", key);
    changed |= fdset_add(slot(st, out, 1), from);
  }
  return changed;
}

static int flow_into(state *st, const lx_fn *fn, const lx_path *dst, const fdset *from)
{
  return flow_into_as(st, fn, dst, from, 1);
}

/* The path a pointer path points to: &x -> x, p -> *p. */
static int pointee(const lx_path *v, lx_path *out)
{
  *out = *v;
  out->type = NULL;
  if (out->addr_of)
    out->addr_of = 0;
  else if (!out->deref)
    out->deref = 1;
  else
    return 0;
  return 1;
}

/* Argument `arg` of call c in fn to parameter `param` of target, what the argument
 * points to to what the parameter points to (a heap `int *` given to a thread hands
 * its contents over), and back what target stores through the parameter (an
 * out-parameter fills the caller's object). */
static int pass_argument(state *st, const lx_fn *fn, const lx_call *c, int arg, const lx_fn *target,
                         int param)
{
  int changed = 0;
  lx_path pp = {0}, a;
  pp.kind = LX_PATH_PARAM;
  pp.index = param;
  fdset v = {0};
  value_of(st, fn, c->args[arg - 1], &v);
  changed |= flow_into_as(st, target, &pp, &v, 0);
  if (!pointee(c->args[arg - 1], &a))
    return changed;
  pp.deref = 1;
  fdset in = {0};
  value_of(st, fn, &a, &in);
  changed |= flow_into_as(st, target, &pp, &in, 0);
  char key[600], out[620];
  const fdset *back = NULL;
  if (slot_key(target, &pp, key, sizeof(key))) {
    snprintf(out, sizeof(out), "out|%s", key);
    back = slot(st, out, 0);
  }
  if (back)
    changed |= flow_into(st, fn, &a, back);
  return changed;
}

/* One pass of every assignment and call of fn. */
static int flow_fn(state *st, const lx_fn *fn)
{
  const lx_prog *p = st->p;
  int changed = 0;
  const lx_func *f = lx_rq_body(fn);
  for (size_t j = 0; j < f->assigns.n; j++) {
    const lx_assign *as = &f->assigns.v[j];
    if (as->src->kind == LX_PATH_FUNC || as->src->kind == LX_PATH_CONST || as->src->kind == LX_PATH_STRING)
      continue;
    fdset v = {0};
    value_of(st, fn, as->src, &v);
    changed |= flow_into(st, fn, as->dst, &v);
  }
  for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
    const lx_call *c = lx_rq_call(fn, j);
    const lx_fn *callee = lx_rq_callee(p, c);
    int entry;
    if (c->callee && lx_rq_call_is(p, c, LX_KIND_FD_PAIR_CREATE)) {
      /* pipe(fds), socketpair(..., sv): the array's elements are descriptors. */
      int a = !strcmp(c->callee_name, "socketpair") ? 4 : 1;
      lx_path el;
      if (a <= c->nargs && pointee(c->args[a - 1], &el)) {
        fdset v = {0};
        fdset_one(&v, c, fn, K_NOTNET);
        changed |= flow_into(st, fn, &el, &v);
      }
    } else if (c->callee && !strcmp(c->callee_name, "SSL_set_fd") && c->nargs >= 2) {
      /* SSL_set_fd(ssl, fd): SSL_read(ssl) in another function waits on fd, unless fd
       * is already timed or non-blocking here (that stays with the socket). */
      int fc = lx_rq_class(fn, c->args[1]);
      if (fc >= 0 && !lx_rq_timed_before(p, fn, fc, c)) {
        fdset v = {0};
        value_of(st, fn, c->args[1], &v);
        changed |= flow_into(st, fn, c->args[0], &v);
      }
    } else if (c->callee && !strcmp(c->callee_name, "fdopen") && c->nargs >= 1) {
      /* fh = fdopen(fd, "r"): reads through fh wait on fd. */
      lx_path r = {0};
      r.kind = LX_PATH_CALL;
      r.index = (int)j;
      fdset v = {0};
      value_of(st, fn, c->args[0], &v);
      changed |= flow_into(st, fn, &r, &v);
    } else if (callee && lx_rq_body(callee) && callee != fn) {
      for (int a = 1; a <= c->nargs && a <= lx_rq_body(callee)->nparams; a++)
        changed |= pass_argument(st, fn, c, a, callee, a);
      /* A spawn wrapper (start_thread(&t, worker, arg)): the argument after the
       * function it runs is the thread's argument, as pthread_create has it. */
      for (int a = 1; a < c->nargs && a <= LX_RQ_MAX_PARAMS; a++)
        if ((lx_rq_spawns_params(callee) & (1ULL << (a - 1))) && c->args[a - 1]->kind == LX_PATH_FUNC) {
          const lx_fn *t = lx_rq_fn_by_usr(p, c->args[a - 1]->key);
          if (t && lx_rq_body(t) && lx_rq_body(t)->nparams >= 1)
            changed |= pass_argument(st, fn, c, a + 1, t, 1);
        }
    } else if (lx_rq_call_has(p, c, LX_ANN_SPAWNS, &entry) && entry >= 1 && entry < c->nargs &&
               c->args[entry - 1]->kind == LX_PATH_FUNC) {
      /* pthread_create(&t, NULL, worker, (void *)(intptr_t)fd): the thread's argument. */
      const lx_fn *t = lx_rq_fn_by_usr(p, c->args[entry - 1]->key);
      if (t && lx_rq_body(t) && lx_rq_body(t)->nparams >= 1)
        changed |= pass_argument(st, fn, c, entry + 1, t, 1);
    }
  }
  return changed;
}

/* Passes over the program until no slot grows (slots only ever grow). */
static void summaries(state *st)
{
  const lx_prog *p = st->p;
  for (int round = 0, changed = 1; changed && round < 20; round++) {
    changed = 0;
    for (size_t i = 0; i < lx_rq_nfns(p); i++)
      if (lx_rq_body(lx_rq_fn_at(p, i)))
        changed |= flow_fn(st, lx_rq_fn_at(p, i));
  }
}

/* For SSL_read(ssl) and friends: the fd bound with SSL_set_fd(ssl, fd) in fn. */
static const lx_path *ssl_fd(const lx_fn *fn, const lx_path *ssl)
{
  int cls = lx_rq_class(fn, ssl);
  for (size_t j = 0; cls >= 0 && j < lx_rq_ncalls(fn); j++) {
    const lx_call *c = lx_rq_call(fn, j);
    if (c->callee_name && !strcmp(c->callee_name, "SSL_set_fd") && c->nargs >= 2 &&
        lx_rq_class(fn, c->args[0]) == cls)
      return c->args[1];
  }
  return NULL;
}

/* O_NONBLOCK cleared again (flags & ~O_NONBLOCK, or saved flags restored) after the last thing that bounded it:
 * returns the seq of that clear, or -1. */
static int nonblock_cleared(const lx_prog *p, const lx_fn *fn, int cls, const lx_call *c)
{
  int last_set = -1, last_clear = -1;
  for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
    const lx_call *d = lx_rq_call(fn, j);
    if (d->seq >= c->seq || d->nargs < 1 || lx_rq_class(fn, d->args[0]) != cls)
      continue;
    int arg;
    if (lx_rq_call_has(p, d, LX_ANN_TIMEOUT, &arg) && arg == 1)
      last_set = d->seq;
    /* fcntl(fd, F_SETFL, flags & ~O_NONBLOCK), or the flags saved by F_GETFL put back:
     * any F_SETFL that does not set O_NONBLOCK makes the socket blocking again. */
    if (d->callee_name && !strcmp(d->callee_name, "fcntl") && d->nargs >= 3 &&
        (lx_rq_path_clears_flag(d->args[2], "O_NONBLOCK") ||
         (d->args[1]->kind == LX_PATH_CONST && ((d->args[1]->name && !strcmp(d->args[1]->name, "F_SETFL")) ||
                                               (!d->args[1]->name && d->args[1]->value == 4)) &&
          !lx_rq_path_sets_flag(d->args[2], "O_NONBLOCK"))))
      last_clear = d->seq;
  }
  return last_clear >= 0 && last_clear > last_set ? last_clear : -1;
}

/* Whether fn sends on class cls before call c (itself, or through a wrapper that
 * blocks on the argument with a send): a request whose reply c then waits for. */
static int sent_before(const state *st, const lx_fn *fn, int cls, const lx_call *c)
{
  for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
    const lx_call *d = lx_rq_call(fn, j);
    if (d->seq >= c->seq || d->nargs < 1 || lx_rq_class(fn, d->args[0]) != cls)
      continue;
    if (d->callee && lx_rq_call_is(st->p, d, LX_KIND_SEND))
      return 1;
    const lx_fn *ofn;
    int oarg;
    const lx_call *o = lx_rq_blocking_origin(st->p, fn, d, 1, &ofn, &oarg);
    if (o && o != d && o->callee && lx_rq_call_is(st->p, o, LX_KIND_SEND))
      return 1;
  }
  return 0;
}

/* Whether accept call c (in fn) takes its connections from an AF_UNIX listener only.
 * Such a peer is a process of this machine: a send to it fails at once (EPIPE) when
 * it is gone and waits only while it is alive and not reading, like a send to a local
 * daemon; its receives still wait for whatever the client chooses to send. */
static int local_listener(state *st, const lx_fn *fn, const lx_call *c)
{
  if (!fn || !c || c->nargs < 1)
    return 0;
  fdset l = {0};
  value_of(st, fn, c->args[0], &l);
  return l.mask == 1u << K_LOCAL;
}

/* The kind of descriptor in held whose peer can stall blocking call c (whose own
 * blocking call is origin), or -1 when none can: a stream or accepted connection
 * always (but for a send to a client of an AF_UNIX listener); a datagram socket only
 * for a receive after a request was sent on it. */
static int peer_kind(state *st, const lx_fn *fn, int cls, const lx_call *c, const lx_call *origin,
                     const fdset *held)
{
  if (held->mask & (1u << K_STREAM))
    return K_STREAM;
  if ((held->mask & (1u << K_ACCEPTED)) && !(origin->callee && lx_rq_call_is(st->p, origin, LX_KIND_SEND) &&
                                              local_listener(st, held->fn[K_ACCEPTED], held->call[K_ACCEPTED])))
    return K_ACCEPTED;
  if ((held->mask & (1u << K_DGRAM)) && origin->callee && lx_rq_call_is(st->p, origin, LX_KIND_RECEIVE) &&
      sent_before(st, fn, cls, c))
    return K_DGRAM;
  return -1;
}

typedef struct {
  const lx_fn *fn;
  int cls;
  size_t finding; /* index in ctx->out: the vector moves as findings are added */
} seen;

static void free_sets(lx_map *m)
{
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys && m->keys[i])
      free(m->vals[i]);
  lx_map_free(m);
}

void lx_rule_socket_call_without_timeout(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  state st;
  st.p = p;
  st.returns = lx_xcalloc(lx_rq_nfns(p) ? lx_rq_nfns(p) : 1, sizeof(fdset));
  lx_map_init(&st.slots);
  summaries(&st);
  LX_VEC(seen) done = {0};
  char *reached = lx_reachable(p);
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    if (!reached[lx_rq_fn_index(fn)])
      continue;
    for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
      const lx_call *c = lx_rq_call(fn, j);
      for (int a = 1; a <= c->nargs && a <= LX_RQ_MAX_PARAMS; a++) {
        const lx_fn *origin_fn = NULL;
        int origin_arg;
        const lx_call *origin = lx_rq_blocking_origin(p, fn, c, a, &origin_fn, &origin_arg);
        /* A blocking call of the catalogue's sockets or OpenSSL, or one annotated by the
         * user (no catalogue entry). */
        if (origin && !fd_api(lx_rq_call_api(p, origin)))
          continue;
        if (!origin)
          continue;
        if (!strncmp(origin->callee_name, "accept", 6) && origin->loop >= 0)
          continue; /* the server's accept loop */
        if (origin == c && lx_rq_dontwait(c))
          continue;
        const lx_path *fdp = c->args[a - 1];
        if (origin == c && !strncmp(c->callee_name, "SSL_", 4)) {
          /* The socket bound with SSL_set_fd here; else the SSL object itself, which
           * holds what an SSL_set_fd elsewhere bound to it (a blocking socket only). */
          const lx_path *bound = ssl_fd(fn, fdp);
          if (bound)
            fdp = bound;
        }
        int cls = lx_rq_class(fn, fdp);
        if (cls < 0)
          continue;
        fdset held = {0};
        value_of(&st, fn, fdp, &held);
        int kind = peer_kind(&st, fn, cls, c, origin, &held);
        if (kind < 0)
          continue; /* no peer that can stall it: a pipe, a datagram send, unknown */
        const lx_fn *made_fn = held.fn[kind];
        const lx_call *made = held.call[kind];
        int cleared_at = nonblock_cleared(p, fn, cls, c);
        int cleared = cleared_at >= 0;
        if (!cleared && lx_rq_timed_before(p, fn, cls, c))
          continue;
        if (origin == c && lx_rq_poll_guarded_after(p, fn, c, cleared_at))
          continue;
        if (lx_rq_class_param(fn, cls) && lx_rq_ncallers(fn))
          continue; /* the callers are checked */
        /* Once per socket and function: later calls are related locations. */
        lx_finding *prev = NULL;
        for (size_t k = 0; k < done.n; k++)
          if (done.v[k].fn == fn && done.v[k].cls == cls)
            prev = &ctx->out->v.v[done.v[k].finding];
        if (prev) {
          lx_finding_relate(ctx->out, prev, c->loc, "%s() on the same socket also blocks here", c->callee_name);
          continue;
        }
        char name[256];
        lx_path_str(fdp, name, sizeof(name));
        const char *base = strrchr(made->loc.file ? made->loc.file : "", '/');
        char via[512] = "";
        if (origin != c)
          snprintf(via, sizeof(via), " through %s(), which calls %s() on it", c->callee_name, origin->callee_name);
        lx_finding *fd = lx_findings_add(
            ctx->out, ctx->id, lx_rq_request_path(fn) ? LX_SEV_ERROR : LX_SEV_WARNING, c->loc, lx_rq_fn_name(fn), name,
            "%s() on %s '%s' (from %s() at %s:%u)%s can block forever: %s; bound it first: "
            "struct timeval tv = {.tv_sec = 5}; setsockopt(%s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) "
            "and SO_SNDTIMEO, or poll() with a timeout, or leash_net_connect/leash_net_read/leash_net_write "
            "with a deadline",
            c->callee_name, kind_words[kind], name, made->callee_name, base ? base + 1 : made->loc.file,
            made->loc.line, via,
            cleared ? "O_NONBLOCK is cleared again before it, and no timeout is set"
                    : "no SO_RCVTIMEO/SO_SNDTIMEO, O_NONBLOCK or poll with a timeout bounds it",
            name);
        lx_related *blocks = NULL, *born;
        if (origin != c)
          blocks = lx_finding_relate(ctx->out, fd, origin->loc, "the blocking %s() is here, in %s()",
                                     origin->callee_name, origin_fn ? lx_rq_fn_name(origin_fn) : "?");
        born = lx_finding_relate(ctx->out, fd, made->loc, "the socket comes from here, in %s()",
                                 made_fn ? lx_rq_fn_name(made_fn) : "?");
        lx_path_blocking(ctx, fd, c, a, origin, born, blocks, "socket", name, "blocks on");
        seen s = {fn, cls, (size_t)(fd - ctx->out->v.v)};
        lx_vec_push(&done, s);
      }
    }
  }
  lx_vec_free(&done);
  free(reached);
  free_sets(&st.slots);
  free(st.returns);
}
