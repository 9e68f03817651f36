/*
 * store_real.c: real,- prints 'real,-' (or 'real GmbH') on top, items NAME 1,29 A (A =
 * 19 %, B = 7 %), 'SUMME', a MwSt table and the TSE block. 'real' is a
 * common word, so the bare name only counts as a whole header line.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "real", STORE_HEADER | STORE_EXACT | STORE_LINE, 75 },
	{ "real gmbh", 0, 92 },
	{ "real sb warenhaus", 0, 95 },
	{ "real markt", 0, 85 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "real.de", "payback", NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "real",
	.name = "real",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(real, layout);
