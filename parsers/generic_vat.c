/*
 * generic_vat.c: the VAT table as an independent reading of the total.
 * Each row ("A 19% 0,63 0,12 0,75") prints net, tax and gross, which must
 * add up and fit the rate; on faded print a row whose figures do not is
 * repaired where one misread digit per figure makes them agree, or
 * taken as read where they add up and only the rate was misread; the
 * gross column then adds up to the total the receipt printed.
 */
#include <ctype.h>
#include <string.h>

#include "generic.h"
#include "lex.h"
#include "banned.h"

/* Rates above this are no VAT rates (a "100%" discount, OCR noise);
 * Hungary charges 27 %. */
#define VAT_MAX_RATE 2700
/* Cents: a row's tax may be off from net x rate by rounding. */
#define VAT_TAX_SLACK 2
/* A figure and its readings one confusable digit away. */
#define VAT_MAX_READINGS 40

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
}

/* v as read first, then every value one confusable digit away; returns
 * the count. */
static size_t readings(int64_t v, int64_t *out)
{
	int64_t mul;
	size_t n = 0;
	int digit, alt;

	out[n++] = v;
	for (mul = 1; mul <= v && n + 10 <= VAT_MAX_READINGS; mul *= 10) {
		digit = (int)(v / mul % 10);
		for (alt = 0; alt <= 9; alt++)
			if (lex_digits_confusable(digit, alt))
				out[n++] = v + (alt - digit) * mul;
	}
	return n;
}

static int fits(int64_t net, int64_t tax, int64_t gross, int rate)
{
	int64_t want = (net * rate + 5000) / 10000;

	return net > 0 && tax >= 0 && net + tax == gross &&
	       want - tax <= VAT_TAX_SLACK && tax - want <= VAT_TAX_SLACK;
}

/* The gross of a row printing net, tax and gross as a[0..2] in this
 * order, with the fewest misread digits (at most one per figure); -1
 * when no reading fits or two readings with as few give other grosses. */
static int64_t row_gross(const int64_t a[3], int rate)
{
	int64_t r[3][VAT_MAX_READINGS], gross = -1;
	size_t n[3], i, j, k;
	int best = 4, cost;

	for (i = 0; i < 3; i++)
		n[i] = readings(a[i], r[i]);
	for (i = 0; i < n[0]; i++)
		for (j = 0; j < n[1]; j++)
			for (k = 0; k < n[2]; k++) {
				if (!fits(r[0][i], r[1][j], r[2][k], rate))
					continue;
				cost = (i > 0) + (j > 0) + (k > 0);
				if (cost < best) {
					best = cost;
					gross = r[2][k];
				} else if (cost == best && r[2][k] != gross) {
					gross = -1;
				}
			}
	return gross;
}

/* Whether a row's figures, as read, add up with a tax that is some rate
 * of the net (1 % to VAT_MAX_RATE): its printed rate was misread ("13%"
 * for 19%), not its figures. */
static int adds_up(const int64_t a[3])
{
	return a[0] + a[1] == a[2] && a[1] * 100 >= a[0] &&
	       a[1] * 10000 <= a[0] * VAT_MAX_RATE;
}

/* Words with a digit in s..end: "5,21 0,37 55.8" has three. */
static size_t figure_words(const char *s, const char *end)
{
	size_t n = 0;
	int digit = 0;

	for (; s <= end; s++) {
		if (s == end || *s == ' ') {
			n += digit;
			digit = 0;
		} else if (*s >= '0' && *s <= '9') {
			digit = 1;
		}
	}
	return n;
}

int64_t generic_zero_row(const struct parser_line *l)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const char *re = lex_zero_rate(l->text, line_end(l));
	size_t n;

	if (!re)
		return 0;
	n = generic_amounts(re, line_end(l), a, GENERIC_MAX_AMOUNTS);
	if (n != 2 && n != 3)
		return 0;
	/* Net and no tax, gross too where printed; or the tax first:
	 * "0,00 10,58", "0.00 8.37 8.37". */
	if (a[0].cents > 0 && a[1].cents == 0 &&
	    (n == 2 || a[2].cents == a[0].cents))
		return a[0].cents;
	if (a[0].cents == 0 && a[1].cents > 0 &&
	    (n == 2 || a[2].cents == a[1].cents))
		return a[1].cents;
	return 0;
}

/* The words in s..end, where each is a figure with two decimals that
 * OCR may have broken ("2O,13", "2,O1", "22,14"); 0 where one is not. */
static size_t broken_figures(const char *s, const char *end)
{
	size_t n = 0;

	while (lex_skip_spaces(&s, end), s < end) {
		const char *w = s;

		while (s < end && *s != ' ')
			s++;
		if (s - w < 4 || (s[-3] != ',' && s[-3] != '.') ||
		    !isalnum((unsigned char)s[-2]) ||
		    !isalnum((unsigned char)s[-1]) ||
		    !isdigit((unsigned char)*w))
			return 0;
		n++;
	}
	return n;
}

int generic_vat_row(const struct parser_line *l)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const char *rs, *re, *end = line_end(l);
	int64_t v[3];
	size_t n;
	int rate, sign = lex_rate(l->text, end, VAT_MAX_RATE, &rate, &rs,
				  &re) == 0;

	if (sign) {
		n = generic_amounts(re, end, a, GENERIC_MAX_AMOUNTS);
		/* Three figures OCR broke ("A 10% 2O,13 2,O1 22,14"). */
		if (n < 3)
			return broken_figures(re, end) >= 3;
	} else {
		/* A rate printed without its sign: "1 7,00 1,51 21,54". */
		n = generic_amounts(l->text, end, a, GENERIC_MAX_AMOUNTS);
		if (n < 4 || a[n - 4].cents < 100 ||
		    a[n - 4].cents > VAT_MAX_RATE)
			return 0;
		rate = (int)a[n - 4].cents;
	}
	v[0] = a[n - 3].cents;
	v[1] = a[n - 2].cents;
	v[2] = a[n - 1].cents;
	if (v[0] < v[1]) { /* the tax first: "Steuer Netto Brutto" */
		v[0] = v[1];
		v[1] = a[n - 3].cents;
	}
	return fits(v[0], v[1], v[2], rate) || (sign && adds_up(v));
}

int64_t generic_vat_gross(const struct parser_doc *doc, size_t from, int *nrows)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const struct parser_line *l;
	const char *rs, *re;
	int64_t sum = 0, v[3], g;
	size_t i, n;
	int rate, rows = 0, zero_rows = 0, short_rows = 0;

	for (i = from; i < doc->nlines; i++) {
		l = &doc->lines[i];
		if (lex_rate(l->text, line_end(l), VAT_MAX_RATE, &rate, &rs,
			     &re) != 0) {
			if ((g = generic_zero_row(l)) > 0) {
				sum += g;
				rows++;
				zero_rows++;
			}
			continue;
		}
		n = generic_amounts(re, line_end(l), a, GENERIC_MAX_AMOUNTS);
		/* Net, tax, gross: the row's last three figures. A line that
		 * prints three figures but not three amounts is a row OCR
		 * broke ("B 7% 5,21 0,37 55.8"), not a shorter line. */
		if (n < 3 && figure_words(re, line_end(l)) >= 3)
			break;
		short_rows += n == 2;
		if (n < 3 || a[n - 3].cents <= 0 || a[n - 2].cents < 0 ||
		    a[n - 1].cents <= 0)
			continue;
		v[0] = a[n - 3].cents;
		v[1] = a[n - 2].cents;
		v[2] = a[n - 1].cents;
		g = row_gross(v, rate);
		if (g < 0 && adds_up(v))
			g = v[2];
		if (g < 0)
			break;
		sum += g;
		rows++;
	}
	/* A broken row, or one that fits no reading, leaves the table
	 * unknown; so do rated rows of two figures, tax and net, beside
	 * zero-rated ones: the zero rows alone are no sum ("S 20% VAT 1.25
	 * NET 6.25 / Z 0% VAT 0.00 NET 1.10"). */
	if (i < doc->nlines || (zero_rows && short_rows))
		rows = 0;
	if (nrows)
		*nrows = rows;
	return rows ? sum : 0;
}
