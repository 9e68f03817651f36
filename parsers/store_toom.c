/*
 * store_toom.c: toom Baumarkt prints 'toom Baumarkt GmbH', article numbers before the
 * item names, amounts with decimal points (12.99), 'SUMME', a MwSt table
 * and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "toom baumarkt", 0, 95 },
	{ "toom baumarkt gmbh", 0, 96 },
	{ "toom", STORE_HEADER | STORE_EXACT, 75 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "toom.de", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", NULL };

static const struct store_layout layout = {
	.id = "toom",
	.name = "toom Baumarkt",
	.names = names,
	.markers = markers,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
	.article_numbers = 1,
};

STORE_PARSER(toom, layout);
