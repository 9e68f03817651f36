/*
 * test_model.c: ocr_model_read leaves a traineddata file's word lists out
 * and keeps the rest byte for byte (a file made here), refuses files that
 * are no traineddata, and Tesseract starts from what it gives for
 * Debian's Latin-script model.
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
#include <tesseract/capi.h>

#include "image.h"
#include "model.h"
#include "banned.h"

#define ENTRIES 24
#define HEAD (4 + 8 * ENTRIES)

static char path[] = "/tmp/receiptd-test-model-XXXXXX";

/* Writes a file of n bytes to path. */
static void put_file(const void *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* A model of three entries: 0 ("abc"), the LSTM word list 19 ("WORDS")
 * and 23 ("v1"); the others absent. Returns its length. */
static size_t small_model(unsigned char *m)
{
	uint32_t n = ENTRIES;
	int64_t off[ENTRIES];

	for (int i = 0; i < ENTRIES; i++)
		off[i] = -1;
	off[0] = HEAD;
	off[19] = HEAD + 3;
	off[23] = HEAD + 8;
	memcpy(m, &n, 4);
	memcpy(m + 4, off, sizeof(off));
	memcpy(m + HEAD, "abcWORDSv1", 10);
	return HEAD + 10;
}

static void test_model__word_list_left_out(void **state)
{
	unsigned char m[HEAD + 10];
	int64_t off[ENTRIES];
	char *out = NULL;
	size_t len = 0;

	(void)state;
	put_file(m, small_model(m));
	assert_int_equal(ocr_model_read(path, &out, &len), 0);
	assert_int_equal(len, HEAD + 5);
	assert_memory_equal(out, m, 4);
	memcpy(off, out + 4, sizeof(off));
	assert_int_equal(off[0], HEAD);
	assert_int_equal(off[19], -1);
	assert_int_equal(off[23], HEAD + 3);
	for (int i = 1; i < ENTRIES; i++)
		if (i != 23)
			assert_int_equal(off[i], -1);
	assert_memory_equal(out + HEAD, "abcv1", 5);
	free(out);
}

static void test_model__bad_files_refused(void **state)
{
	unsigned char m[HEAD + 10];
	uint32_t many = 0xffffffffu;
	int64_t past = HEAD + 11;
	char *out = (char *)1;
	size_t len = 1;

	(void)state;
	put_file("abc", 3);
	assert_int_equal(ocr_model_read(path, &out, &len), OCR_ERR_DECODE);
	assert_null(out);
	assert_int_equal(len, 0);
	/* Another byte order, or no count at all. */
	small_model(m);
	memcpy(m, &many, 4);
	put_file(m, sizeof(m));
	assert_int_equal(ocr_model_read(path, &out, &len), OCR_ERR_DECODE);
	/* An entry past the end of the file. */
	small_model(m);
	memcpy(m + 4 + 8 * 23, &past, 8);
	put_file(m, sizeof(m));
	assert_int_equal(ocr_model_read(path, &out, &len), OCR_ERR_DECODE);
	/* Offsets that fall: entry 0 after entry 19. */
	small_model(m);
	past = HEAD + 5;
	memcpy(m + 4, &past, 8);
	put_file(m, sizeof(m));
	assert_int_equal(ocr_model_read(path, &out, &len), OCR_ERR_DECODE);
	/* The header cut short. */
	small_model(m);
	put_file(m, HEAD - 8);
	assert_int_equal(ocr_model_read(path, &out, &len), OCR_ERR_DECODE);
	assert_int_equal(
		ocr_model_read("/nonexistent/Latin.traineddata", &out, &len),
		OCR_ERR_IO);
}

/* Debian's Latin model (89 MB, most of it its word list) is read in well
 * under a megabyte, and Tesseract starts from it. */
static void test_model__debian_latin_model_starts(void **state)
{
	TessBaseAPI *api = TessBaseAPICreate(), *latin = TessBaseAPICreate();
	char file[4096], *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(TessBaseAPIInit3(api, NULL, "deu"), 0);
	snprintf(file, sizeof(file), "%s/Latin.traineddata",
		 TessBaseAPIGetDatapath(api));
	assert_int_equal(ocr_model_read(file, &out, &len), 0);
	assert_true(len > 100000 && len < 2000000);
	assert_int_equal(TessBaseAPIInit5(latin, out, (int)len, "Latin",
					  OEM_DEFAULT, NULL, 0, NULL, NULL, 0,
					  0),
			 0);
	free(out);
	TessBaseAPIEnd(latin);
	TessBaseAPIDelete(latin);
	TessBaseAPIEnd(api);
	TessBaseAPIDelete(api);
}

static int setup(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model__word_list_left_out),
		cmocka_unit_test(test_model__bad_files_refused),
		cmocka_unit_test(test_model__debian_latin_model_starts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
