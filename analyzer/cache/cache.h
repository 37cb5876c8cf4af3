/* cache.h - keys of the per-TU facts cache and the slice of TUs a shard analyses. */
#ifndef LX_CACHE_H
#define LX_CACHE_H

#include <stdint.h>
#include <sys/types.h>

#include "frontend/compdb.h"

/* Computes the facts cache key of cmd (32 hex digits): a hash of leash's version, the
 * arguments, the main file's contents and those of the project headers it includes,
 * recursively (quoted and angle includes found in the file's folder or an -I/-iquote
 * folder; system headers are not followed).  content_hash (16 hex digits) gets the
 * hash of the main file alone.  bytes, unless NULL, gets the size of the files hashed:
 * how much parsing the TU takes, roughly (a run starts the heaviest TUs first).
 * Returns 0, or -1 when the main file cannot be read. */
int lx_cache_key(const lx_cmd *cmd, const char *version, char key[33], char content_hash[17], uint64_t *bytes);

/* The hash of path's contents as lx_cache_key's content_hash gives it (16 hex
 * digits): whether a TU's recorded facts are of the file as it is.  Returns 0, or -1
 * when the file cannot be read. */
int lx_cache_file_hash(const char *path, char out[17]);

/* Starts a snapshot: until the next call, files are taken not to change, so that each
 * is stat'ed, read and hashed once, and each include resolved once, for all the keys
 * of a run.  Without a snapshot every key checks every file again (for long-lived
 * processes). */
void lx_cache_snapshot(void);
/* Frees what this process learnt of files (includes resolved, contents hashed, stamps
 * given): for a run whose keys are all made, before the program is built.  Keys made
 * after it are still right, at the cost of reading the files again. */
void lx_cache_release(void);

/* What an earlier run learnt of a file, so that a later one need not read it again
 * while it stays as it was (its size, modification and change times, inode). */
typedef struct {
  const char *path;
  long long size, mtime_ns, ctime_ns, inode;
  uint64_t hash;        /* of the contents */
  const char *includes; /* its include lines: '"' or '<', the name, a newline, each */
} lx_file_stamp;

/* Files whose stamp matches are not read again (copied; replaces earlier stamps). */
void lx_cache_use_stamps(const lx_file_stamp *s, size_t n);
/* Whether path is as its stamp recorded it (*size gets its size, 0 when missing):
 * a run looks at the files that changed first. */
int lx_cache_stamped(const char *path, off_t *size);
/* Calls fn with the stamp of each file read in this process, except those written in
 * the last two seconds (a write in the same clock tick could go unseen). */
void lx_cache_new_stamps(void (*fn)(const lx_file_stamp *s, void *arg), void *arg);
/* Calls fn with the path of each stamp given to lx_cache_use_stamps whose file this
 * process has not looked at, or found gone: after keys for every TU of a program, the
 * files no TU includes any more. */
void lx_cache_unused_stamps(void (*fn)(const char *path, void *arg), void *arg);

/* The hash of cmd's arguments (16 hex digits): with the path, a TU's identity. */
void lx_flags_hash(const lx_cmd *cmd, char out[17]);

/* The shard (1..n) that analyses file: a stable hash of its path relative to root. */
int lx_shard_of(const char *file, const char *root, int n);

/* Parses "K/N" (1 <= K <= N <= 4096).  Returns 0, or -1 when it is malformed. */
int lx_shard_parse(const char *s, int *k, int *n);

#endif
