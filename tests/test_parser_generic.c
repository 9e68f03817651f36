/*
 * test_parser_generic.c: the generic parser against the golden OCR-text
 * fixtures in fixtures/text/ (NNN.txt + NNN.expected.json; run from the
 * repository root), plus targeted cases for limits and item kinds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "parser.h"
#include "golden_fx.h"
#include "banned.h"

#define FIXTURE_DIR "fixtures/text"
#define FIXTURE_MIN_COUNT 12

static struct receipt rc_out; /* large: keep it off the test stack */

static int parse(const char *text)
{
	return parser_parse_text(text, strlen(text), &rc_out);
}

/* The total text parses to (it must parse). */
static int64_t total_of(const char *text)
{
	assert_int_equal(parse(text), 0);
	return rc_out.total;
}

static void check_field(json_t *exp, const char *key, const char *got,
			const char *file)
{
	json_t *v = json_object_get(exp, key);

	if (!v)
		return;
	if (json_is_null(v) ? got[0] != '\0'
			    : strcmp(json_string_value(v), got)) {
		print_error("%s: %s is \"%s\", expected %s\n", file, key, got,
			    json_is_null(v) ? "null" : json_string_value(v));
		fail();
	}
}

static void check_items(json_t *exp, const struct receipt *r, const char *file)
{
	json_t *items = json_object_get(exp, "items"), *v;
	size_t i;

	if (!items)
		return;
	if (json_array_size(items) != r->nitems) {
		print_error("%s: %zu items, expected %zu\n", file, r->nitems,
			    json_array_size(items));
		fail();
	}
	json_array_foreach(items, i, v)
		assert_int_equal(r->items[i].amount, json_integer_value(v));
	/* "qty": the items' counts, where the bill prints them. */
	items = json_object_get(exp, "qty");
	json_array_foreach(items, i, v) assert_int_equal(
		r->items[i].qty_milli,
		(int64_t)(1000.0 * json_number_value(v) + 0.5));
}

/* "warning": a text one of the receipt's warnings must contain. */
static void check_warning(json_t *exp, const struct receipt *r,
			  const char *file)
{
	const char *want = json_string_value(json_object_get(exp, "warning"));
	size_t i;

	if (!want)
		return;
	for (i = 0; i < r->nwarnings; i++)
		if (strstr(r->warnings[i], want))
			return;
	print_error("%s: no warning contains \"%s\"\n", file, want);
	fail();
}

static void check_fixture(const char *name, json_t *exp,
			  const struct receipt *r)
{
	json_t *v;

	check_field(exp, "store_name", r->store_name, name);
	check_field(exp, "date", r->date, name);
	check_field(exp, "time", r->time, name);
	check_field(exp, "document", receipt_document_name(r->document), name);
	check_field(exp, "currency", r->currency, name);
	check_field(exp, "receipt_number", r->receipt_number, name);
	if (json_object_get(exp, "total"))
		assert_int_equal(r->total, json_integer_value(json_object_get(
						   exp, "total")));
	check_items(exp, r, name);
	check_warning(exp, r, name);
	if (json_object_get(exp, "payment_amount"))
		assert_int_equal(r->payment.amount,
				 json_integer_value(json_object_get(
					 exp, "payment_amount")));
	v = json_object_get(exp, "max_confidence");
	if (v && r->confidence > json_real_value(v)) {
		print_error("%s: confidence %.2f over %.2f\n", name,
			    r->confidence, json_real_value(v));
		fail();
	}
	v = json_object_get(exp, "min_confidence");
	if (v && r->confidence < json_real_value(v)) {
		print_error("%s: confidence %.2f under %.2f\n", name,
			    r->confidence, json_real_value(v));
		fail();
	}
}

static void test_parser_generic__golden_fixtures_match_expected(void **state)
{
	(void)state;
	assert_true(golden_each(FIXTURE_DIR, &rc_out, check_fixture) >=
		    FIXTURE_MIN_COUNT);
}

static void
test_parser_generic__empty_input_has_unknown_total_and_warning(void **state)
{
	(void)state;
	assert_int_equal(parser_parse_text("", 0, &rc_out), 0);
	assert_true(rc_out.total == RECEIPT_UNKNOWN);
	assert_true(rc_out.nwarnings > 0);
	assert_string_equal(rc_out.store, "generic");
	assert_true(rc_out.confidence < 0.3);
}

static void test_parser_generic__too_large_text_refused(void **state)
{
	size_t len = PARSER_MAX_TEXT + 1;
	char *big = malloc(len);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', len);
	assert_int_equal(parser_parse_text(big, len, &rc_out),
			 PARSER_ERR_TOO_LARGE);
	assert_true(rc_out.total == RECEIPT_UNKNOWN);
	/* One over-long line is refused as well. */
	big[PARSER_MAX_LINE_LEN + 1] = '\0';
	assert_int_equal(parse(big), PARSER_ERR_TOO_LARGE);
	free(big);
}

static void test_parser_generic__too_many_lines_refused(void **state)
{
	size_t len = PARSER_MAX_LINES + 1;
	char *nl = malloc(len);

	(void)state;
	assert_non_null(nl);
	memset(nl, '\n', len);
	assert_int_equal(parser_parse_text(nl, len, &rc_out),
			 PARSER_ERR_TOO_LARGE);
	free(nl);
}

static void test_parser_generic__null_arguments_invalid(void **state)
{
	(void)state;
	assert_int_equal(parser_parse_text(NULL, 3, &rc_out),
			 PARSER_ERR_INVALID);
	assert_int_equal(parser_parse_text("x", 1, NULL), PARSER_ERR_INVALID);
	assert_int_equal(parser_parse_doc(NULL, &rc_out), PARSER_ERR_INVALID);
}

static void test_parser_generic__deposit_return_is_negative(void **state)
{
	(void)state;
	assert_int_equal(parse("MARKT\nCola 1,19\nPfand 0,25\nLeergut 0,50\n"
			       "SUMME 0,94\n01.02.2024\n"),
			 0);
	assert_int_equal(rc_out.nitems, 3);
	assert_int_equal(rc_out.items[1].kind, RECEIPT_DEPOSIT);
	assert_int_equal(rc_out.items[2].amount, -50);
	assert_int_equal(rc_out.items[2].kind, RECEIPT_DEPOSIT_RETURN);
	assert_int_equal(rc_out.total, 94);
	assert_int_equal(rc_out.nwarnings, 0);
}

static void
test_parser_generic__subtotal_and_tax_lines_are_not_items(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nTea 2.00\nSUBTOTAL 2.00\nVAT 0.33\n"
			       "TOTAL 2.00\nCASH 5.00\nCHANGE 3.00\n"),
			 0);
	assert_int_equal(rc_out.nitems, 1);
	assert_int_equal(rc_out.total, 200);
}

static void
test_parser_generic__rounded_total_preferred_over_total(void **state)
{
	(void)state;
	assert_int_equal(parse("KEDAI\nNASI 10.58\nTOTAL 10.58\n"
			       "ROUNDING 0.02\nTOTAL ROUNDED 10.60\n"),
			 0);
	assert_int_equal(rc_out.total, 1060);
}

static void
test_parser_generic__cash_minus_change_fixes_misread_total(void **state)
{
	(void)state;
	/* "60.31" misread; 70.30 - 10.00 agrees with the unlabelled 60.30. */
	assert_int_equal(parse("SHOP\nTOTAL 60.31\nRM 60.30\nCASH 70.30\n"
			       "CHANGE 10.00\n"),
			 0);
	assert_int_equal(rc_out.total, 6030);
}

static void
test_parser_generic__change_line_without_amount_is_not_zero(void **state)
{
	(void)state;
	/* The change's amount was lost: cash tendered is not the total. */
	assert_int_equal(parse("LADEN\nBrot 7,44\nK\xC3\xA4se 10,00\n"
			       "Betrag EUR 17,44\nBar 20,00\nR\xC3\xBC"
			       "ckgeld\n"),
			 0);
	assert_int_equal(rc_out.total, 1744);
	assert_int_equal(parse("LADEN\nBetrag 17,44\nBar 2,56\nR\xC3\xBC"
			       "ckgeld\n"),
			 0);
	assert_int_equal(rc_out.total, 1744);
}

static void test_parser_generic__items_mismatch_warns(void **state)
{
	(void)state;
	assert_int_equal(
		parse("LADEN\nBrot 2,00\nK\xC3\xA4se 10,30\nSUMME 12,34\n"
		      "01.02.2024\n"),
		0);
	assert_int_equal(rc_out.total, 1234);
	assert_int_equal(rc_out.nwarnings, 1);
	assert_string_equal(rc_out.warnings[0],
			    "items sum to 12,30 but total is 12,34");
}

static void
test_parser_generic__no_keyword_guesses_with_low_confidence(void **state)
{
	(void)state;
	assert_int_equal(parse("KIOSK\nA 1,00\nB 2,50\n"), 0);
	assert_int_equal(rc_out.total, 250);
	assert_true(rc_out.nwarnings > 0);
	assert_true(rc_out.confidence < 0.5);
}

static void test_parser_generic__crlf_lines_are_stripped(void **state)
{
	(void)state;
	assert_int_equal(
		parse("CAFE\r\nTee 2,50\r\nSumme 2,50\r\n01.02.2024 10:00\r\n"),
		0);
	assert_string_equal(rc_out.store_name, "CAFE");
	assert_string_equal(rc_out.date, "2024-02-01");
	assert_string_equal(rc_out.currency, "EUR");
	assert_int_equal(rc_out.total, 250);
}

/* OCR noise in a VAT line ("0,22 . 1,38") lexes as 22.1.38; the sale's
 * date is the one with a time beside it. */
static void test_parser_generic__date_with_a_time_wins(void **state)
{
	(void)state;
	assert_int_equal(parse("MARKT\nBrot 1,38 A\nSUMME 1,38\n"
			       "A 19% 1,16 0,22 . 1,38\n"
			       "12.03.2022 12:18 Bon-Nr.: 80094\n"),
			 0);
	assert_string_equal(rc_out.date, "2022-03-12");
	assert_string_equal(rc_out.time, "12:18");
}

/* Opening hours beside the date are the shop's; a till that prints the
 * time at its foot, far below the date, still gives it. */
static void test_parser_generic__opening_hours_are_no_sale_time(void **state)
{
	(void)state;
	assert_int_equal(parse("MARKT\nMo-Sa 08:00 - 20:00 Uhr\n01.02.2026\n"
			       "Milch 1,00\nBrot 2,00\nSUMME 3,00\n"),
			 0);
	assert_string_equal(rc_out.date, "2026-02-01");
	assert_string_equal(rc_out.time, "");
	assert_int_equal(parse("MARKT\n9:00 bis 18:00\n01.02.2026\nMilch 1,00\n"
			       "Brot 2,00\nKase 3,00\nWurst 4,00\nSUMME 10,00\n"
			       "Bar 10,00\n#Kasa 2 Kasjer 9 16:08\n"),
			 0);
	assert_string_equal(rc_out.time, "16:08");
	/* Far from the date, a price misread with a colon is no clock. */
	assert_int_equal(parse("MARKT\n01.02.2026\nMilch 1,00\nBrot 2,00\n"
			       "Kase 3,00\nWurst 4,00\nTee 1,00\nSaft 1,00\n"
			       "Bread 1:35\nSUMME 12,00\n"),
			 0);
	assert_string_equal(rc_out.time, "");
}

/* A date mended on its sale line (with the time) beats a clean date
 * that garbled figures make on a payment line without one. */
static void test_parser_generic__mended_sale_date_beats_stray_date(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nDatur: 09.02.2215 17:28\n"
			       "Summe 6,85\nBar 1.9, 00\n"),
			 0);
	assert_string_equal(rc_out.date, "2015-02-09");
	assert_string_equal(rc_out.time, "17:28");
}

/* Marks read as digits in front of a date ("3530-10-14" for 30-10-14)
 * are skipped where nothing else reads; a date so found is not also
 * mended ("34.11.2919" stays unread rather than become 2019-11-04). */
static void test_parser_generic__date_after_stray_digits(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nDate: 3530-10-14 10:52 AM\n"
			       "TOTAL 9.90\n"),
			 0);
	assert_string_equal(rc_out.date, "2014-10-30");
	assert_int_equal(parse("LADEN\nDatum: 34.11.2919 20:41\n"
			       "Summe 9,90\n"),
			 0);
	assert_string_equal(rc_out.date, "");
	/* Nor a date after stray digits outside the window: "2619-10-81"
	 * is no "19-10-81" of 2081, but 2019-10-01 (of -01 and -31 the
	 * one with a dotted zero misread). */
	{
		const char *t = "LADEN\n2619-10-81 14:21 Bon-Nr. 9592\n"
				"Summe 9,90\n";

		assert_int_equal(parser_parse_text_at(t, strlen(t),
						      "2026-12-01", &rc_out),
				 0);
		assert_string_equal(rc_out.date, "2019-10-01");
	}
}

/* Run-together dates on a date line; the time of an ISO date-time (a
 * TSE block's), not its minutes and seconds. */
static void test_parser_generic__dates_run_together_and_iso(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nBeleg 20200430\nSumme 9,90\n"), 0);
	assert_string_equal(rc_out.date, "");
	assert_int_equal(parse("LADEN\nDatum: 20200430\nSumme 9,90\n"), 0);
	assert_string_equal(rc_out.date, "2020-04-30");
	assert_int_equal(parse("LADEN\nSumme 9,90\n"
			       "TSE-Start: 2020-04-30T12:01:00.000\n"),
			 0);
	assert_string_equal(rc_out.date, "2020-04-30");
	assert_string_equal(rc_out.time, "12:01");
}

static void test_parser_generic__unit_price_line_is_no_item(void **state)
{
	(void)state;
	assert_int_equal(parse("APOTHEKE\n2 * Maske FFP2\n"
			       "08001287 2 9,95 EUR 19,90\n"
			       "Einzelpreis EUR 9,95\nSumme EUR 19,90\n"),
			 0);
	assert_int_equal(rc_out.total, 1990);
	assert_int_equal(rc_out.nitems, 1);
	assert_int_equal(rc_out.items[0].amount, 1990);
}

static void
test_parser_generic__weight_line_attaches_to_item_above(void **state)
{
	(void)state;
	assert_int_equal(parse("MARKT\nBANANEN 1,48 B\n0,874 kg x 1,69 EUR/kg\n"
			       "SUMME 1,48\n"),
			 0);
	assert_int_equal(rc_out.nitems, 1);
	assert_int_equal(rc_out.items[0].qty_milli, 874);
	assert_int_equal(rc_out.items[0].unit_price, 169);
}

/* Weights read with letters for digits, their unit price per kilo after
 * "à", a worn euro sign or a crown: the amount bears each reading out. */
static void test_parser_generic__weight_lines_misread(void **state)
{
	static const struct {
		const char *line;
		int64_t milli, unit;
	} cases[] = {
		{ "   O.482 kg x 1.2O GBP/kg             0.58", 482, 120 },
		{ "   0,8l2 kg x 2,99 C/kg                2,43", 812, 299 },
		{ "   0,412 kg \xC3\xA0 229,00 kr/kg         94,35", 412,
		  22900 },
		{ "   0,356 kg \xC3\xA0 kr 399,00/kg        142,04", 356,
		  39900 },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "MARKT\n14.03.2026\nBananen\n%s\nSUMME   9,99\n",
			 cases[i].line);
		assert_int_equal(parse(text), 0);
		assert_int_equal(rc_out.nitems, 1);
		assert_string_equal(rc_out.items[0].name, "Bananen");
		assert_int_equal(rc_out.items[0].qty_milli, cases[i].milli);
		assert_int_equal(rc_out.items[0].unit_price, cases[i].unit);
	}
	/* A volume's "à" is a glass's price: "Helles 0,5l à 4,60". */
	assert_int_equal(parse("GASTHOF\n14.03.2026\n"
			       "Helles 0,5l \xC3\xA0 4,60       9,20\n"
			       "SUMME   9,20\n"),
			 0);
	assert_int_equal(rc_out.items[0].qty_milli, 1000);
}

/* A faded total line (5 read as 3) with a card line that agrees with the
 * VAT table once its misread digits (0 as 9, 6 as 8) are mended: card
 * and table together outvote the total line. The card alone does not. */
#define VAT_CASE_HEAD "LADEN\nBrot 9,99 B\nGesamt EUR 3,61\nEC-Karte 5,61\n"
static void test_parser_generic__card_and_vat_table_mend_total(void **state)
{
	(void)state;
	assert_int_equal(parse(VAT_CASE_HEAD "MwSt Netto MwSt Brutto\n"
					     "A 19% 9,63 9,12 9,75\n"
					     "B 7% 4,54 9,32 4,88\n"),
			 0);
	assert_int_equal(rc_out.total, 561);
	assert_string_equal(rc_out.warnings[0],
			    "total printed as 3.61 read as 5.61: payment, "
			    "items, VAT table or subtotal agree");
	assert_int_equal(parse(VAT_CASE_HEAD), 0);
	assert_int_equal(rc_out.total, 361);
	/* A table that fits no single reading is no evidence. */
	assert_int_equal(parse(VAT_CASE_HEAD "A 19% 9,63 5,55 9,75\n"), 0);
	assert_int_equal(rc_out.total, 361);
}

/* Items that add up to no reading, but to one of them with a single
 * item misread by a confusable digit ("-1.90" for -1.00), back that one:
 * here the total line against a subtotal and card payment misread alike.
 * Where the misread item could explain two readings, neither is backed. */
static void test_parser_generic__one_misread_item_backs_total(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nEggs 1.89\nCoffee 29.98\n"
			       "Discount -1.90\nSUBTOTAL 39.87\n"
			       "Total 30.87\nMASTERCARD 39.87\n"),
			 0);
	assert_int_equal(rc_out.total, 3087);
	/* The card and the items, one misread, outvote two total lines. */
	assert_int_equal(parse("SHOP\nMilk 1.26\nCheese 3.25\nChoc 1.70\n"
			       "SUBTOTAL 6.18\nAmount due 6.18\n"
			       "MASTERCARD 6.15\n"),
			 0);
	assert_int_equal(rc_out.total, 615);
	/* Without the items' backing the card alone does not. */
	assert_int_equal(parse("SHOP\nMilk 1.26\nCheese 3.25\nChoc 2.70\n"
			       "SUBTOTAL 6.18\nAmount due 6.18\n"
			       "MASTERCARD 6.15\n"),
			 0);
	assert_int_equal(rc_out.total, 618);
	/* 2.80 for 2.60 gives the total line, 6.84 for 5.84 cash minus
	 * change: the items back neither, the total line stands. */
	assert_int_equal(parse("SHOP\nWurst 6.84\nKaffee 2.80\n"
			       "Kuchen 2.80\nBrot 17.65\nSumme 29.89\n"
			       "Bar 29.89\nRueckgeld 0.80\n"),
			 0);
	assert_int_equal(rc_out.total, 2989);
}

/* With no figure on the total line, a card payment read alone one
 * confusable digit off a subtotal that the items add up to is the misread
 * reading; a subtotal the items do not confirm does not outvote it. */
static void test_parser_generic__items_and_subtotal_outvote_card(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nMilk 1.20\nCheese 31.36\n"
			       "SUBTOTAL 32.56\nTotal\nMASTERCARD 32.66\n"),
			 0);
	assert_int_equal(rc_out.total, 3256);
	assert_int_equal(parse("SHOP\nMilk 1.20\nCheese 31.46\n"
			       "SUBTOTAL 32.56\nTotal\nMASTERCARD 32.66\n"),
			 0);
	assert_int_equal(rc_out.total, 3266);
}

/* A total read with 6, 8 or 9 where another line prints zeros was
 * printed with the zeros when that line has as many readings behind it
 * (subtotal and items against total line and card), not when fewer
 * (a subtotal alone against a total that cash paid confirms). */
static void test_parser_generic__dotted_zeros_mend_total(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nBagels 4.50\nBread 14.50\n"
			       "SUBTOTAL 19.00\nTotal 19.06\nVISA 19.06\n"),
			 0);
	assert_int_equal(rc_out.total, 1900);
	assert_int_equal(parse("SHOP\nBagels 4.50\nBread 4.50\n"
			       "SUB-TOTAL 13.00\nTOTAL 13.80\nCASH 13.80\n"
			       "CHANGE 0.00\n"),
			 0);
	assert_int_equal(rc_out.total, 1380);
	assert_int_equal(parse("SHOP\nBagels 4.50\nBread 14.50\n"
			       "SUBTOTAL 19.00\nTotal 19.36\nVISA 19.36\n"),
			 0);
	assert_int_equal(rc_out.total, 1936);
	/* A total line and a card line, one reading each: the zeros. */
	assert_int_equal(parse("LADEN\nBrot 20,00\nKaese 14,12\n"
			       "Betrag EUR 45,90\nEC-Karte 45,96\n"),
			 0);
	assert_int_equal(rc_out.total, 4590);
}

/* Change with its zeros read as 6, 8 or 9: cash minus the change as
 * printed is the subtotal, where no total keyword was read. */
static void test_parser_generic__dotted_zeros_in_change(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nBananas 0.36\nChocolate Bar 0.85\n"
			       "SUBTOTAL 3.50\nAmount clue 3.56\nCASH 5.00\n"
			       "CHANGE 1.56\n"),
			 0);
	assert_int_equal(rc_out.total, 350);
	/* No zero in the subtotal's place: cash minus change stands. */
	assert_int_equal(parse("SHOP\nBananas 0.36\nChocolate Bar 0.85\n"
			       "SUBTOTAL 3.50\nAmount clue 3.56\nCASH 5.00\n"
			       "CHANGE 1.66\n"),
			 0);
	assert_int_equal(rc_out.total, 334);
}

/* A VAT table of two rows that add up outvotes a keyword total nothing
 * else backs; one row may be all that was read of a table, and a printed
 * difference (a voucher) makes the two different figures. */
static void test_parser_generic__vat_table_outvotes_lone_total(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nZahnpasta 2,90 A\nTomaten 4,60 B\n"
			       "Kaffee 5,49 B\nSUMME EUR 2,98\n"
			       "MwSt Netto MwSt Brutto\nA 19% 3,82 0,73 4,55\n"
			       "B 7% 16,49 1,15 17,64\n"),
			 0);
	assert_int_equal(rc_out.total, 2219);
	assert_int_equal(parse("LADEN\nZahnpasta 2,90 A\nTomaten 4,60 B\n"
			       "Kaffee 5,49 B\nSUMME EUR 2,98\n"
			       "MwSt Netto MwSt Brutto\n"
			       "B 7% 16,49 1,15 17,64\n"),
			 0);
	assert_int_equal(rc_out.total, 298);
	/* A row whose rate was misread ("13%" for 19%) counts where its
	 * figures add up. */
	assert_int_equal(total_of("LADEN\nSaft 4,47 A\nKaese 13,58 B\n"
				  "SUMME EUR 18,50\nEC-Karte 13,00\n"
				  "MwSt Netto MwSt Brutto\n"
				  "A 13% 3,76 0,71 4,47\n"
				  "B 7% 12,64 0,89 13,53\n"),
			 1800);
	assert_int_equal(total_of("LADEN\nSaft 4,47 A\nKaese 13,58 B\n"
				  "SUMME EUR 18,50\nEC-Karte 13,00\n"
				  "MwSt Netto MwSt Brutto\n"
				  "A 13% 3,76 0,71 4,48\n"
				  "B 7% 12,64 0,89 13,53\n"),
			 1850);
	assert_int_equal(parse("LADEN\nZahnpasta 2,90 A\nTomaten 4,60 B\n"
			       "Kaffee 5,49 B\nGutschein -19,21\n"
			       "SUMME EUR 2,98\n"
			       "MwSt Netto MwSt Brutto\nA 19% 3,82 0,73 4,55\n"
			       "B 7% 16,49 1,15 17,64\n"),
			 0);
	assert_int_equal(rc_out.total, 298);
}

/* A total rounded to 5 cents that is no multiple of 5 is misread: its
 * reading with dotted zeros that is one and a rounding off the subtotal
 * is the total ("ROUNDED TOTAL 49.66" over "SUBTOTAL 49.59"). */
static void test_parser_generic__rounded_total_with_dotted_zeros(void **state)
{
	(void)state;
	assert_int_equal(total_of("SHOP\nEggs 4.60\nRice 44.99\n"
				  "SUBTOTAL 49.59\nROUNDING ADJ 0.0]\n"
				  "ROUNDED TOTAL (RM) 49.66\nCASH 50.06\n"
				  "CHANGE 0.40\n"),
			 4960);
	/* 49.68 has no such reading near the subtotal: 49.60 is 1 cent
	 * too far from 49.57. */
	assert_int_equal(total_of("SHOP\nEggs 4.60\nRice 44.97\n"
				  "SUBTOTAL 49.57\nROUNDING ADJ 0.0]\n"
				  "ROUNDED TOTAL (RM) 49.68\n"),
			 4968);
}

/* The subtotal plus its printed rounding adjustment is a second reading
 * of what was paid: it backs a card line against a rounded total that
 * both contradict, two digits misread or not ("TOTAL ROUNDED RM 09.95"
 * with "SUBTOTAL 80.94 / ROUNDING ADJ 0.01 / VISA 80.95"). */
static void test_parser_generic__subtotal_and_rounding_back_card(void **state)
{
	(void)state;
	assert_int_equal(total_of("SHOP\nRice 21.50\nOil 59.52\n"
				  "SUBTOTAL 80.94\nROUNDING ADJ 0.01\n"
				  "TOTAL ROUNDED RM 09.95\nVISA 80.95\n"),
			 8095);
	assert_int_equal(total_of("SHOP\nRice 21.50\nOil 59.52\n"
				  "SUBTOTAL 80.94\nROUNDING ADJ 0.02\n"
				  "TOTAL ROUNDED RM 09.95\nVISA 80.95\n"),
			 995);
}

/* The subtotal plus its rounding adjustment, one confusable digit off
 * the rounded total that nothing else backs, is what the total line
 * printed ("SUBTOTAL 70.84 / ROUNDING ADJ 0.01 / TOTAL ROUNDED 79.85"),
 * as is one that lost its first digit; any distance off, where the
 * rounded total is no multiple of 5 and the items add up to the
 * subtotal; and in place of a rounded total that gave no figure. */
static void test_parser_generic__subtotal_and_rounding_mend_total(void **state)
{
	(void)state;
	assert_int_equal(total_of("SHOP\nRice 21.50\nOil 10.05\n"
				  "SUBTOTAL 70.84\nROUNDING ADJ 0.01\n"
				  "TOTAL ROUNDED 79.85\n"),
			 7085);
	/* Its first digit lost, though the items add up to the subtotal. */
	assert_int_equal(total_of("SHOP\nRice 43.00\nEggs 24.56\n"
				  "SUBTOTAL 67.56\nROUNDING ADJ -0.01\n"
				  "TOTAL ROUNDED RM 7.55\n"),
			 6755);
	/* Two digits off: the total line stands. */
	assert_int_equal(total_of("SHOP\nRice 21.50\nOil 10.05\n"
				  "SUBTOTAL 70.84\nROUNDING ADJ 0.01\n"
				  "TOTAL ROUNDED 79.35\n"),
			 7935);
	assert_int_equal(total_of("SHOP\nRice 43.00\nPen 1.50\nOil 20.54\n"
				  "SUBTOTAL 65.04\nROUNDING ADJ 0.01\n"
				  "ROUNDED TOTAL (RM) 63.97\n"),
			 6505);
	/* The rounded total's figure unread: the subtotal plus its
	 * adjustment outranks cash minus change, the cash misread; without
	 * the adjustment that is all there is. */
	assert_int_equal(total_of("SHOP\nRice 43.00\nPen 1.50\nOil 20.54\n"
				  "SUBTOTAL 106.99\nROUNDING ADJ 0.01\n"
				  "TOTAL ROUNDED RM 1.07.00\nCASH 197,00\n"
				  "CHANGE 0.90\n"),
			 10700);
	assert_int_equal(total_of("SHOP\nRice 43.00\nPen 1.50\nOil 20.54\n"
				  "SUBTOTAL 106.99\n"
				  "TOTAL ROUNDED RM 1.07.00\nCASH 197,00\n"
				  "CHANGE 0.90\n"),
			 19610);
	/* The items do not give the subtotal. */
	assert_int_equal(total_of("SHOP\nRice 43.00\nPen 1.50\nOil 20.64\n"
				  "SUBTOTAL 65.04\nROUNDING ADJ 0.01\n"
				  "ROUNDED TOTAL (RM) 63.97\n"),
			 6397);
}

/* Faded print loses strokes: where the card line and a total line that
 * nothing else backs differ in one digit, a 3 against an 8 or a 1
 * against a 7, the one with more ink was printed ("Summe 35,12 /
 * EC-Karte 35,72"); the other way round the total line stands. */
static void test_parser_generic__card_keeps_the_ink(void **state)
{
	(void)state;
	assert_int_equal(total_of("LADEN\nBrot 2,60\nKaese 16,59\n"
				  "Summe 35,12\nEC-Karte 35,72\n"),
			 3572);
	assert_int_equal(total_of("LADEN\nBrot 2,60\nKaese 16,59\n"
				  "Summe 45,33\nEC-Karte 45,83\n"),
			 4583);
	assert_int_equal(total_of("LADEN\nBrot 2,60\nKaese 16,59\n"
				  "Summe 35,72\nEC-Karte 35,12\n"),
			 3572);
}

/* With no total keyword read, cash in whole units and the change under
 * it give what was paid where a line just above prints it; otherwise the
 * largest amount is guessed. */
static void test_parser_generic__unlabelled_cash_and_change(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nBrot 2,46\nKaese 24,00\n"
			       "Sumrie 26,46\nBar 50,00\nrRueckgein 23,54\n"),
			 0);
	assert_int_equal(rc_out.total, 2646);
	assert_int_equal(parse("LADEN\nBrot 2,46\nKaese 24,00\n"
			       "Sumrie 26,46\nBar 50,10\nrRueckgein 23,64\n"),
			 0);
	assert_int_equal(rc_out.total, 5010);
}

/* Cash is handed over in round sums: "Bar 109,00" that gives the total
 * line's figure as 100,00 was misread, and backs the total line against
 * items a misread weight line put off by the same 9,00. Cash that no
 * round sum explains backs what it gives. */
static void test_parser_generic__round_cash_backs_total(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nWurst 19,05\nBrot 51,52\n"
			       "Summe 61,57\nBar 109,00\nRueckgeld 38,43\n"),
			 0);
	assert_int_equal(rc_out.total, 6157);
	assert_int_equal(parse("LADEN\nWurst 19,05\nBrot 51,52\n"
			       "Summe 61,57\nBar 72,00\nRueckgeld 1,43\n"),
			 0);
	assert_int_equal(rc_out.total, 7057);
}

/* A currency sign read as a digit ("$19.82" as "219.82"), or a speck
 * inside the figure: the subtotal or payment prints the figure without
 * it. A real difference, printed on a tax line, keeps the total line's
 * reading. */
static void test_parser_generic__stray_lead_digit_on_total_dropped(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nBread 4.00\nMilk 1.50\n"
			       "SUBTOTAL 19.82\nAmount due 219.82\n"),
			 0);
	assert_int_equal(rc_out.total, 1982);
	assert_non_null(rc_out.warnings[0]);
	assert_int_equal(parse("SHOP\nBread 4.00\nSUBTOTAL 19.82\n"
			       "Tax 200.00\nAmount due 219.82\n"),
			 0);
	assert_int_equal(rc_out.total, 21982);
	/* Only the items give the figure without it. */
	assert_int_equal(parse("SHOP\nBread 4.00\nMilk 6.72\n"
			       "SUBTOTAL 19.72\nTotal 310.72\n"),
			 0);
	assert_int_equal(rc_out.total, 1072);
	/* Or only what was paid, unless a line prints the difference: a
	 * gift card paid that part. */
	assert_int_equal(parse("SHOP\nBread 4.00\nTotal 310.72\n"
			       "CASH 20.00\nCHANGE 9.28\n"),
			 0);
	assert_int_equal(rc_out.total, 1072);
	assert_int_equal(parse("SHOP\nBread 4.00\nTotal 110.72\n"
			       "Gift card 100.00\nCASH 20.00\nCHANGE 9.28\n"),
			 0);
	assert_int_equal(rc_out.total, 11072);
	/* More than one stray digit is not a currency sign. */
	assert_int_equal(parse("SHOP\nBread 4.00\nSUBTOTAL 9.82\n"
			       "Amount due 219.82\n"),
			 0);
	assert_int_equal(rc_out.total, 21982);
	/* A speck read as a digit inside the figure, where the card or
	 * cash minus change gives it without ("292,26" for 29,26). */
	assert_int_equal(parse("Markt\nBrot 14,14\nKaese 15,00\n"
			       "SUMME EUR 292,26\nEC-Karte 29,26\n"),
			 0);
	assert_int_equal(rc_out.total, 2926);
	assert_int_equal(
		parse("Markt\nBrot 14,14\nKaese 15,00\n"
		      "SUMME EUR 292,26\nBar 50,00\nRueckgeld 20,74\n"),
		0);
	assert_int_equal(rc_out.total, 2926);
}

/* "Betrag" with a misread cash line under it: cash minus change, two
 * readings with nothing to back them, does not outvote the total line. */
static void test_parser_generic__unbacked_cash_minus_change_yields(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nBetrag EUR 43,91\nBar 43,21\n"
			       "R\xC3\xBC"
			       "ckgeld 0,02\n"),
			 0);
	assert_int_equal(rc_out.total, 4391);
	assert_true(rc_out.nwarnings >= 1);
}

/* The card and the subtotal print one figure, the total line one
 * confusable digit off it; a rounding line that prints 0.00 does not
 * explain the difference, one that lost its figure does. */
static void test_parser_generic__card_and_subtotal_mend_total(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nSoap 32.85\nPen 2.35\n"
			       "SUBTOTAL 55.20\nROUNDING ADJ 0.00\n"
			       "TOTAL ROUNDED 55.29\nVISA 55.20\n"),
			 0);
	assert_int_equal(rc_out.total, 5520);
	assert_int_equal(parse("SHOP\nSoap 32.85\nPen 2.35\n"
			       "SUBTOTAL 55.20\nROUNDING ADJ\n"
			       "TOTAL ROUNDED 55.29\nVISA 55.20\n"),
			 0);
	assert_int_equal(rc_out.total, 5529);
}

/* "Total 526.95" with the card's 26.95: a currency sign read as a
 * digit. */
static void test_parser_generic__card_drops_stray_lead_digit(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nBread 4.00\nCheese 21.95\n"
			       "Total 526.95\nMASTERCARD 26.95\n"),
			 0);
	assert_int_equal(rc_out.total, 2695);
}

/* "Betrag 12,60" with the card's "12,00" a line above its label: the
 * items add up to the figure printed below them, one confusable digit
 * from the total line's. Without that second print the total line
 * stands. */
static void test_parser_generic__printed_items_sum_mends_total(void **state)
{
	(void)state;
	assert_int_equal(parse("BAECKEREI\nApfelkuchen 7,80\nBrot 4,20\n"
			       "Betrag EUR 12,60\n12,00\nEC-Karte\n"),
			 0);
	assert_int_equal(rc_out.total, 1200);
	assert_int_equal(parse("BAECKEREI\nApfelkuchen 7,80\nBrot 4,20\n"
			       "Betrag EUR 12,60\nEC-Karte\n"),
			 0);
	assert_int_equal(rc_out.total, 1260);
}

/* Items and card agree: they outvote a total line that misread a digit
 * OCR rarely confuses (3 for 1). Without a total line the item list ends
 * at the subtotal, so that the card below it counts. */
static void test_parser_generic__items_and_card_outvote_total(void **state)
{
	(void)state;
	assert_int_equal(parse("DELI\nCheddar 9.75\nBread 12.37\n"
			       "TOTAL 22.32\nMASTERCARD 22.12\n"),
			 0);
	assert_int_equal(rc_out.total, 2212);
	assert_int_equal(parse("DELI\nCheddar 9.75\nBread 12.37\n"
			       "SUBTOTAL 22.32\nMASTERCARD 22.12\n"),
			 0);
	assert_int_equal(rc_out.total, 2212);
	/* The items alone: the total line stands. */
	assert_int_equal(parse("DELI\nCheddar 9.75\nBread 12.37\n"
			       "TOTAL 22.32\n"),
			 0);
	assert_int_equal(rc_out.total, 2232);
}

/* An item amount one confusable digit off its quantity line's product
 * is mended to it, with the quantity line above (bakery) or below
 * (supermarket): then the items back the total line against a misread
 * cash payment. Where the items on both sides of the quantity line are
 * one digit off, neither is mended. */
static void test_parser_generic__quantity_line_mends_item_amount(void **state)
{
	(void)state;
	assert_int_equal(parse("BAECKEREI\n3x0,45\nBroetchen 1,35\n3x 4,20\n"
			       "Bauernbrot 12,69\nBetrag EUR 13,95\n"
			       "Bar 20,09\nRueckgeld 6,05\n"),
			 0);
	assert_int_equal(rc_out.total, 1395);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.items[1].amount, 1260);
	assert_int_equal(rc_out.items[1].qty_milli, 3000);
	assert_int_equal(rc_out.items[1].unit_price, 420);
	assert_int_equal(parse("MARKT\nMilch 1,19\nBrot 8,87\n3 Stk x 1,29\n"
			       "SUMME 5,06\n"),
			 0);
	assert_int_equal(rc_out.items[1].amount, 387);
	assert_int_equal(rc_out.items[1].qty_milli, 3000);
	assert_int_equal(parse("MARKT\nWurst 3,81\n3 Stk x 1,29\n"
			       "Kaese 3,37\nSUMME 7,18\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 381);
	assert_int_equal(rc_out.items[1].amount, 337);
}

/* The quantity and the amount on one line: with a count of two or more
 * the amount is what was misread (a misread unit price would move the
 * product in more digits); with a count of one or a weight either may
 * be, and the line stands as printed. */
static void test_parser_generic__counted_line_mends_its_amount(void **state)
{
	(void)state;
	assert_int_equal(parse("KEDAI\nMINYAK 2KG\n4 @ 10.95 43.86\n"
			       "GULA 1KG 2.85\nTOTAL 46.65\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 4380);
	assert_int_equal(rc_out.items[0].qty_milli, 4000);
	assert_int_equal(rc_out.items[0].unit_price, 1095);
	assert_int_equal(parse("KEDAI\nMINYAK 2KG\n1 @ 10.95 10.96\n"
			       "TOTAL 10.96\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 1096);
	assert_int_equal(parse("MARKT\nTomaten 0,393 kg x 3,49 1,31\n"
			       "SUMME 1,31\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 131);
}

/* A DIY store prints the article number and name on one line and the
 * count, unit price and amount below: the name is the line above, article
 * number and all, not the count ("1.000 STK"). */
static void test_parser_generic__count_line_takes_name_above(void **state)
{
	(void)state;
	assert_int_equal(parse("BAUMARKT\n4006825607727 Spindelmaeher\n"
			       "1.000 STK 49.99 19\n2 St 4.98\n"
			       "SUMME EUR 54.97\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_string_equal(rc_out.items[0].name,
			    "4006825607727 Spindelmaeher");
	assert_int_equal(rc_out.items[0].amount, 4999);
	/* With no name above, the count stands as the name. */
	assert_string_equal(rc_out.items[1].name, "2 St");
}

/* Item k of rc_out: its name, quantity (thousandths), unit price and
 * amount. */
static void assert_item(size_t k, const char *name, int64_t qty_milli,
			int64_t unit, int64_t amount)
{
	assert_true(k < rc_out.nitems);
	assert_string_equal(rc_out.items[k].name, name);
	assert_int_equal(rc_out.items[k].qty_milli, qty_milli);
	assert_int_equal(rc_out.items[k].unit_price, unit);
	assert_int_equal(rc_out.items[k].amount, amount);
}

/* A pharmacy prints the count before the name and the amount below it:
 * "2 * " is the quantity, not part of the name. */
static void test_parser_generic__count_before_the_name(void **state)
{
	(void)state;
	assert_int_equal(parse("APOTHEKE\n2 * Atemschutzmaske FFP2\n"
			       "08001287 EUR 19,90\nSumme EUR 19,90\n"),
			 0);
	assert_int_equal(rc_out.nitems, 1);
	assert_item(0, "Atemschutzmaske FFP2", 2000, 995, 1990);
}

/* A café or a pizzeria prints the count before the name on the item's
 * own line: a punch card counts it. A count that does not divide the
 * amount ("10 Eier" at 2,99) is part of the name or a misread. */
static void test_parser_generic__count_before_the_name_same_line(void **state)
{
	(void)state;
	assert_int_equal(parse("CAFE\n2 x Kaffee 5,00\n"
			       "2 x Pizza Margherita \xc3\xa0 8,50 17,00\n"
			       "1 x Wasser 1,50\n10 Eier 2,99\n"
			       "2 x Tee 3,01\nSumme EUR 29,50\n"),
			 0);
	assert_int_equal(rc_out.nitems, 5);
	assert_item(0, "Kaffee", 2000, 250, 500);
	assert_item(1, "Pizza Margherita", 2000, 850, 1700);
	assert_item(2, "Wasser", 1000, 150, 150);
	assert_item(3, "10 Eier", 1000, 299, 299);
	/* A misread amount: the count stays in the name, unsure. */
	assert_item(4, "2 x Tee", 1000, 301, 301);
}

/* A total line that lost its first digit, where the items, cash minus
 * change and the VAT table give 22,19: the cash is not taken for a
 * misread 30,00 to fit 2,19. */
static void
test_parser_generic__items_and_change_outvote_lost_digit(void **state)
{
	(void)state;
	assert_int_equal(parse("Markt\nBrot 10,00 B\nMilch 12,19 B\n"
			       "SUMME EUR 2,19\nBar 50,00\nRückgeld 27,81\n"
			       "B 7% 20,74 1,45 22,19\n04.08.17\n"),
			 0);
	assert_int_equal(rc_out.total, 2219);
	assert_int_equal(rc_out.payment.amount, 5000);
}

/* Total words beyond TOTAL and SUMME end the items, which then agree. */
static void test_parser_generic__other_total_words(void **state)
{
	static const char *const words[] = { "Endbetrag", "Rechnungsbetrag",
					     "To Pay" };
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		snprintf(text, sizeof(text),
			 "Shop\n12.03.2024\nTea 2,34\nCake 10,00\n"
			 "%s 12,34\nBar 20,00\nRueckgeld 7,66\n",
			 words[i]);
		assert_int_equal(parse(text), 0);
		assert_int_equal(rc_out.total, 1234);
		assert_int_equal(rc_out.nitems, 2);
		assert_int_equal(rc_out.nwarnings, 0);
	}
}

/* total_backed_by names the printed figures that agree with the total:
 * the ledger sends a total none backs to review when it is unsure. */
static void test_parser_generic__total_backing_names_what_agrees(void **s)
{
	json_t *j;

	(void)s;
	assert_int_equal(parse("Shop\nTea 2,34\nCake 10,00\nSumme 12,34\n"
			       "Bar 20,00\nRueckgeld 7,66\n"),
			 0);
	assert_int_equal(rc_out.backed,
			 RECEIPT_BACKED_ITEMS | RECEIPT_BACKED_PAYMENT);
	j = receipt_to_json(&rc_out);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(j, "total_backed_by"), 1)),
			    "payment");
	json_decref(j);
	assert_int_equal(parse("Shop\nTea 2,34\nCake 10,00\nSumme 12,39\n"
			       "EC-Karte 12,39\n"),
			 0);
	assert_int_equal(rc_out.backed, RECEIPT_BACKED_PAYMENT);
	assert_int_equal(parse("Shop\nTea 2,34\nCake 10,00\nSumme 12,39\n"), 0);
	assert_int_equal(rc_out.total, 1239);
	assert_int_equal(rc_out.backed, 0);
	assert_int_equal(parse("Shop\nTea 2,34\n"), 0);
	assert_int_equal(rc_out.backed, 0);
	/* No total line: cash minus change is the total's one reading,
	 * which the items it disagrees with do not back. */
	assert_int_equal(parse("Shop\nTea 2,34 B\nCake 12,00 B\n"
			       "Gegeben Bar 50,00\nRueckgeld 7,66\n"),
			 0);
	assert_int_equal(rc_out.total, 4234);
	assert_int_equal(rc_out.backed, 0);
	assert_true(rc_out.confidence < 0.5);
}

/* What the ledger credits by survives the stored JSON form (a review
 * credits from it). */
static void test_parser_generic__receipt_json_reads_back(void **s)
{
	static struct receipt back;
	json_t *j;

	(void)s;
	assert_int_equal(parse("Markt\n12.03.2024 10:15\nBananen 1,10 B\n"
			       "0,552 kg x 1,99 EUR/kg\nPfand 0,25 A\n"
			       "Leergut -0,50 A\nSumme 0,85\n"),
			 0);
	j = receipt_to_json(&rc_out);
	assert_int_equal(receipt_from_json(j, &back), 0);
	assert_string_equal(back.store, rc_out.store);
	assert_string_equal(back.date, "2024-03-12");
	assert_string_equal(back.time, "10:15");
	assert_int_equal(back.total, 85);
	assert_int_equal(back.nitems, 3);
	assert_int_equal(rc_out.nitems, 3);
	for (size_t i = 0; i < back.nitems; i++) {
		assert_string_equal(back.items[i].name, rc_out.items[i].name);
		assert_int_equal(back.items[i].amount, rc_out.items[i].amount);
		assert_int_equal(back.items[i].qty_milli,
				 rc_out.items[i].qty_milli);
		assert_int_equal(back.items[i].kind, rc_out.items[i].kind);
		assert_int_equal(back.items[i].vat_class,
				 rc_out.items[i].vat_class);
	}
	json_object_set_new(j, "total", json_string("12"));
	assert_int_equal(receipt_from_json(j, &back), -1);
	json_decref(j);
}

/* A figure the name prints ("PFAND 0,25 EURO") stays in the name where a
 * word follows it; figures with no word between are columns ("1 10.00
 * 10.00": count, unit price, amount). */
static void test_parser_generic__figure_inside_a_name(void **state)
{
	(void)state;
	assert_int_equal(parse("MARKT\nPILS 0,70 A\nPFAND 0,25 EURO 0,50 A\n"
			       "SUMME EUR 1,20\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_string_equal(rc_out.items[1].name, "PFAND 0,25 EURO");
	assert_int_equal(rc_out.items[1].amount, 50);
	assert_int_equal(rc_out.items[1].kind, RECEIPT_DEPOSIT);
	assert_int_equal(parse("SHOP\nCABLE 2 10.00 20.00\nTOTAL 20.00\n"), 0);
	assert_string_equal(rc_out.items[0].name, "CABLE");
	assert_int_equal(rc_out.items[0].qty_milli, 2000);
}

/* "Bar" is cash where it starts the line (a stray mark or a payment word
 * before it aside), and part of a name after one ("Chocolate Bar"). */
static void test_parser_generic__bar_after_a_name_is_no_cash(void **state)
{
	(void)state;
	assert_int_equal(parse("SHOP\nChocolate Bar 0.85\nTea 1.20\n"
			       "TOTAL 2.05\nCASH 5.00\nCHANGE 2.95\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_string_equal(rc_out.items[0].name, "Chocolate Bar");
	assert_int_equal(rc_out.payment.amount, 500);
	assert_int_equal(parse("LADEN\nMilch 1,19\nBrot 2,00\nSUMME 3,19\n"
			       "3 Bar 5,00\nRueckgeld 1,81\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.payment.amount, 500);
	assert_int_equal(parse("LADEN\nMilch 1,19\nBrot 2,00\nSUMME 3,19\n"
			       "Zahlung Bar 5,00\nRueckgeld 1,81\n"),
			 0);
	assert_int_equal(rc_out.payment.amount, 500);
	assert_string_equal(rc_out.payment.method, "cash");
	/* A name with a figure misread in it still names. */
	assert_int_equal(parse("WHOLE FOODS\nBANANAS 1.52\nH0T BAR 13.63 T\n"
			       "TOTAL 15.15\nVISA 15.15\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.items[1].amount, 1363);
}

/* A subtotal the items add up to outranks cash minus change that nothing
 * prints, where the total line's figure is lost ("$i9.43"). */
static void test_parser_generic__items_and_subtotal_outrank_cash(void **state)
{
	(void)state;
	assert_int_equal(parse("DELI\nCheddar 9.75\nBread 0.68\n"
			       "SUBTOTAL 10.43\nBALANCE DUE $i9.43\n"
			       "CASH 20.00\nCHANGE 9.67\n"),
			 0);
	assert_int_equal(rc_out.total, 1043);
}

/* The total line's keyword misread ("SIEHE" for SUMME): its figure is the
 * VAT table's gross sum, which outranks a misread cash line; the cash and
 * change lines are no items. */
static void test_parser_generic__vat_sum_printed_is_the_total(void **state)
{
	(void)state;
	assert_int_equal(parse("LADEN\nZahnpasta 6,29 A\nKaffee 33,23 B\n"
			       "SIEHE EUR 39,52\nBar 50,80\n"
			       "R\xC3\xBC"
			       "ckgeld 10,48\n"
			       "A 19% 5,29 1,00 6,29\nB 7% 31,06 2,17 33,23\n"),
			 0);
	assert_int_equal(rc_out.total, 3952);
	for (size_t i = 0; i < rc_out.nitems; i++)
		assert_true(rc_out.items[i].amount != 5080 &&
			    rc_out.items[i].amount != 1048);
}

/* The total keyword misread ("mount due" for Amount due): the subtotal's
 * figure printed again below it is the total, over cash minus a change
 * misread by a digit (13.23 for 18.23), where the items (one misread)
 * back neither. */
static void
test_parser_generic__subtotal_printed_again_is_the_total(void **state)
{
	(void)state;
	assert_int_equal(parse("STORES\nBaked Beans 0.65\nTeabags 4.98\n"
			       "Ground Coffee 15.96\nBagels 9.68\n"
			       "SUBTOTAL 31.77\nmount due \xC2\xA3"
			       "31.77\n"
			       "CASH 50.00\nCHANGE 13.23\n"),
			 0);
	assert_int_equal(rc_out.total, 3177);
}

/* No total keyword read ("Casanit" for Gesamt): the last line whose
 * amount is the sum of the three items above it is the total line, not
 * an item, and outranks a misread cash payment. */
static void
test_parser_generic__line_summing_the_items_is_the_total(void **state)
{
	(void)state;
	assert_int_equal(parse("BAECKEREI\nFleischwurst 6,82\nBroetchen 0,45\n"
			       "Croissant 1,20\nCasanit EUR 8,47\nBar 19,00\n"
			       "R\xC3\xBC"
			       "ckgeld 1,53\n"),
			 0);
	assert_int_equal(rc_out.total, 847);
	assert_int_equal(rc_out.nitems, 3);
	/* Two items: a third that is their sum may be an item. */
	assert_int_equal(parse("BAECKEREI\nBroetchen 0,45\nCroissant 1,20\n"
			       "Kuchen 1,65\n"),
			 0);
	assert_int_equal(rc_out.nitems, 3);
}

/* A rounded total that is no multiple of 5 sen is misread: the card
 * payment one confusable digit off it, which is one, overrules it alone.
 * An unrounded total line is not doubted for its last digit (unless
 * the card prints a 0 there: see dotted_zeros_mend_total). */
static void test_parser_generic__rounded_total_ends_in_5_or_0(void **state)
{
	(void)state;
	assert_int_equal(parse("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
			       "ROUNDING ADJ 0.02\nTOTAL ROUNDED RM 110.39\n"
			       "VISA 110.30\n"),
			 0);
	assert_int_equal(rc_out.total, 11030);
	assert_int_equal(parse("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
			       "TOTAL RM 110.38\nVISA 110.33\n"),
			 0);
	assert_int_equal(rc_out.total, 11038);
	/* The subtotal one digit off it, a multiple of 5 sen, overrules it
	 * too (the card line misread as well); so does one that rounds to
	 * its reading with a dotted zero (42.32 to 42.30); one that rounds
	 * to another figure does not. */
	assert_int_equal(parse("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
			       "SUBTOTAL 42.30\nROUNDING ADJ 0.99\n"
			       "TOTAL ROUNDED RM 42.38\nVISA 42.39\n"),
			 0);
	assert_int_equal(rc_out.total, 4230);
	assert_int_equal(parse("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
			       "SUBTOTAL 42.32\nROUNDING ADJ 0.99\n"
			       "TOTAL ROUNDED RM 42.38\nVISA 42.39\n"),
			 0);
	assert_int_equal(rc_out.total, 4230);
	assert_int_equal(parse("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
			       "SUBTOTAL 42.36\nROUNDING ADJ 0.99\n"
			       "TOTAL ROUNDED RM 42.38\nVISA 42.39\n"),
			 0);
	assert_int_equal(rc_out.total, 4238);
}

/* Round cash misread ("Bar 50,60"), where cash minus change is printed
 * nowhere: the amount on a line just above it that round cash minus the
 * change gives was paid, the total line's label misread. Cash that
 * minus the change gives a printed amount was handed over as read. */
static void test_parser_generic__round_cash_finds_unlabelled_total(void **state)
{
	(void)state;
	assert_int_equal(total_of("LADEN\nBrot 20,00\nKaese 26,56\n"
				  "Gesarit E92 47,56\nBar 50,60\n"
				  "Rueckgeld 2,44\n"),
			 4756);
	assert_int_equal(total_of("LADEN\nBrot 20,00\nKaese 26,56\n"
				  "Gesarit E92 48,16\nBar 50,60\n"
				  "Rueckgeld 2,44\n"),
			 4816);
}

/* A speck after the total read as a third decimal: the total is the
 * figure without it, where nothing else reads; a backed reading wins. */
static void test_parser_generic__total_with_stray_third_decimal(void **state)
{
	(void)state;
	assert_int_equal(total_of("KEDAI\nROTI 27.50\nSUBTOTAL 27.50\n"
				  "TOTAL ROUNDED 27.608\nCASH 59.08\n"
				  "CHANGE 22.40\n"),
			 2760);
	assert_int_equal(total_of("SHOP\nTEA 5.17\nSUBTOTAL 5.17\n"
				  "TOTAL 3,172\nVISA 5.17\n"),
			 517);
}

/* The payment block's amounts each read on the label above their own:
 * the change line has none and the cash reads less than the total. The
 * total line's figure was the cash, the cash line's the change, and
 * their difference, printed above, was paid. */
static void test_parser_generic__payment_amounts_shifted_up(void **state)
{
	(void)state;
	assert_int_equal(total_of("SHOP\nBagels 8.93\nTea 6.49\n"
				  "SUBTOTAL 15.42\nTOTAL 20.00\nCASH 4.58\n"
				  "CHANGE\n"),
			 1542);
	/* Without the difference printed above, the total line stands. */
	assert_int_equal(total_of("SHOP\nBagels 8.93\nTea 6.49\n"
				  "TOTAL 20.00\nCASH 4.58\nCHANGE\n"),
			 2000);
	/* The change's amount lost, cash above the total: nothing moved. */
	assert_int_equal(total_of("SHOP\nBagels 8.93\nTea 6.49\n"
				  "SUBTOTAL 15.42\nTOTAL 15.42\n"
				  "CASH 20.00\nCHANGE\n"),
			 1542);
}

/* Where a rounding line's adjustment did not read, cash paid a cent or
 * two from the total, a multiple of 5 sen where the total is none, is
 * the total rounded; without a rounding line the total line stands. */
static void test_parser_generic__cash_paid_is_the_rounded_total(void **state)
{
	(void)state;
	assert_int_equal(total_of("KEDAI\nMINYAK 5KG 19.99\nTOTAL 19.99\n"
				  "Rounding Adj\nCASH 20.00\nCHANGE 0.00\n"),
			 2000);
	assert_int_equal(total_of("KEDAI\nMINYAK 5KG 19.99\nTOTAL 19.99\n"
				  "CASH 20.00\nCHANGE 0.00\n"),
			 1999);
	/* Three sen is no rounding to 5 sen. */
	assert_int_equal(total_of("KEDAI\nMINYAK 5KG 19.97\nTOTAL 19.97\n"
				  "Rounding Adj\nCASH 20.00\nCHANGE 0.00\n"),
			 1997);
}

/* The subtotal plus its printed rounding that the cash paid confirms is
 * the total: two readings that agree overrule a total line two
 * confusable digits off ("199.75" for 100.75); one reading does not. */
static void
test_parser_generic__two_sources_overrule_two_misread_digits(void **state)
{
	(void)state;
	assert_int_equal(total_of("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
				  "SUBTOTAL 100.74\nROUNDING ADJ 0.01\n"
				  "TOTAL ROUNDED RM 199.75\nCASH 200.00\n"
				  "CHANGE 99.25\n"),
			 10075);
	assert_int_equal(total_of("KEDAI\nBERAS 5KG 21.50\nMINYAK 2KG 10.95\n"
				  "TOTAL ROUNDED RM 199.75\nCASH 200.00\n"
				  "CHANGE 99.25\n"),
			 19975);
}

/* A total keyword whose amount did not read does not take the next
 * line's when that line has words of its own; with no total read the
 * VAT table's gross column is the total, not its largest row. */
static void test_parser_generic__lost_total_falls_to_the_vat_table(void **state)
{
	(void)state;
	assert_int_equal(total_of("DROGERIE\nGurke 0,69\nKaffee 16,47\n"
				  "zu zahlen\nRUUCK<gE LA 0,79\n"
				  "MwSt Netto MwSt Brutto\n"
				  "A 19% 1,05 0,20 1,25\n"
				  "B 7% 16,87 1,18 18,05\n"),
			 1930);
}

/* A zero-rated row is part of the VAT table (UK food): the table adds
 * up to the total, and a tax-only row stays apart from it. */
static void test_parser_generic__zero_rate_vat_row(void **state)
{
	(void)state;
	assert_int_equal(parse("CORNER SHOP\n12/03/2026 14:05\n"
			       "CRISPS           1.20 A\n"
			       "BREAD            4.59 Z\n"
			       "WINE             6.07 A\n"
			       "TOTAL           11.86\n"
			       "VAT  RATE   NET    VAT   GROSS\n"
			       "A    20%    6.06   1.21   7.27\n"
			       "Z     0%    4.59   0.00   4.59\n"),
			 0);
	assert_int_equal(rc_out.total, 1186);
	assert_int_equal(rc_out.nvat, 2);
	assert_int_equal(rc_out.vat[1].rate, 0);
	assert_int_equal(rc_out.vat[1].net, 459);
	assert_int_equal(rc_out.vat[1].gross, 459);
	assert_int_equal(rc_out.nwarnings, 0);
	assert_true(rc_out.backed & RECEIPT_BACKED_VAT);
}

/* "Netto" heads a net column or sums it, but also names the chain's
 * own products and coupons. */
static void test_parser_generic__netto_names_products(void **state)
{
	(void)state;
	assert_int_equal(parse("NETTO\n14.03.2026 12:22\n"
			       "Netto Erdbeeren 500g      2,49 B\n"
			       "Netto-App Coupon         -0,40 B\n"
			       "Milch                     1,19 B\n"
			       "Summe                     3,28\n"
			       "Nettowarenwert            3,07\n"),
			 0);
	assert_int_equal(rc_out.nitems, 3);
	assert_int_equal(rc_out.items[1].amount, -40);
	assert_int_equal(rc_out.nwarnings, 0);
}

/* Thousands set apart by a space after a column's gap; not a count
 * column before a unit price and its value. */
static void test_parser_generic__spaced_thousands(void **state)
{
	(void)state;
	assert_int_equal(parse("OKQ8\n2026-03-14 12:22\n"
			       "Diesel 58,64 l              1 021,46\n"
			       "Spolarvatska                   20,00\n"
			       "Totalt att betala SEK  1 041,46\n"),
			 0);
	assert_int_equal(rc_out.total, 104146);
	assert_int_equal(rc_out.items[0].amount, 102146);
	assert_int_equal(parse("D-MART\n09/03/2025 18:22\n"
			       "FORTUNE SUNFLOWER 1L      2 142.50  285.00\n"
			       "AMUL TAAZA MILK 1L        3  54.00  162.00\n"
			       "Total                            447.00\n"),
			 0);
	assert_int_equal(rc_out.total, 44700);
	assert_int_equal(rc_out.items[0].amount, 28500);
}

/* The Baltic states' and Slovakia's total words; a change word whose ü
 * Tesseract read as "ii". */
static void test_parser_generic__baltic_totals_and_worn_change(void **state)
{
	static const char *const totals[] = { "KOKKU EUR", "Is viso EUR",
					      "KOP\xC4\x80 APMAKSAI EUR",
					      "SPOLU EUR" };
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		snprintf(text, sizeof(text),
			 "RIMI\n14.03.2026 12:22\nPiim 2,5%%   1,19\n"
			 "Leib        2,49\n%s   3,68\n"
			 "Kaart       3,68\n",
			 totals[i]);
		assert_int_equal(parse(text), 0);
		assert_int_equal(rc_out.total, 368);
		assert_int_equal(rc_out.nitems, 2);
	}
	assert_int_equal(parse("ALDI\n14.03.2026 12:22\nBrot   3,48\n"
			       "Summe  3,48\nBar    8,00\nRiickgeld  4,52\n"),
			 0);
	assert_int_equal(rc_out.payment.change, 452);
}

/* Forints print no decimals: a line's last whole figure, its thousands
 * spaced, is its amount where the receipt is in forints. */
static void test_parser_generic__forints_print_whole_figures(void **state)
{
	(void)state;
	assert_int_equal(parse("SPAR\n2025.10.14.   17:05\n"
			       "Tej 2,8% 1l           A00       399\n"
			       "Dreher sor 0,5l       C00     1 556\n"
			       "SPAR Plus kedvezmeny  C00      -150\n"
			       "FIZETVE:                   1 805 Ft\n"
			       "NYUGTASZAM: 0412/00877\n"),
			 0);
	assert_string_equal(rc_out.currency, "HUF");
	assert_int_equal(rc_out.total, 180500);
	assert_int_equal(rc_out.nitems, 3);
	assert_int_equal(rc_out.items[1].amount, 155600);
	assert_int_equal(rc_out.items[2].amount, -15000);
}

/* Zloty and koruna print a decimal comma too: they are no euros, which
 * the ledger would credit. */
static void test_parser_generic__border_currencies(void **state)
{
	(void)state;
	assert_int_equal(parse("BIEDRONKA\n14.03.2026 18:22\n"
			       "Mleko 3,2%            3,49 z\xc5\x82\n"
			       "Chleb wiejski         4,99 z\xc5\x82\n"
			       "SUMA                  8,48 z\xc5\x82\n"),
			 0);
	assert_int_equal(rc_out.total, 848);
	assert_string_equal(rc_out.currency, "PLN");
	assert_int_equal(parse("KAUFLAND\n14.03.2026 18:22\n"
			       "Rohlik                3,90 K\xc4\x8d\n"
			       "Celkem CZK            3,90\n"),
			 0);
	assert_string_equal(rc_out.currency, "CZK");
}

/* Where no currency is printed the shop's country is: a UK VAT number
 * without its GB, an EU VAT number, a North American phone number, the
 * Philippines' TIN. Each alone decides. */
static void test_parser_generic__currency_by_country(void **state)
{
	static const struct {
		const char *head, *iso;
	} cases[] = {
		{ "Greggs plc\nVAT No 554 7137 27\n", "GBP" },
		{ "Greggs\nNewcastle NE3 3UW  Shop 1087\n", "GBP" },
		{ "Dunnes Stores\nVAT No: IE 4811592P\n", "EUR" },
		{ "Hotel Canal\nT +31 20 622 51 82  VAT NL8620.41.773.B01\n",
		  "EUR" },
		{ "TARGET\nAUSTIN DOWNTOWN - 512-555-0178\n", "USD" },
		{ "SUNNY SIDE DINER\n(4O4) 555-O117\n", "USD" },
		{ "JOLLIBEE\nVAT REG TIN 000-388-474-00123\n", "PHP" },
		{ "PAK'nSAVE\nGST No. 94-261-648\n", "NZD" },
		{ "ICA Kvantum\nKvitto 4821\n", "SEK" },
		{ "NETTO\nCVR 12345678\n", "DKK" },
		{ "KIWI\nOrg.nr NO 971 230 441 MVA\n", "NOK" },
		{ "ALBERT\nDIC: CZ44012373\n", "CZK" },
		{ "KEDAI KOPI\nNo 8, Jalan Bunga Raya\n", "MYR" },
		{ "THE SHIP\n(403) 245-3333\n", "CAD" },
		{ "PUB\nGST # 872641190RT0001\n", "CAD" },
		{ "MAXI\nTPS 5%   0.17\n", "CAD" },
		/* A column's "(RM)"; Rome's province after a postcode. */
		{ "KEDAI MAJU\nITEM      AMOUNT (RM)\n", "MYR" },
		{ "PENNY\n00156 Roma (RM)\nIVA 22%\n", "" },
		{ "CHICAGO, IL\n", "USD" },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "%s14/03/2026 12:22\nCoffee   3.40\n"
			 "TOTAL    3.40\n",
			 cases[i].head);
		assert_int_equal(parse(text), 0);
		assert_int_equal(rc_out.total, 340);
		assert_string_equal(rc_out.currency, cases[i].iso);
	}
	/* A euro sign inside a number is a misread 0. */
	assert_int_equal(parse("CORNER SHOP\nInvoice No: CS00\xE2\x82\xAC"
			       "02055\nVAT No: GE 948 \xE2\x82\xAC"
			       "525 37\n14/03/2026\n"
			       "Coffee   3.40\nTOTAL   3.40\n"),
			 0);
	assert_string_equal(rc_out.currency, "");
	/* A German landline, an IBAN and a UK phone name no country. */
	assert_int_equal(parse("CORNER SHOP\nTel. 030-123-4567\n"
			       "IBAN DE89 3704 0044 0532 0130 00\n"
			       "Tel: 0161 832 6533\n14/03/2026\n"
			       "Coffee   3.40\nTOTAL   3.40\n"),
			 0);
	assert_string_equal(rc_out.currency, "");
	/* A product code of a postcode's shape names no UK area. */
	assert_int_equal(parse("INTERMARCHE\n08/10/2025\n"
			       "FARINE T55 1KG     0,89\n"
			       "FARINE T45 2AB     0,89\nTOTAL   1,78\n"),
			 0);
	assert_string_equal(rc_out.currency, "EUR");
}

/* What the price above includes is no item, nor a tax the total
 * excludes: "inkl. 0,25 € Pfand", "Quote Total (inc GST)". */
static void test_parser_generic__included_is_no_item(void **state)
{
	(void)state;
	assert_int_equal(parse("PIZZA\n14.03.2026 19:47\n"
			       "1x Coca-Cola 1,0l      3,50\n"
			       "   inkl. 0,25 Pfand\n"
			       "1x Tiramisu            4,90\n"
			       "Gesamt                 8,40\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.nwarnings, 0);
	assert_int_equal(parse("BUNNINGS\n14/03/2026 12:22\n"
			       "Timber 90x45 2.4m    258.00\n"
			       "Decking screws       186.00\n"
			       "Quote Total (inc GST)  $444.00\n"
			       "GST                     $40.36\n"),
			 0);
	assert_int_equal(rc_out.total, 44400);
}

/* A subtotal standing in for a lost total line: the items add up to it
 * as a rule, so only a payment line printing it makes it sure (tax may
 * be added below it). */
static void test_parser_generic__subtotal_standing_in_is_unsure(void **state)
{
	(void)state;
	assert_int_equal(parse("WALMART\n03/14/2026 12:22\n"
			       "GV MILK GAL     $3.48 N\n"
			       "SWIM GOGGLES    $6.44 X\n"
			       "     SUBTOTAL    9.92\n"
			       "  ~ ,  .  _  -  ~\n"),
			 0);
	assert_int_equal(rc_out.total, 992);
	assert_true(rc_out.confidence < 0.5);
	assert_true(rc_out.mended & RECEIPT_MENDED_TOTAL);
	assert_int_equal(rc_out.backed, 0);
	assert_int_equal(parse("KIOSK\n14.03.2026 15:31\n"
			       "WG 02     2,40\nWG 05     1,50\n"
			       "ZW-SUMME  3,90\nMWST 7%   0,26\n"
			       "** BAR    3,90\n"),
			 0);
	assert_int_equal(rc_out.total, 390);
	assert_true(rc_out.confidence >= 0.5);
	/* Where VAT is in the prices the subtotal is the total. */
	assert_int_equal(parse("HARBOUR LANE STORES\n17/01/2014 14:39\n"
			       "Cheddar 400g     3.25\nBagels 4pk       4.05\n"
			       "SUBTOTAL         7.30\nTotal \xC2\xA3L7.3O\n"),
			 0);
	assert_int_equal(rc_out.total, 730);
	assert_true(rc_out.backed & RECEIPT_BACKED_ITEMS);
	/* A count of items before a total word is the total line. */
	assert_int_equal(parse("MORRISONS\n09/08/2025 10:41\n"
			       "BUTTER 250G      3.00\nBROCCOLI         0.85\n"
			       "2 items   BALANCE DUE   3.85\n"),
			 0);
	assert_int_equal(rc_out.total, 385);
	assert_true(rc_out.confidence >= 0.5);
}

/* Shelf notes under an item ("Half Price  Was $5.00", "Was £29.99  Save
 * £5.00") print the old price, not another item. */
static void test_parser_generic__shelf_notes_are_no_items(void **state)
{
	(void)state;
	assert_int_equal(parse("WOOLWORTHS\n14/03/2026 12:22\n"
			       "Smiths Crinkle Cut 170g       2.50\n"
			       "   Half Price  Was $5.00\n"
			       "Lurpak Spreadable 250g        6.50\n"
			       "   Was \xC2\xA3"
			       "8.00   Save \xC2\xA3"
			       "1.50\n"
			       "TOTAL                         9.00\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.items[1].amount, 650);
	assert_int_equal(rc_out.nwarnings, 0);
}

/* A price that lost its point is the item where it is what the items
 * lack; the total line's own point keeps it from being the total. */
static void test_parser_generic__undotted_item_price(void **state)
{
	(void)state;
	assert_int_equal(parse("PRET A MANGER\n14/03/2026 12:22\n"
			       "Chicken Caesar Baguette        625\n"
			       "Flat White                     3.75\n"
			       "Crisps                         3.95\n"
			       "TOTAL                         13.95\n"
			       "VISA                          13.95\n"),
			 0);
	assert_int_equal(rc_out.total, 1395);
	assert_int_equal(rc_out.nitems, 3);
	/* In its place among the items, not last. */
	assert_int_equal(rc_out.items[0].amount, 625);
	assert_string_equal(rc_out.items[0].name, "Chicken Caesar Baguette");
	/* Before a VAT class, after a pound sign, a space for its point. */
	static const char *const lines[] = {
		"Gouda jung Scheiben             625 A",
		"ORBIT GUM PEPPERMINT            625T",
		"1 Fish & Chips                 \xC2\xA3"
		"625",
		"Waschmittel Color              6 25 B",
	};
	char text[256];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(text, sizeof(text),
			 "SHOP\n14/03/2026 12:22\nFlat White   3.75\n%s\n"
			 "Crisps       3.95\nTOTAL       13.95\n",
			 lines[i]);
		assert_int_equal(parse(text), 0);
		assert_int_equal(rc_out.nitems, 3);
		assert_int_equal(rc_out.items[1].amount, 625);
	}
	/* Tax added on top: the subtotal is what the items lack. */
	assert_int_equal(parse("DINER\n03/14/2026 08:22\n"
			       "1 Denver Omelette             1295\n"
			       "1 Coffee                      3.00\n"
			       "SUBTOTAL                     15.95\n"
			       "TAX                           1.28\n"
			       "TOTAL                        17.23\n"),
			 0);
	assert_int_equal(rc_out.total, 1723);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.items[0].amount, 1295);
	/* Not where it is no item's price: "Table 12" stays a name. */
	assert_int_equal(parse("PRET A MANGER\n14/03/2026 12:22\n"
			       "Table                          120\n"
			       "Flat White                     3.75\n"
			       "TOTAL                         13.95\n"),
			 0);
	assert_int_equal(rc_out.nitems, 1);
}

/* Apps print the price before the name, and a count with a times sign. */
static void test_parser_generic__price_before_name(void **state)
{
	(void)state;
	assert_int_equal(parse("Burgerei\n14.03.2026 18:22\n"
			       "Bestellte Artikel\n"
			       "\xe2\x82\xac"
			       "23,80 2\xc3\x97 Cheeseburger\n"
			       "\xe2\x82\xac"
			       "4,50 Pommes\n"
			       "Summe \xe2\x82\xac"
			       "28,30\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_string_equal(rc_out.items[0].name, "Cheeseburger");
	assert_int_equal(rc_out.items[0].qty_milli, 2000);
	assert_string_equal(rc_out.items[1].name, "Pommes");
	assert_int_equal(rc_out.total, 2830);
}

/* IKEA prints the count in a column of its own, the unit price under it:
 * the count leaves the name. */
static void test_parser_generic__count_column_over_unit_price(void **state)
{
	(void)state;
	assert_int_equal(parse("IKEA\n14.11.2025 10:12\n"
			       "KALLAX Regal   2   19,98\n"
			       "   \xc3\xa0 9,99\n"
			       "LACK Tisch          9,99\n"
			       "Summe EUR          29,97\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_string_equal(rc_out.items[0].name, "KALLAX Regal");
	assert_int_equal(rc_out.items[0].qty_milli, 2000);
	assert_int_equal(rc_out.items[0].unit_price, 999);
	assert_int_equal(rc_out.total, 2997);
}

/* Cash and carry prints net prices: the items sum to the VAT rows' nets,
 * and with their tax to the total, which backs it. */
static void test_parser_generic__net_prices_add_up(void **state)
{
	(void)state;
	assert_int_equal(parse("GROSSMARKT\n02.10.2025 08:19\n"
			       "Kaffee 1kg          71,10 A\n"
			       "Mehl 25kg           92,14 B\n"
			       "Nettobetrag        163,24\n"
			       "USt A 20%  von    71,10   14,22\n"
			       "USt B 10%  von    92,14    9,21\n"
			       "Gesamtbetrag EUR  186,67\n"),
			 0);
	assert_int_equal(rc_out.total, 18667);
	assert_int_equal(rc_out.nwarnings, 0);
	assert_true(rc_out.backed & RECEIPT_BACKED_ITEMS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_parser_generic__golden_fixtures_match_expected),
		cmocka_unit_test(
			test_parser_generic__cash_paid_is_the_rounded_total),
		cmocka_unit_test(
			test_parser_generic__lost_total_falls_to_the_vat_table),
		cmocka_unit_test(
			test_parser_generic__two_sources_overrule_two_misread_digits),
		cmocka_unit_test(
			test_parser_generic__empty_input_has_unknown_total_and_warning),
		cmocka_unit_test(test_parser_generic__too_large_text_refused),
		cmocka_unit_test(test_parser_generic__too_many_lines_refused),
		cmocka_unit_test(test_parser_generic__null_arguments_invalid),
		cmocka_unit_test(
			test_parser_generic__deposit_return_is_negative),
		cmocka_unit_test(
			test_parser_generic__subtotal_and_tax_lines_are_not_items),
		cmocka_unit_test(
			test_parser_generic__rounded_total_preferred_over_total),
		cmocka_unit_test(
			test_parser_generic__cash_minus_change_fixes_misread_total),
		cmocka_unit_test(
			test_parser_generic__change_line_without_amount_is_not_zero),
		cmocka_unit_test(test_parser_generic__items_mismatch_warns),
		cmocka_unit_test(
			test_parser_generic__no_keyword_guesses_with_low_confidence),
		cmocka_unit_test(test_parser_generic__crlf_lines_are_stripped),
		cmocka_unit_test(test_parser_generic__date_with_a_time_wins),
		cmocka_unit_test(
			test_parser_generic__opening_hours_are_no_sale_time),
		cmocka_unit_test(
			test_parser_generic__mended_sale_date_beats_stray_date),
		cmocka_unit_test(test_parser_generic__date_after_stray_digits),
		cmocka_unit_test(
			test_parser_generic__dates_run_together_and_iso),
		cmocka_unit_test(
			test_parser_generic__unit_price_line_is_no_item),
		cmocka_unit_test(
			test_parser_generic__weight_line_attaches_to_item_above),
		cmocka_unit_test(
			test_parser_generic__card_and_vat_table_mend_total),
		cmocka_unit_test(
			test_parser_generic__one_misread_item_backs_total),
		cmocka_unit_test(
			test_parser_generic__items_and_subtotal_outvote_card),
		cmocka_unit_test(test_parser_generic__dotted_zeros_mend_total),
		cmocka_unit_test(test_parser_generic__round_cash_backs_total),
		cmocka_unit_test(
			test_parser_generic__unlabelled_cash_and_change),
		cmocka_unit_test(test_parser_generic__dotted_zeros_in_change),
		cmocka_unit_test(
			test_parser_generic__vat_table_outvotes_lone_total),
		cmocka_unit_test(
			test_parser_generic__rounded_total_with_dotted_zeros),
		cmocka_unit_test(
			test_parser_generic__round_cash_finds_unlabelled_total),
		cmocka_unit_test(
			test_parser_generic__subtotal_and_rounding_back_card),
		cmocka_unit_test(
			test_parser_generic__subtotal_and_rounding_mend_total),
		cmocka_unit_test(test_parser_generic__card_keeps_the_ink),
		cmocka_unit_test(
			test_parser_generic__payment_amounts_shifted_up),
		cmocka_unit_test(
			test_parser_generic__total_with_stray_third_decimal),
		cmocka_unit_test(
			test_parser_generic__stray_lead_digit_on_total_dropped),
		cmocka_unit_test(
			test_parser_generic__unbacked_cash_minus_change_yields),
		cmocka_unit_test(
			test_parser_generic__card_and_subtotal_mend_total),
		cmocka_unit_test(
			test_parser_generic__card_drops_stray_lead_digit),
		cmocka_unit_test(
			test_parser_generic__printed_items_sum_mends_total),
		cmocka_unit_test(
			test_parser_generic__items_and_card_outvote_total),
		cmocka_unit_test(
			test_parser_generic__quantity_line_mends_item_amount),
		cmocka_unit_test(
			test_parser_generic__counted_line_mends_its_amount),
		cmocka_unit_test(
			test_parser_generic__count_line_takes_name_above),
		cmocka_unit_test(
			test_parser_generic__items_and_change_outvote_lost_digit),
		cmocka_unit_test(test_parser_generic__other_total_words),
		cmocka_unit_test(
			test_parser_generic__total_backing_names_what_agrees),
		cmocka_unit_test(test_parser_generic__receipt_json_reads_back),
		cmocka_unit_test(test_parser_generic__figure_inside_a_name),
		cmocka_unit_test(test_parser_generic__count_before_the_name),
		cmocka_unit_test(test_parser_generic__zero_rate_vat_row),
		cmocka_unit_test(test_parser_generic__price_before_name),
		cmocka_unit_test(test_parser_generic__border_currencies),
		cmocka_unit_test(test_parser_generic__netto_names_products),
		cmocka_unit_test(test_parser_generic__spaced_thousands),
		cmocka_unit_test(
			test_parser_generic__baltic_totals_and_worn_change),
		cmocka_unit_test(
			test_parser_generic__forints_print_whole_figures),
		cmocka_unit_test(
			test_parser_generic__subtotal_standing_in_is_unsure),
		cmocka_unit_test(test_parser_generic__included_is_no_item),
		cmocka_unit_test(test_parser_generic__shelf_notes_are_no_items),
		cmocka_unit_test(test_parser_generic__weight_lines_misread),
		cmocka_unit_test(test_parser_generic__currency_by_country),
		cmocka_unit_test(test_parser_generic__undotted_item_price),
		cmocka_unit_test(test_parser_generic__net_prices_add_up),
		cmocka_unit_test(
			test_parser_generic__count_column_over_unit_price),
		cmocka_unit_test(
			test_parser_generic__count_before_the_name_same_line),
		cmocka_unit_test(
			test_parser_generic__bar_after_a_name_is_no_cash),
		cmocka_unit_test(
			test_parser_generic__items_and_subtotal_outrank_cash),
		cmocka_unit_test(
			test_parser_generic__vat_sum_printed_is_the_total),
		cmocka_unit_test(
			test_parser_generic__line_summing_the_items_is_the_total),
		cmocka_unit_test(
			test_parser_generic__subtotal_printed_again_is_the_total),
		cmocka_unit_test(
			test_parser_generic__rounded_total_ends_in_5_or_0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
