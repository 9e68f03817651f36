/*
 * store_penny.c: PENNY (REWE group) prints 'PENNY Markt GmbH', items NAME 1,29 A (A = 19
 * %, B = 7 %), 'SUMME', 'Geg. BAR', a table like REWE's and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "penny", STORE_HEADER | STORE_EXACT, 80 },
	{ "penny markt", 0, 92 },
	{ "penny markt gmbh", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "erstmal zu penny", "penny.de",
				       "payback", NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "penny",
	.name = "PENNY",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(penny, layout);
