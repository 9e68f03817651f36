/*
 * store_layout.h: the engine behind the store-specific parsers. A chain is a
 * `static const struct store_layout` (its printed names, VAT ids, typical
 * header and footer lines, VAT class letters, the words it prints for
 * deposits, discounts, payments and its TSE block) plus one STORE_PARSER
 * line; the engine recognises the chain from that table and reads the
 * receipt with it. Adding a chain is one file and one registry line: see
 * docs/parsers.md.
 */
#ifndef RD_STORE_LAYOUT_H
#define RD_STORE_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "parser.h"
#include "receipt.h"

/* Bytes of a line the fuzzy searches look at: receipt lines are under 60
 * characters, and the bound keeps junk input cheap. */
#define STORE_FUZZY_SPAN 80

/* Rows per table: a chain prints a handful of each. */
#define STORE_MAX_CLASSES 4

/* Name flags. */
#define STORE_HEADER 1u /* only counts within the first lines */
#define STORE_EXACT 2u	/* no OCR slack: short or common words (dm, real) */
#define STORE_LINE 4u	/* must be the whole line (apart from punctuation) */

/* A printed name of the chain and how sure a match makes us (0-100). */
struct store_name {
	const char *text; /* lower case ASCII, umlauts folded (sud, not süd) */
	unsigned flags;
	int score;
};

/* A VAT class letter (or digit) and the rate it stands for. */
struct store_class {
	char letter;
	int rate; /* basis points */
};

/* A payment word and the method it means ("cash", "ec", "card"...). */
struct store_pay {
	const char *word; /* lex_keyword syntax */
	const char *method;
};

struct store_layout {
	const char *id;			/* canonical id: "rewe" */
	const char *name;		/* "REWE" */
	const struct store_name *names; /* terminated by a NULL text */
	/* USt-IdNr. / Steuernummer digits as printed ("DE812706034");
	 * matched ignoring spaces, slashes and O/0 confusion. NULL-ended. */
	const char *const *tax_ids;
	/* Typical lines (web site, slogan, app): each adds to the match. */
	const char *const *markers;
	/* Class letters the chain prints after item amounts, with the rate
	 * each means when the receipt's VAT table does not say. */
	struct store_class classes[STORE_MAX_CLASSES];
	/* Words on item lines that make them deposits, deposit returns or
	 * discounts, besides the common ones (Pfand, Leergut, Rabatt). */
	const char *const *deposit_words;
	const char *const *return_words;
	const char *const *discount_words;
	/* Payment words besides the common ones (BAR, EC-Karte, girocard). */
	const struct store_pay *payments;
	/* Item lines begin with an article number to drop from the name. */
	int article_numbers;
};

/* How sure the engine is that doc is a receipt of layout's chain, 0-100. */
int store_match(const struct store_layout *layout,
		const struct parser_doc *doc);

/*
 * Reads doc as a receipt of layout's chain into r (receipt_init'ed):
 * the generic reading (date, time, total, items, number), then the
 * chain's item kinds and class letters, the VAT summary, the payment,
 * the TSE block and the cross-checks. Returns 0 or a negative parser_err.
 */
int store_parse(const struct store_layout *layout, const struct parser_doc *doc,
		struct receipt *r);

/*
 * The parts of store_parse that need no chain, also applied to receipts
 * nobody recognised (layout NULL): VAT summary, payment, TSE, item class
 * letters and the cross-checks. tail is the first line after the items.
 */
void store_read_fields(const struct store_layout *layout,
		       const struct parser_doc *doc, size_t tail,
		       struct receipt *r);

/* Engine internals, shared by store_fields.c, store_items.c and
 * store_tse.c. */

/* Whether line ln holds one of words (NULL-terminated, may be NULL). */
int store_line_has(const struct parser_line *ln, const char *const *words);

/* The class letter c (any case; 8 for B, 4 for A) if layout's table (or,
 * with no layout, A-D and 1-3) knows it, else 0. */
char store_known_class(const struct store_layout *l, char c);

/* Finds each item's line in order, records it in at[k] (SIZE_MAX when
 * not found), reads its class letter and repairs amounts its quantity
 * line proves misread. Returns the line after the last item found. */
size_t store_locate_items(const struct store_layout *l,
			  const struct parser_doc *doc, struct receipt *r,
			  size_t *at);

/* Adds the one item line OCR left unreadable, with what the confirmed
 * total leaves, when exactly one reading is consistent. */
void store_recover_missing(const struct store_layout *l,
			   const struct parser_doc *doc, const size_t *at,
			   size_t tail, struct receipt *r);

/* Reads the TSE block below line tail into r->tse. */
void store_read_tse(const struct parser_doc *doc, size_t tail,
		    struct receipt *r);

/* The figures that agree with r's total (enum receipt_backing bits): the
 * items (with any tax added on top), the VAT table's gross column, the
 * payment (cash minus change, or the card amount). 0 without a total,
 * and where a total read from no total line agrees with one figure only
 * (the one it was taken from, maybe). */
unsigned store_total_backing(const struct receipt *r);

/* True when the VAT table or the payment backs the total: evidence read
 * apart from the total line and the items. */
int store_total_confirmed(const struct receipt *r);

/* Cross-checks items, total and VAT summary; see store_check.c. */
void store_cross_check(struct receipt *r);

/* Folds [s, end) for name matching into out (size bytes): lower-case
 * ASCII letters and digits, umlauts to their base letter, OCR's "vv" to
 * w and "rn" to m, every other run of characters to one space. Returns
 * the length written. */
size_t store_fold(const char *s, const char *end, char *out, size_t size);

/* Least edit distance between pat and a stretch of text that starts and
 * ends at word boundaries, if at most max; max + 1 otherwise. Bounding
 * it lets the search give up on a start after a letter or two. */
int store_fuzzy_find(const char *text, size_t tlen, const char *pat,
		     size_t plen, int max);

/*
 * One const struct parser per chain: STORE_PARSER(rewe, rewe_layout)
 * defines parser_rewe reading with rewe_layout.
 */
#define STORE_PARSER(sym, layout)                                              \
	static int sym##_match(const struct parser_doc *doc)                   \
	{                                                                      \
		return store_match(&(layout), doc);                            \
	}                                                                      \
	static int sym##_parse(const struct parser_doc *doc,                   \
			       struct receipt *r)                              \
	{                                                                      \
		return store_parse(&(layout), doc, r);                         \
	}                                                                      \
	const struct parser parser_##sym = {                                   \
		.id = #sym,                                                    \
		.name = "store layout",                                        \
		.match = sym##_match,                                          \
		.parse = sym##_parse,                                          \
	}

extern const struct parser parser_rewe, parser_edeka, parser_lidl,
	parser_aldi_nord, parser_aldi_sued, parser_kaufland, parser_netto,
	parser_penny, parser_dm, parser_rossmann, parser_mueller, parser_globus,
	parser_tegut, parser_norma, parser_real, parser_marktkauf, parser_toom,
	parser_ikea, parser_mediamarkt, parser_saturn, parser_thalia,
	parser_obi, parser_hornbach, parser_bauhaus, parser_fressnapf,
	parser_douglas, parser_decathlon;

#endif
