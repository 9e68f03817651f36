/*
 * store_norma.c: NORMA prints 'NORMA' and the branch, items NAME 1,29 A (A = 19 %, B = 7
 * %), 'Summe', 'Gegeben', 'Zurueck', a MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "norma", STORE_HEADER | STORE_EXACT, 85 },
	{ "norma lebensmittelfilialbetrieb", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "norma-online.de", "norma online",
				       NULL };
static const char *const return_words[] = { "leergut", NULL };
static const char *const discount_words[] = { "rabatt", NULL };

static const struct store_layout layout = {
	.id = "norma",
	.name = "NORMA",
	.names = names,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(norma, layout);
