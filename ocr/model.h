/*
 * model.h: a Tesseract model read into memory without its word lists.
 *
 * Receipts print names, codes and prices, not dictionary words, so the
 * engine never loads the word lists (ocr.c), but Tesseract reads a
 * traineddata file whole: Debian's Latin-script model is 89 MB, 88 of
 * them its word list, and cost 240 MB per process loaded as is. The
 * buffer this gives is what Tesseract's own combine_tessdata would write
 * with the word lists left out (0.6 MB), for TessBaseAPIInit5.
 */
#ifndef RD_MODEL_H
#define RD_MODEL_H

#include <stddef.h>

/* Bytes of model file read at most: the largest Debian model is 90 MB. */
#define OCR_MODEL_MAX_BYTES (256u << 20)

/*
 * Reads the traineddata file at path into a new buffer *out (*len bytes,
 * the caller frees it) without its word lists. Returns 0, OCR_ERR_IO when
 * the file cannot be read, OCR_ERR_DECODE when it is no traineddata file
 * (or one of another byte order) or OCR_ERR_NOMEM.
 */
int ocr_model_read(const char *path, char **out, size_t *len);

#endif
