/*
 * store_items.c: the store engine's work on the items the generic reading
 * found: each item's line and class letter, amounts a quantity line
 * proves misread, and the one item line OCR left unreadable when the
 * confirmed total says what it must be.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "generic.h"
#include "lex.h"
#include "store_layout.h"
#include "banned.h"

/* Header lines (name, address) are never items. */
#define STORE_HEADER_SKIP 3
/* Confidence a repaired item costs. */
#define STORE_REPAIR_PENALTY 0.05

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
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
	return store_known_class(l, *s);
}

/* True when the line's last amount is want, give or take a cent, or
 * one misread digit away from it. */
static int last_amount_near(const struct parser_line *ln, int64_t want)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t n =
		generic_amounts(ln->text, line_end(ln), a, GENERIC_MAX_AMOUNTS);
	int64_t d = n ? a[n - 1].cents - want : 2;

	return (d >= -1 && d <= 1) ||
	       (n && lex_one_digit_misread(a[n - 1].cents, want));
}

/* What quantity line ln ("3 Stk x 1,29") multiplies to, with its count
 * and unit price; -1 where ln is none. */
static int64_t qty_product(const struct parser_line *ln, int64_t *milli,
			   int64_t *unit)
{
	if (generic_find_qty(ln->text, line_end(ln), milli, unit) < 0)
		return -1;
	return (*milli * *unit + 500) / 1000;
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

	if (!receipt_kind_charged(it->kind) || it->qty_milli != 1000 ||
	    it->unit_price != it->amount)
		return;
	/* "Hot-dog 1 x8,99 8,99": the item's own line bears it out. */
	want = qty_product(&doc->lines[j], &milli, &unit);
	if (want >= 0 && want - it->amount >= -1 && want - it->amount <= 1)
		return;
	for (k = 0; k < 2; k++) {
		if ((k == 0 && j + 1 >= doc->nlines) || (k == 1 && j == 0))
			continue;
		ln = &doc->lines[k == 0 ? j + 1 : j - 1];
		want = qty_product(ln, &milli, &unit);
		/* "Gurken 0,59 x 2 1,18 A": a line that prints its own
		 * product is an item of its own. */
		if (want < 0 || last_amount_near(ln, want))
			continue;
		/* The quantity line may be the other neighbour's: it fits
		 * that item's amount, or is one misread digit off it too,
		 * and there is no telling which. */
		if (k == 0 ? (j + 2 < doc->nlines &&
			      last_amount_near(&doc->lines[j + 2], want))
			   : (j >= 2 &&
			      last_amount_near(&doc->lines[j - 2], want)))
			continue;
		if (!lex_one_digit_misread(it->amount, want) &&
		    !lex_one_digit_inserted(it->amount, want))
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

/* Whether a quantity line next to line j multiplies to want. */
static int qty_beside(const struct parser_doc *doc, size_t j, int64_t want)
{
	int64_t milli, unit;

	for (size_t k = j ? j - 1 : j + 1; k <= j + 1 && k < doc->nlines;
	     k += 2)
		if (qty_product(&doc->lines[k], &milli, &unit) == want)
			return 1;
	return 0;
}

/* Whether line j prints item amount want: as its last amount, or misread
 * by a digit beside the quantity line the generic reading mended it
 * from ("Saft 8,87 A / 3 Stk x 1,29"). */
static int prints_item(const struct parser_doc *doc, size_t j, int64_t want,
		       const struct generic_amount *last)
{
	int64_t v = last->cents < 0 ? -last->cents : last->cents;

	return v == want || ((lex_one_digit_misread(v, want) ||
			      lex_one_digit_inserted(v, want)) &&
			     qty_beside(doc, j, want));
}

/* The first line from i on that prints item it; its amounts in a (if
 * not NULL). doc->nlines where none does. */
static size_t item_line(const struct parser_doc *doc, size_t i,
			const struct receipt_item *it, struct generic_amount *a,
			size_t *n)
{
	struct generic_amount b[GENERIC_MAX_AMOUNTS];
	int64_t want = it->amount < 0 ? -it->amount : it->amount;
	size_t j, m;

	for (j = i; j < doc->nlines; j++) {
		const struct parser_line *ln = &doc->lines[j];

		m = generic_amounts(ln->text, line_end(ln), b,
				    GENERIC_MAX_AMOUNTS);
		if (m && prints_item(doc, j, want, &b[m - 1])) {
			if (a) {
				memcpy(a, b, m * sizeof(b[0]));
				*n = m;
			}
			break;
		}
	}
	return j;
}

/* Finds each item's line in order (the line whose last amount is the
 * item's) and reads its class letter. Returns the line after the last
 * item found, where the summary part of the receipt begins. */
size_t store_locate_items(const struct store_layout *l,
			  const struct parser_doc *doc, struct receipt *r,
			  size_t *at)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t i = 0, k, j, n = 0, tail = 0;

	for (k = 0; k < r->nitems; k++) {
		at[k] = SIZE_MAX;
		j = item_line(doc, i, &r->items[k], a, &n);
		/* An item whose line prints no amount ("Waschmittel 3 95
		 * B", read without its point) is found nowhere, or in the
		 * VAT table, after the next item's line. */
		if (j == doc->nlines ||
		    (k + 1 < r->nitems &&
		     item_line(doc, i, &r->items[k + 1], NULL, NULL) < j))
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

/* Words that make an unreadable item line a return or discount. */
static const char *const minus_words[] = { "leergut", "ruckgabe",     "rabatt",
					   "coupon",  "preisvorteil", NULL };
static const char *const deposit_word[] = { "pfand", NULL };

int store_line_has(const struct parser_line *ln, const char *const *words)
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
	if (store_known_class(l, end[-1]) && digits > 0 &&
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

	want = qty_product(ln, &milli, &unit);
	if (want < 0)
		return 0;
	for (k = 0; k < r->nitems; k++) {
		/* Next to its item, or under the amount line of a name
		 * above ("Deutsche Markenbutter / 4,78 A / 2 x 2,39"). */
		if (at[k] == SIZE_MAX ||
		    (at[k] + 1 != i && at[k] != i + 1 &&
		     !(at[k] + 2 == i &&
		       generic_amount_only(&doc->lines[i - 1]))))
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

/* Whether line i is the name of the item below it, which its quantity
 * line prints ("Zucchini / 0,388 kg x 2,49 EUR/kg 0,97 A") or its amount
 * alone ("Deutsche Markenbutter / 4,78 A"). */
static int names_item_below(const struct parser_doc *doc, const size_t *at,
			    size_t i, const struct receipt *r)
{
	const struct parser_line *ln;
	const char *s;
	int64_t milli, unit;
	size_t k;

	if (i + 1 >= doc->nlines)
		return 0;
	ln = &doc->lines[i + 1];
	s = ln->text;
	lex_skip_spaces(&s, line_end(ln));
	for (k = 0; k < r->nitems; k++)
		if (at[k] == i + 1)
			return generic_amount_only(ln) ||
			       (s < line_end(ln) &&
				isdigit((unsigned char)*s) &&
				generic_find_qty(s, line_end(ln), &milli,
						 &unit) == 0);
	return 0;
}

/* True when quantity line q sits next to item line item and its product
 * is the amount that item must have. */
static int qty_gives(const struct parser_doc *doc, size_t q, size_t item,
		     int64_t amount)
{
	const struct parser_line *ln = &doc->lines[q];
	int64_t milli, unit, p = qty_product(ln, &milli, &unit), d = p - amount;

	if ((q + 1 != item && item + 1 != q) || p < 0)
		return 0;
	return d >= -1 && d <= 1;
}

/* The amount an unreadable item line prints broken, its comma read as
 * a space or lost, or its figure run into the name: "Salatgurke  0 59
 * A", "Kaffee 500g    549 A", "Tabs Classic5,99 B"; -1 where it prints
 * none such. *at is where the figure starts. */
static int64_t broken_amount(const struct store_layout *l,
			     const struct parser_line *ln, const char **at)
{
	const char *s = ln->text, *e = line_end(ln), *p;
	int64_t v = 0;

	while (e > s && e[-1] == ' ')
		e--;
	if (e - s > 2 && e[-2] == ' ' && store_known_class(l, e[-1]))
		e -= 2;
	while (e > s && e[-1] == ' ')
		e--;
	if (e - s < 5 || !isdigit((unsigned char)e[-1]) ||
	    !isdigit((unsigned char)e[-2]))
		return -1;
	/* "Kaffee 500g      549 A": the separator lost, in a column of
	 * its own after a gap. */
	for (p = e; p > s && isdigit((unsigned char)p[-1]); p--)
		;
	if (e - p >= 3 && e - p <= 4 && p - s > 2 && p[-1] == ' ' &&
	    p[-2] == ' ') {
		*at = p;
		for (; p < e; p++)
			v = v * 10 + (*p - '0');
		return v;
	}
	if (e[-3] != ',' && e[-3] != '.' && e[-3] != ' ')
		return -1;
	for (p = e - 3; p > s && isdigit((unsigned char)p[-1]); p--)
		;
	if (p == e - 3 || e - 3 - p > 3 ||
	    (p > s && p[-1] != ' ' && !isalpha((unsigned char)p[-1])) ||
	    (e[-3] == ' ' && (p == s || p[-1] != ' ')))
		return -1;
	for (*at = p; p < e; p++)
		if (isdigit((unsigned char)*p))
			v = v * 10 + (*p - '0');
	return v;
}

/* Adds unreadable item line ln (line number line) with amount v, read
 * as how says, in its place among the items at[] locates; returns its
 * index, or -1 where v's sign contradicts the line. */
static int add_orphan(const struct store_layout *l,
		      const struct parser_line *ln, size_t line,
		      const size_t *at, int64_t v, const char *how,
		      struct receipt *r)
{
	enum receipt_item_kind kind = RECEIPT_ITEM;
	const char *s, *e, *b;
	size_t k, n, pos = 0;

	if (store_line_has(ln, minus_words) ||
	    store_line_has(ln, l->return_words) ||
	    store_line_has(ln, l->discount_words))
		kind = store_line_has(ln, minus_words) &&
				       lex_find_keyword(ln->text, line_end(ln),
							"leergut", 0, &s)
			       ? RECEIPT_DEPOSIT_RETURN
			       : RECEIPT_DISCOUNT;
	else if (store_line_has(ln, deposit_word))
		kind = RECEIPT_DEPOSIT;
	if ((v < 0) !=
	    (kind == RECEIPT_DEPOSIT_RETURN || kind == RECEIPT_DISCOUNT))
		return -1;
	for (k = 0; k < r->nitems; k++)
		if (at[k] != SIZE_MAX && at[k] < line)
			pos = k + 1;
	/* The name is the line without its broken figure, or else its
	 * unreadable last word. */
	s = ln->text;
	e = line_end(ln);
	if (broken_amount(l, ln, &b) == v) {
		e = b;
	} else {
		while (e > s && e[-1] == ' ')
			e--;
		while (e > s && e[-1] != ' ')
			e--;
	}
	generic_trim(&s, &e);
	if (receipt_add_item(r, s, (size_t)(e - s), 1000, v, v, kind))
		return -1;
	n = r->nitems;
	if (pos < n - 1) {
		struct receipt_item it = r->items[n - 1];

		memmove(&r->items[pos + 1], &r->items[pos],
			sizeof(r->items[0]) * (n - 1 - pos));
		r->items[pos] = it;
	}
	r->items[pos].vat_class = store_known_class(l, line_end(ln)[-1]);
	receipt_warn(r, "item '%.40s' unreadable; %lld cents %s",
		     r->items[pos].name, (long long)v, how);
	r->confidence -= STORE_REPAIR_PENALTY;
	return (int)pos;
}

/* Most unreadable item lines mended at once. */
#define STORE_MAX_ORPHANS 4

/*
 * Item lines among the items with no readable amount, the total
 * confirmed apart from its own line: one such line's amount is what the
 * total leaves, the one consistent reading; several are mended only
 * where each prints its amount broken and those add up to what the
 * total leaves. They are added (in their place) and the warning says
 * so.
 */
void store_recover_missing(const struct store_layout *l,
			   const struct parser_doc *doc, const size_t *at,
			   size_t tail, struct receipt *r)
{
	size_t i, k, first = SIZE_MAX, loose = SIZE_MAX, n, norphans = 0;
	size_t orphan[STORE_MAX_ORPHANS], fixed[RECEIPT_MAX_ITEMS];
	const struct parser_line *ln;
	int64_t sum = 0, diff, v[STORE_MAX_ORPHANS];
	const char *b;
	int pos;

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
		if (k < r->nitems || (i < first && i < STORE_HEADER_SKIP) ||
		    names_item_below(doc, at, i, r))
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
			if (norphans == STORE_MAX_ORPHANS)
				return;
			orphan[norphans++] = i;
			continue;
		default:
			return;
		}
	}
	if (norphans == 0)
		return;
	if (norphans == 1) {
		v[0] = diff;
		if (loose != SIZE_MAX &&
		    !qty_gives(doc, loose, orphan[0], diff))
			return;
	} else {
		if (loose != SIZE_MAX)
			return;
		for (k = 0; k < norphans; k++) {
			v[k] = broken_amount(l, &doc->lines[orphan[k]], &b);
			if (v[k] <= 0)
				return;
			diff -= v[k];
		}
		if (diff != 0)
			return;
	}
	/* at[] locates the items read; each added one takes its place. */
	memcpy(fixed, at, sizeof(fixed[0]) * r->nitems);
	for (k = 0; k < norphans; k++) {
		pos = add_orphan(
			l, &doc->lines[orphan[k]], orphan[k], fixed, v[k],
			norphans == 1 ? "from the total" : "as printed broken",
			r);
		if (pos < 0)
			return;
		memmove(&fixed[pos + 1], &fixed[pos],
			sizeof(fixed[0]) * (r->nitems - 1 - (size_t)pos));
		fixed[pos] = orphan[k];
	}
}
