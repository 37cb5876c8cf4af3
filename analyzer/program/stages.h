/* stages.h - the stages of lx_program_build (build.c), for the files that implement
 * them; nothing outside analyzer/program/ calls these. */
#ifndef LX_STAGES_H
#define LX_STAGES_H

#include "program/program.h"

/* Merges the TUs' facts into nodes, resolves each call, builds the alias classes and
 * the callers (program.c). */
lx_program *lx_program_graph(lx_tu_facts **tus, size_t ntus, const lx_config *cfg, struct lx_memos *memos);
/* Derives the memo of definition f from its facts (program.c), for the memo store. */
lx_func_memo *lx_func_memo_build(const lx_func *f);

/* What the summaries' and the context's threads both read, filled before they start:
 * fields 0 unless configured, the call that first fills each field, and every class
 * untimed (summaries.c). */
void lx_summaries_start(lx_program *p);
/* The timeout, poll-guard and blocking summaries, to a fixed point (summaries.c). */
void lx_summaries_bottom_up(lx_program *p);

/* The context of every function, in three parts that lx_program_build runs in this
 * order, the first two side by side: lx_context_spawns (bounds, spawn summaries),
 * lx_context_beside (start-up and waits_event: they read only the call graph, the
 * annotations and names, and write only those two bytes) and, after both,
 * lx_context_events (thread entries, per_event, request_path).  The bottom-up
 * summaries run beside spawns and events: the context neither reads nor writes them. */
void lx_context_spawns(lx_program *p);
/* Fills, last in the build, every cache the queries of context.h would otherwise fill on first
 * use (the loops' event calls, the loops bounded by input): the rules only read. */
void lx_context_seal(lx_program *p);
void lx_context_beside(lx_program *p);
void lx_context_events(lx_program *p);

#endif
