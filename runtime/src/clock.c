/*
 * clock.c: the monotonic clock, millisecond timeouts turned into deadlines, and
 * condition variables that wait on that clock (never on wall-clock time).
 */
#include <limits.h>
#include <time.h>

#include "internal.h"

#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)

int64_t leash_clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

int leash_deadline_from_ms(int64_t timeout_ms, int64_t *deadline_ns)
{
	int64_t now;

	if (timeout_ms == LEASH_FOREVER) {
		*deadline_ns = LEASH_NO_DEADLINE;
		return 0;
	}
	if (timeout_ms < 0)
		return LEASH_EINVAL;
	now = leash_clock_now_ns();
	if (timeout_ms > (LEASH_NO_DEADLINE - now) / NS_PER_MS)
		*deadline_ns = LEASH_NO_DEADLINE;
	else
		*deadline_ns = now + timeout_ms * NS_PER_MS;
	return 0;
}

int leash_deadline_poll_ms(int64_t deadline_ns)
{
	int64_t left;

	if (deadline_ns == LEASH_NO_DEADLINE)
		return -1;
	left = deadline_ns - leash_clock_now_ns();
	if (left <= 0)
		return 0;
	left = (left + NS_PER_MS - 1) / NS_PER_MS;
	return left > INT_MAX ? INT_MAX : (int)left;
}

int leash_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int rc;

	if (pthread_condattr_init(&attr) != 0)
		return LEASH_ESYS;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
	return rc == 0 ? 0 : LEASH_ESYS;
}

int leash_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, int64_t deadline_ns)
{
	struct timespec ts;

	if (deadline_ns == LEASH_NO_DEADLINE) {
		pthread_cond_wait(cond, mutex);
		return 0;
	}
	if (leash_clock_now_ns() >= deadline_ns)
		return 1;
	ts.tv_sec = (time_t)(deadline_ns / NS_PER_S);
	ts.tv_nsec = (long)(deadline_ns % NS_PER_S);
	pthread_cond_timedwait(cond, mutex, &ts);
	return leash_clock_now_ns() >= deadline_ns;
}
