/*
 * store_saturn.c: Saturn prints 'SATURN' and the branch's company ('Saturn
 * Electro-Handelsgesellschaft mbH') and saturn.de.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "saturn", STORE_HEADER | STORE_EXACT, 80 },
	{ "saturn electro", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "saturn.de", "mysaturn", NULL };

static const struct store_layout layout = {
	.id = "saturn",
	.name = "Saturn",
	.names = names,
	.markers = markers,
};

STORE_PARSER(saturn, layout);
