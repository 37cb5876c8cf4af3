/* A small program written against an installed libleash (see install_consumer.cmake). */
#include <stdatomic.h>
#include <stdio.h>

#include <leash/leash.h>
/* <leash/leash.h> alone brings what a finding's fix names: leash_curl_apply too. */
#if defined(CONSUMER_CURL) && !defined(LEASH_CURL_H)
#error "<leash/leash.h> does not include <leash/curl.h> although libcurl is there"
#endif

static atomic_int done;

static void task(void *arg)
{
	atomic_fetch_add(&done, 1);
}

int main(void)
{
	leash_pool *pool = NULL;
	leash_ctx *ctx = NULL;
	int err, i;

	if ((err = leash_pool_create(&pool, 2, 4, "consumer")) < 0)
		goto done;
	for (i = 0; i < 100; i++)
		if ((err = leash_pool_submit(pool, task, NULL, 1000)) < 0)
			goto done;
	if ((err = leash_pool_close(pool)) < 0 || (err = leash_pool_join(pool, 5000)) < 0)
		goto done;
	if ((err = leash_ctx_with_timeout(&ctx, NULL, 1000)) < 0)
		goto done;
#ifdef CONSUMER_CURL
	{
		CURL *h = curl_easy_init();

		err = leash_curl_apply(h, ctx);
		curl_easy_cleanup(h);
		if (err < 0)
			goto done;
	}
#endif
	err = atomic_load(&done) == 100 ? 0 : LEASH_EINVAL;
done:
	leash_ctx_destroy(ctx);
	leash_pool_destroy(pool);
	if (err == 0)
		err = leash_verify_none();
	printf("libleash %s consumer: %s\n", LEASH_VERSION_STRING, leash_strerror(err));
	return err == 0 ? 0 : 1;
}
