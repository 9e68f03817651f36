/*
 * generic_items.c: item lines of the generic parser. An item is a name
 * and an amount on one line; quantity lines ("2 Stk x 1,29", "0,874 kg x
 * 1,69 EUR/kg") belong to a neighbouring item, and a name printed on its
 * own line (common on Malaysian tills) belongs to the amounts below it.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "generic.h"
#include "lex.h"
#include "banned.h"

/* A multiplication printed on a line: qty_milli x unit (cents). */
struct qty {
	const char *start, *end;
	int64_t milli;
	int64_t unit;
	int64_t tenths; /* unit in tenths of a cent where so printed, or 0 */
};

struct items_state {
	const struct parser_line *pending_name; /* name line without amount */
	const char *pending_name_start, *pending_name_end;
	int64_t pending_count; /* "2 * " before the pending name, or 0 */
	int64_t pending_bare;  /* "22 " before it, where no count is */
	const char *pending_bare_end;
	struct qty pending_qty; /* qty line before its item */
	int has_pending_qty;
	/* 1 + the index of the item above the pending qty line, when one
	 * misread digit of its amount explains why it does not fit; 0. */
	size_t misfit_above;
	int64_t sum;
	int repaired;
	int count_column;   /* names follow a bare count (count_column()) */
	int counts_after;   /* and a count column after them */
	int64_t discounts;  /* the negative items' sum so far */
	size_t ndiscounts;  /* and their number */
	int64_t deposits;   /* the deposits' sum so far */
	int after_subtotal; /* a subtotal or tax line was passed */
	/* "2 AT 1 FOR 1.08" over the item it counts; 0 where none. */
	int64_t ahead_count, ahead_unit;
};

/* Amounts start at a word boundary: not inside "12.03.2016", "A12" or
 * "4~2.50". */
static int amount_may_start(const char *line, const char *t)
{
	unsigned char prev;

	if (t == line)
		return 1;
	prev = (unsigned char)t[-1];
	if (isdigit(prev) || prev == '.' || prev == ',')
		return 0;
	/* "-4~2.50": the rest of a figure a worn mark split. */
	if (t - line >= 2 && strchr("~?^_", prev) &&
	    isdigit((unsigned char)t[-2]))
		return 0;
	if (lex_is_letter(prev))
		return prev == 'x' || prev == 'X';
	return 1;
}

/* "Cola 1,25L": a bottle size in the name, not a price; so is "1,7l",
 * which lexes as 1,71 with the l for a 1 (a price's 1 read as l at the
 * end of a line is rarer than a size in a long name). "29.5l" is a
 * price: no bottle holds that much. t..q is the amount. */
static int is_volume(const char *t, const char *q, const char *end)
{
	if (q - t == 4 && (q[-1] == 'l' || q[-1] == 'L') &&
	    isdigit((unsigned char)q[-2]) && (q[-3] == ',' || q[-3] == '.') &&
	    (q == end || !isalnum((unsigned char)*q)))
		return 1;
	return q < end && (*q == 'L' || *q == 'l') &&
	       (q + 1 == end || !lex_is_letter((unsigned char)q[1]));
}

/* "Wegovy 0,25mg", "Saft 0,2cl", "Tee 1,5g": a dose, volume or weight
 * glued to its figure, no price (q is the amount's end). */
static int is_measure(const char *q, const char *end)
{
	static const char *const units[] = { "mg", "ml", "cl", "dl",
					     "kg", "g",	 NULL };
	size_t n;

	for (size_t i = 0; units[i]; i++) {
		n = strlen(units[i]);
		if ((size_t)(end - q) >= n &&
		    strncasecmp(q, units[i], n) == 0 &&
		    (q + n == end || !lex_is_letter((unsigned char)q[n])))
			return 1;
	}
	return 0;
}

/* Whether p..end starts a length: figures glued to "m", "mm" or "cm"
 * ("3,00m", "1.8m", "60mm"). */
static int length_at(const char *p, const char *end)
{
	const char *d = p;

	while (p < end && (isdigit((unsigned char)*p) || *p == ',' ||
			   *p == '.' || *p == 'x' || *p == 'X'))
		p++;
	if (p < end && *p == 'c')
		p++;
	if (p == d || p == end || *p != 'm')
		return 0;
	p += p + 1 < end && p[1] == 'm';
	return p + 1 == end || !lex_is_letter((unsigned char)p[1]);
}

/* "KVH Fichte 60x60mm 3,00m", "Fence Panel 1.83x1.8m": a size in the
 * name, no price (t..q the amount). */
static int is_length(const char *t, const char *q, const char *end)
{
	if (q < end && (*q == 'x' || *q == 'X'))
		return length_at(q + 1, end);
	return q > t && length_at(q - 1, end) && isdigit((unsigned char)q[-1]);
}

/* "06.05. ab 08:01", "(Bon v. 28.01.)", "gültig 01.12.-24.12.": a day
 * and month, no price (t..q the amount). */
static int is_day_month(const char *t, const char *q, const char *end)
{
	return q - t == 5 && t[2] == '.' && q < end && *q == '.' &&
	       (q + 1 == end || q[1] == ' ' || q[1] == ')' || q[1] == ',' ||
		q[1] == '-');
}

/* "ul. Matyi 8, 61-586 Poznan": a figure joined to a postcode by its
 * dash, no price (q is the amount's end). */
static int is_postcode_part(const char *q, const char *end)
{
	if (q < end && *q == '-')
		q++;
	return q < end && q[-1] == '-' && isdigit((unsigned char)*q);
}

/* "2,10%", "10,00 %", "8.25%": a rate, not a price (q is the amount's
 * end). Rates end in 0 or 5: "21,98%" is a price with a smudge. */
static int is_rate(const char *q, const char *end)
{
	char last = q[-1];

	if (q < end && *q == ' ')
		q++;
	return q < end && *q == '%' && (last == '0' || last == '5');
}

/* "18.22 Uhr": a time, not a price. */
static int is_clock(const char *s, const char *t, const char *end)
{
	char hm[6];

	/* "klo 19.12" (Finnish), "kl 16.40" (Nordic): a time after its
	 * word. */
	if (((t - s >= 4 && !strncasecmp(t - 4, "klo ", 4)) ||
	     (t - s >= 3 && !strncasecmp(t - 3, "kl ", 3))) &&
	    end - t >= 5 && t[2] == '.' && isdigit((unsigned char)t[3]))
		return 1;
	return lex_time(&t, end, hm) == 0;
}

/* "SEK  1 041,46", "Kč  1 241,33": thousands set apart by a space, the
 * figure after a column's gap of two spaces or at the line's start (a
 * count before a price is "2 x 1,29", or one space from its name), the
 * line's last. a holds the amount read from the hundreds on; takes the
 * thousands in. */
static void spaced_thousands(const char *s, struct generic_amount *a)
{
	const char *t = a->start, *g;
	int64_t k = 0, mul = 1;

	if (a->cents <= 0 || t - s < 2 || t[-1] != ' ' ||
	    !isdigit((unsigned char)t[-2]) || !isdigit((unsigned char)t[0]) ||
	    !isdigit((unsigned char)t[1]) || !isdigit((unsigned char)t[2]) ||
	    isdigit((unsigned char)t[3]))
		return;
	for (g = t - 1; g > s && isdigit((unsigned char)g[-1]) && t - g <= 4;
	     g--)
		;
	if (t - 1 - g > 3 ||
	    !(g == s || (g - s >= 2 && g[-1] == ' ' && g[-2] == ' ')))
		return;
	for (const char *d = t - 1; d-- > g; mul *= 10)
		k += (*d - '0') * mul;
	if (k == 0)
		return;
	a->cents += k * 100000;
	a->start = g;
}

size_t generic_amounts(const char *s, const char *end,
		       struct generic_amount *out, size_t max)
{
	const char *t = s, *q;
	struct lex_amount a;
	size_t n = 0;

	while (t < end && n < max) {
		q = t;
		if (amount_may_start(s, t) &&
		    lex_amount_info(&q, end, &a) == 0 &&
		    !is_volume(t, q, end) && !is_clock(s, t, end) &&
		    !is_day_month(t, q, end) && !is_postcode_part(q, end) &&
		    !is_length(t, q, end) && !is_rate(q, end) &&
		    !is_measure(q, end)) {
			out[n].cents = a.cents;
			out[n].start = t;
			out[n].end = q;
			out[n].sep = a.decimal_sep;
			memcpy(out[n].currency, a.currency, sizeof(a.currency));
			n++;
			t = q;
			continue;
		}
		t++;
	}
	/* The last only: "2 142.50  285.00" is a count column. */
	if (n && n < max)
		spaced_thousands(s, &out[n - 1]);
	return n;
}

/* A figure of a weight: a digit, or a letter OCR prints for one; -1
 * where none. */
static int weight_digit(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	return c == 'O' || c == 'o' ? 0 : c == 'l' || c == 'I' ? 1 : -1;
}

/* Whether s starts a weight, a volume or a fuel price read with letters
 * for digits: "0,8l2", "l.O36", "51,O8", "2,O89": up to three figures,
 * a point and two or three more, two of them real digits at least. The
 * amount beside it must bear the reading out (qty_fits). */
static int misread_weight(const char *s, const char *end)
{
	const char *p = s;
	int n = 0, real = 0;

	for (; p < end && weight_digit(*p) >= 0 && n < 4; p++, n++)
		real += isdigit((unsigned char)*p) != 0;
	if (n == 0 || n > 3 || end - p < 4 || (*p != ',' && *p != '.'))
		return 0;
	for (p++, n = 0; p < end && weight_digit(*p) >= 0 && n < 4; p++, n++)
		real += isdigit((unsigned char)*p) != 0;
	return n >= 2 && n <= 3 && real >= 2;
}

/* A count or weight: "2", "0,874". Only real digits but in a weight
 * misread_weight accepts: a count misread is cheaper to lose than to
 * invent. */
static int read_qty_number(const char **p, const char *end, int64_t *milli)
{
	const char *s = *p;
	int64_t whole = 0, frac = 0;
	int n = 0, dn = 0, loose = misread_weight(s, end);

	while (s < end && n <= 5 &&
	       (loose ? weight_digit(*s) >= 0 : isdigit((unsigned char)*s))) {
		whole = whole * 10 + weight_digit(*s++);
		n++;
	}
	if (n == 0 || n > 5)
		return -1;
	if (s + 1 < end && (*s == ',' || *s == '.') &&
	    (loose || isdigit((unsigned char)s[1]))) {
		for (s++; s < end && dn <= 3 &&
			  (loose ? weight_digit(*s) >= 0
				 : isdigit((unsigned char)*s));
		     s++) {
			frac = frac * 10 + weight_digit(*s);
			dn++;
		}
		if (dn > 3)
			return -1;
		for (; dn < 3; dn++)
			frac *= 10;
	}
	*milli = whole * 1000 + frac;
	*p = s;
	return 0;
}

static const char *const count_units[] = { "stk", "st",	 "pcs", "pc",
					   "db",  "szt", "ks",	NULL };

static const char *const weight_units[] = { "kg", "lb", NULL };

/* Whether u..s is one of units, spaces and a dot aside. */
static int unit_in(const char *u, const char *s, const char *const *units)
{
	while (u < s && *u == ' ')
		u++;
	while (s > u && (s[-1] == ' ' || s[-1] == '.'))
		s--;
	for (size_t i = 0; units[i]; i++)
		if ((size_t)(s - u) == strlen(units[i]) &&
		    strncasecmp(u, units[i], (size_t)(s - u)) == 0)
			return 1;
	return 0;
}

/* Whether u..s is a count unit ("Stk"). */
static int count_unit(const char *u, const char *s)
{
	return unit_in(u, s, count_units);
}

/* "LED-Leuchtmittel E27 806lm    3 St" over "a 2,95 8,85": the count a
 * name line ends in, with its unit, cut off *end; 0 where none is. */
static int64_t count_unit_suffix(const char *s, const char **end)
{
	const char *p = *end, *u;
	int64_t n = 0, mul = 1;

	while (p > s && p[-1] == ' ')
		p--;
	u = p;
	while (u > s && isalpha((unsigned char)u[-1]))
		u--;
	if (u == p || !count_unit(u, p) || u - s < 4 || u[-1] != ' ')
		return 0;
	for (p = u - 1; p > s && p[-1] == ' '; p--)
		;
	while (p > s && isdigit((unsigned char)p[-1]) && mul <= 100) {
		n += (p[-1] - '0') * mul;
		mul *= 10;
		p--;
	}
	if (n < 2 || mul == 1 || p - s < 3 || p[-1] != ' ' || p[-2] != ' ')
		return 0;
	*end = p;
	return n;
}

/* Reads a times sign: 0, or 1 for "à" (each), which only a whole count
 * may take ("2 Stk à 7,99", not "Helles 0,5l à 4,60"); -1 if none. */
static int read_times(const char **p, const char *end)
{
	const char *s = *p;
	size_t before = lex_skip_spaces(&s, end);
	int each = 0;

	/* "BOX 32L *9.00": a mark joined to the price (Australia's GST
	 * star) after a space is no times sign. */
	if (s + 1 < end && *s == '*' && before && isdigit((unsigned char)s[1]))
		return -1;
	/* "Trinkfl. 7 St  *        19,95": a footnote's star before the
	 * price column. */
	if (s + 3 < end && *s == '*' && s[1] == ' ' && s[2] == ' ' &&
	    s[3] == ' ')
		return -1;
	if (s < end && (*s == 'x' || *s == 'X' || *s == '*' || *s == '@'))
		s++;
	else if (end - s >= 2 && (unsigned char)s[0] == 0xC3 &&
		 ((unsigned char)s[1] == 0x97 ||  /* U+00D7 multiplication */
		  (unsigned char)s[1] == 0xA0)) { /* "2 Stk à 7,99" */
		each = s[1] == (char)0xA0;
		s += 2;
	} else if (end - s >= 2 && *s == 'a' && s[1] == ' ') { /* unaccented */
		each = 1;
		s++;
	} else {
		return -1;
	}
	if (s < end && isalpha((unsigned char)*s))
		return -1;
	lex_skip_spaces(&s, end);
	*p = s;
	return each;
}

/* "Stk", "St.", "kg", "pcs" between a count and the 'x'; Australia's
 * weights add "NET" ("1.128 kg NET @ $3.90/kg"). */
static void skip_unit_word(const char **p, const char *end)
{
	const char *s = *p, *net;
	size_t n = 0;

	lex_skip_spaces(&s, end);
	while (s + n < end && isalpha((unsigned char)s[n]) && n < 6)
		n++;
	if (n == 0 || n > 5 ||
	    (n == 1 && (*s == 'x' || *s == 'X' || *s == 'a')))
		return;
	s += n;
	if (s < end && *s == '.')
		s++;
	net = s;
	lex_skip_spaces(&net, end);
	if (end - net >= 4 && !strncasecmp(net, "net ", 4))
		s = net + 3;
	*p = s;
}

/* "EUR/kg", "€/kg", "kr/kg", "GBP/kg", "/Stk" after a unit price; a
 * worn € read as "C/l". */
static void skip_per_unit(const char **p, const char *end)
{
	const char *s = *p, *t;

	lex_skip_spaces(&s, end);
	if (end - s >= 3 && memcmp(s, "\xE2\x82\xAC", 3) == 0)
		s += 3;
	for (t = s; t < end && t - s < 4 && isalpha((unsigned char)*t); t++)
		;
	if (t < end && *t == '/' && t - s < 4)
		s = t;
	if (s >= end || *s != '/')
		return;
	for (s++; s < end && isalpha((unsigned char)*s); s++)
		;
	*p = s;
}

/* Whether a per-unit mark follows p ("EUR/kg"). */
static int per_unit(const char *p, const char *end)
{
	const char *s = p;

	skip_per_unit(&s, end);
	return s != p;
}

/* A unit price in q; fuel is priced to a tenth of a cent ("1,799
 * EUR/l"), which rounds to whole cents (kept in q->tenths to multiply). */
static int read_unit_price(const char **p, const char *end, struct qty *q)
{
	const char *s = *p;
	int64_t milli;

	q->tenths = 0;
	if (lex_amount(p, end, &q->unit) == 0)
		return 0;
	if (read_qty_number(&s, end, &milli) < 0 || s - *p < 5 ||
	    (s[-4] != ',' && s[-4] != '.'))
		return -1;
	q->unit = (milli + 5) / 10;
	q->tenths = milli;
	*p = s;
	return 0;
}

/* A currency word before a unit price: "0,356 kg à kr 399,00/kg". */
static void skip_price_sign(const char **p, const char *end)
{
	static const char *const signs[] = { "kr ", "EUR ", "RM ", NULL };

	for (size_t i = 0; signs[i]; i++) {
		size_t n = strlen(signs[i]);

		if ((size_t)(end - *p) > n && !memcmp(*p, signs[i], n) &&
		    isdigit((unsigned char)(*p)[n]))
			*p += n;
	}
}

/* "1 lb /" before a unit price: Walmart's "2.52 lb @ 1 lb /0.59". */
static void skip_per_one(const char **p, const char *end)
{
	const char *s = *p;
	size_t n = 0;

	if (s >= end || *s != '1')
		return;
	for (s++; s < end && *s == ' '; s++)
		;
	while (s + n < end && isalpha((unsigned char)s[n]) && n < 3)
		n++;
	for (s += n; s < end && *s == ' '; s++)
		;
	if (n > 0 && s < end && *s == '/')
		*p = s + 1;
}

/* The number of units a deal prices together, "2/" in "2 @ 2/$5.00"
 * or "5 @ 2/1.00", skipped with a '$' after it; 1 where none is. */
static int64_t deal_units(const char **p, const char *end)
{
	const char *s = *p;
	int64_t m = 0;

	while (s < end && isdigit((unsigned char)*s) && s - *p < 2)
		m = m * 10 + (*s++ - '0');
	if (m < 2 || s >= end || *s != '/')
		return 1;
	s++;
	if (s < end && *s == '$')
		s++;
	*p = s;
	return m;
}

/* A unit price with its unit and no times sign, after a measured
 * quantity: "45,12 l 1,659 EUR/l", "38,50 l Preis: 1,689 €/l". */
static int priced_per_unit(const char **p, const char *end, struct qty *q)
{
	const char *s = *p, *t;

	lex_skip_spaces(&s, end);
	for (t = s; t < end && isalpha((unsigned char)*t); t++)
		;
	if (t > s && t < end && *t == ':') /* "Preis:", "Price:" */
		s = t + 1;
	lex_skip_spaces(&s, end);
	if (read_unit_price(&s, end, q) < 0)
		return -1;
	t = s;
	skip_per_unit(&s, end);
	if (s == t)
		return -1;
	*p = s;
	return 0;
}

/* "2 x 1,29", "2 Stk x 1,29", "0,874 kg x 1,69 EUR/kg", "45,12 l 1,659
 * EUR/l", "2.52 lb @ 1 lb /0.59", or "1,29 x 2". */
static int read_qty_expr(const char **p, const char *end, struct qty *q)
{
	const char *s = *p, *u, *w;
	int times;

	if (read_qty_number(&s, end, &q->milli) == 0) {
		u = s;
		skip_unit_word(&s, end);
		w = s;
		times = read_times(&s, end);
		/* "à" after a weight is its price per kilo where one
		 * follows ("0,412 kg à 229,00 kr/kg"). */
		if (times == 1 &&
		    (q->milli % 1000 || (w != u && !count_unit(u, w))))
			times = unit_in(u, w, weight_units) ? 2 : -1;
		if (times >= 0) {
			int64_t deal;

			skip_per_one(&s, end);
			skip_price_sign(&s, end);
			deal = deal_units(&s, end);
			if (read_unit_price(&s, end, q) == 0 &&
			    (times != 2 || per_unit(s, end))) {
				skip_per_unit(&s, end);
				/* A share, to a tenth of a cent. */
				if (deal > 1) {
					q->tenths = (q->tenths ? q->tenths
							       : q->unit * 10) /
						    deal;
					q->unit = (q->tenths + 5) / 10;
				}
				goto found;
			}
		} else if (s > u && priced_per_unit(&s, end, q) == 0) {
			goto found;
		}
	}
	s = *p;
	q->tenths = 0;
	if (lex_amount(&s, end, &q->unit) == 0 && read_times(&s, end) >= 0 &&
	    read_qty_number(&s, end, &q->milli) == 0 && q->milli % 1000 == 0) {
		skip_unit_word(&s, end);
		goto found;
	}
	return -1;
found:
	/* "4 Stk x -0,25" under "LEERGUT -1,00": a return's unit price,
	 * signed as the amount beside it is (qty_fits). */
	if (q->unit < 0 && !q->tenths)
		q->unit = -q->unit;
	if (q->milli <= 0 || q->unit <= 0)
		return -1;
	q->start = *p;
	q->end = s;
	*p = s;
	return 0;
}

static int find_qty(const char *s, const char *end, struct qty *q)
{
	const char *t, *p;

	for (t = s; t < end; t++) {
		if (t > s && (isalnum((unsigned char)t[-1]) || t[-1] == ',' ||
			      t[-1] == '.'))
			continue;
		p = t;
		if (read_qty_expr(&p, end, q) == 0)
			return 0;
	}
	return -1;
}

int generic_find_qty(const char *s, const char *end, int64_t *milli,
		     int64_t *unit)
{
	struct qty q = { 0 };

	if (find_qty(s, end, &q) < 0)
		return -1;
	*milli = q.milli;
	*unit = q.unit;
	return 0;
}

static int64_t qty_times_unit(const struct qty *q)
{
	if (q->tenths)
		return (q->milli * q->tenths + 5000) / 10000;
	return (q->milli * q->unit + 500) / 1000;
}

/* A return prints its count unsigned: "LEERGUT -1,00" above "4 Stk x
 * 0,25" fits as well. */
static int qty_fits(const struct qty *q, int64_t amount)
{
	int64_t a = amount < 0 ? -amount : amount, d = qty_times_unit(q) - a;

	/* Swiss tills round a weighed price to 5 Rappen, forint tills to
	 * a whole forint ("0,896 kg x 499 Ft/kg 447"). */
	return (d >= -1 && d <= 1) || (a % 5 == 0 && d >= -2 && d <= 2) ||
	       (q->milli % 1000 && a % 100 == 0 && d > -50 && d < 50);
}

/* A positive amount one confusable digit off what the quantity line
 * multiplies to: the amount was misread (12,69 for 3 x 4,20). */
static int qty_misfits(const struct qty *q, int64_t amount)
{
	return amount > 0 && lex_one_digit_misread(amount, qty_times_unit(q));
}

/* "4 @ 10.95": a whole count of two or more. A misread digit of its unit
 * price moves the product by the count times the slip, in more than one
 * digit as a rule, so where the amount printed beside it is one confusable
 * digit off the product, the amount is what was misread ("4 @ 10.95
 * 43.86"). A count of one, or a weight, could be either. */
static int counted(const struct qty *q)
{
	return q->milli >= 2000 && q->milli % 1000 == 0;
}

/* Item k takes quantity line q, its amount mended to the product. */
static void repair_item(struct receipt *r, struct items_state *st, size_t k,
			const struct qty *q)
{
	struct receipt_item *it = &r->items[k];
	int64_t want = qty_times_unit(q);

	receipt_warn(r,
		     "corrected item '%.40s' from %lld to %lld cents "
		     "(quantity line)",
		     it->name, (long long)it->amount, (long long)want);
	st->sum += want - it->amount;
	it->amount = want;
	it->qty_milli = q->milli;
	it->unit_price = q->unit;
	st->repaired++;
}

/* An item still carrying the defaults can take a quantity. */
static int item_takes_qty(const struct receipt_item *it, const struct qty *q)
{
	return it->qty_milli == 1000 && it->unit_price == it->amount &&
	       qty_fits(q, it->amount);
}

/* A quantity line without an amount: it belongs to the item above when
 * the numbers agree, otherwise to the next item. */
static void attach_qty(struct receipt *r, struct items_state *st,
		       const struct qty *q)
{
	struct receipt_item *prev = NULL;

	if (r->nitems > 0) {
		prev = &r->items[r->nitems - 1];
		if (item_takes_qty(prev, q)) {
			prev->qty_milli = q->milli;
			prev->unit_price =
				prev->amount < 0 ? -q->unit : q->unit;
			return;
		}
	}
	st->pending_qty = *q;
	st->has_pending_qty = 1;
	/* Whether a misread item above or the item below takes it is
	 * known only when the item below is read. */
	st->misfit_above = prev && receipt_kind_charged(prev->kind) &&
					   prev->qty_milli == 1000 &&
					   qty_misfits(q, prev->amount)
				   ? r->nitems
				   : 0;
}

/* The pending quantity line's item, as the next item's amount is read:
 * the next item when it fits, or when one misread digit explains it and
 * not the item above's too; else the misfit item above. Returns the
 * amount the next item takes. */
static int64_t settle_qty(struct receipt *r, struct items_state *st,
			  struct qty *q, int64_t amount,
			  enum receipt_item_kind kind)
{
	const struct qty *p = &st->pending_qty;

	if (!st->has_pending_qty)
		return amount;
	st->has_pending_qty = 0;
	if (qty_fits(p, amount)) {
		*q = *p;
		if (amount < 0) {
			q->unit = -q->unit;
			q->tenths = -q->tenths;
		}
	} else if (receipt_kind_charged(kind) && qty_misfits(p, amount)) {
		if (!st->misfit_above) {
			*q = *p;
			return qty_times_unit(p);
		}
	} else if (st->misfit_above) {
		repair_item(r, st, st->misfit_above - 1, p);
	}
	return amount;
}

size_t generic_letters(const char *s, const char *end)
{
	size_t n = 0;

	for (; s < end; s++)
		n += lex_is_letter((unsigned char)*s) &&
		     ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Letters, digits and UTF-8 letters (U+00C0..U+017F) start a name; the
 * guillemets, dots and dashes OCR sprinkles around it do not. */
static int name_char(const char *s, const char *end)
{
	unsigned char c = (unsigned char)*s;

	if (isalnum(c))
		return 1;
	/* U+00C0..U+017F: "Ä", and Polish and Czech "Ż", "Č" */
	return c >= 0xC3 && c <= 0xC5 && end - s > 1;
}

void generic_trim(const char **s, const char **end)
{
	const char *a = *s, *b = *end;

	while (a < b && !name_char(a, b))
		a += (unsigned char)*a == 0xC2 && b - a > 1 ? 2 : 1;
	while (b > a && !isalnum((unsigned char)b[-1]) && b[-1] != ')' &&
	       b[-1] != '%' &&
	       !(b - a > 1 && (unsigned char)b[-2] >= 0xC3 &&
		 (unsigned char)b[-2] <= 0xC5))
		b--;
	*s = a;
	*end = b;
}

/* "1 10.00 10.00": a whole count before the unit price column. */
static const char *columns_qty(const char *line,
			       const struct generic_amount *unit,
			       int64_t amount, struct qty *q)
{
	const char *t = unit->start;
	int64_t v = 0, mul = 1;
	int n = 0;

	q->milli = 1000;
	q->unit = amount;
	q->tenths = 0;
	while (t > line && t[-1] == ' ')
		t--;
	while (t > line && isdigit((unsigned char)t[-1]) && n < 4) {
		v += (t[-1] - '0') * mul;
		mul *= 10;
		t--;
		n++;
	}
	if (n == 0 || n == 4 || (t > line && t[-1] != ' ') || v == 0)
		return unit->start;
	if ((v * unit->cents) == amount) {
		q->milli = v * 1000;
		q->unit = unit->cents;
		return t;
	}
	return unit->start;
}

/* An article number before a name: six digits or more and a space. */
#define ARTICLE_MIN_DIGITS 6

/* A name line is mostly letters; "Date: 12/05/2018 11:02" is not one, and
 * "4006825607727 Spindelmaeher" is, its article number aside. */
static int name_like(const char *s, const char *end)
{
	size_t letters, other = 0;
	const char *p = s;

	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p - s >= ARTICLE_MIN_DIGITS && p < end && *p == ' ')
		s = p;
	letters = generic_letters(s, end);
	for (; s < end; s++)
		other += *s != ' ' && !lex_is_letter((unsigned char)*s);
	return letters >= 3 && letters >= other;
}

/* Most items a count prefix may give. */
#define COUNT_PREFIX_MAX 99

/* "2 * Atemschutzmaske", "3 x Brot", "1 x Cola": a count before a name,
 * with *s moved past it; 0 where there is none. bare: "2 Cappuccino"
 * too, where the bill prints a count column. */
static int64_t count_prefix(const char **s, const char *end, int bare)
{
	const char *p = *s, *q;
	int64_t n = 0;

	while (p < end && isdigit((unsigned char)*p) && n <= COUNT_PREFIX_MAX)
		n = n * 10 + (*p++ - '0');
	if (p == *s || n < 1 || n > COUNT_PREFIX_MAX)
		return 0;
	for (q = p; q < end && *q == ' '; q++)
		;
	if (q + 1 < end && (*q == '*' || *q == 'x' || *q == 'X') && q[1] == ' ')
		*s = q + 2;
	else if (q == p && q + 1 < end && *q == 'x' &&
		 isupper((unsigned char)q[1]))
		*s = q + 1; /* "2xDinkelbr." */
	else if (end - q >= 3 && !memcmp(q, "\xc3\x97", 2) && q[2] == ' ')
		*s = q + 3; /* U+00D7 "2× Cheeseburger" */
	else if (bare && q > p && q < end && lex_is_letter((unsigned char)*q))
		*s = q;
	else
		return 0;
	return n;
}

/* "Cappuccino x 2": a count after the name, *end moved before it; 0
 * where there is none. */
static int64_t count_suffix(const char *s, const char **end)
{
	const char *p = *end;
	int64_t n = 0, mul = 1;

	while (p > s && p[-1] == ' ')
		p--;
	while (p > s && isdigit((unsigned char)p[-1]) && mul <= 10) {
		n += (p[-1] - '0') * mul;
		mul *= 10;
		p--;
	}
	/* "x 2" spaced, or "x3" in a column of its own ("ROTI CANAI
	 * x3  4.50"): "EGGS X6" is a pack of six. */
	if (!(p - s >= 5 && (p[-1] == 'x' || p[-1] == 'X') && p[-2] == ' ' &&
	      p[-3] == ' ')) {
		if (p - s < 4 || p[-1] != ' ')
			return 0;
		while (p > s && p[-1] == ' ')
			p--;
	}
	if (n < 1 || n > COUNT_PREFIX_MAX || p - s < 3 ||
	    (p[-1] != 'x' && p[-1] != 'X') || p[-2] != ' ')
		return 0;
	*end = p - 2;
	return n;
}

/* "100 PLUS 500ML      2     4.60": a count of one or two digits in a
 * column of its own between the name and the amount (*end, moved before
 * it), two spaces or more on each side; 0 where there is none. */
static int64_t column_count(const char *s, const char **end)
{
	const char *p = *end, *d;
	int64_t n = 0;
	int gap = 0;

	while (p > s && p[-1] == ' ') {
		p--;
		gap++;
	}
	d = p;
	while (p > s && isdigit((unsigned char)p[-1]) && d - p < 2)
		p--;
	if (p == d || gap < 2 || p - s < 3 || p[-1] != ' ' || p[-2] != ' ' ||
	    !generic_letters(s, p))
		return 0;
	for (const char *c = p; c < d; c++)
		n = n * 10 + (*c - '0');
	*end = p;
	return n;
}

/* A figure standing alone on an item line, in thousandths, its start
 * and end, its decimals, and whether a unit follows it ("2 st", "0,654
 * kg", "18,50 m2": a count or measure, never a price). */
struct figure {
	const char *start, *end;
	int64_t milli;
	int decimals;
	int measured;
};

/* Most figures looked at on one line; the longest unit word. */
#define COLUMN_FIGURES 8
#define UNIT_WORD_MAX 4

/* Whether a short word follows at s, then a space or end: a unit. */
static int unit_word(const char *s, const char *end)
{
	const char *w;

	lex_skip_spaces(&s, end);
	for (w = s; s < end && *s != ' '; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return s > w && s - w <= UNIT_WORD_MAX && generic_letters(w, s) >= 1 &&
	       isalpha((unsigned char)*w);
}

/* Figures in s..end that stand alone: after a space or the line's start,
 * before a space, the end or '/' (a unit price's "/kg"); not a name's
 * "1,5l" or "5W-30". */
static size_t column_figures(const char *s, const char *end, struct figure *f)
{
	const char *p = s, *t;
	size_t n = 0;

	while (p < end && n < COLUMN_FIGURES) {
		if (!isdigit((unsigned char)*p) || (p > s && p[-1] != ' ')) {
			p++;
			continue;
		}
		f[n].start = p;
		f[n].milli = 0;
		f[n].decimals = -1;
		for (t = p; t < end && t - p < 9; t++) {
			if (isdigit((unsigned char)*t)) {
				if (f[n].decimals >= 0)
					f[n].decimals++;
				f[n].milli = f[n].milli * 10 + (*t - '0');
			} else if ((*t == ',' || *t == '.') &&
				   f[n].decimals < 0 && t + 1 < end &&
				   isdigit((unsigned char)t[1])) {
				f[n].decimals = 0;
			} else {
				break;
			}
		}
		p = t;
		if (f[n].decimals > 3 || (t < end && *t != ' ' && *t != '/'))
			continue;
		if (f[n].decimals < 0)
			f[n].decimals = 0;
		for (int d = f[n].decimals; d < 3; d++)
			f[n].milli *= 10;
		f[n].end = t;
		f[n].measured = t < end && *t == ' ' && unit_word(t, end);
		n++;
	}
	return n;
}

/* Whether figures j (a count) and i (a unit price) of f multiply to
 * amount: a price of two decimals or three (fuel's "1,759"), never a
 * measure; of two plain prices the count is the left one. */
static int multiplies(const struct figure *f, size_t j, size_t i,
		      int64_t amount)
{
	const struct figure *c = &f[j], *u = &f[i];
	int64_t p = (c->milli * u->milli + 5000) / 10000;

	if (j == i || u->measured || u->decimals < 2 || c->milli <= 0 ||
	    c->milli == 1000 || c->milli >= 1000000 ||
	    (c->decimals == 2 && !c->measured && j > i))
		return 0;
	if (c->decimals == 0 && u->decimals == 2)
		return c->milli / 1000 * (u->milli / 10) == amount;
	return p == amount;
}

/* "Coca-Cola 1,5l  24,90  2 st  49,80", "Bananer  27,90  0,654 kg
 * 18,25", "1,245 kg BANANEN  1,99/kg  2,48", "2  Motorno ulje  4,5
 * 12,00  54,00": a count or weight and a unit price in columns of their
 * own whose product is the amount. Sets q, ends the name before the
 * figures and, where the count leads the line, starts it after it;
 * 0, or -1 where no two figures multiply to the amount, or one of them
 * is 1 and another the amount ("1.00 25.00 25.00"). */
static int column_product(const char **s, const char **name_end,
			  const char *amount_start, int64_t amount,
			  struct qty *q)
{
	struct figure f[COLUMN_FIGURES];
	size_t n = column_figures(*s, amount_start, f), i, j;
	const char *ns, *ne;
	int one = 0, again = 0;

	for (i = 0; i < n; i++) {
		one |= f[i].milli == 1000;
		again |= f[i].decimals >= 2 && f[i].milli / 10 == amount;
	}
	if (one && again)
		return -1;
	for (i = 0; i < n; i++) {
		/* From the right: of "2   2  Schlauch", the count is the
		 * second (the first numbers the row). */
		for (j = n; j-- > 0;) {
			if (!multiplies(f, j, i, amount))
				continue;
			ns = *s;
			ne = *name_end;
			if (generic_letters(ns, f[j].start) == 0) {
				ns = f[j].end;
				lex_skip_spaces(&ns, ne);
				/* "1,245 kg BANANEN": the weight's unit */
				if (f[j].measured)
					while (ns < ne && *ns != ' ')
						ns++;
				lex_skip_spaces(&ns, ne);
			} else if (f[j].start < ne) {
				ne = f[j].start;
			}
			if (f[i].start < ne)
				ne = f[i].start;
			while (ne > ns && ne[-1] == ' ')
				ne--;
			if (generic_letters(ns, ne) < 2)
				continue;
			q->milli = f[j].milli;
			q->unit = (f[i].milli + 5) / 10;
			q->tenths = f[i].decimals == 3 ? f[i].milli : 0;
			*s = ns;
			*name_end = ne;
			return 0;
		}
	}
	return -1;
}

/* Item lines a bill's count column needs before a bare leading number is
 * read as a count: names seldom start with a number, and a pack size
 * ("10 Eier") is one line. */
#define COUNT_COLUMN_MIN 2

/*
 * Restaurant and café bills print the count before the name ("2
 * Cappuccino 7,00", "1 Croissant 2,40"), Malaysian tills in a column
 * after it (after set: column_count()): at least COUNT_COLUMN_MIN item
 * lines have one, one of them 1 (no pack is of one).
 */
static int count_column(const struct parser_doc *doc,
			const struct generic_line *info, size_t items_end,
			int after)
{
	struct generic_amount a[1];
	const struct parser_line *l;
	const char *p, *end;
	int64_t n;
	int lines = 0, one = 0;

	for (size_t i = 0; i < items_end && i < doc->nlines; i++) {
		l = &doc->lines[i];
		p = l->text;
		end = l->text + l->len;
		lex_skip_spaces(&p, end);
		if (info[i].cls != GENERIC_LINE_PLAIN)
			continue;
		n = after ? 0 : count_prefix(&p, end, 1);
		if (generic_amounts(p, end, a, 1) == 0)
			continue;
		if (after) {
			p = a[0].start;
			n = column_count(l->text, &p);
		}
		if (!n)
			continue;
		lines++;
		one |= n == 1;
	}
	return lines >= COUNT_COLUMN_MIN && one;
}

/* Quantity q becomes count where the amount is count units: a count
 * that does not divide the amount is a misread (or a pack size). Returns
 * whether the count stands (a count of 1 always does). */
static int count_fits(struct qty *q, int64_t count, int64_t amount)
{
	if (amount < 0) /* "2x Pfandrückgabe à -3,00 -6,00" */
		amount = -amount;
	if (count >= 2 && amount > 0 && amount % count == 0) {
		q->milli = count * 1000;
		q->unit = amount / count;
		q->tenths = 0;
	}
	return count == 1 || q->milli == count * 1000;
}

/* The name before a unit price column's mark ("Pizza à" in "2 x Pizza
 * à 8,50 17,00"). */
static const char *unit_mark(const char *name, const char *end)
{
	const char *t = end;

	while (t > name && t[-1] == ' ')
		t--;
	if (t - name >= 2 && t[-1] == '@' && t[-2] == ' ')
		return t - 1;
	if (t - name >= 3 && !memcmp(t - 2, "\xc3\xa0", 2) && t[-3] == ' ')
		return t - 2;
	if (t - name >= 2 && t[-1] == 'a' && t[-2] == ' ') /* unaccented */
		return t - 1;
	return end;
}

/* Units a count is printed with ("1.000 STK 49.99", "2 St"). */

/* Whether s..end is a count and its unit alone, no name: the name is on
 * the line above. */
static int count_only(const char *s, const char *end)
{
	const char *p = s;

	while (p < end &&
	       (isdigit((unsigned char)*p) || *p == '.' || *p == ','))
		p++;
	return p > s && isdigit((unsigned char)*s) && count_unit(p, end);
}

static enum receipt_item_kind signed_kind(enum receipt_item_kind kind,
					  int64_t *amount)
{
	int64_t a = *amount < 0 ? -*amount : *amount;

	if (kind == RECEIPT_DEPOSIT_RETURN || kind == RECEIPT_DISCOUNT) {
		*amount = -a;
		return kind;
	}
	if (*amount < 0)
		return kind == RECEIPT_DEPOSIT ? RECEIPT_DEPOSIT_RETURN
					       : RECEIPT_DISCOUNT;
	return kind;
}

/* Whether a discount's name says it sums savings ("Clubcard Price
 * Savings", "Ersparnis"), not one product's ("YEO VALLEY -0.75" under a
 * first "-0.75"). */
static int names_saving(const char *s, const char *end)
{
	for (; s + 3 <= end; s++)
		if (!strncasecmp(s, "sav", 3) ||
		    (end - s >= 4 && !strncasecmp(s, "spar", 4)))
			return 1;
	return 0;
}

static void add_item(struct receipt *r, struct items_state *st,
		     const char *name, const char *name_end, struct qty *q,
		     int64_t amount, enum receipt_item_kind kind)
{
	int64_t read;

	kind = signed_kind(kind, &amount);
	read = amount;
	amount = settle_qty(r, st, q, amount, kind);
	if (amount == read && receipt_kind_charged(kind) && counted(q) &&
	    qty_misfits(q, amount))
		amount = qty_times_unit(q);
	if (kind != RECEIPT_ITEM && q->milli == 1000) {
		q->unit = amount;
		q->tenths = 0;
	}
	/* "Clubcard Price Savings -1.25" under the subtotal: the sum of
	 * the savings printed under each item, not one more. */
	if (read < 0 && st->after_subtotal && read == st->discounts &&
	    (st->ndiscounts >= 2 || names_saving(name, name_end)))
		return;
	/* So is "Kaucja pobrana 3,00" under the VAT lines. */
	if (kind == RECEIPT_DEPOSIT && st->after_subtotal &&
	    read == st->deposits)
		return;
	/* "Discount : 0.00": a till's empty field, no discount; under the
	 * subtotal, "BONUS BOX 0,00" a note. */
	if (read == 0 && (kind == RECEIPT_DISCOUNT || st->after_subtotal))
		return;
	if (q->milli == 1000 && st->ahead_count &&
	    read == st->ahead_count * st->ahead_unit) {
		q->milli = st->ahead_count * 1000;
		q->unit = st->ahead_unit;
	}
	st->ahead_count = 0;
	generic_trim(&name, &name_end);
	if (receipt_add_item(r, name, (size_t)(name_end - name), q->milli,
			     q->unit, read, kind) != 0)
		return;
	st->sum += read;
	if (read < 0) {
		st->discounts += read;
		st->ndiscounts++;
	}
	if (kind == RECEIPT_DEPOSIT)
		st->deposits += read;
	if (amount != read)
		repair_item(r, st, r->nitems - 1, q);
}

/* "Zewa Wisch&Weg 4x 3,49 B": a pack size that ends the name ("4x",
 * the x joined to the count, as no till prints a quantity) before the
 * price, nothing but a VAT class after it. */
static int pack_size(const struct qty *q, const char *end)
{
	const char *p = q->start, *t = q->end;

	while (p < t && isdigit((unsigned char)*p))
		p++;
	if (p == q->start || p == t || (*p != 'x' && *p != 'X'))
		return 0;
	while (t < end && *t == ' ')
		t++;
	/* "B", dm's "1", OCR's speck ("6.50 ~"), Italy's rate ("22%") */
	if (t < end && (isalnum((unsigned char)*t) || strchr("~|_*'`", *t)))
		t++;
	if (t < end && isdigit((unsigned char)t[-1]) &&
	    isdigit((unsigned char)*t))
		t++;
	if (t < end && *t == '%' && isdigit((unsigned char)t[-1]))
		t++;
	while (t < end && *t == ' ')
		t++;
	return t == end;
}

/* Whether s..end holds a word of four letters or more other than a
 * count's unit ("Stück"): a name ("2 Pepsi @ 3.29"). */
static int name_word_in(const char *s, const char *end)
{
	const char *w;

	while (s < end) {
		for (w = s; s < end && lex_is_letter((unsigned char)*s); s++)
			;
		if (generic_letters(w, s) >= 4 &&
		    lex_keyword(&w, s, "stuck", LEX_KW_WORD) != 0)
			return 1;
		if (s < end)
			s++;
	}
	return 0;
}

/* "Energy Drink 0,25" over "2 St x 0,99 1,98 A": a name ending in its
 * size (no VAT class after it) over a quantity line without a name that
 * prints its own product, of another unit price. */
static int size_over_qty(const char *s, const struct generic_amount *size,
			 const char *end, const struct parser_line *next)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const char *ne, *p = size->end;
	struct qty q = { 0 };
	size_t n;

	while (p < end && *p == ' ')
		p++;
	if (!next || p < end || generic_letters(s, size->start) < 3)
		return 0;
	ne = next->text + next->len;
	if (find_qty(next->text, ne, &q) != 0 || name_word_in(next->text, ne) ||
	    q.unit == size->cents)
		return 0;
	n = generic_amounts(q.end, ne, a, GENERIC_MAX_AMOUNTS);
	return n >= 1 && qty_fits(&q, a[n - 1].cents);
}

/* "4 x Seafood Chowder @ 9.50" over "38.00", "2 x Brötchen 0,45" over
 * "0,90 A": a count and unit price whose line total is the next line's
 * lone amount (with its VAT class where no '@' marks the unit price).
 * Reads the count into q and moves *name past it; 0 where the lines are
 * not so. */
static int unit_over_total(const char **name, const char *at,
			   const struct generic_amount *unit,
			   const struct parser_line *next, struct qty *q)
{
	struct generic_amount a[2];
	const char *named = *name, *ne;
	int64_t count;
	int marked;

	while (at > named && at[-1] == ' ')
		at--;
	if (!next || at == named)
		return 0;
	/* "3 Stk Pfannkuchen  x 1,30": a times sign before the unit
	 * price marks it as '@' does. */
	marked = at[-1] == '@' || ((at[-1] == 'x' || at[-1] == 'X') &&
				   at - named >= 2 && at[-2] == ' ');
	ne = next->text + next->len;
	count = count_prefix(&named, at, marked);
	if (count) {
		const char *w = named;

		while (w < at && lex_is_letter((unsigned char)*w))
			w++;
		if (w < at && *w == ' ' && count_unit(named, w))
			named = w + 1;
	}
	if (!count || (!marked && count < 2) ||
	    generic_letters(next->text, ne) > (size_t)!marked ||
	    generic_amounts(next->text, ne, a, 2) != 1 ||
	    a[0].cents != count * unit->cents)
		return 0;
	q->start = marked ? at - 1 : at;
	q->end = unit->end;
	q->milli = count * 1000;
	q->unit = unit->cents;
	q->tenths = 0;
	*name = named;
	return 1;
}

/* "  4 AT 1 FOR 0.56" (US tills): the count and unit price of the item
 * above ("AVOCADOS 2.24"), which takes them, or else of the item below,
 * which takes them where its amount is theirs; 1 where the line is
 * that. */
static int count_at_price(struct receipt *r, struct items_state *st,
			  const char *s, const char *end)
{
	struct receipt_item *it = r->nitems ? &r->items[r->nitems - 1] : NULL;
	int64_t count = 0, unit;

	while (s < end && isdigit((unsigned char)*s) && count < 1000)
		count = count * 10 + (*s++ - '0');
	lex_skip_spaces(&s, end);
	if (count < 2 || lex_keyword(&s, end, "at", LEX_KW_WORD) != 0)
		return 0;
	lex_skip_spaces(&s, end);
	if (lex_keyword(&s, end, "1 for", LEX_KW_WORD) == 0)
		lex_skip_spaces(&s, end);
	if (lex_amount(&s, end, &unit) != 0 || unit <= 0 ||
	    generic_letters(s, end) > 3)
		return 0;
	if (it && it->amount == count * unit) {
		it->qty_milli = count * 1000;
		it->unit_price = unit;
	} else {
		st->ahead_count = count;
		st->ahead_unit = unit;
	}
	return 1;
}

/* "2 Silvaner Schoppen 0,25" over "à 5,60 11,20": the item above took
 * its glass's size for its price. Where its name's count times unit is
 * total, the size goes back into the name and the item takes count,
 * unit and total; 1 where it did. */
static int size_over_unit(struct receipt *r, struct items_state *st,
			  int64_t unit, const char *s, const char *end)
{
	struct receipt_item *it = r->nitems ? &r->items[r->nitems - 1] : NULL;
	int64_t total, count = 0, size;
	char *p;
	size_t n;

	lex_skip_spaces(&s, end);
	if (!it || it->qty_milli != 1000 || it->amount <= 0 ||
	    it->amount >= unit || lex_amount(&s, end, &total) != 0 ||
	    generic_letters(s, end) > 3)
		return 0;
	for (p = it->name; isdigit((unsigned char)*p) && count < 100; p++)
		count = count * 10 + (*p - '0');
	if (count < 2 || *p != ' ' || count * unit != total)
		return 0;
	size = it->amount;
	n = strlen(p + 1);
	memmove(it->name, p + 1, n + 1);
	snprintf(it->name + n, sizeof(it->name) - n, " %lld,%02lld",
		 (long long)(size / 100), (long long)(size % 100));
	st->sum += total - size;
	it->amount = total;
	it->qty_milli = count * 1000;
	it->unit_price = unit;
	return 1;
}

/* "Super Plus 98  35,55 l" over "1,899 EUR/l  67,51": the item above took
 * the litres pumped for its price. Where they times the unit price are
 * this line's amount, the item takes measure, unit and amount; 1 where
 * it did. */
static int measure_over_unit(struct receipt *r, struct items_state *st,
			     const char *s, const char *end)
{
	struct receipt_item *it = r->nitems ? &r->items[r->nitems - 1] : NULL;
	struct qty q = { 0 };
	const char *p = s;
	int64_t total;

	if (!it || it->qty_milli != 1000 || it->amount <= 0 ||
	    read_unit_price(&p, end, &q) != 0 || !per_unit(p, end))
		return 0;
	skip_per_unit(&p, end);
	lex_skip_spaces(&p, end);
	q.milli = it->amount * 10;
	if (lex_amount(&p, end, &total) != 0 || generic_letters(p, end) > 3 ||
	    total <= it->amount || !qty_fits(&q, total))
		return 0;
	st->sum += total - it->amount;
	it->amount = total;
	it->qty_milli = q.milli;
	it->unit_price = q.unit;
	return 1;
}

/* "KALLAX Regal   2" (over "à 9,99"): a name that took the count's
 * column, count, cut back to the name. */
static void drop_count_column(char *name, int64_t count)
{
	size_t n = strlen(name);
	int64_t v = 0, mul = 1;

	while (n && isdigit((unsigned char)name[n - 1]) && mul <= 100) {
		v += (name[n - 1] - '0') * mul;
		mul *= 10;
		n--;
	}
	if (v != count || n < 3 || name[n - 1] != ' ' || name[n - 2] != ' ')
		return;
	while (n && name[n - 1] == ' ')
		n--;
	name[n] = '\0';
}

/* "   a 7,50" under "2x Doener 15,00", "  @ 12.00" under "2 Chianti
 * 24.00": the unit price of the item above, which takes it as its
 * quantity; 1 where the line is that. */
static int unit_price_line(struct receipt *r, struct items_state *st,
			   const char *s, const char *end)
{
	struct receipt_item *it = r->nitems ? &r->items[r->nitems - 1] : NULL;
	int64_t unit;
	int at = *s == '@';

	if (count_at_price(r, st, s, end) || measure_over_unit(r, st, s, end))
		return 1;
	if (!it || it->amount <= 0 || read_times(&s, end) != 1 - at ||
	    lex_amount(&s, end, &unit) != 0 || unit <= 0)
		return 0;
	if (size_over_unit(r, st, unit, s, end))
		return 1;
	if (it->amount % unit || it->amount / unit < 2 ||
	    generic_letters(s, end) > 3)
		return 0;
	it->qty_milli = it->amount / unit * 1000;
	it->unit_price = unit;
	drop_count_column(it->name, it->amount / unit);
	return 1;
}

/* "Briefmarke 0,95 EUR" over "5 x 0,95 4,75": the item above printed its
 * unit price, this line its count and amount, which it takes; 1 where
 * it did. */
static int unit_priced_above(struct receipt *r, struct items_state *st,
			     const struct qty *q, int64_t amount)
{
	struct receipt_item *it = r->nitems ? &r->items[r->nitems - 1] : NULL;

	if (!it || it->qty_milli != 1000 || it->amount != q->unit ||
	    q->milli == 1000 || !qty_fits(q, amount))
		return 0;
	st->sum += amount - it->amount;
	it->amount = amount;
	it->qty_milli = q->milli;
	it->unit_price = q->unit;
	return 1;
}

/* Line l names an item (name..name_end) whose amount a line below
 * prints. */
static void pend_name(struct items_state *st, const struct parser_line *l,
		      const char *name, const char *name_end)
{
	st->pending_name = l;
	st->pending_name_start = name;
	st->pending_name_end = name_end;
	st->pending_count = 0;
	st->pending_bare = 0;
}

/* Line l names an item (from name to q's start) whose amount the next
 * line prints, and its quantity q. */
static void pend_qty(struct items_state *st, const struct parser_line *l,
		     const char *name, const struct qty *q)
{
	pend_name(st, l, name, q->start);
	st->pending_qty = *q;
	st->has_pending_qty = 1;
	st->misfit_above = 0;
}

/* Whether s..end, after a figure, is two words or more, the first of
 * four letters or more (1) or a postcode (2): a street's or town's name
 * ("Campbell Pde", "68161 Mannheim"), no VAT class or unit. */
static int address_tail(const char *s, const char *end)
{
	size_t words = 0, first = 0, n, digits;
	const char *start;

	while (s < end && (*s == ' ' || *s == ','))
		s++;
	start = s;
	while (s < end) {
		for (n = 0; s < end && lex_is_letter((unsigned char)*s); s++)
			n++;
		for (digits = 0; !n && s < end && isdigit((unsigned char)*s);
		     s++)
			digits++;
		if ((!n && (words || digits < 4 || digits > 5)) ||
		    (s < end && *s != ' '))
			return 0;
		if (!words++)
			first = n ? n : digits;
		while (s < end && *s == ' ')
			s++;
	}
	if (words < 2 || first < 4)
		return 0;
	return isdigit((unsigned char)*start) ? 2 : 1;
}

/* Whether a word in s..end names a street as only streets are named
 * ("Hüttenstr. 31, 3. OG"): the delivery address above a meal's items. */
static int street_named(const char *s, const char *end)
{
	static const char *const streets[] = { "str.", "strasse",
					       "stra\xc3\x9f"
					       "e" };

	for (const char *w = s; w < end; w++) {
		if (w + 1 < end && w[1] != ' ' && w[1] != ',')
			continue; /* not a word's end */
		for (size_t k = 0; k < sizeof(streets) / sizeof(*streets);
		     k++) {
			size_t n = strlen(streets[k]);

			if ((size_t)(w + 1 - s) >= n &&
			    !strncasecmp(w + 1 - n, streets[k], n))
				return 1;
		}
	}
	return 0;
}

/* A pharmacy's lines under an item's name: its article number ("PZN
 * 05853487"), its list price and the co-payment charged ("AVP 14,46
 * Zuzahlung 5,00"). Skips them up to the amount charged. */
static void skip_pharmacy_codes(const char **p, const char *end)
{
	/* An article number, list prices (a pharmacy's "AVP" and fixed
	 * amount "FB", a shop's "UVP 109,99 Aktionspreis 89,99"): those
	 * that may start the line first. */
	static const struct {
		const char *word;
		int lead, listed;
	} words[] = {
		{ "pzn", 1, 0 },	  { "avp", 1, 1 },
		{ "uvp", 1, 1 },	  { "statt", 1, 1 },
		{ "fb", 0, 1 },		  { "zuzahlung", 0, 0 },
		{ "aktionspreis", 0, 0 }, { "zuz.", 0, 0 },
		{ "eur", 0, 0 },	  { NULL, 0, 0 },
	};
	const char *s = *p, *t;
	struct generic_amount a, b;
	size_t i, listed = 0;

	for (;;) {
		lex_skip_spaces(&s, end);
		for (i = 0; words[i].word; i++) {
			t = s;
			if ((s != *p || words[i].lead) &&
			    lex_keyword(&t, end, words[i].word, LEX_KW_WORD) ==
				    0)
				break;
		}
		if (words[i].word) {
			listed = words[i].listed;
			s = t;
		} else if (s == *p) {
			return;
		} else if (generic_amounts(s, end, &a, 1) && a.start == s &&
			   generic_amounts(a.end, end, &b, 1)) {
			s = a.end; /* the list price, before the amount */
		} else if (listed && generic_amounts(s, end, &a, 1) &&
			   a.start == s) {
			/* "PZN 11765912  AVP 14,57" over "Zuzahlung 5,00":
			 * the list price alone is not charged. */
			*p = end;
			return;
		} else {
			for (t = s; t < end && isdigit((unsigned char)*t); t++)
				;
			if (t == s || (t < end && *t != ' '))
				break;
			s = t; /* the article number */
		}
	}
	*p = s;
}

/* "Netto 0,607 kg x 22,90 EUR/kg 13,90" under the name (and the scale's
 * "Brutto ... Tara" line): the weight's word is no name. */
static void skip_net_weight_word(const struct items_state *st, const char **p,
				 const char *end)
{
	const char *s = *p;

	if (!st->pending_name ||
	    lex_keyword(&s, end, "netto", LEX_KW_WORD | LEX_KW_EXACT) != 0)
		return;
	lex_skip_spaces(&s, end);
	if (s < end && isdigit((unsigned char)*s))
		*p = s;
}

static void item_line(const struct parser_line *l,
		      const struct parser_line *next,
		      const struct generic_line *info, struct receipt *r,
		      struct items_state *st)
{
	const char *s = l->text, *end = l->text + l->len, *name_end;
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	int has_qty, worded, addr;
	struct qty q = { 0 };
	size_t n;

	lex_skip_spaces(&s, end); /* " 2  Helles a 4,60 9,20": a count */
	skip_pharmacy_codes(&s, end);
	skip_net_weight_word(st, &s, end);
	if (s == end)
		return; /* "PZN 05853487" under the name */
	if (unit_price_line(r, st, s, end))
		return;
	has_qty = find_qty(s, end, &q) == 0 &&
		  !(name_like(s, q.start) && pack_size(&q, end));
	n = generic_amounts(has_qty ? q.end : s, end, a, GENERIC_MAX_AMOUNTS);
	/* "2x SOYA MILK 250ML @1.60 3.20": a quantity the line's amount
	 * does not bear out, not even misread, is a pack size. */
	if (has_qty && n && !qty_fits(&q, a[n - 1].cents) &&
	    !qty_misfits(&q, a[n - 1].cents)) {
		has_qty = 0;
		q = (struct qty){ 0 };
		n = generic_amounts(s, end, a, GENERIC_MAX_AMOUNTS);
	}
	/* "0,8l2 kg x 2,99 EUR/kg": a weight line the quantity reader
	 * refused, misread; its unit price is no item. */
	if (!has_qty && n == 1 && per_unit(a[0].end, end))
		return;
	if (!has_qty && n == 1 &&
	    unit_over_total(&s, a[0].start, &a[0], next, &q)) {
		pend_qty(st, l, s, &q);
		return;
	}
	if (!has_qty && n == 1 && size_over_qty(s, &a[0], end, next)) {
		pend_name(st, l, s, end);
		return;
	}
	/* "BEPANTHEN WUND-HEILSALBE 20G / 1 x 5,98", "1 x 49,99 A": one
	 * of the named item, whose price is its amount unless the next
	 * line prints it ("1 X 7.50 / 7.50"). */
	if (n == 0 && has_qty && q.milli == 1000 && q.unit > 0 &&
	    st->pending_name && generic_letters(s, q.start) == 0 &&
	    generic_letters(q.end, end) <= 1 &&
	    !(next &&
	      generic_amounts(next->text, next->text + next->len, a,
			      GENERIC_MAX_AMOUNTS) == 1 &&
	      a[0].cents == q.unit)) {
		s = st->pending_name_start;
		name_end = st->pending_name_end;
		st->pending_name = NULL;
		add_item(r, st, s, name_end, &q, q.unit,
			 (enum receipt_item_kind)info->kind);
		return;
	}
	if (n == 0 && has_qty && !name_like(s, q.start)) {
		/* A name line above stays the name of the amount below
		 * ("Pumpe 7 Diesel / 45,12 l 1,659 EUR/l / 74,85"). */
		attach_qty(r, st, &q);
		return;
	}
	if (n == 0) {
		st->pending_name = NULL;
		st->pending_name_start = s;
		st->pending_count = 0;
		/* "USB CABLE 1 x 19.90" with the amount on the next line. */
		if (has_qty) {
			pend_qty(st, l, s, &q);
		} else if (name_like(s, end)) {
			pend_name(st, l, s, end);
			st->pending_count = count_prefix(
				&st->pending_name_start, end, st->count_column);
			if (!st->pending_count)
				st->pending_count = count_unit_suffix(
					st->pending_name_start,
					&st->pending_name_end);
			st->pending_bare_end = st->pending_name_start;
			st->pending_bare =
				st->pending_count
					? 0
					: count_prefix(&st->pending_bare_end,
						       end, 1);
		}
		return;
	}
	name_end = has_qty ? q.start : a[0].start;
	/* "PFAND 0,25 EURO 0,50 A": a word after a figure makes the figure
	 * part of the name, not a unit price column. */
	worded = n >= 2 && generic_letters(a[n - 2].end, a[n - 1].start) >= 2;
	if (!has_qty && n >= 2 && !worded) {
		const char *qs = columns_qty(s, &a[n - 2], a[n - 1].cents, &q);

		if (qs < name_end)
			name_end = qs;
	} else if (!has_qty) {
		if (worded)
			name_end = a[n - 1].start;
		q.milli = 1000;
		q.unit = a[n - 1].cents;
		q.tenths = 0;
	}
	if (has_qty && !st->pending_name && generic_letters(s, name_end) < 2 &&
	    unit_priced_above(r, st, &q, a[n - 1].cents))
		return;
	/* "€ 4,95 Caffè Latte", "€23,80 2× Cheeseburger": apps print the
	 * price first, the name after it. */
	if (n == 1 && !has_qty && generic_letters(s, name_end) < 2 &&
	    name_like(a[0].end, end)) {
		s = a[0].end;
		lex_skip_spaces(&s, end);
		name_end = end;
		st->pending_name = NULL; /* a heading ("Bestellte Artikel") */
	}
	if ((generic_letters(s, name_end) < 2 || count_only(s, name_end)) &&
	    st->pending_name) {
		s = st->pending_name_start;
		name_end = st->pending_name_end;
		/* "22 Fondue" over "à 34.00 748.00": a bare count the
		 * unit price under it bears out. */
		if (!has_qty && q.milli == 1000 &&
		    !count_fits(&q, st->pending_count, a[n - 1].cents) &&
		    st->pending_bare >= 2 && n >= 2 &&
		    a[n - 2].cents * st->pending_bare == a[n - 1].cents &&
		    count_fits(&q, st->pending_bare, a[n - 1].cents))
			s = st->pending_bare_end;
	} else if (!has_qty && q.milli == 1000) {
		/* "2 x Kaffee 5,00", "2 x Pizza à 8,50 17,00": a punch
		 * card counts both. */
		const char *named = s, *named_end = name_end;
		/* "2 Currywurst  3,90  7,80": a bare count its unit price
		 * column bears out. */
		int64_t count = count_prefix(&named, name_end, 1);

		if (!st->count_column &&
		    !(n >= 2 && !worded && count >= 2 &&
		      a[n - 2].cents * count == a[n - 1].cents)) {
			named = s;
			count = count_prefix(&named, name_end, 0);
		}

		if (count && named < name_end &&
		    count_fits(&q, count, a[n - 1].cents)) {
			s = named;
			name_end = unit_mark(s, name_end);
		} else if ((count = count_suffix(s, &named_end)) >= 2 &&
			   count_fits(&q, count, a[n - 1].cents)) {
			name_end = named_end;
		} else if (st->counts_after &&
			   (count = column_count(s, &named_end)) >= 1 &&
			   count_fits(&q, count, a[n - 1].cents)) {
			name_end = named_end;
		}
	}
	if (!has_qty && q.milli == 1000 && n >= 2 && s >= l->text && s < end) {
		const char *cs = s, *ce = name_end;

		if (column_product(&cs, &ce, a[n - 1].start, a[n - 1].cents,
				   &q) == 0) {
			s = cs;
			name_end = ce;
		}
	}
	/* "$18.60" alone over the named items: Square prints the total
	 * first (a column of amounts under a column of names is items). */
	if (!r->nitems && !st->pending_name && !has_qty && n == 1 &&
	    generic_letters(s, end) == 0 && next &&
	    generic_letters(next->text, next->text + next->len) >= 2)
		return;
	/* "Shop 3, 88 Campbell Pde", "LOT 2.18, SUNWAY CARNIVAL MALL",
	 * Mannheim's "O7, 18 68161 Mannheim": above the items, a figure
	 * between words or before a postcode is an address. */
	if (!r->nitems && n == 1 && !has_qty &&
	    (((addr = address_tail(a[0].end, end)) &&
	      (addr == 2 || generic_letters(l->text, a[0].start) >= 2)) ||
	     street_named(l->text, a[0].start)))
		return;
	st->pending_name = NULL;
	add_item(r, st, s, name_end, &q, a[n - 1].cents,
		 (enum receipt_item_kind)info->kind);
}

/* Whether s..end is a count and a name: "1x Spaghetti Carbonara". */
static int count_led(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p == s || p - s > 2 || p >= end || (*p != 'x' && *p != 'X'))
		return 0;
	p++;
	while (p < end && *p == ' ')
		p++;
	return name_like(p, end) && generic_letters(p, end) >= 3;
}

/* "Windeln Maxi 5,99 A Nussmix 2,49 B": two item lines OCR joined, cut
 * after the first amount's VAT class where a name follows; where the
 * second line starts, or NULL. */
static const char *joined_items(const struct parser_line *l)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const char *end = l->text + l->len, *p;
	size_t n = generic_amounts(l->text, end, a, GENERIC_MAX_AMOUNTS);

	for (size_t k = 0; k + 1 < n; k++) {
		p = a[k].end;
		while (p < a[k + 1].start && *p == ' ')
			p++;
		/* "1x Pizza Diavola 12,50 1x Spaghetti Carbonara 13,90",
		 * "AVOCADOS X2 £1.80 ANDREX CLASSIC 9 ROLL £5.50" */
		if (p > a[k].end && generic_letters(l->text, a[k].start) >= 3 &&
		    (count_led(p, a[k + 1].start) ||
		     (a[k].currency[0] && a[k + 1].currency[0] &&
		      name_like(p, a[k + 1].start) &&
		      generic_letters(p, a[k + 1].start) >= 3)))
			return p;
		if (p + 2 >= a[k + 1].start || p[1] != ' ' ||
		    !((*p >= 'A' && *p <= 'D') || (*p >= '1' && *p <= '3')))
			continue;
		if (generic_letters(l->text, a[k].start) >= 3 &&
		    name_like(p + 2, a[k + 1].start) &&
		    generic_letters(p + 2, a[k + 1].start) >= 3)
			return p + 2;
	}
	return NULL;
}

/* Digits of a price that lost its point: "625", "$1999". */
#define UNDOTTED_MIN_DIGITS 3
#define UNDOTTED_MAX_DIGITS 5

/* The price that lost its point at the end of s..end, before a VAT
 * class ("Gouda 169 A", "ORBIT GUM 199T"), after a currency sign ("Fish
 * & Chips £999"), or with a space for the point ("SALAMI 1 99 B"): its
 * cents, and where its figures start in *at; -1 where none. */
static int64_t undotted_price(const char *s, const char *end, const char **at)
{
	const char *p, *w;
	int64_t v = 0;

	while (end > s && end[-1] == ' ')
		end--;
	if (end - s > 2 && isupper((unsigned char)end[-1]) &&
	    (end[-2] == ' ' || isdigit((unsigned char)end[-2])))
		for (end--; end > s && end[-1] == ' ';)
			end--;
	for (p = end; p > s && isdigit((unsigned char)p[-1]);)
		p--; /* the digits end the line */
	if (end - p == 2 && p - s > 2 && p[-1] == ' ' &&
	    isdigit((unsigned char)p[-2])) {
		for (w = p - 1;
		     w > s && isdigit((unsigned char)w[-1]) && p - w <= 3;)
			w--;
		if (w == p - 1 || (w > s && isdigit((unsigned char)w[-1])))
			return -1; /* up to three figures before the space */
		for (const char *d = w; d < end; d++)
			if (*d != ' ')
				v = v * 10 + (*d - '0');
		p = w;
	} else if (end - p >= UNDOTTED_MIN_DIGITS &&
		   end - p <= UNDOTTED_MAX_DIGITS) {
		for (const char *d = p; d < end; d++)
			v = v * 10 + (*d - '0');
	} else {
		return -1;
	}
	if (p > s && (p[-1] == '$' || p[-1] == 'E'))
		p--;
	else if (p - s >= 2 && !memcmp(p - 2, "\xC2\xA3", 2))
		p -= 2; /* £ */
	*at = p;
	return v;
}

/* Whether l's text holds the n bytes at w. */
static int holds(const struct parser_line *l, const char *w, size_t n)
{
	for (size_t o = 0; o + n <= l->len; o++)
		if (!memcmp(l->text + o, w, n))
			return 1;
	return 0;
}

/* Where among r's items one read from line i goes: after the items
 * whose names lines above it print. */
static size_t item_slot(const struct parser_doc *doc, size_t i,
			const struct receipt *r)
{
	size_t k, j;

	for (k = 0; k < r->nitems; k++) {
		size_t n = strlen(r->items[k].name);

		for (j = 0; n && j < i; j++)
			if (holds(&doc->lines[j], r->items[k].name, n))
				break;
		if (n && j == i)
			break;
	}
	return k;
}

int generic_undotted_item(const struct parser_doc *doc,
			  const struct generic_line *info, size_t items_end,
			  int64_t missing, struct receipt *r)
{
	struct generic_amount a;
	struct receipt_item it;
	const char *s, *p;
	size_t i, k;

	for (i = 0; i < items_end && i < doc->nlines; i++) {
		s = doc->lines[i].text;
		if (info[i].cls != GENERIC_LINE_PLAIN || info[i].prio ||
		    generic_amounts(s, s + doc->lines[i].len, &a, 1) ||
		    undotted_price(s, s + doc->lines[i].len, &p) != missing)
			continue;
		if (p - s < 3 || p[-1] != ' ' || p[-2] != ' ' ||
		    generic_letters(s, p) < 3)
			continue;
		generic_trim(&s, &p);
		k = item_slot(doc, i, r);
		if (receipt_add_item(r, s, (size_t)(p - s), 1000, missing,
				     missing,
				     (enum receipt_item_kind)info[i].kind) != 0)
			return 0;
		it = r->items[r->nitems - 1];
		memmove(&r->items[k + 1], &r->items[k],
			(r->nitems - 1 - k) * sizeof(r->items[0]));
		r->items[k] = it;
		receipt_warn(r, "item '%.*s' read without its decimal point",
			     (int)(p - s), s);
		return 1;
	}
	return 0;
}

int64_t generic_items(const struct parser_doc *doc,
		      const struct generic_line *info, size_t items_end,
		      struct receipt *r, int *repaired)
{
	struct items_state st;
	const char *cut;
	size_t i, k;

	memset(&st, 0, sizeof(st));
	st.count_column = count_column(doc, info, items_end, 0);
	st.counts_after = count_column(doc, info, items_end, 1);
	for (i = 0; i < items_end && i < doc->nlines; i++) {
		/* Among the items "Tip" is a name ("Tip Top Toast"), a
		 * voucher a discount; under a subtotal a tip is a tip. */
		if ((info[i].cls != GENERIC_LINE_PLAIN &&
		     info[i].cls != GENERIC_LINE_TIP &&
		     info[i].cls != GENERIC_LINE_VOUCHER) ||
		    (info[i].cls == GENERIC_LINE_TIP &&
		     (st.after_subtotal ||
		      generic_tip_named(&doc->lines[i]))) ||
		    generic_vat_row(&doc->lines[i])) {
			/* A scale's "Brutto 0,622 kg  Tara 0,015 kg"
			 * between a name and its net weight. */
			if (!lex_find_keyword(
				    doc->lines[i].text,
				    doc->lines[i].text + doc->lines[i].len,
				    "tara", LEX_KW_WORD | LEX_KW_EXACT, &cut))
				st.pending_name = NULL;
			st.after_subtotal |= info[i].subtotal ||
					     (info[i].cls == GENERIC_LINE_TAX &&
					      r->nitems > 0);
			continue;
		}
		for (k = i + 1;
		     k < items_end && k < doc->nlines && doc->lines[k].len == 0;
		     k++)
			;
		if ((cut = joined_items(&doc->lines[i])) != NULL) {
			struct parser_line one = doc->lines[i], two = one;

			one.len = (size_t)(cut - one.text);
			two.text = cut;
			two.len -= one.len;
			/* Word offsets are the whole line's. */
			one.nwords = two.nwords = 0;
			item_line(&one, &two, &info[i], r, &st);
			item_line(&two, NULL, &info[i], r, &st);
			continue;
		}
		item_line(&doc->lines[i],
			  k < items_end && k < doc->nlines ? &doc->lines[k]
							   : NULL,
			  &info[i], r, &st);
	}
	/* A quantity line under the last item. */
	if (st.has_pending_qty && st.misfit_above)
		repair_item(r, &st, st.misfit_above - 1, &st.pending_qty);
	*repaired = st.repaired;
	return st.sum;
}
