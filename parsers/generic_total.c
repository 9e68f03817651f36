/*
 * generic_total.c: chooses the total of the generic parser. Every amount
 * that may be the total becomes a candidate with the evidence for it: a
 * keyword line, what was paid (cash minus change, a card payment), the
 * sum of the items, a rounding adjustment. A keyword amount the evidence
 * contradicts by one misread digit yields to the reading it supports.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "generic.h"
#include "lex.h"
#include "banned.h"

/* Candidates kept; a receipt prints a handful of total-like amounts. */
#define TOTAL_MAX_CANDS 64

/* Base ranks of candidates that come without a total keyword. Cash minus
 * change, when also printed elsewhere, outranks an unconfirmed keyword
 * amount (one misread digit) but not a total the items confirm;
 * unprinted, it ranks under every total keyword and under a subtotal
 * the items add up to or the items' sum printed again (two readings,
 * either may be misread, against two that agree) and only beats
 * guessing. */
#define TOTAL_PRIO_PAID 70
#define TOTAL_PRIO_PAID_UNPRINTED 25
#define TOTAL_PRIO_CARD 50
/* The VAT table's gross sum printed on a line that is no VAT row (its
 * total line, the keyword misread): over unprinted cash minus change,
 * under every keyword. */
#define TOTAL_PRIO_VAT_PRINTED 38
/* A subtotal is the last resort before guessing; printed again on a
 * later line without a keyword (the total line, its keyword misread:
 * "mount due 31.77"), it outranks unprinted cash minus change. */
#define TOTAL_PRIO_SUBTOTAL 5
#define TOTAL_PRIO_REPRINTED 30
/* A subtotal plus its printed rounding adjustment, a second reading of
 * the rounded total: as sure as a subtotal printed again. */
#define TOTAL_PRIO_ADJUSTED TOTAL_PRIO_REPRINTED
/* A keyword total plus its rounding adjustment, printed below it, is
 * what was paid: it beats the unrounded figure by this much. */
#define TOTAL_ROUNDED_BONUS 5
/* Cash handed over is a multiple of this (5.00: notes, not coins). */
#define CASH_ROUND 500

/* Confidence lost by a subtotal standing in for a lost total line that
 * no payment prints: to review, however well the rest reads. */
#define SUBTOTAL_STAND_IN_PENALTY 0.1

/* Evidence that confirms a candidate, added to its rank. */
#define TOTAL_BONUS_ITEMS 30
#define TOTAL_BONUS_PAID 40
#define TOTAL_BONUS_CARD 30
#define TOTAL_BONUS_VAT 20
/* The items with one of them misread: less than their exact sum, more
 * than the VAT table (one more reading beside the line's own). */
#define TOTAL_BONUS_NEAR 25

enum evidence {
	EV_KEYWORD = 1u << 0,
	EV_SUBTOTAL = 1u << 1,
	EV_ITEMS = 1u << 2,
	EV_PAID = 1u << 3,
	EV_CARD = 1u << 4,
	EV_ROUNDED = 1u << 5,
	EV_VAT = 1u << 6,  /* the VAT table's gross column adds up to it */
	EV_NEAR = 1u << 7, /* the items do, with one of them misread */
};

/* Evidence that does not come from reading the total line itself. */
#define EV_INDEPENDENT (EV_ITEMS | EV_PAID | EV_CARD | EV_VAT | EV_NEAR)

struct cand {
	int64_t cents;
	int prio;	 /* best rank of a line printing it */
	unsigned ev;	 /* enum evidence bits */
	size_t line;	 /* last line it was seen on, for ties */
	size_t first;	 /* first line it was seen on */
	int64_t misread; /* keyword amount it stands in for, or 0 */
};

struct cands {
	struct cand c[TOTAL_MAX_CANDS];
	size_t n;
	int64_t tip; /* left out of the payments (leave_out_tip) */
};

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
}

int64_t generic_last_amount(const struct parser_line *l, char *sep,
			    int *printed)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t n =
		generic_amounts(l->text, line_end(l), a, GENERIC_MAX_AMOUNTS);

	if (printed)
		*printed = n > 0;
	if (n && sep)
		*sep = a[n - 1].sep;
	return n ? a[n - 1].cents : 0;
}

static int64_t last_amount(const struct parser_doc *doc, size_t i, int *printed)
{
	return generic_last_amount(&doc->lines[i], NULL, printed);
}

int64_t generic_last_positive(const struct parser_line *l, char *sep)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t n =
		generic_amounts(l->text, line_end(l), a, GENERIC_MAX_AMOUNTS);

	while (n > 0 && a[n - 1].cents <= 0)
		n--;
	if (n == 0)
		return 0;
	if (sep)
		*sep = a[n - 1].sep;
	return a[n - 1].cents;
}

/* A line that is only an amount (and a currency or VAT letter): the value
 * of the label on the line above, as column layouts print it. */
int generic_amount_only(const struct parser_line *l)
{
	struct generic_amount a[2];
	size_t n = generic_amounts(l->text, line_end(l), a, 2);

	return n == 1 && generic_letters(l->text, line_end(l)) <= 3;
}

/* "TOTAL ROUNDED 27.608": a speck after the total, or a thin stroke
 * inside it ("8,317" for 8,37), read as a third decimal, which no amount
 * of a total line has. The line's last word, when it is one to six
 * digits, a separator and three digits, read without the one decimal
 * that leaves the items' sum, else without its last; 0 otherwise. */
static int64_t stray_decimal(const struct parser_line *l, int64_t items_sum)
{
	const char *end = line_end(l), *s = end, *sep = NULL;
	int64_t whole = 0, d[3];
	int nd = 0;

	/* A speck after it read as a full stop: "22,000." */
	if (end - l->text > 1 && end[-1] == '.')
		s = --end;
	while (s > l->text && s[-1] != ' ')
		s--;
	for (const char *t = s; t < end; t++) {
		if (*t == ',' || *t == '.') {
			if (sep || t == s)
				return 0;
			sep = t;
		} else if (!isdigit((unsigned char)*t) || nd == 3) {
			return 0;
		} else if (!sep) {
			whole = whole * 10 + (*t - '0');
		} else {
			d[nd++] = *t - '0';
		}
	}
	if (!sep || nd != 3 || sep - s > 6)
		return 0;
	whole *= 100;
	if (whole + d[0] * 10 + d[2] == items_sum ||
	    whole + d[1] * 10 + d[2] == items_sum)
		return items_sum;
	return whole + d[0] * 10 + d[1];
}

/* The amount a labelled line carries: its own last positive amount (the
 * last before a payment word: OCR joins "Summe 7,50" and "Bar 10,00"
 * into one line), or the next line's when that holds nothing but an
 * amount. */
static int64_t line_value(const struct parser_doc *doc,
			  const struct generic_line *info, size_t i)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const struct parser_line *l = &doc->lines[i];
	const char *pay = info[i].prio ? generic_payment_word(l) : NULL;
	int64_t v = generic_last_positive(l, NULL);
	size_t n =
		pay ? generic_amounts(l->text, pay, a, GENERIC_MAX_AMOUNTS) : 0;

	if (n && a[n - 1].cents > 0)
		v = a[n - 1].cents;

	if (!v && i + 1 < doc->nlines &&
	    info[i + 1].cls == GENERIC_LINE_PLAIN && !info[i + 1].prio &&
	    generic_amount_only(&doc->lines[i + 1]))
		v = generic_last_positive(&doc->lines[i + 1], NULL);
	/* "EC-Karte / Betrag EUR 14,00": the slip's amount line. */
	if (!v && info[i].cls == GENERIC_LINE_CARD && i + 1 < doc->nlines)
		v = generic_slip_amount(&doc->lines[i + 1]);
	return v;
}

static struct cand *add(struct cands *cs, int64_t cents, int prio, unsigned ev,
			size_t line)
{
	struct cand *c;
	size_t i;

	if (cents <= 0)
		return NULL;
	for (i = 0; i < cs->n; i++) {
		c = &cs->c[i];
		if (c->cents != cents)
			continue;
		if (prio > c->prio)
			c->prio = prio;
		c->ev |= ev;
		if (line > c->line)
			c->line = line;
		if (line < c->first)
			c->first = line;
		return c;
	}
	if (cs->n == TOTAL_MAX_CANDS)
		return NULL;
	c = &cs->c[cs->n++];
	memset(c, 0, sizeof(*c));
	c->cents = cents;
	c->prio = prio;
	c->ev = ev;
	c->line = c->first = line;
	return c;
}

static int printed_elsewhere(const struct parser_doc *doc, int64_t v,
			     size_t from, size_t skip)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t i, j, n;

	for (i = from; i < doc->nlines; i++) {
		/* Change is no reading of the total. */
		if (i == skip || i == skip + 1 ||
		    generic_change_line(&doc->lines[i]))
			continue;
		n = generic_amounts(doc->lines[i].text,
				    line_end(&doc->lines[i]), a,
				    GENERIC_MAX_AMOUNTS);
		for (j = 0; j < n; j++)
			if (a[j].cents == v)
				return 1;
	}
	return 0;
}

/* Lines under a subtotal searched for the tax added to it. */
#define TAX_BELOW_SUBTOTAL 3

/* Whether tax is added to subtotal line i: a tax line under it (its
 * figure may be lost), or the receipt's dollars (US and Canadian prices
 * are before sales tax). */
static int tax_added(const struct parser_doc *doc,
		     const struct generic_line *info, size_t i,
		     const struct receipt *r)
{
	if (!strcmp(r->currency, "USD") || !strcmp(r->currency, "CAD"))
		return 1;
	for (size_t j = i + 1; j < doc->nlines && j <= i + TAX_BELOW_SUBTOTAL;
	     j++)
		if (info[j].cls == GENERIC_LINE_TAX)
			return 1;
	return 0;
}

/* Whether a cash or card line prints cents. */
static int payment_prints(const struct parser_doc *doc,
			  const struct generic_line *info, int64_t cents)
{
	for (size_t i = 0; i < doc->nlines; i++)
		if ((info[i].cls == GENERIC_LINE_CASH ||
		     info[i].cls == GENERIC_LINE_CARD) &&
		    last_amount(doc, i, NULL) == cents)
			return 1;
	return 0;
}

/* Whether the amount subtotal line i prints is printed again on a later
 * line that names nothing else (no keyword, payment or tax). */
static int reprinted(const struct parser_doc *doc,
		     const struct generic_line *info, size_t i)
{
	int64_t v = generic_last_positive(&doc->lines[i], NULL);

	for (size_t j = i + 1; v > 0 && j < doc->nlines; j++)
		if (info[j].cls == GENERIC_LINE_PLAIN && !info[j].prio &&
		    !info[j].subtotal &&
		    generic_last_positive(&doc->lines[j], NULL) == v)
			return 1;
	return 0;
}

/* "2120" for 21.20: the decimal separator lost, digits intact. Only the
 * figure paid is matched this loosely, being computed, not read. */
static int printed_bare(const struct parser_doc *doc, int64_t v, size_t skip)
{
	const char *s, *end;
	int64_t x;
	size_t i;
	int n;

	for (i = 0; i < doc->nlines; i++) {
		if (i == skip || i == skip + 1)
			continue;
		s = doc->lines[i].text;
		end = line_end(&doc->lines[i]);
		while (s < end) {
			for (x = 0, n = 0; s < end && *s >= '0' && *s <= '9';
			     s++, n++)
				x = n < 12 ? x * 10 + (*s - '0') : x;
			if (n >= 3 && n < 12 && x == v &&
			    (s == end || *s == ' '))
				return 1;
			s += s < end;
		}
	}
	return 0;
}

/* Whether printed amount a may be a misreading of b: at most most
 * confusable digits differ, or a carries stray leading digits ("1819,77"
 * for 19,77). */
static int misreading(int64_t a, int64_t b, int most)
{
	int64_t x = a, y = b, mod;
	int diff = 0;

	if (a == b || a <= 0 || b <= 0)
		return 0;
	for (mod = 10; mod <= b * 10; mod *= 10)
		if (a > b && a % mod == b && b >= mod / 10 && b >= 100)
			return 1;
	while (x > 0 || y > 0) {
		if (x % 10 != y % 10) {
			if (!lex_digits_confusable((int)(x % 10),
						   (int)(y % 10)))
				return 0;
			diff++;
		}
		x /= 10;
		y /= 10;
	}
	return diff >= 1 && diff <= most;
}

/* Where cash minus change is no total or subtotal read, but exactly one
 * is with the cash or the change misread, that one was paid. Cash is
 * handed over in round sums: read with one or two confusable digits put
 * right to a multiple of CASH_ROUND ("Summe 61,57 / Bar 109,00 /
 * Rückgeld 38,43"). The change may have had its zeros read as 6, 8 or 9
 * ("SUBTOTAL 3.50 / CASH 5.00 / CHANGE 1.56"). Where the items add up to
 * cash minus change, neither is misread: the total line is ("SUMME EUR
 * 2,19 / Bar 50,00 / Rückgeld 27,81" for 22,19, not cash 30,00). */
static int64_t paid_misread(const struct cands *cs, int64_t cash,
			    int64_t change, int64_t paid, int64_t items_sum)
{
	int64_t found = 0, given;
	size_t i;

	if (paid == items_sum)
		return paid;
	for (i = 0; i < cs->n; i++) {
		const struct cand *c = &cs->c[i];

		if (c->cents == paid)
			return paid;
		given = c->cents + change;
		if (!(c->ev & (EV_KEYWORD | EV_SUBTOTAL)) ||
		    !((given % CASH_ROUND == 0 && misreading(cash, given, 2)) ||
		      lex_dotted_zeros(change, cash - c->cents)))
			continue;
		if (found && found != c->cents)
			return paid;
		found = c->cents;
	}
	return found ? found : paid;
}

/* Lines above the cash line searched for the total its label lost. */
#define PAID_ABOVE 3

/* Where cash minus change is printed nowhere, the amount on one of the
 * few lines above the cash line that round cash, read with one or two
 * confusable digits, minus the change gives ("Gesarıt E92 47,56 / Bar
 * 50,60 / Rückgeld 2,44": the total line's label misread, so it is no
 * candidate for paid_misread); else 0. Only one such amount counts. */
static int64_t paid_above(const struct parser_doc *doc, size_t cash_line,
			  int64_t cash, int64_t change)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	int64_t found = 0, given;
	size_t i, j, n;

	for (i = cash_line; i-- > 0 && i + PAID_ABOVE >= cash_line;) {
		n = generic_amounts(doc->lines[i].text,
				    line_end(&doc->lines[i]), a,
				    GENERIC_MAX_AMOUNTS);
		for (j = 0; j < n; j++) {
			given = a[j].cents + change;
			if (a[j].cents <= 0 || given % CASH_ROUND ||
			    !misreading(cash, given, 2))
				continue;
			if (found && found != a[j].cents)
				return 0;
			found = a[j].cents;
		}
	}
	return found;
}

/* "TOTAL 20.00 / CASH 4.58 / CHANGE": OCR paired each amount of the
 * payment block with the label a line above its own (a tilted photo),
 * so the change line has none and the cash reads less than the total.
 * The total line's figure was the cash then and the cash line's the
 * change; their difference, where another line prints it (the
 * subtotal), is what was paid, and the total line's figure ranks as a
 * subtotal. Returns the difference, or 0. */
static int64_t paid_shifted(const struct parser_doc *doc,
			    const struct generic_line *info, struct cands *cs,
			    size_t cash_line, int64_t cash)
{
	size_t k;
	int64_t given, v;

	if (cash_line == 0 || !info[cash_line - 1].prio)
		return 0;
	k = cash_line - 1;
	given = line_value(doc, info, k);
	v = given - cash;
	if (v <= 0 || !printed_elsewhere(doc, v, 0, k))
		return 0;
	for (size_t j = 0; j < cs->n; j++)
		if (cs->c[j].cents == given && (cs->c[j].ev & EV_KEYWORD))
			cs->c[j].prio = TOTAL_PRIO_SUBTOTAL;
	return v;
}

/* Cash tendered minus change is what was paid; the change pairs with the
 * nearest cash line above it. */
static void add_paid(const struct parser_doc *doc,
		     const struct generic_line *info, int64_t items_sum,
		     struct cands *cs, int64_t *paid)
{
	int64_t cash = 0, change = -1, v;
	size_t i, cash_line = 0, change_line = 0, label_line = 0;
	int printed, zero;

	*paid = 0;
	for (i = 0; i < doc->nlines && change < 0; i++) {
		if (info[i].cls == GENERIC_LINE_CASH) {
			v = line_value(doc, info, i);
			if (v) {
				cash = v;
				cash_line = i;
			}
		} else if (info[i].cls == GENERIC_LINE_CHANGE && cash) {
			v = line_value(doc, info, i);
			/* "Change 0.00" has an amount that is not positive;
			 * a change line whose amount OCR lost has none. */
			zero = !v && last_amount(doc, i, &printed) == 0 &&
			       printed;
			if (v || zero) {
				change = v;
				change_line = i;
			} else if (!label_line) {
				label_line = i;
			}
		}
	}
	if (cash > 0 && change < 0 && label_line &&
	    (*paid = paid_shifted(doc, info, cs, cash_line, cash)) > 0) {
		add(cs, *paid, TOTAL_PRIO_PAID, 0, label_line);
		return;
	}
	if (cash <= 0 || change < 0 || change >= cash)
		return;
	*paid = paid_misread(cs, cash, change, cash - change, items_sum);
	/* Not its own confirmation: the paid bonus goes to the others. */
	printed = printed_elsewhere(doc, *paid, 0, cash_line) ||
		  printed_bare(doc, *paid, cash_line);
	if (!printed && (v = paid_above(doc, cash_line, cash, change)) > 0) {
		*paid = v;
		printed = 1;
	}
	add(cs, *paid, printed ? TOTAL_PRIO_PAID : TOTAL_PRIO_PAID_UNPRINTED, 0,
	    change_line);
}

/* Whether any reading gives v. */
static int find(const struct cands *cs, int64_t v)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->c[i].cents == v)
			return 1;
	return 0;
}

/* Cash paid out with a debit payment ("CASH BACK 20.00"), or 0. */
static int64_t cash_back(const struct parser_doc *doc)
{
	for (size_t i = 0; i < doc->nlines; i++) {
		const struct parser_line *l = &doc->lines[i];

		if (generic_cash_out_line(l))
			return generic_last_positive(l, NULL);
	}
	return 0;
}

/* A card payment line at or below the first total line carries the
 * amount charged, which is the total unless the payment was split, or
 * cash was paid out with it ("TOTAL 55.11 / DEBIT TEND 75.11 / CASH
 * BACK 20.00"). */
static void add_cards(const struct parser_doc *doc,
		      const struct generic_line *info, size_t from,
		      struct cands *cs)
{
	int64_t back = cash_back(doc), v, credit;
	size_t i;

	for (i = from; i < doc->nlines; i++) {
		if (info[i].cls != GENERIC_LINE_CARD)
			continue;
		v = line_value(doc, info, i);
		/* A hotel's folio books the payment as a credit: "Paid
		 * Amex -487,84", the total read. */
		credit = -generic_last_amount(&doc->lines[i], NULL, NULL);
		if (!v && find(cs, credit))
			v = credit;
		/* Unless a total line reads the sum charged itself. */
		if (back > 0 && v > back &&
		    (find(cs, v - back) || !find(cs, v)))
			v -= back;
		add(cs, v, TOTAL_PRIO_CARD, EV_CARD, i);
	}
}

/* Whether a and b are a rounding to 5 cents apart: a cent or two. */
static int a_rounding_apart(int64_t a, int64_t b)
{
	return a - b >= -2 && a - b <= 2;
}

/* A keyword total no multiple of 5 cents a cent or two from what was
 * paid, which is one, where a rounding line is printed: the total rounded
 * to 5 cents, its adjustment lost ("TOTAL 19.99 / Rounding Adj u / CASH
 * 20.00 / CHANGE 0.00"). */
static int paid_rounded(int64_t total, int64_t paid)
{
	return paid > 0 && paid % 5 == 0 && total % 5 != 0 &&
	       a_rounding_apart(paid, total);
}

/* Whether a is b with one stray digit in front: "$19.82" or "£19.82"
 * read as "219.82", a currency sign taken for a digit. */
static int stray_lead(int64_t a, int64_t b)
{
	int64_t mod = 10;

	if (a <= b || b < 100)
		return 0;
	while (mod <= b)
		mod *= 10;
	return a % mod == b && a / mod < 10;
}

/* Whether rounded total a, which nothing else backs, printed v, a
 * subtotal plus its rounding adjustment (a multiple of 5 cents): a
 * confusable digit off it or with its first digit lost ("TOTAL ROUNDED
 * RM 7.55" for 67.55), or any figure where a is no multiple of 5, surely
 * misread, and the items add up to the subtotal. */
static int rounding_mends(const struct cand *a, int64_t v, int items_agree)
{
	if (a->prio != GENERIC_PRIO_ROUNDED || (a->ev & EV_INDEPENDENT) ||
	    v % 5)
		return 0;
	return misreading(a->cents, v, 1) || stray_lead(v, a->cents) ||
	       (a->cents % 5 && items_agree);
}

/* Subtotal s plus the rounding adjustment r printed on line is a second
 * reading of what was paid: it backs a card line that gives it
 * ("SUBTOTAL 80.94 / ROUNDING ADJ 0.01 / TOTAL ROUNDED 09.95 / VISA
 * 80.95") and takes the rank of a rounded total that rounding_mends says
 * printed it ("TOTAL ROUNDED 79.85" over 70.84 and 0.01), which then
 * ranks as a subtotal (no other reading may take its rank). A multiple
 * of 5 cents, it is a candidate of its own too, for a rounded total line
 * whose figure did not read ("TOTAL ROUNDED RM 1.07.00"). Only the first
 * n candidates are looked at. */
static void subtotal_rounded(struct cands *cs, size_t n, const struct cand *s,
			     int64_t r, int64_t items_sum, size_t line)
{
	int64_t v = s->cents + r;
	struct cand *c, *b;

	if (v % 5 == 0)
		add(cs, v, TOTAL_PRIO_ADJUSTED, 0, line);
	for (size_t j = 0; j < n; j++) {
		c = &cs->c[j];
		if ((c->ev & EV_CARD) && c->cents == v) {
			add(cs, v, s->prio, EV_SUBTOTAL | EV_ROUNDED, line);
		} else if (rounding_mends(c, v, s->cents == items_sum)) {
			b = add(cs, v, c->prio + TOTAL_ROUNDED_BONUS,
				EV_SUBTOTAL | EV_ROUNDED, line);
			if (!b)
				continue;
			b->misread = c->cents;
			c->prio = TOTAL_PRIO_SUBTOTAL;
		}
	}
}

/* "TOTAL 12.18 / ROUNDING -0.03 / 12.15": the rounded figure, when it is
 * printed below the adjustment, is the one paid; so is a payment that
 * paid_rounded says is the total rounded, or that a subtotal plus the
 * adjustment gives (a second reading of it: "SUBTOTAL 100.74 / ROUNDING
 * ADJ 0.01", cash minus change 100.75). */
/* Whether v, a figure plus rounding adjustment r, is a rounded total:
 * any for a few cents; to half a unit for more ("CELKEM 251,69 /
 * Zaokrouhlení 0,31 / K ÚHRADĚ 252,00": crowns round to whole ones); to
 * five units for whole ones ("ÖSSZESEN 4 022 / KEREKÍTÉS -2 / FIZETENDŐ
 * 4 020"). */
static int rounds_to(int64_t v, int64_t r)
{
	if (r <= GENERIC_MAX_ROUNDING && r >= -GENERIC_MAX_ROUNDING)
		return 1;
	if (r <= GENERIC_MAX_ROUNDING_HALF && r >= -GENERIC_MAX_ROUNDING_HALF)
		return v % 50 == 0;
	return r % 100 == 0 && v % 500 == 0;
}

/* Whether a cash line lies between lines a and b: a rounding printed
 * under the cash handed over ("TOTAL 11.18 / CASH 20.00 / CASH ROUNDING
 * 0.02") settles the cash, not the bill (Canada rounds cash only). */
static int cash_between(const struct generic_line *info, size_t a, size_t b)
{
	for (size_t i = a + 1; i < b; i++)
		if (info[i].cls == GENERIC_LINE_CASH)
			return 1;
	return 0;
}

static void add_rounded(const struct parser_doc *doc,
			const struct generic_line *info, int64_t paid,
			int64_t items_sum, struct cands *cs)
{
	size_t i, k, n = cs->n;
	int64_t r;

	for (i = 0; i < doc->nlines; i++) {
		if (info[i].cls != GENERIC_LINE_ROUNDING)
			continue;
		for (k = 0; k < n; k++)
			if ((cs->c[k].ev & EV_KEYWORD) &&
			    !cash_between(info, cs->c[k].line, i) &&
			    paid_rounded(cs->c[k].cents, paid))
				add(cs, paid,
				    cs->c[k].prio + TOTAL_ROUNDED_BONUS,
				    EV_ROUNDED, i + 1);
		r = last_amount(doc, i, NULL);
		if (!r && i + 1 < doc->nlines &&
		    generic_amount_only(&doc->lines[i + 1]))
			r = last_amount(doc, i + 1, NULL);
		if (!r || r > GENERIC_MAX_ROUNDING_WHOLE ||
		    r < -GENERIC_MAX_ROUNDING_WHOLE)
			continue;
		/* The items and the adjustment back a rounded total: no
		 * subtotal, misread, mends it ("SUBTOTAL 111.26 / ROUNDING
		 * ADJ -0.01 / ROUNDED TOTAL 171.25", items 171.26). */
		for (k = 0; k < n; k++)
			if ((cs->c[k].ev & EV_KEYWORD) && items_sum > 0 &&
			    cs->c[k].cents == items_sum + r &&
			    rounds_to(cs->c[k].cents, r))
				cs->c[k].ev |= EV_ITEMS;
		for (k = 0; k < n; k++) {
			if (!(cs->c[k].ev & EV_SUBTOTAL) ||
			    !rounds_to(cs->c[k].cents + r, r))
				continue;
			if (cs->c[k].cents + r == paid)
				add(cs, paid, cs->c[k].prio,
				    EV_SUBTOTAL | EV_ROUNDED, i + 1);
			if (r <= GENERIC_MAX_ROUNDING &&
			    r >= -GENERIC_MAX_ROUNDING)
				subtotal_rounded(cs, n, &cs->c[k], r, items_sum,
						 i + 1);
		}
		for (k = 0; k < n; k++)
			if ((cs->c[k].ev & EV_KEYWORD) &&
			    !cash_between(info, cs->c[k].line, i) &&
			    rounds_to(cs->c[k].cents + r, r) &&
			    printed_elsewhere(doc, cs->c[k].cents + r, i + 1,
					      doc->nlines))
				add(cs, cs->c[k].cents + r,
				    cs->c[k].prio + TOTAL_ROUNDED_BONUS,
				    EV_ROUNDED, i + 1);
	}
}

/* The VAT gross sum as the last amount of a line that prints no rate,
 * not even an item's "3,5%" (above the items' end too: with its keyword
 * misread, the total line reads as an item). */
#define ANY_RATE 10000
static void add_vat_printed(const struct parser_doc *doc, int64_t vat,
			    struct cands *cs)
{
	const struct parser_line *l;
	const char *rs, *re;
	int rate;
	size_t i;

	for (i = 0; vat > 0 && i < doc->nlines; i++) {
		l = &doc->lines[i];
		if (generic_last_positive(l, NULL) == vat &&
		    lex_rate(l->text, line_end(l), ANY_RATE, &rate, &rs, &re) !=
			    0)
			add(cs, vat, TOTAL_PRIO_VAT_PRINTED, EV_VAT, i);
	}
}

/* Whether line i, or the amount-only line under it, prints an amount. */
static int has_amount(const struct parser_doc *doc, size_t i)
{
	int printed;

	last_amount(doc, i, &printed);
	if (!printed && i + 1 < doc->nlines &&
	    generic_amount_only(&doc->lines[i + 1]))
		printed = 1;
	return printed;
}

/* A difference printed on a tax, rounding, discount or cash-out line, or a few
 * cents where a rounding line is printed, is real: the two amounts are
 * different figures, not two readings of one. */
static int difference_printed(const struct parser_doc *doc,
			      const struct generic_line *info, int64_t d)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t i, j, n;

	if (d < 0)
		d = -d;
	for (i = 0; i < doc->nlines; i++) {
		/* A rounding line whose figure OCR lost still explains a
		 * few cents; one that prints its figure explains only
		 * that ("ROUNDING ADJ 0.00" explains nothing). */
		if (info[i].cls == GENERIC_LINE_ROUNDING &&
		    d <= GENERIC_MAX_ROUNDING && !has_amount(doc, i))
			return 1;
		/* Cash paid out: "TOTAL AUD 95.10" on the card's slip; a
		 * tip's line. */
		if (info[i].cls != GENERIC_LINE_TAX &&
		    info[i].cls != GENERIC_LINE_ROUNDING &&
		    info[i].cls != GENERIC_LINE_TIP &&
		    info[i].kind != RECEIPT_DISCOUNT &&
		    !generic_cash_out_line(&doc->lines[i]))
			continue;
		n = generic_amounts(doc->lines[i].text,
				    line_end(&doc->lines[i]), a,
				    GENERIC_MAX_AMOUNTS);
		for (j = 0; j < n; j++)
			if (a[j].cents == d || a[j].cents == -d)
				return 1;
	}
	return 0;
}

/* Lines from the first total line down that print v. */
static int times_printed(const struct parser_doc *doc, int64_t v, size_t from)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t i, j, n;
	int count = 0;

	for (i = from; i < doc->nlines; i++) {
		n = generic_amounts(doc->lines[i].text,
				    line_end(&doc->lines[i]), a,
				    GENERIC_MAX_AMOUNTS);
		for (j = 0; j < n; j++)
			if (a[j].cents == v) {
				count++;
				break;
			}
	}
	return count;
}

/* Readings of c other than the total line's: the items, a payment, a
 * card, the VAT table, a subtotal, a second print. */
static int sources(const struct parser_doc *doc, const struct cand *c,
		   size_t from)
{
	return ((c->ev & (EV_ITEMS | EV_NEAR)) != 0) +
	       ((c->ev & EV_PAID) != 0) + ((c->ev & EV_CARD) != 0) +
	       ((c->ev & EV_VAT) != 0) + ((c->ev & EV_SUBTOTAL) != 0) +
	       (times_printed(doc, c->cents, from) >= 2);
}

/* Readings of c: the lines from the first total line (or c's own, if
 * above) down that print it, the items, a payment, the VAT table. */
static int readings(const struct parser_doc *doc, const struct cand *c,
		    size_t from)
{
	return times_printed(doc, c->cents, c->line < from ? c->line : from) +
	       ((c->ev & (EV_ITEMS | EV_NEAR)) != 0) +
	       ((c->ev & EV_PAID) != 0) + ((c->ev & EV_VAT) != 0);
}

/* A rounded total that is no multiple of 5 cents is misread: one source
 * that is one suffices to overrule it, a subtotal too (its rounding
 * adjustment then was nought: "SUBTOTAL 42.30 / ROUNDING ADJ 0.00 /
 * TOTAL ROUNDED 42.30" read with the total as 42.38). */
static int rounding_fixed(const struct cand *a, const struct cand *b)
{
	return a->prio == GENERIC_PRIO_ROUNDED && a->cents % 5 != 0 &&
	       b->cents % 5 == 0;
}

/* What was paid, where no line prints what sets it apart from a: no
 * voucher or second payment paid that part ("Total 220.30" with "$20.30"
 * paid in cash, not 200.00 by gift card). */
static int paid_alone(const struct parser_doc *doc, const struct cand *a,
		      const struct cand *b)
{
	return (b->ev & EV_PAID) &&
	       !printed_elsewhere(doc, a->cents - b->cents, 0, doc->nlines);
}

/* A confirmed candidate takes over the rank of a keyword amount that is
 * a misreading of it: that line most likely printed the confirmed one.
 * So does a subtotal, second total line, card payment or payment alone
 * (see paid_alone) that gives the keyword amount's figure without a
 * stray digit (a first one, "219,82" for 19,82, or any other, "292,26"
 * for 29,26); the stray reading then ranks as a subtotal, as does a
 * rounded total overruled by rounding_fixed. Not where the items add up
 * to over twice that figure and no more than the keyword amount: then the
 * other line lost a digit ("ROUNDED TOTAL 113.85 / VISA 11.85"). */
static void resolve_misreadings(const struct parser_doc *doc,
				const struct generic_line *info, size_t from,
				int64_t items_sum, struct cands *cs)
{
	struct cand *a, *b;
	size_t i, j;
	int stray, fixed, backed, n;

	for (i = 0; i < cs->n; i++) {
		a = &cs->c[i];
		if (!(a->ev & EV_KEYWORD) || (a->ev & EV_INDEPENDENT))
			continue;
		for (j = 0; j < cs->n; j++) {
			b = &cs->c[j];
			stray = ((b->ev &
				  (EV_SUBTOTAL | EV_KEYWORD | EV_CARD)) ||
				 paid_alone(doc, a, b)) &&
				b->cents >= 100 &&
				lex_one_digit_inserted(a->cents, b->cents) &&
				!(items_sum > 2 * b->cents &&
				  items_sum <= a->cents);
			fixed = rounding_fixed(a, b);
			backed = (b->ev & EV_INDEPENDENT) ||
				 (fixed && (b->ev & EV_SUBTOTAL));
			/* The items, or two other sources, must back b
			 * before it overrules the total line (a single
			 * misread cash line may not); two sources may mend
			 * two misread digits. */
			n = backed ? sources(doc, b, from) : 0;
			if ((!stray &&
			     (!backed ||
			      !misreading(a->cents, b->cents, n >= 2 ? 2 : 1) ||
			      !((b->ev & EV_ITEMS) || n >= 2 || fixed))) ||
			    difference_printed(doc, info, a->cents - b->cents))
				continue;
			if (a->prio > b->prio || stray) {
				b->prio = a->prio;
				b->misread = a->cents;
			}
			/* A stray digit's reading, or a rounded total no
			 * multiple of 5, is surely wrong. */
			if (stray || fixed)
				a->prio = TOTAL_PRIO_SUBTOTAL;
		}
	}
}

/* A card line, read alone, one confusable digit off a subtotal that the
 * items add up to is the misread one where the total line gave no figure
 * ("SUBTOTAL 32.56 / Total £32.5€ / MASTERCARD 32.66"): the subtotal
 * takes its rank, and the items' bonus decides. */
static void card_outvoted(const struct parser_doc *doc,
			  const struct generic_line *info, struct cands *cs)
{
	struct cand *a, *b;
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		a = &cs->c[i];
		if (a->ev != EV_CARD)
			continue;
		for (j = 0; j < cs->n; j++) {
			b = &cs->c[j];
			if ((b->ev & (EV_ITEMS | EV_SUBTOTAL)) ==
				    (EV_ITEMS | EV_SUBTOTAL) &&
			    b->prio < a->prio &&
			    lex_one_digit_misread(a->cents, b->cents) &&
			    !difference_printed(doc, info, a->cents - b->cents))
				b->prio = a->prio;
		}
	}
}

/* Whether b is a with one digit given the strokes faded print lost
 * ("3" for 8, "1" for 7): the one with more ink was printed. */
static int lost_ink(int64_t a, int64_t b)
{
	int diff = 0, ink = 0, x, y;

	for (; a > 0 || b > 0; a /= 10, b /= 10) {
		x = (int)(a % 10);
		y = (int)(b % 10);
		if (x == y)
			continue;
		diff++;
		ink = (x == 3 && y == 8) || (x == 1 && y == 7);
	}
	return diff == 1 && ink;
}

/* Whether a lone reading b (the items, one misread, may back it too)
 * outvotes keyword total a, which nothing else backs: the gross sum of a
 * VAT table of two or more rows (each adds up and fits its rate: a
 * checked reading; one row may be all that was read of a table), a
 * lesser total line the table backs, or a card line with the ink a lost
 * (lost_ink: "Summe 35,12 / EC-Karte 35,72"). */
static int outvotes(const struct cand *a, const struct cand *b, int vat_rows)
{
	unsigned ev = b->ev & ~EV_NEAR;

	if (b->prio >= a->prio)
		return 0;
	if (ev == EV_VAT)
		return vat_rows >= 2;
	/* A lesser total line (a slip's "BETRAG EUR 107,81") that the VAT
	 * table backs, of which a's figure lost a faded digit ("Summe
	 * 07.81"). */
	if (ev == (EV_KEYWORD | EV_VAT))
		return lex_one_digit_inserted(b->cents, a->cents);
	return ev == EV_CARD && lost_ink(a->cents, b->cents);
}

/* A keyword total that nothing else backs yields to a reading that
 * outvotes it, unless a line prints the difference ("SUMME EUR 2,98"
 * over VAT rows of 4,55 and 17,64: a voucher paid the rest). */
static void lone_total_outvoted(const struct parser_doc *doc,
				const struct generic_line *info, int vat_rows,
				struct cands *cs)
{
	struct cand *a, *b;
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		a = &cs->c[i];
		if (!(a->ev & EV_KEYWORD) || (a->ev & EV_INDEPENDENT))
			continue;
		for (j = 0; j < cs->n; j++) {
			b = &cs->c[j];
			if (!outvotes(a, b, vat_rows) ||
			    difference_printed(doc, info, a->cents - b->cents))
				continue;
			b->prio = a->prio;
			b->misread = a->cents;
			a->prio = TOTAL_PRIO_SUBTOTAL;
			break;
		}
	}
}

/* A keyword total that is the items' sum with a stray first digit
 * ("$10.72" read as "310.72") and no independent backing gives way to
 * that sum, unless a tax or rounding line prints the difference. */
static void items_under_stray(const struct parser_doc *doc,
			      const struct generic_line *info,
			      int64_t items_sum, size_t at, struct cands *cs)
{
	struct cand *a, *b;
	size_t i, n = cs->n;

	for (i = 0; i < n && items_sum > 0; i++) {
		a = &cs->c[i];
		if (!(a->ev & EV_KEYWORD) || (a->ev & EV_INDEPENDENT) ||
		    !stray_lead(a->cents, items_sum) ||
		    difference_printed(doc, info, a->cents - items_sum))
			continue;
		b = add(cs, items_sum, a->prio, EV_ITEMS, at);
		if (b) {
			b->misread = a->cents;
			a->prio = TOTAL_PRIO_SUBTOTAL;
		}
		return;
	}
}

/* Whether one item with one confusable digit misread (not to nothing)
 * is why the items add up to sum and not to v. */
static int one_item_explains(const struct receipt *r, int64_t sum, int64_t v)
{
	int64_t want;
	size_t i;

	for (i = 0; i < r->nitems; i++) {
		want = r->items[i].amount + v - sum;
		if (want != 0 &&
		    lex_one_digit_misread(r->items[i].amount, want))
			return 1;
	}
	return 0;
}

/* Where the items add up to no candidate, not even with a printed tax,
 * rounding or discount line, the one candidate that a single misread
 * item explains is backed by the items, more weakly ("SUBTOTAL 39.87 /
 * Total 30.87 / MASTERCARD 39.87" with "Discount -1.90" read for
 * -1.00: the total line is right). Two such candidates back neither. */
static void items_near(const struct parser_doc *doc,
		       const struct generic_line *info, const struct receipt *r,
		       int64_t items_sum, struct cands *cs)
{
	struct cand *near = NULL;
	size_t i;

	if (items_sum <= 0)
		return;
	for (i = 0; i < cs->n; i++)
		if ((cs->c[i].ev & EV_ITEMS) ||
		    difference_printed(doc, info, cs->c[i].cents - items_sum))
			return;
	for (i = 0; i < cs->n; i++) {
		if (!one_item_explains(r, items_sum, cs->c[i].cents))
			continue;
		if (near)
			return;
		near = &cs->c[i];
	}
	if (near)
		near->ev |= EV_NEAR;
}

static int score(const struct cand *c, int64_t items_sum, int64_t paid)
{
	int s = c->prio;

	if (items_sum > 0 && c->cents == items_sum)
		s += TOTAL_BONUS_ITEMS;
	/* A reading confirmed by another: the mended items alone are too
	 * weak a second to earn these. */
	if (paid > 0 && c->cents == paid && (c->ev & ~(EV_PAID | EV_NEAR)))
		s += TOTAL_BONUS_PAID;
	if ((c->ev & EV_CARD) && (c->ev & ~(EV_CARD | EV_NEAR)))
		s += TOTAL_BONUS_CARD;
	if ((c->ev & EV_VAT) && (c->ev & ~(EV_VAT | EV_NEAR)))
		s += TOTAL_BONUS_VAT;
	/* Only for a total line's reading: the items, one misread, do not
	 * raise a subtotal or payment over a total line that differs by a
	 * printed figure. */
	if ((c->ev & EV_NEAR) && ((c->ev & EV_KEYWORD) || c->misread))
		s += TOTAL_BONUS_NEAR;
	return s;
}

static void money_text(char *buf, size_t len, int64_t cents)
{
	int64_t a = cents < 0 ? -cents : cents;

	snprintf(buf, len, "%s%lld.%02lld", cents < 0 ? "-" : "",
		 (long long)(a / 100), (long long)(a % 100));
}

/* Whether tenders split the bill ("Leergutbon 4,50 / EC-Karte 16,87",
 * cash and a card): the card amounts (each once: a slip repeats them),
 * the first voucher under the total line from and the cash paid add up
 * to total, or to it and the tip. */
static int split_tender(const struct parser_doc *doc,
			const struct generic_line *info, size_t from,
			const struct cands *cs, int64_t paid, int64_t total)
{
	int64_t sum = paid > 0 ? paid : 0, v;
	int n = paid > 0;
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		if (!(cs->c[i].ev & EV_CARD))
			continue;
		for (j = 0; j < i; j++)
			if ((cs->c[j].ev & EV_CARD) &&
			    cs->c[j].cents == cs->c[i].cents)
				break;
		if (j == i) {
			sum += cs->c[i].cents;
			n++;
		}
	}
	for (i = from; i < doc->nlines; i++)
		if (info[i].cls == GENERIC_LINE_VOUCHER &&
		    (v = line_value(doc, info, i)) > 0) {
			sum += v;
			n++;
			break;
		}
	return n >= 2 && (sum == total || sum == total + cs->tip);
}

/* Tenders that split the bill add up to a total line's or the items'
 * reading: each card's figure is then a share, backing nothing ("TOTAL
 * 28.77 / CASH 10.00 / BALANCE DUE 18.77 / DEBIT 18.77"). */
static void shares_outvoted(const struct parser_doc *doc,
			    const struct generic_line *info, size_t from,
			    int64_t paid, struct cands *cs)
{
	int64_t whole = 0;
	size_t i;

	for (i = 0; i < cs->n && !whole; i++)
		if ((cs->c[i].ev & (EV_KEYWORD | EV_ITEMS | EV_VAT)) &&
		    !(cs->c[i].ev & EV_CARD) &&
		    split_tender(doc, info, from, cs, paid, cs->c[i].cents))
			whole = cs->c[i].cents;
	for (i = 0; whole && i < cs->n; i++)
		if (cs->c[i].cents != whole)
			cs->c[i].ev &= ~EV_CARD;
		else if (cs->c[i].prio < TOTAL_PRIO_CARD)
			/* The tenders' sum is a payment's reading of it. */
			cs->c[i].prio = TOTAL_PRIO_CARD;
}

/* What an advance paid before takes off the bill total: a line under
 * the first at or below the items' end that prints total names one and
 * prints a negative figure less than it. 0 where none does. */
static int64_t advance_paid(const struct parser_doc *doc, size_t items_end,
			    int64_t total)
{
	size_t i = items_end;
	int64_t v;

	while (i < doc->nlines &&
	       generic_last_amount(&doc->lines[i], NULL, NULL) != total)
		i++;
	for (i++; i < doc->nlines; i++) {
		v = generic_last_amount(&doc->lines[i], NULL, NULL);
		if (v < 0 && total + v > 0 &&
		    generic_advance_named(&doc->lines[i]))
			return -v;
	}
	return 0;
}

/* What a payment that disagrees with the total costs: little where the
 * items, the cash paid or a VAT table back the total, else enough to send
 * the receipt to review. Two figures that disagree with nothing to decide
 * between them are a guess (on the dev photos 9 of 23 such totals were
 * wrong). */
#define PAID_CONFLICT_PENALTY 0.1
#define PAID_CONFLICT_UNBACKED_PENALTY 0.25

/* Says where the readings of the total disagree; returns how much less
 * sure the parser is of it. backed: something besides the total line
 * agrees with best. */
static double report(const struct parser_doc *doc,
		     const struct generic_line *info, size_t items_end,
		     const struct cands *cs, const struct cand *best,
		     int64_t paid, int backed, struct receipt *r)
{
	const struct cand *top = NULL;
	char a[32], b[32];
	double penalty = 0.0,
	       conflict = backed ? PAID_CONFLICT_PENALTY
				 : PAID_CONFLICT_UNBACKED_PENALTY;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if ((cs->c[i].ev & EV_KEYWORD) &&
		    (!top || cs->c[i].prio > top->prio ||
		     (cs->c[i].prio == top->prio &&
		      cs->c[i].line >= top->line)))
			top = &cs->c[i];
	money_text(b, sizeof(b), best->cents);
	if (best->misread) {
		r->mended |= RECEIPT_MENDED_TOTAL_DIGIT;
		money_text(a, sizeof(a), best->misread);
		receipt_warn(r,
			     "total printed as %s read as %s: payment, "
			     "items, VAT table or subtotal agree",
			     a, b);
		penalty += 0.15;
	} else if (top && top != best &&
		   !difference_printed(doc, info, top->cents - best->cents)) {
		money_text(a, sizeof(a), top->cents);
		receipt_warn(r,
			     "total line reads %s but payment or items "
			     "give %s",
			     a, b);
		penalty += 0.15;
	}
	if (split_tender(doc, info, items_end, cs, paid, best->cents))
		return penalty;
	/* "CASH 20.00 / CASH ROUNDING 0.02": rounded cash, printed so. */
	if (paid > 0 && paid != best->cents &&
	    !difference_printed(doc, info, paid - best->cents)) {
		money_text(a, sizeof(a), paid);
		receipt_warn(r, "paid (given - change) is %s but total is %s",
			     a, b);
		penalty += conflict;
	}
	for (i = 0; i < cs->n; i++) {
		if (!(cs->c[i].ev & EV_CARD) || cs->c[i].cents == best->cents ||
		    cs->c[i].cents == best->cents + cs->tip)
			continue;
		money_text(a, sizeof(a), cs->c[i].cents);
		receipt_warn(r, "card payment is %s but total is %s", a, b);
		penalty += conflict;
		break;
	}
	return penalty;
}

/* Tax printed between the items and the total line ("SUBTOTAL 32.78 /
 * TAX 1 7.000 % 1.95 / TAX 2 0.125 % 0.01 / TOTAL 34.74") is added on
 * top, as in the US, Canada and Malaysia (a VAT table under the total
 * holds tax included): the subtotal and the items plus that tax are
 * readings of the total. */
static int64_t add_taxed(const struct parser_doc *doc,
			 const struct generic_line *info, size_t items_end,
			 int64_t items_sum, struct cands *cs)
{
	int64_t tax = 0, v;
	size_t i, n = cs->n;

	/* The items end at the first total line: the tax and subtotal
	 * lines are right above it. Where none is, a tax line under the
	 * items says what they include ("Incl. GST $7.22", "VAT @20%
	 * £2.75"). */
	if (items_end >= doc->nlines ||
	    !(info[items_end].prio || info[items_end].subtotal))
		return 0;
	for (i = items_end; i > 0 && (info[i - 1].cls == GENERIC_LINE_TAX ||
				      info[i - 1].subtotal);
	     i--)
		if (info[i - 1].cls == GENERIC_LINE_TAX &&
		    (v = last_amount(doc, i - 1, NULL)) > 0)
			tax += v;
	if (tax == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (cs->c[i].ev & EV_SUBTOTAL)
			add(cs, cs->c[i].cents + tax, 0, EV_SUBTOTAL,
			    cs->c[i].line);
	if (items_sum > 0)
		add(cs, items_sum + tax, 0, EV_ITEMS, items_end);
	return tax;
}

/* A total line's figure split by a space ("SUMME 2 3,17", "TOTAL 1
 * 2.34"): the lone digits before the amount and the amount joined, or 0
 * where the line's last amount has none before it. */
static int64_t split_figure(const struct parser_line *l)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t n =
		generic_amounts(l->text, line_end(l), a, GENERIC_MAX_AMOUNTS);
	const char *p, *q;
	int64_t lead = 0, mul = 100;

	if (n == 0 || a[n - 1].cents <= 0 || a[n - 1].currency[0])
		return 0;
	p = a[n - 1].start;
	for (q = p; q < a[n - 1].end && isdigit((unsigned char)*q); q++)
		mul *= 10;
	if (p - l->text < 3 || p[-1] != ' ' || !isdigit((unsigned char)p[-2]))
		return 0;
	for (q = p - 1;
	     q > l->text && isdigit((unsigned char)q[-1]) && p - q <= 3; q--)
		;
	if (q > l->text && q[-1] != ' ')
		return 0;
	for (; q < p - 1; q++)
		lead = lead * 10 + (*q - '0');
	return lead ? lead * mul + a[n - 1].cents : 0;
}

/* A line of dashes, stars or the like: no letter, no digit. */
static int ruled(const struct parser_line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (isalnum((unsigned char)l->text[i]))
			return 0;
	return 1;
}

/* Where tips written under the bill may start: the first total line,
 * or above it, "Zwischensumme 27,40 / Trinkgeld 2,60 / Gesamt 30,00": a
 * tip between a subtotal and the first total line is under the bill,
 * rules drawn between them aside. */
static size_t tip_start(const struct parser_doc *doc,
			const struct generic_line *info, size_t from)
{
	while (from > 0 && from <= doc->nlines &&
	       (info[from - 1].cls == GENERIC_LINE_TIP ||
		info[from - 1].subtotal || ruled(&doc->lines[from - 1])))
		from--;
	return from;
}

/* The last amount on the first tip line from line *at down, its line
 * in *at; 0 where none. Only lines with an amount: "Suggested Gratuity"
 * heads a table of percentages above the "+ Tip: 12.00" written in. */
static int64_t tip_below(const struct parser_doc *doc,
			 const struct generic_line *info, size_t *at)
{
	int64_t v;

	for (size_t i = *at; i < doc->nlines; i++)
		if (info[i].cls == GENERIC_LINE_TIP &&
		    (v = last_amount(doc, i, NULL)) > 0) {
			*at = i;
			return v;
		}
	return 0;
}

/* Whether a total line above line at prints v. */
static int bill_above(const struct cands *cs, int64_t v, size_t at)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->c[i].cents == v && cs->c[i].first < at &&
		    (cs->c[i].ev & (EV_KEYWORD | EV_SUBTOTAL)))
			return 1;
	return 0;
}

/* A tip written under the bill ("TOTAL 44.72 / TIP 8.00 / GRAND TOTAL
 * 52.72 / VISA 52.72") is no purchase: a total line under the tip that
 * adds it to the bill ranks as a subtotal, and a payment of the bill
 * and the tip backs the bill. Returns the amount paid less the tip. */
static int64_t leave_out_tip(const struct parser_doc *doc,
			     const struct generic_line *info, size_t from,
			     int64_t items_sum, int64_t paid, struct cands *cs)
{
	size_t i, n = cs->n, at = tip_start(doc, info, from);
	int64_t tip, bill;
	struct cand *c;

	/* The first tip that leaves a bill: a gratuity charged above the
	 * total ("Gratuity 20% 82.40 / TOTAL 547.84") leaves none, the
	 * "Additional Tip" written under it does. */
	for (; (tip = tip_below(doc, info, &at)) > 0; at++) {
		for (i = 0; i < n; i++) {
			c = &cs->c[i];
			bill = c->cents - tip;
			if (!((c->ev & EV_KEYWORD) && c->line > at) &&
			    !(c->ev & (EV_PAID | EV_CARD)))
				continue;
			/* The items' sum is the bill too: "Fahrpreis 23,40
			 * / Trinkgeld 2,60 / Gesamt 26,00". */
			if (items_sum > 0 && bill == items_sum)
				add(cs, bill, 0, EV_ITEMS, at);
			else if (!bill_above(cs, bill, at))
				continue;
			cs->tip = tip;
			if (c->ev & EV_KEYWORD)
				c->prio = TOTAL_PRIO_SUBTOTAL;
			if (c->ev & (EV_PAID | EV_CARD))
				add(cs, bill, 0, c->ev & (EV_PAID | EV_CARD),
				    c->line);
		}
		if (cs->tip)
			break;
	}
	return cs->tip && paid > tip && bill_above(cs, paid - tip, at)
		       ? paid - tip
		       : paid;
}

/* Whether v is within a rounding of a subtotal read or the items' sum:
 * what a total rounded to 5 cents can be. */
static int near_subtotal(const struct cands *cs, int64_t items_sum, int64_t v)
{
	if (items_sum > 0 && a_rounding_apart(v, items_sum))
		return 1;
	for (size_t i = 0; i < cs->n; i++)
		if ((cs->c[i].ev & EV_SUBTOTAL) &&
		    a_rounding_apart(v, cs->c[i].cents))
			return 1;
	return 0;
}

/* A rounded total no multiple of 5 cents is misread ("ROUNDED TOTAL
 * 49.66" over "SUBTOTAL 49.59"): the one reading of it with zeros for
 * some of its 6, 8 and 9 (dotted zeros) that is a multiple of 5 and a
 * rounding away from the subtotal or the items, else 0. */
static int64_t rounded_zeros(const struct cands *cs, int64_t items_sum,
			     int64_t v)
{
	int64_t mul[12], found = 0, w;
	size_t n = 0;

	for (int64_t m = 1, x = v; x > 0 && n < 12; m *= 10, x /= 10)
		if (lex_dotted_zero((int)(x % 10), 0))
			mul[n++] = m;
	for (unsigned set = 1; set < 1u << n; set++) {
		w = v;
		for (size_t k = 0; k < n; k++)
			if (set & 1u << k)
				w -= (w / mul[k] % 10) * mul[k];
		if (w % 5 || !near_subtotal(cs, items_sum, w))
			continue;
		if (found && found != w)
			return 0;
		found = w;
	}
	return found;
}

int generic_pick_total(const struct parser_doc *doc,
		       const struct generic_line *info, size_t items_end,
		       int64_t items_sum, struct receipt *r,
		       struct generic_total *out)
{
	struct cands cs;
	const struct cand *best = NULL;
	struct cand *z;
	int64_t paid, vat, rounding, v;
	int s, best_score = 0, vat_rows = 0, stand_in, alone;
	char b[32];
	size_t i;

	memset(out, 0, sizeof(*out));
	cs.n = 0;
	cs.tip = 0;
	for (i = 0; i < doc->nlines; i++) {
		if (i < items_end && !info[i].subtotal)
			continue;
		if (!info[i].prio && !info[i].subtotal)
			continue;
		v = line_value(doc, info, i);
		/* Below every sure reading: it stands where nothing else
		 * does (cash minus change misread, say). */
		if (info[i].prio && !v)
			add(&cs, stray_decimal(&doc->lines[i], items_sum),
			    TOTAL_PRIO_SUBTOTAL, EV_KEYWORD, i);
		if (info[i].prio) {
			add(&cs, v, info[i].prio, EV_KEYWORD, i);
			/* As read it ranks first; the items or a payment
			 * may back the joined figure over it. */
			add(&cs, split_figure(&doc->lines[i]), info[i].prio - 1,
			    EV_KEYWORD, i);
		} else
			add(&cs, v,
			    reprinted(doc, info, i) ? TOTAL_PRIO_REPRINTED
						    : TOTAL_PRIO_SUBTOTAL,
			    EV_SUBTOTAL, i);
	}
	add_paid(doc, info, items_sum, &cs, &paid);
	add_cards(doc, info, items_end, &cs);
	add_rounded(doc, info, paid, items_sum, &cs);
	/* Tax added on top: the items back their sum and it, not the
	 * figure before tax ("Subtotal 15.66 / Tax 1.37" over a total
	 * line OCR destroyed). */
	if (items_sum > 0)
		items_sum += add_taxed(doc, info, items_end, items_sum, &cs);
	for (i = 0; i < cs.n; i++)
		if (items_sum > 0 && cs.c[i].cents == items_sum)
			cs.c[i].ev |= EV_ITEMS;
	if (paid > 0)
		add(&cs, paid, 0, EV_PAID, 0);
	/* The items' sum printed again below them (a card payment whose
	 * label OCR put on another line) backs a keyword total misread by a
	 * digit; on its own it scores only what the items give it. */
	if (items_sum > 0 &&
	    printed_elsewhere(doc, items_sum, items_end, doc->nlines))
		add(&cs, items_sum, 0, EV_ITEMS, items_end);
	vat = generic_vat_gross(doc, items_end, &vat_rows);
	rounding = generic_rounding(doc, items_end);
	/* The table backs its sum, and that rounded to what was paid. */
	for (i = 0; i < cs.n; i++)
		if (vat > 0 && (cs.c[i].cents == vat ||
				((cs.c[i].ev & EV_ROUNDED) && rounding &&
				 cs.c[i].cents == vat + rounding)))
			cs.c[i].ev |= EV_VAT;
	/* On its own a VAT sum scores nothing: it backs other readings. */
	if (vat > 0)
		add(&cs, vat, 0, EV_VAT, 0);
	add_vat_printed(doc, vat, &cs);
	paid = leave_out_tip(doc, info, items_end, items_sum, paid, &cs);
	items_near(doc, info, r, items_sum, &cs);
	resolve_misreadings(doc, info, items_end, items_sum, &cs);
	items_under_stray(doc, info, items_sum, items_end, &cs);
	card_outvoted(doc, info, &cs);
	shares_outvoted(doc, info, items_end, paid, &cs);
	lone_total_outvoted(doc, info, vat_rows, &cs);
	for (i = 0; i < cs.n; i++) {
		s = score(&cs.c[i], items_sum, paid);
		/* >= : among equals the later (lower) line wins. */
		if (s > 0 &&
		    (!best || s > best_score ||
		     (s == best_score && cs.c[i].line >= best->line))) {
			best = &cs.c[i];
			best_score = s;
		}
	}
	if (!best)
		return -1;
	/* Zeros first: a line that prints the chosen figure with zeros
	 * where it has 6, 8 or 9, backed by as many readings, printed the
	 * zeros ("SUBTOTAL 19.00", the items 19.00 / "Total 19.06", the card
	 * 19.06), unless a tax, rounding or discount line prints the
	 * difference. */
	for (i = 0; i < cs.n; i++)
		if ((cs.c[i].ev & (EV_KEYWORD | EV_SUBTOTAL | EV_CARD)) &&
		    lex_dotted_zeros(best->cents, cs.c[i].cents) &&
		    readings(doc, &cs.c[i], items_end) >=
			    readings(doc, best, items_end) &&
		    !difference_printed(doc, info,
					best->cents - cs.c[i].cents)) {
			best = &cs.c[i];
			break;
		}
	/* Then a rounded total no multiple of 5 cents: see rounded_zeros. */
	if (best->prio == GENERIC_PRIO_ROUNDED && best->cents % 5 &&
	    (v = rounded_zeros(&cs, items_sum, best->cents)) > 0 &&
	    !difference_printed(doc, info, best->cents - v) &&
	    (z = add(&cs, v, best->prio, EV_ROUNDED, best->line))) {
		z->misread = best->cents;
		best = z;
	}
	/* Cash minus change printed nowhere, or a card line, backed by
	 * nothing else, is one reading, no total line's: the items or the
	 * total line that disagree with it may be right as well (a change
	 * figure that lost a digit, "VISA 22.97" for 32.97). */
	alone = (best->prio == TOTAL_PRIO_PAID_UNPRINTED &&
		 best->ev == EV_PAID) ||
		(best->ev == EV_CARD && !best->misread);
	if (alone)
		r->mended |= RECEIPT_MENDED_TOTAL;
	/* An advance paid before, deducted under the bill: this paper
	 * took the rest, which the payment prints. */
	v = advance_paid(doc, items_end, best->cents);
	if (v && (z = add(&cs, best->cents - v, best->prio,
			  best->ev & EV_KEYWORD, best->line))) {
		r->advance = v;
		best = z;
		money_text(b, sizeof(b), v);
		receipt_warn(r,
			     "advance of %s paid before deducted from the "
			     "bill",
			     b);
	}
	out->cents = best->cents;
	out->keyword = best->prio > TOTAL_PRIO_SUBTOTAL && !alone;
	out->confirmed = (best->ev & EV_ITEMS) ||
			 ((best->ev & EV_PAID) && !alone) ||
			 ((best->ev & EV_CARD) && (best->ev & ~EV_CARD)) ||
			 ((best->ev & EV_VAT) && (best->ev & ~EV_VAT)) ||
			 (items_sum > 0 && best->cents == items_sum);
	/* The items add up to a subtotal as a rule: where tax is added to
	 * it, only a payment says a subtotal standing in for a lost total
	 * line was the total. A bill with its tip left out is no such. */
	stand_in = !out->keyword && info[best->line].subtotal && !cs.tip &&
		   tax_added(doc, info, best->line, r) &&
		   !(best->ev & (EV_PAID | EV_CARD)) && paid != best->cents &&
		   !payment_prints(doc, info, best->cents);
	if (stand_in) {
		out->confirmed = 0;
		r->mended |=
			RECEIPT_MENDED_TOTAL; /* the items alone back none */
		receipt_warn(r, "no total line read; took the subtotal");
	}
	out->penalty = report(doc, info, items_end, &cs, best, paid,
			      out->confirmed || (best->ev & EV_VAT), r) +
		       (stand_in ? SUBTOTAL_STAND_IN_PENALTY : 0.0);
	if (cs.tip && find(&cs, best->cents + cs.tip)) {
		r->tip = cs.tip;
		money_text(b, sizeof(b), cs.tip);
		receipt_warn(r, "tip of %s left out of the total", b);
	}
	return 0;
}
