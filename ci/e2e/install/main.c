/* A request handler written with libleash, built against an installed leash
 * (ci/e2e/install.sh): <leash/leash.h> alone brings the fixes leash's findings name,
 * leash_curl_apply included, and `leash check` finds nothing in it. */
#include <stdio.h>

#include <leash/leash.h>
#if LEASH_HAVE_CURL && !defined(LEASH_CURL_H)
#error "<leash/leash.h> does not bring <leash/curl.h> although libleash has libcurl"
#endif

#if LEASH_HAVE_CURL
static int fetch(const char *url, const leash_ctx *ctx)
{
	CURL *h = curl_easy_init();
	if (!h)
		return -1;
	curl_easy_setopt(h, CURLOPT_URL, url);
	int err = leash_curl_apply(h, ctx); /* the fix http-call-without-timeout names */
	curl_easy_cleanup(h);
	return err;
}
#endif

static void handle(void *arg)
{
	(void)arg;
}

int main(void)
{
	leash_pool *pool = NULL;
	leash_ctx *ctx = NULL;
	int err;

	if ((err = leash_pool_create(&pool, 2, 8, "requests")) < 0 ||
	    (err = leash_ctx_with_timeout(&ctx, NULL, 1000)) < 0)
		goto done;
	for (int i = 0; i < 16 && err == 0; i++)
		err = leash_pool_submit(pool, handle, NULL, 1000);
#if LEASH_HAVE_CURL
	if (err == 0)
		err = fetch("http://localhost:9/", ctx);
#endif
	if (err == 0)
		err = leash_pool_close(pool);
	if (err == 0)
		err = leash_pool_join(pool, 5000);
done:
	leash_ctx_destroy(ctx);
	leash_pool_destroy(pool);
	printf("uses_leash: %s (curl helper: %s)\n", leash_strerror(err), LEASH_HAVE_CURL ? "yes" : "no");
	return err == 0 ? 0 : 1;
}
