/*
 * test_dots.c: ocr_dots_clear paints out the dot inside a zero, whole or
 * with its ring broken, and leaves periods, colons and the dot of an i.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dots.h"
#include "pix_fx.h"
#include "banned.h"

#define PAPER 250
#define INK 40
/* A zero: a ring GW x GH with strokes GS thick; glyphs every PITCH. */
#define GW 20
#define GH 30
#define GS 4
#define PITCH 34
#define DOT 4

/* A zero at x, y with a dot in it; broken: worn through at its top right
 * (a gap level with the dot hides that side: such a zero keeps its dot). */
static void zero(PIX *pix, int x, int y, int broken)
{
	fill(pix, x, y, GW, GH, INK);
	fill(pix, x + GS, y + GS, GW - 2 * GS, GH - 2 * GS, PAPER);
	if (broken)
		fill(pix, x + GW - GS, y + GS, GS, 6, PAPER);
	fill(pix, x + GW / 2 - DOT / 2, y + GH / 2 - DOT / 2, DOT, DOT, INK);
}

static int is_ink(PIX *pix, int x, int y)
{
	return darker(pix, x, y, (PAPER + INK) / 2);
}

static void test_dots__zero_dots_go_punctuation_stays(void **state)
{
	PIX *pix = pixCreate(40 * PITCH, 12 * GH, 8); /* glyphs under a tenth */
	int y = GH, x, colon_x, period_x, i_x;

	(void)state;
	assert_non_null(pix);
	pixSetAllArbitrary(pix, PAPER);
	/* 30 zeros, every third one broken: enough glyphs for a height. */
	for (int i = 0; i < 30; i++)
		zero(pix, i * PITCH, y, i % 3 == 0);
	x = 30 * PITCH;
	/* "0:0", "0." and an "i" after them. */
	colon_x = x - (PITCH - GW) / 2 - DOT / 2;
	fill(pix, colon_x, y + 8, DOT, DOT, INK);
	fill(pix, colon_x, y + GH - 8 - DOT, DOT, DOT, INK);
	period_x = x + PITCH - (PITCH - GW) / 2 - DOT / 2 + PITCH;
	zero(pix, x, y, 0);
	zero(pix, x + PITCH, y, 0);
	fill(pix, period_x, y + GH - DOT, DOT, DOT, INK);
	i_x = x + 3 * PITCH;
	fill(pix, i_x, y + 10, GS, GH - 10, INK);
	fill(pix, i_x, y + 2, GS, GS, INK);

	assert_int_equal(ocr_dots_clear(pix), 32);
	for (int i = 0; i < 32; i++)
		assert_false(is_ink(pix, i * PITCH + GW / 2, y + GH / 2));
	assert_true(is_ink(pix, colon_x + 1, y + 9));
	assert_true(is_ink(pix, colon_x + 1, y + GH - 8 - DOT + 1));
	assert_true(is_ink(pix, period_x + 1, y + GH - DOT + 1));
	assert_true(is_ink(pix, i_x + 1, y + 3));
	/* The rings themselves stay. */
	assert_true(is_ink(pix, 1, y + GH / 2));
	pixDestroy(&pix);
}

static void test_dots__blank_page_has_nothing_to_clear(void **state)
{
	PIX *pix = pixCreate(200, 100, 8);

	(void)state;
	assert_non_null(pix);
	pixSetAllArbitrary(pix, PAPER);
	assert_int_equal(ocr_dots_clear(pix), 0);
	pixDestroy(&pix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dots__zero_dots_go_punctuation_stays),
		cmocka_unit_test(test_dots__blank_page_has_nothing_to_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
