/*
 * store_lidl.c: Lidl prints 'Lidl' and the branch on top, items as NAME 1,29 A where A =
 * 7 % and B = 19 % (the reverse of most chains), weight lines '0,674 kg x
 * 1,49 EUR/kg' below the item, 'Preisvorteil' and 'Lidl Plus Rabatt' as
 * negative lines, 'zu zahlen', 'Kartenzahlung', a table 'MWST% MWST +
 * Netto = Brutto' and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "lidl", STORE_HEADER | STORE_EXACT, 85 },
	{ "lidl dienstleistung", 0, 95 },
	{ "lidl vertriebs", 0, 95 },
	{ "lidl stiftung", 0, 90 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "lidl lohnt sich", "lidl sagt danke",
				       "lidl.de", "lidl plus", NULL };
static const char *const deposit_words[] = { "pfand", NULL };
static const char *const return_words[] = { "pfandruckgabe", "leergut", NULL };
static const char *const discount_words[] = { "preisvorteil",
					      "lidl plus rabatt", "rabatt",
					      "aktionsrabatt", NULL };

static const struct store_layout layout = {
	.id = "lidl",
	.name = "Lidl",
	.names = names,
	.markers = markers,
	.deposit_words = deposit_words,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 700 }, { 'B', 1900 } },
};

STORE_PARSER(lidl, layout);
