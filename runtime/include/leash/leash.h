/*
 * leash/leash.h: libleash, the runtime whose annotated APIs are the fixes the leash
 * analyzer recognises: bounded pools, weighted semaphores, closable channels,
 * contexts with deadlines, socket calls bounded by them, tracked threads, metrics.
 *
 * Conventions: every status is an int, 0 or a negative LEASH_E* code
 * (leash_strerror); timeouts are milliseconds on the monotonic clock, 0 = do not
 * wait, LEASH_FOREVER = no deadline, other negatives are LEASH_EINVAL.
 * The libcurl helper, leash_curl_apply (<leash/curl.h>), comes with it when libleash
 * was built with libcurl and libcurl's header is there to include; define
 * LEASH_NO_CURL_HELPER before including to leave it out.
 */
#ifndef LEASH_LEASH_H
#define LEASH_LEASH_H

#include <leash/annotate.h>
#include <leash/error.h>
#include <leash/version.h>

#include <leash/chan.h>
#include <leash/ctx.h>
#include <leash/metrics.h>
#include <leash/net.h>
#include <leash/pool.h>
#include <leash/sem.h>
#include <leash/thread.h>

/* What a finding's suggested fix names must come with this one header: the libcurl
 * helper too, when libcurl's header can be included. */
#if LEASH_HAVE_CURL && !defined(LEASH_NO_CURL_HELPER) && defined(__has_include)
#if __has_include(<curl/curl.h>)
#include <leash/curl.h>
#endif
#endif

#endif
