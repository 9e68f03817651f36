/*
 * test_bars.c: ocr_bars_clear paints out a barcode and leaves the line of
 * text its bars run into; a logo's few tall strokes and a grained dark
 * table along the page's edge are no barcode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bars.h"
#include "pix_fx.h"
#include "banned.h"

#define PAPER 250
#define INK 30
/* Text height, and glyphs as solid blocks GW wide every PITCH. */
#define TH 20
#define GW 12
#define PITCH 16
#define PAGE_W 600
#define PAGE_H 400
/* The code: bars from CODE_X, rows CODE_TOP to CODE_BOTTOM, over a line
 * of text at LINE_Y. */
#define CODE_X 100
#define CODE_TOP 100
#define CODE_BOTTOM 200
#define LINE_Y 204

static int is_ink(PIX *pix, int x, int y)
{
	return darker(pix, x, y, (PAPER + INK) / 2);
}

static PIX *page(void)
{
	PIX *pix = pixCreate(PAGE_W, PAGE_H, 8);

	assert_non_null(pix);
	pixSetAllArbitrary(pix, PAPER);
	return pix;
}

/* A line of n glyphs at x, y. */
static void text_line(PIX *pix, int x, int y, int n)
{
	for (int i = 0; i < n; i++)
		fill(pix, x + i * PITCH, y, GW, TH, INK);
}

static void test_bars__code_goes_line_under_it_stays(void **state)
{
	static const int widths[] = { 2, 2, 4, 6, 2, 8, 4, 2 };
	PIX *pix = page(), *before;
	int x = CODE_X, i = 0;

	(void)state;
	text_line(pix, 20, 20, 30);
	text_line(pix, 20, LINE_Y, 30);
	/* 40 bars; every fifth runs on into the glyphs below. */
	for (i = 0; i < 40; i++) {
		int w = widths[i % 8];

		fill(pix, x, CODE_TOP, w,
		     CODE_BOTTOM - CODE_TOP + (i % 5 ? 0 : 6), INK);
		x += w + 3;
	}
	before = pixCopy(NULL, pix);
	assert_non_null(before);
	assert_int_equal(ocr_bars_clear(pix, TH), 1);
	for (x = CODE_X; x < CODE_X + 100; x++)
		assert_false(is_ink(pix, x, (CODE_TOP + CODE_BOTTOM) / 2));
	/* The glyphs of both lines are all still there. */
	for (i = 0; i < 30; i++) {
		assert_true(is_ink(pix, 20 + i * PITCH + GW / 2, 20 + TH / 2));
		assert_true(is_ink(pix, 20 + i * PITCH + GW / 2, LINE_Y + 1));
		assert_true(
			is_ink(pix, 20 + i * PITCH + GW / 2, LINE_Y + TH - 1));
	}
	pixDestroy(&before);
	pixDestroy(&pix);
}

static void test_bars__logo_and_dark_table_stay(void **state)
{
	PIX *pix = page(), *before;
	int same = 0;

	(void)state;
	text_line(pix, 80, 300, 30);
	/* A logo: five strokes four text heights tall. */
	for (int i = 0; i < 5; i++)
		fill(pix, 300 + i * 12, 40, 5, 4 * TH, INK);
	/* Grained dark table down the left edge: upright streaks of dark
	 * grain between thin light lines, shaped like bars but mostly ink. */
	fill(pix, 0, 0, 120, PAGE_H / 2, INK);
	for (int x = 0; x < 120; x += 5)
		fill(pix, x, 0, 1, PAGE_H / 2, PAPER);
	before = pixCopy(NULL, pix);
	assert_non_null(before);
	assert_int_equal(ocr_bars_clear(pix, TH), 0);
	assert_int_equal(pixEqual(pix, before, &same), 0);
	assert_true(same);
	pixDestroy(&before);
	pixDestroy(&pix);
}

static void test_bars__unknown_text_height_does_nothing(void **state)
{
	PIX *pix = page();

	(void)state;
	assert_int_equal(ocr_bars_clear(pix, 0), 0);
	assert_int_equal(ocr_bars_clear(pix, TH), 0);
	pixDestroy(&pix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars__code_goes_line_under_it_stays),
		cmocka_unit_test(test_bars__logo_and_dark_table_stay),
		cmocka_unit_test(test_bars__unknown_text_height_does_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
