/*
 * store_globus.c: Globus SB-Warenhaus prints 'Globus' and the branch, items NAME 1,29 A (A
 * = 19 %, B = 7 %), 'SUMME', a MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "globus", 0, 88 },
	{ "globus sb warenhaus", 0, 95 },
	{ "globus markthallen", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "globus.de", NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "globus",
	.name = "Globus",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(globus, layout);
