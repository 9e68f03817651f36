/*
 * paper.c: white paper for Tesseract. On phone photos of receipts
 * Tesseract's line recogniser, which reads the grey picture, turns prices
 * into letters ("3,87 A" as "Br87 N", "2,76 B" as "ZMIOEB") where the
 * paper is light grey with grain and a strip of table shows beside the
 * price column; the same lines read right once the paper is white. The
 * scans are unchanged: their paper is white already.
 */
#include "image.h"
#include "paper.h"
#include "banned.h"

/* A dark region at the border is table, not print, when it spans at least
 * 1 / SURROUND_SPAN of the picture's width or height; all of them
 * together cover less than SURROUND_MAX_SHARE (more is a dark photo or a
 * shadow, not a strip of table). SURROUND_GROW pixels of the paper's soft
 * edge go with them. */
#define SURROUND_SPAN 4
#define SURROUND_MAX_SHARE 0.35f
#define SURROUND_GROW 5
/* Such a region holding print (ocr_paper_shaded) is a band of shadow
 * across the paper: at least PRINT_MIN_CHARS character-shaped blobs
 * (PRINT_MIN_PX to PRINT_MAX_PX high) darker than the region's median by
 * PRINT_GAP grey levels, a line of print or more. Fewer are the paper's
 * edge, or print that a grey table beside faint paper runs into (at 30
 * such pages were evened too and read worse). */
#define PRINT_MIN_CHARS 40
#define PRINT_MIN_PX 6
#define PRINT_MAX_PX 48
#define PRINT_GAP 30
/* The paper level is this rank of the picture (mostly paper, so a low
 * rank is paper in its shaded parts, not ink) ... */
#define PAPER_RANK 0.3f
/* ... stretched to white when it is not white already and lies this far
 * above the ink (the darkest INK_RANK of the picture). */
#define PAPER_WHITE 250
#define INK_RANK 0.02f
#define PAPER_MIN_SPAN 60

/* Whether the region of grey under mask (placed at x, y) holds print. */
static int holds_print(PIX *grey, PIX *mask, l_int32 x, l_int32 y)
{
	l_int32 w = pixGetWidth(mask), h = pixGetHeight(mask);
	BOX *box = boxCreate(x, y, w, h);
	PIX *part = box ? pixClipRectangle(grey, box, NULL) : NULL;
	PIX *ink = NULL;
	BOXA *blobs = NULL;
	l_float32 median = 0.0f;
	int chars = 0, n;

	if (part &&
	    !pixGetRankValueMasked(part, mask, 0, 0, 1, 0.5f, &median, NULL))
		ink = pixThresholdToBinary(part, (l_int32)median - PRINT_GAP);
	if (ink && pixAnd(ink, ink, mask))
		blobs = pixConnCompBB(ink, 8);
	n = blobs ? boxaGetCount(blobs) : 0;
	for (int i = 0; i < n; i++) {
		l_int32 bw, bh;

		boxaGetBoxGeometry(blobs, i, NULL, NULL, &bw, &bh);
		if (bh >= PRINT_MIN_PX && bh <= PRINT_MAX_PX && bw * 5 >= bh &&
		    bw <= 2 * bh)
			chars++;
	}
	boxaDestroy(&blobs);
	pixDestroy(&ink);
	pixDestroy(&part);
	boxDestroy(&box);
	return chars >= PRINT_MIN_CHARS;
}

PIX *ocr_paper_surround(PIX *grey)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	PIX *bin = NULL, *inner = NULL, *border = NULL, *large = NULL;

	if (pixOtsuAdaptiveThreshold(grey, w, h, 0, 0, 0.0f, NULL, &bin))
		return NULL;
	inner = pixRemoveBorderConnComps(bin, 8);
	border = inner ? pixSubtract(NULL, bin, inner) : NULL;
	if (border)
		large = pixSelectBySize(
			border, w / SURROUND_SPAN, h / SURROUND_SPAN, 8,
			L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	pixDestroy(&border);
	pixDestroy(&inner);
	pixDestroy(&bin);
	return large;
}

int ocr_paper_shaded(PIX *grey, PIX *large)
{
	PIXA *parts = NULL;
	BOXA *boxa = pixConnComp(large, &parts, 8);
	int n = parts ? pixaGetCount(parts) : 0;
	int shaded = boxa && parts ? 0 : OCR_ERR_NOMEM;

	for (int i = 0; i < n && !shaded; i++) {
		PIX *part = pixaGetPix(parts, i, L_CLONE);
		l_int32 x = 0, y = 0;

		boxaGetBoxGeometry(boxa, i, &x, &y, NULL, NULL);
		shaded = part && holds_print(grey, part, x, y);
		pixDestroy(&part);
	}
	pixaDestroy(&parts);
	boxaDestroy(&boxa);
	return shaded;
}

static int whiten_surround(PIX *grey, PIX *found)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	PIX *large = found ? pixCopy(NULL, found) : ocr_paper_surround(grey);
	l_int32 n = 0;
	int rc = 0;

	if (!large || pixCountPixels(large, &n, NULL))
		rc = OCR_ERR_NOMEM;
	else if (n > 0 && (float)n < SURROUND_MAX_SHARE * (float)w * (float)h) {
		pixDilateBrick(large, large, SURROUND_GROW, SURROUND_GROW);
		if (pixSetMasked(grey, large, 255))
			rc = OCR_ERR_NOMEM;
	}
	pixDestroy(&large);
	return rc;
}

int ocr_paper_whiten(PIX *grey, PIX *surround)
{
	l_uint32 paper = 255, ink = 0;
	int rc = whiten_surround(grey, surround);

	if (rc < 0)
		return rc;
	if (pixGetRankValue(grey, 2, PAPER_RANK, &paper) ||
	    pixGetRankValue(grey, 2, INK_RANK, &ink))
		return OCR_ERR_NOMEM;
	if (paper >= PAPER_WHITE || paper < ink + PAPER_MIN_SPAN)
		return 0;
	if (!pixGammaTRC(grey, grey, 1.0f, 0, (l_int32)paper))
		return OCR_ERR_NOMEM;
	return 1;
}
