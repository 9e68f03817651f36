/*
 * store_decathlon.c: Decathlon prints 'DECATHLON' with the store and decathlon.de.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "decathlon", STORE_HEADER, 85 },
	{ "decathlon deutschland", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "decathlon.de", NULL };

static const struct store_layout layout = {
	.id = "decathlon",
	.name = "Decathlon",
	.names = names,
	.markers = markers,
};

STORE_PARSER(decathlon, layout);
