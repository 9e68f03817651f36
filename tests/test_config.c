/*
 * test_config.c: the shipped example config loads; every error names the
 * file, the line and the key; flags (config_set) override the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "banned.h"

static char *write_tmp(const char *body)
{
	static char path[] = "/tmp/receiptd-config-XXXXXX";
	FILE *f;
	int fd;

	memcpy(path + sizeof(path) - 7, "XXXXXX", 6);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(body, f);
	fclose(f);
	return path;
}

static void test_config__example_config_loads_with_three_roles(void **s)
{
	struct config c;
	char err[256];

	(void)s;
	config_init(&c);
	assert_int_equal(config_load(&c, "etc/receiptd.conf", err, sizeof(err)),
			 0);
	assert_int_equal(c.nkeys, 3);
	assert_int_equal(config_role_of(&c, "dev-app-key"), ROLE_APP);
	assert_int_equal(config_role_of(&c, "dev-staff-key"), ROLE_STAFF);
	assert_int_equal(config_role_of(&c, "dev-operator-key"), ROLE_OPERATOR);
	assert_int_equal(c.listen_port, 8080);
	assert_int_equal(c.max_upload_bytes, 15u * 1024 * 1024);
	assert_int_equal(c.job_interval_s, 3600);
	assert_int_equal(c.review_below, 50);
	assert_int_equal(config_set(&c, "review_below_confidence", "0", err,
				    sizeof(err)),
			 0);
	assert_int_equal(c.review_below, 0);
	assert_string_equal(c.faded_lang, "Latin");
	assert_int_equal(config_set(&c, "faded_lang", "none", err, sizeof(err)),
			 0);
	assert_string_equal(c.faded_lang, "none");
}

static void test_config__job_interval_is_seconds_within_bounds(void **s)
{
	struct config c;
	char err[256];
	char *p = write_tmp("job_interval = 2\n");

	(void)s;
	config_init(&c);
	assert_int_equal(c.job_interval_s, CONFIG_DEFAULT_JOB_INTERVAL);
	assert_int_equal(config_load(&c, p, err, sizeof(err)), 0);
	assert_int_equal(c.job_interval_s, 2);
	unlink(p);
	p = write_tmp("job_interval = -5\n");
	assert_int_equal(config_load(&c, p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1: key 'job_interval': bad value"));
	unlink(p);
	assert_int_equal(
		config_set(&c, "job_interval", "604800", err, sizeof(err)), 0);
	assert_int_equal(c.job_interval_s, 604800);
}

static void test_config__unknown_key_is_named_with_file_and_line(void **s)
{
	struct config c;
	char err[256];
	char *p = write_tmp("# comment\n\nworkers = 2\nworkerz = 3\n");

	(void)s;
	config_init(&c);
	assert_int_equal(config_load(&c, p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":4: key 'workerz': unknown key"));
	assert_non_null(strstr(err, p));
	unlink(p);
}

static void test_config__bad_values_are_refused(void **s)
{
	static const char *const bad[][2] = {
		{ "listen", "127.0.0.1" },
		{ "listen", "127.0.0.1:0" },
		{ "listen", "1.2.3.4:70000" },
		{ "workers", "-1" },
		{ "workers", "many" },
		{ "points_per_eur", "1.5" },
		{ "api_key", "short app" },
		{ "api_key", "long-enough-key root" },
		{ "api_key", "no-role-given" },
		{ "data_dir", "" },
		{ "job_interval", "0" },
		{ "job_interval", "604801" },
		{ "job_interval", "1h" },
		{ "review_below_confidence", "101" },
		{ "review_below_confidence", "0.7" },
		{ "faded_lang", "" },
	};
	struct config c;
	char err[256];

	(void)s;
	config_init(&c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
			config_set(&c, bad[i][0], bad[i][1], err, sizeof(err)),
			-1);
	assert_int_equal(c.nkeys, 0);
}

static void test_config__flags_override_the_file(void **s)
{
	struct config c;
	char err[256];

	(void)s;
	config_init(&c);
	assert_int_equal(config_load(&c, "etc/receiptd.conf", err, sizeof(err)),
			 0);
	assert_int_equal(
		config_set(&c, "listen", "127.0.0.1:18081", err, sizeof(err)),
		0);
	assert_int_equal(c.listen_port, 18081);
	assert_string_equal(c.listen_addr, "127.0.0.1");
}

static void test_config__unknown_or_prefix_key_has_no_role(void **s)
{
	struct config c;
	char err[256];

	(void)s;
	config_init(&c);
	assert_int_equal(config_set(&c, "api_key", "secret-key-1 staff", err,
				    sizeof(err)),
			 0);
	assert_int_equal(config_role_of(&c, "secret-key-1"), ROLE_STAFF);
	assert_int_equal(config_role_of(&c, "secret-key"), ROLE_NONE);
	assert_int_equal(config_role_of(&c, "secret-key-12"), ROLE_NONE);
	assert_int_equal(config_role_of(&c, ""), ROLE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_config__example_config_loads_with_three_roles),
		cmocka_unit_test(
			test_config__unknown_key_is_named_with_file_and_line),
		cmocka_unit_test(test_config__bad_values_are_refused),
		cmocka_unit_test(
			test_config__job_interval_is_seconds_within_bounds),
		cmocka_unit_test(test_config__flags_override_the_file),
		cmocka_unit_test(
			test_config__unknown_or_prefix_key_has_no_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
