/*
 * store_edeka.c: EDEKA markets are run by independent merchants: the header names the
 * market ('EDEKA Mueller' or 'E center'), items NAME 1,29 A (A = 19 %, B =
 * 7 %), 'SUMME EUR', a MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "edeka", STORE_HEADER | STORE_EXACT, 85 },
	{ "edeka center", 0, 92 },
	{ "e center", STORE_HEADER, 70 },
	{ "edeka markt", 0, 90 },
	{ "edeka zentrale", 0, 80 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "wir lieben lebensmittel", "edeka.de",
				       "genuss app", "deutschlandcard", NULL };
static const char *const return_words[] = { "leergut", "pfandbon", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", "app coupon",
					      NULL };

static const struct store_layout layout = {
	.id = "edeka",
	.name = "EDEKA",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(edeka, layout);
