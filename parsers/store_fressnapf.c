/*
 * store_fressnapf.c: Fressnapf prints 'Fressnapf' with the branch and fressnapf.de.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "fressnapf", STORE_HEADER, 85 },
	{ "fressnapf tiernahrungs", 0, 95 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "fressnapf.de", NULL };

static const struct store_layout layout = {
	.id = "fressnapf",
	.name = "Fressnapf",
	.names = names,
	.markers = markers,
};

STORE_PARSER(fressnapf, layout);
