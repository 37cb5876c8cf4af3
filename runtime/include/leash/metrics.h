/*
 * leash/metrics.h: what libleash is running, as Prometheus metrics and as a periodic
 * trace on stderr (LEASH_TRACE=<ms>, the GODEBUG=schedtrace of C).
 */
#ifndef LEASH_METRICS_H
#define LEASH_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Writes the current metrics to `out` in the Prometheus text exposition format
 * (version 0.0.4): leash_threads, and per pool (labels pool="<name>",id="<n>")
 * leash_pool_workers, leash_pool_queue_capacity, leash_pool_queue_depth,
 * leash_pool_active, leash_pool_submitted_total, leash_pool_completed_total,
 * leash_pool_rejected_total. Errors: LEASH_EINVAL (out NULL), LEASH_ESYS (write
 * failed).
 */
LEASH_API int leash_metrics_write(FILE *out);

/*
 * Starts the trace: every period_ms, one line on stderr with the thread count and,
 * per pool, workers, active tasks, queue depth/capacity, completed and rejected.
 * The first leash_pool_create or leash_thread_spawn starts it by itself when the
 * environment has LEASH_TRACE=<ms> (a positive integer). The trace thread is not a
 * tracked thread. Errors: LEASH_EINVAL (period_ms < 1), LEASH_EBUSY (already
 * running), LEASH_ESYS.
 */
LEASH_API int leash_trace_start(int64_t period_ms);

/*
 * Stops the trace and waits for its thread to exit. Also done at exit.
 * Returns 0, also when no trace was running.
 */
LEASH_API int leash_trace_stop(void);

#ifdef __cplusplus
}
#endif

#endif
