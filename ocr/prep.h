/*
 * prep.h: Leptonica preprocessing between decoding and Tesseract. Each step
 * can be switched off (receipt-scan --prep) so that the accuracy benchmark
 * can show what it is worth; the default set is the one the benchmark
 * supports.
 */
#ifndef RD_PREP_H
#define RD_PREP_H

#include <leptonica/allheaders.h>

enum ocr_prep_step {
	OCR_PREP_CROP = 1 << 0,	  /* cut the receipt out of its background */
	OCR_PREP_ORIENT = 1 << 1, /* turn by 90/180/270 degrees */
	OCR_PREP_DESKEW = 1 << 2, /* straighten small rotations */
	OCR_PREP_BGNORM = 1 << 3, /* flatten uneven light, where needed */
	OCR_PREP_INK = 1 << 4,	  /* stretch faint print to full contrast */
	OCR_PREP_SCALE = 1 << 5,  /* bring text to the height Tesseract reads */
	OCR_PREP_DOTS = 1 << 6,	  /* clear the dots inside zeros */
	OCR_PREP_BARS = 1 << 7,	  /* erase barcodes */
	OCR_PREP_ALL = (1 << 8) - 1,
};

#define OCR_PREP_DEFAULT OCR_PREP_ALL

/* What the steps did, for logs and the benchmark. */
struct ocr_prep_info {
	int cropped;	/* 1 when a background was cut away */
	int rotation;	/* 0, 90, 180 or 270 degrees, clockwise */
	float skew;	/* degrees corrected, 0 when none */
	int flattened;	/* 1 when the sheet's corners were mapped upright */
	int normalised; /* 1 when the background was flattened */
	int stretched;	/* 1 when faint print was stretched */
	int darkened;	/* 1 when its mid-tones were darkened too */
	int dots;	/* marks cleared from inside glyphs */
	int bars;	/* barcodes erased */
	int text_px; /* median text height at the working width, 0: unknown */
	int width, height; /* of the image handed to Tesseract */
};

/*
 * Parses a comma-separated list of step names ("crop,orient,deskew,
 * bgnorm,ink,scale,dots"), "all" or "none" into *steps. Returns 0 or -1 on an unknown name.
 */
int ocr_prep_parse(const char *list, unsigned *steps);

/*
 * Turns a decoded image of any depth into the 8 bpp image Tesseract reads:
 * the receipt cropped, upright and straight, at most max_width wide (0: no
 * limit) and at least min_width wide. src stays the caller's; *out is new.
 * Returns 0 or OCR_ERR_NOMEM.
 */
int ocr_prep_run(PIX *src, unsigned steps, int max_width, int min_width,
		 PIX **out, struct ocr_prep_info *info);

/* Degrees a grey image's text lines are turned by (pixRotate by this
 * many degrees in radians levels them), from Leptonica's sweep and search
 * on its Otsu binarisation; 0 when the search is unsure. */
float ocr_prep_find_skew(PIX *grey);

#endif
