/*
 * store_rossmann.c: Rossmann prints 'ROSSMANN' and 'Dirk Rossmann GmbH', items NAME 1,29 A
 * (A = 19 %, B = 7 %), coupons as negative lines, 'SUMME', a MwSt table
 * and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "rossmann", 0, 90 },
	{ "dirk rossmann", 0, 95 },
	{ "dirk rossmann gmbh", 0, 96 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "rossmann.de", "rossmann app", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", "10 rabatt",
					      NULL };

static const struct store_layout layout = {
	.id = "rossmann",
	.name = "Rossmann",
	.names = names,
	.markers = markers,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(rossmann, layout);
