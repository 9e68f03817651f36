/*
 * paper.h: a photographed receipt's paper made white before Tesseract
 * reads it (the last preprocessing step, see prep.c).
 */
#ifndef RD_PAPER_H
#define RD_PAPER_H

#include <leptonica/allheaders.h>

/* Paints white the large dark regions at grey's border (table showing
 * beside the receipt), then stretches the paper's grey level to white,
 * ink keeping its level. Changes grey (8 bpp) in place. Returns 1 when the
 * paper was stretched, 0 when it was left (already white, or too close to
 * the ink to tell apart), or OCR_ERR_NOMEM. */
int ocr_paper_whiten(PIX *grey);

/* 1 when a large dark region at grey's border, which ocr_paper_whiten
 * would paint out as table, holds print: paper in shadow, whose light
 * wants evening instead. 0 when none does, or OCR_ERR_NOMEM. */
int ocr_paper_shaded(PIX *grey);

#endif
