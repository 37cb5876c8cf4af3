/*
 * leash/curl.h: bound a libcurl easy handle by a context (built when libcurl is
 * found; LEASH_HAVE_CURL in <leash/version.h> says so). <leash/leash.h> includes it
 * when libcurl's header is available, so programs without libcurl need no curl headers.
 */
#ifndef LEASH_CURL_H
#define LEASH_CURL_H

#include <curl/curl.h>

#include <leash/ctx.h>
#include <leash/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Applies ctx to the handle before curl_easy_perform: CURLOPT_TIMEOUT_MS and
 * CURLOPT_CONNECTTIMEOUT_MS get the time left (nothing if ctx has no deadline),
 * CURLOPT_NOSIGNAL is set, and a transfer-info callback aborts the transfer
 * (CURLE_ABORTED_BY_CALLBACK) once ctx is cancelled; it replaces any
 * CURLOPT_XFERINFOFUNCTION of the caller. Call it again before each perform: the
 * time left shrinks. ctx must outlive the transfer. Errors: LEASH_EINVAL (NULL),
 * LEASH_ETIMEDOUT / LEASH_ECANCELED (ctx already done: do not perform),
 * LEASH_ESYS (curl_easy_setopt failed).
 */
LEASH_API int leash_curl_apply(CURL *handle, const leash_ctx *ctx) LEASH_TIMEOUT(1);

#ifdef __cplusplus
}
#endif

#endif
