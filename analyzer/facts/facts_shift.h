/* facts_shift.h - facts kept across an edit of their main file, moved to where a
 * parse of the new text would put them. */
#ifndef LX_FACTS_SHIFT_H
#define LX_FACTS_SHIFT_H

#include <stddef.h>

#include "facts/facts.h"

/* An edit of the main file that ended before (line, col) and byte offset `after` of
 * the old text, and added `lines` lines and `bytes` bytes (negative: removed). */
typedef struct {
  unsigned line, col;
  size_t after;
  int lines;
  ptrdiff_t bytes;
} lx_edit;

/* Moves what lies after the edit in every function of f but funcs.v[keep] (a function
 * extracted afresh; keep >= funcs.n: none) and in its global initialisers: locations,
 * local variables' USRs, unnamed records' spellings.  New strings go in f's arena. */
void lx_facts_shift(lx_tu_facts *f, const lx_edit *e, size_t keep);

#endif
