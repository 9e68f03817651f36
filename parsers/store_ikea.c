/*
 * store_ikea.c: IKEA Deutschland prints 'IKEA' and the store on top, the company
 * 'IKEA Deutschland GmbH & Co. KG' and 'IKEA FAMILY' offers.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "ikea", STORE_HEADER | STORE_EXACT, 85 },
	{ "ikea deutschland", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "ikea.de", "ikea family", NULL };

static const struct store_layout layout = {
	.id = "ikea",
	.name = "IKEA",
	.names = names,
	.markers = markers,
};

STORE_PARSER(ikea, layout);
