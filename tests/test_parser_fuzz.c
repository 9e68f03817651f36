/*
 * test_parser_fuzz.c: the parsers read OCR text, which is whatever a
 * customer's photo makes of it. Every golden text under fixtures/ is
 * mutated the way OCR and hostile input garble text (bytes changed to
 * digits, separators, UTF-8 lead bytes or NUL; spans cut, repeated or
 * moved; lines taken from other receipts; the text cut short) and
 * parsed. Nothing may crash (make asan-test runs this under ASan and
 * UBSan) and every result must be well formed: counts within their
 * arrays, strings terminated, dates and times that exist, confidence in
 * 0..1, the same result twice. A fixed seed keeps failures repeatable;
 * RECEIPTD_FUZZ_ROUNDS runs longer, RECEIPTD_FUZZ_SEED (not 0) elsewhere.
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "parser.h"
#include "banned.h"

#define FUZZ_MAX_TEXTS 1024
#define FUZZ_MAX_BYTES (64 * 1024)
#define FUZZ_ROUNDS 1000
#define FUZZ_SEED 0x5eed5eedu
/* Largest amount a well-formed result may carry: lex reads up to
 * LEX_AMOUNT_MAX_INT_DIGITS (9) whole digits, under 10^11 cents. */
#define FUZZ_MAX_CENTS 100000000000LL

struct corpus {
	char *text[FUZZ_MAX_TEXTS];
	size_t len[FUZZ_MAX_TEXTS];
	size_t n;
};

static struct corpus corpus;
static struct receipt first, again;

static uint64_t rng_state = FUZZ_SEED;

/* xorshift64: small, and the same sequence on every machine. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(FUZZ_MAX_BYTES);
	size_t len;

	assert_non_null(f);
	assert_non_null(buf);
	len = fread(buf, 1, FUZZ_MAX_BYTES, f);
	fclose(f);
	assert_true(len < FUZZ_MAX_BYTES);
	assert_true(corpus.n < FUZZ_MAX_TEXTS);
	corpus.text[corpus.n] = buf;
	corpus.len[corpus.n++] = len;
}

/* Every *.txt one folder below fixtures/. */
static int load_corpus(void **state)
{
	DIR *top = opendir("fixtures"), *sub;
	struct dirent *e, *f;
	char dir[512], path[1024];
	size_t len;

	(void)state;
	assert_non_null(top);
	while ((e = readdir(top)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "fixtures/%s", e->d_name);
		sub = opendir(dir);
		if (!sub)
			continue;
		while ((f = readdir(sub)) != NULL) {
			len = strlen(f->d_name);
			if (len < 5 || strcmp(f->d_name + len - 4, ".txt"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, f->d_name);
			load_file(path);
		}
		closedir(sub);
	}
	closedir(top);
	/* Store parsers and the generic one both get their share. */
	assert_true(corpus.n >= 40);
	return 0;
}

static int free_corpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < corpus.n; i++)
		free(corpus.text[i]);
	return 0;
}

/* Bytes OCR puts where it misreads, and some no text should hold. */
static const char garble[] = "0123456789,.-: \nxX@%*/AaOoSsIl|'\"\t\r\0"
			     "\xc3\xa4\xe2\x82\xac\xff\x80";

static size_t mutate(char *buf, size_t len, size_t cap)
{
	size_t at = below(len + 1), span = 1 + below(64), from;
	const char *other;
	size_t olen;

	switch (below(7)) {
	case 0: /* a byte misread */
		if (len)
			buf[below(len)] = garble[below(sizeof(garble) - 1)];
		break;
	case 1: /* a span lost */
		span = at + span > len ? len - at : span;
		memmove(buf + at, buf + at + span, len - at - span);
		len -= span;
		break;
	case 2: /* a span read twice */
		from = below(len + 1);
		span = from + span > len ? len - from : span;
		if (len + span <= cap) {
			memmove(buf + at + span, buf + at, len - at);
			memmove(buf + at,
				buf + (from >= at ? from + span : from), span);
			len += span;
		}
		break;
	case 3: /* a piece of another receipt */
		from = below(corpus.n);
		other = corpus.text[from];
		olen = corpus.len[from];
		if (olen > 0) {
			from = below(olen + 1);
			span = from + span > olen ? olen - from : span;
			if (len + span <= cap) {
				memmove(buf + at + span, buf + at, len - at);
				memcpy(buf + at, other + from, span);
				len += span;
			}
		}
		break;
	case 4: /* cut short */
		len = at;
		break;
	case 5: /* one amount-shaped figure more */
		if (len + 8 <= cap) {
			char fig[9];
			int n = snprintf(fig, sizeof(fig), " %u,%02u",
					 (unsigned)below(1000),
					 (unsigned)below(100));

			memmove(buf + at + (size_t)n, buf + at, len - at);
			memcpy(buf + at, fig, (size_t)n);
			len += (size_t)n;
		}
		break;
	default: /* bytes no OCR makes */
		for (size_t k = 0; k < span && len; k++)
			buf[below(len)] = (char)rnd();
		break;
	}
	return len;
}

static int terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

/* "" or a day that exists, as YYYY-MM-DD: timegm moves a day that does
 * not exist (02-30) into the next month. */
static int date_ok(const char *d)
{
	struct tm tm = { 0 };
	const char *end;
	int mday;

	if (!d[0])
		return 1;
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	end = strptime(d, "%Y-%m-%d", &tm);
	if (!end || *end)
		return 0;
	mday = tm.tm_mday;
	tm.tm_hour = 12;
	timegm(&tm);
	return tm.tm_mday == mday;
}

static int time_ok(const char *t)
{
	struct tm tm = { 0 };
	const char *end;

	if (!t[0])
		return 1;
	if (strlen(t) != 5 || t[2] != ':')
		return 0;
	end = strptime(t, "%H:%M", &tm);
	return end && !*end;
}

static int cents_ok(int64_t v)
{
	return v == RECEIPT_UNKNOWN ||
	       (v > -FUZZ_MAX_CENTS && v < FUZZ_MAX_CENTS);
}

static int warned(const struct receipt *r, const char *what)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		if (strstr(r->warnings[i], what))
			return 1;
	return 0;
}

static void check_well_formed(const struct receipt *r)
{
	assert_true(terminated(r->store, sizeof(r->store)));
	assert_true(terminated(r->store_name, sizeof(r->store_name)));
	assert_true(terminated(r->date, sizeof(r->date)));
	assert_true(terminated(r->time, sizeof(r->time)));
	assert_true(terminated(r->currency, sizeof(r->currency)));
	assert_true(terminated(r->receipt_number, sizeof(r->receipt_number)));
	assert_true(date_ok(r->date));
	assert_true(time_ok(r->time));
	/* Negative only as a refund, which says so. */
	assert_true(r->total == RECEIPT_UNKNOWN || r->total >= 0 ||
		    warned(r, "refund"));
	assert_true(cents_ok(r->total));
	assert_true(r->confidence >= 0.0 && r->confidence <= 1.0);
	assert_true(r->nitems <= RECEIPT_MAX_ITEMS);
	for (size_t i = 0; i < r->nitems; i++) {
		assert_true(
			terminated(r->items[i].name, sizeof(r->items[i].name)));
		assert_true(cents_ok(r->items[i].amount));
		assert_true(cents_ok(r->items[i].unit_price));
	}
	assert_true(r->nwarnings <= RECEIPT_MAX_WARNINGS);
	for (size_t i = 0; i < r->nwarnings; i++)
		assert_true(terminated(r->warnings[i], sizeof(r->warnings[i])));
	assert_true(r->nvat <= RECEIPT_MAX_VAT);
	assert_true(terminated(r->payment.method, sizeof(r->payment.method)));
	assert_true(cents_ok(r->payment.amount));
	assert_true(cents_ok(r->payment.change));
	assert_true(terminated(r->tse.serial, sizeof(r->tse.serial)));
	assert_true(terminated(r->tse.start, sizeof(r->tse.start)));
	assert_true(terminated(r->tse.end, sizeof(r->tse.end)));
}

/* What a second parse of the same text must repeat. */
static void check_same(const struct receipt *a, const struct receipt *b)
{
	assert_string_equal(a->store, b->store);
	assert_string_equal(a->date, b->date);
	assert_string_equal(a->time, b->time);
	assert_true(a->total == b->total);
	assert_int_equal(a->nitems, b->nitems);
	for (size_t i = 0; i < a->nitems; i++)
		assert_true(a->items[i].amount == b->items[i].amount);
	assert_int_equal(a->nwarnings, b->nwarnings);
}

static void parse_checked(const char *text, size_t len, const char *ref)
{
	int rc = parser_parse_text_at(text, len, ref, &first);

	assert_true(rc == 0 || rc == PARSER_ERR_TOO_LARGE);
	if (rc != 0)
		return;
	check_well_formed(&first);
	assert_int_equal(parser_parse_text_at(text, len, ref, &again), 0);
	check_same(&first, &again);
}

static void test_parser_fuzz__garbled_text_parses_well_formed(void **state)
{
	const char *env = getenv("RECEIPTD_FUZZ_ROUNDS"),
		   *seed = getenv("RECEIPTD_FUZZ_SEED");
	long rounds = env ? strtol(env, NULL, 10) : FUZZ_ROUNDS;
	char *buf = malloc(2 * FUZZ_MAX_BYTES);
	size_t cap = 2 * FUZZ_MAX_BYTES, len, k;

	(void)state;
	assert_non_null(buf);
	if (seed && strtoull(seed, NULL, 0))
		rng_state = strtoull(seed, NULL, 0);
	for (long i = 0; i < rounds; i++) {
		k = below(corpus.n);
		len = corpus.len[k];
		memcpy(buf, corpus.text[k], len);
		for (size_t m = 1 + below(8); m > 0; m--)
			len = mutate(buf, len, cap);
		parse_checked(buf, len, i % 2 ? "2026-12-05" : NULL);
	}
	free(buf);
}

/* Text that was never a receipt: random bytes, and one figure or keyword
 * per line for many lines. */
static void test_parser_fuzz__noise_parses_well_formed(void **state)
{
	char buf[4096];
	size_t len;

	(void)state;
	for (int i = 0; i < 500; i++) {
		len = below(sizeof(buf));
		for (size_t k = 0; k < len; k++)
			buf[k] = i % 2 ? garble[below(sizeof(garble) - 1)]
				       : (char)rnd();
		parse_checked(buf, len, "2026-12-05");
	}
	len = 0;
	while (len + 16 < sizeof(buf))
		len += (size_t)snprintf(
			buf + len, sizeof(buf) - len,
			below(2) ? "SUMME %u,%02u\n" : "%u.%02u\n",
			(unsigned)below(100000), (unsigned)below(100));
	parse_checked(buf, len, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_parser_fuzz__garbled_text_parses_well_formed),
		cmocka_unit_test(test_parser_fuzz__noise_parses_well_formed),
	};

	return cmocka_run_group_tests(tests, load_corpus, free_corpus);
}
