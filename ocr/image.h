/*
 * image.h: safe image intake. An uploaded image is untrusted: its format is
 * checked against an allowlist and its dimensions are read from the header
 * alone, before a single pixel is decoded, because neither Leptonica nor
 * libpng/libjpeg refuse a decompression bomb by themselves.
 */
#ifndef RD_OCR_IMAGE_H
#define RD_OCR_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include <leptonica/allheaders.h>

/* Limits on what we agree to decode. A 12 MP phone photo is 4000x3000. */
#define OCR_MAX_FILE_BYTES (64u * 1024 * 1024)
#define OCR_MAX_PIXELS 50000000LL
#define OCR_MAX_SIDE 16384
#define OCR_MIN_SIDE 16

enum ocr_err {
	OCR_OK = 0,
	OCR_ERR_FORMAT = -1,	/* not an image, or a format we do not take */
	OCR_ERR_TOO_LARGE = -2, /* file or dimensions over the limits */
	OCR_ERR_TOO_SMALL = -3, /* too few pixels to hold a receipt */
	OCR_ERR_DECODE = -4,	/* header fine, pixels corrupt or truncated */
	OCR_ERR_NOMEM = -5,
	OCR_ERR_ENGINE = -6, /* Tesseract failed to start or to read */
	OCR_ERR_IO = -7,     /* file could not be read */
};

/* What the header says, read without decoding. */
struct ocr_image_info {
	const char *format; /* "jpeg", "png", "tiff", "webp" */
	int width, height;
	int bits_per_sample, samples_per_pixel;
};

/* A short English sentence for an ocr_err, for logs and API errors. */
const char *ocr_strerror(int err);

/* A stable machine-readable code for an ocr_err ("too_large", ...). */
const char *ocr_errcode(int err);

/*
 * Checks buf (len bytes) against the format allowlist and the size limits
 * using the header only. Fills *info and returns OCR_OK, or a negative
 * ocr_err (FORMAT, TOO_LARGE, TOO_SMALL, DECODE for a garbled header).
 */
int ocr_image_probe(const uint8_t *buf, size_t len,
		    struct ocr_image_info *info);

/*
 * Probes, then decodes buf into *out (caller frees with pixDestroy): a
 * JPEG to 8-bit grey as pixConvertTo8 would have it, other formats as
 * stored.
 * Truncated or corrupt data gives OCR_ERR_DECODE (Leptonica >= 1.82 fails
 * on libjpeg's premature-end warning; tests/test_image.c pins that).
 * On error *out is NULL.
 */
int ocr_image_decode(const uint8_t *buf, size_t len, PIX **out);

/*
 * Reads a whole file of at most OCR_MAX_FILE_BYTES into a malloc'd buffer
 * (caller frees). Returns OCR_OK, OCR_ERR_IO or OCR_ERR_TOO_LARGE; on error
 * *out is NULL.
 */
int ocr_read_file(const char *path, uint8_t **out, size_t *len);

#endif
