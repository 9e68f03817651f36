/*
 * test_ocr_lines.c: lines rebuilt from Tesseract's word boxes put an item
 * name and its right-aligned amount back on one line on a tilted photo,
 * and keep every word with its confidence; a total read with little
 * confidence makes the parsed receipt less sure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ocr.h"
#include "banned.h"

struct word_spec {
	const char *text;
	int x0, x1; /* horizontal extent */
	int line;   /* line as Tesseract gave it */
	float conf;
};

/* Builds a result as ocr_engine_read would before rebuilding: words in
 * Tesseract's order, its lines, text with '\n' between them. Each word's
 * box follows a page tilted by slope, from the baseline of its printed
 * line (printed[] in the same order as specs). */
static void make_result(struct ocr_result *res, const struct word_spec *w,
			const int *printed, size_t n, float slope)
{
	size_t len = 0, off = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < n; i++)
		len += strlen(w[i].text) + 1;
	res->text = calloc(len + 1, 1);
	res->words = calloc(n, sizeof(*res->words));
	res->lines = calloc(n, sizeof(*res->lines));
	assert_non_null(res->text);
	assert_non_null(res->words);
	assert_non_null(res->lines);
	for (size_t i = 0; i < n; i++) {
		struct ocr_word *o = &res->words[i];
		int mid = (w[i].x0 + w[i].x1) / 2;
		int y = printed[i] * 50 + (int)(slope * (float)mid);
		struct ocr_line *l;

		o->box = (struct ocr_box){ w[i].x0, y, w[i].x1, y + 30 };
		o->conf = w[i].conf;
		o->off = off;
		o->len = strlen(w[i].text);
		memcpy(res->text + off, w[i].text, o->len);
		off += o->len;
		res->text[off++] =
			i + 1 == n || w[i + 1].line != w[i].line ? '\n' : ' ';
		if (!i || w[i - 1].line != w[i].line) {
			res->lines[res->nlines].first_word = i;
			res->lines[res->nlines].off = o->off;
			res->lines[res->nlines].box = o->box;
			res->nlines++;
		}
		l = &res->lines[res->nlines - 1];
		l->nwords++;
		l->len = off - 1 - l->off;
		l->box.x1 = o->box.x1;
		l->box.y0 = o->box.y0 < l->box.y0 ? o->box.y0 : l->box.y0;
		l->box.y1 = o->box.y1 > l->box.y1 ? o->box.y1 : l->box.y1;
	}
	res->nwords = n;
	res->text_len = off;
	res->width = 1000;
}

static void test_ocr_lines__tilted_amounts_rejoin_their_names(void **state)
{
	/* Tilted by 5 degrees: each amount at the right sits a line and a
	 * half lower than its name, and Tesseract read it as its own line. */
	static const struct word_spec w[] = {
		{ "Betrag", 0, 120, 0, 95 },	{ "EUR", 140, 200, 0, 93 },
		{ "Bar", 0, 60, 1, 96 },	{ "17,44", 800, 900, 2, 64 },
		{ "Rueckgeld", 0, 180, 3, 91 }, { "20,00", 800, 900, 4, 90 },
		{ "2,56", 820, 900, 5, 88 },
	};
	static const int printed[] = { 0, 0, 1, 0, 2, 1, 2 };
	struct ocr_result res;

	(void)state;
	make_result(&res, w, printed, sizeof(w) / sizeof(w[0]), 0.0875f);
	assert_int_equal(ocr_result_rebuild_lines(&res), OCR_OK);
	assert_string_equal(res.text,
			    "Betrag EUR 17,44\nBar 20,00\nRueckgeld 2,56\n");
	assert_int_equal(res.nlines, 3);
	assert_int_equal(res.nwords, 7);
	assert_int_equal(res.lines[0].nwords, 3);
	/* The amount keeps its own confidence. */
	assert_true(res.words[2].conf == 64.0f);
	assert_int_equal(res.words[2].len, 5);
	assert_memory_equal(res.text + res.words[2].off, "17,44", 5);
	ocr_result_release(&res);
}

static void test_ocr_lines__level_lines_stay_as_read(void **state)
{
	static const struct word_spec w[] = {
		{ "Milch", 0, 100, 0, 95 },
		{ "1,19", 800, 880, 0, 93 },
		{ "Brot", 0, 80, 1, 96 },
		{ "2,49", 800, 880, 1, 92 },
	};
	static const int printed[] = { 0, 0, 1, 1 };
	struct ocr_result res;

	(void)state;
	make_result(&res, w, printed, sizeof(w) / sizeof(w[0]), 0.0f);
	assert_int_equal(ocr_result_rebuild_lines(&res), OCR_OK);
	assert_string_equal(res.text, "Milch 1,19\nBrot 2,49\n");
	assert_int_equal(res.nlines, 2);
	ocr_result_release(&res);
}

static void test_ocr_lines__short_line_takes_the_page_slope(void **state)
{
	/* Tilted by 1.7 degrees. The sure words of the second line are an
	 * amount and its VAT letter, whose boxes a broken glyph puts 6 px
	 * apart in height: their slope, measured over 95 px, falls where
	 * the page's rises. The third line has one sure word. Both take the
	 * slope of the page's long lines instead. */
	static const struct word_spec w[] = {
		{ "Eier", 0, 80, 0, 95 },
		{ "10er", 120, 200, 0, 95 },
		{ "2,79", 800, 900, 0, 90 },
		{ "Roggenbrot", 0, 260, 1, 45 },
		{ "1,89", 800, 900, 1, 87 },
		{ "B", 930, 960, 1, 87 },
		{ "Emmentaler", 0, 260, 2, 78 },
		{ "18,70", 800, 900, 2, 6 },
		{ "Butter", 0, 120, 3, 95 },
		{ "250g", 140, 220, 3, 95 },
		{ "2,29", 800, 900, 3, 90 },
	};
	static const int printed[] = { 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3 };
	struct ocr_result res;

	(void)state;
	make_result(&res, w, printed, sizeof(w) / sizeof(w[0]), 0.03f);
	res.words[5].box.y0 -= 6;
	res.words[5].box.y1 -= 6;
	assert_int_equal(ocr_result_rebuild_lines(&res), OCR_OK);
	assert_string_equal(res.text, "Eier 10er 2,79\nRoggenbrot 1,89 B\n"
				      "Emmentaler 18,70\nButter 250g 2,29\n");
	ocr_result_release(&res);
}

static void
test_ocr_lines__surer_words_of_a_second_reading_are_taken(void **state)
{
	/* The first reading lost a stroke of the total; the second reads it
	 * surely but is unsure of the date, and finds a speck the first
	 * did not. A card amount the first reading broke with a mark is
	 * taken whole from the second, though less sure. */
	static const struct word_spec first[] = {
		{ "Summe", 0, 120, 0, 96 },
		{ "35,55", 800, 900, 0, 41 },
		{ "12.05.2020", 0, 200, 1, 88 },
		{ "Bar", 0, 60, 2, 90 },
		{ "50,00", 800, 900, 2, 90 },
		{ "Karte", 0, 100, 3, 95 },
		{ "35,6\xE2\x82\xAC", 800, 900, 3, 95 },
	};
	static const struct word_spec second[] = {
		{ "Summe", 0, 120, 0, 97 },	 { "35,65", 805, 900, 0, 93 },
		{ "12.06.2020", 0, 200, 1, 61 }, { "'", 400, 410, 1, 30 },
		{ "Bar", 0, 60, 2, 92 },	 { "50,08", 800, 900, 2, 93 },
		{ "Karte", 0, 100, 3, 95 },	 { "35,65", 800, 900, 3, 80 },
	};
	static const int printed[] = { 0, 0, 1, 2, 2, 3, 3 };
	static const int printed2[] = { 0, 0, 1, 1, 2, 2, 3, 3 };
	struct ocr_result res, alt;

	(void)state;
	make_result(&res, first, printed, sizeof(first) / sizeof(first[0]),
		    0.0f);
	make_result(&alt, second, printed2, sizeof(second) / sizeof(second[0]),
		    0.0f);
	assert_int_equal(ocr_result_merge(&res, &alt), OCR_OK);
	/* "50,08" is surer, but not by enough to overrule "50,00". */
	assert_string_equal(res.text, "Summe 35,65\n12.05.2020\nBar 50,00\n"
				      "Karte 35,65\n");
	assert_int_equal(res.nlines, 4);
	assert_int_equal(res.nwords, 7);
	assert_true(res.words[1].conf == 93.0f);
	assert_memory_equal(res.text + res.words[1].off, "35,65", 5);
	assert_int_equal(res.words[1].box.x0, 800);
	assert_true(res.lines[0].conf == (96.0f + 93.0f) / 2.0f);
	ocr_result_release(&res);
	ocr_result_release(&alt);
}

static void test_ocr_lines__second_reading_settles_total_and_date(void **state)
{
	/* The first reading is surer of a total the items do not give and
	 * of a date that is no day (month 93); the second reads both right,
	 * less surely. Its cash figure helps nothing and is not taken. */
	static const struct word_spec first[] = {
		{ "Brot", 0, 80, 0, 95 },	 { "2,49", 800, 880, 0, 93 },
		{ "Milch", 0, 100, 1, 95 },	 { "1,19", 800, 880, 1, 93 },
		{ "Summe", 0, 120, 2, 96 },	 { "3,88", 800, 880, 2, 90 },
		{ "Bar", 0, 60, 3, 95 },	 { "5,00", 800, 880, 3, 90 },
		{ "14.93.2026", 0, 200, 4, 90 },
	};
	static const struct word_spec second[] = {
		{ "Brot", 0, 80, 0, 95 },	 { "2,49", 800, 880, 0, 93 },
		{ "Milch", 0, 100, 1, 95 },	 { "1,19", 800, 880, 1, 93 },
		{ "Summe", 0, 120, 2, 96 },	 { "3,68", 800, 880, 2, 80 },
		{ "Bar", 0, 60, 3, 95 },	 { "5,08", 800, 880, 3, 80 },
		{ "14.03.2026", 0, 200, 4, 70 },
	};
	static const int printed[] = { 0, 0, 1, 1, 2, 2, 3, 3, 4 };
	struct ocr_result res, alt;

	(void)state;
	make_result(&res, first, printed, sizeof(first) / sizeof(first[0]),
		    0.0f);
	make_result(&alt, second, printed, sizeof(second) / sizeof(second[0]),
		    0.0f);
	assert_int_equal(ocr_result_merge(&res, &alt), OCR_OK);
	assert_string_equal(res.text, "Brot 2,49\nMilch 1,19\nSumme 3,68\n"
				      "Bar 5,00\n14.03.2026\n");
	assert_true(res.words[5].conf == 80.0f);
	ocr_result_release(&res);
	ocr_result_release(&alt);
}

/* Merges two readings of a receipt whose last line, a date or an
 * amount, reads a in one (Tesseract sure of it by ca) and b in the other;
 * returns the merged text in buf. */
static void merge_last(const char *a, float ca, const char *b, float cb,
		       char *buf, size_t size)
{
	const struct word_spec first[] = {
		{ "Brot", 0, 80, 0, 95 },   { "2,49", 800, 880, 0, 93 },
		{ "Summe", 0, 120, 1, 96 }, { "2,49", 800, 880, 1, 93 },
		{ a, 0, 200, 2, ca },
	};
	const struct word_spec second[] = {
		{ "Brot", 0, 80, 0, 95 },   { "2,49", 800, 880, 0, 93 },
		{ "Summe", 0, 120, 1, 96 }, { "2,49", 800, 880, 1, 93 },
		{ b, 0, 200, 2, cb },
	};
	static const int printed[] = { 0, 0, 1, 1, 2 };
	struct ocr_result res, alt;

	make_result(&res, first, printed, 5, 0.0f);
	make_result(&alt, second, printed, 5, 0.0f);
	assert_int_equal(ocr_result_merge(&res, &alt), OCR_OK);
	snprintf(buf, size, "%s", res.text);
	ocr_result_release(&res);
	ocr_result_release(&alt);
}

/* Last words a (sure by ca) and b (by cb) of two readings, and the
 * merged one wanted. */
struct merge_case {
	const char *a, *b, *want;
	float ca, cb;
};

static void check_merges(const struct merge_case *cases, size_t n)
{
	char buf[128], want[128];

	for (size_t i = 0; i < n; i++) {
		merge_last(cases[i].a, cases[i].ca, cases[i].b, cases[i].cb,
			   buf, sizeof(buf));
		snprintf(want, sizeof(want), "Brot 2,49\nSumme 2,49\n%s\n",
			 cases[i].want);
		assert_string_equal(buf, want);
	}
}

/* A date with a letter among its digits (a 0 worn to a C) loses to the
 * same date read all in digits however sure Tesseract was of the letter;
 * an O is a 0 in many fonts and decides nothing. A date after today is
 * misread: the other reading's is taken though Tesseract doubted it. So
 * is a 3 where the other reading has an 8, either way round; a 5 and a 6
 * (an opened reading closes a 5) and other digits count as sure as they
 * read. */
static void test_ocr_lines__worn_or_future_date_gives_way(void **state)
{
	static const struct merge_case cases[] = {
		{ "2022-03-06", "2022-C2-06", "2022-03-06", 23, 55 },
		{ "2022-C2-06", "2022-03-06", "2022-03-06", 55, 23 },
		{ "2022-O2-06", "2022-03-06", "2022-O2-06", 55, 23 },
		{ "27/09/2955", "27/09/2015", "27/09/2015", 34, 0 },
		{ "02.04.2013", "02.04.2018", "02.04.2018", 60, 30 },
		{ "02.04.2018", "02.04.2013", "02.04.2018", 30, 60 },
		{ "02.05.2018", "02.06.2018", "02.05.2018", 60, 30 },
		{ "02.04.2013", "06.04.2018", "02.04.2013", 60, 30 },
	};

	(void)state;
	check_merges(cases, sizeof(cases) / sizeof(cases[0]));
}

/* An amount with a 6, 8 or 9 where the other reading has a 0, all else
 * alike, is a dotted zero misread: the 0 is taken however sure Tesseract
 * was of the other digit. Other digits count as sure as they read. */
static void test_ocr_lines__dotted_zero_amount_gives_way(void **state)
{
	static const struct merge_case cases[] = {
		{ "6,49", "6,40", "6,40", 90, 40 },
		{ "6,40", "6,49", "6,40", 40, 90 },
		{ "38,07", "30,07", "30,07", 91, 20 },
		{ "6,49", "6,30", "6,49", 90, 40 },
		{ "6,49", "5,40", "6,49", 90, 40 },
	};

	(void)state;
	check_merges(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The same receipt read twice, once with the total's digits doubted. */
static double parse_with_total_conf(float conf, struct receipt *r)
{
	static const struct word_spec w[] = {
		{ "Brot", 0, 80, 0, 95 },	 { "2,49", 800, 880, 0, 93 },
		{ "Milch", 0, 100, 1, 95 },	 { "1,19", 800, 880, 1, 93 },
		{ "Summe", 0, 120, 2, 96 },	 { "3,68", 800, 880, 2, 0 },
		{ "14.03.2026", 0, 200, 3, 91 },
	};
	struct word_spec v[sizeof(w) / sizeof(w[0])];
	static const int printed[] = { 0, 0, 1, 1, 2, 2, 3 };
	struct ocr_result res;

	memcpy(v, w, sizeof(w));
	v[5].conf = conf;
	make_result(&res, v, printed, sizeof(v) / sizeof(v[0]), 0.0f);
	assert_int_equal(ocr_result_parse(&res, r), 0);
	ocr_result_release(&res);
	assert_int_equal(r->total, 368);
	return r->confidence;
}

static void test_ocr_lines__doubtful_total_lowers_confidence(void **state)
{
	struct receipt *sure = malloc(sizeof(*sure));
	struct receipt *doubt = malloc(sizeof(*doubt));
	int warned = 0;

	(void)state;
	assert_non_null(sure);
	assert_non_null(doubt);
	assert_true(parse_with_total_conf(35.0f, doubt) <
		    parse_with_total_conf(92.0f, sure));
	for (size_t i = 0; i < doubt->nwarnings; i++)
		warned |= strstr(doubt->warnings[i], "low OCR confidence") !=
			  NULL;
	assert_true(warned);
	for (size_t i = 0; i < sure->nwarnings; i++)
		assert_null(strstr(sure->warnings[i], "low OCR confidence"));
	free(sure);
	free(doubt);
}

static void test_ocr_lines__empty_result_stays_empty(void **state)
{
	struct ocr_result res;

	(void)state;
	memset(&res, 0, sizeof(res));
	assert_int_equal(ocr_result_rebuild_lines(&res), OCR_OK);
	assert_int_equal(res.nlines, 0);
	ocr_result_release(&res);
}

/* The page opened whole with Leptonica, on paper but for the words keep
 * marks, each with margin m: what ocr_open_figures must give. */
static PIX *opened_whole(PIX *page, const struct ocr_result *res, int px, int m,
			 const int *keep)
{
	PIX *full = pixOpenGray(page, px, px), *out = pixCreateTemplate(page);

	assert_non_null(full);
	assert_non_null(out);
	pixSetAll(out);
	for (size_t i = 0; i < res->nwords; i++) {
		const struct ocr_box *b = &res->words[i].box;

		if (keep[i])
			pixRasterop(out, b->x0 - m, b->y0 - m,
				    b->x1 - b->x0 + 2 * m,
				    b->y1 - b->y0 + 2 * m, PIX_SRC, full,
				    b->x0 - m, b->y0 - m);
	}
	pixDestroy(&full);
	return out;
}

static void test_ocr_lines__figures_open_as_the_whole_page(void **state)
{
	/* Words at every edge of a page of noise, where a word opened
	 * alone differs from the page opened whole unless its cut is
	 * wide enough and meets the page's edge where the word does. */
	static const struct word_spec w[] = {
		{ "13.01.17", 0, 160, 0, 90 },	 { "Milch", 300, 420, 0, 90 },
		{ "08:12", 930, 1000, 0, 90 },	 { "1,19", 700, 790, 1, 90 },
		{ "2014-03-09", 0, 200, 2, 90 }, { "4711", 880, 1000, 2, 90 },
	};
	static const int printed[] = { 0, 0, 0, 1, 2, 2 };
	static const int figures[] = { 1, 0, 1, 1, 1, 1 };
	static const int dates[] = { 1, 0, 0, 0, 1, 0 };
	struct ocr_result res;
	PIX *page = pixCreate(1000, 140, 8), *got, *want;
	uint32_t r = 12345;
	l_int32 same = 0;

	(void)state;
	assert_non_null(page);
	for (int y = 0; y < 140; y++)
		for (int x = 0; x < 1000; x++) {
			r = r * 1103515245u + 12345u;
			pixSetPixel(page, x, y, (r >> 16) & 0xff);
		}
	make_result(&res, w, printed, sizeof(w) / sizeof(w[0]), 0.0f);
	res.prep.text_px = 30; /* a margin of 12 px */
	for (int px = 5; px <= 7; px += 2) {
		got = ocr_open_figures(page, &res, px, 0);
		want = opened_whole(page, &res, px, 12, figures);
		assert_non_null(got);
		assert_int_equal(pixEqual(got, want, &same), 0);
		assert_true(same);
		pixDestroy(&got);
		pixDestroy(&want);
	}
	got = ocr_open_figures(page, &res, 5, 1);
	want = opened_whole(page, &res, 5, 12, dates);
	assert_non_null(got);
	assert_int_equal(pixEqual(got, want, &same), 0);
	assert_true(same);
	pixDestroy(&got);
	pixDestroy(&want);
	pixDestroy(&page);
	ocr_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_ocr_lines__tilted_amounts_rejoin_their_names),
		cmocka_unit_test(test_ocr_lines__level_lines_stay_as_read),
		cmocka_unit_test(
			test_ocr_lines__short_line_takes_the_page_slope),
		cmocka_unit_test(
			test_ocr_lines__surer_words_of_a_second_reading_are_taken),
		cmocka_unit_test(test_ocr_lines__worn_or_future_date_gives_way),
		cmocka_unit_test(test_ocr_lines__dotted_zero_amount_gives_way),
		cmocka_unit_test(
			test_ocr_lines__second_reading_settles_total_and_date),
		cmocka_unit_test(
			test_ocr_lines__doubtful_total_lowers_confidence),
		cmocka_unit_test(test_ocr_lines__empty_result_stays_empty),
		cmocka_unit_test(
			test_ocr_lines__figures_open_as_the_whole_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
