/*
 * store_fields.c: what German receipts print below the items and what
 * the generic reading leaves out: the VAT summary (class, rate, net, tax,
 * gross) and the payment (method, amount, change), and the order in which
 * store_read_fields() reads them with the items (store_items.c) and the
 * TSE block (store_tse.c). The words are tables; a chain's layout adds
 * its own payment words to the common ones.
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
/* VAT rates above this are misreadings (Germany 19 %, Malaysia 6-10 %,
 * Hungary 27 %). */
#define STORE_MAX_RATE 2700
/* A VAT row's net + tax may differ from its gross by rounding. */
#define STORE_VAT_SLACK 1

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
}

/* Specific before general: "EC-Karte" is ec, plain "Karte" a card. The
 * lone words ("EC 12,34", "Card", "Contactless") are read only below the
 * total, where no item is named so. Cash words are the generic reading's
 * (pay_method()); those listed here are long enough to be caught with a
 * letter lost. */
static const struct store_pay common_pay[] = {
	{ "ec-cash", "ec" },
	{ "ec cash", "ec" },
	{ "ec-karte", "ec" },
	{ "girocard", "ec" },
	{ "electronic cash", "ec" },
	{ "kreditkarte", "credit" },
	{ "visa", "credit" },
	{ "mastercard", "credit" },
	{ "mc", "credit" },
	{ "amex", "credit" },
	{ "american express", "credit" },
	{ "discover", "credit" },
	{ "carta di credito", "credit" },
	{ "carta di debito", "card" },
	{ "mitarbeiterkarte", "card" },
	{ "mensakarte", "card" },
	{ "campuscard", "card" },
	{ "chipkarte", "card" },
	{ "credit card", "credit" },
	{ "credit", "credit" },
	{ "kartenzahlung", "card" },
	{ "karte", "card" },
	{ "maestro", "ec" },
	{ "ec", "ec" },
	{ "debit", "card" },
	{ "card", "card" },
	{ "contactless", "card" },
	{ "kontaktlos", "card" },
	{ "apple pay", "mobile" },
	{ "google pay", "mobile" },
	{ "twint", "mobile" },
	{ "bankomatkarte", "ec" },
	{ "bankomat", "ec" },
	{ "nets", "card" },
	{ "eftpos", "card" },
	{ "eft", "card" },
	{ "interac", "card" },
	{ "cashless", "card" },
	{ "paypal", "mobile" },
	{ "klarna", "mobile" },
	{ "mydebit", "card" },
	{ "ewallet", "mobile" },
	{ "e-wallet", "mobile" },
	{ "duitnow", "mobile" },
	{ "grabpay", "mobile" },
	{ "shopeepay", "mobile" },
	{ "touch n go", "mobile" },
	{ "paynow", "mobile" },
	{ "alipay", "mobile" },
	{ "octopus", "card" },
	{ "gcash", "mobile" },
	{ "upi", "mobile" },
	{ "paytm", "mobile" },
	{ "master", "credit" },
	{ "cartao", "card" },
	{ "hotovost", "cash" },
	{ "hotove", "cash" },
	{ "karta", "card" },
	{ "bankkort", "card" },
	{ "dankort", "card" },
	{ "kort", "card" },
	{ "pankkikortti", "card" },
	{ "kortti", "card" },
	{ "mcard", "credit" },
	{ "debitkarte", "card" },
	{ "korttimaksu", "card" },
	{ "kartou", "card" },
	{ "kartica", "card" },
	{ "kartico", "card" },
	{ "gotovina", "cash" },
	{ "bankkartya", "card" },
	{ "mobilepay", "mobile" },
	{ "vipps", "mobile" },
	{ "swish", "mobile" },
	{ "kontant", "cash" },
	{ "kateinen", "cash" },
	{ "keszpenz", "cash" },
	{ "bankaxept", "card" },
	{ "pangakaart", "card" },
	{ "kaardiga", "card" },
	{ "sularaha", "cash" },
	{ "mokejimo kortele", "card" },
	{ "grynieji", "cash" },
	{ "skaidra nauda", "cash" },
	{ "barzahlung", "cash" },
	{ "carte bancaire", "card" },
	{ "cb", "card" },
	{ "pinnen", "card" },
	{ "pin", "card" },
	{ "bancontact", "card" },
	{ "pagamento elettronico", "card" },
	{ "tarjeta", "card" },
	{ "multibanco", "card" },
	{ "mb way", "mobile" },
	{ "mada", "card" },
	{ "m-pesa", "mobile" },
	{ "promptpay", "mobile" },
	{ "ez-link", "card" },
	{ "contanti", "cash" },
	{ "contante", "cash" },
	{ "efectivo", "cash" },
	{ "entregado", "cash" },
	{ "numerario", "cash" },
	{ "eingezahlt", "cash" },
	{ "tendered", "cash" },
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
		if (store_fuzzy_find(folded, flen, word, wlen, 1) <= 1)
			return tab[i].method;
	}
	return NULL;
}

/* The payment method line ln names, or NULL. */
static const char *pay_method(const struct parser_line *ln)
{
	const char *m = find_pay(ln, common_pay, NROWS(common_pay));

	return m ? m : generic_cash_word(ln) ? "cash" : NULL;
}

/* Lines under a payment word without an amount searched for it
 * ("Zahlungsart: Visa / Betrag 74,85", "VISA XXXX1234 / Auth: 082211 /
 * Amount: 56.58"). */
#define PAY_AMOUNT_BELOW 2

/* The amount paid on the lines under payment line i: the total printed
 * again, before any other payment or change line; 0 where none is. */
static int64_t paid_below(const struct parser_doc *doc, size_t i,
			  const struct receipt *r)
{
	const struct parser_line *ln;
	int64_t v;
	size_t k;

	for (k = i + 1; k < doc->nlines && k <= i + PAY_AMOUNT_BELOW; k++) {
		ln = &doc->lines[k];
		if (generic_change_line(ln) || generic_voucher_line(ln) ||
		    pay_method(ln))
			break;
		if (r->total > 0 && generic_last_positive(ln, NULL) == r->total)
			return r->total;
		if (k == i + 1 && (v = generic_slip_amount(ln)) > 0)
			return v; /* "EC-Karte / Betrag EUR 14,00" */
	}
	return 0;
}

/* A gift card sold, not paid with: "Karte ****3381 aktiviert". */
static const char *const sold_card_words[] = { "aktiviert", "activated",
					       "aufgeladen", NULL };

static void read_payment(const struct store_layout *l,
			 const struct parser_doc *doc, size_t tail,
			 struct receipt *r)
{
	const struct parser_line *ln;
	const char *m;
	int64_t v, last;
	size_t i, at = SIZE_MAX;

	for (i = tail; i < doc->nlines; i++) {
		ln = &doc->lines[i];
		v = generic_last_positive(ln, NULL);
		if (generic_change_line(ln)) {
			if (v > 0 && r->payment.change == RECEIPT_UNKNOWN)
				r->payment.change = v;
			continue;
		}
		/* A payment word without an amount ("PAYBACK Karte ****1234")
		 * gives way to a later one with its amount. */
		if (r->payment.method[0] &&
		    r->payment.amount != RECEIPT_UNKNOWN) {
			/* "BAR EUR 35,20 / Gegeben 40,00": the cash handed
			 * over, more than the bill. */
			if (!strcmp(r->payment.method, "cash") &&
			    v > r->payment.amount && (m = pay_method(ln)) &&
			    !strcmp(m, "cash"))
				r->payment.amount = v;
			continue;
		}
		if (generic_cash_out_line(ln) ||
		    store_line_has(ln, sold_card_words))
			continue;
		m = generic_voucher_line(ln) ? "voucher" : NULL;
		if (!m && l)
			m = find_pay(ln, l->payments, 0);
		if (!m)
			m = pay_method(ln);
		if (!m)
			continue;
		snprintf(r->payment.method, sizeof(r->payment.method), "%s", m);
		if (at == SIZE_MAX)
			at = i;
		/* A refund pays out: "Rückzahlung Bar -19,99"; a hotel's
		 * folio books a payment as a credit: "Paid Amex -487,84". */
		last = generic_last_amount(ln, NULL, NULL);
		if (v <= 0 && r->total != RECEIPT_UNKNOWN &&
		    (r->total < 0 || last == -r->total))
			v = r->total < 0 ? last : r->total;
		if (v == 0)
			v = paid_below(doc, i, r);
		if (v > 0 || (v < 0 && r->total < 0))
			r->payment.amount = v;
	}
	/* A card slip prints the amount far under the card's name, past
	 * the terminal's lines ("girocard / ... / Betrag: EUR 47,30"), a
	 * tip added ("Trinkgeld 8,60 / Gesamtbetrag 95,00"). */
	for (i = at; r->payment.amount == RECEIPT_UNKNOWN && r->total > 0 &&
		     i < doc->nlines;
	     i++)
		if (generic_slip_amount(&doc->lines[i]) == r->total + r->tip ||
		    (r->tip > 0 &&
		     generic_last_positive(&doc->lines[i], NULL) ==
			     r->total + r->tip))
			r->payment.amount = r->total + r->tip;
}

/* A class letter as printed, if the layout (or, with none, the usual A-D
 * and 1-3) knows it; OCR's lower case and 8-for-B are forgiven. */
char store_known_class(const struct store_layout *l, char c)
{
	size_t i;

	c = (char)toupper((unsigned char)c);
	/* A chain whose letters are not known reads them as anyone's. */
	if (l && l->classes[0].letter) {
		for (i = 0; i < STORE_MAX_CLASSES && l->classes[i].letter; i++)
			if (l->classes[i].letter == c)
				return c;
		if (c == '8')
			return store_known_class(l, 'B');
		if (c == '4')
			return store_known_class(l, 'A');
		return 0;
	}
	return (c >= 'A' && c <= 'D') || (c >= '1' && c <= '3') ? c : 0;
}

/* "19%", "19,0 %", "7.00%": a rate in basis points and where it ends. */
static int find_rate(const char *s, const char *end, int *bp, const char **rs,
		     const char **re)
{
	return lex_rate(s, end, STORE_MAX_RATE, bp, rs, re);
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

		/* tax and gross, net and gross, or net and tax; on small
		 * sums both tax readings come near, and the one that rounds
		 * to it exactly is right ("Netto 1,11 MwSt 0,08" at 7 %:
		 * 0,07 of 1,11 gross, 0,08 of 1,11 net). */
		int64_t of_gross = (hi * out->rate * 2 + 10000 + out->rate) /
				   (2 * (10000 + out->rate));
		int64_t of_net = (hi * out->rate + 5000) / 10000;

		if (near(hi * out->rate / (10000 + out->rate), lo) &&
		    (!near(hi * out->rate / 10000, lo) || of_gross == lo ||
		     of_net != lo)) {
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

/* Whether the row's tax is its net at rate, give or take rounding. */
static int rate_fits(const struct receipt_vat *v, int rate)
{
	int64_t want = (v->net * rate + 5000) / 10000;

	return want - v->tax <= STORE_VAT_SLACK + 1 &&
	       v->tax - want <= STORE_VAT_SLACK + 1;
}

/* "A 1% 46,70 8,87 55,57": the printed rate misread, the chain's rate
 * for the class letter agreeing with the amounts. A rate the amounts
 * fit as printed stays: on a few cents any rate fits ("B 19% -0,05
 * -0,01 -0,06"). */
static void fix_rate(const struct store_layout *l, struct receipt_vat *v)
{
	int cr = class_rate(l, v->vat_class);

	if (!cr || cr == v->rate || v->net == RECEIPT_UNKNOWN ||
	    v->tax == RECEIPT_UNKNOWN || (v->rate > 0 && rate_fits(v, v->rate)))
		return;
	if (rate_fits(v, cr))
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
	return store_known_class(l, *s);
}

/* Zero-rated goods' row, its net the gross: told from a tax-only row,
 * whose rate is 0 too, by its net, which a tax-only row leaves unknown. */
static void add_zero_row(struct receipt_vat *row, int64_t net,
			 struct receipt *r)
{
	if (r->nvat >= RECEIPT_MAX_VAT)
		return;
	for (size_t i = 0; i < r->nvat; i++)
		if (r->vat[i].rate == 0 && r->vat[i].net != RECEIPT_UNKNOWN)
			return;
	row->rate = 0;
	row->net = row->gross = net;
	row->tax = 0;
	r->vat[r->nvat++] = *row;
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

	/* "18% = 11.26   20% = 12.51": a table of suggested tips; a VAT
	 * row prints one rate. */
	rs = memchr(s, '%', (size_t)(end - s));
	if (rs && memchr(rs + 1, '%', (size_t)(end - rs - 1)))
		return;
	memset(&row, 0, sizeof(row));
	row.vat_class = leading_class(l, s, end, &after);
	has_rate = find_rate(s, end, &row.rate, &rs, &re) == 0;
	if (!has_rate && (v[0] = generic_zero_row(ln)) > 0) {
		add_zero_row(&row, v[0], r);
		return;
	}
	if (!has_rate && !row.vat_class &&
	    (!generic_names_tax(ln) || !generic_tax_line(ln)))
		return;
	n = generic_amounts(has_rate ? re : after, end, a, GENERIC_MAX_AMOUNTS);
	/* A class holding only returns sums below zero: "-0,84 -0,16 -1,00". */
	for (i = 0; i < n; i++)
		neg += a[i].cents < 0;
	for (i = 0; i < n; i++)
		if (a[i].cents > 0 || (neg && a[i].cents <= 0))
			v[m++] = neg ? -a[i].cents : a[i].cents;
	if (!has_rate && !row.vat_class) {
		/* "SALES TAX 1.22", "MN TAX 6.87500 on $20.79 $1.43": the
		 * tax alone, last and least, no rate printed. A rated row
		 * read later takes its place (a "TOTAL TAX" under rated
		 * rows sums them). */
		if (m == 0 || r->nvat)
			return;
		for (i = 0; i + 1 < m; i++)
			if (v[i] <= v[m - 1])
				return;
		row.net = row.gross = RECEIPT_UNKNOWN;
		row.tax = v[m - 1];
		r->vat[r->nvat++] = row;
		return;
	}
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
	if (r->nvat == 1 && r->vat[0].rate == 0 &&
	    r->vat[0].net == RECEIPT_UNKNOWN)
		r->nvat = 0;
	for (i = 0; i < r->nvat; i++)
		if (r->vat[i].rate == row.rate)
			return;
	if (r->nvat < RECEIPT_MAX_VAT)
		r->vat[r->nvat++] = row;
}

/* Where the payment is looked for: under the items, or under the total
 * where an invoice prints it over them ("Gesamtbetrag 86,84 / bezahlt
 * mit girocard" above the item list). */
static size_t paid_from(const struct parser_doc *doc, const struct receipt *r,
			const size_t *at, size_t tail)
{
	if (!r->nitems || at[0] == SIZE_MAX || r->total <= 0)
		return tail;
	for (size_t i = 0; i < at[0]; i++)
		if (generic_last_positive(&doc->lines[i], NULL) == r->total)
			return i;
	return tail;
}

void store_read_fields(const struct store_layout *l,
		       const struct parser_doc *doc, size_t tail,
		       struct receipt *r)
{
	size_t at[RECEIPT_MAX_ITEMS];
	size_t i, found = store_locate_items(l, doc, r, at);

	if (found > tail)
		tail = found;
	for (i = tail; i < doc->nlines; i++)
		read_vat_row(l, &doc->lines[i], r);
	read_payment(l, doc, paid_from(doc, r, at, tail), r);
	r->rounding = generic_rounding(doc, tail);
	store_read_tse(doc, tail, r);
	store_recover_missing(l, doc, at, tail, r);
}
