/*
 * store_douglas.c: Douglas prints 'DOUGLAS' or 'Parfumerie Douglas' with the branch
 * and douglas.de. 'Douglas' is also a name, so it counts alone only as a
 * whole header line.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "parfumerie douglas", 0, 95 },
	{ "douglas", STORE_HEADER | STORE_LINE, 75 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "douglas.de", NULL };

static const struct store_layout layout = {
	.id = "douglas",
	.name = "Douglas",
	.names = names,
	.markers = markers,
};

STORE_PARSER(douglas, layout);
