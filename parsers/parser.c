/*
 * parser.c: the parser registry and the two entry points. Adding a store
 * chain is one line in parser_registry; everything else here is limits
 * and choosing which parser reads the document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "generic.h"
#include "lex.h"
#include "parser.h"
#include "store_layout.h"
#include "banned.h"

/* Store parsers go above the generic one, which matches everything. */
const struct parser *const parser_registry[] = {
	&parser_rewe,
	&parser_edeka,
	&parser_lidl,
	&parser_aldi_nord,
	&parser_aldi_sued,
	&parser_kaufland,
	&parser_netto,
	&parser_penny,
	&parser_dm,
	&parser_rossmann,
	&parser_mueller,
	&parser_globus,
	&parser_tegut,
	&parser_norma,
	&parser_real,
	&parser_marktkauf,
	&parser_toom,
	&parser_ikea,
	&parser_mediamarkt,
	&parser_saturn,
	&parser_thalia,
	&parser_obi,
	&parser_hornbach,
	&parser_bauhaus,
	&parser_fressnapf,
	&parser_douglas,
	&parser_decathlon,
	&parser_generic,
	NULL,
};

static int doc_within_limits(const struct parser_doc *doc)
{
	size_t i;

	if (doc->nlines > PARSER_MAX_LINES)
		return PARSER_ERR_TOO_LARGE;
	if (doc->nlines && !doc->lines)
		return PARSER_ERR_INVALID;
	for (i = 0; i < doc->nlines; i++) {
		if (doc->lines[i].len > PARSER_MAX_LINE_LEN)
			return PARSER_ERR_TOO_LARGE;
		if (doc->lines[i].len && !doc->lines[i].text)
			return PARSER_ERR_INVALID;
	}
	return PARSER_OK;
}

/* Year digits OCR mistakes for each other on top of lex's pairs: a 7 for
 * a 2 or a 1 for a 2 ("2072" for 2022) is too loose for amounts but fine
 * here, where the reference window rules out nearly every reading. */
static int year_digits_confusable(int a, int b)
{
	return lex_digits_confusable(a, b) || (a == 2 && b == 7) ||
	       (a == 7 && b == 2) || (a == 1 && b == 2) || (a == 2 && b == 1);
}

/* Is date (YYYY-MM-DD) a real day within the window before ref? ISO
 * dates compare as strings. */
static int date_in_window(const char *date, const char *ref)
{
	const char *p = date;
	char checked[11], oldest[11];
	int ref_year = (ref[0] - '0') * 1000 + (ref[1] - '0') * 100 +
		       (ref[2] - '0') * 10 + (ref[3] - '0');

	if (lex_date(&p, date + strlen(date), checked) != 0 ||
	    strcmp(checked, date) != 0)
		return 0;
	snprintf(oldest, sizeof(oldest), "%04d%s",
		 ref_year - PARSER_DATE_MAX_AGE_YEARS, ref + 4);
	return strcmp(date, ref) <= 0 && strcmp(date, oldest) >= 0;
}

int parser_date_plausible(const struct parser_doc *doc, const char *date)
{
	return strlen(doc->ref_date) != 10 ||
	       date_in_window(date, doc->ref_date);
}

/*
 * A receipt dated after its upload or decades before it was misread:
 * repair the year by one confusable digit. Where several repairs fit, the
 * one nearest the reference wins (people upload recent receipts); where
 * none does, the date is dropped rather than credited with a wrong day.
 */
static void check_date_window(const char *ref, struct receipt *r)
{
	char cand[11], best[11] = "", bad[11];
	int i, alt, digit;

	if (!r->date[0] || strlen(ref) != 10 || date_in_window(r->date, ref))
		return;
	for (i = 0; i < 4; i++) {
		digit = r->date[i] - '0';
		for (alt = 0; alt <= 9; alt++) {
			if (!year_digits_confusable(digit, alt))
				continue;
			memcpy(cand, r->date, sizeof(cand));
			cand[i] = (char)('0' + alt);
			if (date_in_window(cand, ref) && strcmp(cand, best) > 0)
				memcpy(best, cand, sizeof(best));
		}
	}
	memcpy(bad, r->date, sizeof(bad));
	if (best[0]) {
		receipt_warn(r,
			     "date %s lies outside the plausible window; "
			     "read as %s",
			     bad, best);
		memcpy(r->date, best, sizeof(r->date));
	} else {
		receipt_warn(r,
			     "date %s lies outside the plausible window; "
			     "dropped",
			     bad);
		r->date[0] = '\0';
	}
}

/* Parses doc with the parser that matches it best; foreign lines were
 * left out at its top, tail lines of another receipt at its bottom, its
 * figures joined to their labels where it is not the lines as read,
 * read, whose titles say what the paper is. */
static int parse_best(const struct parser_doc *doc,
		      const struct parser_doc *read, size_t foreign,
		      size_t tail, struct receipt *out)
{
	struct parser_line wlines[PARSER_MAX_LINES];
	const struct parser *best = NULL;
	struct parser_doc whole;
	char *wbuf;
	int score, best_score = -1, rc;
	size_t i;

	/* Strictly greater: on a tie the earlier, more specific parser wins. */
	for (i = 0; parser_registry[i]; i++) {
		score = parser_registry[i]->match(doc);
		if (score > best_score) {
			best_score = score;
			best = parser_registry[i];
		}
	}
	if (!best)
		return PARSER_ERR_INVALID;
	rc = best->parse(doc, out);
	/* The chains are German: "ALDI" over pounds is Aldi UK, whose
	 * receipts the generic parser reads. */
	if (rc >= 0 && best != &parser_generic && out->currency[0] &&
	    strcmp(out->currency, "EUR") != 0) {
		best = &parser_generic;
		receipt_init(out);
		rc = best->parse(doc, out);
	}
	if (rc < 0) {
		receipt_init(out);
		return rc;
	}
	/* Unknown stores still get the VAT table, payment, TSE and checks;
	 * forints and crowns read whole, as the parser read them. */
	if (best == &parser_generic) {
		wbuf = generic_whole_doc(doc, out->currency, wlines, &whole);
		store_read_fields(NULL, wbuf ? &whole : doc, 0, out);
		store_cross_check(out);
		free(wbuf);
	}
	out->document = generic_document(read, out);
	if (foreign)
		receipt_warn(out,
			     "the first %zu lines, another receipt's end, "
			     "left out",
			     foreign);
	if (tail)
		receipt_warn(out,
			     "the last %zu lines, another receipt, left out",
			     tail);
	if (doc != read)
		receipt_warn(out, "figures read apart from their labels; "
				  "joined to them");
	check_date_window(doc->ref_date, out);
	out->backed = store_total_backing(out);
	snprintf(out->store, sizeof(out->store), "%s", best->id);
	return PARSER_OK;
}

int parser_parse_doc(const struct parser_doc *doc, struct receipt *out)
{
	struct parser_line jlines[PARSER_MAX_LINES];
	struct parser_doc own, joined;
	size_t foreign, tail;
	char *jbuf;
	int rc;

	if (!doc || !out)
		return PARSER_ERR_INVALID;
	receipt_init(out);
	rc = doc_within_limits(doc);
	if (rc < 0)
		return rc;
	if ((foreign = generic_foreign_head(doc)) > 0) {
		own = *doc;
		own.lines += foreign;
		own.nlines -= foreign;
		doc = &own;
	}
	if ((tail = doc->nlines - generic_foreign_tail(doc)) > 0) {
		own = *doc;
		own.nlines -= tail;
		doc = &own;
	}
	jbuf = generic_joined_doc(doc, jlines, &joined);
	rc = parse_best(jbuf ? &joined : doc, doc, foreign, tail, out);
	free(jbuf);
	return rc;
}

int parser_parse_text(const char *text, size_t len, struct receipt *out)
{
	return parser_parse_text_at(text, len, "", out);
}

int parser_parse_text_at(const char *text, size_t len, const char *ref_date,
			 struct receipt *out)
{
	struct parser_line lines[PARSER_MAX_LINES];
	struct parser_doc doc = { lines, 0, "" };
	const char *s, *end, *nl;
	size_t n;

	if (!out || (!text && len))
		return PARSER_ERR_INVALID;
	receipt_init(out);
	if (len > PARSER_MAX_TEXT)
		return PARSER_ERR_TOO_LARGE;
	for (s = text, end = text + len; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		n = (size_t)(nl - s);
		if (n && s[n - 1] == '\r')
			n--;
		if (doc.nlines == PARSER_MAX_LINES || n > PARSER_MAX_LINE_LEN)
			return PARSER_ERR_TOO_LARGE;
		lines[doc.nlines] = (struct parser_line){ .text = s,
							  .len = n,
							  .conf = -1.0f };
		doc.nlines++;
	}
	if (ref_date && strlen(ref_date) == sizeof(doc.ref_date) - 1)
		memcpy(doc.ref_date, ref_date, sizeof(doc.ref_date));
	return parser_parse_doc(&doc, out);
}

void parser_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}
