/*
 * store_rewe.c: REWE prints 'REWE Markt GmbH' and the market address on top, items as
 * NAME  1,29 B (A = 19 %, B = 7 %), quantity and weight lines indented
 * under the item, 'SUMME', 'Geg. BAR' or 'Geg. girocard', a VAT table
 * 'Steuer % Netto Steuer Brutto' with rows 'A= 19,0% ...', the TSE block
 * and the UID Nr.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "rewe markt gmbh", 0, 95 },
	{ "rewe markt", 0, 90 },
	{ "rewe", STORE_HEADER | STORE_EXACT, 80 },
	/* The eBon spaces the letters out: "R E W E". */
	{ "r e w e", STORE_HEADER | STORE_EXACT, 80 },
	{ "rewe center", 0, 90 },
	{ "rewe city", 0, 90 },
	{ NULL, 0, 0 },
};

static const char *const tax_ids[] = { "DE812706034", NULL };
static const char *const markers[] = { "rewe.de", "rewe bonus", NULL };
static const char *const return_words[] = { "leergut", "leerg.", NULL };
static const char *const discount_words[] = { "rabatt", "coupon", "bonus",
					      NULL };

static const struct store_layout layout = {
	.id = "rewe",
	.name = "REWE",
	.names = names,
	.tax_ids = tax_ids,
	.markers = markers,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
};

STORE_PARSER(rewe, layout);
