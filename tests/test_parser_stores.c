/*
 * test_parser_stores.c: the store parsers against the golden OCR-text
 * fixtures of each chain (fixtures/<store>/NNN.txt + NNN.expected.json,
 * made by fixtures/gen/make_chains.py; run from the repository root),
 * plus targeted cases: OCR-damaged names, VAT ids, the VAT table, the
 * payment, the TSE block and the cross-checks.
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
#include "store_layout.h"
#include "banned.h"

/* Every chain has at least this many golden files. */
#define FIXTURE_MIN_PER_STORE 2

static struct receipt rc_out; /* large: keep it off the test stack */

static int parse(const char *text)
{
	return parser_parse_text(text, strlen(text), &rc_out);
}

static void expect_str(json_t *exp, const char *key, const char *got,
		       const char *file)
{
	const char *want = json_string_value(json_object_get(exp, key));

	if (want && strcmp(want, got) != 0) {
		print_error("%s: %s is \"%s\", expected \"%s\"\n", file, key,
			    got, want);
		fail();
	}
}

static void expect_int(const char *file, const char *what, int64_t got,
		       int64_t want)
{
	if (got != want) {
		print_error("%s: %s is %lld, expected %lld\n", file, what,
			    (long long)got, (long long)want);
		fail();
	}
}

static void check_items(json_t *exp, const char *file)
{
	json_t *items = json_object_get(exp, "items"), *v;
	size_t i;

	expect_int(file, "item count", (int64_t)rc_out.nitems,
		   (int64_t)json_array_size(items));
	json_array_foreach(items, i, v)
		expect_int(file, "item amount", rc_out.items[i].amount,
			   json_integer_value(v));
}

static void check_vat(json_t *exp, const char *file)
{
	json_t *rows = json_object_get(exp, "vat"), *v;
	size_t i;

	expect_int(file, "VAT rows", (int64_t)rc_out.nvat,
		   (int64_t)json_array_size(rows));
	json_array_foreach(rows, i, v)
	{
		expect_int(file, "VAT rate", rc_out.vat[i].rate,
			   json_integer_value(json_object_get(v, "rate")));
		expect_int(file, "VAT net", rc_out.vat[i].net,
			   json_integer_value(json_object_get(v, "net")));
		expect_int(file, "VAT tax", rc_out.vat[i].tax,
			   json_integer_value(json_object_get(v, "tax")));
		expect_int(file, "VAT gross", rc_out.vat[i].gross,
			   json_integer_value(json_object_get(v, "gross")));
	}
}

/* "payment": "cash" or "card"; a card may print as ec, credit or card. */
static void check_payment(json_t *exp, const char *file)
{
	const char *want = json_string_value(json_object_get(exp, "payment"));
	const char *got = rc_out.payment.method;

	if (!want)
		return;
	if (strcmp(want, "cash") == 0 ? strcmp(got, "cash") != 0
				      : (!got[0] || !strcmp(got, "cash"))) {
		print_error("%s: payment \"%s\", expected %s\n", file, got,
			    want);
		fail();
	}
}

static void check_tse(json_t *exp, const char *file)
{
	json_t *t = json_object_get(exp, "tse");

	if (!t)
		return;
	expect_str(t, "serial", rc_out.tse.serial, file);
	expect_str(t, "transaction", rc_out.tse.transaction, file);
}

/* r is rc_out, which the checks above read. */
static void check_fixture(const char *path, json_t *exp,
			  const struct receipt *r)
{
	expect_str(exp, "store", r->store, path);
	expect_str(exp, "date", r->date, path);
	expect_str(exp, "time", r->time, path);
	expect_str(exp, "receipt_number", r->receipt_number, path);
	expect_int(path, "total", r->total,
		   json_integer_value(json_object_get(exp, "total")));
	check_items(exp, path);
	check_vat(exp, path);
	check_payment(exp, path);
	check_tse(exp, path);
}

static void test_parser_stores__golden_fixtures_of_every_chain(void **state)
{
	char dir[256];

	(void)state;
	for (size_t i = 0; parser_registry[i]; i++) {
		if (strcmp(parser_registry[i]->id, "generic") == 0)
			continue;
		snprintf(dir, sizeof(dir), "fixtures/%s",
			 parser_registry[i]->id);
		assert_true(golden_each(dir, &rc_out, check_fixture) >=
			    FIXTURE_MIN_PER_STORE);
	}
}

static void test_parser_stores__ocr_damaged_names_still_recognised(void **state)
{
	(void)state;
	assert_int_equal(parse("REVVE Markt GmbH\nBrot 1,29 B\nSUMME 1,29\n"),
			 0);
	assert_string_equal(rc_out.store, "rewe");
	assert_int_equal(parse("Kauflamd Dienstleistung\nBrot 1,29 B\n"
			       "Summe 1,29\n"),
			 0);
	assert_string_equal(rc_out.store, "kaufland");
	assert_int_equal(parse("dm-drogerie rnarkt\nSeife 0,95 1\n"
			       "SUMME EUR 0,95\n"),
			 0);
	assert_string_equal(rc_out.store, "dm");
	assert_int_equal(parse("ALDI SÜD\nBrot 1,29 B\nSumme 1,29\n"), 0);
	assert_string_equal(rc_out.store, "aldi_sued");
}

static void test_parser_stores__chains_known_by_name_only(void **state)
{
	(void)state;
	assert_int_equal(parse("Media Markt TV-Hifi-Elektro GmbH\n"
			       "Kabel 9,99 A\nSUMME 9,99\n"),
			 0);
	assert_string_equal(rc_out.store, "mediamarkt");
	/* A chain's receipt carries the chain's own name, not a header
	 * line: dm prints its name in lower case. */
	assert_string_equal(rc_out.store_name, "MediaMarkt");
	assert_int_equal(parse("dm-drogerie markt\nDuschgel 0,95 2\n"
			       "SUMME EUR 0,95\nMwSt-Satz Netto MwSt Brutto\n"),
			 0);
	assert_string_equal(rc_out.store, "dm");
	assert_string_equal(rc_out.store_name, "dm-drogerie markt");
	assert_int_equal(parse("Filiale 12\nKerze 2,99 A\nSUMME 2,99\n"
			       "IKEA Deutsch1and GmbH & Co. KG\n"),
			 0);
	assert_string_equal(rc_out.store, "ikea");
	/* Their class letters are read as on any receipt. */
	assert_int_equal(parse("HORNBACH\nSchrauben 3,49 A\nErde 4,49 A\n"
			       "SUMME 7,98\n"),
			 0);
	assert_string_equal(rc_out.store, "hornbach");
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.items[0].vat_class, 'A');
	/* A street, a plant and a surname are no chains. */
	assert_int_equal(parse("Gaertnerei Lindner\nBauhausstr. 12\n"
			       "Douglasie 4,99 A\nSaturnia Vase 9,90 A\n"
			       "SUMME 14,89\n"),
			 0);
	assert_string_equal(rc_out.store, "generic");
}

static void test_parser_stores__vat_id_alone_identifies_chain(void **state)
{
	(void)state;
	assert_int_equal(parse("Domstr. 20\nBrot 1,29 B\nSUMME 1,29\n"
			       "UID Nr.: DE 812 7O6 034\n"),
			 0);
	assert_string_equal(rc_out.store, "rewe");
}

static void test_parser_stores__common_words_are_not_chains(void **state)
{
	(void)state;
	/* "Netto" heads the VAT table's net column; "real" and "dm" are
	 * words too: none of them names a chain outside the header line. */
	assert_int_equal(parse("Hofladen Sonnenberg\nEier 2,79 B\nSUMME 2,79\n"
			       "MwSt Netto MwSt Brutto\nB 7% 2,61 0,18 2,79\n"
			       "real good food, real prices\n"),
			 0);
	assert_string_equal(rc_out.store, "generic");
	assert_int_equal(parse("Mein Drogeriemarkt\nSeife 0,95 A\n"
			       "Summe 0,95\n"),
			 0);
	assert_string_equal(rc_out.store, "generic");
}

static void test_parser_stores__unknown_store_is_fully_parsed(void **state)
{
	(void)state;
	assert_int_equal(parse("Hofladen Sonnenberg\nEier 2,79 B\n"
			       "Apfelsaft 1,19 A\nSUMME 3,98\n"
			       "Geg. BAR 5,00\nRueckgeld 1,02\n"
			       "MwSt Netto MwSt Brutto\n"
			       "A 19% 1,00 0,19 1,19\nB 7% 2,61 0,18 2,79\n"),
			 0);
	assert_string_equal(rc_out.store, "generic");
	assert_int_equal(rc_out.total, 398);
	assert_int_equal(rc_out.nvat, 2);
	assert_int_equal(rc_out.vat[1].rate, 700);
	assert_int_equal(rc_out.vat[1].tax, 18);
	assert_string_equal(rc_out.payment.method, "cash");
	assert_int_equal(rc_out.payment.amount, 500);
	assert_int_equal(rc_out.payment.change, 102);
	assert_int_equal(rc_out.items[0].vat_class, 'B');
}

static void test_parser_stores__pfand_deposit_leergut_return(void **state)
{
	(void)state;
	assert_int_equal(parse("REWE Markt GmbH\nCola 1,25L 2,38 A\n"
			       "  2 Stk x 1,19\nPfand 0,50 A\n"
			       "Leergut 0,75 A\nBananen 1,35 B\n"
			       "  0,798 kg x 1,69 EUR/kg\nSUMME 3,48\n"
			       "01.02.2024 10:00\n"),
			 0);
	assert_string_equal(rc_out.store, "rewe");
	assert_int_equal(rc_out.nitems, 4);
	assert_int_equal(rc_out.items[0].qty_milli, 2000);
	assert_int_equal(rc_out.items[0].unit_price, 119);
	assert_int_equal(rc_out.items[1].kind, RECEIPT_DEPOSIT);
	assert_int_equal(rc_out.items[2].kind, RECEIPT_DEPOSIT_RETURN);
	assert_int_equal(rc_out.items[2].amount, -75);
	assert_int_equal(rc_out.items[3].qty_milli, 798);
	assert_int_equal(rc_out.items[3].unit_price, 169);
	assert_int_equal(rc_out.nwarnings, 0);
}

static void test_parser_stores__chain_discount_word_is_negative(void **state)
{
	(void)state;
	assert_int_equal(parse("Lidl\nLidl Vertriebs GmbH\nKaese 2,49 A\n"
			       "Preisvorteil 0,50 A\nzu zahlen 1,99\n"),
			 0);
	assert_string_equal(rc_out.store, "lidl");
	assert_int_equal(rc_out.items[1].kind, RECEIPT_DISCOUNT);
	assert_int_equal(rc_out.items[1].amount, -50);
	assert_int_equal(rc_out.total, 199);
}

static void test_parser_stores__class_letter_means_chain_rate(void **state)
{
	(void)state;
	/* Lidl's A is 7 %; a row without a printed rate takes the chain's. */
	assert_int_equal(parse("Lidl\nLidl Vertriebs GmbH\nKaese 2,14 A\n"
			       "zu zahlen 2,14\nA 0,14 2,00 2,14\n"),
			 0);
	assert_int_equal(rc_out.nvat, 1);
	assert_int_equal(rc_out.vat[0].rate, 700);
	assert_int_equal(rc_out.vat[0].net, 200);
	assert_int_equal(rc_out.vat[0].tax, 14);
}

static void test_parser_stores__glued_class_letter_split(void **state)
{
	(void)state;
	assert_int_equal(parse("PENNY Markt GmbH\nBananen 1,352B\n"
			       "Milch 1,19B\nSUMME 2,54\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(rc_out.items[0].amount, 135);
	assert_int_equal(rc_out.items[0].vat_class, 'B');
	assert_int_equal(rc_out.items[1].amount, 119);
	assert_int_equal(parse("dm-drogerie markt\nDeo 1,751\nSUMME 1,75\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 175);
	assert_int_equal(rc_out.items[0].vat_class, '1');
}

static void test_parser_stores__tse_block_read(void **state)
{
	(void)state;
	assert_int_equal(
		parse("REWE Markt GmbH\nBrot 1,29 B\nSUMME 1,29\n"
		      "Seriennummer Kasse: 0a1b2c3d4e5f\n"
		      "TSE-Signatur: AbCdEf0123456789\n"
		      "TSE-Signaturzaehler: 88123\nTSE-Transaktion: 4711\n"
		      "TSE-Start: 2024-03-12T07:41:55.000\n"
		      "TSE-Stop: 2024-03-12T07:42:10.000\n"
		      "TSE-Seriennummer:\n9f63856fcb156d3a886c118614d0aa11\n"),
		0);
	assert_string_equal(rc_out.tse.serial,
			    "9f63856fcb156d3a886c118614d0aa11");
	assert_string_equal(rc_out.tse.transaction, "4711");
	assert_string_equal(rc_out.tse.signature_counter, "88123");
	assert_string_equal(rc_out.tse.start, "2024-03-12T07:41");
	assert_string_equal(rc_out.tse.end, "2024-03-12T07:42");
	/* Plain labels under a "TSE" heading, dates day first. */
	assert_int_equal(parse("NORMA\nBrot 1,29 B\nSumme 1,29\nTSE\n"
			       "Transaktionsnummer: 99\n"
			       "Start: 12.03.2024 07:41:55\n"
			       "Seriennummer: 623f735754a28a62\n"),
			 0);
	assert_string_equal(rc_out.tse.serial, "623f735754a28a62");
	assert_string_equal(rc_out.tse.transaction, "99");
	assert_string_equal(rc_out.tse.start, "2024-03-12T07:41");
	/* Short labels one slip from "TSE-SN"; UTC stamps in German time
	 * (CET in winter, CEST from the last Sunday of March). */
	assert_int_equal(parse("Kiosk\nCola 2,00\nSumme 2,00\n"
			       "TSE-SerNr: 623f735754a28a62\nTSE-SigNr: 77\n"
			       "TSE-Start: 2026-03-14T23:14:02.000Z\n"
			       "TSE-Stop: 2026-03-29T01:00:00.000Z\n"),
			 0);
	assert_string_equal(rc_out.tse.serial, "623f735754a28a62");
	assert_string_equal(rc_out.tse.signature_counter, "77");
	assert_string_equal(rc_out.tse.start, "2026-03-15T00:14");
	assert_string_equal(rc_out.tse.end, "2026-03-29T03:00");
	assert_int_equal(parse("Kiosk\nCola 2,00\nSumme 2,00\n"
			       "TSE-Start: 2026-10-25T00:59:00\n"
			       "TSE-Zeitformat: utcTime\n"),
			 0);
	assert_string_equal(rc_out.tse.start, "2026-10-25T02:59");
}

static void test_parser_stores__misread_item_digit_corrected(void **state)
{
	size_t i;
	int said = 0;

	(void)state;
	/* 1,79 read as 1,19: the VAT table and the total say 6,07. */
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 B\nMilch 1,19 B\n"
			       "SUMME 6,07\nB= 7,0% 5,67 0,40 6,07\n"),
			 0);
	assert_int_equal(rc_out.total, 607);
	assert_int_equal(rc_out.items[1].amount, 179);
	for (i = 0; i < rc_out.nwarnings; i++)
		said |= strstr(rc_out.warnings[i], "corrected item") != NULL;
	assert_true(said);
}

static void test_parser_stores__misread_item_sign_corrected(void **state)
{
	size_t i;
	int said = 0;

	(void)state;
	/* "1,65 A" read as "1,65-A": a trailing minus, so a discount; the
	 * payment (given - change) and the VAT table say 22,00. */
	assert_int_equal(parse("ALDI Nord\nKaffee 16,47 B\n"
			       "Spuelmittel 1,65-A\nBier 3,88 A\n"
			       "Summe 22,00\nBar 50,00\nRueckgeld 28,00\n"
			       "B 7% 15,39 1,08 16,47\n"
			       "A 19% 4,65 0,88 5,53\n"),
			 0);
	assert_int_equal(rc_out.total, 2200);
	assert_int_equal(rc_out.nitems, 3);
	assert_int_equal(rc_out.items[1].amount, 165);
	assert_int_equal(rc_out.items[1].kind, RECEIPT_ITEM);
	for (i = 0; i < rc_out.nwarnings; i++)
		said |= strstr(rc_out.warnings[i], "corrected item '") != NULL;
	assert_true(said);
}

static int warned(const char *what)
{
	size_t i;

	for (i = 0; i < rc_out.nwarnings; i++)
		if (strstr(rc_out.warnings[i], what))
			return 1;
	return 0;
}

static void test_parser_stores__vat_class_picks_misread_item(void **state)
{
	(void)state;
	/* 1,79 B read as 1,19 B; Saft 1,19 A could be 1,79 too, but the A
	 * row says 1,19 and the B row 6,07. */
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 B\nMilch 1,19 B\n"
			       "Saft 1,19 A\nSUMME 7,26\n"
			       "A= 19,0% 1,00 0,19 1,19\n"
			       "B= 7,0% 5,67 0,40 6,07\n"),
			 0);
	assert_int_equal(rc_out.items[1].amount, 179);
	assert_int_equal(rc_out.items[2].amount, 119);
	assert_true(warned("corrected item 'Milch'"));
}

static void test_parser_stores__leading_zero_and_stray_digit(void **state)
{
	(void)state;
	/* "-0,20" read as "-8,20". */
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 B\n"
			       "Rabatt -8,20 B\nSUMME 4,08\n"
			       "B= 7,0% 3,81 0,27 4,08\n"),
			 0);
	assert_int_equal(rc_out.items[1].amount, -20);
	assert_true(warned("corrected item 'Rabatt'"));
	/* "7,98" read as "17,98". */
	assert_int_equal(parse("REWE Markt GmbH\nKaese 17,98 B\n"
			       "Milch 1,19 B\nSUMME 9,17\n"
			       "B= 7,0% 8,57 0,60 9,17\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 798);
	assert_true(warned("corrected item 'Kaese'"));
}

/* Items over the total by one line's whole amount: that line may be no
 * item, so no other item's digit is mended to fit. */
static void test_parser_stores__whole_extra_line_mends_no_digit(void **state)
{
	(void)state;
	assert_int_equal(parse("REWE Markt GmbH\nChips 2,50 B\n"
			       "Aktion 5,00 B\nTabs 18,00 B\nSUMME 20,50\n"
			       "EC-Karte 20,50\n"),
			 0);
	assert_int_equal(rc_out.items[2].amount, 1800);
	assert_false(warned("corrected item"));
}

static void test_parser_stores__deposit_sign_corrected(void **state)
{
	(void)state;
	/* "Pfand 0,25 A" read as "0,25-A": a deposit, not its return. */
	assert_int_equal(parse("ALDI Nord\nBier 3,88 A\nPfand 0,25-A\n"
			       "Summe 4,13\nBar 5,00\nRueckgeld 0,87\n"
			       "A 19% 3,47 0,66 4,13\n"),
			 0);
	assert_int_equal(rc_out.items[1].amount, 25);
	assert_int_equal(rc_out.items[1].kind, RECEIPT_DEPOSIT);
	/* A Leergut line stays negative whatever the sum. */
	assert_int_equal(parse("ALDI Nord\nBier 3,88 A\nLeergut 0,25-A\n"
			       "Summe 4,13\nBar 5,00\nRueckgeld 0,87\n"
			       "A 19% 3,47 0,66 4,13\n"),
			 0);
	assert_int_equal(rc_out.items[1].amount, -25);
}

static void test_parser_stores__quantity_line_repairs_amount(void **state)
{
	(void)state;
	/* 3 x 1,29 is 3,87 (read 8,87); 2 x 3,99 is 7,98 (read 17,98). */
	assert_int_equal(parse("Netto Marken-Discount\nSaft 8,87 A\n"
			       "  3 Stk x 1,29\nBirne 17,98 A\n"
			       "  2 Stk x 3,99\nSumme 11,85\n"
			       "01.02.2024 10:00\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 387);
	assert_int_equal(rc_out.items[0].qty_milli, 3000);
	assert_int_equal(rc_out.items[1].amount, 798);
	assert_int_equal(rc_out.total, 1185);
	assert_int_equal(rc_out.items[0].vat_class, 'A');
	assert_int_equal(rc_out.items[1].vat_class, 'A');
	assert_int_equal(rc_out.nwarnings, 2);
	assert_non_null(strstr(rc_out.warnings[0], "quantity line"));
	/* A quantity that is not one digit away is left alone. */
	assert_int_equal(parse("Netto Marken-Discount\nSaft 5,55 A\n"
			       "  3 Stk x 1,29\nSumme 5,55\n"),
			 0);
	assert_int_equal(rc_out.items[0].amount, 555);
	/* A deposit is charged by its quantity line as goods are: "0,50"
	 * read as "9,50". */
	assert_int_equal(parse("PENNY-MARKT GmbH\nPILS 0,70 A\n"
			       "  2 Stk x 0,35\nPFAND 0,25 EURO 9,50 A\n"
			       "  2 Stk x 0,25\nSUMME EUR 1,20\n"),
			 0);
	assert_int_equal(rc_out.items[1].kind, RECEIPT_DEPOSIT);
	assert_int_equal(rc_out.items[1].amount, 50);
	assert_int_equal(rc_out.items[1].vat_class, 'A');
}

static void test_parser_stores__one_unreadable_item_from_total(void **state)
{
	(void)state;
	/* The card paid 5,17: Butter is what the other items leave. */
	assert_int_equal(parse("Netto Marken-Discount\nHauptstr. 17\n"
			       "93142 Maxhuette\nEUR\nMilch 1,19 B\n"
			       "Butter 250g 27 298B\nBrot 1,69 B\n"
			       "Summe 5,17\nEC-Cash 5,17\n"),
			 0);
	assert_int_equal(rc_out.nitems, 3);
	assert_int_equal(rc_out.items[1].amount, 229);
	assert_int_equal(rc_out.items[1].vat_class, 'B');
	assert_non_null(
		strstr(rc_out.warnings[rc_out.nwarnings - 1], "unreadable"));
	/* Two unreadable lines, or no independent total: no guess. */
	assert_int_equal(parse("Netto Marken-Discount\nMilch 1,19 B\n"
			       "Butter 250g 27 298B\nKaese 3 4#5B\n"
			       "Brot 1,69 B\nSumme 8,62\nEC-Cash 8,62\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
	assert_int_equal(parse("Netto Marken-Discount\nMilch 1,19 B\n"
			       "Butter 250g 27 298B\nBrot 1,69 B\n"
			       "Summe 5,17\n"),
			 0);
	assert_int_equal(
		rc_out.nitems,
		2); /* Junk that ends in no class letter, its quantity line above it
	 * agreeing with what the cash paid leaves (4 x 0,85). */
	assert_int_equal(parse("Mueller Handels GmbH\nDeo 1,75 A\n"
			       "4 x 0,85\nWattepads ; ZEDSER\nSeife 0,95 A\n"
			       "Summe 6,10\nBar 10,00\nRueckgeld 3,90\n"),
			 0);
	assert_int_equal(rc_out.nitems, 3);
	assert_int_equal(rc_out.items[1].amount, 340);
	assert_string_equal(rc_out.items[1].name, "Wattepads");
	/* ... and not when the quantity line says otherwise. */
	assert_int_equal(parse("Mueller Handels GmbH\nDeo 1,75 A\n"
			       "4 x 0,95\nWattepads ; ZEDSER\nSeife 0,95 A\n"
			       "Summe 6,10\nBar 10,00\nRueckgeld 3,90\n"),
			 0);
	assert_int_equal(rc_out.nitems, 2);
}

static void test_parser_stores__misread_rate_from_class(void **state)
{
	(void)state;
	/* "19%" read as "1%": tax 8,87 on 46,70 is 19 %, toom's A. */
	assert_int_equal(parse("toom Baumarkt GmbH\nDuebel 55.57 A\n"
			       "SUMME 55.57\nA 1% 46.70 8.87 55.57\n"),
			 0);
	assert_int_equal(rc_out.nvat, 1);
	assert_int_equal(rc_out.vat[0].rate, 1900);
}

static void test_parser_stores__misread_total_corrected(void **state)
{
	(void)state;
	/* SUMME 6,01 where items and the VAT table both say 6,07 (the
	 * generic total picker or the store check corrects it). */
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 B\nMilch 1,79 B\n"
			       "SUMME 6,01\nB= 7,0% 5,67 0,40 6,07\n"
			       "01.02.2024 10:00\n"),
			 0);
	assert_int_equal(rc_out.total, 607);
	assert_int_equal(rc_out.nwarnings, 1);
	assert_non_null(strstr(rc_out.warnings[0], "6.01"));
	assert_non_null(strstr(rc_out.warnings[0], "6.07"));
	assert_true(rc_out.confidence < 0.9);
	/* Two VAT rows: 6,07 is printed nowhere, and the table of two rows
	 * outvotes the lone total line. */
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 A\nMilch 1,79 B\n"
			       "SUMME 6,01\nA= 19,0% 3,60 0,68 4,28\n"
			       "B= 7,0% 1,67 0,12 1,79\n01.02.2024 10:00\n"),
			 0);
	assert_int_equal(rc_out.total, 607);
	assert_int_equal(rc_out.nwarnings, 1);
	assert_non_null(strstr(rc_out.warnings[0], "6.01"));
	assert_non_null(strstr(rc_out.warnings[0], "6.07"));
}

static void test_parser_stores__vat_disagreeing_lowers_confidence(void **state)
{
	double agreeing;

	(void)state;
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 B\nSUMME 4,28\n"
			       "B= 7,0% 4,00 0,28 4,28\n01.02.2024 10:00\n"),
			 0);
	agreeing = rc_out.confidence;
	assert_int_equal(rc_out.nwarnings, 0);
	assert_int_equal(parse("REWE Markt GmbH\nKaese 4,28 B\nSUMME 4,28\n"
			       "B= 7,0% 5,00 0,35 5,35\n01.02.2024 10:00\n"),
			 0);
	assert_true(rc_out.confidence < agreeing);
	assert_true(rc_out.nwarnings > 0);
	assert_non_null(strstr(rc_out.warnings[0], "VAT summary"));
}

static void test_parser_stores__english_receipts_parse_generic(void **state)
{
	(void)state;
	assert_int_equal(parse("CORNER GROCER LTD\nMilk 1.15\nBread 1.35\n"
			       "SUBTOTAL 2.50\nVAT 0.00\nTOTAL GBP 2.50\n"
			       "CASH 5.00\nCHANGE 2.50\n"),
			 0);
	assert_string_equal(rc_out.store, "generic");
	assert_int_equal(rc_out.total, 250);
	assert_string_equal(rc_out.currency, "GBP");
	assert_int_equal(rc_out.payment.change, 250);
	assert_int_equal(parse("KEDAI MAJU SDN BHD\nGST ID: 000123456789\n"
			       "ROTI 2.80\nSUSU 12.90\nTOTAL 15.70\n"
			       "GST 6% 0.89\nTOTAL ROUNDED RM 15.70\n"),
			 0);
	assert_int_equal(rc_out.total, 1570);
	assert_string_equal(rc_out.currency, "MYR");
}

static void test_parser_stores__payment_word_with_letter_lost(void **state)
{
	(void)state;
	assert_int_equal(parse("REWE Markt GmbH\nBrot 1,29 B\nSUMME 1,29\n"
			       "Kartenzalung 1,29\n"),
			 0);
	assert_string_equal(rc_out.payment.method, "card");
	assert_int_equal(rc_out.payment.amount, 129);
}

/* A payment word on its own below the total; above it, "Gift Card" is an
 * item and stays one. */
static void test_parser_stores__lone_payment_words(void **state)
{
	static const struct {
		const char *line, *method;
	} cases[] = {
		{ "EC 7,29", "ec" },
		{ "Card 7.29", "card" },
		{ "CONTACTLESS 7.29", "card" },
		{ "Paid by card 7.29", "card" },
		{ "Kontaktlos 7,29", "card" },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "Testmarkt\nGift Card 5,00\nBrot 2,29\n"
			 "SUMME 7,29\n%s\n",
			 cases[i].line);
		assert_int_equal(parse(text), 0);
		assert_string_equal(rc_out.payment.method, cases[i].method);
		assert_int_equal(rc_out.payment.amount, 729);
		assert_int_equal(rc_out.nitems, 2);
		assert_int_equal(rc_out.total, 729);
	}
}

/* Items that add up to the total less a tax printed on its own line
 * agree with it; under a German VAT table, which prints the gross, they
 * do not. */
static void test_parser_stores__tax_added_on_top(void **state)
{
	(void)state;
	assert_int_equal(parse("Corner Store\nMilk 4.00\nBread 6.00\n"
			       "Subtotal 10.00\nSales Tax 8% 0.80\n"
			       "Total 10.80\nVisa 10.80\n03.12.2024\n"),
			 0);
	assert_int_equal(rc_out.total, 1080);
	assert_int_equal(rc_out.nwarnings, 0);
	assert_int_equal(parse("Markt\nBrot 4,00 A\nMilch 6,00 A\n"
			       "SUMME 10,60\nA 19% 8,91 1,69 10,60\n"
			       "03.12.2024\n"),
			 0);
	assert_int_equal(rc_out.total, 1060);
	assert_int_equal(rc_out.nwarnings, 1);
	assert_non_null(strstr(rc_out.warnings[0], "items sum to"));
}

/* The TSE block's start and end, agreeing on the day, outvote a date line
 * read otherwise; stamps on two days (past midnight) do not. */
static void test_parser_stores__tse_stamps_outvote_the_date_line(void **state)
{
	static const char head[] = "Markt\n12.08.2024 10:11\nBrot 1,29 B\n"
				   "SUMME 1,29\nTSE\nTransaktionsnummer: 56\n";
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head,
		 "Start: 12.03.2024 10:11:05\nEnde: 12.03.2024 10:11:09\n");
	assert_int_equal(parse(text), 0);
	assert_string_equal(rc_out.date, "2024-03-12");
	assert_int_equal(rc_out.nwarnings, 1);
	assert_non_null(strstr(rc_out.warnings[0], "TSE"));
	snprintf(text, sizeof(text), "%s%s", head,
		 "Start: 11.08.2024 23:59:05\nEnde: 12.08.2024 00:01:09\n");
	assert_int_equal(parse(text), 0);
	assert_string_equal(rc_out.date, "2024-08-12");
	assert_int_equal(rc_out.nwarnings, 0);
	/* No date line read: the stamps give day and time. */
	assert_int_equal(parse("Markt\nBrot 1,29 B\nSUMME 1,29\n"
			       "TSE-Start: 2024-03-12T10:11:05.000\n"
			       "TSE-Stop: 2024-03-12T10:12:09.000\n"),
			 0);
	assert_string_equal(rc_out.date, "2024-03-12");
	assert_string_equal(rc_out.time, "10:11");
}

static void test_parser_stores__fuzzy_find_is_word_bounded(void **state)
{
	(void)state;
	assert_int_equal(store_fuzzy_find("rewe markt", 10, "rewe", 4, 2), 0);
	assert_int_equal(store_fuzzy_find("revve markt", 11, "rewe", 4, 2), 2);
	/* Past the bound the answer is the bound plus one. */
	assert_int_equal(store_fuzzy_find("revve markt", 11, "rewe", 4, 1), 2);
	assert_int_equal(store_fuzzy_find("penny rewe", 10, "rewe", 4, 0), 0);
	/* Inside another word it does not count as a match at all. */
	assert_int_equal(store_fuzzy_find("brewery", 7, "rewe", 4, 2), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_parser_stores__golden_fixtures_of_every_chain),
		cmocka_unit_test(
			test_parser_stores__ocr_damaged_names_still_recognised),
		cmocka_unit_test(
			test_parser_stores__vat_id_alone_identifies_chain),
		cmocka_unit_test(test_parser_stores__chains_known_by_name_only),
		cmocka_unit_test(
			test_parser_stores__common_words_are_not_chains),
		cmocka_unit_test(
			test_parser_stores__unknown_store_is_fully_parsed),
		cmocka_unit_test(
			test_parser_stores__pfand_deposit_leergut_return),
		cmocka_unit_test(
			test_parser_stores__chain_discount_word_is_negative),
		cmocka_unit_test(
			test_parser_stores__class_letter_means_chain_rate),
		cmocka_unit_test(test_parser_stores__glued_class_letter_split),
		cmocka_unit_test(test_parser_stores__tse_block_read),
		cmocka_unit_test(
			test_parser_stores__misread_item_digit_corrected),
		cmocka_unit_test(
			test_parser_stores__misread_item_sign_corrected),
		cmocka_unit_test(
			test_parser_stores__vat_class_picks_misread_item),
		cmocka_unit_test(
			test_parser_stores__leading_zero_and_stray_digit),
		cmocka_unit_test(
			test_parser_stores__whole_extra_line_mends_no_digit),
		cmocka_unit_test(test_parser_stores__deposit_sign_corrected),
		cmocka_unit_test(
			test_parser_stores__quantity_line_repairs_amount),
		cmocka_unit_test(test_parser_stores__misread_rate_from_class),
		cmocka_unit_test(
			test_parser_stores__one_unreadable_item_from_total),
		cmocka_unit_test(test_parser_stores__misread_total_corrected),
		cmocka_unit_test(
			test_parser_stores__vat_disagreeing_lowers_confidence),
		cmocka_unit_test(
			test_parser_stores__english_receipts_parse_generic),
		cmocka_unit_test(
			test_parser_stores__payment_word_with_letter_lost),
		cmocka_unit_test(test_parser_stores__lone_payment_words),
		cmocka_unit_test(test_parser_stores__tax_added_on_top),
		cmocka_unit_test(
			test_parser_stores__tse_stamps_outvote_the_date_line),
		cmocka_unit_test(
			test_parser_stores__fuzzy_find_is_word_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
