/*
 * store_dm.c: dm prints 'dm-drogerie markt', items NAME 1,29 1 with class digits (1 =
 * 19 %, 2 = 7 %), 'SUMME EUR', 'EC-Karte', a table 'MwSt-Satz Netto MwSt
 * Brutto' with rows '1 19,00% ...', and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "dm drogerie markt", 0, 95 },
	{ "dm", STORE_HEADER | STORE_EXACT | STORE_LINE, 70 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "dm.de", "dm app", "payback", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", "gutschein",
					      NULL };

static const struct store_layout layout = {
	.id = "dm",
	.name = "dm-drogerie markt",
	.names = names,
	.markers = markers,
	.discount_words = discount_words,
	.classes = { { '1', 1900 }, { '2', 700 } },
};

STORE_PARSER(dm, layout);
