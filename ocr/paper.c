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
/* The paper level is this rank of the picture (mostly paper, so a low
 * rank is paper in its shaded parts, not ink) ... */
#define PAPER_RANK 0.3f
/* ... stretched to white when it is not white already and lies this far
 * above the ink (the darkest INK_RANK of the picture). */
#define PAPER_WHITE 250
#define INK_RANK 0.02f
#define PAPER_MIN_SPAN 60

static int whiten_surround(PIX *grey)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	PIX *bin = NULL, *inner = NULL, *border = NULL, *large = NULL;
	l_int32 n = 0;
	int rc = OCR_ERR_NOMEM;

	/* One tile over the whole picture: a global Otsu split. */
	if (pixOtsuAdaptiveThreshold(grey, w, h, 0, 0, 0.0f, NULL, &bin))
		goto out;
	inner = pixRemoveBorderConnComps(bin, 8);
	border = inner ? pixSubtract(NULL, bin, inner) : NULL;
	large = border ? pixSelectBySize(
				 border, w / SURROUND_SPAN, h / SURROUND_SPAN,
				 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL)
		       : NULL;
	if (!large || pixCountPixels(large, &n, NULL))
		goto out;
	rc = 0;
	if (n > 0 && (float)n < SURROUND_MAX_SHARE * (float)w * (float)h) {
		pixDilateBrick(large, large, SURROUND_GROW, SURROUND_GROW);
		if (pixSetMasked(grey, large, 255))
			rc = OCR_ERR_NOMEM;
	}
out:
	pixDestroy(&large);
	pixDestroy(&border);
	pixDestroy(&inner);
	pixDestroy(&bin);
	return rc;
}

int ocr_paper_whiten(PIX *grey)
{
	l_uint32 paper = 255, ink = 0;
	int rc = whiten_surround(grey);

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
