/*
 * generic_columns.c: receipts whose columns OCR read as blocks. Page
 * segmentation that looks for text blocks (Tesseract's default, other
 * engines' too) reads a receipt's names and its prices as two columns:
 * the names and the total's labels first ("SUMME", "EC-Karte"), then
 * every figure on a line of its own. Read so, the names price nothing
 * and the total is whichever lone figure wins. The figures are the
 * labels' in the same order, counted from the bottom, which is where the
 * total stands: a copy of the lines joins each label to its figure.
 * Some read the figures first and their labels under them.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "generic.h"
#include "banned.h"

/* Fewer lone figures in a row are two-line items or a card slip's
 * amount, which read well as they stand. */
#define COLUMN_MIN_FIGURES 4
/* Between a label and its figure in the joined line. */
#define COLUMN_GAP "   "

static const char *line_end(const struct parser_line *l)
{
	const char *e = l->text + l->len;

	while (e > l->text && e[-1] == ' ')
		e--;
	return e;
}

/* No letter and no digit: a blank line or a rule ("-----"). */
static int empty_line(const struct parser_line *l)
{
	for (const char *p = l->text; p < l->text + l->len; p++)
		if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
			return 0;
	return 1;
}

/* A line that prints its own price: an amount last, after a wide gap or
 * followed by a VAT class ("Milch   1,19", "Milch 1,19 A"). A name that
 * holds a figure ("Pfand 0,25") does neither. */
static int priced_line(const struct parser_line *l)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const char *e = line_end(l), *p;
	size_t n = generic_amounts(l->text, e, a, GENERIC_MAX_AMOUNTS);

	if (!n)
		return 0;
	p = a[n - 1].end;
	if (p < e && e - p <= 2 && p[0] == ' ' && generic_letters(p, e) <= 1)
		return 1;
	return p == e && a[n - 1].start - l->text >= 2 &&
	       !memcmp(a[n - 1].start - 2, "  ", 2);
}

/* A quantity line ("1,184 kg x 1,49 EUR/kg") goes with the name above
 * it: no label of its own. */
static int qty_line(const struct parser_line *l)
{
	int64_t milli, unit;

	return generic_find_qty(l->text, line_end(l), &milli, &unit) == 0;
}

/* What l is to a column of figures beside it: a label (1), a line to
 * pass over (0: a rule, a quantity line that goes with its name) or the
 * column's end (-1: a line with its own price, another figure, a label
 * paired already). *total is set at a total's label that prints no
 * amount. */
static int label_kind(const struct parser_line *l, size_t joined, int *total)
{
	int printed;

	if (empty_line(l) || qty_line(l))
		return 0;
	if (joined != SIZE_MAX || priced_line(l) || generic_amount_only(l) ||
	    generic_letters(l->text, line_end(l)) < 2)
		return -1;
	generic_last_amount(l, NULL, &printed);
	if (generic_total_prio(l) && !printed)
		*total = 1;
	return 1;
}

/*
 * Pairs the run of lone figures [from, to) with its labels: those above
 * it, one per figure at most, paired from the bottom; else as many below
 * it (the figures read first), paired from the top. Only where a total's
 * label that prints no amount is among them: join[] gets each label's
 * figure line, taken[] each figure's label. Returns whether it paired.
 */
static int pair_labels(const struct parser_doc *doc, size_t from, size_t to,
		       size_t *join, size_t *taken)
{
	size_t fig[PARSER_MAX_LINES], label[PARSER_MAX_LINES];
	size_t nfig = 0, n = 0, i;
	int total = 0, k;

	for (i = from; i < to; i++)
		if (!empty_line(&doc->lines[i]))
			fig[nfig++] = i;
	for (i = from; i-- > 0 && n < nfig;) {
		if ((k = label_kind(&doc->lines[i], join[i], &total)) < 0)
			break;
		if (k)
			label[n++] = i;
	}
	if (total) {
		for (i = 0; i < n; i++) {
			join[label[i]] = fig[nfig - 1 - i];
			taken[fig[nfig - 1 - i]] = label[i];
		}
		return 1;
	}
	for (i = to, n = 0; i < doc->nlines && n < nfig; i++) {
		if ((k = label_kind(&doc->lines[i], join[i], &total)) < 0)
			break;
		if (k)
			label[n++] = i;
	}
	/* Labels that figures follow again are those figures'. */
	while (i < doc->nlines && empty_line(&doc->lines[i]))
		i++;
	if (!total || n != nfig ||
	    (i < doc->nlines && generic_amount_only(&doc->lines[i])))
		return 0;
	for (i = 0; i < n; i++) {
		join[label[i]] = fig[i];
		taken[fig[i]] = label[i];
	}
	return 1;
}

char *generic_joined_doc(const struct parser_doc *doc,
			 struct parser_line *lines, struct parser_doc *joined)
{
	size_t join[PARSER_MAX_LINES], taken[PARSER_MAX_LINES];
	size_t i, run, nfig, size = 0, n = 0, used = 0;
	int any = 0;
	char *buf;

	if (doc->nlines > PARSER_MAX_LINES)
		return NULL;
	for (i = 0; i < doc->nlines; i++)
		join[i] = taken[i] = SIZE_MAX;
	for (i = 0; i < doc->nlines; i = run) {
		for (run = i, nfig = 0; run < doc->nlines; run++) {
			if (generic_amount_only(&doc->lines[run]))
				nfig++;
			else if (!empty_line(&doc->lines[run]) || !nfig)
				break;
		}
		if (nfig < COLUMN_MIN_FIGURES) {
			run = run > i ? run : i + 1;
			continue;
		}
		any |= pair_labels(doc, i, run, join, taken);
	}
	if (!any)
		return NULL;
	for (i = 0; i < doc->nlines; i++)
		size += doc->lines[i].len + sizeof(COLUMN_GAP);
	if (!(buf = malloc(size)))
		return NULL;
	for (i = 0; i < doc->nlines; i++) {
		const struct parser_line *l = &doc->lines[i], *f;
		const char *e, *fs;

		if (taken[i] != SIZE_MAX)
			continue;
		lines[n] = *l;
		if (join[i] != SIZE_MAX) {
			f = &doc->lines[join[i]];
			e = line_end(l);
			for (fs = f->text; fs < f->text + f->len && *fs == ' ';)
				fs++;
			lines[n].text = buf + used;
			memcpy(buf + used, l->text, (size_t)(e - l->text));
			used += (size_t)(e - l->text);
			memcpy(buf + used, COLUMN_GAP, strlen(COLUMN_GAP));
			used += strlen(COLUMN_GAP);
			memcpy(buf + used, fs, (size_t)(line_end(f) - fs));
			used += (size_t)(line_end(f) - fs);
			lines[n].len = (size_t)(buf + used - lines[n].text);
			lines[n].words = NULL;
			lines[n].nwords = 0;
			if (f->conf < lines[n].conf)
				lines[n].conf = f->conf;
		}
		n++;
	}
	*joined = *doc;
	joined->lines = lines;
	joined->nlines = n;
	return buf;
}
