/*
 * store_aldi_nord.c: ALDI Nord heads its receipts with 'ALDI GmbH & Co. KG' and the region,
 * items NAME 1,29 A (A = 19 %, B = 7 %), 'Summe', 'Bar' or 'EC-Karte',
 * 'Rueckgeld', a MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "aldi nord", 0, 95 },
	{ "aldi gmbh co kg", 0, 85 },
	{ "aldi", STORE_HEADER | STORE_EXACT | STORE_LINE, 60 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "aldi-nord.de", "aldi nord de", NULL };
static const char *const deposit_words[] = { "pfand", NULL };
static const char *const return_words[] = { "leergut", "pfandbon", NULL };
static const char *const discount_words[] = { "rabatt", NULL };

static const struct store_layout layout = {
	.id = "aldi_nord",
	.name = "ALDI Nord",
	.names = names,
	.markers = markers,
	.deposit_words = deposit_words,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(aldi_nord, layout);
