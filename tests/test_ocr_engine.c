/*
 * test_ocr_engine.c: the real engine reads a committed receipt with
 * Tesseract's line images handed over uncompressed (pixWriteMem in
 * ocr/ocr.c), a PNG written outside a recognition is still a PNG, and a
 * darkened photo's date words are read once more with the faded model,
 * or not at all without it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ocr.h"
#include "banned.h"

/* A committed scan and the amount its label says it totals. */
#define RECEIPT "fixtures/synth/006.png"
#define RECEIPT_TOTAL 3850
/* A committed photo of worn print the generator made (harsh level). */
#define FADED "fixtures/photo/008.jpg"
#define FADED_DATE "2019-10-30"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_ocr_engine__line_images_skip_png_and_the_total_reads(void **s)
{
	struct ocr_config cfg;
	struct ocr_engine *eng;
	struct ocr_result res;
	struct receipt r;
	size_t len;
	uint8_t *buf = slurp(RECEIPT, &len);

	(void)s;
	ocr_config_init(&cfg);
	assert_int_equal(ocr_engine_new(&cfg, &eng), OCR_OK);
	assert_int_equal(ocr_raw_line_images(), 0);
	assert_int_equal(ocr_engine_read(eng, buf, len, &res), OCR_OK);
	/* The executable's pixWriteMem took Tesseract's calls. */
	assert_true(ocr_raw_line_images() > 0);
	assert_int_equal(ocr_result_parse(&res, &r), 0);
	assert_int_equal(r.total, RECEIPT_TOTAL);
	ocr_result_release(&res);
	ocr_engine_free(eng);
	free(buf);
}

static void test_ocr_engine__png_outside_recognition_is_png(void **s)
{
	PIX *pix = pixCreate(16, 8, 8);
	l_uint8 *png = NULL;
	size_t len = 0;
	unsigned long raw = ocr_raw_line_images();

	(void)s;
	assert_non_null(pix);
	assert_int_equal(pixWriteMem(&png, &len, pix, IFF_PNG), 0);
	assert_true(len > 8);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(ocr_raw_line_images(), raw);
	free(png);
	pixDestroy(&pix);
}

/* Reads buf with the faded model lang; returns the readings and puts the
 * date in date. */
static int read_faded(const uint8_t *buf, size_t len, const char *lang,
		      char date[11])
{
	struct ocr_config cfg;
	struct ocr_engine *eng;
	struct ocr_result res;
	struct receipt r;
	int n;

	ocr_config_init(&cfg);
	snprintf(cfg.faded_lang, sizeof(cfg.faded_lang), "%s", lang);
	assert_int_equal(ocr_engine_new(&cfg, &eng), OCR_OK);
	assert_int_equal(ocr_engine_read(eng, buf, len, &res), OCR_OK);
	assert_true(res.prep.darkened);
	assert_int_equal(ocr_result_parse(&res, &r), 0);
	memcpy(date, r.date, 11);
	n = res.readings;
	ocr_result_release(&res);
	/* The engine is reused after a failed start of the faded model. */
	assert_int_equal(ocr_engine_read(eng, buf, len, &res), OCR_OK);
	assert_int_equal(res.readings, n);
	ocr_result_release(&res);
	ocr_engine_free(eng);
	return n;
}

static void test_ocr_engine__faded_dates_read_with_latin_model(void **s)
{
	size_t len;
	uint8_t *buf = slurp(FADED, &len);
	char date[11], without[11], missing[11];
	int n = read_faded(buf, len, "Latin", date);

	(void)s;
	assert_string_equal(date, FADED_DATE);
	assert_int_equal(read_faded(buf, len, "none", without), n - 1);
	assert_int_equal(read_faded(buf, len, "NoSuchModel", missing), n - 1);
	assert_string_equal(missing, without);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_ocr_engine__line_images_skip_png_and_the_total_reads),
		cmocka_unit_test(
			test_ocr_engine__png_outside_recognition_is_png),
		cmocka_unit_test(
			test_ocr_engine__faded_dates_read_with_latin_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
