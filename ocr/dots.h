/*
 * dots.h: marks inside glyphs cleared before Tesseract reads them (a
 * preprocessing step, see prep.c).
 */
#ifndef RD_DOTS_H
#define RD_DOTS_H

#include <leptonica/allheaders.h>

/* Paints paper-white every small blob of ink that sits well inside
 * another glyph's box: the dot of a dotted zero, which Tesseract reads as
 * 8, 9 or 6 once faded print has broken the ring around it, and specks in
 * the bowls of letters. Sizes are relative to the text height, measured
 * on the same blobs. Changes grey (8 bpp) in place. Returns how many
 * blobs it cleared, or OCR_ERR_NOMEM. */
int ocr_dots_clear(PIX *grey);

#endif
