/*
 * store_tse.c: the KassenSichV block German receipts print since 2020:
 * the TSE's serial number, transaction number, signature counter and the
 * start and end of the transaction. Labels differ between till vendors;
 * they are one table, most specific first.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "generic.h"
#include "lex.h"
#include "store_layout.h"
#include "banned.h"

#define W LEX_KW_WORD
#define NROWS(t) (sizeof(t) / sizeof((t)[0]))
/* A TSE serial this long may have been wrapped onto the next line. */
#define STORE_TSE_WRAP_MIN 24
/* A TSE label's value may sit on the next line, no further. */
#define STORE_TSE_VALUE_LINES 1

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
}

/* TSE labels, specific first; KIND_SKIP marks look-alikes that are not
 * the TSE's (the till's own serial, the signature itself). */
enum tse_field { TSE_SKIP, TSE_SERIAL, TSE_TX, TSE_SIG, TSE_START, TSE_END };

static const struct {
	const char *kw;
	unsigned flags;
	enum tse_field field;
} tse_labels[] = {
	{ "kassen-seriennummer", 0, TSE_SKIP },
	{ "seriennummer kasse", 0, TSE_SKIP },
	{ "kassenseriennummer", 0, TSE_SKIP },
	{ "kassen-sn", 0, TSE_SKIP },
	{ "eaz-sernr", 0, TSE_SKIP },
	{ "tse-erst", 0, TSE_SKIP },
	{ "transaktionsbeginn", 0, TSE_START },
	{ "transaktionsende", 0, TSE_END },
	{ "tse-start", 0, TSE_START },
	{ "tse-beginn", 0, TSE_START },
	{ "tse-stop", 0, TSE_END },
	{ "tse-ende", 0, TSE_END },
	{ "signaturzahler", 0, TSE_SIG },
	{ "signaturzaehler", 0, TSE_SIG },
	{ "sig-zaehler", 0, TSE_SIG },
	{ "signatur-zahler", 0, TSE_SIG },
	{ "sig-zahler", 0, TSE_SIG },
	{ "sig.-zahler", 0, TSE_SIG },
	{ "tse-signatur", 0, TSE_SKIP },
	{ "signatur", W, TSE_SKIP },
	{ "tse-seriennummer", 0, TSE_SERIAL },
	{ "seriennummer", 0, TSE_SERIAL },
	{ "serien-nr", 0, TSE_SERIAL },
	/* Before "tse-sn", which they are one slip from. */
	{ "tse-sernr", 0, TSE_SERIAL },
	{ "tse-signr", 0, TSE_SIG },
	{ "tse-sn", W, TSE_SERIAL }, /* not "TSE-Informationen" */
	{ "tse-serial", 0, TSE_SERIAL },
	{ "tse-trxnr", 0, TSE_TX },
	{ "transaktionsnummer", 0, TSE_TX },
	{ "transaktions-nr", 0, TSE_TX },
	{ "tse-transaktion", 0, TSE_TX },
	{ "tse-ta-nr", 0, TSE_TX },
	{ "transaktion", W, TSE_TX },
	{ "ta-nr", 0, TSE_TX },
	{ "start", W, TSE_START },
	{ "beginn", W, TSE_START },
	{ "ende", W, TSE_END },
	{ "stop", W, TSE_END },
};

/* Lines that open a TSE block; unlabelled "Start:" lines count only near. */
static const char *const tse_openers[] = { "tse", "kassensichv", "seriennummer",
					   "signaturzahler",
					   "transaktionsnummer" };

static void skip_label_punct(const char **p, const char *end)
{
	while (*p < end && strchr(" \t:.=#-", **p))
		(*p)++;
}

/* A token of letters, digits and base64 marks, at least min long. */
static int read_token(const char *s, const char *end, int digits_only,
		      size_t min, char *out, size_t size)
{
	const char *t = s;
	size_t n;

	if (digits_only)
		while (t < end && isdigit((unsigned char)*t))
			t++;
	else
		while (t < end &&
		       (isalnum((unsigned char)*t) || strchr("+/=", *t)))
			t++;
	n = (size_t)(t - s);
	if (n < min || n >= size)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* "2024-03-12T07:41:55", "12.03.2024 07:41:55" -> "2024-03-12T07:41".
 * Sets *utc where the stamp says it is UTC ("...T23:14:02.000Z"). */
static int read_stamp(const char *s, const char *end, char *out, size_t size,
		      int *utc)
{
	char date[11], tm[6];

	if (lex_date(&s, end, date) < 0)
		return -1;
	if (s < end && (*s == 'T' || *s == ' '))
		s++;
	lex_skip_spaces(&s, end);
	if (lex_time(&s, end, tm) < 0)
		return -1;
	while (s < end &&
	       (isdigit((unsigned char)*s) || *s == ':' || *s == '.'))
		s++;
	if (s < end && *s == 'Z')
		*utc = 1;
	snprintf(out, size, "%sT%s", date, tm);
	return 0;
}

/* The number n digits at s spell, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* Seconds of day d (1-based) of month m (0-based) of year y at h UTC. */
static time_t utc_at(int y, int m, int d, int h)
{
	struct tm t = {
		.tm_year = y - 1900, .tm_mon = m, .tm_mday = d, .tm_hour = h
	};

	return timegm(&t);
}

/* The last Sunday of month m (0-based, a 31-day month) of year y. */
static int last_sunday(int y, int m)
{
	struct tm t;
	time_t at = utc_at(y, m, 31, 12);

	gmtime_r(&at, &t);
	return 31 - t.tm_wday;
}

/* A UTC stamp "YYYY-MM-DDTHH:MM" in German time, CET or, from the last
 * Sunday of March to the last of October (01:00 UTC both), CEST: a sale
 * at 00:14 is stamped 23:14 the day before. */
static void stamp_to_german_time(char *stamp, size_t size)
{
	int y, mo, d, h, mi;
	time_t at;
	struct tm t;

	if (strlen(stamp) != 16 || (y = digits(stamp, 4)) < 0 ||
	    (mo = digits(stamp + 5, 2)) < 1 || (d = digits(stamp + 8, 2)) < 1 ||
	    (h = digits(stamp + 11, 2)) < 0 || (mi = digits(stamp + 14, 2)) < 0)
		return;
	at = utc_at(y, mo - 1, d, h) + mi * 60;
	at += at >= utc_at(y, 2, last_sunday(y, 2), 1) &&
			      at < utc_at(y, 9, last_sunday(y, 9), 1)
		      ? 7200
		      : 3600;
	gmtime_r(&at, &t);
	snprintf(stamp, size, "%04u-%02u-%02uT%02u:%02u",
		 (unsigned)(t.tm_year + 1900) % 10000u,
		 (unsigned)(t.tm_mon + 1) % 100u, (unsigned)t.tm_mday % 100u,
		 (unsigned)t.tm_hour % 100u, (unsigned)t.tm_min % 100u);
}

static int tse_value(enum tse_field f, const char *s, const char *end,
		     struct receipt_tse *t, int *utc)
{
	switch (f) {
	case TSE_SERIAL:
		return t->serial[0] ? 0
				    : read_token(s, end, 0, 8, t->serial,
						 sizeof(t->serial));
	case TSE_TX:
		return t->transaction[0]
			       ? 0
			       : read_token(s, end, 1, 1, t->transaction,
					    sizeof(t->transaction));
	case TSE_SIG:
		return t->signature_counter[0]
			       ? 0
			       : read_token(s, end, 1, 1, t->signature_counter,
					    sizeof(t->signature_counter));
	case TSE_START:
		return t->start[0] ? 0
				   : read_stamp(s, end, t->start,
						sizeof(t->start), utc);
	case TSE_END:
		return t->end[0] ? 0
				 : read_stamp(s, end, t->end, sizeof(t->end),
					      utc);
	case TSE_SKIP:
		break;
	}
	return 0;
}

static size_t tse_block_start(const struct parser_doc *doc, size_t tail)
{
	const char *after;
	size_t i, k;

	for (i = tail; i < doc->nlines; i++)
		for (k = 0; k < NROWS(tse_openers); k++)
			if (lex_find_keyword(doc->lines[i].text,
					     line_end(&doc->lines[i]),
					     tse_openers[k], W, &after) ||
			    (k > 0 &&
			     lex_find_keyword(doc->lines[i].text,
					      line_end(&doc->lines[i]),
					      tse_openers[k], 0, &after)))
				return i > tail + 2 ? i - 2 : tail;
	return doc->nlines;
}

/* A serial of 64 hex digits wraps on a 40-column receipt: a following
 * line that is nothing but more of it continues it. */
static void serial_continues(const struct parser_doc *doc, size_t i,
			     struct receipt_tse *t)
{
	const struct parser_line *nx;
	const char *s, *e;
	size_t have = strlen(t->serial);
	char more[RECEIPT_TSE_LEN];

	if (!have || i + 1 >= doc->nlines)
		return;
	nx = &doc->lines[i + 1];
	s = nx->text;
	e = line_end(nx);
	lex_skip_spaces(&s, e);
	while (e > s && e[-1] == ' ')
		e--;
	/* Only a serial cut by the line width continues, and only with
	 * more of the same: letters and digits, no words. */
	if (have < STORE_TSE_WRAP_MIN ||
	    read_token(s, e, 0, 4, more, sizeof(more)) < 0 ||
	    (size_t)(e - s) != strlen(more) || !strpbrk(more, "0123456789") ||
	    have + strlen(more) >= sizeof(t->serial))
		return;
	memcpy(t->serial + have, more, strlen(more) + 1);
}

/* TSE serials are hex (the SHA-256 of the module's public key): in a
 * serial that is mostly hex, the letters OCR reads for hex digits are
 * put back ('O' -> 0, 'l' -> 1) and case is folded. A serial that is not
 * hex (some modules print base64) is left as read. */
static void serial_as_hex(char *serial)
{
	static const char from[] = "oOlLiI|", to[] = "0011111";
	size_t n = strlen(serial), hex = 0, i;
	const char *p;

	for (i = 0; i < n; i++)
		hex += isxdigit((unsigned char)serial[i]) != 0;
	if (n < STORE_TSE_WRAP_MIN || hex * 10 < n * 9)
		return;
	for (i = 0; i < n; i++) {
		p = strchr(from, serial[i]);
		serial[i] = p ? to[p - from]
			      : (char)tolower((unsigned char)serial[i]);
	}
}

void store_read_tse(const struct parser_doc *doc, size_t tail,
		    struct receipt *r)
{
	const struct parser_line *ln;
	const char *after, *end;
	enum tse_field f;
	size_t i, k, j, vline;
	int had, utc = 0;

	for (i = tse_block_start(doc, tail); i < doc->nlines; i++) {
		ln = &doc->lines[i];
		end = line_end(ln);
		/* "TSE-Zeitformat: utcTime": the stamps are UTC. */
		if (lex_find_keyword(ln->text, end, "utctime", 0, &after))
			utc = 1;
		for (k = 0; k < NROWS(tse_labels); k++)
			if (lex_find_keyword(ln->text, end, tse_labels[k].kw,
					     tse_labels[k].flags, &after))
				break;
		if (k == NROWS(tse_labels) || tse_labels[k].field == TSE_SKIP)
			continue;
		f = tse_labels[k].field;
		had = r->tse.serial[0] != '\0';
		skip_label_punct(&after, end);
		vline = i;
		if (after < end) {
			tse_value(f, after, end, &r->tse, &utc);
		} else {
			/* The value on the next line ("Seriennummer:" then
			 * hex). */
			for (j = 1;
			     j <= STORE_TSE_VALUE_LINES && i + j < doc->nlines;
			     j++) {
				const struct parser_line *nx =
					&doc->lines[i + j];
				const char *s = nx->text, *e = line_end(nx);

				lex_skip_spaces(&s, e);
				tse_value(f, s, e, &r->tse, &utc);
			}
			vline = i + 1;
		}
		if (f == TSE_SERIAL && !had && r->tse.serial[0])
			serial_continues(doc, vline, &r->tse);
	}
	serial_as_hex(r->tse.serial);
	if (utc) {
		stamp_to_german_time(r->tse.start, sizeof(r->tse.start));
		stamp_to_german_time(r->tse.end, sizeof(r->tse.end));
	}
}
