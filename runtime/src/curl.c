/*
 * curl.c: bounds a libcurl easy handle by a context: total and connect timeouts from
 * the time left, and an abort from the transfer-info callback once cancelled.
 */
#include <limits.h>

#include "internal.h"
#include "leash/curl.h"

static int xferinfo(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		    curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	/* Non-zero aborts the transfer. The deadline is left to CURLOPT_TIMEOUT_MS, so
	 * that running out of time reads as CURLE_OPERATION_TIMEDOUT. */
	return leash_ctx_err(data) == LEASH_ECANCELED ? 1 : 0;
}

int leash_curl_apply(CURL *h, const leash_ctx *ctx)
{
	int64_t left;
	long ms;
	int err;

	if (!h || !ctx)
		return LEASH_EINVAL;
	if ((err = leash_ctx_err(ctx)) != 0)
		return err;
	left = leash_ctx_remaining_ms(ctx);
	if (left == 0)
		return leash_ctx_err(ctx) ? leash_ctx_err(ctx) : LEASH_ETIMEDOUT;
	if (left != LEASH_FOREVER) {
		ms = left > LONG_MAX ? LONG_MAX : (long)left;
		if (curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms) != CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms) != CURLE_OK)
			return LEASH_ESYS;
	}
	if (curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, xferinfo) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)ctx) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L) != CURLE_OK)
		return LEASH_ESYS;
	return 0;
}
