/*
 * store_netto.c: Netto Marken-Discount prints its full name, items NAME 1,29 A (A = 19 %,
 * B = 7 %), 'Summe', 'Bar' or 'EC-Cash', a MwSt table and the TSE block.
 * 'Netto' alone is also the VAT table's net column, so the bare word only
 * counts as a whole header line.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "netto marken discount", 0, 95 },
	{ "netto markendiscount", 0, 95 },
	{ "netto", STORE_HEADER | STORE_EXACT | STORE_LINE, 70 },
	{ "netto aps", 0, 85 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "netto-online.de", "netto online",
				       "deutschlandcard", NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "netto",
	.name = "Netto",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(netto, layout);
