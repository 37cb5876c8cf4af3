/* tu.h - loading one translation unit with libclang and reporting its diagnostics. */
#ifndef LX_TU_H
#define LX_TU_H

#include <stdio.h>

#include "compdb.h"
#include "facts.h"

typedef enum { LX_TU_OK = 0, LX_TU_ERRORS = 1, LX_TU_FAILED = 2 } lx_tu_status;

/* Parses cmd and extracts its facts into *facts (NULL when parsing failed outright).
 * Error diagnostics go to diag (one clang-style line each) unless diag is NULL.
 * Returns LX_TU_OK, LX_TU_ERRORS (parsed with errors: facts are of what parsed), or
 * LX_TU_FAILED. */
lx_tu_status lx_tu_analyse(void *index, const lx_cmd *cmd, lx_tu_facts **facts, FILE *diag);

/* A libclang index for lx_tu_analyse; dispose with lx_tu_index_free. */
void *lx_tu_index_new(void);
void lx_tu_index_free(void *index);

#endif
