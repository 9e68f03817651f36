/*
 * test_rules.c: the rules file loader: the shipped example loads, every
 * kind of mistake is refused with file, line and key, and windows open
 * and close on the right days and hours.
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

#include "rules.h"
#include "banned.h"

static struct rules R;

/* Writes text to a temp file, loads it; returns rules_load's result. */
static int load_text(const char *text, char *err, size_t errlen)
{
	char path[] = "/tmp/receiptd-test-rules-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	int rc;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	rc = rules_load(path, &R, err, errlen);
	unlink(path);
	return rc;
}

static void expect_error(const char *text, const char *fragment)
{
	char err[256] = "";

	assert_int_equal(load_text(text, err, sizeof(err)), -1);
	if (strstr(err, fragment) == NULL)
		fail_msg("error '%s' lacks '%s'", err, fragment);
}

#define HEAD "[program]\nversion = v1\n"

static void test_rules__example_program_loads(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(rules_load("etc/grocery.rules", &R, err, sizeof(err)),
			 0);
	assert_string_equal(R.version, "grocery-2026.1");
	assert_int_equal(R.nrules, 6);
	assert_int_equal(R.ntiers, 4);
	assert_int_equal(R.tier[1].factor, 1250);
	assert_int_equal(R.tier[1].membership, 0);
	assert_string_equal(R.tier[3].name, "plus");
	assert_int_equal(R.tier[3].membership, 1);
	assert_int_equal(R.tier[3].factor, 2000);
	assert_int_equal(R.rule[1].factor, 3000);
	assert_int_equal(R.rule[5].every, 10000);
	assert_int_equal(R.rule[5].value, 500);
	assert_non_null(rules_reward_find(&R, "free_coffee"));
	assert_int_equal(rules_activity_find(&R, "profile_completed")->total,
			 1);
}

static void test_rules__errors_name_file_line_and_key(void **state)
{
	(void)state;
	expect_error(HEAD "[rule b]\nkind = base\npoints_per_eur = x\n",
		     ":5: key 'points_per_eur': bad value 'x'");
	expect_error(HEAD "[rule b]\nkind = bogus\n", ":4: key 'kind'");
	expect_error(HEAD "[rule b]\nkind = base\n",
		     ":3: key 'points_per_eur': required for kind base");
	expect_error(HEAD "[rule b]\nkind = base\npoints_per_eur = 1\n"
			  "factor = 2\n",
		     ":6: key 'factor': not a key of kind base");
	expect_error(HEAD "[rule m]\nkind = multiplier\nfactor = 2\n",
		     "key 'match': required");
	expect_error(HEAD "[rule b]\ncolour = red\n",
		     ":4: key 'colour': unknown in [rule]");
	expect_error(HEAD "[rule c]\nkind = campaign\nfactor = 2\n"
			  "hours = 12:00-08:00\n",
		     ":6: key 'hours'");
	expect_error(HEAD "[rule c]\nkind = campaign\npoints = 5\n"
			  "from = 2026-02-30\n",
		     ":6: key 'from'");
	expect_error("[rule b]\nkind = base\npoints_per_eur = 1\n",
		     "key 'version': no [program]");
	expect_error(HEAD "[tier a]\nmin_points = 10\nfactor = 1\n"
			  "[tier b]\nmin_points = 5\nfactor = 2\n",
		     "key 'min_points'");
	expect_error(HEAD "[rule b]\nkind = base\npoints_per_eur = 1\n"
			  "[rule b]\n",
		     ":6: duplicate");
	expect_error(HEAD "[reward r]\npoints = 5\npoints = 6\ntext = t\n",
		     ":5: key 'points': set twice");
	expect_error(HEAD "[rule c]\nkind = cashback\nevery_eur = 1.234\n"
			  "value_eur = 5\n",
		     ":5: key 'every_eur'");
}

static void test_rules__membership_tier_is_ranked_but_never_earned(void **s)
{
	char err[256] = "";

	(void)s;
	assert_int_equal(load_text(HEAD
				   "[tier bronze]\nmin_points = 0\nfactor = 1\n"
				   "[tier club]\nmembership = yes\n"
				   "min_points = 500\nfactor = 2\n"
				   "[tier gold]\nmin_points = 1000\n"
				   "factor = 1.5\nmembership = no\n",
				   err, sizeof(err)),
			 0);
	assert_int_equal(R.ntiers, 3);
	assert_int_equal(R.tier[1].membership, 1);
	assert_int_equal(R.tier[2].membership, 0);
	assert_int_equal(rules_tier_find(&R, "club"), 1);
	assert_int_equal(rules_tier_find(&R, "nope"), -1);
	/* Points pass the club's min_points but never reach it. */
	assert_int_equal(rules_tier_of(&R, 0), 0);
	assert_int_equal(rules_tier_of(&R, 999), 0);
	assert_int_equal(rules_tier_of(&R, 1000), 2);
	/* Only membership tiers: nobody is in one by points. */
	assert_int_equal(load_text(HEAD "[tier club]\nmembership = yes\n"
					"min_points = 0\nfactor = 2\n",
				   err, sizeof(err)),
			 0);
	assert_int_equal(rules_tier_of(&R, 1000000), -1);
	expect_error(HEAD "[tier club]\nmembership = maybe\n",
		     ":4: key 'membership': bad value 'maybe'");
	expect_error(HEAD "[tier club]\nmembership = yes\nmembership = no\n",
		     ":5: key 'membership': set twice");
	expect_error(HEAD "[tier a]\nmin_points = 10\nfactor = 1\n"
			  "[tier club]\nmembership = yes\nmin_points = 10\n"
			  "factor = 2\n",
		     "tier 'club' must need more points");
}

static void test_rules__coupon_segment_reward_and_period(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(rules_load("etc/grocery.rules", &R, err, sizeof(err)),
			 0);
	assert_int_equal(R.ncoupons, 2);
	assert_string_equal(R.coupon[0].name, "regular_coffee");
	assert_int_equal(R.coupon[0].days, 30);
	assert_int_equal(R.coupon[0].min_visits, 4);
	assert_int_equal(R.coupon[0].tier, -1);
	assert_string_equal(R.coupon[0].reward, "free_coffee");
	assert_int_equal(R.coupon[1].min_spend, 20000);
	assert_int_equal(R.coupon[1].tier, 1); /* silver */
	assert_int_equal(R.coupon[1].value, 500);
	assert_int_equal(R.coupon[1].period_days, 90);
	assert_int_equal(R.expiry_months, 24);
	assert_int_equal(R.referral_referrer, 200);
	/* The period defaults to the window. */
	assert_int_equal(load_text(HEAD "[coupon c]\ndays = 7\nvalue_eur = 1\n",
				   err, sizeof(err)),
			 0);
	assert_int_equal(R.coupon[0].period_days, 7);
	expect_error(HEAD "[coupon c]\ndays = 7\n",
		     ":3: key 'reward': a coupon needs reward or value_eur");
	expect_error(HEAD "[coupon c]\nreward = x\n", ":3: key 'days'");
	expect_error(HEAD "[coupon c]\ndays = 7\nreward = x\n"
			  "min_tier = gold\n",
		     ":3: key 'min_tier': no tier 'gold'");
	expect_error(HEAD "[coupon c]\ndays = 0\nreward = x\n",
		     ":4: key 'days': bad value '0'");
	expect_error(HEAD "[coupon c]\ndays = 7\nreward = x\nkind = base\n",
		     ":6: key 'kind': unknown in [coupon]");
}

static void test_rules__failed_load_leaves_rules_unchanged(void **state)
{
	char err[256];

	(void)state;
	rules_init_flat(&R, 7);
	assert_int_equal(load_text(HEAD "[rule\n", err, sizeof(err)), -1);
	assert_string_equal(R.version, "flat");
	assert_int_equal(R.rule[0].ppe, 7);
}

static void test_rules__window_dates_weekdays_hours(void **state)
{
	struct rules_window w = { .from = "2026-03-01",
				  .until = "2026-03-31",
				  .weekdays = 1u << 5, /* Saturday */
				  .from_min = 8 * 60,
				  .until_min = 12 * 60,
				  .has_hours = 1 };

	(void)state;
	assert_true(rules_window_open(&w, "2026-03-14", "09:30"));
	assert_false(rules_window_open(&w, "2026-03-14", "12:00"));
	assert_false(rules_window_open(&w, "2026-03-15", "09:30")); /* Sun */
	assert_false(rules_window_open(&w, "2026-04-04", "09:30"));
	assert_false(rules_window_open(&w, "", "09:30"));
	memset(&w, 0, sizeof(w));
	assert_true(rules_window_open(&w, "", ""));
}

static void test_rules__tier_and_pattern_lookups(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(rules_load("etc/grocery.rules", &R, err, sizeof(err)),
			 0);
	assert_int_equal(rules_tier_of(&R, 0), 0);
	assert_int_equal(rules_tier_of(&R, 999), 0);
	assert_int_equal(rules_tier_of(&R, 1000), 1);
	assert_int_equal(rules_tier_of(&R, 10000), 2);
	assert_true(rules_match(&R.rule[1], "MEIN KAFFEE 500G"));
	assert_false(rules_match(&R.rule[1], "Milch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules__example_program_loads),
		cmocka_unit_test(test_rules__errors_name_file_line_and_key),
		cmocka_unit_test(test_rules__coupon_segment_reward_and_period),
		cmocka_unit_test(
			test_rules__membership_tier_is_ranked_but_never_earned),
		cmocka_unit_test(
			test_rules__failed_load_leaves_rules_unchanged),
		cmocka_unit_test(test_rules__window_dates_weekdays_hours),
		cmocka_unit_test(test_rules__tier_and_pattern_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
