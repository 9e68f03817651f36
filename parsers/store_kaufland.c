/*
 * store_kaufland.c: Kaufland prints 'Kaufland' and the branch, items NAME 1,29 A (A = 19 %,
 * B = 7 %), 'K-Card' discounts as negative lines, 'Summe', 'EC-Cash', a
 * MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "kaufland", 0, 90 },
	{ "kaufland dienstleistung", 0, 95 },
	{ "kaufland warenhandel", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "hier bin ich richtig", "kaufland.de",
				       "k card", "kaufland card", NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "k card rabatt", "rabatt",
					      "coupon", NULL };

static const struct store_layout layout = {
	.id = "kaufland",
	.name = "Kaufland",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(kaufland, layout);
