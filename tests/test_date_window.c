/*
 * test_date_window.c: a parsed date is checked against the day the receipt
 * arrived (parser_doc.ref_date): later or decades earlier is a misread,
 * repaired by one confusable year digit or dropped with a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parser.h"
#include "banned.h"

static struct receipt rc_out; /* large: keep it off the test stack */

/* Parses one line of text as a whole receipt against ref. */
static void parse_at(const char *line, const char *ref)
{
	struct parser_line l = { line, strlen(line), -1.0f, NULL, 0 };
	struct parser_doc doc = { &l, 1, "" };

	snprintf(doc.ref_date, sizeof(doc.ref_date), "%s", ref);
	assert_int_equal(parser_parse_doc(&doc, &rc_out), PARSER_OK);
}

/* The window's warning, if the parse gave one. */
static const char *window_warning(void)
{
	for (size_t i = 0; i < rc_out.nwarnings; i++)
		if (strstr(rc_out.warnings[i], "plausible window"))
			return rc_out.warnings[i];
	return NULL;
}

static void test_date_window__plausible_date_kept(void **state)
{
	(void)state;
	parse_at("Datum: 25.05.2022", "2026-12-02");
	assert_string_equal(rc_out.date, "2022-05-25");
	assert_null(window_warning());
}

static void test_date_window__future_year_repaired(void **state)
{
	(void)state;
	/* 2072 -> 2012 or 2022: the one nearest the upload wins. */
	parse_at("Datum: 25.05.2072", "2026-12-02");
	assert_string_equal(rc_out.date, "2022-05-25");
	assert_non_null(window_warning());
}

static void test_date_window__same_day_is_not_future(void **state)
{
	(void)state;
	parse_at("Datum: 02.12.2026", "2026-12-02");
	assert_string_equal(rc_out.date, "2026-12-02");
}

static void test_date_window__unrepairable_dropped(void **state)
{
	(void)state;
	/* 2055: no single confusable digit lands in 1996..2026. */
	parse_at("Datum: 25.05.2055", "2026-12-02");
	assert_string_equal(rc_out.date, "");
	assert_non_null(window_warning());
	assert_non_null(strstr(window_warning(), "dropped"));
}

static void test_date_window__too_old_repaired(void **state)
{
	(void)state;
	/* 1991 is 35 years before the upload; a 7 read as 1 gives 1997. */
	parse_at("Datum: 25.05.1991", "2026-12-02");
	assert_string_equal(rc_out.date, "1997-05-25");
}

static void test_date_window__no_reference_no_check(void **state)
{
	(void)state;
	parse_at("Datum: 25.05.2072", "");
	assert_string_equal(rc_out.date, "2072-05-25");
}

static void test_date_window__plausible_date_beats_earlier_misread(void **state)
{
	static const char text[] = "Corner Shop\n"
				   "Orange Juice 1. 1.69\n"
				   "SUBTOTAL 1.69\n"
				   "21-08-20 99:25 AM\n";

	(void)state;
	/* "1. 1.69", a garbled item line, lexes as 2069-01-01, and the
	 * sale's date lost its time to OCR ("99:25"): the window rules the
	 * first out, so the receipt's own date below it wins. */
	assert_int_equal(
		parser_parse_text_at(text, strlen(text), "2026-12-02", &rc_out),
		PARSER_OK);
	assert_string_equal(rc_out.date, "2020-08-21");
	assert_null(window_warning());
	assert_int_equal(parser_parse_text_at(text, strlen(text), "", &rc_out),
			 PARSER_OK);
	assert_string_equal(rc_out.date, "2069-01-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_window__plausible_date_kept),
		cmocka_unit_test(test_date_window__future_year_repaired),
		cmocka_unit_test(test_date_window__same_day_is_not_future),
		cmocka_unit_test(test_date_window__unrepairable_dropped),
		cmocka_unit_test(test_date_window__too_old_repaired),
		cmocka_unit_test(test_date_window__no_reference_no_check),
		cmocka_unit_test(
			test_date_window__plausible_date_beats_earlier_misread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
