/*
 * store_mueller.c: Müller (drugstore) prints 'Mueller Handels GmbH & Co. KG', items NAME
 * 1,29 A (A = 19 %, B = 7 %), 'Summe', a MwSt table and the TSE block.
 * 'Müller' is a common surname, so the bare name only counts in the
 * header.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "muller handels gmbh", 0, 95 },
	{ "mueller handels gmbh", 0, 95 },
	{ "drogerie muller", 0, 92 },
	{ "muller", STORE_HEADER | STORE_EXACT | STORE_LINE, 70 },
	{ "mueller", STORE_HEADER | STORE_EXACT | STORE_LINE, 70 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "mueller.de", "muller de", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "mueller",
	.name = "Müller",
	.names = names,
	.markers = markers,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(mueller, layout);
