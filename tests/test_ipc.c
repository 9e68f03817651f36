/*
 * test_ipc.c: the supervisor <-> worker wire format survives a round trip
 * and refuses every message whose lengths, counts or offsets lie.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "worker.h"
#include "banned.h"

static const char text[] = "SUMME 12,34\nBAR 20,00\n";

/* Two lines of two words each, pointing into text. */
static void sample(struct ocr_result *r, struct ocr_word w[4],
		   struct ocr_line l[2])
{
	static const size_t offs[4][2] = {
		{ 0, 5 }, { 6, 5 }, { 12, 3 }, { 16, 5 }
	};

	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 4; i++)
		w[i] = (struct ocr_word){ { i, i + 1, i + 2, i + 3 },
					  90.0f - (float)i,
					  offs[i][0],
					  offs[i][1] };
	l[0] = (struct ocr_line){ { 0, 0, 9, 9 }, 89.5f, 0, 11, 0, 2 };
	l[1] = (struct ocr_line){ { 0, 10, 9, 19 }, 87.5f, 12, 9, 2, 2 };
	r->text = (char *)text;
	r->text_len = sizeof(text) - 1;
	r->words = w;
	r->nwords = 4;
	r->lines = l;
	r->nlines = 2;
	r->width = 640;
	r->height = 480;
	r->ocr_ms = 123;
}

static void test_ipc__result_round_trips(void **state)
{
	struct ocr_word w[4];
	struct ocr_line l[2];
	struct ocr_result in, out;
	int sv[2], rc = -1;
	int64_t id = 0;

	(void)state;
	sample(&in, w, l);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ocr_ipc_send_result(sv[0], 42, OCR_OK, &in), 0);
	assert_int_equal(ocr_ipc_recv_result(sv[1], &id, &rc, &out), 0);
	assert_int_equal(id, 42);
	assert_int_equal(rc, OCR_OK);
	assert_string_equal(out.text, text);
	assert_int_equal(out.nwords, 4);
	assert_int_equal(out.nlines, 2);
	assert_int_equal(out.words[3].off, 16);
	assert_int_equal(out.lines[1].first_word, 2);
	assert_true(out.lines[0].conf > 89.4f && out.lines[0].conf < 89.6f);
	assert_int_equal(out.width, 640);
	assert_int_equal(out.ocr_ms, 123);
	ocr_result_release(&out);
	close(sv[0]);
	close(sv[1]);
}

/* Encodes the sample, lets corrupt() damage the bytes, and expects the
 * receiver to refuse the message without crashing. */
static void expect_refused(void (*corrupt)(uint8_t *msg, size_t *len))
{
	struct ocr_word w[4];
	struct ocr_line l[2];
	struct ocr_result in, out;
	uint8_t buf[4096];
	size_t len;
	int sv[2], rc;
	int64_t id;
	ssize_t n;

	sample(&in, w, l);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ocr_ipc_send_result(sv[0], 7, OCR_OK, &in), 0);
	n = read(sv[1], buf, sizeof(buf));
	assert_true(n > 8);
	len = (size_t)n;
	corrupt(buf, &len);
	assert_int_equal(write(sv[0], buf, len), (ssize_t)len);
	close(sv[0]);
	assert_int_equal(ocr_ipc_recv_result(sv[1], &id, &rc, &out), -1);
	assert_null(out.text);
	assert_null(out.words);
	close(sv[1]);
}

static void truncate_body(uint8_t *m, size_t *len)
{
	(void)m;
	*len -= 5;
}

static void wrong_type(uint8_t *m, size_t *len)
{
	uint32_t t = OCR_MSG_JOB;

	(void)len;
	memcpy(m, &t, 4);
}

static void huge_length(uint8_t *m, size_t *len)
{
	uint32_t l = OCR_MSG_MAX + 1;

	(void)len;
	memcpy(m + 4, &l, 4);
}

/* Word count field: after header (8), id (8), rc+pad (8), ms (8), w, h,
 * text_len, nlines (16). */
static void lying_word_count(uint8_t *m, size_t *len)
{
	uint32_t nw = 1000000;

	(void)len;
	memcpy(m + 8 + 8 + 8 + 8 + 16, &nw, 4);
}

/* First word's offset (after the 36-byte result head and its box+conf). */
static void word_offset_past_text(uint8_t *m, size_t *len)
{
	uint32_t off = 1000;

	(void)len;
	memcpy(m + 8 + 8 + 8 + 8 + 20 + 20, &off, 4);
}

static void test_ipc__truncated_message_is_refused(void **state)
{
	(void)state;
	expect_refused(truncate_body);
}

static void test_ipc__wrong_message_type_is_refused(void **state)
{
	(void)state;
	expect_refused(wrong_type);
}

static void test_ipc__length_over_the_cap_is_refused(void **state)
{
	(void)state;
	expect_refused(huge_length);
}

static void test_ipc__counts_that_do_not_fit_the_bytes_are_refused(void **s)
{
	(void)s;
	expect_refused(lying_word_count);
}

static void test_ipc__word_offset_outside_the_text_is_refused(void **state)
{
	(void)state;
	expect_refused(word_offset_past_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipc__result_round_trips),
		cmocka_unit_test(test_ipc__truncated_message_is_refused),
		cmocka_unit_test(test_ipc__wrong_message_type_is_refused),
		cmocka_unit_test(test_ipc__length_over_the_cap_is_refused),
		cmocka_unit_test(
			test_ipc__counts_that_do_not_fit_the_bytes_are_refused),
		cmocka_unit_test(
			test_ipc__word_offset_outside_the_text_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
