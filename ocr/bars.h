/*
 * bars.h: barcodes erased before Tesseract reads the page (a
 * preprocessing step, see prep.c).
 */
#ifndef RD_BARS_H
#define RD_BARS_H

#include <leptonica/allheaders.h>

/* Paints paper-white the bars of every barcode on grey (8 bpp, changed in
 * place): rows of a dozen or more upright strokes side by side, each
 * taller than three lines of text. Text printed against a
 * barcode (a till line, the date) is then read as its own line instead
 * of as part of a block of "I | l". text_px is the page's text height (0:
 * unknown, nothing is done). Returns how many barcodes it erased, or
 * OCR_ERR_NOMEM. */
int ocr_bars_clear(PIX *grey, int text_px);

#endif
