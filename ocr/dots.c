/*
 * dots.c: clears the dot of a dotted zero. Thermal printer fonts and
 * DejaVu Sans Mono put a dot or short bar inside the zero; Tesseract's
 * model reads that zero well on clean print, but once fading breaks the
 * ring it reads "8", "9" or "6": "07 Sep" became "87 Sep". A ring with no
 * dot reads as "0" even when broken. No letter or digit of a receipt
 * font has a separate mark inside its own box, so what sits there is a
 * dot or noise either way.
 */
#include <stdlib.h>

#include "dots.h"
#include "image.h"
#include "banned.h"

/* Ink is what is darker than this share of the way from the darkest
 * ink (DOT_INK_RANK) up to the paper (the median): faint dots count. */
#define DOT_INK_RANK 0.02f
#define DOT_LEVEL_NUM 3
#define DOT_LEVEL_DEN 4
/* A dot is at most half the text height (the median blob's, nearer the
 * x-height than a digit's) either way, and has ink of larger blobs on all
 * four sides: within half the text height left and right and two thirds
 * above and below (a zero is taller than wide). That is the ring of its
 * zero, whole or broken by fading. A period, hyphen, colon or the dot of
 * an i or an umlaut lacks such ink on at least one side. */
#define DOT_MAX_NUM 1
#define DOT_MAX_DEN 2
#define REACH_X_NUM 1
#define REACH_X_DEN 2
#define REACH_Y_NUM 2
#define REACH_Y_DEN 3
/* Character-shaped blobs (as prep.c's text_height counts them) give the
 * text height; with fewer there is no text to speak of. */
#define GLYPH_MIN_PX 6
#define GLYPH_MIN_COUNT 20

/* Any ink in bin within the rectangle (clipped to the image)? */
static int ink_in(PIX *bin, int x0, int y0, int x1, int y1)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin), wpl = pixGetWpl(bin);
	l_uint32 *data = pixGetData(bin);

	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > w ? w : x1;
	y1 = y1 > h ? h : y1;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			if (GET_DATA_BIT(data + y * wpl, x))
				return 1;
	return 0;
}

/* Is the blob in box d (x, y, w, h) hemmed in by the ink of big on all
 * four sides, within rx pixels left and right and ry above and below?
 * (Widening each side's band to bridge a gap worn into the ring level with
 * the blob cost real dates: it took the dots of colons and dates too.) */
static int surrounded(PIX *big, const l_int32 *d, int rx, int ry)
{
	int x0 = d[0], y0 = d[1], x1 = d[0] + d[2], y1 = d[1] + d[3];

	return ink_in(big, x0 - rx, y0, x0, y1) &&
	       ink_in(big, x1, y0, x1 + rx, y1) &&
	       ink_in(big, x0, y0 - ry, x1, y0) &&
	       ink_in(big, x0, y1, x1, y1 + ry);
}

static int cmp_int(const void *a, const void *b)
{
	int p = *(const int *)a, q = *(const int *)b;

	return (p > q) - (p < q);
}

/* Median height of the character-shaped boxes among the n in b (which it
 * does not reorder; heights is scratch for n), 0 when too few. */
static int text_height(l_int32 (*b)[4], int n, int page_h, int *heights)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (b[i][3] >= GLYPH_MIN_PX && b[i][3] <= page_h / 10 &&
		    b[i][2] * 5 >= b[i][3] && b[i][2] <= 2 * b[i][3])
			heights[k++] = b[i][3];
	if (k < GLYPH_MIN_COUNT)
		return 0;
	qsort(heights, (size_t)k, sizeof(*heights), cmp_int);
	return heights[k / 2];
}

/* Clears the dots among the n blobs of bin, boxes in b. */
static int clear_dots(PIX *grey, PIX *bin, l_int32 (*b)[4], int n, int th,
		      l_uint32 paper)
{
	int cleared = 0, max_dot = th * DOT_MAX_NUM / DOT_MAX_DEN;
	PIX *big = pixSelectBySize(bin, max_dot, max_dot, 8, L_SELECT_IF_EITHER,
				   L_SELECT_IF_GT, NULL);

	if (!big)
		return OCR_ERR_NOMEM;
	for (int i = 0; i < n; i++) {
		if (b[i][2] > max_dot || b[i][3] > max_dot ||
		    !surrounded(big, b[i], th * REACH_X_NUM / REACH_X_DEN,
				th * REACH_Y_NUM / REACH_Y_DEN))
			continue;
		BOX *box = boxCreate(b[i][0], b[i][1], b[i][2], b[i][3]);

		if (box)
			pixSetInRectArbitrary(grey, box, paper);
		boxDestroy(&box);
		cleared++;
	}
	pixDestroy(&big);
	return cleared;
}

int ocr_dots_clear(PIX *grey)
{
	l_uint32 ink, paper;
	PIX *bin;
	BOXA *boxa;
	l_int32(*b)[4];
	int *heights, n, th, rc;

	if (pixGetRankValue(grey, 2, DOT_INK_RANK, &ink) ||
	    pixGetRankValue(grey, 2, 0.5f, &paper) || paper <= ink)
		return 0;
	bin = pixThresholdToBinary(grey, (int)ink + ((int)paper - (int)ink) *
							    DOT_LEVEL_NUM /
							    DOT_LEVEL_DEN);
	boxa = bin ? pixConnCompBB(bin, 8) : NULL;
	if (!boxa) {
		pixDestroy(&bin);
		return OCR_ERR_NOMEM;
	}
	n = boxaGetCount(boxa);
	b = malloc(sizeof(*b) * (size_t)(n ? n : 1));
	heights = malloc(sizeof(*heights) * (size_t)(n ? n : 1));
	if (!b || !heights) {
		free(b);
		free(heights);
		boxaDestroy(&boxa);
		pixDestroy(&bin);
		return OCR_ERR_NOMEM;
	}
	for (int i = 0; i < n; i++)
		boxaGetBoxGeometry(boxa, i, &b[i][0], &b[i][1], &b[i][2],
				   &b[i][3]);
	boxaDestroy(&boxa);
	th = text_height(b, n, pixGetHeight(grey), heights);
	free(heights);
	rc = th * DOT_MAX_NUM / DOT_MAX_DEN >= 1
		     ? clear_dots(grey, bin, b, n, th, paper)
		     : 0;
	free(b);
	pixDestroy(&bin);
	return rc;
}
