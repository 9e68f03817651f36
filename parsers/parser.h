/*
 * parser.h: turns OCR text into a struct receipt. Parsers are pure: text
 * in, caller-owned receipt out, no I/O and no global state, so they are
 * safe in any process and trivially testable.
 */
#ifndef RD_PARSER_H
#define RD_PARSER_H

#include <stddef.h>

#include "receipt.h"

/* Input limits: OCR of one receipt never legitimately exceeds these. */
#define PARSER_MAX_TEXT (256 * 1024)
#define PARSER_MAX_LINES 1024
#define PARSER_MAX_LINE_LEN 512

enum parser_err {
	PARSER_OK = 0,
	PARSER_ERR_TOO_LARGE = -1, /* text or a line over the limits above */
	PARSER_ERR_INVALID = -2,   /* NULL arguments */
};

/* One OCR word of a line: where it is in the line's text, and Tesseract's
 * confidence in it, 0-100. */
struct parser_word {
	size_t off, len;
	float conf;
};

/* One OCR line: text (not NUL-terminated) and Tesseract confidence 0-100
 * (negative if unknown), with its words where OCR gave them (words NULL
 * and nwords 0 for plain text). */
struct parser_line {
	const char *text;
	size_t len;
	float conf;
	const struct parser_word *words;
	size_t nwords;
};

/* The document as parsers see it: lines in reading order. ref_date is
 * the day the receipt reached us (YYYY-MM-DD, "" when unknown): a receipt
 * cannot be dated after it nor decades before it, so a date outside that
 * window is a misread (see parser_parse_doc). Passed in, never read from a
 * clock, so parsers stay pure. */
struct parser_doc {
	const struct parser_line *lines;
	size_t nlines;
	char ref_date[11];
};

/* Oldest receipt date accepted, in years before the reference date. */
#define PARSER_DATE_MAX_AGE_YEARS 30

/* 1 when date (YYYY-MM-DD) can be the receipt's: doc has no reference
 * date, or date is a real day in the window before it; else 0. */
int parser_date_plausible(const struct parser_doc *doc, const char *date);

/*
 * A parser: one per store chain plus "generic". match() returns how sure it
 * is this receipt is its chain's (0 = not at all, 100 = certain); parse()
 * fills the caller's receipt (already receipt_init'ed) and returns 0 or a
 * negative parser_err.
 */
struct parser {
	const char *id;
	const char *name;
	int (*match)(const struct parser_doc *doc);
	int (*parse)(const struct parser_doc *doc, struct receipt *out);
};

/* NULL-terminated list of all parsers; the generic one is last. */
extern const struct parser *const parser_registry[];

/*
 * Parses a document: picks the best-matching parser from the registry
 * (generic when none matches) and fills *out (which it receipt_init's
 * first). Returns 0 or a negative parser_err; on error *out is "unknown".
 * With doc->ref_date set, a date after it or more than
 * PARSER_DATE_MAX_AGE_YEARS before it has its year repaired where one OCR
 * digit confusion makes it plausible, else is dropped with a warning.
 */
int parser_parse_doc(const struct parser_doc *doc, struct receipt *out);

/*
 * Convenience for plain text (lines split on '\n', confidence unknown).
 * Returns as parser_parse_doc, or PARSER_ERR_TOO_LARGE for text over
 * PARSER_MAX_TEXT / PARSER_MAX_LINES.
 */
int parser_parse_text(const char *text, size_t len, struct receipt *out);

/* As parser_parse_text, with the day the receipt arrived (YYYY-MM-DD; NULL
 * or "" for none) as parser_doc.ref_date. */
int parser_parse_text_at(const char *text, size_t len, const char *ref_date,
			 struct receipt *out);

/* Writes today's UTC date, YYYY-MM-DD, to out (11 bytes): the ref_date
 * of a receipt read now. "" when the clock cannot be read. */
void parser_today(char out[11]);

#endif
