/*
 * test_image.c: image intake refuses what it must before decoding pixels:
 * non-images, formats off the allowlist, decompression bombs (checked from
 * the header alone), truncated and garbled files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "image.h"
#include "banned.h"

/* Encodes a small grey test image in the given Leptonica format. */
static uint8_t *encode(int fmt, int w, int h, size_t *len)
{
	PIX *pix = pixCreate(w, h, 8);
	l_uint8 *buf = NULL;

	assert_non_null(pix);
	pixSetAllArbitrary(pix, 200);
	assert_int_equal(pixWriteMem(&buf, len, pix, fmt), 0);
	pixDestroy(&pix);
	return buf;
}

static uint32_t crc32_png(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Rewrites the IHDR of a real PNG to claim w x h, with a valid CRC, so only
 * a header-based check can catch it. */
static void png_claim(uint8_t *png, uint32_t w, uint32_t h)
{
	uint8_t *ihdr = png + 12; /* after signature and chunk length */

	assert_memory_equal(ihdr, "IHDR", 4);
	put_be32(ihdr + 4, w);
	put_be32(ihdr + 8, h);
	put_be32(ihdr + 17, crc32_png(ihdr, 17));
}

/* Rewrites the baseline SOF0 frame header of a real JPEG to claim w x h. */
static void jpeg_claim(uint8_t *jpg, size_t len, uint16_t w, uint16_t h)
{
	for (size_t i = 2; i + 9 < len; i++) {
		if (jpg[i] == 0xFF && jpg[i + 1] == 0xC0) {
			jpg[i + 5] = (uint8_t)(h >> 8);
			jpg[i + 6] = (uint8_t)h;
			jpg[i + 7] = (uint8_t)(w >> 8);
			jpg[i + 8] = (uint8_t)w;
			return;
		}
	}
	fail_msg("no SOF0 marker in test JPEG");
}

static void test_image__text_file_is_refused_as_format(void **state)
{
	static const char text[] = "SUMME EUR 12,34\nthis is not an image\n";
	PIX *pix = (PIX *)1;

	(void)state;
	assert_int_equal(
		ocr_image_decode((const uint8_t *)text, sizeof(text), &pix),
		OCR_ERR_FORMAT);
	assert_null(pix);
}

static void test_image__short_buffer_is_refused(void **state)
{
	static const uint8_t jpeg_magic[] = { 0xFF, 0xD8, 0xFF };
	struct ocr_image_info info;

	(void)state;
	assert_int_equal(ocr_image_probe(jpeg_magic, sizeof(jpeg_magic), &info),
			 OCR_ERR_FORMAT);
	assert_int_equal(ocr_image_probe(NULL, 0, &info), OCR_ERR_FORMAT);
}

static void test_image__bmp_is_not_on_the_allowlist(void **state)
{
	size_t len;
	uint8_t *bmp = encode(IFF_BMP, 64, 64, &len);
	struct ocr_image_info info;

	(void)state;
	assert_int_equal(ocr_image_probe(bmp, len, &info), OCR_ERR_FORMAT);
	free(bmp);
}

static void test_image__png_and_jpeg_decode_with_their_sizes(void **state)
{
	static const int fmts[] = { IFF_PNG, IFF_JFIF_JPEG, IFF_TIFF_ZIP,
				    IFF_WEBP };
	(void)state;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		size_t len;
		uint8_t *buf = encode(fmts[i], 120, 80, &len);
		PIX *pix = NULL;

		assert_int_equal(ocr_image_decode(buf, len, &pix), OCR_OK);
		assert_int_equal(pixGetWidth(pix), 120);
		assert_int_equal(pixGetHeight(pix), 80);
		pixDestroy(&pix);
		free(buf);
	}
}

/* A colour JPEG decodes to the grey Leptonica's own decoding and
 * conversion give, to the bit (prep was tuned on that grey). */
static void test_image__colour_jpeg_decodes_to_leptonicas_grey(void **state)
{
	PIX *rgb = pixCreate(97, 61, 32), *want, *got = NULL;
	l_uint8 *buf = NULL;
	size_t len;
	l_int32 same = 0;

	(void)state;
	assert_non_null(rgb);
	for (int y = 0; y < 61; y++)
		for (int x = 0; x < 97; x++)
			pixSetRGBPixel(rgb, x, y, (x * 7 + y) & 255,
				       (y * 5 + x * 3) & 255, (x * y) & 255);
	assert_int_equal(pixWriteMem(&buf, &len, rgb, IFF_JFIF_JPEG), 0);
	pixDestroy(&rgb);
	rgb = pixReadMem(buf, len);
	want = pixConvertTo8(rgb, 0);
	assert_int_equal(ocr_image_decode(buf, len, &got), OCR_OK);
	assert_int_equal(pixGetDepth(got), 8);
	assert_int_equal(pixEqual(want, got, &same), 0);
	assert_true(same);
	pixDestroy(&rgb);
	pixDestroy(&want);
	pixDestroy(&got);
	free(buf);
}

static void test_image__png_claiming_a_huge_side_is_refused(void **state)
{
	size_t len;
	uint8_t *png = encode(IFF_PNG, 64, 64, &len);
	struct ocr_image_info info;
	PIX *pix = (PIX *)1;

	(void)state;
	png_claim(png, OCR_MAX_SIDE + 1, 100);
	assert_int_equal(ocr_image_probe(png, len, &info), OCR_ERR_TOO_LARGE);
	png_claim(png, 100000, 100000);
	assert_int_equal(ocr_image_decode(png, len, &pix), OCR_ERR_TOO_LARGE);
	assert_null(pix);
	free(png);
}

static void test_image__jpeg_over_the_pixel_limit_is_refused(void **state)
{
	size_t len;
	uint8_t *jpg = encode(IFF_JFIF_JPEG, 64, 64, &len);
	struct ocr_image_info info;

	(void)state;
	/* 8000 x 8000 = 64 MP: every side is allowed, the area is not. */
	jpeg_claim(jpg, len, 8000, 8000);
	assert_int_equal(ocr_image_probe(jpg, len, &info), OCR_ERR_TOO_LARGE);
	/* Just under the limit the header is accepted. */
	jpeg_claim(jpg, len, 7000, 7000);
	assert_int_equal(ocr_image_probe(jpg, len, &info), OCR_OK);
	assert_int_equal(info.width, 7000);
	free(jpg);
}

static void test_image__tiny_image_is_refused(void **state)
{
	size_t len;
	uint8_t *png = encode(IFF_PNG, 8, 8, &len);
	struct ocr_image_info info;

	(void)state;
	assert_int_equal(ocr_image_probe(png, len, &info), OCR_ERR_TOO_SMALL);
	free(png);
}

static void truncated_is_refused(int fmt)
{
	size_t len;
	uint8_t *buf = encode(fmt, 300, 300, &len);
	PIX *pix = (PIX *)1;

	assert_int_equal(ocr_image_decode(buf, len * 2 / 3, &pix),
			 OCR_ERR_DECODE);
	assert_null(pix);
	free(buf);
}

static void test_image__truncated_jpeg_is_refused(void **state)
{
	(void)state;
	truncated_is_refused(IFF_JFIF_JPEG);
}

static void test_image__truncated_png_is_refused(void **state)
{
	(void)state;
	truncated_is_refused(IFF_PNG);
}

/* Bytes of a valid image changed at random, in the header half the time:
 * every such upload decodes to an image within the limits or is refused
 * with an error, never crashes or overruns (make asan-test). A fixed seed
 * keeps a failure repeatable. */
static void garbled_decode_or_refuse(int fmt)
{
	uint64_t x = 0x1badf00du;
	size_t len;
	uint8_t *good, *bad;
	PIX *pix = pixCreate(320, 320, 8);
	l_uint8 *buf = NULL;
	char log[] = "/tmp/receiptd-test-image-XXXXXX";
	int saved, quiet;

	/* Content with edges, so the compressed data is not all runs. */
	assert_non_null(pix);
	for (int y = 0; y < 320; y++)
		for (int i = 0; i < 320; i++)
			pixSetPixel(pix, i, y,
				    (l_uint32)((i * 7) ^ (y * 13)) & 255);
	assert_int_equal(pixWriteMem(&buf, &len, pix, fmt), 0);
	pixDestroy(&pix);
	good = buf;
	bad = malloc(len);
	assert_non_null(bad);
	/* libpng and Leptonica's libjpeg report each refusal on stderr:
	 * that goes to a file, kept where the loop dies (a sanitizer's
	 * report is in it). */
	fflush(stderr);
	saved = dup(2);
	quiet = mkstemp(log);
	assert_true(saved >= 0 && quiet >= 0 && dup2(quiet, 2) == 2);
	close(quiet);
	print_message("decoder messages: %s\n", log);
	for (int round = 0; round < 300; round++) {
		size_t span = round % 2 ? len : (len < 600 ? len : 600);
		int rc;

		memcpy(bad, good, len);
		for (int k = 1 + round % 8; k > 0; k--) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			bad[x % span] = (uint8_t)(x >> 32);
		}
		pix = NULL;
		rc = ocr_image_decode(bad, len, &pix);
		assert_true(rc == OCR_OK || rc == OCR_ERR_FORMAT ||
			    rc == OCR_ERR_TOO_LARGE ||
			    rc == OCR_ERR_TOO_SMALL || rc == OCR_ERR_DECODE);
		assert_true((rc == OCR_OK) == (pix != NULL));
		if (pix) {
			assert_true(pixGetWidth(pix) <= OCR_MAX_SIDE &&
				    pixGetHeight(pix) <= OCR_MAX_SIDE);
			pixDestroy(&pix);
		}
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	unlink(log);
	free(bad);
	free(good);
}

static void test_image__garbled_jpeg_decodes_or_is_refused(void **state)
{
	(void)state;
	garbled_decode_or_refuse(IFF_JFIF_JPEG);
}

static void test_image__garbled_png_decodes_or_is_refused(void **state)
{
	(void)state;
	garbled_decode_or_refuse(IFF_PNG);
}

static void test_image__read_file_refuses_a_directory(void **state)
{
	uint8_t *buf = (uint8_t *)1;
	size_t len = 1;

	(void)state;
	assert_int_equal(ocr_read_file("/", &buf, &len), OCR_ERR_IO);
	assert_null(buf);
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image__text_file_is_refused_as_format),
		cmocka_unit_test(test_image__short_buffer_is_refused),
		cmocka_unit_test(test_image__bmp_is_not_on_the_allowlist),
		cmocka_unit_test(
			test_image__png_and_jpeg_decode_with_their_sizes),
		cmocka_unit_test(
			test_image__colour_jpeg_decodes_to_leptonicas_grey),
		cmocka_unit_test(
			test_image__png_claiming_a_huge_side_is_refused),
		cmocka_unit_test(
			test_image__jpeg_over_the_pixel_limit_is_refused),
		cmocka_unit_test(test_image__tiny_image_is_refused),
		cmocka_unit_test(test_image__truncated_jpeg_is_refused),
		cmocka_unit_test(test_image__truncated_png_is_refused),
		cmocka_unit_test(
			test_image__garbled_jpeg_decodes_or_is_refused),
		cmocka_unit_test(test_image__garbled_png_decodes_or_is_refused),
		cmocka_unit_test(test_image__read_file_refuses_a_directory),
	};

	/* Leptonica reports refused input on stderr; the tests expect it. */
	setMsgSeverity(L_SEVERITY_NONE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
