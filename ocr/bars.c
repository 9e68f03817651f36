/*
 * bars.c: erases barcodes. Receipts print a barcode right above or below
 * a line of text (the till, receipt number, date and time under Lidl's),
 * often touching it. Tesseract takes the bars and that line for one row of
 * tall glyphs: it reads "3182 | I | | l 00:58" or drops the line, date
 * and all. Without the bars the line reads as the text it is.
 */
#include <stdint.h>

#include "bars.h"
#include "image.h"
#include "banned.h"

/* Ink as in dots.c: darker than three quarters of the way from the
 * darkest ink up to the paper. */
#define BARS_INK_RANK 0.02f
#define BARS_LEVEL_NUM 3
#define BARS_LEVEL_DEN 4
/* A bar is an upright stroke taller than this many text heights: no
 * glyph of the text is (a logo's may be, but a logo has a handful of
 * such strokes, not a barcode's dozens). It is narrower than the text is
 * tall and not taller than BARS_MAX_TALL text heights: the table's
 * shadow along a crop's edge is neither. */
#define BARS_MIN_TALL 3
#define BARS_MAX_TALL 12
/* Bars within a text height of each other belong to one code, which has
 * at least this many and is at least this many text heights wide. */
#define BARS_MIN_COUNT 12
#define BARS_MIN_WIDE 4
/* Per cent of a code's band that is ink. */
#define BARS_MIN_INK 25
#define BARS_MAX_INK 75

/* The rows of box that at least half of its bars (of bars) cross, as a
 * box of the page in *band (NULL when box holds too few bars); 0 or
 * OCR_ERR_NOMEM. */
static int code_band(PIX *bars, BOX *box, BOX **band)
{
	l_int32 x, y, w, h, n = 0, top = -1, bottom = -1;
	PIX *part = pixClipRectangle(bars, box, NULL);
	NUMA *rows = NULL;
	l_float32 most = 0.0f, v;
	int rc = OCR_ERR_NOMEM;

	*band = NULL;
	if (part && pixCountConnComp(part, 8, &n) == 0)
		rows = pixCountPixelsByRow(part, NULL);
	if (rows && numaGetMax(rows, &most, NULL) == 0) {
		rc = 0;
		boxGetGeometry(box, &x, &y, &w, &h);
		for (int r = 0; r < h && n >= BARS_MIN_COUNT; r++) {
			numaGetFValue(rows, r, &v);
			if (v * 2.0f < most)
				continue;
			top = top < 0 ? r : top;
			bottom = r;
		}
	}
	if (top >= 0) {
		*band = boxCreate(x - 1, y + top, w + 2, bottom - top + 1);
		rc = *band ? 0 : OCR_ERR_NOMEM;
	}
	numaDestroy(&rows);
	pixDestroy(&part);
	return rc;
}

/* Paints paper over the code whose bars (of bars) lie in box, over the
 * rows at least half of its bars cross: its longer bars (an EAN's guard
 * bars) and the ones that run into a line of text below keep their ends,
 * which Tesseract takes for specks, and the text keeps its glyphs whole.
 * A code is bars on paper: as much ink (of bin) as paper in the band,
 * give or take; grained or dark table is mostly ink. Returns 1 when the
 * box held a code, 0 when not, or OCR_ERR_NOMEM. */
static int erase_in(PIX *grey, PIX *bin, PIX *bars, BOX *box, l_uint32 paper)
{
	BOX *band;
	l_int32 w, h, ink;
	int rc = code_band(bars, box, &band);

	if (rc < 0 || !band)
		return rc;
	boxGetGeometry(band, NULL, NULL, &w, &h);
	if (pixCountPixelsInRect(bin, band, &ink, NULL) != 0) {
		rc = OCR_ERR_NOMEM;
	} else if ((int64_t)ink * 100 >= (int64_t)BARS_MIN_INK * w * h &&
		   (int64_t)ink * 100 <= (int64_t)BARS_MAX_INK * w * h) {
		pixSetInRectArbitrary(grey, band, paper);
		rc = 1;
	}
	boxDestroy(&band);
	return rc;
}

int ocr_bars_clear(PIX *grey, int text_px)
{
	l_uint32 ink, paper;
	PIX *bin, *tall = NULL, *bars = NULL, *codes = NULL;
	BOXA *boxa = NULL;
	int n, erased = 0, rc;

	if (text_px <= 0 || pixGetRankValue(grey, 2, BARS_INK_RANK, &ink) ||
	    pixGetRankValue(grey, 2, 0.5f, &paper) || paper <= ink)
		return 0;
	bin = pixThresholdToBinary(grey, (int)ink + ((int)paper - (int)ink) *
							    BARS_LEVEL_NUM /
							    BARS_LEVEL_DEN);
	if (bin)
		tall = pixOpenCompBrick(NULL, bin, 1, BARS_MIN_TALL * text_px);
	if (tall)
		bars = pixSelectBySize(tall, text_px - 1,
				       BARS_MAX_TALL * text_px, 8,
				       L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
	if (bars)
		codes = pixCloseBrick(NULL, bars, text_px, 1);
	if (codes)
		boxa = pixConnCompBB(codes, 8);
	n = boxa ? boxaGetCount(boxa) : -1;
	for (int i = 0; i < n && erased >= 0; i++) {
		BOX *box = boxaGetBox(boxa, i, L_CLONE);
		l_int32 w = 0;

		boxGetGeometry(box, NULL, NULL, &w, NULL);
		rc = w >= BARS_MIN_WIDE * text_px
			     ? erase_in(grey, bin, bars, box, paper)
			     : 0;
		erased = rc < 0 ? rc : erased + rc;
		boxDestroy(&box);
	}
	if (n < 0)
		erased = OCR_ERR_NOMEM;
	boxaDestroy(&boxa);
	pixDestroy(&codes);
	pixDestroy(&bars);
	pixDestroy(&tall);
	pixDestroy(&bin);
	return erased;
}
