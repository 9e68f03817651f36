/*
 * store_hornbach.c: HORNBACH prints 'HORNBACH' and 'Hornbach Baumarkt AG' with the
 * branch and hornbach.de.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "hornbach", STORE_HEADER, 85 },
	{ "hornbach baumarkt", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "hornbach.de", NULL };

static const struct store_layout layout = {
	.id = "hornbach",
	.name = "HORNBACH",
	.names = names,
	.markers = markers,
};

STORE_PARSER(hornbach, layout);
