/*
 * leash/annotate.h: the annotations the leash analyzer reads (SPEC section 2).
 *
 * Arguments are 1-based, like GCC's nonnull. The analyzer matches the attribute
 * strings, so the same macros work on a team's own wrappers. Compilers other than
 * clang do not know `annotate` (gcc warns about it), so there the macros expand to
 * nothing and cost nothing.
 */
#ifndef LEASH_ANNOTATE_H
#define LEASH_ANNOTATE_H

#if defined(__clang__)
#define LEASH_SPAWNS(n) __attribute__((annotate("leash:spawns:" #n)))
#define LEASH_BOUNDED __attribute__((annotate("leash:bounded")))
#define LEASH_RECEIVES(n) __attribute__((annotate("leash:receives:" #n)))
#define LEASH_CLOSES(n) __attribute__((annotate("leash:closes:" #n)))
#define LEASH_TIMEOUT(n) __attribute__((annotate("leash:timeout:" #n)))
#define LEASH_BLOCKS(n) __attribute__((annotate("leash:blocks:" #n)))
#define LEASH_DEADLINE(n) __attribute__((annotate("leash:deadline:" #n)))
#define LEASH_JOINS(n) __attribute__((annotate("leash:joins:" #n)))
#define LEASH_HANDLER(n) __attribute__((annotate("leash:handler:" #n)))
#else
#define LEASH_SPAWNS(n)
#define LEASH_BOUNDED
#define LEASH_RECEIVES(n)
#define LEASH_CLOSES(n)
#define LEASH_TIMEOUT(n)
#define LEASH_BLOCKS(n)
#define LEASH_DEADLINE(n)
#define LEASH_JOINS(n)
#define LEASH_HANDLER(n)
#endif

/* Symbol visibility: the shared library exports only what carries LEASH_API. */
#if defined(__GNUC__) || defined(__clang__)
#define LEASH_API __attribute__((visibility("default")))
#else
#define LEASH_API
#endif

#endif
