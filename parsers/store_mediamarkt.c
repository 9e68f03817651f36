/*
 * store_mediamarkt.c: MediaMarkt prints 'Media Markt' with the branch's company
 * ('Media Markt TV-Hifi-Elektro GmbH') and mediamarkt.de.
 * Its class letters are not known here: item lines are read as on any
 * receipt (A-D, 1-3), and a printed rate wins.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "media markt", 0, 90 },
	{ "mediamarkt", 0, 90 },
	{ "media markt tv hifi elektro", 0, 96 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "mediamarkt.de", "mymediamarkt", NULL };

static const struct store_layout layout = {
	.id = "mediamarkt",
	.name = "MediaMarkt",
	.names = names,
	.markers = markers,
};

STORE_PARSER(mediamarkt, layout);
