/*
 * store_tegut.c: tegut... prints its name in lower case with the three dots, items NAME
 * 1,29 A (A = 19 %, B = 7 %), 'Summe', a MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "tegut", STORE_HEADER | STORE_EXACT, 88 },
	{ "tegut gmbh", 0, 95 },
	{ "tegut teo", 0, 90 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "tegut.com", "tegut com", NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "tegut",
	.name = "tegut...",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(tegut, layout);
