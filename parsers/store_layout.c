/*
 * store_layout.c: recognising a chain from its table, and the store parsers'
 * common parse. Recognition is fuzzy because OCR is: a store name is
 * found with a small edit distance ("REVVE" is REWE), a VAT id with O/0
 * forgiven, and markers (web site, slogan) add evidence, so a receipt
 * whose header was torn off can still be recognised by its footer.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generic.h"
#include "lex.h"
#include "store_layout.h"
#include "banned.h"

/* Names count fully in the header; lower in the footer ("Vielen Dank
 * fuer Ihren Einkauf bei ..."). */
#define STORE_HEADER_LINES 10
#define STORE_FOOTER_FACTOR 2 /* footer score = header score / this */
/* Below a name printed in the header (80): the name on the paper beats
 * a group's shared tax number. */
#define STORE_TAX_ID_SCORE 75
#define STORE_MARKER_SCORE 20
#define STORE_MATCH_MIN 30
#define STORE_PENALTY_PER_EDIT 12
/* Longest name or line folded for matching. */
#define STORE_FOLD_MAX 128

size_t store_fold(const char *s, const char *end, char *out, size_t size)
{
	size_t n = 0;
	unsigned char c;
	char f;

	if (size == 0)
		return 0;
	for (; s < end && n + 1 < size; s++) {
		c = (unsigned char)*s;
		f = 0;
		if ((c == '0' || c == '1') && n > 0 &&
		    isalpha((unsigned char)out[n - 1]) &&
		    (s + 1 == end || !isdigit((unsigned char)s[1]))) {
			/* A letter's digit inside a word: "NETT0", "L1DL". */
			f = c == '0' ? 'o' : 'i';
		} else if (isalnum(c)) {
			f = (char)tolower(c);
		} else if (c == 0xC3 && s + 1 < end) {
			/* Latin-1 letters: umlauts to their base, ß to s. */
			c = (unsigned char)*++s;
			f = c == 0x9F		 ? 's'
			    : (c | 0x20) == 0xA4 ? 'a'
			    : (c | 0x20) == 0xB6 ? 'o'
			    : (c | 0x20) == 0xBC ? 'u'
						 : 'e';
		}
		/* OCR's "VV" for W and "rn" for m, folded alike on both
		 * sides: "REVVE" is REWE with no edit. */
		if (n > 0 && ((f == 'v' && out[n - 1] == 'v') ||
			      (f == 'n' && out[n - 1] == 'r')))
			out[n - 1] = f == 'v' ? 'w' : 'm';
		else if (f)
			out[n++] = f;
		else if (n > 0 && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return lex_join_spaced(out, n);
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

int store_fuzzy_find(const char *text, size_t tlen, const char *pat,
		     size_t plen, int max)
{
	int row[STORE_FOLD_MAX + 1], prev[STORE_FOLD_MAX + 1];
	int best = max + 1, low, d;
	size_t s, j, k, maxj;

	if (plen == 0 || plen > STORE_FOLD_MAX || max < 0)
		return best;
	for (s = 0; s < tlen && best > 0; s++) {
		if (s > 0 && text[s - 1] != ' ')
			continue; /* word starts only */
		maxj = tlen - s < plen + 3 ? tlen - s : plen + 3;
		for (k = 0; k <= plen; k++)
			prev[k] = (int)k;
		/* Column j: text[s .. s+j) against every prefix of pat. */
		for (j = 1; j <= maxj; j++) {
			row[0] = low = (int)j;
			for (k = 1; k <= plen; k++) {
				d = text[s + j - 1] == pat[k - 1] ? 0 : 1;
				row[k] = min3(prev[k] + 1, row[k - 1] + 1,
					      prev[k - 1] + d);
				if (row[k] < low)
					low = row[k];
			}
			if ((s + j == tlen || text[s + j] == ' ') &&
			    row[plen] < best)
				best = row[plen];
			/* A column's least cost never falls again: once it
			 * is past what the caller accepts, this start is
			 * done. Most starts end here after a letter. */
			if (low >= best)
				break;
			memcpy(prev, row, sizeof(int) * (plen + 1));
		}
	}
	return best;
}

/* Edits a name may need: none for short or common words; two only in a
 * long name whose first word, which tells the chain, has eight letters
 * or more ("TEDi GmbH & Co. KG" is two edits from "ALDI GmbH & Co. KG",
 * both in the first word). */
static int allowed_edits(const struct store_name *nm, size_t len)
{
	int cap = (int)(strcspn(nm->text, " ") / 4);

	if (nm->flags & STORE_EXACT || len <= 3)
		return 0;
	if (len < 10 || cap <= 1)
		return 1;
	return 2;
}

static int name_score(const struct store_name *nm, const char *folded,
		      size_t flen)
{
	char pat[STORE_FOLD_MAX];
	size_t plen = store_fold(nm->text, nm->text + strlen(nm->text), pat,
				 sizeof(pat));
	int d, allowed = allowed_edits(nm, plen);

	if (nm->flags & STORE_LINE) {
		if (flen > plen + (size_t)allowed + 2)
			return 0;
	}
	d = store_fuzzy_find(folded, flen, pat, plen, allowed);
	if (d > allowed)
		return 0;
	return nm->score - d * STORE_PENALTY_PER_EDIT;
}

/* Digits and letters only, O read for 0 forgiven: "DE 812/706 O34". */
static size_t id_digits(const char *s, const char *end, char *out, size_t size)
{
	size_t n = 0;

	for (; s < end && n + 1 < size; s++) {
		if (isdigit((unsigned char)*s))
			out[n++] = *s;
		else if (*s == 'O' || *s == 'o')
			out[n++] = '0';
		else if (isalpha((unsigned char)*s))
			out[n++] = (char)toupper((unsigned char)*s);
	}
	out[n] = '\0';
	return n;
}

static int has_tax_id(const struct store_layout *l, const char *line,
		      const char *end)
{
	char text[PARSER_MAX_LINE_LEN + 1], id[64];
	size_t i;

	if (!l->tax_ids)
		return 0;
	id_digits(line, end, text, sizeof(text));
	for (i = 0; l->tax_ids[i]; i++) {
		const char *t = l->tax_ids[i];

		id_digits(t, t + strlen(t), id, sizeof(id));
		if (id[0] && strstr(text, id))
			return 1;
	}
	return 0;
}

/* Words that name a person on the line ("Kunde: Müller", "Inh. Penny
 * Schröder", "Gast: Frau Norma Keller"): a chain's name there is
 * someone's. */
static const char *const person_words[] = {
	"kunde",    "kundin", "gast",	  "inh",       "inhaber", "inhaberin",
	"herr",	    "frau",   "bediener", "bedienung", "kellner", "kassierer",
	"customer", "guest",  "server",	  "cashier",   "owner",	  NULL,
};

static int names_person(const struct parser_line *ln)
{
	const char *after;

	for (size_t k = 0; person_words[k]; k++)
		if (lex_find_keyword(ln->text, ln->text + ln->len,
				     person_words[k], LEX_KW_WORD, &after))
			return 1;
	return 0;
}

int store_match(const struct store_layout *l, const struct parser_doc *doc)
{
	char folded[PARSER_MAX_LINE_LEN + 1], pat[STORE_FOLD_MAX];
	int best = 0, markers = 0, tax = 0, s, edits;
	const struct parser_line *ln;
	size_t i, k, flen, plen;
	/* Each marker counts once: a PAYBACK block prints its word on
	 * every line. */
	unsigned long seen = 0;

	for (i = 0; i < doc->nlines; i++) {
		ln = &doc->lines[i];
		if (!tax && has_tax_id(l, ln->text, ln->text + ln->len))
			tax = STORE_TAX_ID_SCORE;
		/* Receipt lines are under 60 characters: the fuzzy search
		 * looks at no more, which bounds its cost on junk input. */
		flen = store_fold(ln->text,
				  ln->text + (ln->len < STORE_FUZZY_SPAN
						      ? ln->len
						      : STORE_FUZZY_SPAN),
				  folded, sizeof(folded));
		if (flen == 0)
			continue;
		for (k = 0; l->names[k].text; k++) {
			if (i >= STORE_HEADER_LINES &&
			    l->names[k].flags & STORE_HEADER)
				continue;
			s = name_score(&l->names[k], folded, flen);
			if (i >= STORE_HEADER_LINES)
				s /= STORE_FOOTER_FACTOR;
			if (s > best && !names_person(ln))
				best = s;
		}
		for (k = 0; l->markers && l->markers[k] && k < 8 * sizeof(seen);
		     k++) {
			if (seen & 1ul << k)
				continue;
			plen = store_fold(l->markers[k],
					  l->markers[k] + strlen(l->markers[k]),
					  pat, sizeof(pat));
			edits = plen >= 8 ? 1 : 0;
			if (store_fuzzy_find(folded, flen, pat, plen, edits) <=
			    edits) {
				markers += STORE_MARKER_SCORE;
				seen |= 1ul << k;
			}
		}
	}
	s = (best > tax ? best : tax) + markers;
	if (s < STORE_MATCH_MIN)
		return 0;
	return s > 100 ? 100 : s;
}

static int has_word(const char *name, const char *const *words)
{
	const char *after;
	size_t i;

	for (i = 0; words && words[i]; i++)
		if (lex_find_keyword(name, name + strlen(name), words[i], 0,
				     &after))
			return 1;
	return 0;
}

/* The chain's own words for deposits, returns and discounts; the sign
 * follows the kind (a return or discount is never a charge). */
static void apply_kinds(const struct store_layout *l, struct receipt *r)
{
	struct receipt_item *it;
	int64_t a;
	size_t i;

	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		a = it->amount < 0 ? -it->amount : it->amount;
		if (has_word(it->name, l->return_words)) {
			it->kind = RECEIPT_DEPOSIT_RETURN;
			it->amount = -a;
		} else if (has_word(it->name, l->discount_words)) {
			it->kind = RECEIPT_DISCOUNT;
			it->amount = -a;
		} else if (has_word(it->name, l->deposit_words) &&
			   it->amount > 0) {
			it->kind = RECEIPT_DEPOSIT;
		}
	}
}

/* "4011234 Bananen" -> "Bananen": article numbers say nothing to users. */
static void drop_article_numbers(struct receipt *r)
{
	struct receipt_item *it;
	size_t i, n, len;

	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		for (n = 0; isdigit((unsigned char)it->name[n]); n++)
			;
		if (n < 4 || it->name[n] != ' ')
			continue;
		while (it->name[n] == ' ')
			n++;
		len = strlen(it->name + n);
		if (len < 2)
			continue;
		memmove(it->name, it->name + n, len + 1);
	}
}

static int is_class(const struct store_layout *l, char c)
{
	size_t i;

	for (i = 0; i < STORE_MAX_CLASSES && l->classes[i].letter; i++)
		if (l->classes[i].letter == c)
			return 1;
	return 0;
}

/*
 * Item lines end in "1,35 B". OCR often loses the space, and in photos
 * reads it as a digit: "1,35B", "1,352B", "1,358 B", with digit classes
 * "1,751" or "1,4921". Each is an amount no lexer accepts; the chain's class column
 * says where the amount ends. Returns the bytes kept of the amount and
 * class (the line is then rewritten as "... 1,35 B"), or 0.
 */
static size_t glued_class(const struct store_layout *l, const char *s,
			  size_t len, char *cls)
{
	size_t e = len, p, q, k;

	while (e > 0 && s[e - 1] == ' ')
		e--;
	if (e < 5 || !is_class(l, s[e - 1]))
		return 0;
	*cls = s[e - 1];
	p = e - 1;
	if (s[p - 1] == ' ')
		p--;
	/* The amount ends right before the class, or one stray digit
	 * earlier: "d,dd" then [digit] then [space] then the class. */
	for (k = 0; k <= 1; k++) {
		q = p - k;
		if (q < 4 || (k && !isdigit((unsigned char)s[q])))
			continue;
		if (isdigit((unsigned char)s[q - 4]) &&
		    (s[q - 3] == ',' || s[q - 3] == '.') &&
		    isdigit((unsigned char)s[q - 2]) &&
		    isdigit((unsigned char)s[q - 1]))
			return q;
	}
	return 0;
}

/* A copy of doc with glued class letters split off, in one buffer the
 * caller frees; NULL (use doc as it is) when nothing needs it or memory
 * is short. */
static char *split_classes(const struct store_layout *l,
			   const struct parser_doc *doc,
			   struct parser_line *lines)
{
	size_t i, total = 0, keep, used = 0;
	int changed = 0;
	char *buf, cls;

	for (i = 0; i < doc->nlines; i++)
		total += doc->lines[i].len + 2;
	buf = malloc(total + 1);
	if (!buf)
		return NULL;
	for (i = 0; i < doc->nlines; i++) {
		const struct parser_line *ln = &doc->lines[i];

		lines[i] = *ln;
		keep = glued_class(l, ln->text, ln->len, &cls);
		if (!keep || (keep + 1 < ln->len && ln->text[keep] == ' '))
			continue;
		memcpy(buf + used, ln->text, keep);
		buf[used + keep] = ' ';
		buf[used + keep + 1] = cls;
		lines[i].text = buf + used;
		lines[i].len = keep + 2;
		used += keep + 2;
		changed = 1;
	}
	if (!changed) {
		free(buf);
		return NULL;
	}
	return buf;
}

int store_parse(const struct store_layout *l, const struct parser_doc *doc,
		struct receipt *r)
{
	struct parser_line lines[PARSER_MAX_LINES];
	struct parser_doc fixed = { lines, doc->nlines, "" };
	char *buf = NULL;
	int rc;

	if (doc->nlines > PARSER_MAX_LINES)
		return PARSER_ERR_TOO_LARGE;
	buf = split_classes(l, doc, lines);
	if (buf)
		doc = &fixed;
	rc = parser_generic.parse(doc, r);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	/* The chain's own name, not whatever header line the generic
	 * parser took for it (dm prints its name in lower case, which it
	 * skips, and takes the VAT table's header). */
	snprintf(r->store_name, sizeof(r->store_name), "%s", l->name);
	apply_kinds(l, r);
	if (l->article_numbers)
		drop_article_numbers(r);
	store_read_fields(l, doc, 0, r);
	store_cross_check(r);
	free(buf);
	return 0;
}
