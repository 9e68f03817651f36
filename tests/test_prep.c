/*
 * test_prep.c: preprocessing undoes what a phone does to a receipt. Each
 * case takes a clean fixture receipt, turns, tilts or lays it on a dark
 * table with Leptonica, and checks that ocr_prep_run finds and undoes
 * exactly that (run from the project root).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "image.h"
#include "prep.h"
#include "banned.h"

/* A clean, upright synthetic receipt (white paper, black print). */
#define RECEIPT "fixtures/synth/006.png"

static PIX *load_grey(void)
{
	PIX *pix = pixRead(RECEIPT), *grey;

	assert_non_null(pix);
	grey = pixConvertTo8(pix, 0);
	pixDestroy(&pix);
	assert_non_null(grey);
	return grey;
}

static void run(PIX *pix, unsigned steps, struct ocr_prep_info *info)
{
	PIX *out = NULL;

	assert_int_equal(ocr_prep_run(pix, steps, 1200, 0, &out, info), 0);
	assert_non_null(out);
	assert_int_equal(pixGetDepth(out), 8);
	assert_int_equal(pixGetWidth(out), info->width);
	pixDestroy(&out);
}

/* A hand's shadow over the top third of pix: 45 % of the light. */
static void shade_top_third(PIX *pix)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix);

	for (int y = 0; y < h / 3; y++)
		for (int x = 0; x < w; x++) {
			l_uint32 v;

			pixGetPixel(pix, x, y, &v);
			pixSetPixel(pix, x, y, v * 45 / 100);
		}
}

static void test_prep__upright_receipt_is_left_alone(void **state)
{
	PIX *pix = load_grey();
	struct ocr_prep_info info;

	(void)state;
	run(pix, OCR_PREP_ALL, &info);
	assert_int_equal(info.cropped, 0);
	assert_int_equal(info.rotation, 0);
	assert_true(info.skew == 0.0f);
	assert_int_equal(info.stretched, 0);
	assert_int_equal(info.width, pixGetWidth(pix));
	pixDestroy(&pix);
}

static void test_prep__quarter_turns_are_undone(void **state)
{
	PIX *pix = load_grey();

	(void)state;
	for (int quads = 1; quads <= 3; quads += 2) {
		PIX *turned = pixRotateOrth(pix, quads);
		struct ocr_prep_info info;

		run(turned, OCR_PREP_ORIENT, &info);
		assert_int_equal(info.rotation, 90 * (4 - quads));
		assert_int_equal(info.width, pixGetWidth(pix));
		pixDestroy(&turned);
	}
	pixDestroy(&pix);
}

static void test_prep__quarter_turn_is_found_under_a_shadow(void **state)
{
	PIX *pix = load_grey();
	PIX *turned = pixRotateOrth(pix, 1);
	struct ocr_prep_info info;

	(void)state;
	assert_non_null(turned);
	shade_top_third(turned);
	run(turned, OCR_PREP_ORIENT, &info);
	assert_int_equal(info.rotation, 270);
	pixDestroy(&turned);
	pixDestroy(&pix);
}

static void test_prep__tilt_beyond_tesseract_is_straightened(void **state)
{
	PIX *pix = load_grey();
	PIX *tilted = pixRotate(pix, 8.0f * (float)M_PI / 180.0f,
				L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
	struct ocr_prep_info info;

	(void)state;
	run(tilted, OCR_PREP_DESKEW, &info);
	assert_true(fabsf(info.skew + 8.0f) < 0.5f);
	/* A small tilt is Tesseract's to follow: no resampling. */
	pixDestroy(&tilted);
	tilted = pixRotate(pix, 1.5f * (float)M_PI / 180.0f, L_ROTATE_AREA_MAP,
			   L_BRING_IN_WHITE, 0, 0);
	run(tilted, OCR_PREP_DESKEW, &info);
	assert_true(info.skew == 0.0f);
	pixDestroy(&tilted);
	pixDestroy(&pix);
}

/* A receipt photographed ten degrees crooked is still upright, and still
 * lies on its side when it does: the orientation check reads level
 * lines. */
static void test_prep__crooked_receipt_keeps_its_orientation(void **state)
{
	PIX *pix = load_grey();

	(void)state;
	for (int quads = 0; quads <= 3; quads++) {
		for (int sign = -1; sign <= 1; sign += 2) {
			PIX *turned = pixRotateOrth(pix, quads);
			PIX *tilted = pixRotate(
				turned, sign * 10.0f * (float)M_PI / 180.0f,
				L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
			struct ocr_prep_info info;

			assert_non_null(tilted);
			run(tilted, OCR_PREP_ORIENT, &info);
			assert_int_equal(info.rotation, 90 * ((4 - quads) % 4));
			pixDestroy(&tilted);
			pixDestroy(&turned);
		}
	}
	pixDestroy(&pix);
}

/* table, a w x h sheet laid on something, is cut to the sheet plus a
 * thin margin, not more; table is consumed. */
static void assert_cut_to_sheet(PIX *table, int w, int h)
{
	struct ocr_prep_info info;

	assert_non_null(table);
	run(table, OCR_PREP_CROP, &info);
	assert_int_equal(info.cropped, 1);
	assert_true(info.width >= w && info.width < w * 11 / 10);
	assert_true(info.height >= h && info.height < h * 11 / 10);
	pixDestroy(&table);
}

static void test_prep__receipt_is_cut_from_dark_table(void **state)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);

	(void)state;
	assert_cut_to_sheet(
		pixAddBorderGeneral(pix, w, 2 * w, h / 2, h / 3, 60), w, h);
	pixDestroy(&pix);
}

/* table (the sheet of w x h at bx, by on it) photographed from an angle
 * (keystone: the far, top edge narrower) and turned six degrees. */
static PIX *in_perspective(PIX *table, int w, int h, int bx, int by)
{
	float a = 6.0f * (float)M_PI / 180.0f, cx = (float)w / 2.0f,
	      cy = (float)h / 2.0f;
	float quad[4][2] = { { (float)w * 0.08f, 0 },
			     { (float)w * 0.92f, 0 },
			     { (float)w, (float)h },
			     { 0, (float)h } };
	PTA *src = ptaCreate(4), *dst = ptaCreate(4);
	PIX *photo;

	for (int j = 0; j < 4; j++) {
		float x = quad[j][0] - cx, y = quad[j][1] - cy;

		ptaAddPt(dst, cosf(a) * x - sinf(a) * y + cx + (float)bx,
			 sinf(a) * x + cosf(a) * y + cy + (float)by);
	}
	ptaAddPt(src, (float)bx, (float)by);
	ptaAddPt(src, (float)(bx + w), (float)by);
	ptaAddPt(src, (float)(bx + w), (float)(by + h));
	ptaAddPt(src, (float)bx, (float)(by + h));
	/* The sheet's corners (src) land on the quadrilateral (dst). */
	photo = pixProjectivePta(table, dst, src, L_BRING_IN_BLACK);
	assert_non_null(photo);
	ptaDestroy(&src);
	ptaDestroy(&dst);
	return photo;
}

/* A receipt on a dark table in perspective comes out an upright sheet
 * of its own size; lying straight it is left to the deskew step. */
static void test_prep__sheet_in_perspective_is_flattened(void **state)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	int bx = w / 6, by = h / 12;
	PIX *table = pixAddBorderGeneral(pix, bx, bx, by, by, 0);
	PIX *photo;
	struct ocr_prep_info info;

	(void)state;
	assert_non_null(table);
	photo = in_perspective(table, w, h, bx, by);
	run(photo, OCR_PREP_DESKEW, &info);
	assert_int_equal(info.flattened, 1);
	assert_true(info.skew == 0.0f);
	assert_true(abs(info.width - w) < w / 25);
	assert_true(abs(info.height - h) < h / 25);
	run(table, OCR_PREP_DESKEW, &info);
	assert_int_equal(info.flattened, 0);
	pixDestroy(&photo);
	pixDestroy(&table);
	pixDestroy(&pix);
}

/* The same on a grained table (wood) that is nowhere flat, a shade over
 * its top and the top of the sheet: the sheet is the lit paper grown
 * into its shade, and is flattened whole. */
static void test_prep__sheet_on_grain_in_perspective_is_flattened(void **state)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	int bx = w / 2, by = h / 4, grain = h / 60;
	int y0 = by + h / 4, ramp = h / 10;
	PIX *table = pixAddBorderGeneral(pix, bx, bx, by, by, 60), *full,
	    *photo;
	BOX *inner = boxCreate(bx / 2, by / 2, w + bx, h + by);
	struct ocr_prep_info info;

	(void)state;
	assert_non_null(table);
	for (int y = 0; y < pixGetHeight(table); y++)
		for (int x = 0; x < pixGetWidth(table); x++) {
			int pct = y < y0	  ? 45
				  : y < y0 + ramp ? 45 + 55 * (y - y0) / ramp
						  : 100;
			l_uint32 v;

			pixGetPixel(table, x, y, &v);
			if ((x < bx || x >= bx + w || y < by || y >= by + h) &&
			    y / grain % 2)
				v = 100;
			pixSetPixel(table, x, y, v * (l_uint32)pct / 100);
		}
	/* Wood to the picture's edges: the map leaves its corners black. */
	full = in_perspective(table, w, h, bx, by);
	photo = pixClipRectangle(full, inner, NULL);
	assert_non_null(photo);
	run(photo, OCR_PREP_CROP | OCR_PREP_DESKEW, &info);
	assert_int_equal(info.flattened, 1);
	assert_true(abs(info.width - w) < w / 25);
	assert_true(abs(info.height - h) < h / 25);
	boxDestroy(&inner);
	pixDestroy(&full);
	pixDestroy(&photo);
	pixDestroy(&table);
	pixDestroy(&pix);
}

static void test_prep__shaded_part_of_the_sheet_is_kept(void **state)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);

	(void)state;
	/* The right quarter of the paper (with its amounts) in shade. */
	for (int y = 0; y < h; y++)
		for (int x = w * 3 / 4; x < w; x++) {
			l_uint32 v;

			pixGetPixel(pix, x, y, &v);
			pixSetPixel(pix, x, y, v * 60 / 100);
		}
	assert_cut_to_sheet(pixAddBorderGeneral(pix, w, w, h / 2, h / 3, 50), w,
			    h);
	pixDestroy(&pix);
}

/* The fixture laid on a table of grey level table_grey, a shade over
 * everything right of the sheet's x0_pct per cent, darkening to 45 %
 * over ramp_div-th of the sheet's width; checks the cut keeps the sheet. */
static void assert_sheet_kept_under_shade(int table_grey, int x0_pct,
					  int ramp_div)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	PIX *table = pixAddBorderGeneral(pix, w, w, h / 2, h / 3,
					 (l_uint32)table_grey);
	int tw, th, x0 = w + w * x0_pct / 100, ramp = w / ramp_div;

	assert_non_null(table);
	tw = pixGetWidth(table);
	th = pixGetHeight(table);
	for (int y = 0; y < th; y++)
		for (int x = x0; x < tw; x++) {
			int pct = x >= x0 + ramp ? 45
						 : 100 - 55 * (x - x0) / ramp;
			l_uint32 v;

			pixGetPixel(table, x, y, &v);
			pixSetPixel(table, x, y, v * (l_uint32)pct / 100);
		}
	assert_cut_to_sheet(table, w, h);
	pixDestroy(&pix);
}

/* A hand's shadow over the table and most of the sheet: the shaded paper
 * is darker than the lit table, so no one grey level separates paper
 * from table; the shade's soft edge is no border of the sheet. */
static void test_prep__sheet_under_a_soft_shadow_is_kept_whole(void **state)
{
	(void)state;
	assert_sheet_kept_under_shade(120, 40, 10);
}

/* Window light: a sheet on a light table, a shade with a fairly sharp
 * edge across both. The lit table is brighter than the shaded paper, and
 * the shade's edge too sharp to grow the sheet across; the sheet's own
 * outline, a step in light and shade alike, still holds it. */
static void test_prep__sheet_outline_holds_across_a_hard_shade(void **state)
{
	(void)state;
	assert_sheet_kept_under_shade(190, 60, 30);
}

/* A shade across the middle of a sheet on a grained dark table (an arm
 * over the receipt on wood): the lit paper falls into two pieces no sheet
 * fills, the grain leaves no outline to find, and the sheet is grown back
 * from the pieces across the shade's soft edges. */
static void test_prep__sheet_cut_by_a_shade_is_grown_whole(void **state)
{
	PIX *pix = load_grey();
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	PIX *table = pixAddBorderGeneral(pix, w, w, h / 2, h / 3, 60);
	int y0 = h / 2 + h * 3 / 10, y1 = h / 2 + h * 7 / 10, ramp = h / 10;
	int grain = h / 60;

	(void)state;
	assert_non_null(table);
	for (int y = 0; y < pixGetHeight(table); y++)
		for (int x = 0; x < pixGetWidth(table); x++) {
			int in = y - y0 < y1 - y ? y - y0 : y1 - y;
			int pct = y < y0 || y >= y1 ? 100
				  : in >= ramp	    ? 45
						    : 100 - 55 * in / ramp;
			l_uint32 v;

			pixGetPixel(table, x, y, &v);
			if (v == 60 && y / grain % 2)
				v = 100;
			pixSetPixel(table, x, y, v * (l_uint32)pct / 100);
		}
	assert_cut_to_sheet(table, w, h);
	pixDestroy(&pix);
}

static void test_prep__faint_print_is_stretched(void **state)
{
	PIX *pix = load_grey();
	/* Worn thermal print: ink no darker than 150. */
	PIX *faint = pixGammaTRC(NULL, pix, 1.0f, -400, 255);
	l_uint32 ink = 0;
	struct ocr_prep_info info;
	PIX *out = NULL;

	(void)state;
	assert_non_null(faint);
	pixGetRankValue(faint, 1, 0.01f, &ink);
	assert_true(ink >= 150);
	assert_int_equal(
		ocr_prep_run(faint, OCR_PREP_INK, 1200, 0, &out, &info), 0);
	assert_int_equal(info.stretched, 1);
	pixGetRankValue(out, 1, 0.01f, &ink);
	assert_true(ink < 40);
	pixDestroy(&out);
	pixDestroy(&faint);
	pixDestroy(&pix);
}

/* Grey print under a shadow: the light is evened, then the print is
 * stretched to black with its mid-tones (stroke edges, worn strokes)
 * darkened rather than left grey for Tesseract's threshold to drop. */
/* How dark out left the clean receipt's mid-grey pixels (stroke edges)
 * below row y0, against how they were: 1 unchanged, less darker. */
static double mid_tones_after(PIX *clean, PIX *out, int y0)
{
	int w = pixGetWidth(clean), h = pixGetHeight(clean);
	double was = 0.0, now = 0.0;
	long n = 0;

	assert_int_equal(pixGetWidth(out), w);
	for (int y = y0; y < h; y++)
		for (int x = 0; x < w; x++) {
			l_uint32 c, v;

			pixGetPixel(clean, x, y, &c);
			if (c < 96 || c > 160)
				continue;
			pixGetPixel(out, x, y, &v);
			was += c;
			now += v;
			n++;
		}
	assert_true(n > 100);
	return now / was;
}

static void test_prep__evened_print_keeps_its_grey_strokes(void **state)
{
	PIX *pix = load_grey();
	/* Ink no darker than 80: not faint by itself. */
	PIX *grey = pixGammaTRC(NULL, pix, 1.0f, -80, 255);
	PIX *out = NULL;
	int h = pixGetHeight(grey);
	struct ocr_prep_info info;

	(void)state;
	assert_non_null(grey);
	shade_top_third(grey);
	assert_int_equal(ocr_prep_run(grey, OCR_PREP_BGNORM | OCR_PREP_INK, 0,
				      0, &out, &info),
			 0);
	assert_int_equal(info.normalised, 1);
	assert_int_equal(info.stretched, 1);
	/* In the lit part. */
	assert_true(mid_tones_after(pix, out, h / 2) < 0.8);
	pixDestroy(&out);
	pixDestroy(&grey);
	pixDestroy(&pix);
}

/* Faint print is stretched; where its strokes are heavy for its size its
 * mid-tones are darkened too, where they are fine they are not. */
static void test_prep__faint_heavy_print_is_darkened(void **state)
{
	PIX *fine = load_grey();
	PIX *heavy = pixErodeGray(fine, 3, 3);

	(void)state;
	assert_non_null(heavy);
	for (int k = 0; k < 2; k++) {
		PIX *clean = k ? heavy : fine, *out = NULL;
		PIX *faint = pixGammaTRC(NULL, clean, 1.0f, -400, 255);
		struct ocr_prep_info info;
		double r;

		assert_non_null(faint);
		assert_int_equal(
			ocr_prep_run(faint, OCR_PREP_INK, 0, 0, &out, &info),
			0);
		assert_int_equal(info.stretched, 1);
		r = mid_tones_after(clean, out, 0);
		assert_true(k ? r < 0.8 : r > 0.9);
		pixDestroy(&out);
		pixDestroy(&faint);
	}
	pixDestroy(&heavy);
	pixDestroy(&fine);
}

static void test_prep__text_is_brought_to_a_readable_height(void **state)
{
	PIX *pix = load_grey();
	PIX *big = pixScale(pix, 2.0f, 2.0f);
	PIX *small = pixScaleAreaMap(pix, 0.5f, 0.5f);
	int w = pixGetWidth(pix);
	struct ocr_prep_info info;

	(void)state;
	assert_non_null(big);
	assert_non_null(small);
	/* Clean print at its own size is left as it is ... */
	run(pix, OCR_PREP_SCALE, &info);
	assert_true(info.text_px > 17 && info.text_px < 38);
	assert_int_equal(info.width, w);
	/* ... print still tall at the working width is reduced further ... */
	run(big, OCR_PREP_SCALE, &info);
	assert_true(info.text_px > 38);
	assert_true(info.width < 1200 * 8 / 10);
	/* ... and small print is enlarged. */
	run(small, OCR_PREP_SCALE, &info);
	assert_true(info.text_px < 17);
	assert_true(info.width > pixGetWidth(small) * 13 / 10);
	pixDestroy(&small);
	pixDestroy(&big);
	pixDestroy(&pix);
}

static void test_prep__step_names_parse(void **state)
{
	unsigned steps = 99;

	(void)state;
	assert_int_equal(ocr_prep_parse("crop,deskew", &steps), 0);
	assert_int_equal(steps, OCR_PREP_CROP | OCR_PREP_DESKEW);
	assert_int_equal(ocr_prep_parse("all", &steps), 0);
	assert_int_equal(steps, OCR_PREP_ALL);
	assert_int_equal(ocr_prep_parse("none", &steps), 0);
	assert_int_equal(steps, 0);
	assert_int_equal(ocr_prep_parse("bgnorm,ink", &steps), 0);
	assert_int_equal(steps, OCR_PREP_BGNORM | OCR_PREP_INK);
	assert_int_equal(ocr_prep_parse("dots,bars", &steps), 0);
	assert_int_equal(steps, OCR_PREP_DOTS | OCR_PREP_BARS);
	assert_int_equal(ocr_prep_parse("crop,sharpen", &steps), -1);
	assert_int_equal(ocr_prep_parse("cro", &steps), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prep__upright_receipt_is_left_alone),
		cmocka_unit_test(test_prep__quarter_turns_are_undone),
		cmocka_unit_test(
			test_prep__quarter_turn_is_found_under_a_shadow),
		cmocka_unit_test(
			test_prep__tilt_beyond_tesseract_is_straightened),
		cmocka_unit_test(
			test_prep__crooked_receipt_keeps_its_orientation),
		cmocka_unit_test(test_prep__receipt_is_cut_from_dark_table),
		cmocka_unit_test(test_prep__sheet_in_perspective_is_flattened),
		cmocka_unit_test(
			test_prep__sheet_on_grain_in_perspective_is_flattened),
		cmocka_unit_test(test_prep__shaded_part_of_the_sheet_is_kept),
		cmocka_unit_test(
			test_prep__sheet_under_a_soft_shadow_is_kept_whole),
		cmocka_unit_test(
			test_prep__sheet_cut_by_a_shade_is_grown_whole),
		cmocka_unit_test(
			test_prep__sheet_outline_holds_across_a_hard_shade),
		cmocka_unit_test(test_prep__faint_print_is_stretched),
		cmocka_unit_test(
			test_prep__evened_print_keeps_its_grey_strokes),
		cmocka_unit_test(test_prep__faint_heavy_print_is_darkened),
		cmocka_unit_test(
			test_prep__text_is_brought_to_a_readable_height),
		cmocka_unit_test(test_prep__step_names_parse),
	};

	setMsgSeverity(L_SEVERITY_NONE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
