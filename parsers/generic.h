/*
 * generic.h: the store-independent German/English parser, and the few
 * pieces its two files (generic.c: fields and total, generic_items.c:
 * item lines) share. Nothing here is for callers outside parsers/.
 */
#ifndef RD_GENERIC_H
#define RD_GENERIC_H

#include <stddef.h>
#include <stdint.h>

#include "parser.h"
#include "receipt.h"

/* Amounts looked at per line; item and total lines carry one to four. */
#define GENERIC_MAX_AMOUNTS 8

extern const struct parser parser_generic;

/* What a line is, decided once from the keyword tables. */
enum generic_line_class {
	GENERIC_LINE_PLAIN = 0,
	GENERIC_LINE_NOT_TOTAL, /* subtotal, net, "total excl. GST", "total qty" */
	GENERIC_LINE_TAX,
	GENERIC_LINE_CASH, /* cash tendered */
	GENERIC_LINE_CHANGE,
	GENERIC_LINE_CARD,
	GENERIC_LINE_ROUNDING,
	GENERIC_LINE_TIP,     /* "Trinkgeld", "TIP": no purchase */
	GENERIC_LINE_VOUCHER, /* "Gutschein", "gift card": paid, or discount */
};

/* Priority of the total keywords that say the amount is rounded ("total
 * rounded"): to 5 cents wherever receipts round (Malaysia, Switzerland,
 * cash in the Netherlands or Finland). */
#define GENERIC_PRIO_ROUNDED 95

struct generic_line {
	unsigned char cls; /* enum generic_line_class */
	unsigned char
		kind; /* enum receipt_item_kind from deposit/discount words */
	unsigned char prio;	/* total keyword priority, 0 when none */
	unsigned char subtotal; /* a subtotal line */
};

struct generic_amount {
	int64_t cents;
	const char *start, *end;
	char sep;	  /* decimal separator as printed */
	char currency[4]; /* printed prefix, "" if none */
};

/* Where the first cash or card word on l starts ("Bar", "VISA"), or
 * NULL. */
const char *generic_payment_word(const struct parser_line *l);

/* True when the line names a voucher or gift card ("Gutschein",
 * "Geschenkkarte", "Leergutbon", "GIFT CARD"): under the total, a
 * payment; among the items, a discount. */
int generic_voucher_line(const struct parser_line *l);

/* The amount of a card slip's "Betrag EUR 14,00" / "AMOUNT 56.58" line,
 * printed under its payment word; 0 where l is none. */
int64_t generic_slip_amount(const struct parser_line *l);

/* What the paper says it is where it is no receipt ("ANGEBOT", "***
 * TRAINING ***", "Kein Kassenbeleg"), warning which line says so; else
 * RECEIPT_DOC_RECEIPT. */
enum receipt_document generic_document(const struct parser_doc *doc,
				       struct receipt *r);

/* True when the line gives change ("Rückgeld", "CHANGE"). */
int generic_change_line(const struct parser_line *l);

/* True when the line names a tax (MwSt, USt, Steuer, VAT, GST, SST,
 * HST, PST, QST, tax). */
int generic_names_tax(const struct parser_line *l);

/* Lines at the top of doc that end another receipt (a total before any
 * item, then a shop's name and address, items and a total): a photo
 * that caught the end of the receipt above. How many, or 0. */
size_t generic_foreign_head(const struct parser_doc *doc);

/* Where another receipt starts under this one's total on the same photo
 * (its first line, the shop's name, printed again, then a total of its
 * own): that line's index, or doc->nlines. */
size_t generic_foreign_tail(const struct parser_doc *doc);

/* True when a word on the line names a tip and nothing else
 * ("Trinkgeld 2,60", "Fooi bezorger"): never an item. */
int generic_tip_named(const struct parser_line *l);

/* Whether line l names an advance paid before the bill ("Anzahlung"). */
int generic_advance_named(const struct parser_line *l);

/* True when the line prints cash paid out with a card payment ("CASH
 * BACK 20.00", "BARGELD-AUSZAHLUNG EUR 50,00"): no payment of its own. */
int generic_cash_out_line(const struct parser_line *l);

/* True when the line names cash paid ("Bar", "Gegeben", "CASH",
 * "Tunai"), wherever it stands ("Summe 7,50 Bar 10,00"). */
int generic_cash_word(const struct parser_line *l);

/* True when the line prints a tax, not a total that includes one ("SALES
 * TAX", "TAX TOTAL", "Summe MwSt"; not "Total incl. VAT"). */
int generic_tax_line(const struct parser_line *l);

/* Rounding adjustments are a few cents (Malaysia: to 5 sen); crowns and
 * kronor round to whole or half units, an adjustment up to half a unit
 * that lands on one; forints to 5, up to 2 that land on a multiple of 5.
 * Larger figures are none. */
#define GENERIC_MAX_ROUNDING 10
#define GENERIC_MAX_ROUNDING_HALF 50
#define GENERIC_MAX_ROUNDING_WHOLE 200

/* Cents a rounding adjustment adds to the total ("Rounding Adj -0.01",
 * "Zaokrouhlení 0,31"), the first rounding line's from line from down;
 * 0 where none prints one. */
int64_t generic_rounding(const struct parser_doc *doc, size_t from);

/* Finds a quantity expression on [s, end): "2 Stk x 1,29", "0,874 kg x
 * 1,69 EUR/kg", "1,29 x 2". Returns 0 with the quantity in thousandths
 * and the unit price in cents, or -1. */
int generic_find_qty(const char *s, const char *end, int64_t *milli,
		     int64_t *unit);

/* Collects up to max amounts on [s, end), left to right; returns the count. */
size_t generic_amounts(const char *s, const char *end,
		       struct generic_amount *out, size_t max);

/* Counts letters (a UTF-8 sequence counts once) in [s, end). */
size_t generic_letters(const char *s, const char *end);

/* Narrows [*s, *end) to drop OCR junk (quotes, dashes, stars) at both ends. */
void generic_trim(const char **s, const char **end);

/* The total the evidence supports best. */
struct generic_total {
	int64_t cents;
	int keyword;   /* a total keyword line printed it (or its misreading) */
	int confirmed; /* items or payment agree with it */
	double penalty; /* confidence lost to readings that disagree */
};

/* The last amount of a line, signed, or 0 when it has none, and its
 * decimal separator (sep may be NULL); *printed (may be NULL) says
 * whether it has one, so "0,00" differs from none. */
int64_t generic_last_amount(const struct parser_line *l, char *sep,
			    int *printed);

/* The last positive amount of a line ("Gesamtbetrag 0,93 0,06 0,99"
 * ends with the gross figure) and its decimal separator, or 0. */
int64_t generic_last_positive(const struct parser_line *l, char *sep);

/*
 * Ranks every amount that may be the total (total keyword lines below
 * items_end, subtotals, cash minus change, card payments, rounded totals)
 * by keyword rank plus the evidence for it (items_sum, payments), lets a
 * corroborated reading overrule a keyword amount that is one misread
 * digit away, and adds a warning to r wherever readings disagree.
 * Returns 0 and fills *out, or -1 when no candidate was found.
 */
int generic_pick_total(const struct parser_doc *doc,
		       const struct generic_line *info, size_t items_end,
		       int64_t items_sum, struct receipt *r,
		       struct generic_total *out);

/* A zero-rated VAT row's net, which is its gross ("Z 0% 4.59 0.00",
 * "0% 11.82 0.00 11.82": the tax 0,00, the gross where printed the
 * net); 0 where l is none. */
int64_t generic_zero_row(const struct parser_line *l);

/* Whether l is a VAT table's row: a rate, then figures whose last three
 * are a net, a tax and a gross in either order of the first two ("1
 * 7,00 1,51 21,54 23,05", "A 10% 2O,13 2,O1 22,14"), the tax a share of
 * the net up to the highest rate. No item prints so. */
int generic_vat_row(const struct parser_line *l);

/*
 * The sum of the gross column of the VAT table (rows with a rate and net,
 * tax and gross) in lines [from, nlines), each row read with the fewest
 * misread digits (one per figure at most) that make net + tax = gross
 * and the tax fit the rate; 0 when there is no table or a row fits no
 * single reading. *nrows (unless NULL) gets the count of rows.
 */
int64_t generic_vat_gross(const struct parser_doc *doc, size_t from,
			  int *nrows);

/*
 * Adds the item lines in lines [0, items_end) of doc to r, using the
 * classes in info. Returns the sum of the item amounts in cents; sets
 * *repaired to how many amounts a quantity line mended (each warned of).
 */
int64_t generic_items(const struct parser_doc *doc,
		      const struct generic_line *info, size_t items_end,
		      struct receipt *r, int *repaired);

/*
 * Forints (and crowns where marked: "372 Kč", "918,-") print whole units:
 * where currency is one of them, fills lines and *whole with a copy of
 * doc whose whole amounts read as such ("399 A" as "399,00 A") and
 * returns its text buffer, which the caller frees; NULL otherwise.
 */
char *generic_whole_doc(const struct parser_doc *doc, const char *currency,
			struct parser_line *lines, struct parser_doc *whole);

/* Whether l is one amount and little else ("4,78 A", "EUR 23,45"). */
int generic_amount_only(const struct parser_line *l);

/* The priority of the total keyword l prints ("SUMME", "zu zahlen"), 0
 * where it prints none or names a subtotal, tax or payment. */
unsigned generic_total_prio(const struct parser_line *l);

/*
 * Where OCR read the names and labels as one block and their figures as
 * another below it (a run of lone figures under "SUMME", "EC-Karte"),
 * fills lines and *joined with a copy of doc whose labels carry their
 * figures, paired from the bottom, and returns its text buffer, which
 * the caller frees; NULL where doc has no such blocks.
 */
char *generic_joined_doc(const struct parser_doc *doc,
			 struct parser_line *lines, struct parser_doc *joined);

/*
 * The item line in [0, items_end) whose price lost its decimal point
 * ("NEILSON 2% MILK 2L     549") where that price is exactly what the
 * items lack (missing cents): added to r. Returns 1 where one was.
 */
int generic_undotted_item(const struct parser_doc *doc,
			  const struct generic_line *info, size_t items_end,
			  int64_t missing, struct receipt *r);

#endif
