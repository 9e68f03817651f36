/*
 * test_lex.c: the cursor readers for amounts, dates, times and keywords,
 * including the OCR confusions they forgive and the shapes they refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lex.h"
#include "banned.h"

/* Reads an amount from s; returns the rc and how far the cursor moved. */
static int amount(const char *s, int64_t *cents, size_t *used)
{
	const char *p = s;
	int rc = lex_amount(&p, s + strlen(s), cents);

	*used = (size_t)(p - s);
	return rc;
}

static int64_t amount_ok(const char *s)
{
	int64_t c = 0;
	size_t used;

	assert_int_equal(amount(s, &c, &used), 0);
	return c;
}

static void amount_refused(const char *s)
{
	int64_t c = 42;
	size_t used = 99;

	assert_true(amount(s, &c, &used) < 0);
	assert_int_equal(used, 0);
	assert_int_equal(c, 42);
}

static void test_lex_amount__decimal_comma_and_point_read_as_cents(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("12,34"), 1234);
	assert_int_equal(amount_ok("12.34"), 1234);
	assert_int_equal(amount_ok("0,05"), 5);
}

static void test_lex_amount__thousands_separators_either_way(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("1.234,56"), 123456);
	assert_int_equal(amount_ok("1,234.56"), 123456);
	assert_int_equal(amount_ok("1.234.567,89"), 123456789);
}

static void
test_lex_amount__leading_and_trailing_minus_are_negative(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("-0,75"), -75);
	assert_int_equal(amount_ok("0,75-"), -75);
	assert_int_equal(amount_ok("\xE2\x80\x94"
				   "0,25"),
			 -25);
	/* A sign lex does not read keeps the minus before it. */
	assert_int_equal(amount_ok("-R 499.00"), -49900);
	assert_int_equal(amount_ok("-KSh  120.00"), -12000);
	amount_refused("-Bar 20,00");
	amount_refused("-R5.00");
}

static void test_lex_amount__currency_prefix_is_read(void **state)
{
	struct lex_amount a;
	const char *s = "RM12.34", *p = s;

	(void)state;
	assert_int_equal(lex_amount_info(&p, s + strlen(s), &a), 0);
	assert_int_equal(a.cents, 1234);
	assert_string_equal(a.currency, "MYR");
	assert_int_equal(a.decimal_sep, '.');
	assert_int_equal(amount_ok("$12.34"), 1234);
	assert_int_equal(amount_ok("\xE2\x82\xAC 12,34"), 1234);
	assert_int_equal(amount_ok("EUR 5,00"), 500);
	assert_int_equal(amount_ok("f39.70"), 3970); /* a worn pound sign */
	assert_int_equal(amount_ok("EO.55"), 55);    /* and a worn 0 */
	assert_int_equal(amount_ok("fl.25"), 125);
	assert_int_equal(amount_ok("-E1.00"), -100);
	amount_refused("E10");
}

static void test_lex_amount__letter_O_inside_number_reads_as_zero(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("1O,99"), 1099);
	assert_int_equal(amount_ok("O,85"), 85);
	assert_int_equal(amount_ok("2,9O"), 290);
}

/* Phone photos: cents letters a separator vouches for, a separator
 * read as an apostrophe or doubled; Swiss thousands. */
static void test_lex_amount__damaged_cents_and_separators(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("1,9q"), 199);
	assert_int_equal(amount_ok("0,T5"), 75);
	assert_int_equal(amount_ok("z,99"), 299);
	assert_int_equal(amount_ok("1'19"), 119);
	assert_int_equal(amount_ok("1,,99"), 199);
	assert_int_equal(amount_ok("0.,19"), 19);
	assert_int_equal(amount_ok("1'234.50"), 123450);
	amount_refused("Tasse,99");
	assert_int_equal(amount_ok("S12.99"), 1299); /* a dollar read as S */
	assert_int_equal(amount_ok("S,99"), 599);    /* a 5 read as S */
}

static void test_lex_amount__l_I_pipe_read_as_one(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("l,29"), 129);
	assert_int_equal(amount_ok("2,l5"), 215);
	assert_int_equal(amount_ok("8,0i"), 801);
	assert_int_equal(amount_ok("i9.92"), 1992);
	assert_int_equal(amount_ok("I2.50"), 1250);
	assert_int_equal(amount_ok("|9,99"), 1999);
}

static void test_lex_amount__S_B_Z_only_between_digits(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("1S,50"), 1550);
	assert_int_equal(amount_ok("3B,00"), 3800);
	assert_int_equal(amount_ok("4Z, 15"), 4215);
	amount_refused("BIO");
}

/* Letters for whole digits, vouched for by two cents ending the word. */
static void test_lex_amount__letters_before_cents_read(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("S.49"), 549);
	assert_int_equal(amount_ok("lOO.00"), 10000);
	assert_int_equal(amount_ok("B,15"), 815);
	assert_int_equal(amount_ok("Z4.95"), 2495);
	assert_int_equal(amount_ok("-l,OO"), -100);
	assert_int_equal(amount_ok("3.SO"), 350);
	assert_int_equal(amount_ok("1B.6G"), 1866);
	assert_int_equal(amount_ok("39,9g"), 3999);
	amount_refused("S.4");
	amount_refused("SOS.123");
	amount_refused("S,50kg");
	amount_refused("1.7OZ"); /* a size: the cents run on into a word */
	amount_refused("1.Bi");	 /* no digit or O among the cents */
	amount_refused("0. SS"); /* a stray space and letters: noise */
}

static void test_lex_amount__stray_space_around_separator(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("12 ,34"), 1234);
	assert_int_equal(amount_ok("12, 34"), 1234);
	assert_int_equal(amount_ok("85. 54"), 8554);
}

static void test_lex_amount__low_quote_read_as_decimal_comma(void **state)
{
	(void)state;
	assert_int_equal(amount_ok("36 \xE2\x80\x9A"
				   "20"),
			 3620);
	assert_int_equal(amount_ok("1\xE2\x80\x9A"
				   "99"),
			 199);
}

static void test_lex_amount__vat_letter_after_cents_not_consumed(void **state)
{
	int64_t c;
	size_t used;

	(void)state;
	assert_int_equal(amount("1,99B", &c, &used), 0);
	assert_int_equal(c, 199);
	assert_int_equal(used, 4);
	assert_int_equal(amount("0,99 A", &c, &used), 0);
	assert_int_equal(used, 4);
}

static void test_lex_amount__wrong_shapes_refused_and_cursor_kept(void **state)
{
	(void)state;
	amount_refused("12");
	amount_refused("12,3");
	amount_refused("12,345");
	amount_refused("0,874");
	amount_refused("04.12.2014");
	amount_refused("12.03.16");
	amount_refused("14:33");
	amount_refused("abc");
	amount_refused("");
	amount_refused("1.234.56");
}

static void test_lex_amount__huge_digit_string_refused(void **state)
{
	int64_t c = 7;
	size_t used = 3;

	(void)state;
	assert_int_equal(amount("99999999999999999999999999,99", &c, &used),
			 LEX_ERR_RANGE);
	assert_int_equal(used, 0);
	assert_int_equal(c, 7);
	amount_refused("9.999.999.999,99");
	assert_int_equal(amount_ok("999999999,99"), 99999999999);
}

static int date(const char *s, char out[11])
{
	const char *p = s;

	memset(out, 0, 11);
	return lex_date(&p, s + strlen(s), out);
}

/* A 0 worn down its right side reads as C: a C before a digit is 0, a C
 * after one is a letter. */
static void test_lex_date__C_before_a_digit_reads_as_zero(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(date("C1-05-20", out), 0);
	assert_string_equal(out, "2020-05-01");
	assert_int_equal(amount_ok("C,85"), 85);
	assert_true(date("1C-05-20", out) < 0);
}

/* So does a 0 worn to a C with bars: the euro sign before a digit leads
 * a date's field, and before an amount keeps its value. */
static void test_lex_date__euro_before_a_digit_reads_as_zero(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(date("08-\u20ac3-21", out), 0);
	assert_string_equal(out, "2021-03-08");
	assert_int_equal(date("2022-08-\u20ac7", out), 0);
	assert_string_equal(out, "2022-08-07");
	assert_int_equal(amount_ok("\u20ac3,16"), 316);
	assert_true(date("08-3\u20ac-21", out) < 0);
}

static void date_is(const char *s, const char *want)
{
	char out[11];

	assert_int_equal(date(s, out), 0);
	assert_string_equal(out, want);
}

static void test_lex_date__numeric_forms_day_first(void **state)
{
	(void)state;
	date_is("04.12.2014", "2014-12-04");
	date_is("04.12.14", "2014-12-04");
	date_is("19/10/2018", "2018-10-19");
	date_is("05/11/18", "2018-11-05");
	date_is("28-02-2019", "2019-02-28");
	date_is("28-02-19", "2019-02-28");
	date_is("2023-07-08", "2023-07-08");
	date_is("3.1.2020", "2020-01-03");
}

static void flagged_date_is(const char *s, unsigned flags, const char *want)
{
	const char *p = s;
	char out[11];

	assert_int_equal(lex_date_flags(&p, s + strlen(s), out, flags), 0);
	assert_string_equal(out, want);
}

/* A slashed date whose second field is no month is American, as
 * printed, not a misread month to mend; where both orders are dates only
 * the caller knows which (LEX_DATE_MONTH_FIRST). Dotted dates stay day
 * first, and a day over 12 cannot lead. */
static void test_lex_date__slashed_month_first(void **state)
{
	char out[11];

	(void)state;
	date_is("11/28/26", "2026-11-28");
	date_is("11-21-2026", "2026-11-21");
	date_is("03/14/2023", "2023-03-14");
	date_is("12/05/2026", "2026-05-12");
	flagged_date_is("12/05/2026", LEX_DATE_MONTH_FIRST, "2026-12-05");
	flagged_date_is("11-05-2026", LEX_DATE_MONTH_FIRST, "2026-11-05");
	date_is("11-05-2026", "2026-05-11");
	flagged_date_is("28/11/2026", LEX_DATE_MONTH_FIRST, "2026-11-28");
	flagged_date_is("05.12.2026", LEX_DATE_MONTH_FIRST, "2026-12-05");
	flagged_date_is("2026/12/05", LEX_DATE_MONTH_FIRST, "2026-12-05");
	assert_true(date("03.14.2023", out) < 0);
	assert_true(date("13/14/2023", out) < 0);
	assert_true(date("02/30/2023", out) < 0);
}

static void test_lex_date__month_names_english_and_german(void **state)
{
	(void)state;
	date_is("OCT 3, 2016", "2016-10-03");
	date_is("3 Oct 2016", "2016-10-03");
	date_is("O5 Dec 2O25", "2025-12-05"); /* a 0 read as O leads */
	date_is("16 Mar'18", "2018-03-16");   /* an apostrophe's century */
	date_is("03-Oct-2016", "2016-10-03");
	date_is("3. Oktober 2016", "2016-10-03");
	date_is("1. M\xC3\xA4rz 2021", "2021-03-01");
	date_is("24 Dez 23", "2023-12-24");
	date_is("3rd Dec 2026", "2026-12-03");
	date_is("Dec 1st, 2026", "2026-12-01");
	date_is("22ND NOVEMBER 2026", "2026-11-22");
}

/* "4 NOV 20, 2017": the 4 is a stray mark, not the day of a date in 2020;
 * the date starts at the month. */
static void test_lex_date__stray_figure_before_month_is_no_day(void **state)
{
	char out[11];

	(void)state;
	assert_true(date("4 NOV 20, 2017", out) < 0);
	date_is("NOV 20, 2017 01:07 PM", "2017-11-20");
	date_is("4 NOV 20 01:07 PM", "2020-11-04");
}

static void test_lex_date__ocr_letters_inside_digits(void **state)
{
	(void)state;
	date_is("O4.12.2O14", "2014-12-04");
	date_is("l2.03.2016", "2016-03-12");
	date_is("i2.03.2016", "2016-03-12");
}

static void test_lex_date__ocr_separator_noise_forgiven(void **state)
{
	(void)state;
	date_is("02.03 .2020", "2020-03-02");
	date_is("02,03.2020", "2020-03-02");
	date_is("02. 03.20", "2020-03-02");
	date_is("10103/2018", "2018-03-10");
	date_is("2014-01--27", "2014-01-27");
	date_is("27..01.2014", "2014-01-27");
	date_is("10/0372018", "2018-03-10");
	date_is("21092017 10:20:37 AM", "2017-09-21");
	date_is("20170921 10:20", "2017-09-21");
	date_is("217092017 10:20:37 AM", "2017-09-21");
	date_is("210972017 10:20", "2017-09-21");
	date_is("20180428/191204", "2018-04-28");
	date_is("28042018/1912", "2018-04-28");
	date_is("27-05-2] 07:14:53", "2021-05-27");
	date_is("15/08/2568 14:02", "2025-08-15"); /* Thailand's era */
}

/* s does not read as a date as printed; with LEX_DATE_REPAIR it reads as
 * want, all of it (want NULL: not even then). */
static void repaired_is(const char *s, const char *want)
{
	const char *p = s;
	char out[11];

	assert_true(date(s, out) < 0);
	if (!want) {
		assert_true(lex_date_flags(&p, s + strlen(s), out,
					   LEX_DATE_REPAIR) < 0);
		return;
	}
	assert_int_equal(
		lex_date_flags(&p, s + strlen(s), out, LEX_DATE_REPAIR), 0);
	assert_string_equal(out, want);
}

static void
test_lex_date__repaired_year_only_when_asked_and_unique(void **state)
{
	const char *s = "20.05.2920", *p = s;
	char out[11];

	(void)state;
	repaired_is(s, "2020-05-20");
	assert_int_equal(
		lex_date_flags(&p, s + strlen(s), out, LEX_DATE_REPAIR), 0);
	assert_ptr_equal(p, s + strlen(s));
	repaired_is("20.05.5555", NULL);
	/* A month 0 read as 9. */
	repaired_is("14.99.17", "2017-09-14");
	/* A year with a 0 read as 6 in a date with a month name. */
	repaired_is("13 Mar 2619 07:13", "2019-03-13");
	/* Month 55: 35, 53, 58, 65 are no months either, but a tens digit
	 * before a 5 can only have been 0; before a 2 it may have been 1. */
	repaired_is("14.55.17", "2017-05-14");
	repaired_is("14.52.17", NULL);
	repaired_is("17-25-14 01:48 PM", "2014-05-17");
	/* Year first, year and month both misread (0 as 9, 0 as 2). */
	repaired_is("2917-23-07 10:15", "2017-03-07");
	/* 3 is no confusion of 0, but no other century fits. */
	repaired_is("20.07.2317", "2017-07-20");
	/* A dotted zero read as 09 or 90, where one year is left. */
	repaired_is("24 Feb 20922 07:50 PM", "2022-02-24");
	repaired_is("02/02/20922", "2022-02-02");
	repaired_is("02/02/21922", NULL);
	/* A month name with one misread letter, and its year. */
	repaired_is("DCT 21, 2617 08:45 PM", "2017-10-21");
	repaired_is("24 Fcb 2022", "2022-02-24");
	/* A faded O read as N, a U as J: any letter but the first. */
	repaired_is("NNV 22, 2023 12:55 PM", "2023-11-22");
	repaired_is("JJL 10, 2014", "2014-07-10");
	/* Between a day and a year, or before both, the word can only be
	 * the month: any one letter may be misread, or the first lost. */
	repaired_is("18 Zun 2017 02:16 PM", "2017-06-18");
	repaired_is("Zun 18, 2017", "2017-06-18");
	repaired_is("rEB 19, 2023 07:37 PM", "2023-02-19");
	repaired_is("CT 8, 2018 03:13 PM", "2018-10-08");
	repaired_is("12 ec 2018", "2018-12-12");
	/* Or its last letter read as a digit. */
	repaired_is("FE2 3, 2019 10:53 AM", "2019-02-03");
	repaired_is("FE2 3 10:53", NULL);
	repaired_is("07 N0v 2026", "2026-11-07");
	repaired_is("N0V 07, 2026", "2026-11-07");
	date_is("04.12 2026", "2026-12-04");
	date_is("27.11.202609:51", "2026-11-27");
	/* Not before an amount, nor with only a two-digit year. */
	repaired_is("Tax 19,2023", NULL);
	repaired_is("Zun 18, 17", NULL);
	/* A letter added to a misread one ("Ninv"), where sure; not two
	 * misread. */
	repaired_is("02 Ninv 2016 15:33:17", "2016-11-02");
	repaired_is("02 Nqxz 2016 15:33:17", NULL);
	/* "Fep" is one letter off feb and sep; it keeps feb's first. */
	repaired_is("13 Fep 2015 10:23:46", "2015-02-13");
	/* "jux" is one letter off both jun and jul: no guess. */
	repaired_is("JUX 21, 2017", NULL);
	/* Two letters off: no month. */
	repaired_is("DCX 21, 2017", NULL);
	/* "Bar" (cash) is one letter off "mar", but b and m are not
	 * confused; nor does a mended month take a two-digit year. */
	repaired_is("Bar 9.85", NULL);
	repaired_is("Bar 20,2019", NULL);
	repaired_is("DCT 21, 17", NULL);
	/* Days with a zero read as 8 or 9, and day and month both; 36 is
	 * one confusable digit from both 26 and 30, 81 from 01 and 31: the
	 * zero wins (dotted zeros misread most). */
	repaired_is("87 Sep 2023", "2023-09-07");
	repaired_is("96 Nov 2019 03:12 pm", "2019-11-06");
	repaired_is("83.66.14 20:04:36", "2014-06-03");
	repaired_is("36.03.15", "2015-03-30");
	repaired_is("2619-10-81", "2019-10-01");
	/* A label's colon read as a digit glued to the day. */
	repaired_is("212.04.2018 11:59", "2018-04-12");
	repaired_is("212.52.2018", NULL);
	/* A D worn down its left side. */
	repaired_is("JEC 23, 2018", "2018-12-23");
	/* A zero for the O of a month; a stray mark before the day. Both
	 * need a four-digit year. */
	repaired_is("0CT 26, 2018 05:46 PM", "2018-10-26");
	repaired_is("0CT 26, 18", NULL);
	repaired_is("417 Feb 2022 01:51 PM", "2022-02-17");
	repaired_is("417 Feb 22", NULL);
	repaired_is("417 Fcb 2022", NULL);
	date_is("20 05.2020", "2020-05-20");
	assert_true(date("20 05.20", out) < 0);
}

static void test_lex_date__run_together_digits_need_a_time(void **state)
{
	char out[11];

	(void)state;
	assert_true(date("21092017", out) < 0);
	assert_true(date("21092017 12,99", out) < 0);
	assert_true(date("210920171 10:20", out) < 0);
	assert_true(date("217092017", out) < 0);
	/* 12/01/2017 or 12/10/2017: either digit may be the slash. */
	assert_true(date("121012017 10:20", out) < 0);
	assert_true(date("12345/2018", out) < 0);
	assert_true(date("20180428/12", out) < 0);
	assert_true(date("20180428/196104", out) < 0);
	assert_true(date("20180428/2512", out) < 0);
	/* On a line labelled as the date, eight digits alone will do. */
	{
		const char *s = "20200430", *p = s;

		assert_int_equal(
			lex_date_flags(&p, s + 8, out, LEX_DATE_LABELLED), 0);
		assert_string_equal(out, "2020-04-30");
		s = "30042020";
		p = s;
		assert_int_equal(
			lex_date_flags(&p, s + 8, out, LEX_DATE_LABELLED), 0);
		assert_string_equal(out, "2020-04-30");
		s = "20200430A";
		p = s;
		assert_true(lex_date_flags(&p, s + 9, out, LEX_DATE_LABELLED) <
			    0);
	}
}

static void test_lex_date__short_year_followed_by_date_refused(void **state)
{
	char out[11];

	(void)state;
	assert_true(date("06. 06.04.2020", out) < 0);
	date_is("06.04.2020", "2020-04-06");
}

static void test_lex_date__invalid_calendar_dates_refused(void **state)
{
	char out[11];
	const char *s = "31.02.2020", *p = s;

	(void)state;
	assert_true(lex_date(&p, s + strlen(s), out) < 0);
	assert_ptr_equal(p, s);
	assert_true(date("29.02.2023", out) < 0);
	date_is("29.02.2024", "2024-02-29");
	assert_true(date("00.01.2020", out) < 0);
	assert_true(date("12.13.2020", out) < 0);
	assert_true(date("01.01.1850", out) < 0);
	assert_true(date("12,34", out) < 0);
	assert_true(date("1.234,56", out) < 0);
	assert_true(date("Oct", out) < 0);
}

static int timeof(const char *s, char out[6])
{
	const char *p = s;

	return lex_time(&p, s + strlen(s), out);
}

static void time_is(const char *s, const char *want)
{
	char out[6];

	assert_int_equal(timeof(s, out), 0);
	assert_string_equal(out, want);
}

static void test_lex_time__24h_seconds_and_am_pm(void **state)
{
	(void)state;
	time_is("14:33", "14:33");
	time_is("14:33:05", "14:33");
	time_is("7:05", "07:05");
	time_is("2:15 PM", "14:15");
	time_is("12:10 AM", "00:10");
	time_is("12:10 pm", "12:10");
	time_is("11:02:44 AM", "11:02");
	time_is("18.22 Uhr", "18:22");
	time_is("18.22Uhr", "18:22");
	time_is("17h41", "17:41");
	time_is("15;37", "15:37");
	time_is("2.32pm", "14:32");
	time_is("9.05 a.m.", "09:05");
}

static void test_lex_time__out_of_range_refused_and_cursor_kept(void **state)
{
	char out[6];
	const char *s = "24:00", *p = s;

	(void)state;
	assert_true(lex_time(&p, s + strlen(s), out) < 0);
	assert_ptr_equal(p, s);
	assert_true(timeof("12:60", out) < 0);
	assert_true(timeof("13:00 PM", out) < 0);
	assert_true(timeof("14.33", out) < 0);
	assert_true(timeof("14.33 Uhrzeit", out) < 0);
	assert_true(timeof("17h41min", out) < 0);
	assert_true(timeof("123:45", out) < 0);
	assert_true(timeof("5;37", out) < 0);
}

static void test_lex_keyword__case_umlauts_and_one_ocr_error(void **state)
{
	const char *s = "R\xC3\xBC"
			"ckgeld BAR",
		   *p = s;

	(void)state;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "ruckgeld", 0), 0);
	assert_int_equal(p - s, 9);
	s = "SUMNE 12,34";
	p = s;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "summe", LEX_KW_WORD),
			 0);
	s = "Bon-Nr.:1433";
	p = s;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "bon-nr", 0), 0);
	s = "BonNr 1";
	p = s;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "bon-nr", 0), 0);
	/* Figures for letters inside a word cost no slip. */
	s = "CUST0MER C0PY";
	p = s;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "customer copy", 0), 0);
	s = "0TAL";
	p = s;
	assert_int_not_equal(lex_keyword(&p, s + strlen(s), "otal", 0), 0);
	/* "rn" for m is one slip. */
	s = "Surnme 17,45";
	p = s;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "summe", LEX_KW_WORD),
			 0);
	assert_int_equal(p - s, 6);
	s = "Gesarnt";
	p = s;
	assert_int_equal(lex_keyword(&p, s + strlen(s), "gesamt", LEX_KW_WORD),
			 0);
}

static int kw(const char *s, const char *keyword)
{
	const char *p = s;

	return lex_keyword(&p, s + strlen(s), keyword, LEX_KW_WORD);
}

/* A letter or space OCR added, or a letter it lost, is a slip like a
 * misread one; the first letter still anchors, and short words have no
 * slack. */
static void test_lex_keyword__letters_added_or_lost(void **state)
{
	(void)state;
	assert_int_equal(kw("R\xC3\xBC"
			    "ckgeild 1,99",
			    "ruckgeld"),
			 0);
	assert_int_equal(kw("Rückge ld 1,99", "ruckgeld"), 0);
	assert_int_equal(kw("Ruckgld 1,99", "ruckgeld"), 0);
	assert_int_equal(kw("Eickarte 9,90", "ec-karte"), 0);
	assert_true(kw("Ruckgiild 1,99", "ruckgeld") < 0);
	assert_true(kw("ückgeld 1,99", "ruckgeld") < 0);
	assert_true(kw("Baar 5,00", "bar") < 0);
	assert_true(kw("Summen 5,00", "summe") < 0);
}

/* A long keyword's first letter alone may be misread, the rest read
 * exactly; a shorter one, or a second slip, does not match. */
static void test_lex_keyword__long_keyword_first_letter_misread(void **state)
{
	(void)state;
	assert_int_equal(kw("Cesamt EUR 18,92", "gesamt"), 0);
	assert_int_equal(kw("tetrag EUR 33,55", "betrag"), 0);
	assert_int_equal(kw("8etrag 33,55", "betrag"), 0);
	assert_true(kw("Cesant EUR 18,92", "gesamt") < 0);
	assert_true(kw("etrag 33,55", "betrag") < 0);
	assert_true(kw("-etrag 33,55", "betrag") < 0);
	assert_true(kw("Gumme 5,00", "summe") < 0);
	/* A figure for the first letter costs no slip where a slip is
	 * allowed. */
	assert_int_equal(kw("5UMME 28,83", "summe"), 0);
	assert_int_equal(kw("5UMNE 28,83", "summe"), 0);
	assert_true(kw("5UNNE 28,83", "summe") < 0);
	assert_true(kw("5UM 28,83", "sum") < 0);
}

static void test_lex_keyword__short_words_exact_and_whole(void **state)
{
	const char *s = "Bonus", *p = s, *after;

	(void)state;
	assert_true(lex_keyword(&p, s + strlen(s), "bon", LEX_KW_WORD) < 0);
	assert_ptr_equal(p, s);
	s = "Ban";
	assert_true(lex_keyword(&p, s + strlen(s), "bar", 0) < 0);
	s = "ZWISCHENSUMME 5,00";
	assert_null(lex_find_keyword(s, s + strlen(s), "summe", LEX_KW_WORD,
				     &after));
	s = "Zwischen SUMME 5,00";
	assert_non_null(lex_find_keyword(s, s + strlen(s), "summe", LEX_KW_WORD,
					 &after));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_lex_amount__decimal_comma_and_point_read_as_cents),
		cmocka_unit_test(
			test_lex_amount__thousands_separators_either_way),
		cmocka_unit_test(
			test_lex_amount__leading_and_trailing_minus_are_negative),
		cmocka_unit_test(test_lex_amount__currency_prefix_is_read),
		cmocka_unit_test(
			test_lex_amount__letter_O_inside_number_reads_as_zero),
		cmocka_unit_test(test_lex_date__C_before_a_digit_reads_as_zero),
		cmocka_unit_test(
			test_lex_date__euro_before_a_digit_reads_as_zero),
		cmocka_unit_test(test_lex_amount__damaged_cents_and_separators),
		cmocka_unit_test(test_lex_amount__l_I_pipe_read_as_one),
		cmocka_unit_test(test_lex_amount__S_B_Z_only_between_digits),
		cmocka_unit_test(test_lex_amount__letters_before_cents_read),
		cmocka_unit_test(test_lex_amount__stray_space_around_separator),
		cmocka_unit_test(
			test_lex_amount__low_quote_read_as_decimal_comma),
		cmocka_unit_test(
			test_lex_amount__vat_letter_after_cents_not_consumed),
		cmocka_unit_test(
			test_lex_amount__wrong_shapes_refused_and_cursor_kept),
		cmocka_unit_test(test_lex_amount__huge_digit_string_refused),
		cmocka_unit_test(test_lex_date__numeric_forms_day_first),
		cmocka_unit_test(test_lex_date__slashed_month_first),
		cmocka_unit_test(test_lex_date__month_names_english_and_german),
		cmocka_unit_test(
			test_lex_date__stray_figure_before_month_is_no_day),
		cmocka_unit_test(test_lex_date__ocr_letters_inside_digits),
		cmocka_unit_test(test_lex_date__ocr_separator_noise_forgiven),
		cmocka_unit_test(
			test_lex_date__run_together_digits_need_a_time),
		cmocka_unit_test(
			test_lex_date__repaired_year_only_when_asked_and_unique),
		cmocka_unit_test(
			test_lex_date__short_year_followed_by_date_refused),
		cmocka_unit_test(test_lex_date__invalid_calendar_dates_refused),
		cmocka_unit_test(test_lex_time__24h_seconds_and_am_pm),
		cmocka_unit_test(
			test_lex_time__out_of_range_refused_and_cursor_kept),
		cmocka_unit_test(
			test_lex_keyword__case_umlauts_and_one_ocr_error),
		cmocka_unit_test(test_lex_keyword__letters_added_or_lost),
		cmocka_unit_test(
			test_lex_keyword__long_keyword_first_letter_misread),
		cmocka_unit_test(test_lex_keyword__short_words_exact_and_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
