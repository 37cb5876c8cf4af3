/* pipeline.h - the program-wide evaluation every front runs (leash check and merge,
 * the language server): the TUs in the order of their paths, split into programs,
 * each program built and the rules run over it. */
#ifndef LX_PIPELINE_H
#define LX_PIPELINE_H

#include "reports/findings.h"
#include "rules/rules.h"
#include "config/config.h"
#include "program/memos.h"
#include "program/partition.h"
#include "pipeline/suppress_ids.h"

typedef struct {
  const lx_config *cfg;
  int (*enabled)(const lx_rule *rule, void *arg); /* which rules run */
  void *arg;
  /* NULL: every program, findings anywhere.  Else the editor's file: its TU is
   * file_tu; only its program is built, and the rules report only in the functions
   * with a call in the file. */
  const char *file;
  const lx_tu_facts *file_tu;
  lx_partition_cache **parts; /* the language server's cached split, or NULL */
  struct lx_memos *memos;     /* per-function memos kept from call to call (the language server's),
                               * or NULL: this call's programs share their own */
  /* Told before each program of several is built (leash check -v). */
  void (*progress)(size_t k, size_t nprog, size_t ntus, void *arg);
} lx_pipeline;

/* Builds the programs of the n TUs and adds the rules' findings to out (unsorted, not
 * yet excluded or suppressed). */
void lx_pipeline_rules(const lx_pipeline *pl, lx_tu_facts *const *tus, size_t n, lx_findings *out);

/* After the rules, on every front: drops the findings in files the configuration
 * excludes, marks those a `leash:ignore` on their line or the one above suppresses
 * (with its reason), and adds a suppression-without-reason finding for each that
 * gives none (when pl->enabled takes that rule). */
void lx_pipeline_suppress(const lx_pipeline *pl, lx_findings *f, lx_line_fn line, void *line_arg);

#endif
