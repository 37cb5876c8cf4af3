/*
 * test_util.h: what the runtime's tests share: cmocka, a monotonic stopwatch, a way
 * to sleep, and the scale of stress loops (smaller under sanitizers, which slow
 * threads down ten times).
 */
#ifndef LEASH_TEST_UTIL_H
#define LEASH_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include <leash/leash.h>

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define TEST_SANITIZED 1
#endif
#endif
#ifndef TEST_SANITIZED
#define TEST_SANITIZED 0
#endif

/* Divides stress loop counts under sanitizers. */
#define TEST_SCALE(n) (TEST_SANITIZED ? ((n) / 2 > 0 ? (n) / 2 : 1) : (n))

static inline int64_t test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void test_sleep_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* A status check that prints both codes' words when it fails. */
#define assert_status(expr, want)                                                        \
	do {                                                                             \
		int got_ = (expr);                                                       \
		if (got_ != (want))                                                      \
			fail_msg("%s: got %d (%s), want %d (%s)", #expr, got_,           \
				 leash_strerror(got_), (int)(want), leash_strerror(want)); \
	} while (0)

#endif
