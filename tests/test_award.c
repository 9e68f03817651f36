/*
 * test_award.c: the rule engine, one test per rule kind, on hand-built
 * programmes and receipts: no file, no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "award.h"
#include "banned.h"

static struct rules P;
static struct receipt RC;
static struct award A;
static struct award_ctx CTX;

static int setup(void **state)
{
	(void)state;
	rules_init_flat(&P, 1);
	receipt_init(&RC);
	memcpy(RC.store, "generic", sizeof("generic"));
	memcpy(RC.date, "2026-03-14", sizeof("2026-03-14")); /* Saturday */
	memcpy(RC.time, "09:30", sizeof("09:30"));
	memset(&CTX, 0, sizeof(CTX));
	CTX.tier = -1;
	return 0;
}

static struct rules_rule *add_rule(const char *name, enum rules_kind k)
{
	struct rules_rule *r = &P.rule[P.nrules++];

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->kind = k;
	r->caps.receipt = r->caps.day = r->caps.month = RULES_NO_CAP;
	return r;
}

static void item(const char *name, int64_t cents, int64_t qty)
{
	assert_int_equal(receipt_add_item(&RC, name, strlen(name), qty * 1000,
					  RECEIPT_UNKNOWN, cents, RECEIPT_ITEM),
			 0);
}

static int64_t line(const char *rule)
{
	for (size_t i = 0; i < A.nlines; i++)
		if (strcmp(A.line[i].rule, rule) == 0)
			return A.line[i].points;
	return 0;
}

static void run(int64_t total)
{
	RC.total = total;
	award_receipt(&P, &RC, &CTX, &A);
}

static void test_award__base_is_floor_of_total_per_eur(void **state)
{
	(void)state;
	run(1299);
	assert_int_equal(A.points, 12);
	assert_int_equal(A.nlines, 1);
	assert_int_equal(line("points_per_eur"), 12);
	run(99);
	assert_int_equal(A.points, 0);
	assert_int_equal(A.nlines, 0);
}

static void test_award__store_base_rule_wins_over_global(void **state)
{
	struct rules_rule *r = add_rule("frisch", RULES_BASE);

	(void)state;
	r->ppe = 3;
	memcpy(r->store, "frisch", sizeof("frisch"));
	run(1000);
	assert_int_equal(line("points_per_eur"), 10);
	memcpy(RC.store, "frisch", sizeof("frisch"));
	run(1000);
	assert_int_equal(line("frisch"), 30);
	assert_int_equal(A.points, 30);
}

static void test_award__multiplier_adds_factor_minus_one(void **state)
{
	struct rules_rule *r = add_rule("coffee3x", RULES_MULTIPLIER);

	(void)state;
	r->factor = 3000;
	r->npatterns = 1;
	memcpy(r->patterns[0], "*kaffee*", sizeof("*kaffee*"));
	item("MEIN KAFFEE", 599, 1);
	item("Milch", 101, 1);
	run(700);
	assert_int_equal(line("points_per_eur"), 7);
	assert_int_equal(line("coffee3x"), 11); /* floor(5.99 * 2) */
	assert_int_equal(A.points, 18);
}

static void test_award__category_bonus_per_eur(void **state)
{
	struct rules_rule *r = add_rule("fresh", RULES_CATEGORY);

	(void)state;
	r->ppe = 2;
	r->npatterns = 2;
	memcpy(r->patterns[0], "*apfel*", sizeof("*apfel*"));
	memcpy(r->patterns[1], "*banane*", sizeof("*banane*"));
	item("Apfel Elstar", 250, 1);
	item("Bananen", 199, 1);
	item("Bier", 99, 1);
	run(548);
	assert_int_equal(line("fresh"), 8); /* floor(4.49 * 2) */
}

static void test_award__campaign_only_inside_its_window(void **state)
{
	struct rules_rule *r = add_rule("sat", RULES_CAMPAIGN);

	(void)state;
	r->factor = 2000;
	r->points = 5;
	r->window.weekdays = 1u << 5;
	run(2000);
	assert_int_equal(line("sat"), 25);
	memcpy(RC.date, "2026-03-15", sizeof("2026-03-15"));
	run(2000);
	assert_int_equal(line("sat"), 0);
	assert_int_equal(A.points, 20);
}

static void test_award__tier_factor_on_base(void **state)
{
	(void)state;
	P.ntiers = 1;
	memcpy(P.tier[0].name, "gold", sizeof("gold"));
	P.tier[0].factor = 1500;
	CTX.tier = 0;
	run(1000);
	assert_int_equal(line("tier:gold"), 5);
	assert_int_equal(A.points, 15);
}

static void test_award__punchcard_voucher_every_n_items(void **state)
{
	struct rules_rule *r = add_rule("card", RULES_PUNCHCARD);

	(void)state;
	r->every = 10;
	r->npatterns = 1;
	memcpy(r->patterns[0], "*kaffee*", sizeof("*kaffee*"));
	memcpy(r->reward, "free_coffee", sizeof("free_coffee"));
	item("Kaffee", 300, 3);
	CTX.punch_before[1] = 8;
	run(300);
	assert_int_equal(A.punch_add[1], 3);
	assert_int_equal(A.nvouchers, 1);
	assert_string_equal(A.voucher[0].reward, "free_coffee");
	CTX.punch_before[1] = 0;
	run(300);
	assert_int_equal(A.nvouchers, 0);
}

static void test_award__cashback_per_cumulative_spend(void **state)
{
	struct rules_rule *r = add_rule("cb", RULES_CASHBACK);

	(void)state;
	r->every = 10000;
	r->value = 500;
	CTX.spend_before = 9000;
	run(21500); /* 90 + 215 = 305 EUR: crosses 100, 200 and 300 */
	assert_int_equal(A.spend, 21500);
	assert_int_equal(A.nvouchers, 3);
	assert_int_equal(A.voucher[0].value, 500);
}

static void test_award__caps_per_rule_and_programme(void **state)
{
	struct rules_rule *r = add_rule("bonus", RULES_CAMPAIGN);

	(void)state;
	r->points = 100;
	r->caps.day = 150;
	CTX.used_day[1] = 120;
	run(5000);
	assert_int_equal(line("bonus"), 30);
	P.caps.receipt = 60;
	run(5000);
	assert_int_equal(line("points_per_eur"), 50);
	assert_int_equal(line("bonus"), 10);
	assert_int_equal(A.points, 60);
	P.caps.month = 100;
	CTX.total_month = 100;
	run(5000);
	assert_int_equal(A.points, 0);
	assert_int_equal(A.nlines, 0);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_award__base_is_floor_of_total_per_eur),
		T(test_award__store_base_rule_wins_over_global),
		T(test_award__multiplier_adds_factor_minus_one),
		T(test_award__category_bonus_per_eur),
		T(test_award__campaign_only_inside_its_window),
		T(test_award__tier_factor_on_base),
		T(test_award__punchcard_voucher_every_n_items),
		T(test_award__cashback_per_cumulative_spend),
		T(test_award__caps_per_rule_and_programme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
