/*
 * test_metrics.c: the Prometheus exposition and the periodic trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static char *metrics_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	assert_non_null(mem);
	assert_status(leash_metrics_write(mem), 0);
	fclose(mem);
	return text;
}

static void noop(void *arg)
{
}

static void test_prometheus_exposition(void **state)
{
	leash_pool *p, *q;
	char *text, want[256];
	struct leash_pool_stats st;
	int i;

	assert_status(leash_metrics_write(NULL), LEASH_EINVAL);
	assert_status(leash_pool_create(&p, 2, 8, "web"), 0);
	assert_status(leash_pool_create(&q, 1, 1, "a\"b\\c\nd"), 0);
	for (i = 0; i < 5; i++)
		assert_status(leash_pool_submit(p, noop, NULL, LEASH_FOREVER), 0);
	leash_pool_close(p);
	leash_pool_join(p, LEASH_FOREVER);
	assert_status(leash_pool_submit(p, noop, NULL, 0), LEASH_ECLOSED);
	leash_pool_stats(p, &st);

	text = metrics_text();
	assert_non_null(strstr(text, "# TYPE leash_threads gauge\nleash_threads 1\n"));
	assert_non_null(strstr(text, "# TYPE leash_pool_queue_depth gauge\n"));
	assert_non_null(strstr(text, "# TYPE leash_pool_completed_total counter\n"));
	assert_non_null(strstr(text, "# HELP leash_pool_rejected_total "));
	assert_non_null(strstr(text, "leash_pool_workers{pool=\"web\",id=\""));
	assert_non_null(strstr(text, "leash_pool_queue_capacity{pool=\"web\""));
	snprintf(want, sizeof(want), "\"} 5\n");
	assert_non_null(strstr(strstr(text, "leash_pool_completed_total{pool=\"web\""), want));
	assert_non_null(strstr(strstr(text, "leash_pool_rejected_total{pool=\"web\""), "\"} 1\n"));
	assert_non_null(strstr(text, "leash_pool_active{pool=\"web\""));
	/* Label values are escaped as the format says. */
	assert_non_null(strstr(text, "{pool=\"a\\\"b\\\\c\\nd\""));
	/* Every line is a comment or "name{labels} value" / "name value". */
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		assert_true(line[0] == '#' || strncmp(line, "leash_", 6) == 0);
	free(text);

	leash_pool_destroy(q);
	leash_pool_destroy(p);
	text = metrics_text();
	assert_null(strstr(text, "pool=\"web\""));
	assert_non_null(strstr(text, "leash_threads 0\n"));
	free(text);
}

static void test_trace_lines_on_stderr(void **state)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	leash_pool *p;
	char buf[8192];
	size_t n;

	assert_status(leash_trace_start(0), LEASH_EINVAL);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	assert_status(leash_pool_create(&p, 1, 4, "traced"), 0);
	assert_status(leash_trace_start(10), 0);
	assert_status(leash_trace_start(10), LEASH_EBUSY);
	test_sleep_ms(80);
	assert_status(leash_trace_stop(), 0);
	assert_status(leash_trace_stop(), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	leash_pool_destroy(p);

	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	assert_non_null(strstr(buf, "LEASH "));
	assert_non_null(strstr(buf, "ms: threads=1 pool[traced#"));
	assert_non_null(strstr(buf, "workers=1 active=0 queue=0/4 completed=0 rejected=0"));
	/* The trace thread is not a tracked thread. */
	assert_status(leash_verify_none(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prometheus_exposition),
		cmocka_unit_test(test_trace_lines_on_stderr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
