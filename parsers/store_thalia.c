/*
 * store_thalia.c: Thalia prints 'Thalia' (or 'Thalia Bucher GmbH') on top, the
 * branch's address at thalia.de and a greeting from the Thalia team.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "thalia", STORE_HEADER | STORE_EXACT, 80 },
	{ "thalia bucher", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "thalia.de", "ihr thalia team", NULL };

static const struct store_layout layout = {
	.id = "thalia",
	.name = "Thalia",
	.names = names,
	.markers = markers,
};

STORE_PARSER(thalia, layout);
