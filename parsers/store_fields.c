/*
 * store_fields.c: what German receipts print below the items and what
 * the generic reading leaves out: the VAT class letter after each item
 * amount, the VAT summary (class, rate, net, tax, gross), the payment
 * (method, amount, change) and the KassenSichV TSE block. The words are
 * tables; a chain's layout adds its own payment words to the common ones.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "generic.h"
#include "lex.h"
#include "store_layout.h"
#include "banned.h"

#define W LEX_KW_WORD
#define NROWS(t) (sizeof(t) / sizeof((t)[0]))
/* VAT rates above this are misreadings (Germany 19 %, Malaysia 6-10 %). */
#define STORE_MAX_RATE 2500
/* A VAT row's net + tax may differ from its gross by rounding. */
#define STORE_VAT_SLACK 1
/* A TSE serial this long may have been wrapped onto the next line. */
#define STORE_TSE_WRAP_MIN 24
/* Header lines (name, address) are never items. */
#define STORE_HEADER_SKIP 3
/* Confidence a repaired item costs. */
#define STORE_REPAIR_PENALTY 0.05
/* A TSE label's value may sit on the next line, no further. */
#define STORE_TSE_VALUE_LINES 1

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
}

static const struct store_pay change_words[] = {
	{ "ruckgeld", "" }, { "rueckgeld", "" }, { "wechselgeld", "" },
	{ "zuruck", "" },   { "change", "" },
};

/* Specific before general: "EC-Karte" is ec, plain "Karte" a card. */
static const struct store_pay common_pay[] = {
	{ "ec-cash", "ec" },	     { "ec cash", "ec" },
	{ "ec-karte", "ec" },	     { "girocard", "ec" },
	{ "electronic cash", "ec" }, { "kreditkarte", "credit" },
	{ "visa", "credit" },	     { "mastercard", "credit" },
	{ "amex", "credit" },	     { "credit card", "credit" },
	{ "kartenzahlung", "card" }, { "karte", "card" },
	{ "maestro", "ec" },	     { "debit", "card" },
	{ "apple pay", "mobile" },   { "google pay", "mobile" },
	{ "bargeld", "cash" },	     { "bar", "cash" },
	{ "gegeben", "cash" },	     { "geg.", "cash" },
	{ "cash", "cash" },	     { "tendered", "cash" },
};

/* Payment words this long also match with one letter lost or added
 * ("Kartenzalung"), which lex_keyword's substitutions do not cover. */
#define STORE_PAY_FUZZY_MIN 8

static const char *find_pay(const struct parser_line *ln,
			    const struct store_pay *tab, size_t n)
{
	char folded[PARSER_MAX_LINE_LEN + 1], word[64];
	size_t i, flen = 0, wlen;
	const char *after;

	for (i = 0; tab && (n ? i < n : tab[i].word != NULL); i++)
		if (lex_find_keyword(ln->text, line_end(ln), tab[i].word, W,
				     &after))
			return tab[i].method;
	for (i = 0; tab && (n ? i < n : tab[i].word != NULL); i++) {
		wlen = store_fold(tab[i].word,
				  tab[i].word + strlen(tab[i].word), word,
				  sizeof(word));
		if (wlen < STORE_PAY_FUZZY_MIN)
			continue;
		if (!flen)
			flen = store_fold(ln->text,
					  ln->text +
						  (ln->len < STORE_FUZZY_SPAN
							   ? ln->len
							   : STORE_FUZZY_SPAN),
					  folded, sizeof(folded));
		if (store_fuzzy_find(folded, flen, word, wlen) <= 1)
			return tab[i].method;
	}
	return NULL;
}

static void read_payment(const struct store_layout *l,
			 const struct parser_doc *doc, size_t tail,
			 struct receipt *r)
{
	const struct parser_line *ln;
	const char *m;
	int64_t v;
	size_t i;

	for (i = tail; i < doc->nlines; i++) {
		ln = &doc->lines[i];
		v = generic_last_positive(ln, NULL);
		if (find_pay(ln, change_words, NROWS(change_words))) {
			if (v > 0 && r->payment.change == RECEIPT_UNKNOWN)
				r->payment.change = v;
			continue;
		}
		if (r->payment.method[0])
			continue;
		m = l ? find_pay(ln, l->payments, 0) : NULL;
		if (!m)
			m = find_pay(ln, common_pay, NROWS(common_pay));
		if (!m)
			continue;
		snprintf(r->payment.method, sizeof(r->payment.method), "%s", m);
		if (v > 0)
			r->payment.amount = v;
	}
}

/* A class letter as printed, if the layout (or, with none, the usual A-D
 * and 1-3) knows it; OCR's lower case and 8-for-B are forgiven. */
static char known_class(const struct store_layout *l, char c)
{
	size_t i;

	c = (char)toupper((unsigned char)c);
	if (l) {
		for (i = 0; i < STORE_MAX_CLASSES && l->classes[i].letter; i++)
			if (l->classes[i].letter == c)
				return c;
		if (c == '8')
			return known_class(l, 'B');
		if (c == '4')
			return known_class(l, 'A');
		return 0;
	}
	return (c >= 'A' && c <= 'D') || (c >= '1' && c <= '3') ? c : 0;
}

/* The class token right after an item amount: "1,29 A", "1,29A", "1,29 *B". */
static char class_after(const struct store_layout *l, const char *s,
			const char *end)
{
	while (s < end && (*s == ' ' || *s == '*'))
		s++;
	if (s >= end || !isalnum((unsigned char)*s))
		return 0;
	if (s + 1 < end && isalnum((unsigned char)s[1]))
		return 0;
	return known_class(l, *s);
}

/* True when the line's last amount is want, give or take a cent. */
static int last_amount_near(const struct parser_line *ln, int64_t want)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t n =
		generic_amounts(ln->text, line_end(ln), a, GENERIC_MAX_AMOUNTS);
	int64_t d = n ? a[n - 1].cents - want : 2;

	return d >= -1 && d <= 1;
}

/* True when dropping one digit of read gives want: OCR saw a stray
 * mark as a digit ("17,98" for 7,98). */
static int one_digit_inserted(int64_t read, int64_t want)
{
	int64_t mul, v;

	if (read <= 0 || want <= 0)
		return 0;
	for (mul = 1; mul <= read; mul *= 10) {
		v = read / (mul * 10) * mul + read % mul;
		if (v == want)
			return 1;
	}
	return 0;
}

/* An item whose quantity line ("3 Stk x 1,29") did not fit its amount
 * because one digit of the amount was misread (8,87 for 3,87) or a
 * stray one read in (13,87): the quantity line, two numbers whose product
 * is the amount, says what it is. The line below is tried first (most
 * chains), then the one above (dm). */
static void repair_from_qty(const struct parser_doc *doc, size_t j,
			    struct receipt *r, struct receipt_item *it)
{
	const struct parser_line *ln;
	int64_t milli, unit, want;
	size_t k;

	if (it->kind != RECEIPT_ITEM || it->qty_milli != 1000 ||
	    it->unit_price != it->amount)
		return;
	for (k = 0; k < 2; k++) {
		if ((k == 0 && j + 1 >= doc->nlines) || (k == 1 && j == 0))
			continue;
		ln = &doc->lines[k == 0 ? j + 1 : j - 1];
		if (generic_find_qty(ln->text, line_end(ln), &milli, &unit) < 0)
			continue;
		want = (milli * unit + 500) / 1000;
		/* The quantity line may be the other neighbour's: it fits
		 * that item's amount exactly. */
		if (k == 0 ? (j + 2 < doc->nlines &&
			      last_amount_near(&doc->lines[j + 2], want))
			   : (j >= 2 &&
			      last_amount_near(&doc->lines[j - 2], want)))
			continue;
		if (!store_one_digit_misread(it->amount, want) &&
		    !one_digit_inserted(it->amount, want))
			continue;
		receipt_warn(r,
			     "corrected item '%.40s' from %lld to %lld cents "
			     "(quantity line)",
			     it->name, (long long)it->amount, (long long)want);
		/* A repaired reading is less sure than a clean one. */
		r->confidence -= STORE_REPAIR_PENALTY;
		it->amount = want;
		it->qty_milli = milli;
		it->unit_price = unit;
		return;
	}
}

/* Finds each item's line in order (the line whose last amount is the
 * item's) and reads its class letter. Returns the line after the last
 * item found, where the summary part of the receipt begins. */
static size_t locate_items(const struct store_layout *l,
			   const struct parser_doc *doc, struct receipt *r,
			   size_t *at)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const struct parser_line *ln;
	size_t i = 0, k, j, n = 0, tail = 0;
	int64_t want;

	for (k = 0; k < r->nitems; k++) {
		at[k] = SIZE_MAX;
		want = r->items[k].amount < 0 ? -r->items[k].amount
					      : r->items[k].amount;
		for (j = i; j < doc->nlines; j++) {
			ln = &doc->lines[j];
			n = generic_amounts(ln->text, line_end(ln), a,
					    GENERIC_MAX_AMOUNTS);
			if (n &&
			    (a[n - 1].cents == want || a[n - 1].cents == -want))
				break;
		}
		if (j == doc->nlines)
			continue;
		r->items[k].vat_class =
			class_after(l, a[n - 1].end, line_end(&doc->lines[j]));
		repair_from_qty(doc, j, r, &r->items[k]);
		at[k] = j;
		i = j + 1;
		tail = i;
	}
	return tail;
}

/* "19%", "19,0 %", "7.00%": a rate in basis points and where it ends. */
static int find_rate(const char *s, const char *end, int *bp, const char **rs,
		     const char **re)
{
	const char *p, *q;
	int whole, frac, fd;

	for (p = s; p < end; p++) {
		if (!isdigit((unsigned char)*p) ||
		    (p > s && (isdigit((unsigned char)p[-1]) || p[-1] == ',' ||
			       p[-1] == '.')))
			continue;
		for (q = p, whole = 0;
		     q < end && isdigit((unsigned char)*q) && q - p < 3; q++)
			whole = whole * 10 + (*q - '0');
		frac = 0;
		fd = 0;
		if (q + 1 < end && (*q == ',' || *q == '.') &&
		    isdigit((unsigned char)q[1]))
			for (q++; q < end && isdigit((unsigned char)*q); q++)
				if (fd++ < 2)
					frac = frac * 10 + (*q - '0');
		if (fd == 1)
			frac *= 10;
		while (q < end && *q == ' ')
			q++;
		if (q < end && *q == '%' && whole > 0 &&
		    whole * 100 + frac <= STORE_MAX_RATE) {
			*bp = whole * 100 + frac;
			*rs = p;
			*re = q + 1;
			return 0;
		}
	}
	return -1;
}

static int near(int64_t a, int64_t b)
{
	return a - b <= STORE_VAT_SLACK && b - a <= STORE_VAT_SLACK;
}

/* Which of a row's amounts are net, tax and gross: the two that add up
 * to a third (the larger is the net while rates stay below 100 %); with
 * only two, the rate tells which two columns they are; otherwise by size. */
static void assign_vat(const int64_t *v, size_t n, struct receipt_vat *out)
{
	size_t i, j, k;

	out->net = out->tax = out->gross = RECEIPT_UNKNOWN;
	for (k = n; k-- > 0;)
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (i != k && j != k &&
				    near(v[i] + v[j], v[k])) {
					out->net = v[i] > v[j] ? v[i] : v[j];
					out->tax = v[i] > v[j] ? v[j] : v[i];
					out->gross = v[k];
					return;
				}
	if (n == 1) {
		out->tax = v[0];
		return;
	}
	if (n == 2 && out->rate > 0) {
		int64_t lo = v[0] < v[1] ? v[0] : v[1];
		int64_t hi = v[0] < v[1] ? v[1] : v[0];

		/* tax and gross, net and gross, or net and tax. */
		if (near(hi * out->rate / (10000 + out->rate), lo)) {
			out->tax = lo;
			out->gross = hi;
			out->net = hi - lo;
		} else if (near(lo * (10000 + out->rate) / 10000, hi)) {
			out->net = lo;
			out->gross = hi;
			out->tax = hi - lo;
		} else if (near(hi * out->rate / 10000, lo)) {
			out->net = hi;
			out->tax = lo;
			out->gross = hi + lo;
		}
		return;
	}
	if (n >= 3) {
		out->tax = v[0];
		out->net = v[0];
		out->gross = v[0];
		for (i = 1; i < n; i++) {
			if (v[i] < out->tax)
				out->tax = v[i];
			if (v[i] > out->gross)
				out->gross = v[i];
		}
		for (i = 0; i < n; i++)
			if (v[i] != out->tax && v[i] != out->gross)
				out->net = v[i];
	}
}

static int class_rate(const struct store_layout *l, char c)
{
	size_t i;

	for (i = 0; l && i < STORE_MAX_CLASSES && l->classes[i].letter; i++)
		if (l->classes[i].letter == c)
			return l->classes[i].rate;
	return 0;
}

/* "A 1% 46,70 8,87 55,57": the printed rate misread, the chain's rate
 * for the class letter agreeing with the amounts. */
static void fix_rate(const struct store_layout *l, struct receipt_vat *v)
{
	int cr = class_rate(l, v->vat_class);
	int64_t want;

	if (!cr || cr == v->rate || v->net == RECEIPT_UNKNOWN ||
	    v->tax == RECEIPT_UNKNOWN)
		return;
	want = (v->net * cr + 5000) / 10000;
	if (want - v->tax <= STORE_VAT_SLACK + 1 &&
	    v->tax - want <= STORE_VAT_SLACK + 1)
		v->rate = cr;
}

static char rate_class(const struct store_layout *l, int rate)
{
	size_t i;

	for (i = 0; l && i < STORE_MAX_CLASSES && l->classes[i].letter; i++)
		if (l->classes[i].rate == rate)
			return l->classes[i].letter;
	return 0;
}

/* A leading class token: "A", "A=", "B 7%", "1 19,0%". */
static char leading_class(const struct store_layout *l, const char *s,
			  const char *end, const char **after)
{
	while (s < end && (*s == ' ' || *s == '*'))
		s++;
	if (s + 1 >= end || !isalnum((unsigned char)*s) ||
	    isalnum((unsigned char)s[1]))
		return 0;
	*after = s + 1;
	return known_class(l, *s);
}

static void read_vat_row(const struct store_layout *l,
			 const struct parser_line *ln, struct receipt *r)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const char *s = ln->text, *end = line_end(ln), *rs, *re, *after = s;
	struct receipt_vat row;
	int64_t v[GENERIC_MAX_AMOUNTS];
	size_t n, m = 0, i, neg = 0;
	int has_rate;

	memset(&row, 0, sizeof(row));
	row.vat_class = leading_class(l, s, end, &after);
	has_rate = find_rate(s, end, &row.rate, &rs, &re) == 0;
	if (!has_rate && !row.vat_class)
		return;
	n = generic_amounts(has_rate ? re : after, end, a, GENERIC_MAX_AMOUNTS);
	/* A class holding only returns sums below zero: "-0,84 -0,16 -1,00". */
	for (i = 0; i < n; i++)
		neg += a[i].cents < 0;
	for (i = 0; i < n; i++)
		if (a[i].cents > 0 || (neg && a[i].cents <= 0))
			v[m++] = neg ? -a[i].cents : a[i].cents;
	if (m == 0 || (m == 1 && (!has_rate || !generic_names_tax(ln))))
		return;
	if (!has_rate)
		row.rate = class_rate(l, row.vat_class);
	if (!row.vat_class)
		row.vat_class = rate_class(l, row.rate);
	if (row.rate <= 0)
		return;
	assign_vat(v, m, &row);
	if (row.net == RECEIPT_UNKNOWN && row.tax == RECEIPT_UNKNOWN &&
	    row.gross == RECEIPT_UNKNOWN)
		return; /* amounts that fit no reading of the row */
	fix_rate(l, &row);
	if (neg) {
		row.net = row.net == RECEIPT_UNKNOWN ? row.net : -row.net;
		row.tax = row.tax == RECEIPT_UNKNOWN ? row.tax : -row.tax;
		row.gross =
			row.gross == RECEIPT_UNKNOWN ? row.gross : -row.gross;
	}
	for (i = 0; i < r->nvat; i++)
		if (r->vat[i].rate == row.rate)
			return;
	if (r->nvat < RECEIPT_MAX_VAT)
		r->vat[r->nvat++] = row;
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
	{ "tse-sn", 0, TSE_SERIAL },
	{ "tse-serial", 0, TSE_SERIAL },
	{ "tse-sernr", 0, TSE_SERIAL },
	{ "tse-signr", 0, TSE_SIG },
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

/* "2024-03-12T07:41:55", "12.03.2024 07:41:55" -> "2024-03-12T07:41". */
static int read_stamp(const char *s, const char *end, char *out, size_t size)
{
	char date[11], tm[6];

	if (lex_date(&s, end, date) < 0)
		return -1;
	if (s < end && (*s == 'T' || *s == ' '))
		s++;
	lex_skip_spaces(&s, end);
	if (lex_time(&s, end, tm) < 0)
		return -1;
	snprintf(out, size, "%sT%s", date, tm);
	return 0;
}

static int tse_value(enum tse_field f, const char *s, const char *end,
		     struct receipt_tse *t)
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
		return t->start[0]
			       ? 0
			       : read_stamp(s, end, t->start, sizeof(t->start));
	case TSE_END:
		return t->end[0] ? 0
				 : read_stamp(s, end, t->end, sizeof(t->end));
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

static void read_tse(const struct parser_doc *doc, size_t tail,
		     struct receipt *r)
{
	const struct parser_line *ln;
	const char *after, *end;
	enum tse_field f;
	size_t i, k, j, vline;
	int had;

	for (i = tse_block_start(doc, tail); i < doc->nlines; i++) {
		ln = &doc->lines[i];
		end = line_end(ln);
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
			tse_value(f, after, end, &r->tse);
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
				tse_value(f, s, e, &r->tse);
			}
			vline = i + 1;
		}
		if (f == TSE_SERIAL && !had && r->tse.serial[0])
			serial_continues(doc, vline, &r->tse);
	}
	serial_as_hex(r->tse.serial);
}

/* Words that make an unreadable item line a return or discount. */
static const char *const minus_words[] = { "leergut", "ruckgabe",     "rabatt",
					   "coupon",  "preisvorteil", NULL };
static const char *const deposit_word[] = { "pfand", NULL };

static int line_has(const struct parser_line *ln, const char *const *words)
{
	const char *after;
	size_t i;

	for (i = 0; words && words[i]; i++)
		if (lex_find_keyword(ln->text, line_end(ln), words[i], 0,
				     &after))
			return 1;
	return 0;
}

/* A line among the items that no item explains: 3 for a quantity line,
 * 0 when it is too short to be an item, 2 when it looks like an item
 * OCR left without a readable amount (a name, then junk ending in one of
 * the chain's class letters: "Babynahrung 1#652B"), 1 for other lines
 * with letters (between items an item, "Handcreme ; ZEDSER"; above the
 * first item the address). */
static int unexplained_line(const struct store_layout *l,
			    const struct parser_line *ln)
{
	const char *end = line_end(ln), *p;
	int64_t milli, unit;
	int digits = 0;

	while (end > ln->text && end[-1] == ' ')
		end--;
	if (generic_find_qty(ln->text, end, &milli, &unit) == 0)
		return 3;
	if (generic_letters(ln->text, end) < 3)
		return 0;
	for (p = ln->text; p < end; p++)
		digits += isdigit((unsigned char)*p) != 0;
	if (known_class(l, end[-1]) && digits > 0 &&
	    (end - ln->text < 2 || !isalpha((unsigned char)end[-2])))
		return 2;
	return 1;
}

/* A quantity line whose product is the amount of the item above or
 * below it. */
static int qty_explained(const struct parser_doc *doc, const size_t *at,
			 size_t i, const struct receipt *r)
{
	const struct parser_line *ln = &doc->lines[i];
	int64_t milli, unit, want, d;
	size_t k;

	if (generic_find_qty(ln->text, line_end(ln), &milli, &unit) < 0)
		return 0;
	want = (milli * unit + 500) / 1000;
	for (k = 0; k < r->nitems; k++) {
		if (at[k] == SIZE_MAX || (at[k] + 1 != i && at[k] != i + 1))
			continue;
		/* A return's count line is unsigned: "4 Stk x 0,25". */
		d = r->items[k].amount - want;
		if (r->items[k].amount < 0)
			d = -r->items[k].amount - want;
		if (d >= -1 && d <= 1)
			return 1;
	}
	return 0;
}

/* True when quantity line q sits next to item line item and its product
 * is the amount that item must have. */
static int qty_gives(const struct parser_doc *doc, size_t q, size_t item,
		     int64_t amount)
{
	const struct parser_line *ln = &doc->lines[q];
	int64_t milli, unit, d;

	if ((q + 1 != item && item + 1 != q) ||
	    generic_find_qty(ln->text, line_end(ln), &milli, &unit) < 0)
		return 0;
	d = (milli * unit + 500) / 1000 - amount;
	return d >= -1 && d <= 1;
}

/*
 * Exactly one item line among the items has no readable amount and the
 * total is confirmed apart from its own line: the missing amount is what
 * the total leaves, the one consistent reading. It is added (in its
 * place) and the warning says so.
 */
static void recover_missing(const struct store_layout *l,
			    const struct parser_doc *doc, const size_t *at,
			    size_t tail, struct receipt *r)
{
	size_t i, k, first = SIZE_MAX, orphan = SIZE_MAX, loose = SIZE_MAX;
	size_t pos = 0, n;
	const struct parser_line *ln;
	enum receipt_item_kind kind = RECEIPT_ITEM;
	int64_t sum = 0, diff;
	const char *s, *e;

	if (!l || r->total == RECEIPT_UNKNOWN || !store_total_confirmed(r) ||
	    r->nitems == 0 || r->nitems >= RECEIPT_MAX_ITEMS)
		return;
	for (k = 0; k < r->nitems; k++) {
		sum += r->items[k].amount;
		if (at[k] < first)
			first = at[k];
	}
	diff = r->total - sum;
	if (diff == 0 || first == SIZE_MAX)
		return;
	/* Unreadable lines may follow the last readable item: the region
	 * ends at the line printing the total. */
	for (; tail < doc->nlines; tail++) {
		struct generic_amount a[GENERIC_MAX_AMOUNTS];

		ln = &doc->lines[tail];
		n = generic_amounts(ln->text, line_end(ln), a,
				    GENERIC_MAX_AMOUNTS);
		if (n && a[n - 1].cents == r->total)
			break;
	}
	if (tail == doc->nlines)
		return;
	/* The first item may be the unreadable one: look two lines up. */
	for (i = first > 2 ? first - 2 : 0; i < tail; i++) {
		for (k = 0; k < r->nitems && at[k] != i; k++)
			;
		if (k < r->nitems || (i < first && i < STORE_HEADER_SKIP))
			continue;
		switch (unexplained_line(l, &doc->lines[i])) {
		case 0:
			continue;
		case 3:
			if (qty_explained(doc, at, i, r))
				continue;
			/* Unexplained: the unreadable item's own (checked
			 * below), or a sign its item was misread too. */
			if (loose != SIZE_MAX)
				return;
			loose = i;
			continue;
		case 1:
			/* Above the items it is the address; among them,
			 * any such line is an item. */
			if (i < first)
				continue;
			/* fall through */
		case 2:
			if (orphan == SIZE_MAX) {
				orphan = i;
				continue;
			}
			return; /* more than one: no single reading */
		default:
			return;
		}
	}
	if (orphan == SIZE_MAX)
		return;
	if (loose != SIZE_MAX && !qty_gives(doc, loose, orphan, diff))
		return;
	ln = &doc->lines[orphan];
	if (line_has(ln, minus_words) || line_has(ln, l->return_words) ||
	    line_has(ln, l->discount_words))
		kind = line_has(ln, minus_words) &&
				       lex_find_keyword(ln->text, line_end(ln),
							"leergut", 0, &s)
			       ? RECEIPT_DEPOSIT_RETURN
			       : RECEIPT_DISCOUNT;
	else if (line_has(ln, deposit_word))
		kind = RECEIPT_DEPOSIT;
	if ((diff < 0) !=
	    (kind == RECEIPT_DEPOSIT_RETURN || kind == RECEIPT_DISCOUNT))
		return;
	for (k = 0; k < r->nitems; k++)
		if (at[k] != SIZE_MAX && at[k] < orphan)
			pos = k + 1;
	/* The name is the line without its unreadable last word. */
	s = ln->text;
	e = line_end(ln);
	while (e > s && e[-1] == ' ')
		e--;
	while (e > s && e[-1] != ' ')
		e--;
	generic_trim(&s, &e);
	if (receipt_add_item(r, s, (size_t)(e - s), 1000, diff, diff, kind))
		return;
	n = r->nitems;
	if (pos < n - 1) {
		struct receipt_item it = r->items[n - 1];

		memmove(&r->items[pos + 1], &r->items[pos],
			sizeof(r->items[0]) * (n - 1 - pos));
		r->items[pos] = it;
	}
	r->items[pos].vat_class = known_class(l, line_end(ln)[-1]);
	receipt_warn(r, "item '%.40s' unreadable; %lld cents from the total",
		     r->items[pos].name, (long long)diff);
	r->confidence -= STORE_REPAIR_PENALTY;
}

void store_read_fields(const struct store_layout *l,
		       const struct parser_doc *doc, size_t tail,
		       struct receipt *r)
{
	size_t at[RECEIPT_MAX_ITEMS];
	size_t i, found = locate_items(l, doc, r, at);

	if (found > tail)
		tail = found;
	for (i = tail; i < doc->nlines; i++)
		read_vat_row(l, &doc->lines[i], r);
	read_payment(l, doc, tail, r);
	read_tse(doc, tail, r);
	recover_missing(l, doc, at, tail, r);
}
