/*
 * store_obi.c: OBI prints 'OBI' with the market ('OBI Markt ...') and obi.de. 'obi'
 * is a short word, so the bare name only counts as a whole header line.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "obi", STORE_HEADER | STORE_EXACT | STORE_LINE, 75 },
	{ "obi markt", 0, 90 },
	{ "obi bau und heimwerkermarkt", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "obi.de", NULL };

static const struct store_layout layout = {
	.id = "obi",
	.name = "OBI",
	.names = names,
	.markers = markers,
};

STORE_PARSER(obi, layout);
