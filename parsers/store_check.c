/*
 * store_check.c: the receipt checks itself. Items (with deposits and
 * discounts) should add up to the total, the VAT summary's gross column
 * too, and each VAT row's net + tax should be its gross. Where they
 * disagree the confidence drops and a warning says why; where exactly
 * one misread digit explains the disagreement and an independent figure
 * (the VAT summary or the payment) confirms the total, the digit is
 * corrected and the warning says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lex.h"
#include "store_layout.h"
#include "banned.h"

#define CHECK_PENALTY 0.1
/* Cents: a VAT row's tax may be off from net x rate by rounding. */
#define CHECK_TAX_SLACK 2
/* "YYYY-MM-DD" at the head of a TSE stamp ("2024-03-12T10:11"). */
#define STAMP_DAY 10

static void money(char *buf, size_t len, int64_t c)
{
	int64_t a = c < 0 ? -c : c;

	snprintf(buf, len, "%s%lld,%02lld", c < 0 ? "-" : "",
		 (long long)(a / 100), (long long)(a % 100));
}

static int64_t items_sum(const struct receipt *r)
{
	int64_t s = 0;
	size_t i;

	for (i = 0; i < r->nitems; i++)
		s += r->items[i].amount;
	return s;
}

/* Sum of the VAT rows' gross column, or RECEIPT_UNKNOWN. */
static int64_t vat_gross(const struct receipt *r)
{
	int64_t s = 0;
	size_t i;

	if (r->nvat == 0)
		return RECEIPT_UNKNOWN;
	for (i = 0; i < r->nvat; i++) {
		if (r->vat[i].gross == RECEIPT_UNKNOWN)
			return RECEIPT_UNKNOWN;
		s += r->vat[i].gross;
	}
	return s;
}

/* Tax added on top of the items, where the VAT rows print only the tax
 * ("Subtotal 10.00 / Sales Tax 8% 0.80 / Total 10.80"): the rows' tax
 * summed, or 0 where a row prints a gross or no tax (German tables: the
 * items carry the tax already). */
static int64_t added_tax(const struct receipt *r)
{
	int64_t s = 0;

	for (size_t i = 0; i < r->nvat; i++) {
		if (r->vat[i].gross != RECEIPT_UNKNOWN ||
		    r->vat[i].tax == RECEIPT_UNKNOWN)
			return 0;
		s += r->vat[i].tax;
	}
	return s;
}

/* Drops the generic parser's warnings that begin with prefix ("items sum
 * to", a mended date's) once they are resolved; returns how many were
 * dropped. */
static size_t drop_warning(struct receipt *r, const char *prefix)
{
	size_t dropped;
	size_t i, j = 0;

	for (i = 0; i < r->nwarnings; i++) {
		if (strncmp(r->warnings[i], prefix, strlen(prefix)) == 0)
			continue;
		if (i != j)
			memcpy(r->warnings[j], r->warnings[i],
			       sizeof(r->warnings[i]));
		j++;
	}
	dropped = r->nwarnings - j;
	r->nwarnings = j;
	return dropped;
}

/* Net prices (cash and carry: "Warenwert netto 163,24 / USt A 20% von
 * 71,10 14,22 / ..."): the items sum to the VAT rows' nets, and with
 * their tax to the total. */
static int net_priced(const struct receipt *r, int64_t sum)
{
	int64_t net = 0, tax = 0;

	if (r->nvat == 0)
		return 0;
	for (size_t i = 0; i < r->nvat; i++) {
		if (r->vat[i].net == RECEIPT_UNKNOWN ||
		    r->vat[i].tax == RECEIPT_UNKNOWN)
			return 0;
		net += r->vat[i].net;
		tax += r->vat[i].tax;
	}
	return sum == net && sum + tax + r->rounding == r->total;
}

/* Whether the items add up to the total, as printed or with the
 * rounding, and the tax added on top ("Total includes GST" prints a tax
 * that is in the items already). */
static int items_agree(const struct receipt *r, int64_t sum)
{
	int64_t s = sum - r->advance; /* an advance paid before */

	return s == r->total || s + r->rounding == r->total ||
	       s + added_tax(r) + r->rounding == r->total || net_priced(r, sum);
}

/* The deposits charged and handed back, which many countries keep out
 * of the VAT table ("Deposit (no VAT) €0.90", "Statiegeld"). */
static int64_t deposits(const struct receipt *r)
{
	int64_t s = 0;

	for (size_t i = 0; i < r->nitems; i++)
		if (r->items[i].kind == RECEIPT_DEPOSIT ||
		    r->items[i].kind == RECEIPT_DEPOSIT_RETURN)
			s += r->items[i].amount;
	return s;
}

/* Whether the VAT table's gross sum vg (as vat_gross) adds up to the
 * total, with the rounding, or with the deposits it leaves out. */
static int vat_agrees(const struct receipt *r, int64_t vg)
{
	int64_t d;

	if (vg == RECEIPT_UNKNOWN)
		return 0;
	vg -= r->advance;
	if (vg == r->total || vg + r->rounding == r->total)
		return 1;
	d = deposits(r);
	return d != 0 &&
	       (vg + d == r->total || vg + d + r->rounding == r->total);
}

/* The figures that agree with the total, whatever it was read from. */
static unsigned agreeing(const struct receipt *r)
{
	int64_t paid = r->payment.amount, sum = items_sum(r);
	unsigned b = 0;

	if (r->total == RECEIPT_UNKNOWN)
		return 0;
	if (r->nitems && items_agree(r, sum))
		b |= RECEIPT_BACKED_ITEMS;
	if (vat_agrees(r, vat_gross(r)))
		b |= RECEIPT_BACKED_VAT;
	if (paid != RECEIPT_UNKNOWN && r->payment.change != RECEIPT_UNKNOWN)
		paid -= r->payment.change;
	if (paid == r->total || (r->tip && paid == r->total + r->tip))
		b |= RECEIPT_BACKED_PAYMENT;
	return b;
}

unsigned store_total_backing(const struct receipt *r)
{
	unsigned b = agreeing(r);

	/* A total taken from one of these figures is backed only where
	 * another agrees with it too. */
	if ((r->mended & RECEIPT_MENDED_TOTAL) && (b & (b - 1)) == 0)
		return 0;
	return b;
}

int store_total_confirmed(const struct receipt *r)
{
	return (store_total_backing(r) &
		(RECEIPT_BACKED_VAT | RECEIPT_BACKED_PAYMENT)) != 0;
}

/* Names that make a line negative by themselves. */
static const char *const return_names[] = { "leergut", "ruckgabe", "rueckgabe",
					    NULL };

static int named_return(const struct receipt_item *it)
{
	const char *end = it->name + strlen(it->name), *after;
	size_t i;

	for (i = 0; return_names[i]; i++)
		if (lex_find_keyword(it->name, end, return_names[i], 0, &after))
			return 1;
	return 0;
}

/* An amount read negative that diff turns into its positive: OCR's stray
 * '-' before the class letter ("1,65-A", "Pfand 0,25-A") reads as a
 * trailing minus sign, and the line, being negative, was taken for a
 * discount or a deposit return. Leergut is negative by its name. */
static int sign_misread(const struct receipt_item *it, int64_t diff)
{
	return it->amount < 0 && it->amount + diff == -it->amount &&
	       !named_return(it);
}

/* False when the VAT table names item i's class and, with diff added to
 * it, that class's items would not add up to the row's gross: another
 * item is the misread one. */
static int class_allows(const struct receipt *r, size_t i, int64_t diff)
{
	char c = r->items[i].vat_class;
	int64_t sum = diff;
	size_t k;

	if (!c)
		return 1;
	for (k = 0; k < r->nvat && r->vat[k].vat_class != c; k++)
		;
	if (k == r->nvat || r->vat[k].gross == RECEIPT_UNKNOWN)
		return 1;
	for (size_t j = 0; j < r->nitems; j++)
		if (r->items[j].vat_class == c)
			sum += r->items[j].amount;
	return sum == r->vat[k].gross;
}

/* The one item a single misread digit, a stray digit or a misread sign
 * explains (and its VAT class allows), or -1. */
static long misread_item(const struct receipt *r, int64_t diff)
{
	long found = -1;
	size_t i;

	/* The items over by one item's whole amount: that line may be no
	 * item ("Half Price  Was $5.00"), no digit is mended then. */
	for (i = 0; i < r->nitems; i++)
		if (diff < 0 && r->items[i].amount == -diff)
			return -1;
	for (i = 0; i < r->nitems; i++) {
		if (!lex_one_digit_misread(r->items[i].amount,
					   r->items[i].amount + diff) &&
		    !lex_one_digit_inserted(r->items[i].amount,
					    r->items[i].amount + diff) &&
		    !sign_misread(&r->items[i], diff))
			continue;
		if (!class_allows(r, i, diff))
			continue;
		if (found >= 0)
			return -1;
		found = (long)i;
	}
	return found;
}

/* A long receipt photographed in two halves prints the lines both
 * photos hold twice: a run of two items or more repeated right after
 * itself (one amount may be misread in one digit), whose sum is what
 * the items add up to over the total. The repeat is dropped; 1 where
 * one was. */
static int drop_overlap(struct receipt *r, int64_t sum)
{
	size_t i, j, k;
	int64_t run, a, b;
	int misread;

	for (k = 2; 2 * k <= r->nitems; k++)
		for (i = 0; i + 2 * k <= r->nitems; i++) {
			for (j = 0, run = 0, misread = 0; j < k; j++) {
				a = r->items[i + j].amount;
				b = r->items[i + k + j].amount;
				if (a != b &&
				    (misread++ || !lex_one_digit_misread(a, b)))
					break;
				run += b;
			}
			if (j < k || !items_agree(r, sum - run))
				continue;
			memmove(&r->items[i + k], &r->items[i + 2 * k],
				(r->nitems - i - 2 * k) * sizeof(r->items[0]));
			r->nitems -= k;
			receipt_warn(r,
				     "dropped %zu items printed twice (two "
				     "photos' overlap)",
				     k);
			return 1;
		}
	return 0;
}

static void check_items(struct receipt *r)
{
	int64_t sum = items_sum(r), vg = vat_gross(r);
	struct receipt_item *it;
	char a[32], b[32];
	long k;

	/* Nothing to pay is no misread: insurers paid the items. */
	if (r->nitems == 0 || r->total == RECEIPT_UNKNOWN || r->total == 0)
		return;
	if (!items_agree(r, sum) && drop_overlap(r, sum))
		sum = items_sum(r);
	if (items_agree(r, sum)) {
		/* A repaired item (quantity line), the tax added on top or
		 * the rounding settled the generic parser's disagreement. */
		if (drop_warning(r, "items sum to"))
			r->confidence += CHECK_PENALTY;
		return;
	}
	/* The items and the VAT table agree: the total is the misread one,
	 * a digit off or a figure nothing else backs (a digit dropped, a
	 * split payment's card share read where the total line was not).
	 * Not a return's: the generic parser takes those, and says so. A
	 * faded leading digit takes the payment line with it ("SUMME 3A,5S
	 * / Kartenzahlung 4,55" for 34,55). */
	if (vg == sum && sum > 0 &&
	    (lex_one_digit_misread(r->total, sum) ||
	     lex_one_digit_inserted(sum, r->total) ||
	     (r->nitems >= 2 && !agreeing(r)))) {
		money(a, sizeof(a), r->total);
		money(b, sizeof(b), sum);
		drop_warning(r, "items sum to");
		receipt_warn(r,
			     "corrected total %s to %s (items and VAT agree)",
			     a, b);
		r->confidence -= CHECK_PENALTY / 2;
		r->total = sum;
		return;
	}
	k = store_total_confirmed(r) ? misread_item(r, r->total - sum) : -1;
	if (k < 0) {
		/* The generic parser warned (and lowered the confidence)
		 * before any repair here: say what the items sum to now. */
		if (!drop_warning(r, "items sum to"))
			r->confidence -= CHECK_PENALTY;
		money(a, sizeof(a), sum);
		money(b, sizeof(b), r->total);
		receipt_warn(r, "items sum to %s but total is %s", a, b);
		return;
	}
	it = &r->items[k];
	money(a, sizeof(a), it->amount);
	money(b, sizeof(b), it->amount + r->total - sum);
	drop_warning(r, "items sum to");
	receipt_warn(r, "corrected item '%.40s' %s to %s (items sum to total)",
		     it->name, a, b);
	r->mended |= RECEIPT_MENDED_ITEMS;
	r->confidence -= CHECK_PENALTY / 2;
	if (it->unit_price == it->amount)
		it->unit_price += r->total - sum;
	if (sign_misread(it, r->total - sum))
		it->kind = it->kind == RECEIPT_DEPOSIT_RETURN ? RECEIPT_DEPOSIT
							      : RECEIPT_ITEM;
	it->amount += r->total - sum;
}

static void check_vat(struct receipt *r)
{
	int64_t vg = vat_gross(r), want;
	const struct receipt_vat *v;
	char a[32], b[32];
	size_t i;

	for (i = 0; i < r->nvat; i++) {
		v = &r->vat[i];
		if (v->net == RECEIPT_UNKNOWN || v->tax == RECEIPT_UNKNOWN)
			continue;
		want = (v->net * v->rate + 5000) / 10000;
		if (want - v->tax > CHECK_TAX_SLACK ||
		    v->tax - want > CHECK_TAX_SLACK) {
			receipt_warn(r, "VAT %d.%02d%%: tax does not match net",
				     v->rate / 100, v->rate % 100);
			r->confidence -= CHECK_PENALTY / 2;
		}
	}
	if (vg == RECEIPT_UNKNOWN || r->total == RECEIPT_UNKNOWN ||
	    vat_agrees(r, vg))
		return;
	/* Zero-rated rows alone that fall short: the rated rows were lost
	 * ("ZRL 0.00% 7.00 0.00" read, "SR @6. 00% 68. 25 4.10" not). */
	for (i = 0; i < r->nvat && r->vat[i].rate == 0; i++)
		;
	if (i == r->nvat && vg < r->total)
		return;
	money(a, sizeof(a), vg);
	money(b, sizeof(b), r->total);
	receipt_warn(r, "VAT summary gross %s but total is %s", a, b);
	r->confidence -= CHECK_PENALTY;
}

/* Whether ISO day a is the day after ISO day b. */
static int day_after(const char *a, const char *b)
{
	struct tm t = { .tm_hour = 12 };
	char next[11];
	time_t at;

	char *end;

	t.tm_year = (int)strtol(b, &end, 10) - 1900;
	if (end != b + 4 || *end != '-')
		return 0;
	t.tm_mon = (int)strtol(b + 5, &end, 10) - 1;
	if (end != b + 7 || *end != '-')
		return 0;
	t.tm_mday = (int)strtol(b + 8, &end, 10) + 1;
	if (end != b + STAMP_DAY)
		return 0;
	at = timegm(&t);
	if (!gmtime_r(&at, &t) ||
	    strftime(next, sizeof(next), "%Y-%m-%d", &t) != STAMP_DAY)
		return 0;
	return memcmp(a, next, STAMP_DAY) == 0;
}

/*
 * The TSE block stamps the transaction's start and end (KassenSichV).
 * Where both stamps agree on the day, they are two readings of it against
 * the date line's one: a date line read otherwise, mended or not read at
 * all takes their day (a reprint's later print date too: points go by
 * the day of the purchase). The time, where none was read or the day
 * read was the next, is the end's.
 */
static void check_tse_date(struct receipt *r)
{
	const char *s = r->tse.start, *e = r->tse.end;

	if (strlen(s) < STAMP_DAY || strlen(e) < STAMP_DAY ||
	    memcmp(s, e, STAMP_DAY) != 0 ||
	    (r->date[0] && memcmp(r->date, s, STAMP_DAY) == 0 &&
	     !(r->mended & RECEIPT_MENDED_DATE)))
		return;
	/* Drops the date line's "date ... mended" warning. */
	drop_warning(r, "date ");
	if (r->date[0] && memcmp(r->date, s, STAMP_DAY) != 0)
		receipt_warn(r, "date %s read as %.10s, as the TSE block says",
			     r->date, s);
	/* The next day's time is another paper's: a card slip printed
	 * after midnight ("Datum 01.01.2026 Zeit 00:02:17"). */
	if (r->date[0] && day_after(r->date, s))
		r->time[0] = '\0';
	memcpy(r->date, s, STAMP_DAY);
	r->date[STAMP_DAY] = '\0';
	r->mended &= ~RECEIPT_MENDED_DATE;
	if (!r->time[0] && strlen(e) >= STAMP_DAY + 6)
		snprintf(r->time, sizeof(r->time), "%.5s", e + STAMP_DAY + 1);
}

void store_cross_check(struct receipt *r)
{
	double before = r->confidence;

	check_tse_date(r);
	check_items(r);
	check_vat(r);
	/* A total line's figure put right by a payment that, read in
	 * full, is a share of a split one: nothing backs it ("SUMME
	 * 31,43 / Gutschein 5,00 / EC-Karte 21,43"). Where the payment
	 * alone backs it, or none was read, and the items disagree, it
	 * stands: on the dev photos 25 of 26 such totals were right, OCR
	 * having misread the items too. */
	if ((r->mended & RECEIPT_MENDED_TOTAL_DIGIT) &&
	    r->payment.amount != RECEIPT_UNKNOWN && !agreeing(r)) {
		receipt_warn(r, "nothing backs the total as put right");
		r->confidence -= 2 * CHECK_PENALTY;
	}
	/* Everything agrees: as sure as a reading gets. */
	if (r->total != RECEIPT_UNKNOWN && r->nitems && r->nwarnings == 0 &&
	    items_sum(r) == r->total && vat_gross(r) == r->total &&
	    r->confidence < 1.0)
		r->confidence = before + 0.1;
	if (r->confidence > 1.0)
		r->confidence = 1.0;
	if (r->confidence < 0.0)
		r->confidence = 0.0;
}
