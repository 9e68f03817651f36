/*
 * test_paper.c: ocr_paper_whiten makes a photographed receipt's grey paper
 * white and paints out the strip of table beside it, leaves a scan alone,
 * does not paint out a picture that is mostly dark, and tells a shadow
 * across the paper from table (run from the project root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "paper.h"
#include "banned.h"

/* A clean synthetic receipt (white paper, black print). */
#define RECEIPT "fixtures/synth/006.png"
/* Photographed paper and table levels. */
#define GREY_PAPER 215
#define TABLE 90
/* A shadow's share of the light. */
#define SHADE 0.5f

static PIX *load_grey(void)
{
	PIX *pix = pixRead(RECEIPT), *grey;

	assert_non_null(pix);
	grey = pixConvertTo8(pix, 0);
	pixDestroy(&pix);
	assert_non_null(grey);
	return grey;
}

/* The receipt as a phone sees it: paper at GREY_PAPER, print darkened
 * alike, and a band of table `band` pixels wide down its right side. */
static PIX *photographed(int band)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);

	assert_int_equal(pixMultConstantGray(pix, (float)GREY_PAPER / 255.0f),
			 0);
	if (band > 0) {
		BOX *b = boxCreate(w - band, 0, band, h);

		assert_int_equal(pixSetInRectArbitrary(pix, b, TABLE), 0);
		boxDestroy(&b);
	}
	return pix;
}

static l_uint32 rank(PIX *pix, float r)
{
	l_uint32 v = 0;

	assert_int_equal(pixGetRankValue(pix, 1, r, &v), 0);
	return v;
}

static void test_paper__grey_paper_turns_white_ink_stays(void **state)
{
	PIX *pix = photographed(0);

	(void)state;
	assert_true(rank(pix, 0.5f) <= GREY_PAPER);
	assert_int_equal(ocr_paper_whiten(pix, NULL), 1);
	assert_true(rank(pix, 0.5f) >= 250);
	assert_true(rank(pix, 0.01f) < 100);
	pixDestroy(&pix);
}

static void test_paper__table_beside_the_receipt_is_painted_out(void **state)
{
	PIX *pix = photographed(40);
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	l_uint32 v = 0;

	(void)state;
	assert_int_equal(ocr_paper_whiten(pix, NULL), 1);
	assert_int_equal(pixGetPixel(pix, w - 10, h / 2, &v), 0);
	assert_int_equal(v, 255);
	assert_true(rank(pix, 0.01f) < 100);
	pixDestroy(&pix);
}

static void test_paper__white_scan_is_left_alone(void **state)
{
	PIX *pix = load_grey(), *copy = pixCopy(NULL, pix);
	l_int32 same = 0;

	(void)state;
	assert_non_null(copy);
	assert_int_equal(ocr_paper_whiten(pix, NULL), 0);
	assert_int_equal(pixEqual(pix, copy, &same), 0);
	assert_true(same);
	pixDestroy(&copy);
	pixDestroy(&pix);
}

/* More than a strip of table: half the picture dark (a shadow, a dark
 * photo) is not painted out. */
static void test_paper__mostly_dark_picture_keeps_its_dark(void **state)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	BOX *b = boxCreate(0, 0, w / 2, h);
	l_uint32 v = 0;

	(void)state;
	assert_int_equal(pixSetInRectArbitrary(pix, b, TABLE), 0);
	ocr_paper_whiten(pix, NULL);
	assert_int_equal(pixGetPixel(pix, 5, h / 2, &v), 0);
	assert_true(v < 128);
	boxDestroy(&b);
	pixDestroy(&pix);
}

static int shaded(PIX *pix)
{
	PIX *surround = ocr_paper_surround(pix);
	int rc;

	assert_non_null(surround);
	rc = ocr_paper_shaded(pix, surround);
	pixDestroy(&surround);
	return rc;
}

/* A band of shadow across the bottom of the paper: dark at the border
 * like a strip of table, but with print on it. */
static void test_paper__shadow_with_print_is_shaded_not_table(void **state)
{
	PIX *pix = photographed(40);
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	BOX *band = boxCreate(0, h - h / 4, w, h / 4);
	PIX *shade = pixClipRectangle(pix, band, NULL);

	(void)state;
	assert_int_equal(shaded(pix), 0);
	assert_non_null(shade);
	assert_int_equal(pixMultConstantGray(shade, SHADE), 0);
	assert_int_equal(
		pixRasterop(pix, 0, h - h / 4, w, h / 4, PIX_SRC, shade, 0, 0),
		0);
	assert_int_equal(shaded(pix), 1);
	pixDestroy(&shade);
	boxDestroy(&band);
	pixDestroy(&pix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paper__grey_paper_turns_white_ink_stays),
		cmocka_unit_test(
			test_paper__table_beside_the_receipt_is_painted_out),
		cmocka_unit_test(test_paper__white_scan_is_left_alone),
		cmocka_unit_test(
			test_paper__mostly_dark_picture_keeps_its_dark),
		cmocka_unit_test(
			test_paper__shadow_with_print_is_shaded_not_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
