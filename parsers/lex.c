/*
 * lex.c: readers for amounts, dates, times and keywords in OCR text. They
 * are deliberately forgiving about what OCR gets wrong (letters for
 * digits, stray spaces, umlauts lost) and strict about shape (exactly two
 * cent digits, a real calendar date), because a wrong number is worse for
 * a ledger than no number.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lex.h"
#include "banned.h"

/* "1.234.567,89" has four groups; anything longer is not money. */
#define LEX_MAX_GROUPS 5
/* U+201A, a comma as OCR sometimes prints it. */
#define LEX_LOW_QUOTE "\xE2\x80\x9A"
/* A date run together ("21092017") is only believed right before a time. */
#define LEX_COMPACT_DATE_DIGITS 8

struct group {
	int64_t val;
	int ndig;
	char sep;   /* separator printed before this group, 0 for the first */
	int spaced; /* a stray space surrounded that separator */
};

int lex_is_letter(unsigned char c)
{
	return isalpha(c) || c >= 0x80;
}

static int is_digit(const char *s, const char *end)
{
	return s < end && *s >= '0' && *s <= '9';
}

size_t lex_skip_spaces(const char **p, const char *end)
{
	const char *s = *p;
	size_t n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	n = (size_t)(s - *p);
	*p = s;
	return n;
}

/* The digit OCR most often prints a given letter for, or -1. */
static int confusable(char c)
{
	switch (c) {
	case 'O':
	case 'o':
	case 'C':
		return 0;
	case 'l':
	case 'I':
	case 'i':
	case '|':
	case ']':
		return 1;
	case 'Z':
		return 2;
	case 'S':
		return 5;
	case 'B':
		return 8;
	}
	return -1;
}

/*
 * The digit at s, reading confusable letters as digits only next to real
 * digits: "1O,99" is 10,99 but "BIO" stays a word. S, B and Z are also
 * common as real letters, so they need digits on both sides.
 */
static int digit_at(const char *s, const char *end, int prev_digit)
{
	int c, next_digit;

	if (is_digit(s, end))
		return *s - '0';
	if (s >= end)
		return -1;
	c = confusable(*s);
	if (c < 0)
		return -1;
	next_digit = is_digit(s + 1, end) ||
		     (s + 2 < end && (s[1] == ',' || s[1] == '.') &&
		      (is_digit(s + 2, end) ||
		       (s[2] == ' ' && is_digit(s + 3, end))));
	if (*s == 'S' || *s == 'B' || *s == 'Z')
		return prev_digit && next_digit ? c : -1;
	/* A 0 worn down its right side reads as C: before a digit only
	 * ("C1-05-20"), not after one ("16C"). */
	if (*s == 'C')
		return next_digit ? c : -1;
	return prev_digit || next_digit ? c : -1;
}

static int word_ends(const char *s, const char *end)
{
	return s >= end || !isalnum((unsigned char)*s);
}

/* A digit, or the letter OCR made of one where the place says it is a
 * figure (G, g, q, s, T, z, b, A and D too: a 6 in "1B.6G", a 9 in
 * "1,9q", a 7 in "0,T5"); -1 otherwise. */
static int figure(char c)
{
	static const char letters[] = "GgqsTzbAD", digits[] = "699572640";
	const char *at;

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c && (at = strchr(letters, c)) != NULL)
		return digits[at - letters] - '0';
	return c == 'C' ? -1 : confusable(c);
}

/* A digit or an O: what most cents letters are ("SO", not "SS"). */
static int zero_or_digit(char c)
{
	return isdigit((unsigned char)c) || c == 'O' || c == 'o';
}

/* Two cents ending the word at s, each a digit or a letter OCR made of
 * one, one of them a digit or an O ("3.SO", "14,0O", "34,9B"): the
 * separator before them says they are figures. Their value, or -1. */
static int letter_cents(const char *s, const char *end)
{
	int a, b;

	if (end - s < 2 || (a = figure(s[0])) < 0 || (b = figure(s[1])) < 0 ||
	    !(zero_or_digit(s[0]) || zero_or_digit(s[1])) ||
	    !word_ends(s + 2, end))
		return -1;
	return a * 10 + b;
}

/*
 * How many characters at s make an amount's whole part with a letter OCR
 * made of a digit among them: up to four digits or such letters, a
 * separator and two cents ending the word ("S.49", "lOO.00", "Z4.95",
 * "l,OO"). digit_at wants a real digit next to each letter; here the
 * cents vouch for them. 0 when none.
 */
static int letter_whole(const char *s, const char *end)
{
	int r = 0, letters = 0;

	while (r < 4 && s + r < end && figure(s[r]) >= 0) {
		letters += !isdigit((unsigned char)s[r]);
		r++;
	}
	if (!letters || end - (s + r) < 3 || (s[r] != ',' && s[r] != '.') ||
	    letter_cents(s + r + 1, end) < 0)
		return 0;
	return r;
}

/* Reads up to max digits; returns how many (0 when none). */
static int read_digits(const char **p, const char *end, int max, int prev,
		       int64_t *val)
{
	const char *s = *p;
	int n = 0, d, lead = prev ? 0 : letter_whole(s, end);

	*val = 0;
	if (prev && max >= 2 && (d = letter_cents(s, end)) >= 0) {
		*val = d;
		*p = s + 2;
		return 2;
	}
	/* A worn 0 also reads as a C with bars, the euro sign: before a
	 * digit it leads a field ("08-€3-21"; "€3,16" keeps its value). */
	if (max > 1 && end - s >= 4 && memcmp(s, "\xe2\x82\xac", 3) == 0 &&
	    is_digit(s + 3, end)) {
		s += 3;
		n++;
	}
	while (n < max) {
		d = n < lead ? figure(*s) : digit_at(s, end, prev || n > 0);
		/* A rule or frame mark after the cents ("89,99|") is none. */
		if (prev && n == 2 && (*s == '|' || *s == ']') &&
		    word_ends(s + 1, end))
			break;
		if (d < 0)
			break;
		*val = *val * 10 + d;
		s++;
		n++;
	}
	*p = s;
	return n;
}

/* A minus sign: ASCII, or the en/em dash OCR often prints instead. */
static int read_minus(const char **p, const char *end)
{
	const char *s = *p;

	if (s < end && *s == '-') {
		*p = s + 1;
		return 1;
	}
	if (end - s >= 3 && (unsigned char)s[0] == 0xE2 &&
	    (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94)) {
		*p = s + 3;
		return 1;
	}
	return 0;
}

static const struct {
	const char *text;
	const char *iso;
} currency_prefixes[] = {
	{ "EUR", "EUR" }, { "\xE2\x82\xAC", "EUR" }, { "RM", "MYR" },
	{ "MYR", "MYR" }, { "S$", "SGD" },	     { "SGD", "SGD" },
	{ "$", "USD" },	  { "USD", "USD" },	     { "\xC2\xA3", "GBP" },
	{ "GBP", "GBP" }, { "CHF", "CHF" },
};

/* "S12.99", "S5l.46": a dollar sign read as S before a price with a
 * decimal point (a 5 read as S starts no price: S, B and Z are read as
 * digits only between two). */
static int s_dollar(const char *s, const char *end)
{
	const char *q = s + 1;

	if (*s != 'S' || !is_digit(q, end))
		return 0;
	while (q < end && (is_digit(q, end) || figure(*q) >= 0) && q - s <= 5)
		q++;
	return end - q >= 3 && *q == '.' &&
	       ((is_digit(q + 1, end) && is_digit(q + 2, end) &&
		 !is_digit(q + 3, end)) ||
		letter_cents(q + 1, end) >= 0);
}

static void read_currency(const char **p, const char *end, char iso[4])
{
	size_t i, n;

	for (i = 0;
	     i < sizeof(currency_prefixes) / sizeof(currency_prefixes[0]);
	     i++) {
		n = strlen(currency_prefixes[i].text);
		if ((size_t)(end - *p) >= n &&
		    memcmp(*p, currency_prefixes[i].text, n) == 0) {
			*p += n;
			memcpy(iso, currency_prefixes[i].iso, 4);
			lex_skip_spaces(p, end);
			return;
		}
	}
	/* A pound or euro sign worn to an E or an f ("E1.25", "-f1.00",
	 * "fl.25", "EO.55"), or a dollar sign read as S ("S12.99"):
	 * skipped, whose money it was left unsaid. */
	if (end - *p >= 2 &&
	    (((**p == 'E' || **p == 'f') && digit_at(*p + 1, end, 0) >= 0) ||
	     s_dollar(*p, end)))
		(*p)++;
}

/* After a group: a decimal or thousands separator, one stray space allowed
 * on each side, but only when a digit follows. */
static int read_separator(const char **p, const char *end, struct group *g)
{
	const char *s = *p;
	int spaced = 0;

	if (s < end && *s == ' ') {
		s++;
		spaced = 1;
	}
	if (end - s >= 3 && memcmp(s, LEX_LOW_QUOTE, 3) == 0) {
		/* "36 ‚20": OCR's low quotation mark is a comma. */
		g->sep = ',';
		s += 3;
	} else if (s < end && (*s == ',' || *s == '.' || *s == '\'')) {
		/* "1'19" for 1,19; Swiss thousands "1'234.50". */
		g->sep = *s++;
		/* "1,,99", "0.,19": OCR doubled the separator. */
		if (s < end && (*s == ',' || *s == '.') && is_digit(s + 1, end))
			s++;
	} else {
		return -1;
	}
	if (s < end && *s == ' ') {
		s++;
		spaced = 1;
	}
	if (digit_at(s, end, 1) < 0 && (spaced || letter_cents(s, end) < 0))
		return -1;
	g->spaced = spaced;
	*p = s;
	return 0;
}

static int read_groups(const char **p, const char *end, struct group *g,
		       size_t *ng)
{
	const char *s = *p;
	size_t n = 0;

	memset(&g[0], 0, sizeof(g[0]));
	for (;;) {
		g[n].ndig = read_digits(&s, end, LEX_AMOUNT_MAX_INT_DIGITS + 1,
					n > 0, &g[n].val);
		if (g[n].ndig == 0)
			return LEX_ERR_NOMATCH;
		if (g[n].ndig > LEX_AMOUNT_MAX_INT_DIGITS)
			return LEX_ERR_RANGE;
		n++;
		if (n == LEX_MAX_GROUPS) {
			/* A dangling ",12" after the last allowed group. */
			break;
		}
		memset(&g[n], 0, sizeof(g[n]));
		if (read_separator(&s, end, &g[n]) < 0)
			break;
	}
	*ng = n;
	*p = s;
	return 0;
}

/* Thousands groups have three digits and one shared separator that is not
 * the decimal one; only the decimal separator may have stray spaces. */
static int groups_to_cents(const struct group *g, size_t n, int64_t *cents)
{
	char dec, thou = 0;
	int64_t whole = g[0].val;
	int wdig = g[0].ndig;
	size_t i;

	if (n < 2 || g[n - 1].ndig != 2)
		return LEX_ERR_NOMATCH;
	dec = g[n - 1].sep;
	if (n > 2 && g[0].ndig > 3)
		return LEX_ERR_NOMATCH;
	for (i = 1; i + 1 < n; i++) {
		if (g[i].ndig != 3 || g[i].spaced || g[i].sep == dec)
			return LEX_ERR_NOMATCH;
		if (thou && g[i].sep != thou)
			return LEX_ERR_NOMATCH;
		thou = g[i].sep;
		whole = whole * 1000 + g[i].val;
		wdig += 3;
	}
	if (wdig > LEX_AMOUNT_MAX_INT_DIGITS)
		return LEX_ERR_RANGE;
	*cents = whole * 100 + g[n - 1].val;
	return 0;
}

/* Cents followed by another digit, or by ".5"/",5", are part of a longer
 * number (a date, a weight): not an amount. */
static int amount_ends_here(const char *s, const char *end)
{
	if (is_digit(s, end))
		return 0;
	if (s < end && (*s == ',' || *s == '.' || *s == ':') &&
	    is_digit(s + 1, end))
		return 0;
	return 1;
}

/* A currency lex does not know between a minus and its figure: "-R
 * 499.00", "-Rs. 45.00", "-KSh 120.00"; the sign is the amount's ("-Bar
 * 20,00" is a bullet before the cash word). */
static void skip_sign_word(const char **p, const char *end)
{
	static const char *const signs[] = { "R",   "Rs",  "KSh", "AED", "SAR",
					     "ZAR", "KES", "INR", "PHP", "THB",
					     "AUD", "CAD", "NZD", "HKD", NULL };
	const char *s = *p;
	size_t n;

	while (s < end && isalpha((unsigned char)*s) && s - *p < 3)
		s++;
	n = (size_t)(s - *p);
	for (size_t i = 0; signs[i]; i++)
		if (strlen(signs[i]) == n && !memcmp(*p, signs[i], n)) {
			if (s < end && *s == '.')
				s++;
			if (lex_skip_spaces(&s, end) && is_digit(s, end))
				*p = s;
			return;
		}
}

int lex_amount_info(const char **p, const char *end, struct lex_amount *out)
{
	const char *s = *p;
	struct group g[LEX_MAX_GROUPS];
	struct lex_amount a;
	size_t ng;
	int neg, rc;

	memset(&a, 0, sizeof(a));
	neg = read_minus(&s, end);
	read_currency(&s, end, a.currency);
	if (!neg)
		neg = read_minus(&s, end);
	else if (s == *p + 1)
		skip_sign_word(&s, end);
	rc = read_groups(&s, end, g, &ng);
	if (rc < 0)
		return rc;
	rc = groups_to_cents(g, ng, &a.cents);
	if (rc < 0)
		return rc;
	if (!amount_ends_here(s, end))
		return LEX_ERR_NOMATCH;
	/* "1.7OZ": cents that take a letter for a digit and run on into a
	 * word are a size, not a price. */
	if (s < end && isalpha((unsigned char)*s) &&
	    (!isdigit((unsigned char)s[-1]) || !isdigit((unsigned char)s[-2])))
		return LEX_ERR_NOMATCH;
	/* German tills print returns as "0,75-". */
	if (!neg && s < end && *s == '-' && !is_digit(s + 1, end)) {
		neg = 1;
		s++;
	}
	a.decimal_sep = g[ng - 1].sep;
	if (neg)
		a.cents = -a.cents;
	*out = a;
	*p = s;
	return 0;
}

int lex_amount(const char **p, const char *end, int64_t *cents)
{
	struct lex_amount a;
	int rc;

	rc = lex_amount_info(p, end, &a);
	if (rc == 0)
		*cents = a.cents;
	return rc;
}

/*
 * One character folded for comparison: ASCII lower case, German umlauts
 * and ß to their base letter. Other UTF-8 sequences fold to 0x80 so they
 * never equal a keyword letter. *len is the byte length consumed.
 */
static int fold(const char *s, const char *end, size_t *len)
{
	unsigned char c = (unsigned char)s[0], c2;

	*len = 1;
	if (c < 0x80)
		return tolower(c);
	if (c >= 0xC3 && c <= 0xC5 && end - s >= 2) {
		/* U+00C0..U+017F: the accented Latin letters of French,
		 * Italian, Spanish and Portuguese receipts ("TOTAL À PAYER",
		 * "août", "Espèces") and Central Europe's ("ZA PLAČILO",
		 * "DO ZAPŁATY", "FIZETENDŐ"), upper and lower case alike;
		 * ×, ÷, the ligatures and ĸ stay apart. */
		static const char base[] = "aaaaaaaceeeeiiii"
					   "dnooooo\x80ouuuuyts"
					   "aaaaaaaceeeeiiii"
					   "dnooooo\x80ouuuuyty"
					   "aaaaaaccccccccdd"
					   "ddeeeeeeeeeegggg"
					   "gggghhhhiiiiiiii"
					   "ii\x80\x80jjkk\x80lllllll"
					   "lllnnnnnnnnnoooo"
					   "oo\x80\x80rrrrrrssssss"
					   "ssttttttuuuuuuuu"
					   "uuuuwwyyyzzzzzzs";

		*len = 2;
		c2 = (unsigned char)s[1];
		if (c2 < 0x80 || c2 > 0xBF)
			return 0x80;
		return (unsigned char)base[(c - 0xC3) * 64 + c2 - 0x80];
	}
	while (s + *len < end && ((unsigned char)s[*len] & 0xC0) == 0x80)
		(*len)++;
	return 0x80;
}

/* Optional punctuation in a keyword: '-' also matches spaces or a dash
 * OCR turned into a UTF-8 dash, '.' matches a dot or nothing. */
static void skip_optional(const char **s, const char *end, char k)
{
	const char *t = *s;

	if (k == '.') {
		if (t < end && *t == '.')
			t++;
	} else if (!read_minus(&t, end)) {
		lex_skip_spaces(&t, end);
	}
	*s = t;
}

/* Whether figure f is what OCR often prints for keyword letter k. */
static int letter_figure(char k, char f)
{
	return (k == 'o' && f == '0') || ((k == 'l' || k == 'i') && f == '1') ||
	       (k == 's' && f == '5');
}

/* Where keyword k (the rest of kw) ends in the text at s, with at most
 * errs OCR slips: a letter misread, a letter or space added, a letter
 * lost; never the first letter, which anchors the match (but see
 * lex_keyword). The slips are tried in that order, so where misread
 * letters alone match, the match is theirs. NULL when it does not match. */
static const char *kw_match(const char *s, const char *end, const char *k,
			    const char *kw, int errs)
{
	const char *r;
	size_t len;

	for (; *k; k++) {
		if (*k == ' ') {
			lex_skip_spaces(&s, end);
			continue;
		}
		if (*k == '-' || *k == '.') {
			skip_optional(&s, end, *k);
			continue;
		}
		if (s < end && *s != ' ' && *s != '\t' &&
		    fold(s, end, &len) == *k) {
			s += len;
			continue;
		}
		if (k == kw)
			return NULL;
		/* "T0TAL", "CUST0MER C0PY": a figure OCR made of a letter
		 * inside the word costs no slip. */
		if (s < end && letter_figure(*k, *s)) {
			s++;
			continue;
		}
		if (errs == 0)
			return NULL;
		/* "rn" for m, OCR's commonest slip ("Surnme", "Gesarnt"). */
		if (*k == 'm' && end - s >= 2 && (*s == 'r' || *s == 'R') &&
		    (s[1] == 'n' || s[1] == 'N')) {
			r = kw_match(s + 2, end, k + 1, kw, errs - 1);
			if (r)
				return r;
		}
		if (s < end) {
			len = 1;
			if (*s != ' ' && *s != '\t') {
				fold(s, end, &len);
				r = kw_match(s + len, end, k + 1, kw, errs - 1);
				if (r)
					return r;
			}
			r = kw_match(s + len, end, k, kw, errs - 1);
			if (r)
				return r;
		}
		return kw_match(s, end, k + 1, kw, errs - 1);
	}
	return s;
}

/* A long keyword whose first letter alone is misread still matches
 * ("Cesamt", "tetrag" for Betrag): the rest, read exactly, anchors it. */
#define KW_FIRST_SLIP_LETTERS 6

int lex_keyword(const char **p, const char *end, const char *kw, unsigned flags)
{
	const char *s, *k;
	size_t letters = 0;
	int errs;

	for (k = kw; *k; k++)
		letters += isalpha((unsigned char)*k) != 0;
	errs = (flags & LEX_KW_EXACT) ? 0
	       : letters >= 10	      ? 2
	       : letters >= 5	      ? 1
				      : 0;
	s = kw_match(*p, end, kw, kw, errs);
	/* "5UMME": a figure for the first letter, where enough follow. */
	if (!s && errs && *p < end && letter_figure(*kw, **p))
		s = kw_match(*p + 1, end, kw + 1, kw, errs);
	if (!s && !(flags & LEX_KW_EXACT) && letters >= KW_FIRST_SLIP_LETTERS &&
	    *p < end && isalnum((unsigned char)**p)) {
		size_t len;

		fold(*p, end, &len);
		s = kw_match(*p + len, end, kw + 1, kw, 0);
	}
	if (!s || ((flags & LEX_KW_WORD) && s < end &&
		   (lex_is_letter((unsigned char)*s) || is_digit(s, end))))
		return LEX_ERR_NOMATCH;
	*p = s;
	return 0;
}

const char *lex_find_keyword(const char *s, const char *end, const char *kw,
			     unsigned flags, const char **after)
{
	const char *t, *start = s;

	for (; s < end; s++) {
		if (s > start && (lex_is_letter((unsigned char)s[-1]) ||
				  is_digit(s - 1, end)))
			continue;
		t = s;
		if (lex_keyword(&t, end, kw, flags) == 0) {
			*after = t;
			return s;
		}
	}
	return NULL;
}

struct month_name {
	const char *name; /* folded: lower case, umlauts as base letter */
	int month;
};

static const struct month_name month_names[] = {
	{ "jan", 1 },	   { "januar", 1 },    { "january", 1 },
	{ "janner", 1 },   { "feb", 2 },       { "februar", 2 },
	{ "february", 2 }, { "mar", 3 },       { "marz", 3 },
	{ "maerz", 3 },	   { "march", 3 },     { "apr", 4 },
	{ "april", 4 },	   { "mai", 5 },       { "may", 5 },
	{ "jun", 6 },	   { "juni", 6 },      { "june", 6 },
	{ "jul", 7 },	   { "juli", 7 },      { "july", 7 },
	{ "aug", 8 },	   { "august", 8 },    { "sep", 9 },
	{ "sept", 9 },	   { "september", 9 }, { "okt", 10 },
	{ "oct", 10 },	   { "oktober", 10 },  { "october", 10 },
	{ "nov", 11 },	   { "november", 11 }, { "dez", 12 },
	{ "dec", 12 },	   { "dezember", 12 }, { "december", 12 },
};

/* French, Italian, Spanish and Dutch names where they differ, read as
 * printed only: holiday receipts ("12 août 2026", "07 dic 2026"). Read
 * first, they are not repaired into another month ("lug" is July, not
 * August); left out of the repairs, they tie no faded German or English
 * name. */
static const struct month_name foreign_month_names[] = {
	{ "janv", 1 },	     { "janvier", 1 },	 { "gen", 1 },
	{ "gennaio", 1 },    { "ene", 1 },	 { "enero", 1 },
	{ "fevr", 2 },	     { "fevrier", 2 },	 { "febbraio", 2 },
	{ "febrero", 2 },    { "mars", 3 },	 { "marzo", 3 },
	{ "mrt", 3 },	     { "maart", 3 },	 { "avr", 4 },
	{ "avril", 4 },	     { "aprile", 4 },	 { "abr", 4 },
	{ "abril", 4 },	     { "mag", 5 },	 { "maggio", 5 },
	{ "mayo", 5 },	     { "mei", 5 },	 { "juin", 6 },
	{ "giu", 6 },	     { "giugno", 6 },	 { "junio", 6 },
	{ "juil", 7 },	     { "juillet", 7 },	 { "lug", 7 },
	{ "luglio", 7 },     { "julio", 7 },	 { "aout", 8 },
	{ "ago", 8 },	     { "agosto", 8 },	 { "augustus", 8 },
	{ "set", 9 },	     { "settembre", 9 }, { "septiembre", 9 },
	{ "ott", 10 },	     { "ottobre", 10 },	 { "octobre", 10 },
	{ "octubre", 10 },   { "novembre", 11 }, { "noviembre", 11 },
	{ "dic", 12 },	     { "dicembre", 12 }, { "decembre", 12 },
	{ "diciembre", 12 },
};

/* Letters OCR mistakes for one another in a faded month name, both
 * ways: "od" means o and d; a D worn down its left side reads as J. */
static const char *const confusable_letters[] = {
	"od", "oc", "ce", "ea", "il", "lt", "uv", "nh", "dj",
};

static int letters_confusable(char a, char b)
{
	size_t i;

	for (i = 0;
	     i < sizeof(confusable_letters) / sizeof(confusable_letters[0]);
	     i++)
		if ((confusable_letters[i][0] == a &&
		     confusable_letters[i][1] == b) ||
		    (confusable_letters[i][0] == b &&
		     confusable_letters[i][1] == a))
			return 1;
	return 0;
}

/* 0 for the same letter, 1 for letters OCR confuses, 2 for others. */
static int letter_cost(char a, char b)
{
	if (a == b)
		return 0;
	return letters_confusable(a, b) ? 1 : 2;
}

/* Whether word (n letters) is name with one letter added and at most one
 * other misread: "ninv" for nov. */
static int added_letter(const char *word, size_t n, const char *name)
{
	for (size_t skip = 0; skip < n; skip++) {
		int diffs = 0;

		for (size_t k = 0, j = 0; k < n; k++)
			if (k != skip)
				diffs += word[k] != name[j++];
		if (diffs <= 1)
			return 1;
	}
	return 0;
}

/* The month a word one misread letter away from a month name names
 * ("dct" for oct, "nnv" for nov), when exactly one month is that close,
 * or one of those that are keeps the word's first letter ("Fep" is feb,
 * not sep); or -1. Words under three letters are too short to tell. A
 * letter after the first may be misread as any other (a faded O is often
 * an N); the first only as one OCR confuses it with ("bar", cash, is no
 * "mar"), unless sure: where the word stands between a day and a year
 * ("18 Zun 2017") or before both ("rEB 19, 2023") it can only be the
 * month, its first letter may also be lost ("CT 8, 2018"), and a letter
 * may be added to one misread ("02 Ninv 2016"). */
static int near_month_name(const char *word, size_t n, int sure)
{
	const char *name;
	int found = -1, cost, diffs, keeps, found_keeps = 0, tied = 0;
	size_t i, k;

	if (n < 3 && !(sure && n == 2))
		return -1;
	for (i = 0; i < sizeof(month_names) / sizeof(month_names[0]); i++) {
		name = month_names[i].name;
		if (sure && strlen(name) == n + 1 &&
		    strcmp(word, name + 1) == 0)
			cost = diffs = 1;
		else if (sure && strlen(name) + 1 == n &&
			 added_letter(word, n, name))
			cost = diffs = 1;
		else if (strlen(name) != n)
			continue;
		else
			for (k = 0, cost = 0, diffs = 0; k < n; k++) {
				cost += letter_cost(word[k], name[k]);
				diffs += word[k] != name[k];
			}
		if (!(cost == 1 ||
		      (diffs == 1 && (sure || word[0] == name[0]))) ||
		    found == month_names[i].month)
			continue;
		keeps = word[0] == name[0];
		if (found >= 0 && keeps == found_keeps)
			tied = 1;
		if (found < 0 || keeps > found_keeps) {
			found = month_names[i].month;
			found_keeps = keeps;
			tied = 0;
		}
	}
	return tied ? -1 : found;
}

static int zero_for_o(const char *s, const char *end)
{
	return s + 1 < end && *s == '0' && lex_is_letter((unsigned char)s[1]);
}

static int day_and_year_follow(const char *s, const char *end);

/* Reads a whole word naming a month (and a following abbreviation dot);
 * returns 1..12, or -1 leaving *p alone. With LEX_DATE_REPAIR a word one
 * letter off a single month's name counts too (any letter of it where
 * sure: see near_month_name). */
static int read_month_name(const char **p, const char *end, unsigned flags,
			   int sure, int *mended)
{
	int month = -1;
	char word[12];
	const char *s = *p;
	size_t n = 0, len, i;

	/* "0CT": a zero for the O, before letters, where repairs are
	 * asked for. */
	if ((flags & LEX_DATE_REPAIR) && zero_for_o(s, end)) {
		word[n++] = 'o';
		s++;
		*mended = 1;
	}
	while (s < end && lex_is_letter((unsigned char)*s)) {
		if (n + 1 >= sizeof(word))
			return -1;
		word[n++] = (char)fold(s, end, &len);
		s += len;
		/* "N0v": a zero for an o between letters. */
		if ((flags & LEX_DATE_REPAIR) && end - s >= 2 && *s == '0' &&
		    lex_is_letter((unsigned char)s[1]) &&
		    n + 1 < sizeof(word)) {
			word[n++] = 'o';
			s++;
			*mended = 1;
		}
	}
	/* "FE2 3, 2019": a digit for the third letter, where a day and a
	 * year follow the word. */
	if ((flags & LEX_DATE_REPAIR) && n == 2 && s + 1 < end &&
	    isdigit((unsigned char)*s) && s[1] == ' ' &&
	    day_and_year_follow(s + 1, end)) {
		word[n++] = '?';
		s++;
		sure = 1;
	}
	word[n] = '\0';
	for (i = 0; i < sizeof(month_names) / sizeof(month_names[0]); i++)
		if (strcmp(word, month_names[i].name) == 0) {
			month = month_names[i].month;
			break;
		}
	for (i = 0; month < 0 && i < sizeof(foreign_month_names) /
						 sizeof(foreign_month_names[0]);
	     i++)
		if (strcmp(word, foreign_month_names[i].name) == 0)
			month = foreign_month_names[i].month;
	if (month < 0 && (flags & LEX_DATE_REPAIR)) {
		month = near_month_name(word, n, sure);
		*mended = 1;
	}
	if (month < 0)
		return -1;
	if (s < end && *s == '.')
		s++;
	*p = s;
	return month;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Writes v as exactly n digits; callers have range-checked v. */
static void put_digits(char *out, int64_t v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Thailand counts years from the Buddha's death, 543 before ours:
 * "15/08/2568" is 2025. Its years 2533 to 2599 only: "2619" is 2019
 * with a 0 misread. */
#define BUDDHIST_ERA 543
#define BUDDHIST_YEAR_MAX 2599

static int make_date(int64_t y, int64_t m, int64_t d, char out[11])
{
	if (y >= LEX_YEAR_MIN + BUDDHIST_ERA && y <= BUDDHIST_YEAR_MAX)
		y -= BUDDHIST_ERA;
	if (y < LEX_YEAR_MIN || y > LEX_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month((int)y, (int)m))
		return LEX_ERR_RANGE;
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = '\0';
	return 0;
}

static int is_date_sep(char c)
{
	return c == '.' || c == '/' || c == '-' || c == ',';
}

/* OCR reads a '.' as ',' now and then; other separators must agree. */
static int seps_agree(char a, char b)
{
	return a == b || ((a == '.' || a == ',') && (b == '.' || b == ','));
}

/* One separator, doubled or not, with one stray space allowed on
 * either side. */
static int read_date_sep(const char **p, const char *end, char *sep)
{
	const char *s = *p;

	if (s + 1 < end && *s == ' ' && is_date_sep(s[1]))
		s++;
	if (s >= end || !is_date_sep(*s))
		return -1;
	*sep = *s++;
	/* "2014-01--27": a speck beside it read as a second one. */
	if (s < end && *s == *sep)
		s++;
	if (s < end && *s == ' ')
		s++;
	*p = s;
	return 0;
}

/* OCR digit confusions, both ways: "08" means 0 and 8 are mistaken. */
static const char *const confusable_pairs[] = {
	"08", "06", "09", "38", "56", "58", "68", "89", "17", "14", "35", "23",
};

int lex_dotted_zero(int got, int printed)
{
	return printed == 0 && (got == 6 || got == 8 || got == 9);
}

int lex_dotted_zeros(int64_t got, int64_t printed)
{
	int diff = 0;

	if (got <= 0 || printed <= 0)
		return 0;
	for (; got > 0 || printed > 0; got /= 10, printed /= 10) {
		if (got == 0 || printed == 0)
			return 0; /* not as many digits */
		if (got % 10 == printed % 10)
			continue;
		if (!lex_dotted_zero((int)(got % 10), (int)(printed % 10)))
			return 0;
		diff++;
	}
	return diff > 0;
}

int lex_digits_confusable(int a, int b)
{
	size_t i;

	for (i = 0; i < sizeof(confusable_pairs) / sizeof(confusable_pairs[0]);
	     i++)
		if ((confusable_pairs[i][0] - '0' == a &&
		     confusable_pairs[i][1] - '0' == b) ||
		    (confusable_pairs[i][0] - '0' == b &&
		     confusable_pairs[i][1] - '0' == a))
			return 1;
	return 0;
}

/* Amounts print at least three digits ("0,20"): a misread leading zero
 * ("8,20") is a digit like any other. */
#define AMOUNT_MIN_DIGITS 3

int lex_one_digit_inserted(int64_t read, int64_t want)
{
	int64_t mul, v;

	if (read < 0 && want < 0)
		return lex_one_digit_inserted(-read, -want);
	if (read <= 0 || want <= 0)
		return 0;
	for (mul = 1; mul <= read; mul *= 10) {
		v = read / (mul * 10) * mul + read % mul;
		if (v == want)
			return 1;
	}
	return 0;
}

int lex_one_digit_misread(int64_t a, int64_t b)
{
	int diffs = 0, da, db, pos;

	if (a < 0 || b < 0)
		return a < 0 && b < 0 && lex_one_digit_misread(-a, -b);
	for (pos = 1; a > 0 || b > 0 || pos <= AMOUNT_MIN_DIGITS; pos++) {
		da = (int)(a % 10);
		db = (int)(b % 10);
		if (da != db) {
			if (++diffs > 1 || !lex_digits_confusable(da, db))
				return 0;
		}
		a /= 10;
		b /= 10;
		if (pos >= AMOUNT_MIN_DIGITS && (a == 0) != (b == 0))
			return 0;
	}
	return diffs == 1;
}

/* "2920" for 2020, "99" for month 09: the one value in lo..hi that a
 * single confusable digit away reaches, or -1 when there is none. Where
 * several are, the one that puts a 0 right wins alone: receipt fonts dot
 * or slash their zeros, which read as 8, 6 or 9 far more often than any
 * other digit is misread ("2020-07-36" is the 30th, "81" the 1st). */
static int64_t repair_in(int64_t v, int64_t lo, int64_t hi)
{
	int64_t found = -1, zero = -1, mul, r;
	int digit, alt, n = 0, zeros = 0;

	for (mul = 1; mul <= 1000; mul *= 10) {
		digit = (int)(v / mul % 10);
		for (alt = 0; alt <= 9; alt++) {
			if (!lex_digits_confusable(digit, alt))
				continue;
			r = v + (alt - digit) * mul;
			if (r < lo || r > hi)
				continue;
			found = r;
			n++;
			if (alt == 0) {
				zero = r;
				zeros++;
			}
		}
	}
	if (n == 1)
		return found;
	return zeros == 1 ? zero : -1;
}

/* A dotted zero read as "09" or "90" ("20922" for 2022): the one year
 * that dropping such a 9 from five digits leaves, or -1. */
static int64_t dotted_zero_year(int64_t v)
{
	char d[8];
	int64_t y, found = -1;
	int i, j;

	if (v < 10000 || v > 99999)
		return -1;
	snprintf(d, sizeof(d), "%lld", (long long)v);
	for (i = 0; i < 4; i++) {
		if (!((d[i] == '0' && d[i + 1] == '9') ||
		      (d[i] == '9' && d[i + 1] == '0')))
			continue;
		for (y = 0, j = 0; j < 5; j++)
			if (j != (d[i] == '9' ? i : i + 1))
				y = y * 10 + (d[j] - '0');
		if (y < LEX_YEAR_MIN || y > LEX_YEAR_MAX)
			continue;
		if (found >= 0 && found != y)
			return -1;
		found = y;
	}
	return found;
}

/* The digit count of a year field, with a five-digit one mended to its
 * dotted-zero reading in *v where repairs are asked for and one fits. */
static int mend_year_digits(int n, int64_t *v, unsigned flags)
{
	int64_t y;

	if (n != 5 || !(flags & LEX_DATE_REPAIR) ||
	    (y = dotted_zero_year(*v)) < 0)
		return n;
	*v = y;
	return 4;
}

/* A date out of range with a misread year ("2920"), month ("14.99.17"),
 * day ("87 Sep 2023", a dotted zero read as 8) or several ("2917-23-07"
 * on faded print): each field out of its range is repaired where one
 * value fits it, or one of several puts a zero right (repair_in). */
static int repair_date(int64_t y, int64_t m, int64_t d, int year_digits,
		       char out[11])
{
	int64_t rm;

	if (year_digits == 4 && (y < LEX_YEAR_MIN || y > LEX_YEAR_MAX)) {
		int64_t r = repair_in(y, LEX_YEAR_MIN, LEX_YEAR_MAX);

		/* "2317": of a year 2100..2999 only the century digit can
		 * be wrong by one digit, whatever it was misread from. */
		y = r < 0 && y > LEX_YEAR_MAX && y < 3000 ? 2000 + y % 100 : r;
	}
	if (m < 1 || m > 12) {
		/* A month's tens digit can only have been 0 where its
		 * units digit is over 2 ("2917-23-07", "17-25-14"),
		 * confusable or not. Only where no date reads as printed
		 * (LEX_DATE_REPAIR): first in ISO dates, then day first too
		 * (two dates won on 521 photos, none lost). */
		rm = repair_in(m, 1, 12);
		if (rm < 0 && m > 12 && m < 100 && m % 10 > 2)
			rm = m % 10;
		m = rm;
	}
	if (d < 1 || d > 31)
		d = repair_in(d, 1, 31);
	return make_date(y, m, d, out);
}

/* Whether s is a space and a four-digit year that ends a word. */
static int year_after_space(const char *s, const char *end)
{
	if (end - s < 5 || *s != ' ')
		return 0;
	for (int k = 1; k <= 4; k++)
		if (!isdigit((unsigned char)s[k]))
			return 0;
	return end - s == 5 || !isdigit((unsigned char)s[5]);
}

/* 04.12.2014, 04/12/14, 2014-12-04: day first unless the year leads. */
static int numeric_date(const char **p, const char *end, char out[11],
			unsigned flags)
{
	const char *s = *p;
	int64_t a, b, c, y, d;
	int na, nb, nc, rc;
	char s1, s2;

	na = read_digits(&s, end, 5, 0, &a);
	/* "Datum.212.04.2018": the label's colon read as a digit and
	 * glued to the day. */
	if (na == 3 && (flags & LEX_DATE_REPAIR)) {
		a %= 100;
		na = 2;
	}
	if (na < 1 || na == 3 || na > 4)
		return LEX_ERR_NOMATCH;
	/* "20 05.2020": the first separator lost, kept apart by a space. */
	if (na == 2 && s + 1 < end && *s == ' ' && is_digit(s + 1, end)) {
		s1 = ' ';
		s++;
	} else if (read_date_sep(&s, end, &s1) < 0) {
		return LEX_ERR_NOMATCH;
	}
	nb = read_digits(&s, end, 3, 1, &b);
	if (nb >= 1 && nb <= 2 && s1 != ' ' && year_after_space(s, end)) {
		s2 = s1; /* "04.12 2026": the second separator lost */
		s++;
	} else if (nb < 1 || nb > 2 || read_date_sep(&s, end, &s2) < 0 ||
		   (s1 != ' ' && !seps_agree(s1, s2))) {
		return LEX_ERR_NOMATCH;
	}
	nc = read_digits(&s, end, 5, 1, &c);
	/* "27.11.202609:51": the time run on to the year. */
	if (nc == 5 && end - s >= 2 && is_digit(s, end) && s[1] == ':') {
		c /= 10;
		nc = 4;
		s--;
	}
	nc = mend_year_digits(nc, &c, flags);
	if (s1 == ' ' && (nc != 4 || nb != 2))
		return LEX_ERR_NOMATCH;
	/* "06. 06.04.2020": the "year" 06 is the day of the next date. */
	if (nc == 2 && s + 1 < end && is_date_sep(*s) && is_digit(s + 1, end))
		return LEX_ERR_NOMATCH;
	if (na == 4) {
		if (nc < 1 || nc > 2)
			return LEX_ERR_NOMATCH;
		y = a;
		d = c;
	} else {
		if (na > 2 || (nc != 2 && nc != 4))
			return LEX_ERR_NOMATCH;
		y = nc == 2 ? 2000 + c : c;
		d = a;
		/* American slashed or dashed dates put the month first:
		 * always where the second field cannot be a month
		 * ("11/28/26", "11-21-2026"), and on request where both
		 * orders are dates. */
		if ((s1 == '/' || s1 == '-') && a >= 1 && a <= 12 && b >= 1 &&
		    b <= 31 && (b > 12 || (flags & LEX_DATE_MONTH_FIRST))) {
			d = b;
			b = a;
		}
	}
	rc = make_date(y, b, d, out);
	if (rc == LEX_ERR_RANGE && (flags & LEX_DATE_REPAIR))
		rc = repair_date(y, b, d, na == 4 ? na : nc, out);
	if (rc == 0)
		*p = s;
	return rc;
}

static void skip_date_punct(const char **p, const char *end)
{
	const char *s = *p;

	/* "16 Mar'18": an apostrophe for the century. */
	while (s < end && s - *p < 3 &&
	       (*s == '.' || *s == ',' || *s == '-' || *s == ' ' || *s == '\''))
		s++;
	*p = s;
}

/* The English ordinal after a day: "3rd Dec 2026", "Dec 1st, 2026". */
static void skip_ordinal(const char **p, const char *end)
{
	static const char *const suffixes[] = { "st", "nd", "rd", "th" };
	const char *s = *p;

	if (end - s < 2 || (end - s > 2 && isalpha((unsigned char)s[2])))
		return;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (tolower((unsigned char)s[0]) == suffixes[i][0] &&
		    tolower((unsigned char)s[1]) == suffixes[i][1]) {
			*p = s + 2;
			return;
		}
}

static int four_digits_follow(const char *s, const char *end)
{
	int64_t v;

	skip_date_punct(&s, end);
	return read_digits(&s, end, 5, 0, &v) == 4;
}

/* Whether the word at s is followed by a day and, after a space, a
 * four-digit year, as a month name that leads a date is ("FEB 19, 2023";
 * "Bar 20,2019" is cash). */
static int day_and_year_follow(const char *s, const char *end)
{
	int64_t v;
	int n;

	while (s < end && lex_is_letter((unsigned char)*s))
		s++;
	if (s < end && *s == '.')
		s++;
	skip_date_punct(&s, end);
	n = read_digits(&s, end, 3, 0, &v);
	if (n < 1 || n > 2)
		return 0;
	skip_ordinal(&s, end);
	if (s < end && *s == ',')
		s++;
	return s < end && *s == ' ' && four_digits_follow(s, end);
}

/* "3. Oktober 2016", "03-Oct-2016", "OCT 3, 2016", "3rd Dec 2026". */
static int text_date(const char **p, const char *end, char out[11],
		     unsigned flags)
{
	const char *s = *p;
	int64_t d, y;
	int nd, ny, m, rc, mended = 0;

	/* "O5 Dec 2O25": a day's 0 read as O leads no month name. */
	if ((lex_is_letter((unsigned char)*s) && digit_at(s, end, 0) < 0) ||
	    ((flags & LEX_DATE_REPAIR) && zero_for_o(s, end))) {
		m = read_month_name(&s, end, flags, day_and_year_follow(s, end),
				    &mended);
		skip_date_punct(&s, end);
		nd = read_digits(&s, end, 3, 0, &d);
		skip_ordinal(&s, end);
		skip_date_punct(&s, end);
	} else {
		nd = read_digits(&s, end, 3, 0, &d);
		skip_ordinal(&s, end);
		skip_date_punct(&s, end);
		m = read_month_name(&s, end, flags, 1, &mended);
		skip_date_punct(&s, end);
		/* "417 Feb 2022": a stray mark read as a digit before the
		 * day; the month name must then be right. */
		if (nd == 3 && (flags & LEX_DATE_REPAIR) && !mended) {
			d %= 100;
			nd = 2;
			mended = 1;
		}
	}
	if (m < 0 || nd < 1 || nd > 2)
		return LEX_ERR_NOMATCH;
	ny = read_digits(&s, end, 5, 0, &y);
	ny = mend_year_digits(ny, &y, flags);
	/* "4 NOV 20, 2017": a stray figure before "NOV 20, 2017", whose
	 * day is no two-digit year. */
	if (ny == 2 && four_digits_follow(s, end))
		return LEX_ERR_NOMATCH;
	/* A mended month name needs a four-digit year to be a date. */
	if ((ny != 2 && ny != 4) || (mended && ny != 4))
		return LEX_ERR_NOMATCH;
	rc = make_date(ny == 2 ? 2000 + y : y, m, d, out);
	if (rc == LEX_ERR_RANGE && ny == 4 && (flags & LEX_DATE_REPAIR))
		rc = repair_date(y, m, d, ny, out);
	if (rc == 0)
		*p = s;
	return rc;
}

/* A slash OCR read as a digit: "10103/2018" or "10/0312018" for
 * 10/03/2018. Exactly two-digit day and month and a four-digit year. */
static int slash_as_digit_date(const char **p, const char *end, char out[11])
{
	const char *s = *p;
	int64_t d, m, y;
	int slash_first, rc;

	if (read_digits(&s, end, 2, 0, &d) != 2 || s >= end)
		return LEX_ERR_NOMATCH;
	slash_first = *s == '/';
	if (!slash_first && *s != '1' && *s != '7')
		return LEX_ERR_NOMATCH;
	s++;
	if (read_digits(&s, end, 2, 1, &m) != 2 || s >= end)
		return LEX_ERR_NOMATCH;
	if (slash_first ? *s != '1' && *s != '7' : *s != '/')
		return LEX_ERR_NOMATCH;
	s++;
	if (read_digits(&s, end, 5, 1, &y) != 4)
		return LEX_ERR_NOMATCH;
	rc = make_date(y, m, d, out);
	if (rc == 0)
		*p = s;
	return rc;
}

/* Nine digits where one '/' of DD/MM/YYYY was read as 1 or 7 and the
 * other lost ("217092017" for 21/09/2017): the day-first date left by
 * dropping that digit after the day or after the month, when exactly one
 * of the two is a date. */
static int slash_dropped_date(int64_t v, char out[11])
{
	int64_t d = v / 10000000, rest = v % 10000000; /* DD s MMYYYY */
	int64_t ddmm = v / 100000, y = v % 10000;      /* DDMM s YYYY */
	char a[11], b[11];
	int ra = -1, rb = -1;

	if (rest / 1000000 == 1 || rest / 1000000 == 7)
		ra = make_date(rest % 10000, rest / 10000 % 100, d, a);
	if (v / 10000 % 10 == 1 || v / 10000 % 10 == 7)
		rb = make_date(y, ddmm % 100, ddmm / 100, b);
	if ((ra == 0) == (rb == 0))
		return LEX_ERR_NOMATCH;
	memcpy(out, ra == 0 ? a : b, 11);
	return 0;
}

/* "/191204" or "/1912" after a run-together date: the time run together
 * too, as till systems print "20180428/191204". */
static int compact_time_follows(const char *s, const char *end)
{
	int64_t v;
	int n;

	if (s >= end || *s++ != '/')
		return 0;
	n = read_digits(&s, end, 7, 0, &v);
	if (n == 6) {
		if (v % 100 > 59)
			return 0;
		v /= 100;
	} else if (n != 4) {
		return 0;
	}
	return v / 100 <= 23 && v % 100 <= 59;
}

/* What ends n run-together date digits at t: a time after a space, or
 * (eight digits only) run together after a slash or, on a date line,
 * nothing more. */
static int compact_date_ends(const char *t, const char *end, int n,
			     unsigned flags)
{
	char hm[6];

	if (n == LEX_COMPACT_DATE_DIGITS &&
	    (compact_time_follows(t, end) ||
	     ((flags & LEX_DATE_LABELLED) &&
	      (t == end || !isalnum((unsigned char)*t)))))
		return 1;
	return lex_skip_spaces(&t, end) > 0 && lex_time(&t, end, hm) == 0;
}

/* "21092017 10:20" or "20170921 10:20": eight digits, then a time (or
 * "20170921/1020"; on a date line, nothing); or nine with a separator
 * read as a digit (see slash_dropped_date). */
static int compact_date(const char **p, const char *end, char out[11],
			unsigned flags)
{
	const char *s = *p;
	int64_t v;
	int n, rc;

	n = read_digits(&s, end, LEX_COMPACT_DATE_DIGITS + 2, 0, &v);
	if ((n != LEX_COMPACT_DATE_DIGITS &&
	     n != LEX_COMPACT_DATE_DIGITS + 1) ||
	    s - *p != n || !compact_date_ends(s, end, n, flags))
		return LEX_ERR_NOMATCH;
	if (n == LEX_COMPACT_DATE_DIGITS + 1) {
		rc = slash_dropped_date(v, out);
	} else {
		rc = make_date(v / 10000, v / 100 % 100, v % 100, out);
		if (rc != 0)
			rc = make_date(v % 10000, v / 10000 % 100, v / 1000000,
				       out);
	}
	if (rc == 0)
		*p = s;
	return rc;
}

int lex_date(const char **p, const char *end, char out[11])
{
	return lex_date_flags(p, end, out, 0);
}

int lex_date_flags(const char **p, const char *end, char out[11],
		   unsigned flags)
{
	int rc;

	if (*p >= end)
		return LEX_ERR_NOMATCH;
	rc = numeric_date(p, end, out, flags);
	if (rc == LEX_ERR_NOMATCH)
		rc = text_date(p, end, out, flags);
	if (rc == LEX_ERR_NOMATCH)
		rc = slash_as_digit_date(p, end, out);
	if (rc == LEX_ERR_NOMATCH)
		rc = compact_date(p, end, out, flags);
	return rc;
}

/* Returns 0 for none, 1 for AM, 2 for PM ("pm", "P.M." alike). */
static int read_ampm(const char **p, const char *end)
{
	const char *s = *p;
	int which;

	lex_skip_spaces(&s, end);
	if (s >= end)
		return 0;
	if (*s == 'a' || *s == 'A')
		which = 1;
	else if (*s == 'p' || *s == 'P')
		which = 2;
	else
		return 0;
	s++;
	if (s < end && *s == '.')
		s++;
	if (s >= end || (*s != 'm' && *s != 'M'))
		return 0;
	s++;
	if (s < end && *s == '.')
		s++;
	if (s < end && lex_is_letter((unsigned char)*s))
		return 0;
	*p = s;
	return which;
}

/* Whether "Uhr" (German for o'clock) is the next word. */
static int uhr_follows(const char *s, const char *end)
{
	lex_skip_spaces(&s, end);
	return end - s >= 3 && (s[0] == 'U' || s[0] == 'u') && s[1] == 'h' &&
	       s[2] == 'r' &&
	       (end - s == 3 || !lex_is_letter((unsigned char)s[3]));
}

int lex_time(const char **p, const char *end, char out[6])
{
	const char *s = *p, *t;
	int64_t h, m, sec;
	int nh, ampm;
	char sep;

	nh = read_digits(&s, end, 3, 0, &h);
	if (nh < 1 || nh > 2 || s >= end)
		return LEX_ERR_NOMATCH;
	/* A colon's lower dot worn to a comma's tail reads ';': "15;37". */
	sep = *s++;
	if ((sep != ':' && sep != '.' && sep != 'h' &&
	     !(sep == ';' && nh == 2)) ||
	    read_digits(&s, end, 3, 1, &m) != 2)
		return LEX_ERR_NOMATCH;
	/* "18.22" is an amount unless "Uhr" or "pm" says otherwise;
	 * "18h22" is a time where no letter runs on. */
	t = s;
	if (sep == '.' && !uhr_follows(s, end) && !read_ampm(&t, end))
		return LEX_ERR_NOMATCH;
	if (sep == 'h' && s < end && lex_is_letter((unsigned char)*s))
		return LEX_ERR_NOMATCH;
	t = s;
	if (t < end && *t == ':') {
		t++;
		if (read_digits(&t, end, 3, 1, &sec) == 2) {
			if (sec > 59)
				return LEX_ERR_RANGE;
			s = t;
		}
	}
	if (is_digit(s, end))
		return LEX_ERR_NOMATCH;
	ampm = read_ampm(&s, end);
	if (m > 59 || h > 23 || (ampm && (h < 1 || h > 12)))
		return LEX_ERR_RANGE;
	if (ampm)
		h = h % 12 + (ampm == 2 ? 12 : 0);
	put_digits(out, h, 2);
	out[2] = ':';
	put_digits(out + 3, m, 2);
	out[5] = '\0';
	*p = s;
	return 0;
}

int lex_rate(const char *s, const char *end, int max_bp, int *bp,
	     const char **rs, const char **re)
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
		if (q < end && *q == '%' && (whole > 0 || frac > 0) &&
		    whole * 100 + frac <= max_bp) {
			*bp = whole * 100 + frac;
			*rs = p;
			*re = q + 1;
			return 0;
		}
	}
	return -1;
}

const char *lex_zero_rate(const char *s, const char *end)
{
	const char *p, *q;

	for (p = s; p < end; p++) {
		if (*p != '0' || (p > s && (isdigit((unsigned char)p[-1]) ||
					    p[-1] == ',' || p[-1] == '.')))
			continue;
		for (q = p; q < end && (*q == '0' || *q == ',' || *q == '.');
		     q++)
			;
		while (q < end && *q == ' ')
			q++;
		if (q < end && *q == '%')
			return q + 1;
	}
	return NULL;
}

size_t lex_join_spaced(char *out, size_t n)
{
	size_t i = 0, k = 0, run;

	while (i < n) {
		/* Single letters from i: "e d e k a" has five. */
		for (run = 0;
		     i + 2 * run < n &&
		     isalpha((unsigned char)out[i + 2 * run]) &&
		     (i + 2 * run + 1 == n || out[i + 2 * run + 1] == ' ') &&
		     (i + 2 * run == 0 || out[i + 2 * run - 1] == ' ');
		     run++)
			;
		if (run >= 3) {
			for (size_t j = 0; j < run; j++)
				out[k++] = out[i + 2 * j];
			i += 2 * run - 1; /* onto the space after, if any */
			continue;
		}
		out[k++] = out[i++];
	}
	out[k] = '\0';
	return k;
}
