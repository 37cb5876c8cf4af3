/* memos.h - what a program derives from one function's facts alone (lx_func_memo),
 * kept beside the facts by their identity (lx_func.id), so that programs built again
 * over the same facts (the language server on each edit) do not derive it again. */
#ifndef LX_MEMOS_H
#define LX_MEMOS_H

#include "facts/facts.h"

struct lx_func_memo;
typedef struct lx_memos lx_memos;

lx_memos *lx_memos_new(void);
void lx_memos_free(lx_memos *m);
/* The memo of definition f, derived on first use.  One thread at a time. */
struct lx_func_memo *lx_memos_get(lx_memos *m, const lx_func *f);
/* Derives now the memos of every definition in tus (the language server, while it
 * parses, for the database's facts). */
void lx_memos_prepare(lx_memos *m, lx_tu_facts *const *tus, size_t ntus);
/* Forgets every memo not asked for since the last sweep: those of facts since freed or
 * replaced (an edited body, a reloaded database) go, without their owners telling. */
void lx_memos_sweep(lx_memos *m);

#endif
