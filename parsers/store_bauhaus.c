/*
 * store_bauhaus.c: BAUHAUS prints 'BAUHAUS' and its company ('BAUHAUS GmbH & Co. KG')
 * with bauhaus.info. The bare name also names streets and a school of
 * design, so it only counts as a whole header line.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "bauhaus", STORE_HEADER | STORE_LINE, 75 },
	{ "bauhaus gmbh", 0, 92 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "bauhaus.info", NULL };

static const struct store_layout layout = {
	.id = "bauhaus",
	.name = "BAUHAUS",
	.names = names,
	.markers = markers,
};

STORE_PARSER(bauhaus, layout);
