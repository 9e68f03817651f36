/*
 * paper.h: a photographed receipt's paper made white before Tesseract
 * reads it (the last preprocessing step, see prep.c).
 */
#ifndef RD_PAPER_H
#define RD_PAPER_H

#include <leptonica/allheaders.h>

/* The large dark regions at grey's border, by a global Otsu split (one
 * tile over the whole picture): table showing beside the receipt, or
 * paper in shadow. A 1 bpp mask the caller destroys; NULL when out of
 * memory. */
PIX *ocr_paper_surround(PIX *grey);

/* 1 when a region of surround (ocr_paper_surround of grey), which
 * ocr_paper_whiten would paint out as table, holds print: paper in
 * shadow, whose light wants evening instead. 0 when none does, or
 * OCR_ERR_NOMEM. */
int ocr_paper_shaded(PIX *grey, PIX *surround);

/* Paints white the large dark regions at grey's border (surround, found
 * on grey as it is; NULL to find them here), then stretches the paper's
 * grey level to white, ink keeping its level. Changes grey (8 bpp) in
 * place. Returns 1 when the paper was stretched, 0 when it was left
 * (already white, or too close to the ink to tell apart), or
 * OCR_ERR_NOMEM. */
int ocr_paper_whiten(PIX *grey, PIX *surround);

#endif
