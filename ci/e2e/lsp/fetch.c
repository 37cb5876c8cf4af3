/* The buffer the Neovim end-to-end test opens (ci/e2e/lsp_nvim.sh): leash finds the
 * transfer with no timeout; clangd warns about the assignment used as a condition. */
#include <curl/curl.h>

int fetch_status(const char *url)
{
	long code = 0;
	CURL *h = curl_easy_init();
	if (!h)
		return -1;
	curl_easy_setopt(h, CURLOPT_URL, url);
	CURLcode rc = curl_easy_perform(h); /* leash: http-call-without-timeout */
	if (rc = CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	return (int)code;
}
