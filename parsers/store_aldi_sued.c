/*
 * store_aldi_sued.c: ALDI SUED prints 'ALDI SUED' and the branch, article numbers before the
 * item names, NAME 1,29 A (A = 19 %, B = 7 %), 'Summe', 'Gegeben',
 * 'Rueckgeld', a MwSt table and the TSE block.
 */
#include <stddef.h>

#include "store_layout.h"
#include "banned.h"

static const struct store_name names[] = {
	{ "aldi sud", 0, 95 },
	{ "aldi sued", 0, 95 },
	{ "aldi sud gmbh", 0, 96 },
	{ "aldi", STORE_HEADER | STORE_EXACT | STORE_LINE, 55 },
	{ NULL, 0, 0 },
};

static const char *const markers[] = { "aldi-sued.de", "aldi sued de", NULL };
static const char *const deposit_words[] = { "pfand", NULL };
static const char *const return_words[] = { "leergut", "pfandbon", NULL };
static const char *const discount_words[] = { "rabatt", "preisreduzierung",
					      NULL };

static const struct store_layout layout = {
	.id = "aldi_sued",
	.name = "ALDI SÜD",
	.names = names,
	.markers = markers,
	.deposit_words = deposit_words,
	.return_words = return_words,
	.discount_words = discount_words,
	.classes = { { 'A', 1900 }, { 'B', 700 } },
	.article_numbers = 1,
};

STORE_PARSER(aldi_sued, layout);
