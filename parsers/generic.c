/*
 * generic.c: the fallback parser for any German or English receipt. It
 * knows no store layout, only the vocabulary receipts share (SUMME, zu
 * zahlen, TOTAL, MwSt, Rückgeld...). The words live in the tables below,
 * so teaching it one is a one-line change; the code only ranks evidence.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "generic.h"
#include "lex.h"
#include "banned.h"

/* The store name is printed within the first lines, above the items. */
#define GENERIC_HEADER_LINES 8
/* Store parsers score higher whenever they recognise their chain. */
#define GENERIC_MATCH_SCORE 1
/* Tesseract's word confidence (0-100) under which a total's digits are
 * doubted: the receipt's confidence drops and a warning says why. On the
 * benchmark, 7 of 11 wrong totals read under 70, 12 of 112 right ones. */
#define TOTAL_MIN_CONF 70.0f
/* The items' sum taken for a total line that read no figure is a guess
 * nothing printed backs: under the default review threshold (0.5). */
#define ITEMS_GUESS_PENALTY 0.15
#define W LEX_KW_WORD
/* The keyword starts the line: no name before it but a payment word
 * ("Bar 20,00", "Geg. Bar", not "Chocolate Bar 0.85"). Ours, not lex's. */
#define LEAD (1u << 8)
/* The keyword is the line's only word: "CARD 13.47", not "Card
 * Surcharge 0.59" or "K-CARD RABATT". Ours too. */
#define ALONE (1u << 9)
/* A country's name: an address's, not an item's origin ("ONION INDIA
 * 3.50"), so only on a line without an amount. Ours too. */
#define PLACE (1u << 10)

struct keyword {
	const char *kw; /* lower case ASCII, see lex_keyword */
	unsigned flags;
	int value; /* priority, line class or item kind, per table */
};

#define NROWS(t) (sizeof(t) / sizeof((t)[0]))

/* Total keywords with their rank. The rounded total outranks TOTAL: in
 * Malaysia it is what the customer actually pays. */
static const struct keyword total_keywords[] = {
	{ "total rounded", 0, GENERIC_PRIO_ROUNDED },
	{ "rounded total", 0, GENERIC_PRIO_ROUNDED },
	/* A bill split between guests: the customer paid a share. */
	{ "ihr anteil", 0, 95 },
	{ "your share", 0, 95 },
	{ "uw deel", W, 95 },
	{ "votre part", W, 95 },
	/* A deposit on an order: paid today, the rest on delivery. */
	{ "anzahlung heute", 0, 95 },
	{ "anzahlung erhalten", 0, 95 },
	{ "zu zahlen", W, 90 }, /* not "Zuzahlung" */
	{ "zu bezahlen", W, 90 },
	/* France's pharmacies: what the insurers leave the customer. */
	{ "reste a charge", 0, 92 },
	{ "endsumme", 0, 90 },
	{ "endbetrag", 0, 90 },
	{ "grand total", 0, 90 },
	{ "quote total", 0, 90 },
	{ "zahlbetrag", 0, 88 },
	{ "summe", W, 85 },
	{ "summeeur", 0, 85 }, /* "SummeEUR 24,07": OCR lost the space */
	{ "amount due", 0, 85 },
	{ "total due", 0, 85 },
	{ "total payable", 0, 85 },
	{ "amount payable", 0, 85 },
	{ "balance due", 0, 80 },
	{ "gesamtbetrag", 0, 80 },
	{ "gesamtsumme", 0, 80 },
	{ "gesamtpreis", 0, 80 }, /* tickets */
	{ "auftragssumme", 0, 80 },
	{ "angebotssumme", 0, 80 },
	{ "rechnungsbetrag", 0, 80 },
	{ "erstattung", W | LEAD, 80 },	    /* a refund's */
	{ "to pay", W | LEX_KW_EXACT, 80 }, /* not "Topaz" (apples) */
	{ "total incl", 0, 78 },
	{ "total inclusive", 0, 78 },
	{ "net total", 0, 75 },
	{ "nett total", 0, 75 },
	{ "total amount", 0, 72 },
	/* India's bills: "Bill Amount ₹ 693.00", "Net Payable 492.00";
	 * "NET AMOUNT" under the items, below any "Total" (elsewhere it
	 * is the sum before tax). */
	{ "bill amount", 0, 80 },
	{ "net payable", 0, 85 },
	{ "amt payable", 0, 85 },
	{ "net amount", 0, 50 },
	{ "net amt", 0, 50 },
	/* France's "Montant TTC", Spain's "IMPORTE A PAGAR", Italy's
	 * "IMPORTO PEDAGGIO" (a toll). */
	{ "montant ttc", 0, 85 },
	{ "importe", W, 60 },
	{ "importo", W, 60 },
	{ "gesamt", W, 70 },
	/* Malaysia's own words: "JUMLAH BESAR RM 121.90". */
	{ "jumlah besar", 0, 90 },
	{ "jumlah", W, 60 },
	/* A cash register's short total ("TL 14.70 / CASH 20.00 / CG
	 * 5.30"), its only word. */
	{ "tl", W | LEX_KW_EXACT | ALONE, 60 },
	{ "su", W | LEX_KW_EXACT | ALONE, 60 }, /* an old German till's */
	/* Holiday receipts: "Totaal te betalen", "TOTALE COMPLESSIVO",
	 * "Net à payer", "Montant dû" ("TOTAL TTC" is "total"). */
	{ "te betalen", 0, 80 },
	{ "net a payer", 0, 85 },
	{ "a payer", W, 85 },
	{ "montant du", W, 80 },
	{ "totale complessivo", 0, 85 },
	{ "totaal", W, 60 },
	{ "totale", W, 60 },
	/* Border shopping: Polish "SUMA PLN", Czech "Celkem", "K úhradě". */
	{ "suma", W, 85 },
	{ "razem", W, 80 },
	{ "celkem", W, 85 },
	{ "k uhrad", 0, 90 },
	{ "k platbe", 0, 90 },
	{ "do zaplaty", 0, 90 },
	/* The Nordic countries': Swedish "Att betala", Norwegian "Å
	 * betale", Danish "I ALT", Finnish "Yhteensä"; Hungary's
	 * "Összesen", "Fizetendő". Refunds pay back ("Att återbetala"). */
	{ "att betala", 0, 90 },
	{ "att aterbetala", 0, 90 },
	{ "a betale", W, 90 },
	{ "at betale", W, 90 }, /* Danish */
	{ "a tilbakebetale", 0, 90 },
	{ "i alt", W | LEX_KW_EXACT, 85 },
	{ "yhteensa", W, 85 },
	{ "maksettava", W, 90 }, /* after the state's refund (Kela) */
	{ "fizetendo", 0, 90 },
	{ "osszesen", W, 85 },
	/* The Baltic states' and Slovakia's: Estonian "Kokku", Latvian
	 * "Kopā (apmaksai)", Lithuanian "Iš viso", Slovak "Spolu". */
	{ "kopa apmaksai", 0, 90 },
	{ "kokku", W, 85 },
	{ "kopa", W | LEX_KW_EXACT, 85 },
	{ "is viso", W | LEX_KW_EXACT, 85 },
	{ "spolu", W, 85 },
	{ "na uhradu", W, 90 }, /* Slovakia's to pay, cash rounded */
	{ "k uhrade", W, 90 },	/* Czechia's */
	/* Croatia's and Slovenia's: "UKUPNO", "ZA PLATITI", "ZA PLAČILO",
	 * "SKUPAJ"; "Znesek" is an amount, like "Betrag". */
	{ "sveukupno", 0, 90 },
	{ "ukupno", W, 85 },
	{ "za platiti", 0, 90 },
	{ "za naplatu", 0, 90 },
	{ "za placilo", 0, 90 },
	{ "skupaj", W, 85 },
	{ "znesek", W | LEX_KW_EXACT, 40 },
	{ "total", W, 60 },
	{ "balance", W, 45 },
	{ "betrag", W, 40 },
	{ "belob", W | LEX_KW_EXACT, 40 }, /* Danish "BELØB DKK 212,75" */
	{ "belopp", W | LEX_KW_EXACT, 40 },
	{ "belop", W | LEX_KW_EXACT, 40 },
};

/* Lines that carry a total-like word but never the amount paid; value 1
 * marks subtotals, which stand in when no total is printed. */
static const struct keyword not_total_keywords[] = {
	{ "zwischensumme", 0, 1 },
	{ "zw-summe", 0, 1 },
	{ "zw.-summe", 0, 1 },
	{ "zwischentotal", 0, 1 },
	{ "subtotal", 0, 1 },
	{ "sub total", 0, 1 },
	{ "subtotaal", 0, 1 },
	{ "subtotale", 0, 1 },
	{ "sous-total", 0, 1 },
	{ "sub-total", 0, 1 },
	{ "total excl", 0, 0 },
	{ "excluding", 0, 0 },
	{ "total qty", 0, 0 },
	{ "total quantit", 0, 0 },
	{ "total item", 0, 0 },
	{ "total tax", 0, 0 },
	{ "total gst", 0, 0 },
	{ "total vat", 0, 0 },
	{ "total discount", 0, 0 },
	{ "total saving", 0, 0 },
	{ "total points", 0, 0 },
	{ "netto", 0, 0 },
	{ "brutto", LEX_KW_EXACT, 0 }, /* not "BUTTON" */
	{ "summe mwst", 0, 0 },
	{ "enthalt", 0, 0 },
	{ "enthaelt", 0, 0 },
	{ "jumlah kecil", 0, 1 },
	{ "gross amt", 0, 1 }, /* India's, before the discount */
	{ "jumlah cukai", 0, 0 },
	{ "suma ptu", 0, 0 },
	{ "montant ht", LEX_KW_EXACT, 0 },
	/* Carried over a page break: "Übertrag 18,43", "B/F 14.20". */
	{ "ubertrag", 0, 0 },
	{ "uebertrag", 0, 0 },
	{ "b/f", W | LEX_KW_EXACT, 0 },
	{ "sprzeda", 0, 0 },
	{ "zaklad", W, 0 },
	{ "celkem dph", 0, 0 },
	{ "reszosszeg", 0, 1 },		  /* Hungarian */
	{ "mezisoucet", 0, 1 },		  /* Czech */
	{ "medjuzbroj", 0, 1 },		  /* Croatian */
	{ "varer", W | LEX_KW_EXACT, 1 }, /* Norway's "Sum 8 varer" */
	{ "varor", W | LEX_KW_EXACT, 1 }, /* Sweden's "Totalt 7 varor" */
	{ "items", W | LEAD, 1 },	  /* "9 Items 74.40" */
};

/* A card's lines with a total-like word, with their class: a US slip's
 * "10.22 TOTAL PURCHASE" is the amount charged to that card (a share of
 * the bill where tenders split it), "FS BALANCE 143.58" what is left on
 * it. */
static const struct keyword card_keywords[] = {
	{ "total purchase", 0, GENERIC_LINE_CARD },
	{ "fs balance", 0, GENERIC_LINE_NOT_TOTAL },
	{ "fs bal", W, GENERIC_LINE_NOT_TOTAL },
	{ "card balance", 0, GENERIC_LINE_NOT_TOTAL },
	{ "remaining balance", 0, GENERIC_LINE_NOT_TOTAL },
	{ "available balance", 0, GENERIC_LINE_NOT_TOTAL },
};

/* Change comes before the other classes: "Rückgeld BAR" is change, not
 * cash tendered. */
static const struct keyword change_keywords[] = {
	{ "ruckgeld", 0, GENERIC_LINE_CHANGE },
	/* Short foreign words exact: "Einnentaler" is one slip from
	 * "pinnen". */
	{ "rendu", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },
	{ "a rendre", 0, GENERIC_LINE_CHANGE },
	{ "wisselgeld", 0, GENERIC_LINE_CHANGE },
	{ "terug", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },
	{ "resto", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },
	{ "cambio", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },
	{ "troco", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },
	{ "retour", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE }, /* Swiss */
	{ "rueckgeld", 0, GENERIC_LINE_CHANGE },
	/* Tesseract reads ü as "ii": "Riickgeld", "Zuriick". */
	{ "riickgeld", 0, GENERIC_LINE_CHANGE },
	{ "zuriick", W | LEAD, GENERIC_LINE_CHANGE },
	{ "wechselgeld", 0, GENERIC_LINE_CHANGE },
	/* Not "Krugpfand zurück -20,00", a deposit returned. */
	{ "zuruck", W | LEAD, GENERIC_LINE_CHANGE },
	{ "change", W, GENERIC_LINE_CHANGE },
	{ "baki", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },  /* Malay */
	{ "reszta", W, GENERIC_LINE_CHANGE },		    /* Polish */
	{ "vaxel", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE }, /* Swedish */
	{ "byttepenger", 0, GENERIC_LINE_CHANGE },	    /* Norwegian */
	{ "tilbage", W, GENERIC_LINE_CHANGE },		    /* Danish */
	{ "takaisin", W, GENERIC_LINE_CHANGE },		    /* Finnish */
	{ "visszajaro", 0, GENERIC_LINE_CHANGE },	    /* Hungarian */
	{ "vydavok", W, GENERIC_LINE_CHANGE },		    /* Slovak */
	{ "vydane", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE },
	{ "tagastus", W, GENERIC_LINE_CHANGE },		    /* Estonian */
	{ "graza", W | LEX_KW_EXACT, GENERIC_LINE_CHANGE }, /* Lithuanian */
	{ "atlikums", W, GENERIC_LINE_CHANGE },		    /* Latvian */
	{ "vraceno", W, GENERIC_LINE_CHANGE },		    /* Czech */
	{ "retourgeld", W, GENERIC_LINE_CHANGE },	    /* Swiss */
	{ "cg", W | LEX_KW_EXACT | ALONE, GENERIC_LINE_CHANGE },
};

/* Cash paid out with a debit payment: no cash tendered, no total, and
 * the card's amount less it is the total (generic_total.c). */
static const struct keyword cash_out_keywords[] = {
	{ "cash back", 0, 0 }, { "cashback", 0, 0 },
	{ "cash out", 0, 0 }, /* Australia's EFTPOS */
	{ "cashout", 0, 0 },   { "bargeld-auszahlung", 0, 0 },
};

/* Classes of lines that are neither items nor the total. */
static const struct keyword class_keywords[] = {
	/* A town's tax per night is charged like a room, no VAT (a US
	 * "City Tax" is a sales tax). */
	{ "tourist tax", 0, GENERIC_LINE_PLAIN },
	{ "kurtaxe", 0, GENERIC_LINE_PLAIN },
	{ "ortstaxe", 0, GENERIC_LINE_PLAIN },
	{ "taxe de sejour", 0, GENERIC_LINE_PLAIN },
	{ "tassa di soggiorno", 0, GENERIC_LINE_PLAIN },
	{ "toeristenbelasting", 0, GENERIC_LINE_PLAIN },
	/* A unit price under its item ("Einzelpreis EUR 9,95"): the item
	 * line carries the amount, so this one is neither item nor total. */
	{ "einzelpreis", 0, GENERIC_LINE_NOT_TOTAL },
	{ "vertragspreis", 0, GENERIC_LINE_NOT_TOTAL }, /* a pharmacy's */
	{ "regular price", 0, GENERIC_LINE_NOT_TOTAL },
	/* A price cut's note under the item: "REDUCED FROM £2.30",
	 * "ROLLBACK WAS £7.00". */
	{ "reduced from", 0, GENERIC_LINE_NOT_TOTAL },
	{ "rollback was", LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "was", W | LEX_KW_EXACT | LEAD, GENERIC_LINE_NOT_TOTAL },
	/* Australia's shelf notes: "Half Price  Was $5.00", "Special
	 * Save $2.50"; the price charged is the item's. */
	{ "was $", LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "save $", LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "was \xC2\xA3", LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "saved $", LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "save \xC2\xA3", LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "return value", 0, GENERIC_LINE_NOT_TOTAL },
	/* France's recycling fee, included: "dont eco-participation". */
	{ "dont eco", 0, GENERIC_LINE_NOT_TOTAL },
	/* A pump's hold on the card, released less the fuel drawn. */
	{ "pre-auth", 0, GENERIC_LINE_NOT_TOTAL },
	{ "preauth", 0, GENERIC_LINE_NOT_TOTAL },
	{ "pre-autori", 0, GENERIC_LINE_NOT_TOTAL },
	{ "vorautorisierung", 0, GENERIC_LINE_NOT_TOTAL },
	{ "preautori", 0, GENERIC_LINE_NOT_TOTAL },
	{ "reservierung", 0, GENERIC_LINE_NOT_TOTAL },
	{ "gereserveerd", 0, GENERIC_LINE_NOT_TOTAL },
	{ "reservering", 0, GENERIC_LINE_NOT_TOTAL },
	/* Savings notes under an item: "Sie sparen 2,00 EUR". */
	{ "sie sparen", 0, GENERIC_LINE_NOT_TOTAL },
	/* "PRIX RÉG. 6,49 ÉCONOMIE 1,50" (and see reg_price()). */
	{ "prix reg", 0, GENERIC_LINE_NOT_TOTAL },
	{ "economie", W | LEAD, GENERIC_LINE_NOT_TOTAL },
	/* A gift card sold, its value loaded under it. */
	{ "uw voordeel", 0, GENERIC_LINE_NOT_TOTAL },
	/* A plan paid later: "£5.99 per month", "(not charged today)". */
	{ "per month", 0, GENERIC_LINE_NOT_TOTAL },
	{ "not charged", 0, GENERIC_LINE_NOT_TOTAL },
	{ "aufgeladen", 0, GENERIC_LINE_NOT_TOTAL },
	{ "value loaded", 0, GENERIC_LINE_NOT_TOTAL },
	{ "you saved", 0, GENERIC_LINE_NOT_TOTAL },
	{ "stuckpreis", 0, GENERIC_LINE_NOT_TOTAL },
	/* A list price under a pharmacy's item ("AVP 13,45 EUR") or a
	 * shop's ("UVP 19,99"): the price charged is printed apart. */
	{ "zuzahlung", W, GENERIC_LINE_PLAIN }, /* "AVP 14,46 Zuzahlung 5,00" */
	/* "UVP 109,99 Aktionspreis 89,99" charges, "statt 69,99" not. */
	{ "aktionspreis", 0, GENERIC_LINE_PLAIN },
	{ "statt", W | LEX_KW_EXACT, GENERIC_LINE_NOT_TOTAL },
	{ "zuz.", W, GENERIC_LINE_PLAIN },
	{ "avp", W | LEAD, GENERIC_LINE_NOT_TOTAL },
	{ "uvp", W | LEAD, GENERIC_LINE_NOT_TOTAL },
	/* Switzerland's recycling fee, included in the price above. */
	{ "vrg", W, GENERIC_LINE_NOT_TOTAL },
	{ "rounding", 0, GENERIC_LINE_ROUNDING },
	{ "rundung", 0, GENERIC_LINE_ROUNDING },
	{ "arrondi", W, GENERIC_LINE_ROUNDING },
	{ "round off", 0, GENERIC_LINE_ROUNDING },
	{ "arrotondamento", 0, GENERIC_LINE_ROUNDING },
	{ "round adj", 0, GENERIC_LINE_ROUNDING },
	/* The Low Countries', the Nordics' and Poland's cash rounding. */
	{ "afronding", W, GENERIC_LINE_ROUNDING },
	{ "afrunding", W, GENERIC_LINE_ROUNDING },
	{ "avrunding", W, GENERIC_LINE_ROUNDING },
	{ "avrundning", 0, GENERIC_LINE_ROUNDING }, /* "Öresavrundning" */
	{ "oresavrundning", W, GENERIC_LINE_ROUNDING },
	{ "pyoristys", W, GENERIC_LINE_ROUNDING },
	{ "zaokraglenie", W, GENERIC_LINE_ROUNDING },
	{ "zaokruhlenie", W, GENERIC_LINE_ROUNDING }, /* Slovak */
	{ "zaokrouhleni", W, GENERIC_LINE_ROUNDING }, /* Czech */
	{ "trinkgeld", 0, GENERIC_LINE_TIP },
	{ "gratuity", 0, GENERIC_LINE_TIP },
	{ "fooi", W, GENERIC_LINE_TIP },
	{ "pourboire", 0, GENERIC_LINE_TIP },
	/* Not "PG Tips" (tea); too short a word for lex_keyword's slips,
	 * so its i read as 1 or l is spelt out. */
	{ "tip", W | LEAD, GENERIC_LINE_TIP },
	{ "t1p", W | LEAD, GENERIC_LINE_TIP },
	{ "tlp", W | LEAD, GENERIC_LINE_TIP },
	{ "tips", W | LEAD, GENERIC_LINE_TIP },
	/* Written in under a gratuity already charged. */
	{ "additional tip", W | LEAD, GENERIC_LINE_TIP },
	/* Before the cards: "Geschenkkarte" is no card payment. */
	{ "gutschein", 0, GENERIC_LINE_VOUCHER },
	/* Keywords match at a word's start: the compounds' own. */
	{ "geschenkgutschein", 0, GENERIC_LINE_VOUCHER },
	{ "einkaufsgutschein", 0, GENERIC_LINE_VOUCHER },
	{ "warengutschein", 0, GENERIC_LINE_VOUCHER },
	{ "wertgutschein", 0, GENERIC_LINE_VOUCHER },
	{ "cash rewards", 0, GENERIC_LINE_VOUCHER }, /* Walgreens' */
	{ "geschenkkarte", 0, GENERIC_LINE_VOUCHER },
	{ "leergutbon", 0, GENERIC_LINE_VOUCHER },
	{ "wertbon", 0, GENERIC_LINE_VOUCHER },
	{ "gift card", 0, GENERIC_LINE_VOUCHER },
	{ "giftcard", 0, GENERIC_LINE_VOUCHER },
	{ "cadeaukaart", 0, GENERIC_LINE_VOUCHER }, /* Dutch */
	{ "cadeaubon", 0, GENERIC_LINE_VOUCHER },
	{ "voucher", W, GENERIC_LINE_VOUCHER },
	{ "ec-karte", 0, GENERIC_LINE_CARD },
	{ "ec cash", 0, GENERIC_LINE_CARD },
	{ "girocard", 0, GENERIC_LINE_CARD },
	{ "kartenzahlung", 0, GENERIC_LINE_CARD },
	{ "karte", W | LEAD, GENERIC_LINE_CARD }, /* not "microSD-Karte" */
	{ "visa", W, GENERIC_LINE_CARD },
	{ "mastercard", W, GENERIC_LINE_CARD }, /* not "MASTERCRAFT" */
	{ "credit", W | LEAD, GENERIC_LINE_CARD },
	{ "eft", W | LEAD, GENERIC_LINE_CARD }, /* Australia's EFTPOS */
	{ "eftpos", W | LEAD, GENERIC_LINE_CARD },
	{ "maestro", W, GENERIC_LINE_CARD },
	{ "credit card", 0, GENERIC_LINE_CARD },
	{ "debit", W, GENERIC_LINE_CARD },
	{ "ebt", W | LEAD, GENERIC_LINE_CARD }, /* US food stamps */
	/* "CARD 13.47" under the total; not "Birthday Card 2.99". */
	{ "card", W | ALONE, GENERIC_LINE_CARD },
	{ "carte bancaire", 0, GENERIC_LINE_CARD },
	{ "cb", W | LEAD, GENERIC_LINE_CARD },
	{ "pinnen", LEX_KW_EXACT, GENERIC_LINE_CARD },
	{ "pin", W | LEAD, GENERIC_LINE_CARD },
	{ "bancontact", 0, GENERIC_LINE_CARD },
	{ "pagamento elettronico", 0, GENERIC_LINE_CARD },
	{ "tarjeta", 0, GENERIC_LINE_CARD },
	{ "multibanco", 0, GENERIC_LINE_CARD },
	{ "bankomatkarte", 0, GENERIC_LINE_CARD },
	{ "bankomat", W | LEAD, GENERIC_LINE_CARD }, /* Austria's debit */
	{ "mb way", W, GENERIC_LINE_CARD },	     /* Portugal's wallet */
	{ "mada", W | LEX_KW_EXACT | LEAD, GENERIC_LINE_CARD }, /* Saudi */
	{ "m-pesa", W, GENERIC_LINE_CARD },			/* Kenya */
	{ "promptpay", W, GENERIC_LINE_CARD },			/* Thailand */
	{ "ez-link", W, GENERIC_LINE_CARD },			/* Singapore */
	/* France's meal vouchers pay part of a bill. */
	{ "titre restaurant", 0, GENERIC_LINE_VOUCHER },
	{ "ticket restaurant", 0, GENERIC_LINE_VOUCHER },
	{ "carta di credito", LEX_KW_EXACT, GENERIC_LINE_CARD },
	{ "carta di debito", LEX_KW_EXACT, GENERIC_LINE_CARD },
	{ "american express", 0, GENERIC_LINE_CARD },
	{ "discover", W | LEAD, GENERIC_LINE_CARD },
	{ "extrabucks", 0, GENERIC_LINE_VOUCHER },
	/* Loyalty points spent: "ADVANTAGE CARD POINTS £4.00". */
	{ "card points", 0, GENERIC_LINE_VOUCHER },
	{ "points redeemed", 0, GENERIC_LINE_VOUCHER },
	{ "amex", W, GENERIC_LINE_CARD },
	{ "mc", W | LEX_KW_EXACT | ALONE, GENERIC_LINE_CARD }, /* Mastercard */
	/* Staff and student cards pay in canteens. */
	{ "mitarbeiterkarte", 0, GENERIC_LINE_CARD },
	{ "mensakarte", 0, GENERIC_LINE_CARD },
	{ "campuscard", 0, GENERIC_LINE_CARD },
	{ "chipkarte", 0, GENERIC_LINE_CARD },
	/* Malaysia's and Singapore's debit and wallets pay like cards. */
	{ "mydebit", W, GENERIC_LINE_CARD },
	{ "ewallet", W, GENERIC_LINE_CARD },
	{ "e-wallet", W, GENERIC_LINE_CARD },
	{ "duitnow", W, GENERIC_LINE_CARD },
	{ "grabpay", W, GENERIC_LINE_CARD },
	{ "shopeepay", W, GENERIC_LINE_CARD },
	{ "touch n go", W, GENERIC_LINE_CARD },
	{ "paynow", W, GENERIC_LINE_CARD },
	{ "alipay", W, GENERIC_LINE_CARD },
	{ "octopus", W, GENERIC_LINE_CARD },
	{ "gcash", W, GENERIC_LINE_CARD },
	{ "upi", W | LEX_KW_EXACT, GENERIC_LINE_CARD },
	{ "paytm", W, GENERIC_LINE_CARD },
	{ "master", W | LEX_KW_EXACT | LEAD, GENERIC_LINE_CARD },
	{ "cartao", W | LEX_KW_EXACT | LEAD,
	  GENERIC_LINE_CARD },				  /* not "CARTA" */
	{ "tunai", W | LEX_KW_EXACT, GENERIC_LINE_CASH }, /* Malay */
	{ "gotowka", W, GENERIC_LINE_CASH },		  /* Polish */
	{ "hotovost", W, GENERIC_LINE_CASH },		  /* Czech */
	{ "karta", W | LEX_KW_EXACT | LEAD, GENERIC_LINE_CARD }, /* not Karma */
	{ "platebni karta", 0, GENERIC_LINE_CARD },
	{ "kartou", W, GENERIC_LINE_CARD },
	{ "hotove", W, GENERIC_LINE_CASH },
	/* The Nordic countries' cards, wallets and cash; Hungary's. */
	{ "kort", W | LEX_KW_EXACT | LEAD, GENERIC_LINE_CARD },
	{ "bankkort", W, GENERIC_LINE_CARD },
	{ "dankort", W, GENERIC_LINE_CARD },
	{ "mobilepay", W, GENERIC_LINE_CARD },
	{ "vipps", W, GENERIC_LINE_CARD },
	{ "swish", W, GENERIC_LINE_CARD },
	{ "pankkikortti", 0, GENERIC_LINE_CARD },
	{ "bankkartya", 0, GENERIC_LINE_CARD },
	{ "kontant", W | LEX_KW_EXACT, GENERIC_LINE_CASH }, /* not Montant */
	{ "kontanter", W | LEX_KW_EXACT, GENERIC_LINE_CASH },
	{ "bankaxept", W, GENERIC_LINE_CARD }, /* Norway's debit */
	{ "kortti", W | LEX_KW_EXACT | LEAD, GENERIC_LINE_CARD }, /* Finnish */
	{ "mcard", W | LEX_KW_EXACT, GENERIC_LINE_CARD }, /* "MCARD TEND" */
	{ "debitkarte", W, GENERIC_LINE_CARD },
	{ "korttimaksu", W, GENERIC_LINE_CARD },
	/* Croatia's and Slovenia's: "Kartica", "Plačano s kartico",
	 * "Gotovina". */
	{ "kartica", W, GENERIC_LINE_CARD },
	{ "kartico", W | LEX_KW_EXACT, GENERIC_LINE_CARD },
	{ "gotovina", W, GENERIC_LINE_CASH },
	{ "blik", W | LEX_KW_EXACT | ALONE,
	  GENERIC_LINE_CARD },			/* Dutch: a can */
	{ "pangakaart", 0, GENERIC_LINE_CARD }, /* Estonian */
	{ "kaardiga", W, GENERIC_LINE_CARD },
	{ "sularaha", W, GENERIC_LINE_CASH },
	{ "mokejimo kortele", 0, GENERIC_LINE_CARD }, /* Lithuanian */
	{ "grynieji", W, GENERIC_LINE_CASH },
	{ "skaidra nauda", 0, GENERIC_LINE_CASH }, /* Latvian */
	{ "kateinen", W, GENERIC_LINE_CASH },
	{ "keszpenz", W, GENERIC_LINE_CASH },
	{ "zaokrouhleni", 0, GENERIC_LINE_ROUNDING },
	{ "kerekites", 0, GENERIC_LINE_ROUNDING },
	{ "bargeld", 0, GENERIC_LINE_CASH },
	{ "eingezahlt", 0, GENERIC_LINE_CASH }, /* ticket machines */
	{ "bar", W | LEAD, GENERIC_LINE_CASH },
	{ "ba", W | LEX_KW_EXACT | ALONE, GENERIC_LINE_CASH }, /* old tills */
	{ "munzen", W | LEAD, GENERIC_LINE_CASH }, /* coin machines */
	{ "gegeben", 0, GENERIC_LINE_CASH },
	{ "geg.", 0, GENERIC_LINE_CASH },
	{ "cash", W, GENERIC_LINE_CASH },
	{ "tendered", 0, GENERIC_LINE_CASH },
	/* After the cards: "Bezahlt EC-Karte" is a card payment. */
	{ "bezahlt", W | LEAD, GENERIC_LINE_CASH },
	{ "especes", 0, GENERIC_LINE_CASH },
	{ "contant", W | LEX_KW_EXACT, GENERIC_LINE_CASH },
	{ "contanti", 0, GENERIC_LINE_CASH },
	{ "contante", 0, GENERIC_LINE_CASH },
	{ "efectivo", 0, GENERIC_LINE_CASH },
	{ "entregado", 0, GENERIC_LINE_CASH },
	{ "numerario", 0, GENERIC_LINE_CASH },
	{ "mwst", 0, GENERIC_LINE_TAX },
	{ "ust", W, GENERIC_LINE_TAX },
	{ "steuer", 0, GENERIC_LINE_TAX },
	{ "vat", W, GENERIC_LINE_TAX },
	{ "gst", W, GENERIC_LINE_TAX },
	{ "sst", W, GENERIC_LINE_TAX },
	{ "hst", W, GENERIC_LINE_TAX },
	{ "pst", W, GENERIC_LINE_TAX },
	{ "qst", W, GENERIC_LINE_TAX },
	{ "tax", W, GENERIC_LINE_TAX },
	{ "taxes", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* not "Tages" */
	{ "tva", W, GENERIC_LINE_TAX },
	{ "btw", W, GENERIC_LINE_TAX },
	{ "iva", W, GENERIC_LINE_TAX },
	{ "tps", W, GENERIC_LINE_TAX },			 /* Quebec's GST */
	{ "tvq", W, GENERIC_LINE_TAX },			 /* and its QST */
	{ "cukai", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Malay */
	{ "ptu", W | LEX_KW_EXACT, GENERIC_LINE_TAX },	 /* Polish VAT */
	{ "cgst", W, GENERIC_LINE_TAX },		 /* India's */
	{ "sgst", W, GENERIC_LINE_TAX },
	{ "igst", W, GENERIC_LINE_TAX },
	/* A deposit in the price above: "inkl. 0,25 € Pfand". */
	{ "inkl", W | LEAD, GENERIC_LINE_NOT_TOTAL },
	{ "incl", W | LEAD, GENERIC_LINE_NOT_TOTAL },
	{ "dph", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Czech VAT */
	{ "moms", W, GENERIC_LINE_TAX },	       /* Swedish, Danish */
	{ "mva", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Norwegian */
	{ "alv", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Finnish */
	{ "afa", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Hungarian */
	{ "pdv", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Croatian */
	{ "ddv", W | LEX_KW_EXACT, GENERIC_LINE_TAX }, /* Slovenian */
	{ "kwota", W | LEAD, GENERIC_LINE_TAX }, /* Polish "Kwota A 23,00%" */
};

/* Item kinds; the return words come before plain "pfand". */
static const struct keyword kind_keywords[] = {
	{ "leergut", 0, RECEIPT_DEPOSIT_RETURN },
	{ "pfandruckgabe", 0, RECEIPT_DEPOSIT_RETURN },
	{ "pfand-ruckgabe", 0, RECEIPT_DEPOSIT_RETURN },
	{ "pfandrueckgabe", 0, RECEIPT_DEPOSIT_RETURN },
	{ "ruckgabe", 0, RECEIPT_DEPOSIT_RETURN },
	{ "pfand zuruck", 0, RECEIPT_DEPOSIT_RETURN },
	{ "zwrot kaucji", 0, RECEIPT_DEPOSIT_RETURN },	 /* Polish */
	{ "leeggoed terug", 0, RECEIPT_DEPOSIT_RETURN }, /* Dutch */
	{ "leeggoed retour", 0, RECEIPT_DEPOSIT_RETURN },
	{ "vracene obaly", 0, RECEIPT_DEPOSIT_RETURN }, /* Czech */
	{ "vratka", W | LEX_KW_EXACT, RECEIPT_DEPOSIT_RETURN },
	{ "pfand", 0, RECEIPT_DEPOSIT },
	{ "leeggoed", W, RECEIPT_DEPOSIT },
	{ "statiegeld", W, RECEIPT_DEPOSIT },		 /* Dutch */
	{ "pantti", W | LEX_KW_EXACT, RECEIPT_DEPOSIT }, /* Finnish */
	{ "kaucja", W, RECEIPT_DEPOSIT },		 /* Polish */
	{ "zaloha", W, RECEIPT_DEPOSIT },		 /* Czech */
	{ "visszavaltasi dij", 0, RECEIPT_DEPOSIT },	 /* Hungarian */
	{ "pant", W | LEX_KW_EXACT, RECEIPT_DEPOSIT },	 /* Nordic */
	{ "einwegpfand", 0, RECEIPT_DEPOSIT },
	{ "mehrwegpfand", 0, RECEIPT_DEPOSIT },
	{ "deposit", W, RECEIPT_DEPOSIT },
	{ "rabatt", 0, RECEIPT_DISCOUNT },
	{ "nachlass", 0, RECEIPT_DISCOUNT },
	{ "preisvorteil", 0, RECEIPT_DISCOUNT },
	{ "coupon", 0, RECEIPT_DISCOUNT },
	{ "gutschein", 0, RECEIPT_DISCOUNT },
	{ "disc. service", 0, RECEIPT_ITEM }, /* discretionary */
	{ "discretionary", 0, RECEIPT_ITEM },
	{ "discount", 0, RECEIPT_DISCOUNT },
	{ "disc", W, RECEIPT_DISCOUNT },
	{ "kedvezmeny", 0, RECEIPT_DISCOUNT },		 /* Hungarian */
	{ "rabat", W | LEX_KW_EXACT, RECEIPT_DISCOUNT }, /* Danish, Polish */
	{ "korting", W, RECEIPT_DISCOUNT },		 /* Dutch */
	{ "alennus", W, RECEIPT_DISCOUNT },		 /* Finnish */
};

/* Receipt number labels, most specific first. */
static const struct keyword number_keywords[] = {
	{ "bon-nr", 0, 0 },	{ "beleg-nr", 0, 0 },	 { "belegnr", 0, 0 },
	{ "receipt no", 0, 0 }, { "receipt #", 0, 0 },	 { "invoice no", 0, 0 },
	{ "inv. no", 0, 0 },	{ "bill no", 0, 0 },	 { "cash bill", 0, 0 },
	{ "doc no", 0, 0 },	{ "transaktion", W, 0 }, { "trans", W, 0 },
	{ "ta-nr", 0, 0 },	{ "beleg", W, 0 },	 { "bon", W, 0 },
	{ "receipt", W, 0 },	{ "invoice", W, 0 },
};

/* Header lines that are not the store's name. */
static const struct keyword not_name_keywords[] = {
	{ "tel", W, 0 },
	{ "telefon", 0, 0 },
	{ "fax", W, 0 },
	{ "phone", 0, 0 },
	{ "www", 0, 0 },
	{ "http", 0, 0 },
	{ "str.", W, 0 },
	{ "strasse", 0, 0 },
	{ "eur", W | LEX_KW_EXACT | ALONE, 0 }, /* the price column's head */
	{ "welcome", LEX_KW_EXACT, 0 },		/* not "WELLCOME" */
	{ "willkommen", 0, 0 },
	{ "rechnung", 0, 0 },
	{ "kassenbon", 0, 0 },
	{ "quittung", 0, 0 },
	/* Screenshots of apps and e-mails: titles and thanks. */
	{ "bestellbestatigung", 0, 0 },
	{ "bestellbestaetigung", 0, 0 },
	{ "buchungsbestatigung", 0, 0 },
	{ "buchungsbestaetigung", 0, 0 },
	{ "danke", W, 0 },
	{ "thank you", 0, 0 },
	{ "tax invoice", 0, 0 },
	{ "receipt", W, 0 },
	{ "uid", W, 0 },
	{ "ust-id", 0, 0 },
	{ "gst id", 0, 0 },
	{ "gst reg", 0, 0 },
	{ "co. reg", 0, 0 },
	{ "beleg", W, 0 },
	{ "kasse", W | LEX_KW_EXACT, 0 }, /* not "KÄSE MAIER" */
	{ "filiale", W, 0 },
	{ "kopie", W | LEX_KW_EXACT, 0 },
	{ "duplikat", W, 0 },
	{ "duplicate", W, 0 },
	{ "branch", W, 0 },
	/* Slogans: "Backen mit Liebe seit 1921", "Meisterbetrieb". */
	{ "meisterbetrieb", ALONE, 0 },
	{ "familienbetrieb", ALONE, 0 },
	{ "seit", W, 0 },
	{ "since", W, 0 },
	{ "please retain", 0, 0 }, /* a slip's */
	/* A card slip's and the tills' own titles. */
	{ "carte bancaire", 0, 0 },
	{ "sans contact", 0, 0 },
	{ "kartenzahlung", 0, 0 },
	{ "kundenbeleg", 0, 0 },
	{ "nyugta", W | LEX_KW_EXACT, 0 },
	{ "kvittun", W | LEX_KW_EXACT, 0 },
	{ "documento commerciale", 0, 0 },
};

/* Titles of papers that prove no purchase. A title stands alone on its
 * line (stars, dashes and a number aside): "Angebot" is also a shelf
 * offer among the items, "Storno" a voided item. */
static const struct keyword title_keywords[] = {
	{ "angebot", W, RECEIPT_DOC_QUOTE },
	{ "kostenvoranschlag", LEAD, RECEIPT_DOC_QUOTE },
	{ "quote", W, RECEIPT_DOC_QUOTE },
	{ "quotation", W, RECEIPT_DOC_QUOTE },
	{ "estimate", W, RECEIPT_DOC_QUOTE },
	{ "auftragsbestatigung", 0, RECEIPT_DOC_ORDER },
	{ "reparaturauftrag", LEAD, RECEIPT_DOC_ORDER },
	{ "auftragsbestaetigung", 0, RECEIPT_DOC_ORDER },
	{ "bestellbestatigung", 0, RECEIPT_DOC_ORDER },
	{ "bestellbestaetigung", 0, RECEIPT_DOC_ORDER },
	{ "order confirmation", 0, RECEIPT_DOC_ORDER },
	{ "sales order", 0, RECEIPT_DOC_ORDER },
	{ "lieferschein", 0, RECEIPT_DOC_ORDER },
	{ "bestellschein", 0, RECEIPT_DOC_ORDER },
	{ "vorbestellung", LEX_KW_EXACT,
	  RECEIPT_DOC_ORDER }, /* "Vorstellung" */
	{ "delivery note", LEX_KW_EXACT, RECEIPT_DOC_ORDER }, /* not "date" */
	{ "delivery order", 0, RECEIPT_DOC_ORDER },
	{ "zwischenrechnung", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "interim bill", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "proforma", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "pro-forma", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "training", W, RECEIPT_DOC_TRAINING },
	{ "trainingsbon", 0, RECEIPT_DOC_TRAINING },
	{ "ovningskvitto", 0, RECEIPT_DOC_TRAINING },
	{ "storno racuna", 0, RECEIPT_DOC_CANCELLED },
	{ "paragon anulowany", 0, RECEIPT_DOC_CANCELLED },
	{ "forelopig regning", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "pantkvitto", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pantbong", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "storno bon", 0, RECEIPT_DOC_CANCELLED },
	{ "stornobon", 0, RECEIPT_DOC_CANCELLED },
	{ "storno-bon", 0, RECEIPT_DOC_CANCELLED },
	{ "bon-storno", 0, RECEIPT_DOC_CANCELLED },
	/* "S T O R N O - B O N", its letters joined */
	{ "storno - bon", 0, RECEIPT_DOC_CANCELLED },
	{ "beleg storniert", 0, RECEIPT_DOC_CANCELLED },
	{ "void transaction", 0, RECEIPT_DOC_CANCELLED },
	{ "devis", W, RECEIPT_DOC_QUOTE },
	{ "presupuesto", 0, RECEIPT_DOC_QUOTE },
	{ "offerte", W, RECEIPT_DOC_QUOTE },
	{ "bon de commande", 0, RECEIPT_DOC_ORDER },
	{ "preconto", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "preventivo", LEAD, RECEIPT_DOC_QUOTE },
	{ "cuenta", W | ALONE, RECEIPT_DOC_INTERIM_BILL },
	{ "harjoitustila", 0, RECEIPT_DOC_TRAINING },
	{ "tilbud", W | LEX_KW_EXACT,
	  RECEIPT_DOC_QUOTE }, /* not "Tilbud -5,00" */
	{ "bestilling", W | LEX_KW_EXACT, RECEIPT_DOC_ORDER },
	/* A till's reports: the day's or a shift's sums, no purchase. */
	{ "z-bericht", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "x-bericht", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "z-bon", W | LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "tagesabschluss", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "kassenabschluss", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "kassenbericht", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "kassensturz", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "finanzbericht", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "tagesbericht", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "z-report", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "x-report", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "end of day report", LEAD, RECEIPT_DOC_TILL_REPORT },
	{ "preducet", W, RECEIPT_DOC_INTERIM_BILL },
	{ "nota de plata", 0, RECEIPT_DOC_INTERIM_BILL },
	/* Slovakia's bottle machines: "ZÁLOHOMAT TOMRA", "POTVRDENKA O
	 * VRÁTENÍ ZÁLOHY". */
	{ "zalohomat", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "potvrdenka o vrateni", 0, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "keine zahlung erfolgt", 0, RECEIPT_DOC_CANCELLED },
	{ "ticket anulado", 0, RECEIPT_DOC_CANCELLED },
	{ "operacion cancelada", 0, RECEIPT_DOC_CANCELLED },
	{ "annullamento", 0, RECEIPT_DOC_CANCELLED },
	{ "annulation", 0, RECEIPT_DOC_CANCELLED },
	{ "transaction voided", 0, RECEIPT_DOC_CANCELLED },
	{ "transaction cancelled", 0, RECEIPT_DOC_CANCELLED },
	{ "transaction canceled", 0, RECEIPT_DOC_CANCELLED },
	{ "no sale", 0, RECEIPT_DOC_CANCELLED },
	{ "void", W | LEX_KW_EXACT, RECEIPT_DOC_CANCELLED },
	{ "check voided", 0, RECEIPT_DOC_CANCELLED },
	{ "bon abgebrochen", 0, RECEIPT_DOC_CANCELLED },
	{ "vorgang abgebrochen", 0, RECEIPT_DOC_CANCELLED },
	/* A bottle machine's voucher pays out, it proves no purchase; its
	 * title may name the machine ("LEERGUTBON Rücknahmeautomat 3"). */
	{ "leergutbon", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "leergut-bon", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pfandbon", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pfandgutschrift", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pfand-gutschein", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "leergutrucknahme", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "leergutruecknahme", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pfandgutschein", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "leergutquittung", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	/* The machine's own name or the empties alone head its voucher
	 * ("LEERGUT / PFAND", "Leergutautomat"); a till's "Pfandrückgabe"
	 * pays the deposit out in cash, a refund. */
	{ "leergut", W | LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "statiegeld", W | LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "panttikuitti", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pantkvittering", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "confirmacao de encomenda", 0, RECEIPT_DOC_ORDER },
	{ "confirmacion de pedido", 0, RECEIPT_DOC_ORDER },
	{ "conferma d'ordine", 0, RECEIPT_DOC_ORDER },
	{ "confirmation de commande", 0, RECEIPT_DOC_ORDER },
	{ "leergutautomat", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "rucknahmeautomat", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "ruecknahmeautomat", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "bon vidange", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER }, /* Belgium */
	{ "leeggoedbon", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	/* A table's bill before paying, in Spain and Portugal. */
	{ "pre-cuenta", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "precuenta", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "consulta de mesa", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "tussenrekening", 0, RECEIPT_DOC_INTERIM_BILL },
	/* A delivery paid at the door: no payment yet. */
	{ "nicht bezahlt", 0, RECEIPT_DOC_ORDER },
	/* Sweden's, Denmark's and the Low Countries' cancelled receipts;
	 * Flemish and Czech orders; Poland's training mode, Hungary's and
	 * Croatia's bottle vouchers; English ones. */
	{ "makulerat", W, RECEIPT_DOC_CANCELLED },
	{ "stornobeleg", W, RECEIPT_DOC_CANCELLED },
	{ "bottle return receipt", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pre-check", W, RECEIPT_DOC_INTERIM_BILL },
	{ "annulleret", W, RECEIPT_DOC_CANCELLED },
	{ "geannuleerd", W, RECEIPT_DOC_CANCELLED },
	{ "bestelbon", W, RECEIPT_DOC_ORDER },
	{ "objednavka", W, RECEIPT_DOC_ORDER },
	{ "niefiskalny", W, RECEIPT_DOC_INTERIM_BILL },
	{ "visszavaltasi bizonylat", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "return voucher", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "refund voucher", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "deposit voucher", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "deposit return voucher", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "bottle return voucher", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "recycling voucher", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	/* The Nordic bottle machines' and order papers, Dutch and
	 * Romanian ones, a pick-up ticket paid on collection. */
	{ "pantretur", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "depot-ruckgabe", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER }, /* Swiss */
	{ "depotruckgabe", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "palautuspullokuitti", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pantbon", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "pantebong", LEAD, RECEIPT_DOC_DEPOSIT_VOUCHER },
	{ "valilasku", W, RECEIPT_DOC_INTERIM_BILL },
	{ "ordrebekreftelse", 0, RECEIPT_DOC_ORDER },
	{ "orderbekraftelse", 0, RECEIPT_DOC_ORDER },
	{ "tilausvahvistus", 0, RECEIPT_DOC_ORDER },
	{ "opdrachtbevestiging", 0, RECEIPT_DOC_ORDER },
	{ "orderbevestiging", 0, RECEIPT_DOC_ORDER },
	{ "abholschein", LEAD, RECEIPT_DOC_ORDER },
	{ "oferta de pret", 0, RECEIPT_DOC_QUOTE },
};

/* Phrases that say so anywhere on a line. */
static const struct keyword not_receipt_keywords[] = {
	{ "kein kassenbeleg", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "kein kassenbon", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "bon wurde storniert", 0, RECEIPT_DOC_CANCELLED },
	{ "bon storniert", ALONE, RECEIPT_DOC_CANCELLED },
	/* The till's own words under the voided lines, a title wherever
	 * they stand. */
	{ "bon abgebrochen", ALONE, RECEIPT_DOC_CANCELLED },
	{ "vorgang abgebrochen", ALONE, RECEIPT_DOC_CANCELLED },
	{ "vorgang storniert", ALONE, RECEIPT_DOC_CANCELLED },
	/* The TSE's process types (DSFinV-K): an aborted or voided bon,
	 * a training one. */
	{ "avbelegabbruch", 0, RECEIPT_DOC_CANCELLED },
	{ "avbelegstorno", 0, RECEIPT_DOC_CANCELLED },
	{ "avtraining", 0, RECEIPT_DOC_TRAINING },
	{ "post void", 0, RECEIPT_DOC_CANCELLED },
	{ "no payment collected", 0, RECEIPT_DOC_CANCELLED },
	{ "please pay your server", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "balance due at pickup", 0, RECEIPT_DOC_ORDER },
	/* Portugal's and Spain's training mode: "MODO FORMAÇÃO". */
	{ "modo formacao", 0, RECEIPT_DOC_TRAINING },
	{ "de formacao", W | ALONE, RECEIPT_DOC_TRAINING },
	{ "modo formacion", 0, RECEIPT_DOC_TRAINING },
	{ "bon storniert durch", W, RECEIPT_DOC_CANCELLED },
	/* A hotel guest's meal goes on the room's bill, paid at leaving. */
	{ "auf zimmerrechnung", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "auf zimmer gebucht", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "charged to room", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "charge to room", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "kein zahlungsbeleg", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "keine rechnung", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "not a vat receipt", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "not a receipt", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "not an official receipt", 0, RECEIPT_DOC_INTERIM_BILL },
	/* Online orders, paid on delivery or not yet. */
	{ "payment will be taken", 0, RECEIPT_DOC_ORDER },
	{ "bestellung ist eingegangen", 0, RECEIPT_DOC_ORDER },
	{ "your order summary", 0, RECEIPT_DOC_ORDER },
	{ "trainingsmodus", 0, RECEIPT_DOC_TRAINING },
	{ "trainingsbeleg", 0, RECEIPT_DOC_TRAINING },
	{ "trainingsbuchung", 0, RECEIPT_DOC_TRAINING }, /* Austria's RKSV */
	{ "kein gultiger beleg", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "training mode", 0, RECEIPT_DOC_TRAINING },
	{ "schulungsmodus", 0, RECEIPT_DOC_TRAINING },
	{ "kein verkaufsbeleg", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "belegabbruch", 0, RECEIPT_DOC_CANCELLED },
	{ "non fiscale", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "ne vaut pas facture", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "ikke en kvittering", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "wydruk niefiskalny", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "gyakorlo uzemmod", 0, RECEIPT_DOC_TRAINING },
	{ "traningsbon", 0, RECEIPT_DOC_TRAINING }, /* Danish "træning" */
	{ "nem adougyi bizonylat", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "nao serve de fatura", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "no valido como factura", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "geen geldig betaalbewijs", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "ticket annule", 0, RECEIPT_DOC_CANCELLED },
	{ "mode formation", 0, RECEIPT_DOC_TRAINING },
	{ "makulerat kvitto", 0, RECEIPT_DOC_CANCELLED },
	{ "vollstandig storniert", 0, RECEIPT_DOC_CANCELLED },
	{ "storno zu rechnung", 0, RECEIPT_DOC_CANCELLED },
	{ "bonabbruch", 0, RECEIPT_DOC_CANCELLED },
	{ "einkauf storniert", 0, RECEIPT_DOC_CANCELLED },
	{ "kvitto ar makulerat", 0, RECEIPT_DOC_CANCELLED },
	{ "voorlopige rekening", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "vorlaufige rechnung", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "keine quittung", LEX_KW_EXACT, RECEIPT_DOC_INTERIM_BILL },
	/* Bills to pay elsewhere, invoices to transfer, pick-up slips. */
	{ "bitte an der kasse zahlen", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "bitte an der kasse bezahlen", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "bitte an der hauptkasse", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "please pay at the", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "please present to your server", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "present this bill to the cashier", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "a regler en caisse", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "pas un justificatif de paiement", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "bitte uberweisen", 0, RECEIPT_DOC_ORDER },
	{ "pay by bank transfer", 0, RECEIPT_DOC_ORDER },
	{ "zahlung bei abholung", 0, RECEIPT_DOC_ORDER },
	{ "bezahlung bei abholung", 0, RECEIPT_DOC_ORDER },
	{ "paiement au retrait", 0, RECEIPT_DOC_ORDER },
	{ "recapitulatif de votre commande", 0, RECEIPT_DOC_ORDER },
	/* Billed later: a delivery note's goods go on a monthly invoice. */
	{ "sammelrechnung", W, RECEIPT_DOC_ORDER },
	{ "freuen uns auf ihren auftrag", 0, RECEIPT_DOC_QUOTE },
	{ "angebotssumme", 0, RECEIPT_DOC_QUOTE },
	{ "angebot nr", W, RECEIPT_DOC_QUOTE },
	{ "angebotsnummer", 0, RECEIPT_DOC_QUOTE },
	/* Billed later, to transfer. */
	{ "kauf auf rechnung", 0, RECEIPT_DOC_ORDER },
	{ "zahlbar ohne abzug bis", 0, RECEIPT_DOC_ORDER },
	{ "zahlbar innerhalb", 0, RECEIPT_DOC_ORDER },
	{ "zahlbar bis", W | LEX_KW_EXACT, RECEIPT_DOC_ORDER },
	{ "zahlung bei abreise", 0, RECEIPT_DOC_ORDER },
	{ "offen bei abholung", 0, RECEIPT_DOC_ORDER },
	/* A gift card's balance asked, nothing bought. */
	{ "guthabenabfrage", 0, RECEIPT_DOC_CARD_SLIP },
	{ "balance inquiry", 0, RECEIPT_DOC_CARD_SLIP },
	{ "no purchase was made", 0, RECEIPT_DOC_CARD_SLIP },
	{ "tussentijdse rekening", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "geen geldig btw", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "neni danovy doklad", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "ovo nije racun", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "tryb szkoleniowy", 0, RECEIPT_DOC_TRAINING },
	{ "treninkovy rezim", 0, RECEIPT_DOC_TRAINING },
	{ "oefenmodus", 0, RECEIPT_DOC_TRAINING },
	{ "no es una factura", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "totale preventivo", 0, RECEIPT_DOC_QUOTE },
	{ "not paid", ALONE, RECEIPT_DOC_INTERIM_BILL },
	{ "nie je pokladnicny doklad", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "nu este bon fiscal", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "povratu ambalaze", 0, RECEIPT_DOC_DEPOSIT_VOUCHER },
	/* A pump paid for ahead that drew nothing. */
	{ "no fuel dispensed", 0, RECEIPT_DOC_CANCELLED },
	{ "aucun carburant", 0, RECEIPT_DOC_CANCELLED },
	{ "doklad neplatny", 0, RECEIPT_DOC_CANCELLED }, /* Czech */
	{ "ucet zrusen", 0, RECEIPT_DOC_CANCELLED },
	/* France's unpaid table bill; Italy's voiding document. */
	{ "ce devis", W | LEX_KW_EXACT,
	  RECEIPT_DOC_QUOTE }, /* "n'est pas une facture" */
	{ "note non acquittee", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "note non encaissee", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "note provisoire", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "pas un ticket de caisse", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "pas une facture", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "per annullamento", 0, RECEIPT_DOC_CANCELLED },
	{ "annullamento eseguito", 0, RECEIPT_DOC_CANCELLED },
	{ "storno zu bon", LEX_KW_EXACT, RECEIPT_DOC_CANCELLED },
	{ "ei ole kuitti", 0, RECEIPT_DOC_INTERIM_BILL }, /* Finnish */
	{ "kuitti mitatoity", 0, RECEIPT_DOC_CANCELLED },
	{ "bei abholung zu zahlen", 0, RECEIPT_DOC_ORDER },
	{ "zahlbar bei abholung", 0, RECEIPT_DOC_ORDER },
	{ "te betalen bij afhalen", 0, RECEIPT_DOC_ORDER },
	{ "devis normalise", 0, RECEIPT_DOC_QUOTE }, /* France's opticians' */
	{ "siparis fisi", 0, RECEIPT_DOC_ORDER },    /* Turkey's */
	{ "mali degeri yoktur", 0, RECEIPT_DOC_INTERIM_BILL },
	{ "nu este document fiscal", 0, RECEIPT_DOC_INTERIM_BILL },
};

/* A card terminal's slip: under a receipt, or photographed alone. */
static const struct keyword slip_keywords[] = {
	{ "kundenbeleg", 0, 0 },
	{ "handlerbeleg", 0, 0 },
	{ "haendlerbeleg", 0, 0 },
	{ "customer copy", 0, 0 },
	{ "merchant copy", 0, 0 },
	{ "cardholder copy", 0, 0 },
	{ "asiakkaan kappale", 0, 0 },
	{ "doklad pro zakaznika", 0, 0 },
	{ "kundens kvittering", 0, 0 },
	{ "kortterminal", 0, 0 },
	{ "kundens exemplar", 0, 0 },
	{ "kortholders kvittering", 0, 0 },
	{ "kortinnehavarens kvitto", 0, 0 },
	{ "zahlung erfolgt", 0, 0 },
	{ "klantticket", 0, 0 },
	{ "kaarthouder", 0, 0 },
	{ "ticket client", 0, 0 },
	{ "kartyabirtokos peldanya", 0, 0 },
	{ "doklad pro drzitele", 0, 0 },
	{ "kortinnehavarens exemplar", 0, 0 },
	{ "kopia dla klienta", 0, 0 },
	{ "kopie pro zakaznika", 0, 0 },
	{ "vevo peldanya", 0, 0 },
	{ "kortkop", W | LEX_KW_EXACT, 0 },
	{ "copia cliente", 0, 0 },
	{ "copia per il cliente", 0, 0 },
	{ "copia para el cliente", 0, 0 },
	{ "kvittering for kortholder", 0, 0 },
	{ "exemplar client", 0, 0 },
	{ "copia titolare", 0, 0 },
};

/* Words a slip's amount and tip lines start with; as the items' whole
 * names they say the slip is all there is. */
static const char *const slip_amount_words[] = {
	"amount",  "betrag",   "sale",	    "total",  "tip",	"gratuity",
	"umsatz",  "purchase", "belob",	    "belopp", "belop",	"montant",
	"osszeg",  "castka",   "trinkgeld", "kop",    "totalt", "kwota",
	"importo", "importe",  "kjop",	    "suma",   NULL
};

/* Letters a title's line may hold besides the title: "Angebot Nr.
 * 2026-117", "*** STORNO BON ***". */
#define TITLE_OTHER_LETTERS 3
/* Lines at the top and the bottom searched for a title. */
#define TITLE_HEAD_LINES 15
#define TITLE_FOOT_LINES 8

/* Footer words after which a shop names itself ("Vielen Dank für Ihren
 * Einkauf bei / Getränke Hoffmann"), read where the header names none. */
static const struct keyword footer_name_keywords[] = {
	{ "einkauf bei", 0, 0 },
	{ "shopping at", 0, 0 },
	{ "shopping with", 0, 0 },
};

/* Words of an address that also name shops ("MAPLE STREET MARKET"): an
 * address only on a line with a figure ("12 MAPLE ST"). */
static const struct keyword street_keywords[] = {
	{ "jalan", W, 0 },
	{ "road", W, 0 },
	{ "street", W, 0 },
};

enum {
	CUR_EUR,
	CUR_MYR,
	CUR_USD,
	CUR_GBP,
	CUR_CHF,
	/* Border shopping: credited in euros these would be wrong. */
	CUR_PLN,
	CUR_CZK,
	CUR_DKK,
	CUR_SEK,
	CUR_NOK,
	CUR_HUF,
	CUR_PHP,
	CUR_INR,
	CUR_THB,
	CUR_ZAR,
	CUR_AED,
	CUR_SAR,
	CUR_KES,
	CUR_RON,
	CUR_TRY,
	CUR_RSD,
	CUR_BGN,
	/* Printed in whole units or with dotted thousands: named only, so
	 * that a program in another currency sends them to review (their
	 * amounts are not read as such). */
	CUR_ISK,
	CUR_JPY,
	CUR_KRW,
	CUR_IDR,
	CUR_VND,
	CUR_CLP,
	CUR_COP,
	CUR_SGD, /* the dollars after the US one, in a row to the end */
	CUR_AUD,
	CUR_CAD,
	CUR_NZD,
	CUR_HKD,
	CUR_COUNT
};
static const char *const currency_iso[CUR_COUNT] = {
	"EUR", "MYR", "USD", "GBP", "CHF", "PLN", "CZK", "DKK", "SEK",
	"NOK", "HUF", "PHP", "INR", "THB", "ZAR", "AED", "SAR", "KES",
	"RON", "TRY", "RSD", "BGN", "ISK", "JPY", "KRW", "IDR", "VND",
	"CLP", "COP", "SGD", "AUD", "CAD", "NZD", "HKD"
};

/* Printed currency markers; "RM" is matched case-sensitively below.
 * Where none is printed the country often is: Malaysia's sales tax and
 * company form, Singapore in the address (and its GST numbers, see
 * gst_number), Australia's business number, Canada's sales taxes.
 * These also say whose dollar a '$' is. */
static const struct keyword currency_keywords[] = {
	{ "eur", W, CUR_EUR },
	{ "euro", W, CUR_EUR },
	{ "myr", W, CUR_MYR },
	{ "usd", W, CUR_USD },
	{ "gbp", W, CUR_GBP },
	{ "chf", W, CUR_CHF },
	/* CHF's F read as E; and the Swiss firm number "CHE-123.456.789". */
	{ "che", W | LEX_KW_EXACT, CUR_CHF },
	{ "pln", W, CUR_PLN },
	{ "czk", W, CUR_CZK },
	{ "kc", W | LEX_KW_EXACT, CUR_CZK }, /* Kč worn */
	{ "dkk", W, CUR_DKK },
	{ "sek", W, CUR_SEK },
	{ "nok", W, CUR_NOK },
	{ "huf", W, CUR_HUF },
	{ "sgd", W, CUR_SGD },
	{ "aud", W, CUR_AUD },
	{ "cad", W, CUR_CAD },
	{ "sst", W, CUR_MYR },
	{ "sdn bhd", W, CUR_MYR },
	{ "sdn. bhd", W, CUR_MYR },
	{ "malaysia", W | PLACE, CUR_MYR },
	{ "singapore", W | PLACE, CUR_SGD },
	{ "abn", W, CUR_AUD },
	{ "hst", W, CUR_CAD },
	{ "pst", W, CUR_CAD },
	{ "qst", W, CUR_CAD },
	{ "rt0001", 0, CUR_CAD }, /* a Canadian GST account */
	{ "tps", W, CUR_CAD },	  /* Quebec's GST and QST */
	{ "tvq", W, CUR_CAD },
	{ "nzd", W, CUR_NZD },
	{ "hkd", W, CUR_HKD },
	{ "hong kong", W | PLACE, CUR_HKD },
	{ "php", W, CUR_PHP },
	{ "philippines", W | PLACE, CUR_PHP },
	{ "inr", W, CUR_INR },
	{ "rs", W | LEX_KW_EXACT, CUR_INR },	/* "Rs. 229.00" */
	{ "gstin", W | LEX_KW_EXACT, CUR_INR }, /* not "GSTID" */
	{ "india", W | LEX_KW_EXACT | PLACE, CUR_INR },
	{ "thb", W, CUR_THB },
	{ "baht", W, CUR_THB },
	{ "thailand", W | PLACE, CUR_THB },
	{ "new zealand", W | PLACE, CUR_NZD },
	/* Exact: "Pte Ltd" is one letter from Australia's "Pty Ltd". */
	{ "pte ltd", W | LEX_KW_EXACT, CUR_SGD },
	{ "pte. ltd", W | LEX_KW_EXACT, CUR_SGD },
	{ "pty ltd", W | LEX_KW_EXACT, CUR_AUD },
	{ "pty. ltd", W | LEX_KW_EXACT, CUR_AUD },
	{ "paynow", W, CUR_SGD },
	{ "ireland", W | LEX_KW_EXACT | PLACE, CUR_EUR }, /* not "Iceland" */
	{ "uk ltd", W | LEX_KW_EXACT, CUR_GBP },
	{ "uk limited", W | LEX_KW_EXACT, CUR_GBP },
	{ "vat reg tin", W, CUR_PHP },
	{ "tax invoice (abb)", W, CUR_THB },
	{ "tax inv (abb)", W, CUR_THB },
	{ "(hk) ltd", 0, CUR_HKD },
	{ "(hk) limited", 0, CUR_HKD },
	/* A UK loyalty card; Tesco's Clubcard is also Ireland's, Central
	 * Europe's and New Zealand's. */
	{ "nectar", W | LEX_KW_EXACT, CUR_GBP },
	/* Words of a language spoken in one country only (Swedish,
	 * Danish, Norwegian, Finnish, Hungarian, Polish, Czech), its
	 * payment apps and company registers: Nordic prices print "kr"
	 * for any of three crowns, or nothing. */
	{ "att betala", 0, CUR_SEK },
	{ "kvitto", 0, CUR_SEK },
	{ "summa pant", 0, CUR_SEK },
	{ "bankaxept", W, CUR_NOK },
	{ "blik", W | LEX_KW_EXACT | ALONE, CUR_PLN },
	{ "swish", W, CUR_SEK },
	{ "i alt", W | LEX_KW_EXACT, CUR_DKK },
	{ "moms udgor", 0, CUR_DKK },
	{ "dankort", W, CUR_DKK },
	{ "mobilepay", W, CUR_DKK },
	{ "cvr", W | LEX_KW_EXACT, CUR_DKK },
	{ "a betale", W, CUR_NOK },
	{ "mva", W | LEX_KW_EXACT, CUR_NOK },
	{ "vipps", W, CUR_NOK },
	{ "yhteensa", W, CUR_EUR },
	{ "alv", W | LEX_KW_EXACT, CUR_EUR },
	{ "y-tunnus", 0, CUR_EUR },
	{ "osszesen", W, CUR_HUF },
	{ "fizetendo", 0, CUR_HUF },
	{ "paragon fiskalny", 0, CUR_PLN },
	{ "do zaplaty", 0, CUR_PLN },
	{ "celkem", W | LEX_KW_EXACT, CUR_CZK },
	/* Africa's and the Gulf's. */
	{ "zar", W, CUR_ZAR },
	{ "south africa", W | PLACE, CUR_ZAR },
	{ "aed", W, CUR_AED },
	{ "dirham", W | LEX_KW_EXACT, CUR_AED },
	{ "dirhams", W | LEX_KW_EXACT, CUR_AED },
	{ "uae", W | LEX_KW_EXACT | PLACE, CUR_AED },
	{ "sar", W | LEX_KW_EXACT, CUR_SAR },
	{ "riyal", W | LEX_KW_EXACT, CUR_SAR },
	{ "saudi arabia", W | PLACE, CUR_SAR },
	{ "kes", W | LEX_KW_EXACT, CUR_KES },
	{ "ksh", W | LEX_KW_EXACT, CUR_KES },
	{ "kshs", W | LEX_KW_EXACT, CUR_KES },
	{ "kenya", W | LEX_KW_EXACT | PLACE, CUR_KES },
	{ "ron", W | LEX_KW_EXACT, CUR_RON },
	{ "lei", W | LEX_KW_EXACT, CUR_RON },
	{ "bon fiscal", 0, CUR_RON },
	/* Turkey's lira, its VAT (KDV) and total; Serbia's dinar and tax
	 * number (PIB; not "din": DIN A4 paper); Bulgaria's lev. */
	{ "try", W | LEX_KW_EXACT | ALONE, CUR_TRY },
	{ "kdv", W | LEX_KW_EXACT, CUR_TRY },
	{ "toplam", W, CUR_TRY },
	{ "rsd", W | LEX_KW_EXACT, CUR_RSD },
	{ "pib", W | LEX_KW_EXACT, CUR_RSD },
	{ "pfr vreme", 0, CUR_RSD }, /* the fiscal stamp's time */
	{ "esir broj", 0, CUR_RSD },
	{ "promet prodaja", 0, CUR_RSD },
	{ "bgn", W | LEX_KW_EXACT, CUR_BGN },
	{ "lv", W | LEX_KW_EXACT, CUR_BGN },
	{ "isk", W | LEX_KW_EXACT, CUR_ISK },
	{ "samtals", W, CUR_ISK }, /* Icelandic: "total" */
	{ "kvittun", W | LEX_KW_EXACT, CUR_ISK },
	{ "ehf", W | LEX_KW_EXACT, CUR_ISK }, /* a company's form */
	{ "jpy", W | LEX_KW_EXACT, CUR_JPY },
	{ "krw", W | LEX_KW_EXACT, CUR_KRW },
	{ "idr", W | LEX_KW_EXACT, CUR_IDR },
	{ "vnd", W | LEX_KW_EXACT, CUR_VND },
	{ "clp", W | LEX_KW_EXACT, CUR_CLP },
	{ "cop", W | LEX_KW_EXACT, CUR_COP },
};

/* Where no currency, tax number or sign says, an address may: Malaysia's
 * streets ("Jalan", "Taman") and states, and its GST ID of 2015-18. */
static const struct keyword region_keywords[] = {
	{ "jalan", W, CUR_MYR },
	{ "taman", W | LEX_KW_EXACT, CUR_MYR },
	{ "selangor", W, CUR_MYR },
	{ "johor", W, CUR_MYR },
	{ "kuala lumpur", 0, CUR_MYR },
	{ "pulau pinang", 0, CUR_MYR },
	{ "gst id", LEX_KW_EXACT, CUR_MYR },
	{ "gstid", LEX_KW_EXACT, CUR_MYR },
};

/* Taxes of countries that print dates day first, where a '$' may be
 * printed or misread (a worn pound sign): VAT, Malaysia's SST, and the
 * GST and HST of the other dollar countries; and Australia's business
 * number. */
static const struct keyword day_first_keywords[] = {
	{ "vat", W, 0 }, { "sst", W, 0 }, { "gst", W, 0 },
	{ "hst", W, 0 }, { "abn", W, 0 },
};

static const char *line_end(const struct parser_line *l)
{
	return l->text + l->len;
}

/* Words a LEAD keyword may follow. */
static const char *const lead_words[] = { "geg",	 "gegeben", "zahlung",
					  "zahlungsart", "bezahlt", "davon",
					  NULL };

/* Whether [s, at) holds a word of two letters or more that is no
 * lead_words entry: an item's name ("H0T BAR", a figure misread in
 * it). */
static int named_before(const char *s, const char *at)
{
	/* "3-PIN PLUG": a word joined to what stands before it. */
	if (at - s >= 2 && at[-1] == '-' && isalnum((unsigned char)at[-2]))
		return 1;
	/* "19-07  Bar  27,50": a folio's charge on a day. */
	while (s < at && *s == ' ')
		s++;
	if (at - s >= 5 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && strchr("./-", s[2]) &&
	    isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]))
		return 1;
	while (s < at) {
		const char *w = s, *m;
		size_t k, letters = 0;

		for (; s < at && (lex_is_letter((unsigned char)*s) ||
				  isdigit((unsigned char)*s));
		     s++)
			letters += !isdigit((unsigned char)*s);
		if (s == w) {
			s++;
			continue;
		}
		for (k = 0; letters >= 2 && lead_words[k]; k++) {
			m = w;
			if ((size_t)(s - w) == strlen(lead_words[k]) &&
			    lex_keyword(&m, s, lead_words[k], W) == 0)
				break;
		}
		if (letters >= 2 && !lead_words[k])
			return 1;
	}
	return 0;
}

/* First row of tab found in the line, or NULL. */
static const struct keyword *find_row(const struct parser_line *l,
				      const struct keyword *tab, size_t n,
				      const char **after)
{
	const char *dummy, *at;
	size_t i;

	for (i = 0; i < n; i++) {
		at = lex_find_keyword(l->text, line_end(l), tab[i].kw,
				      tab[i].flags & ~(LEAD | ALONE | PLACE),
				      after ? after : &dummy);
		if (at &&
		    (!(tab[i].flags & LEAD) || !named_before(l->text, at)) &&
		    (!(tab[i].flags & ALONE) ||
		     generic_letters(l->text, line_end(l)) ==
			     generic_letters(tab[i].kw,
					     tab[i].kw + strlen(tab[i].kw))))
			return &tab[i];
	}
	return NULL;
}

/* A total line that names a tax is the tax's total unless it says the
 * tax is included. */
static const struct keyword incl_keywords[] = {
	{ "incl", W, 0 },      { "inkl", W, 0 },
	{ "inclusive", 0, 0 }, { "inc", W | LEX_KW_EXACT, 0 },
	{ "including", 0, 0 }, { "inklusive", 0, 0 },
	{ "termasuk", W, 0 },
};

/* Where the first word of class_keywords' class cls or also starts on
 * l, or NULL. */
static const char *class_word(const struct parser_line *l, unsigned char cls,
			      unsigned char also)
{
	const char *at, *first = NULL, *after;

	for (size_t i = 0; i < NROWS(class_keywords); i++) {
		if (class_keywords[i].value != cls &&
		    class_keywords[i].value != also)
			continue;
		at = lex_find_keyword(
			l->text, line_end(l), class_keywords[i].kw,
			class_keywords[i].flags & ~(LEAD | ALONE), &after);
		if (at && (!first || at < first))
			first = at;
	}
	return first;
}

static int names_class(const struct parser_line *l, unsigned char cls)
{
	return class_word(l, cls, cls) != NULL;
}

const char *generic_payment_word(const struct parser_line *l)
{
	return class_word(l, GENERIC_LINE_CASH, GENERIC_LINE_CARD);
}

/* Letters of s..end outside words with digits: a title's reference
 * ("Ref: Q-55821", "Nr. LS-0098812") is no other word. */
static size_t word_letters(const char *s, const char *end)
{
	size_t n = 0;

	while (s < end) {
		const char *w = s;
		int digit = 0;

		for (; s < end && *s != ' '; s++)
			digit |= isdigit((unsigned char)*s) != 0;
		if (!digit)
			n += generic_letters(w, s);
		while (s < end && *s == ' ')
			s++;
	}
	return n;
}

/* Whether title k found on l (at, ending at after) stands alone there,
 * or in its part of a line that a slash divides ("AUFTRAGSBESTÄTIGUNG /
 * BESTELLUNG"), or leads it where k may (LEAD: then only at the head,
 * above every amount; column-scrambled OCR puts a redeemed voucher's
 * name alone on a line). A title's line prints no amount. */
static int title_stands(const struct parser_line *l, const struct keyword *k,
			const char *at, const char *after, int head)
{
	struct generic_amount a;
	const char *s = at, *end = after;

	if (generic_amounts(l->text, line_end(l), &a, 1))
		return 0;
	/* "DELIVERY  Order #: 2281" labels a paid delivery's number. */
	lex_skip_spaces(&end, line_end(l));
	if (k->value == RECEIPT_DOC_ORDER && end < line_end(l) && *end == '#')
		return 0;
	end = after;
	if (k->flags & LEAD)
		return head;
	while (s > l->text && s[-1] != '/' && s[-1] != '|')
		s--;
	while (end < line_end(l) && *end != '/' && *end != '|')
		end++;
	return word_letters(s, at) + word_letters(after, end) <=
	       TITLE_OTHER_LETTERS;
}

/* Line l with the letters OCR spaced out joined ("T R A I N I N G S B O
 * N", "* * K U N D E N B E L E G * *") into buf; l where it is too long. */
static const struct parser_line *joined(const struct parser_line *l,
					char buf[PARSER_MAX_LINE_LEN + 1],
					struct parser_line *t)
{
	if (l->len > PARSER_MAX_LINE_LEN)
		return l;
	memcpy(buf, l->text, l->len);
	*t = (struct parser_line){ .text = buf };
	t->len = lex_join_spaced(buf, l->len);
	return t;
}

/* Whether line i is where a title is printed: in the head or the foot,
 * not among the items. */
static int title_line(const struct parser_doc *doc, size_t i)
{
	return i < TITLE_HEAD_LINES || i + TITLE_FOOT_LINES >= doc->nlines;
}

/* Whether the paper is a card slip alone: a slip's words, and no item
 * but the slip's own amount line ("AMOUNT GBP 18.60"). A fuel receipt
 * of one item with its slip below has an item named otherwise. */
static int slip_alone(const struct parser_doc *doc, const struct receipt *r)
{
	char buf[PARSER_MAX_LINE_LEN + 1];
	struct parser_line t;
	size_t i, k, n;

	if (r->nitems > 2)
		return 0;
	for (i = 0; i < r->nitems; i++) {
		/* "AMOUNT:", "TIP: __7.80__", "PURCHASE   AUD" */
		const char *name = r->items[i].name, *rest;

		n = strcspn(name, ":= ");
		rest = name + n + strspn(name + n, ":= ");
		if (strlen(rest) == 3 && isupper((unsigned char)rest[0]) &&
		    isupper((unsigned char)rest[1]) &&
		    isupper((unsigned char)rest[2]))
			rest += 3; /* a currency's code */
		/* Folded: Sweden's "KÖP" */
		for (k = 0; slip_amount_words[k]; k++) {
			const char *w = name;

			if (lex_keyword(&w, name + n, slip_amount_words[k],
					LEX_KW_WORD | LEX_KW_EXACT) == 0 &&
			    w == name + n && *rest == '\0')
				break;
		}
		if (!slip_amount_words[k])
			return 0;
	}
	/* A terminal's slip prints no tax rate: a pay machine's receipt
	 * does ("Betrag 9,00 EUR / inkl. MwSt 19% 1,44 EUR"), and a
	 * receipt whose prices the photo cut off its VAT table. */
	for (i = 0; i < r->nvat; i++)
		if (r->vat[i].rate > 0)
			return 0;
	for (i = 0; i < doc->nlines; i++)
		if (doc->lines[i].len &&
		    memchr(doc->lines[i].text, '%', doc->lines[i].len) &&
		    generic_tax_line(&doc->lines[i]))
			return 0;
	for (i = 0; i < doc->nlines; i++)
		if (find_row(joined(&doc->lines[i], buf, &t), slip_keywords,
			     NROWS(slip_keywords), NULL))
			return 1;
	return 0;
}

/* The title on l, in the whole line or in a part after a slash, where
 * the part may lead with it ("Pfandrückgabe / Leergut-Bon"). */
static const struct keyword *find_title(const struct parser_line *l,
					const char **after)
{
	struct parser_line part = *l;
	const struct keyword *k;
	const char *s;

	for (;;) {
		k = find_row(&part, title_keywords, NROWS(title_keywords),
			     after);
		for (s = part.text; s < line_end(l) && *s != '/' && *s != '|';
		     s++)
			;
		if (k || s == line_end(l))
			return k;
		part.text = s + 1;
		part.len = (size_t)(line_end(l) - part.text);
	}
}

/* "LIEFERSCHEIN / RECHNUNG": a delivery note that is the bill too. */
static int billed_too(const struct parser_line *l, const struct keyword *k)
{
	const char *after;

	return k->value == RECEIPT_DOC_ORDER &&
	       (lex_find_keyword(l->text, line_end(l), "rechnung", W, &after) ||
		lex_find_keyword(l->text, line_end(l), "invoice", W, &after));
}

/* Poland's "NIEFISKALNY" heads a bill, or under a fiscal receipt
 * ("PARAGON FISKALNY" above it) the deposits' or loyalty part. */
static int fiscal_part(const struct parser_doc *doc, size_t i,
		       const struct keyword *k)
{
	static const struct keyword fiscal[] = {
		{ "paragon fiskalny", 0, 0 },
	};

	if (strcmp(k->kw, "niefiskalny") != 0)
		return 0;
	while (i-- > 0)
		if (find_row(&doc->lines[i], fiscal, NROWS(fiscal), NULL))
			return 1;
	return 0;
}

enum receipt_document generic_document(const struct parser_doc *doc,
				       struct receipt *r)
{
	char buf[PARSER_MAX_LINE_LEN + 1];
	struct parser_line t;
	struct generic_amount a;
	const struct parser_line *l;
	const struct keyword *k;
	const char *at, *after, *s, *end;
	int priced = 0; /* a line above printed an amount */

	for (size_t i = 0; i < doc->nlines; i++) {
		l = joined(&doc->lines[i], buf, &t);
		k = find_row(l, not_receipt_keywords,
			     NROWS(not_receipt_keywords), &after);
		if (!k) {
			k = title_line(doc, i) ? find_title(l, &after) : NULL;
			at = k ? lex_find_keyword(l->text, line_end(l), k->kw,
						  k->flags & ~LEAD, &after)
			       : NULL;
			if (!at ||
			    !title_stands(l, k, at, after,
					  i < TITLE_HEAD_LINES && !priced) ||
			    billed_too(l, k) || fiscal_part(doc, i, k)) {
				priced |= generic_amounts(l->text, line_end(l),
							  &a, 1) > 0;
				continue;
			}
		}
		s = l->text;
		end = line_end(l);
		generic_trim(&s, &end);
		receipt_warn(
			r, "not a proof of purchase (%s): \"%.*s\"",
			receipt_document_name((enum receipt_document)k->value),
			(int)(end - s < 60 ? end - s : 60), s);
		return (enum receipt_document)k->value;
	}
	if (slip_alone(doc, r)) {
		receipt_warn(r, "not a proof of purchase (card_slip): a card "
				"slip without the receipt's items");
		return RECEIPT_DOC_CARD_SLIP;
	}
	return RECEIPT_DOC_RECEIPT;
}

/* Words that name a tip and nothing else: no product is called so,
 * unlike "Tip Top Toast", and no party's service charge ("Gratuity 18%"
 * on a US bill is charged). */
static const struct keyword tip_names[] = {
	{ "trinkgeld", 0, 0 },
	{ "fooi", W, 0 },
	{ "pourboire", 0, 0 },
};

int generic_tip_named(const struct parser_line *l)
{
	return find_row(l, tip_names, NROWS(tip_names), NULL) != NULL;
}

/* An advance paid before ("Anzahlung vom 12.04. -80,00"). */
static const struct keyword advance_keywords[] = {
	{ "anzahlung", 0, 0 },	  { "vorauszahlung", 0, 0 },
	{ "acompte", W, 0 },	  { "aanbetaling", 0, 0 },
	{ "deposit paid", 0, 0 }, { "advance payment", 0, 0 },
};

int generic_advance_named(const struct parser_line *l)
{
	return find_row(l, advance_keywords, NROWS(advance_keywords), NULL) !=
	       NULL;
}

int generic_cash_out_line(const struct parser_line *l)
{
	return find_row(l, cash_out_keywords, NROWS(cash_out_keywords), NULL) !=
	       NULL;
}

/* Letters a change line holds besides its word ("RESTO / RUECKGELD
 * EUR"); more are a name ("ZURÜCK ZUM URSPRUNG EIER 10ST", a brand). */
#define CHANGE_OTHER_LETTERS 12

int generic_change_line(const struct parser_line *l)
{
	const struct keyword *k = find_row(l, change_keywords,
					   NROWS(change_keywords), NULL),
			     *kind;
	const char *after;
	int64_t milli, unit;

	if (!k)
		return 0;
	/* Empties handed back: "LEEGGOED TERUG", "Vrácené obaly",
	 * "Statiegeld retour", "TERUG LEEGGOED BAK". */
	kind = find_row(l, kind_keywords, NROWS(kind_keywords), NULL);
	if (kind && (kind->value == RECEIPT_DEPOSIT_RETURN ||
		     kind->value == RECEIPT_DEPOSIT))
		return 0;
	/* "Retour 1 x -34,99": an article taken back, counted. */
	if (generic_find_qty(l->text, line_end(l), &milli, &unit) == 0)
		return 0;
	/* "VISA CHARGE", "Service Charge" are one slip from "change". */
	return generic_letters(l->text, line_end(l)) <=
		       strlen(k->kw) + CHANGE_OTHER_LETTERS &&
	       !lex_find_keyword(l->text, line_end(l), "charge",
				 LEX_KW_WORD | LEX_KW_EXACT, &after);
}

int generic_names_tax(const struct parser_line *l)
{
	return names_class(l, GENERIC_LINE_TAX);
}

/* Rank of a total printed as "Brutto EUR 226,10" (a Quittung's): the
 * word alone with a currency and one amount, or with a total's word
 * ("Summe brutto 531,45"), or "Bruttobetrag 568,82". Elsewhere "Brutto"
 * heads a VAT table's column, or its sum (a not_total word). */
#define BRUTTO_PRIO 75

static int brutto_total(const struct parser_line *l)
{
	struct generic_amount a[2];
	const char *after, *end = line_end(l);
	size_t letters = generic_letters(l->text, end);

	if (lex_find_keyword(l->text, end, "bruttobetrag", W, &after))
		return generic_amounts(l->text, end, a, 2) == 1;
	return lex_find_keyword(l->text, end, "brutto", W, &after) &&
	       (letters == 6 ||
		(letters == 9 &&
		 lex_find_keyword(l->text, end, "eur", W, &after)) ||
		find_row(l, total_keywords, NROWS(total_keywords), NULL)) &&
	       generic_amounts(l->text, end, a, 2) == 1;
}

/* "Reg 5.99 Sale 3.99" under an item: its regular price, then the
 * price charged above; not "Reg Flat White $4.80" (a coffee's size). */
static int reg_price(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l);
	int64_t cents;

	lex_skip_spaces(&s, end);
	if (lex_keyword(&s, end, "reg", W | LEX_KW_EXACT) != 0)
		return 0;
	if (s < end && *s == '.')
		s++;
	lex_skip_spaces(&s, end);
	return lex_amount(&s, end, &cents) == 0;
}

/* Words a net column's or sum's "Netto" runs into or stands before. */
static const struct keyword net_words[] = {
	{ "eur", W, 0 },    { "mwst", 0, 0 },	{ "steuer", 0, 0 },
	{ "ust", W, 0 },    { "brutto", 0, 0 }, { "umsatz", 0, 0 },
	{ "betrag", 0, 0 }, { "summe", 0, 0 },	{ "preis", 0, 0 },
	{ "moms", W, 0 },   { "vat", W, 0 },	{ "wert", 0, 0 },
	{ "waren", 0, 0 },  { "gesamt", 0, 0 },
};

/* Whether "Netto" on l names a product or the chain ("Netto-App Coupon
 * -0,40", "Netto Erdbeeren 2,49 B"): a word of its own follows it, no
 * tax column's. */
static int netto_names(const struct parser_line *l)
{
	const char *end = line_end(l), *after, *p;

	if (!lex_find_keyword(l->text, end, "netto", 0, &after))
		return 0;
	p = after;
	if (p < end && (*p == '-' || *p == ' '))
		p++;
	lex_skip_spaces(&p, end);
	for (after = p; after < end && lex_is_letter((unsigned char)*after);)
		after++;
	if (after - p < 3)
		return 0;
	for (size_t i = 0; i < NROWS(net_words); i++) {
		const char *q = p;

		if (lex_keyword(&q, end, net_words[i].kw, net_words[i].flags) ==
		    0)
			return 0;
	}
	return 1;
}

/* "Netto 0,607 kg x 22,90 EUR/kg 13,90": a scale's net weight, tare
 * off, on an item's line. */
static int netto_weight(const struct parser_line *l)
{
	const char *end = line_end(l), *after, *p;
	int64_t milli, unit;

	if (!lex_find_keyword(l->text, end, "netto", LEX_KW_WORD, &after))
		return 0;
	p = after;
	lex_skip_spaces(&p, end);
	return p < end && isdigit((unsigned char)*p) &&
	       generic_find_qty(p, end, &milli, &unit) == 0 && milli % 1000;
}

static void classify(const struct parser_line *l, struct generic_line *g)
{
	const struct keyword *k;

	memset(g, 0, sizeof(*g));
	if (brutto_total(l)) {
		g->prio = BRUTTO_PRIO;
		return;
	}
	k = find_row(l, kind_keywords, NROWS(kind_keywords), NULL);
	if (k)
		g->kind = (unsigned char)k->value;
	k = find_row(l, card_keywords, NROWS(card_keywords), NULL);
	if (k) {
		g->cls = (unsigned char)k->value;
		return;
	}
	k = find_row(l, not_total_keywords, NROWS(not_total_keywords), NULL);
	/* "8 items  BALANCE DUE 22.17": the count before a total word. */
	if (k && (k->flags & LEAD) &&
	    find_row(l, total_keywords, NROWS(total_keywords), NULL))
		k = NULL;
	/* "NETTO+ RABAT LURPAK -7,00": Netto's own discount. */
	if (k && !strcmp(k->kw, "netto") &&
	    (netto_names(l) || g->kind == RECEIPT_DISCOUNT || netto_weight(l)))
		k = NULL;
	if (k) {
		g->cls = GENERIC_LINE_NOT_TOTAL;
		g->subtotal = (unsigned char)k->value;
		return;
	}
	k = find_row(l, total_keywords, NROWS(total_keywords), NULL);
	if (k && generic_names_tax(l) &&
	    !find_row(l, incl_keywords, NROWS(incl_keywords), NULL)) {
		/* "TAX TOTAL", "GST Summe": the tax, not the total. */
		g->cls = GENERIC_LINE_TAX;
		return;
	}
	if (k) {
		g->prio = (unsigned char)k->value;
		return;
	}
	if (generic_change_line(l)) {
		g->cls = GENERIC_LINE_CHANGE;
		return;
	}
	if (generic_cash_out_line(l)) {
		g->cls = GENERIC_LINE_NOT_TOTAL;
		return;
	}
	k = find_row(l, class_keywords, NROWS(class_keywords), NULL);
	if (k)
		g->cls = (unsigned char)k->value;
	else if (reg_price(l))
		g->cls = GENERIC_LINE_NOT_TOTAL;
}

unsigned generic_total_prio(const struct parser_line *l)
{
	struct generic_line g;

	classify(l, &g);
	return g.prio;
}

int generic_voucher_line(const struct parser_line *l)
{
	struct generic_line g;

	if (!names_class(l, GENERIC_LINE_VOUCHER))
		return 0;
	classify(l, &g);
	return g.cls == GENERIC_LINE_VOUCHER;
}

int64_t generic_slip_amount(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l);

	lex_skip_spaces(&s, end);
	if (lex_keyword(&s, end, "betrag", W) != 0 &&
	    lex_keyword(&s, end, "amount", W) != 0)
		return 0;
	return generic_last_positive(l, NULL);
}

int64_t generic_rounding(const struct parser_doc *doc, size_t from)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	struct generic_line g;
	size_t i, n;

	for (i = from; i < doc->nlines; i++) {
		/* The rounding words first: classify() costs a line every
		 * table. */
		if (!names_class(&doc->lines[i], GENERIC_LINE_ROUNDING))
			continue;
		classify(&doc->lines[i], &g);
		if (g.cls != GENERIC_LINE_ROUNDING)
			continue;
		n = generic_amounts(doc->lines[i].text,
				    line_end(&doc->lines[i]), a,
				    GENERIC_MAX_AMOUNTS);
		if (n && a[n - 1].cents <= GENERIC_MAX_ROUNDING_WHOLE &&
		    a[n - 1].cents >= -GENERIC_MAX_ROUNDING_WHOLE)
			return a[n - 1].cents;
	}
	return 0;
}

int generic_cash_word(const struct parser_line *l)
{
	return names_class(l, GENERIC_LINE_CASH);
}

int generic_tax_line(const struct parser_line *l)
{
	struct generic_line g;

	classify(l, &g);
	return g.cls == GENERIC_LINE_TAX;
}

/* Lines labelled "Datum"/"Date" beat the first date: coupons, opening
 * hours, a hotel's stay and a cinema's show print dates too. */
static const struct keyword date_keywords[] = {
	{ "datum", 0, 0 },
	{ "date", W, 0 },
	{ "rechnungsdatum", 0, 0 },
	{ "belegdatum", 0, 0 },
	{ "kaufdatum", 0, 0 },
	{ "verkaufsdatum", 0, 0 },
	{ "verkauf", W, 0 },
	{ "data", W, 0 },
	{ "fecha", W, 0 },
	/* A car park's payment, after its entry ("Einfahrt"). */
	{ "bezahlt", W, 0 },
	{ "zahlung", W, 0 },
	{ "paid", W, 0 },
};

/* Dates not of the sale: a car park's entry, a hotel's arrival, a
 * refund's original sale, a copy's printing ("Reprinted 15/11/2025"). */
static const struct keyword entry_keywords[] = {
	{ "einfahrt", 0, 0 },
	{ "ankunft", W, 0 },
	{ "anreise", W, 0 },
	{ "entry", W, 0 },
	{ "arrival", W, 0 },
	{ "original", W, 0 },
	{ "orig", W | LEX_KW_EXACT, 0 }, /* "Orig Date", "Orig.-Bon" */
	{ "rezeptdatum", 0, 0 },	 /* a prescription's, days before */
	{ "verordnungsdatum", 0, 0 },
	{ "reprint", W, 0 },
	{ "reprinted", W, 0 },
	{ "nachdruck", W, 0 },
	/* A deadline: "Weihnachtsumtausch bis 10.01.2026 18:00". */
	{ "bis", W | LEX_KW_EXACT, 0 },
	{ "until", W, 0 },
	{ "umtausch", 0, 0 },
};

/* Time lines are searched this far below the date line. */
#define GENERIC_TIME_NEAR_DATE 3

/* Reads a field at *p into out, advancing *p: 0, or negative. */
typedef int (*scan_reader)(const char **p, const char *end, char *out,
			   unsigned flags);

/* Whether p follows one or two digits that start a word: stray marks
 * read as digits in front of a date ("3530-10-14" for 30-10-14). */
static int after_stray(const char *s, const char *p)
{
	for (int k = 1; k <= 2 && p - k >= s; k++) {
		if (!isdigit((unsigned char)p[-k]))
			return 0;
		if (p - k == s || !isalnum((unsigned char)p[-k - 1]))
			return 1;
	}
	return 0;
}

/* Where a date or time may start: at a word's start or after the T of
 * an ISO date-time ("2020-04-30T12:01"), not after a colon that follows
 * a digit ("01:00" in "12:01:00" is no time of its own). */
static int field_start(const char *s, const char *p)
{
	if (p == s)
		return 1;
	if (p - 1 > s && isdigit((unsigned char)p[-2]))
		return p[-1] == 'T' ||
		       (p[-1] != ':' && !isalnum((unsigned char)p[-1]));
	return !isalnum((unsigned char)p[-1]);
}

/* Runs reader at each field start of l (with stray set, also after one
 * or two stray digits) until it reads. */
static int line_scan(const struct parser_line *l, char *out, scan_reader reader,
		     unsigned flags, int stray)
{
	const char *s = l->text, *end = line_end(l), *p;

	for (p = s; p < end; p++)
		if ((field_start(s, p) || (stray && after_stray(s, p))) &&
		    reader(&p, end, out, flags) == 0)
			return 0;
	return -1;
}

static int read_date(const char **p, const char *end, char *out, unsigned flags)
{
	return lex_date_flags(p, end, out, flags);
}

static int read_date_repaired(const char **p, const char *end, char *out,
			      unsigned flags)
{
	return lex_date_flags(p, end, out, flags | LEX_DATE_REPAIR);
}

static int read_time(const char **p, const char *end, char *out, unsigned flags)
{
	(void)flags;
	return lex_time(p, end, out);
}

/* A time printed as a clock's, "09:15", not "9:15". */
static int read_clock(const char **p, const char *end, char *out,
		      unsigned flags)
{
	if (end - *p < 2 || !isdigit((unsigned char)(*p)[0]) ||
	    !isdigit((unsigned char)(*p)[1]))
		return LEX_ERR_NOMATCH;
	return read_time(p, end, out, flags);
}

/* A time run on from the date ("27.11.202609:51"): OCR lost the space,
 * and the time no longer starts a word. */
static int read_time_after_date(const char **p, const char *end, char *out,
				unsigned flags)
{
	const char *s = *p;
	char date[11];

	if (lex_date_flags(&s, end, date, flags) < 0 || lex_time(&s, end, out))
		return LEX_ERR_NOMATCH;
	*p = s;
	return 0;
}

/* A time with a dot right after the date, the line's last figure
 * ("Sat 11 Oct 2025   14.32"): a clock's two-digit hours, no price. */
static int read_dot_time_after_date(const char **p, const char *end, char *out,
				    unsigned flags)
{
	const char *s = *p, *t;
	char date[11];

	int worded = 0;

	if (lex_date_flags(&s, end, date, flags) < 0)
		return LEX_ERR_NOMATCH;
	lex_skip_spaces(&s, end);
	/* "18.11.2025 klo 19.12  K5 #40771": a time's word lets figures
	 * follow it. */
	if (lex_keyword(&s, end, "klo", LEX_KW_WORD | LEX_KW_EXACT) == 0 ||
	    lex_keyword(&s, end, "kl", LEX_KW_WORD | LEX_KW_EXACT) == 0) {
		worded = 1;
		lex_skip_spaces(&s, end);
	}
	if (end - s < 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != '.' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]) ||
	    s[0] > '2' || (s[0] == '2' && s[1] > '3') || s[3] > '5')
		return LEX_ERR_NOMATCH;
	for (t = s + 5; t < end; t++)
		if ((isdigit((unsigned char)*t) && !worded) ||
		    (t == s + 5 && *t != ' '))
			return LEX_ERR_NOMATCH;
	memcpy(out, s, 5);
	out[2] = ':';
	out[5] = '\0';
	*p = s + 5;
	return 0;
}

/* Where a date is looked for, surest first: lines labelled "Datum",
 * lines with a time as well (the sale's; OCR noise can make an amount
 * column lex as a date, "0,22 . 1,38", but not add a time to it), lines
 * that name no other day (a prescription's, a TSE's stamp), any line. */
enum date_place { DATE_LABELLED, DATE_WITH_TIME, DATE_UNMARKED, DATE_ANYWHERE };

/* A phone's status bar atop a screenshot ("9:41  LTE 87%"): a clock and
 * few letters after it; its time is no sale's. */
static int status_bar(const struct parser_doc *doc, size_t i)
{
	const struct parser_line *l = &doc->lines[i];
	const char *s = l->text, *end = line_end(l);
	char hm[6];

	lex_skip_spaces(&s, end);
	return i < 2 && lex_time(&s, end, hm) == 0 &&
	       generic_letters(s, end) <= 4 &&
	       !memchr(s, ':', (size_t)(end - s));
}

/* A ticket's journey, "Hamburg Hbf 08:01 → Berlin Hbf 09:49": its times
 * are the train's, not the sale's. */
static int journey_line(const struct parser_line *l)
{
	const char *end = line_end(l);

	for (const char *p = l->text; p + 1 < end; p++)
		if ((p[0] == '-' && p[1] == '>') ||
		    (end - p >= 3 && !memcmp(p, "\xe2\x86\x92", 3)))
			return 1;
	return 0;
}

/* A TSE stamp's line: the word TSE, or a stamp's label first, as under
 * a "TSE" heading ("Start 2025-12-20 10:30:11", "Ende ..."). */
static int tse_line(const struct parser_line *l)
{
	static const char *const stamps[] = { "start", "ende", "stop", "end",
					      NULL };
	const char *after, *s = l->text, *end = line_end(l);

	if (lex_find_keyword(s, end, "tse", W, &after))
		return 1;
	lex_skip_spaces(&s, end);
	for (size_t k = 0; stamps[k]; k++) {
		after = s;
		if (lex_keyword(&after, end, stamps[k], W | LEX_KW_EXACT) == 0)
			return 1;
	}
	return 0;
}

/* Opening hours, "Mo-Sa 08:00 - 20:00" or "9:00 bis 18:00": a time, a
 * dash or "bis" and another time; the shop's, not the sale's. */
static int hours_line(const struct parser_line *l)
{
	static const char *const joins[] = { "-",  "\xe2\x80\x93", "bis",
					     "to", "till",	   NULL };
	const char *s = l->text, *end = line_end(l), *p, *t;
	char hm[6];

	for (p = s; p < end; p++) {
		t = p;
		if (!field_start(s, p) || lex_time(&t, end, hm) < 0)
			continue;
		lex_skip_spaces(&t, end);
		for (size_t k = 0; joins[k]; k++) {
			const char *u = t;

			if (lex_keyword(&u, end, joins[k], 0) < 0)
				continue;
			lex_skip_spaces(&u, end);
			if (lex_time(&u, end, hm) == 0)
				return 1;
		}
	}
	return 0;
}

/* A device's address, "REWE:a8:5c:2e:11:40:9f:00": four or more pairs
 * of hex digits joined by colons, which hold no time. */
static int hex_chain_line(const struct parser_line *l)
{
	const char *t = l->text;
	int n = 0;

	for (size_t j = 0; j + 2 < l->len; j++) {
		if (t[j] != ':')
			continue;
		if (!isxdigit((unsigned char)t[j + 1]) ||
		    !isxdigit((unsigned char)t[j + 2]) ||
		    (j + 3 < l->len && t[j + 3] != ':'))
			n = 0;
		else if (++n == 4)
			return 1;
	}
	return 0;
}

/* A line whose time may be the sale's. */
static int sale_time_line(const struct parser_doc *doc, size_t i)
{
	const struct parser_line *l = &doc->lines[i];

	return !tse_line(l) && !status_bar(doc, i) && !journey_line(l) &&
	       !hours_line(l) && !hex_chain_line(l);
}

/* The first line of the given place that reader finds a date on;
 * doc->nlines when there is none. With plausible set, only dates that
 * can be the receipt's count ("1. 1.69", an item's garbled price, lexes
 * as 2069). */
static size_t find_date(const struct parser_doc *doc, struct receipt *r,
			scan_reader reader, int stray, enum date_place place,
			int plausible, unsigned order)
{
	char hhmm[sizeof r->time];
	size_t i;

	for (i = 0; i < doc->nlines; i++) {
		const struct parser_line *l = &doc->lines[i];

		if (place == DATE_LABELLED &&
		    !find_row(l, date_keywords, NROWS(date_keywords), NULL))
			continue;
		/* The TSE's stamps are the sale's start and end; the date
		 * line printed (under them on REWE, Lidl, Kaufland) says
		 * when the sale closed. They stand in where none reads
		 * (and store_check's TSE check weighs them). So do an
		 * entry's or arrival's. */
		if (place != DATE_ANYWHERE &&
		    (tse_line(l) ||
		     find_row(l, entry_keywords, NROWS(entry_keywords), NULL)))
			continue;
		if (line_scan(l, r->date, reader,
			      order | (place == DATE_LABELLED
					       ? LEX_DATE_LABELLED
					       : 0),
			      stray) != 0 ||
		    (plausible && !parser_date_plausible(doc, r->date)))
			continue;
		if (place != DATE_WITH_TIME ||
		    line_scan(l, hhmm, read_time, 0, 0) == 0)
			return i;
	}
	r->date[0] = '\0';
	return doc->nlines;
}

/* LEX_DATE_MONTH_FIRST on receipts in US dollars, unless they name a
 * tax of a dollar country that writes the day first; else 0. */
static unsigned date_order(const struct parser_doc *doc,
			   const struct receipt *r)
{
	if (strcmp(r->currency, "USD") != 0)
		return 0;
	for (size_t i = 0; i < doc->nlines; i++)
		if (find_row(&doc->lines[i], day_first_keywords,
			     NROWS(day_first_keywords), NULL))
			return 0;
	return LEX_DATE_MONTH_FIRST;
}

/* The year-first reading of l's first date of three two-digit fields
 * ("25/09/12" as 2025-09-12), separated by one of seps, into out: 0, or
 * -1 where none is a day. */
static int year_first(const struct parser_doc *doc, const struct parser_line *l,
		      const char *seps, char out[11])
{
	static const int digits[] = { 0, 1, 3, 4, 6, 7 };
	const char *t = l->text;
	char check[11];
	size_t j, k, n = l->len;

	for (j = 0; j + 8 <= n; j++) {
		const char *d = t + j;

		if ((j && isalnum((unsigned char)d[-1])) ||
		    (j + 8 < n && isalnum((unsigned char)d[8])) ||
		    !strchr(seps, d[2]) || d[5] != d[2])
			continue;
		for (k = 0; k < NROWS(digits); k++)
			if (!isdigit((unsigned char)d[digits[k]]))
				break;
		if (k < NROWS(digits))
			continue;
		snprintf(out, 11, "20%.2s-%.2s-%.2s", d, d + 3, d + 6);
		/* Read back: the calendar's check ("25-34-12" is none). */
		t = out;
		return lex_date(&t, out + 10, check) == 0 &&
				       strcmp(check, out) == 0 &&
				       parser_date_plausible(doc, out)
			       ? 0
			       : -1;
	}
	return -1;
}

/* Sweden writes the year first ("KVITTO 25-03-14" is 14 March 2025),
 * which reads day first; the line of the first such date on a receipt
 * in crowns, its reading in r, or doc->nlines. */
static size_t swedish_date(const struct parser_doc *doc, struct receipt *r)
{
	char alt[11];

	if (strcmp(r->currency, "SEK") != 0)
		return doc->nlines;
	for (size_t i = 0; i < doc->nlines; i++)
		if (year_first(doc, &doc->lines[i], "-", alt) == 0) {
			memcpy(r->date, alt, sizeof(alt));
			return i;
		}
	return doc->nlines;
}

/* Card slips of Canada and Asia print the year first ("DATE/TIME:
 * 25/09/12 08:14:52"), which reads day first. Where another line
 * prints that year-first reading ("12-Sep-2025"), it is the day; the
 * line of the date found else (at). */
static size_t year_first_elsewhere(const struct parser_doc *doc, size_t at,
				   struct receipt *r)
{
	char alt[11], date[11];

	if (year_first(doc, &doc->lines[at], "/.-", alt) < 0 ||
	    strcmp(alt, r->date) == 0)
		return at;
	for (size_t i = 0; i < doc->nlines; i++)
		if (i != at &&
		    line_scan(&doc->lines[i], date, read_date, 0, 0) == 0 &&
		    strcmp(date, alt) == 0) {
			memcpy(r->date, alt, sizeof(alt));
			return i;
		}
	return at;
}

/* Needs r's currency (date_order). */
static void find_date_time(const struct parser_doc *doc, struct receipt *r)
{
	/* Surest first: as printed, one digit mended, as printed after
	 * stray digits ("3530-10-14"). */
	static const struct {
		scan_reader read;
		int stray;
	} ways[] = { { read_date, 0 },
		     { read_date_repaired, 0 },
		     { read_date, 1 } };
	size_t i, at = doc->nlines, k;
	int plausible, place, mended = 0;
	unsigned order = date_order(doc, r);

	/* A date outside the window is a misread, and a mended one a
	 * guess: each only where nothing better reads in as sure a place
	 * ("Datum: 09.02.2215 17:28", mended, beats "Bar 1.9, 00"). A date
	 * after stray digits must also be in the window: "2619-10-81" is
	 * no "19-10-81" of 2081. */
	at = swedish_date(doc, r);
	for (plausible = 1; plausible >= 0 && at == doc->nlines; plausible--)
		for (place = DATE_LABELLED;
		     place <= DATE_ANYWHERE && at == doc->nlines; place++)
			for (k = 0; k < NROWS(ways) && at == doc->nlines; k++) {
				if (!plausible && ways[k].stray)
					continue;
				at = find_date(doc, r, ways[k].read,
					       ways[k].stray,
					       (enum date_place)place,
					       plausible, order);
				mended = k > 0;
			}
	if (at < doc->nlines && !mended)
		at = year_first_elsewhere(doc, at, r);
	/* Support staff should know the day was mended, not read. */
	if (at < doc->nlines && mended) {
		receipt_warn(r, "date %s mended from a misread print", r->date);
		r->mended |= RECEIPT_MENDED_DATE;
	}
	/* The time on the date line, else the first one near it that is
	 * not a TSE stamp. */
	if (at < doc->nlines &&
	    (line_scan(&doc->lines[at], r->time, read_time, 0, 0) == 0 ||
	     line_scan(&doc->lines[at], r->time, read_time_after_date, 0, 0) ==
		     0 ||
	     line_scan(&doc->lines[at], r->time, read_dot_time_after_date, 0,
		       0) == 0))
		return;
	if (at == doc->nlines)
		at = 0;
	else if (at >= GENERIC_TIME_NEAR_DATE)
		at -= GENERIC_TIME_NEAR_DATE;
	else
		at = 0;
	for (i = at; i < doc->nlines; i++) {
		if (r->date[0] && i > at + 2 * GENERIC_TIME_NEAR_DATE)
			break;
		if (sale_time_line(doc, i) &&
		    line_scan(&doc->lines[i], r->time, read_time, 0, 0) == 0)
			return;
	}
	/* Polish tills print the time at the foot ("#Kasa 2 Kasjer 9
	 * 16:08"), far from the date at the head; there, a time of two
	 * digits' hours, not a price misread ("Bread 1:35"). */
	for (i = 0; i < doc->nlines; i++)
		if (sale_time_line(doc, i) &&
		    line_scan(&doc->lines[i], r->time, read_clock, 0, 0) == 0)
			return;
}

/* After a number label: "Nr.:", "No :", "#" and the like. */
static void skip_number_label(const char **p, const char *end)
{
	const char *s = *p;

	for (;;) {
		while (s < end && strchr(" .:;#-=", *s))
			s++;
		if (lex_keyword(&s, end, "nr", W) == 0 ||
		    lex_keyword(&s, end, "no", W) == 0 ||
		    lex_keyword(&s, end, "number", W) == 0)
			continue;
		break;
	}
	*p = s;
}

static int read_number_token(const char *s, const char *end, struct receipt *r)
{
	const char *t = s;
	int digits = 0;
	char date[11];

	if (lex_date(&t, end, date) == 0 || lex_time(&t, end, date) == 0)
		return -1;
	for (;
	     t < end && (isalnum((unsigned char)*t) || *t == '/' || *t == '-');
	     t++)
		digits += isdigit((unsigned char)*t) != 0;
	if (digits == 0 || t - s >= RECEIPT_NUMBER_LEN)
		return -1;
	memcpy(r->receipt_number, s, (size_t)(t - s));
	r->receipt_number[t - s] = '\0';
	return 0;
}

static void find_receipt_number(const struct parser_doc *doc, struct receipt *r)
{
	const char *s, *end, *after;
	size_t i, k;

	for (k = 0; k < NROWS(number_keywords); k++) {
		for (i = 0; i < doc->nlines; i++) {
			s = doc->lines[i].text;
			end = line_end(&doc->lines[i]);
			if (!lex_find_keyword(s, end, number_keywords[k].kw,
					      number_keywords[k].flags, &after))
				continue;
			skip_number_label(&after, end);
			if (read_number_token(after, end, r) == 0)
				return;
		}
	}
}

/* Digits a branch number after a store's name has at most: five are a
 * postcode ("SPRINGFIELD IL 62701"). */
#define BRANCH_DIGITS_MAX 4
#define BRANCH_HASH_DIGITS_MAX 6

/* Where a branch number or a company number ends the name s..end
 * ("Shell Station 4455", "STORE #123", "99 SPEED MART S/B (519537-X)",
 * a tax number after a gap):
 * its first byte; end where there is none. */
static const char *branch_number(const char *s, const char *end)
{
	const char *p = end;
	int digits = 0;

	/* "MERCADONA, S.A.   A-46103834": a tax number after a gap. */
	while (p > s && p[-1] != ' ')
		digits += isdigit((unsigned char)*--p) != 0;
	if (digits >= 6 && p - s >= 3 && p[-2] == ' ') {
		while (p > s && p[-1] == ' ')
			p--;
		return p;
	}
	p = end;

	if (p > s && p[-1] == ')') {
		int digit = 0;

		while (p > s && p[-1] != '(')
			digit |= isdigit((unsigned char)*--p);
		if (p - s >= 2 && p[-2] == ' ' && digit)
			return p - 1;
		p = end;
	}

	while (p > s && isdigit((unsigned char)p[-1]))
		p--;
	if (p == end)
		return end;
	if (p > s && p[-1] == '#') { /* "Store #10234": no postcode */
		if (end - p > BRANCH_HASH_DIGITS_MAX)
			return end;
		p--;
	} else if (end - p > BRANCH_DIGITS_MAX) {
		return end;
	}
	return p > s && p[-1] == ' ' ? p : end;
}

/* Endings of German street names ("Mönckebergstraße 11", "Hauptstr.
 * 5", "Am Lindenweg 3") or the whole word ("Wandsbeker Chaussee 97"):
 * on a line with a figure, an address. */
static const char *const street_endings[] = {
	"str.",
	"strasse",
	"stra\xc3\x9f"
	"e",
	"weg",
	"platz",
	"allee",
	"gasse",
	"chaussee",
	"damm",
	NULL,
};

static int street_word(const char *s, const char *end)
{
	const char *w;
	size_t n, k;

	for (; s < end; s = w) {
		while (s < end && *s == ' ')
			s++;
		for (w = s; w < end && *w != ' '; w++)
			;
		for (k = 0; street_endings[k]; k++) {
			n = strlen(street_endings[k]);
			if ((size_t)(w - s) >= n &&
			    strncasecmp(w - n, street_endings[k], n) == 0)
				return 1;
		}
	}
	return 0;
}

/* Digits a name on the first line may start with ("7-ELEVEN", "99
 * SPEED MART"); a postcode has more, and further down a number starts an
 * address ("412 HARBOR BLVD"). */
#define NAME_LEAD_DIGITS 3

/* "H&M", "C&A", "B & Q": two capitals joined by '&', a name alone on the
 * first line though it has fewer letters than any other. */
static int ampersand_name(const char *s, const char *end)
{
	if (s < end && isupper((unsigned char)end[-1]) &&
	    isupper((unsigned char)*s)) {
		for (s++, end--; s < end && *s == ' '; s++)
			;
		while (end > s && end[-1] == ' ')
			end--;
		return end - s == 1 && *s == '&';
	}
	return 0;
}

/* "H-E-B", "A.T.U": capitals joined by dashes or dots, initials alone
 * on the first line. */
static int initials_name(const char *s, const char *end)
{
	const char *p;

	for (p = s; p + 1 < end; p += 2)
		if (!isupper((unsigned char)p[0]) ||
		    (p[1] != '-' && p[1] != '.'))
			return 0;
	return p > s && p + 1 == end && isupper((unsigned char)*p);
}

/* "LOTTO - TOTO - TABAK", "Döner · Pizza · Grill": a banner of trades,
 * its words set apart by two spaced marks or more, names no shop. */
static int trades_banner(const char *s, const char *end)
{
	int marks = 0;
	size_t n;

	for (const char *p = s + 1; p < end; p++) {
		if (p[-1] != ' ')
			continue;
		if (*p == '-' || *p == '|' || *p == '*')
			n = 1;
		else if (end - p >= 2 && !memcmp(p, "\xc2\xb7", 2))
			n = 2; /* middle dot */
		else if (end - p >= 3 && !memcmp(p, "\xe2\x80\xa2", 3))
			n = 3; /* bullet */
		else
			continue;
		marks += p + n < end && p[n] == ' ';
	}
	return marks >= 2;
}

/* A heading spaced out for show that is no name: "Q U I T T U N G". */
static int spaced_title(const struct parser_line *l)
{
	char buf[PARSER_MAX_LINE_LEN + 1];
	struct parser_line t;
	const struct parser_line *j = joined(l, buf, &t);

	return j->len < l->len &&
	       find_row(j, not_name_keywords, NROWS(not_name_keywords), NULL);
}

/* A logo in lower case alone on the first line: "famila", "star",
 * "hagebaumarkt"; one word of four letters or more, nothing else, with
 * a vowel and not one letter over ("wwww": a logo OCR could not read). */
static int lower_logo(const char *s, const char *end)
{
	const char *p;
	int vowel = 0, same = 1;

	for (p = s; p < end; p++) {
		if (!islower((unsigned char)*p))
			return 0;
		vowel |= strchr("aeiouy", *p) != NULL;
		same &= *p == *s;
	}
	return end - s >= 4 && vowel && !same;
}

/* Store names are mostly letters, not lower-case scribbles, and not an
 * address, a phone number or a date; a branch number may follow them. */
static int plausible_name(const struct parser_line *l, int first)
{
	const char *s = l->text, *end = line_end(l), *p, *name_end;
	size_t letters, other = 0, upper, digits = 0;
	struct generic_amount a;
	char tmp[11];

	/* An app's back button over a screenshot: "< Receipts", "‹ Zurück". */
	while (s < end && *s == ' ')
		s++;
	if (s < end &&
	    (*s == '<' || (end - s >= 3 && (!memcmp(s, "\xe2\x80\xb9", 3) ||
					    !memcmp(s, "\xe2\x86\x90", 3)))))
		return 0;
	/* A banner: "*** TRAININGSMODUS ***", "** KOPIE **". */
	if (end - s >= 2 && s[0] == '*' && s[1] == '*')
		return 0;
	generic_trim(&s, &end);
	if (first && (ampersand_name(s, end) || initials_name(s, end)))
		return 1;
	if (trades_banner(s, end))
		return 0;
	name_end = branch_number(s, end);
	letters = generic_letters(s, end);
	for (p = s; p < end && isdigit((unsigned char)*p); p++)
		;
	if ((p > s && (!first || p - s > NAME_LEAD_DIGITS)) ||
	    generic_amounts(s, end, &a, 1))
		return 0;
	/* "Żabka", "Ökomarkt": a capital outside ASCII starts it. */
	upper = (unsigned char)*s >= 0xC3 && (unsigned char)*s <= 0xC5;
	for (; p < end; p++) {
		other += p < name_end && *p != ' ' &&
			 !lex_is_letter((unsigned char)*p);
		upper += isupper((unsigned char)*p) != 0;
		digits += isdigit((unsigned char)*p) != 0;
	}
	if (letters < 3 || letters < 4 * other ||
	    (upper == 0 && !(first && lower_logo(s, end))))
		return 0;
	for (p = s; p < end; p++) {
		const char *q = p;

		if (lex_date(&q, end, tmp) == 0)
			return 0;
	}
	return !find_row(l, not_name_keywords, NROWS(not_name_keywords),
			 NULL) &&
	       !find_row(l, slip_keywords, NROWS(slip_keywords), NULL) &&
	       !spaced_title(l) &&
	       !(digits &&
		 (find_row(l, street_keywords, NROWS(street_keywords), NULL) ||
		  street_word(s, end))) &&
	       !find_row(l, total_keywords, NROWS(total_keywords), NULL);
}

static int us_address(const struct parser_line *l);
static int uk_postcode(const struct parser_line *l);

/* Whether l holds a postcode and a town ("20095 Hamburg", "Hauptstr.
 * 12, 50667 Köln", "8005 Zürich"), or ends in a US or UK one. */
static int postcode_line(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l), *p;

	for (; s < end; s = p + 1) {
		for (p = s; p < end && isdigit((unsigned char)*p); p++)
			;
		if ((p - s == 4 || p - s == 5) &&
		    (s == l->text || !isalnum((unsigned char)s[-1])) &&
		    end - p >= 2 && p[0] == ' ' &&
		    (isupper((unsigned char)p[1]) ||
		     (unsigned char)p[1] >= 0x80))
			return 1;
	}
	return us_address(l) || uk_postcode(l);
}

/* Where a store or company number ends a name ("STARBUCKS Store
 * #10418", "Panera Bread #601248", "KEDAI CHUAN HIN (001122334-A)"): the
 * start of " #digits" and of a "Store" before it, or of the bracket; end
 * where there is none. */
static const char *store_number(const char *s, const char *end)
{
	const char *p = branch_number(s, end), *after;

	if (p < end && *p == ' ')
		return p;
	if (p < end && *p == '(') {
		while (p > s && p[-1] == ' ')
			p--;
		return p > s ? p : end;
	}
	p = end;
	while (p > s && isdigit((unsigned char)p[-1]))
		p--;
	if (p == end || p - s < 3 || p[-1] != '#')
		return end;
	for (p--; p > s && p[-1] == ' '; p--)
		;
	if (p - s > 6 && lex_find_keyword(p - 5, p, "store", W, &after) &&
	    p[-6] == ' ')
		p -= 6;
	while (p > s && p[-1] == ' ')
		p--;
	return p > s ? p : end;
}

/* The letter OCR misread as a figure between two letters of a name:
 * "H0FER", "Vo1g"; and a lower-case l between capitals, "BlLLA". */
static char name_letter(const char *s, const char *p, const char *end)
{
	unsigned char a, b;

	if (p == s || p + 1 == end || !isalpha((unsigned char)p[-1]) ||
	    !isalpha((unsigned char)p[1]))
		return *p;
	a = (unsigned char)p[-1];
	b = (unsigned char)p[1];
	if (*p == '0')
		return isupper(a) && isupper(b) ? 'O' : 'o';
	if (*p == '1' || (*p == 'l' && isupper(a) && isupper(b)))
		return isupper(a) && isupper(b) ? 'I' : 'l';
	return *p;
}

/* Appends s..end, trimmed, to the store name, with the runs of spaces
 * OCR puts between letters collapsed. */
static void add_name(struct receipt *r, const char *s, const char *end)
{
	char buf[PARSER_MAX_LINE_LEN + 1];
	size_t n = strlen(r->store_name);

	generic_trim(&s, &end);
	/* A logo's letters spaced out: "K A M P S". */
	if ((size_t)(end - s) < sizeof(buf)) {
		memcpy(buf, s, (size_t)(end - s));
		end = buf + lex_join_spaced(buf, (size_t)(end - s));
		s = buf;
	}
	end = store_number(s, end);
	if (n && s < end && n + 1 < sizeof(r->store_name))
		r->store_name[n++] = ' ';
	for (const char *p = s; p < end && n + 1 < sizeof(r->store_name); p++)
		if (*p != ' ' || (n > 0 && r->store_name[n - 1] != ' '))
			r->store_name[n++] = name_letter(s, p, end);
	r->store_name[n] = '\0';
}

/* Whether l is one capitalised or upper-case word alone: the second
 * line of a name printed over two ("Landbäckerei / Schulte", "HARPER &
 * SONS / CHEMIST"). */
static int name_word(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l);
	size_t upper = 0, lower = 0;

	generic_trim(&s, &end);
	if (s == end || !isupper((unsigned char)*s))
		return 0;
	for (const char *p = s; p < end; p++) {
		if (!lex_is_letter((unsigned char)*p))
			return 0;
		upper += isupper((unsigned char)*p) != 0;
		lower += islower((unsigned char)*p) != 0;
	}
	/* "Schulte", "CHEMIST"; not OCR's "noMpiee" or "KaUfen". */
	return upper == 1 || lower == 0;
}

/* The name after a footer's thanks, on its line or the next. */
static void footer_name(const struct parser_doc *doc, struct receipt *r)
{
	const char *after;
	size_t i;

	for (i = doc->nlines; i-- > GENERIC_HEADER_LINES;) {
		if (!find_row(&doc->lines[i], footer_name_keywords,
			      NROWS(footer_name_keywords), &after))
			continue;
		add_name(r, after, line_end(&doc->lines[i]));
		if (!r->store_name[0] && i + 1 < doc->nlines &&
		    plausible_name(&doc->lines[i + 1], 0))
			add_name(r, doc->lines[i + 1].text,
				 line_end(&doc->lines[i + 1]));
		return;
	}
}

/* The shop's name is printed above its address: where none reads there,
 * a line under it (an item) is none, and a footer's thanks may name it. */
static void find_store_name(const struct parser_doc *doc, struct receipt *r)
{
	size_t i;

	for (i = 0; i < doc->nlines && i < GENERIC_HEADER_LINES; i++) {
		if (postcode_line(&doc->lines[i]))
			break;
		if (!plausible_name(&doc->lines[i], i == 0))
			continue;
		add_name(r, doc->lines[i].text, line_end(&doc->lines[i]));
		/* A second line of one word, right above the address. */
		if (i + 2 < doc->nlines && name_word(&doc->lines[i + 1]) &&
		    plausible_name(&doc->lines[i + 1], 0) &&
		    !plausible_name(&doc->lines[i + 2], 0))
			add_name(r, doc->lines[i + 1].text,
				 line_end(&doc->lines[i + 1]));
		return;
	}
	footer_name(doc, r);
}

/* US state codes, three bytes each: an address line ending "SAN DIEGO
 * CA 92101" is a US shop's, whose receipts often print no '$'. */
static const char us_states[] = "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL "
				"IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
				"NV NH NJ NM NY NC ND OH OK OR PA RI SC SD "
				"TN TX UT VT VA WA WV WI WY ";

/* Whether p..e (e past two letters) is a US state's code. */
static int us_state_at(const char *e)
{
	for (const char *st = us_states; *st; st += 3)
		if (e[-2] == st[0] && e[-1] == st[1])
			return 1;
	return 0;
}

/* "Cherry Hill, NJ": a town and a state's code alone on a line, no
 * figure on it (Germany's "Berlin, DE" aside, Delaware's code too). */
static int us_town_state(const struct parser_line *l)
{
	const char *s = l->text, *e = line_end(l), *p;

	while (e > s && e[-1] == ' ')
		e--;
	if (e - s < 7 || e[-3] != ' ' || e[-4] != ',' ||
	    !isupper((unsigned char)e[-1]) || !isupper((unsigned char)e[-2]) ||
	    (e[-2] == 'D' && e[-1] == 'E') || !us_state_at(e))
		return 0;
	for (p = s; p < e - 4; p++)
		if (isdigit((unsigned char)*p))
			return 0;
	return generic_letters(s, e - 4) >= 3;
}

/* Whether l ends in a state code and a ZIP code (five digits, or ZIP+4),
 * or is a town and its state's code. */
static int us_address(const struct parser_line *l)
{
	const char *s = l->text, *e = line_end(l), *p;
	size_t n = 0;

	while (e > s && e[-1] == ' ')
		e--;
	p = e;
	while (p > s && isdigit((unsigned char)p[-1]) && n < 10)
		p--, n++;
	if (n == 4 && p - s > 6 && p[-1] == '-') {
		p--;
		for (n = 0; p > s && isdigit((unsigned char)p[-1]) && n < 6;)
			p--, n++;
	}
	if (n != 5 || p - s < 4 || p[-1] != ' ')
		return us_town_state(l);
	p--;
	if (p[-1] == ',')
		p--;
	while (p > s && p[-1] == ' ')
		p--;
	if (p - s < 2 || (p - s > 2 && isalnum((unsigned char)p[-3])))
		return 0;
	return us_state_at(p);
}

/* Whether s[i] is a digit, or a worn 0 read as O beside one. */
static int digit_or_o(const char *s, size_t i, size_t n)
{
	return isdigit((unsigned char)s[i]) ||
	       (s[i] == 'O' &&
		((i > 0 && isdigit((unsigned char)s[i - 1])) ||
		 (i + 1 < n && isdigit((unsigned char)s[i + 1]))));
}

/* The digits of a number spaced as the till likes from p on, or 0 where
 * a letter or another digit ends it. */
static int spaced_digits(const char *p, const char *end)
{
	int digits = 0;

	for (; p < end &&
	       (digit_or_o(p, 0, (size_t)(end - p)) || (*p == ' ' && digits));
	     p++)
		digits += *p != ' ';
	return p < end && isalnum((unsigned char)*p) ? 0 : digits;
}

/* Labels between the word VAT and its number ("VAT Reg No: ") that
 * uk_vat_number skips. */
#define VAT_LABEL_LEN 12

/* Whether l prints a UK VAT number: nine or twelve digits after GB or
 * after the word VAT and its label ("VAT No. GB 669 1982 50", "VAT Reg
 * No: 238 5548 36"). Ireland's end in a letter, the Philippines' TIN
 * holds dashes, other countries' have other lengths. */
static int uk_vat_number(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l), *p, *q;
	int digits;

	for (p = s; p + 2 < end; p++) {
		if (p > s && isalnum((unsigned char)p[-1]))
			continue;
		q = p;
		if (p[0] == 'G' && p[1] == 'B')
			q = p + 2;
		else if (lex_keyword(&q, end, "vat", W) == 0)
			for (q = p + 3;
			     q < end && q < p + 3 + VAT_LABEL_LEN &&
			     (isalpha((unsigned char)*q) || strchr(" .:#", *q));
			     q++)
				;
		else
			continue;
		while (q < end && *q == ' ')
			q++;
		digits = spaced_digits(q, end);
		if (digits == 9 || digits == 12)
			return 1;
	}
	return 0;
}

/* Countries of Europe by the code their VAT numbers start with, the
 * euro ones first. */
static const char vat_countries[] = "AT BE CY DE EE EL ES FI FR HR IE IT LT "
				    "LU LV MT NL PT SI SK CZ PL HU SE DK NO ";
static const int vat_currencies[] = { CUR_CZK, CUR_PLN, CUR_HUF,
				      CUR_SEK, CUR_DKK, CUR_NOK };
#define VAT_EURO_COUNTRIES 20

/* The currency of the European country whose VAT number l prints
 * ("USt-IdNr. DE 287654321", "VAT NL8620.41.773.B01", "IE 4811592P",
 * "DIČ: CZ45317054"): its code, then seven to twelve digits among dots
 * and letters; -1 where none. An IBAN is longer. */
static int vat_number_currency(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l), *p, *q;
	int digits;

	for (p = s; p + 2 < end; p++) {
		const char *c;

		if ((p > s && isalnum((unsigned char)p[-1])) ||
		    !isupper((unsigned char)p[0]) ||
		    !isupper((unsigned char)p[1]))
			continue;
		for (c = vat_countries; *c && (c[0] != p[0] || c[1] != p[1]);
		     c += 3)
			;
		if (!*c)
			continue;
		q = p + 2 + (p[2] == ' ') + (p[0] == 'A' && p[2] == 'U');
		if (q >= end || !isdigit((unsigned char)*q))
			continue;
		for (digits = 0; q < end && (isdigit((unsigned char)*q) ||
					     isupper((unsigned char)*q) ||
					     *q == '.' || *q == ' ');
		     q++) {
			if (*q == ' ' &&
			    (q + 1 == end || !isdigit((unsigned char)q[1])))
				break;
			digits += isdigit((unsigned char)*q) != 0;
		}
		if (digits >= 7 && digits <= 12 &&
		    (q == end || !isalnum((unsigned char)*q))) {
			size_t k = (size_t)(c - vat_countries) / 3;

			return k < VAT_EURO_COUNTRIES
				       ? CUR_EUR
				       : vat_currencies[k - VAT_EURO_COUNTRIES];
		}
	}
	return -1;
}

/* Canada's telephone area codes. */
static const char ca_area_codes[] =
	" 204 226 236 249 250 263 289 306 343 354 365 367 368 382 387 403 416 "
	"418 428 431 437 438 450 468 474 506 514 519 548 579 581 584 587 604 "
	"613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 "
	"879 902 905 ";

/* The dollar of the country a North American phone number on l names:
 * "(405) 555-0133" or "512-555-0178", the area code starting 2 to 9
 * (Europe's and Asia's start with a 0), Canada's or else the USA's. -1
 * where l prints none. */
static int us_phone(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l), *p, *q;
	char area[6] = " 000 ";

	for (p = s; p + 12 <= end; p++) {
		int paren = *p == '(';
		size_t n = (size_t)(end - p), i = (size_t)paren, k;

		if ((p > s && isalnum((unsigned char)p[-1])) ||
		    (!paren && !isdigit((unsigned char)*p)))
			continue;
		i += i < n && p[i] == ' ';
		if (i >= n || p[i] < '2' || p[i] > '9')
			continue;
		for (k = 0; k < 3 && i < n && digit_or_o(p, i, n); k++, i++)
			area[k + 1] = isdigit((unsigned char)p[i]) ? p[i] : '0';
		if (k < 3)
			continue;
		i += paren && i < n && p[i] == ' ';
		if (paren && (i >= n || p[i++] != ')'))
			continue;
		i += i < n && p[i] == ' ';
		if (!paren && (i >= n || p[i++] != '-'))
			continue;
		for (k = 0; k < 3 && i < n && digit_or_o(p, i, n); k++)
			i++;
		i += i < n && p[i] == ' ';
		if (k < 3 || i >= n || p[i++] != '-')
			continue;
		i += i < n && p[i] == ' ';
		for (k = 0; k < 4 && i < n && digit_or_o(p, i, n); k++)
			i++;
		q = p + i;
		if (k == 4 && (q == end || !isalnum((unsigned char)*q)))
			return strstr(ca_area_codes, area) ? CUR_CAD : CUR_USD;
	}
	return -1;
}

/* The UK's postcode areas, the outward code's letters: a product code
 * of the same shape ("FARINE T55 1KG") names none. */
static const char uk_areas[] =
	" B E G L M N S W AB AL BA BB BD BF BH BL BN BR BS BT CA CB CF CH CM "
	"CO CR CT CV CW DA DD DE DG DH DL DN DT DY EC EH EN EX FK FY GL GU GY "
	"HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL LN LS "
	"LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE "
	"SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC "
	"WD WF WN WR WS WV YO ZE ";

static int uk_area(const char *a, size_t n)
{
	char key[5] = { ' ', a[0], ' ', '\0', '\0' };

	if (n > 1) {
		key[2] = a[1];
		key[3] = ' ';
	}
	return strstr(uk_areas, key) != NULL;
}

/* Whether s..e ends in a UK postcode ("London WC2B 6PH", "LN2 1AA"): an
 * outward code of an area's letters, a digit and an optional letter or
 * digit, then a digit and two letters that are no look-alikes (C, I, K,
 * M, O, V). */
static int uk_postcode_before(const char *s, const char *e)
{
	size_t n = (size_t)(e - s);
	const char *d;

	if (n < 6 || !isdigit((unsigned char)e[-3]) ||
	    !isupper((unsigned char)e[-2]) || !isupper((unsigned char)e[-1]) ||
	    strchr("CIKMOV", e[-2]) || strchr("CIKMOV", e[-1]) || e[-4] != ' ')
		return 0;
	e -= 4;
	/* The outward code backwards: A9A, A99, A9, each after a letter. */
	if (e - s >= 2 && isupper((unsigned char)e[-1]) &&
	    isdigit((unsigned char)e[-2]))
		e -= 2;
	else if (e - s >= 1 && isdigit((unsigned char)e[-1]))
		e -= e - s >= 2 && isdigit((unsigned char)e[-2]) ? 2 : 1;
	else
		return 0;
	if (e == s || !isupper((unsigned char)e[-1]))
		return 0;
	d = e--;
	if (e > s && isupper((unsigned char)e[-1]))
		e--;
	return (e == s || e[-1] == ' ' || e[-1] == ',') &&
	       uk_area(e, (size_t)(d - e));
}

/* Whether l prints a UK postcode at its end or before a comma or a gap
 * ("Newcastle NE3 3UW  VAT 174 1073 58"). */
static int uk_postcode(const struct parser_line *l)
{
	const char *s = l->text, *e = line_end(l);

	for (const char *p = s + 6; p < e; p++)
		if ((*p == ',' || (*p == ' ' && p + 1 < e && p[1] == ' ')) &&
		    uk_postcode_before(s, p))
			return 1;
	while (e > s && e[-1] == ' ')
		e--;
	return uk_postcode_before(s, e);
}

/* Whether l holds a Canadian postal code ("T2P 1J9"). */
static int ca_postcode(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l), *p;

	for (p = s; p + 7 <= end; p++)
		if ((p == s || p[-1] == ' ') && isupper((unsigned char)p[0]) &&
		    isdigit((unsigned char)p[1]) &&
		    isupper((unsigned char)p[2]) && p[3] == ' ' &&
		    isdigit((unsigned char)p[4]) &&
		    isupper((unsigned char)p[5]) &&
		    isdigit((unsigned char)p[6]) &&
		    (p + 7 == end || !isalnum((unsigned char)p[7])) &&
		    /* not a cable's "R2V 3G2,5" */
		    !(p + 8 < end && (p[7] == ',' || p[7] == '.') &&
		      isdigit((unsigned char)p[8])))
			return 1;
	return 0;
}

/* Whether l holds a Canadian business number's GST account, run on
 * from the nine digits ("872641190RT0001"). */
static int ca_business_number(const struct parser_line *l)
{
	const char *s = l->text, *end = line_end(l), *p;

	for (p = s + 1; p + 6 <= end; p++)
		if (isdigit((unsigned char)p[-1]) && p[0] == 'R' &&
		    p[1] == 'T' && isdigit((unsigned char)p[2]) &&
		    isdigit((unsigned char)p[3]) &&
		    isdigit((unsigned char)p[4]) &&
		    isdigit((unsigned char)p[5]))
			return 1;
	return 0;
}

/* The currency a GST registration number after the word GST names:
 * Singapore's "M4-0004578-0", "M90312345A" (an M, a digit, and at least
 * seven more digits or dashes) or a company number "199701234K" (nine
 * digits and a letter ending the word); New Zealand's "045-112-930". -1 where none. */
static int gst_number(const struct parser_line *l)
{
	const char *end = line_end(l), *p, *q;
	int digits, dashes;

	p = lex_find_keyword(l->text, end, "gst", W, &q);
	for (p = p ? q : end; p + 1 < end; p++) {
		if (!(p == l->text || p[-1] == ' ' || p[-1] == ':'))
			continue;
		q = p + (*p == 'M' && isdigit((unsigned char)p[1]));
		for (digits = dashes = 0;
		     q < end && (isdigit((unsigned char)*q) || *q == '-');
		     q++) {
			digits += isdigit((unsigned char)*q) != 0;
			dashes += *q == '-';
		}
		if (q < end && isalnum((unsigned char)*q) &&
		    !(digits == 9 && !dashes && isupper((unsigned char)*q)))
			continue;
		if (*p == 'M' && digits >= 8)
			return CUR_SGD;
		if (digits == 9 && !dashes && q < end &&
		    isupper((unsigned char)*q) &&
		    (q + 1 == end || !isalnum((unsigned char)q[1])))
			return CUR_SGD; /* not Canada's "872641190RT0001" */
		if (digits == 9 && dashes == 2 && q - p == 11 && p[3] == '-')
			return CUR_NZD;
		if (digits == 8 && dashes == 2 && q - p == 10 && p[2] == '-')
			return CUR_NZD; /* "94-261-648" */
	}
	return -1;
}

/* Whose dollar the '$' at text[j] (j > 0) is by the letters joined
 * before it: "S$", "NZ$", "A$", "C$", "US$"; -1 where none says. */
static int dollar_prefix(const char *text, size_t j)
{
	char a = text[j - 1], b = j > 1 ? text[j - 2] : ' ';

	if (isalpha((unsigned char)b) && j > 2 &&
	    isalpha((unsigned char)text[j - 3]))
		return -1; /* a word's end, not a prefix */
	if (a == 'S')
		return b == 'U'			   ? CUR_USD
		       : isalpha((unsigned char)b) ? -1
						   : CUR_SGD;
	if (a == 'Z' && b == 'N')
		return CUR_NZD;
	if (a == 'K' && b == 'H')
		return CUR_HKD;
	if (isalpha((unsigned char)b))
		return -1;
	return a == 'A' ? CUR_AUD : a == 'C' ? CUR_CAD : -1;
}

/* The currency whose three-byte sign starts at l's byte j (€, ₱, ₹,
 * ฿), or -1. */
static int money_sign(const struct parser_line *l, size_t j)
{
	static const struct {
		char sign[4];
		int cur;
	} signs[] = { { "\xE2\x82\xAC", CUR_EUR },
		      { "\xE2\x82\xB1", CUR_PHP },
		      { "\xE2\x82\xB9", CUR_INR },
		      { "\xE0\xB8\xBF", CUR_THB } };

	for (size_t k = 0; j + 3 <= l->len && k < NROWS(signs); k++)
		if (memcmp(l->text + j, signs[k].sign, 3) == 0)
			return signs[k].cur;
	return -1;
}

/* Whether a currency row k found ending at after is printed as a code
 * is: upper case, as tills print "PLN" ("PlN 12,95" is PIN misread), or
 * as Kenya's shilling, "KSh". "Eur" and the names and words are read as
 * they come. */
static int code_printed(const struct keyword *k, const char *line,
			const char *after)
{
	int upper = 0;

	if (strlen(k->kw) != 3 || k->value == CUR_EUR || after - line < 3)
		return 1;
	for (const char *p = after - 3; p < after; p++)
		upper += isupper((unsigned char)*p) != 0;
	return upper == 3 || (upper == 2 && isupper((unsigned char)after[-3]) &&
			      isupper((unsigned char)after[-2]));
}

/* Whether the sign of n bytes at l's byte j is one: apart from figures
 * and letters, or joined to an amount ("€1.90", "1,83€"). Inside a
 * number it is a misread 0 ("CS00€02055", "GE 948 €525 37", "€3:16"). */
static int sign_apart(const struct parser_line *l, size_t j, size_t n)
{
	const char *t = l->text;
	size_t k = j + n, d = 0;

	if (j > 0 && isalnum((unsigned char)t[j - 1]) &&
	    !(j >= 4 && (t[j - 3] == ',' || t[j - 3] == '.') &&
	      isdigit((unsigned char)t[j - 1]) &&
	      isdigit((unsigned char)t[j - 2]) &&
	      isdigit((unsigned char)t[j - 4])))
		return 0;
	if (k == l->len || !isalnum((unsigned char)t[k]))
		return 1;
	while (k < l->len && isdigit((unsigned char)t[k]) && d < 7)
		k++, d++;
	return d && d < 7 && k + 2 < l->len && (t[k] == ',' || t[k] == '.') &&
	       digit_or_o(t, k + 1, l->len) && digit_or_o(t, k + 2, l->len) &&
	       (k + 3 == l->len || !isdigit((unsigned char)t[k + 3]));
}

/* Whether the sign at l's byte j stands apart from letters: a dollar,
 * not an S misread in a word ("Mw$t", "$UMME"). */
static int lone_sign(const struct parser_line *l, size_t j)
{
	return (j == 0 || !lex_is_letter((unsigned char)l->text[j - 1])) &&
	       (j + 1 == l->len ||
		!lex_is_letter((unsigned char)l->text[j + 1]));
}

/* Whether l's byte j is a rand's R before an amount: "R 628.99",
 * "-R 5.00", "R12.50". */
static int rand_sign(const struct parser_line *l, size_t j)
{
	const char *t = l->text, *p = t + j + 1, *end = line_end(l);
	int64_t cents;

	if (t[j] != 'R' || (j && isalnum((unsigned char)t[j - 1])))
		return 0;
	if (p < end && *p == ' ')
		p++;
	return p < end && isdigit((unsigned char)*p) &&
	       lex_amount(&p, end, &cents) == 0;
}

/* Whether the "RM" at j is Rome's province after a postcode ("00156
 * Roma (RM)"), not ringgit ("AMOUNT (RM)"). */
static int province_rm(const struct parser_line *l, size_t j)
{
	size_t i, run = 0;

	if (!j || l->text[j - 1] != '(')
		return 0;
	for (i = 0; i < j; i++) {
		run = isdigit((unsigned char)l->text[i]) ? run + 1 : 0;
		if (run == 5 &&
		    (i + 1 == j || !isdigit((unsigned char)l->text[i + 1])))
			return 1;
	}
	return 0;
}

/* Whether l's bytes at j start word w (UTF-8, lower case; its upper
 * case too: Cyrillic capitals are 0xD0 0x90-0xAF for 0xD0 0xB0-0xBF).
 * lex folds Latin letters only. */
static int cyrillic_word(const struct parser_line *l, size_t j, const char *w)
{
	size_t n = strlen(w), k;
	unsigned char c, want;

	if (j + n > l->len || (j && isalnum((unsigned char)l->text[j - 1])))
		return 0;
	for (k = 0; k < n; k++) {
		c = (unsigned char)l->text[j + k];
		want = (unsigned char)w[k];
		if (c != want && !(k % 2 && want >= 0xB0 && want <= 0xBF &&
				   c == want - 0x20))
			return 0;
	}
	c = j + n < l->len ? (unsigned char)l->text[j + n] : ' ';
	return !isalnum(c) && c != 0xD0 && c != 0xD1;
}

static void find_currency(const struct parser_doc *doc, struct receipt *r)
{
	int votes[CUR_COUNT] = { 0 }, best = -1, dollars = 0, land = CUR_USD;
	size_t first[CUR_COUNT]; /* the line of each currency's first vote */
	int g;
	const struct parser_line *l;
	const struct keyword *k;
	const char *after;
	size_t i, j;

	for (g = 0; g < CUR_COUNT; g++)
		first[g] = SIZE_MAX;
	for (i = 0; i < doc->nlines; i++) {
		l = &doc->lines[i];
		k = find_row(l, currency_keywords, NROWS(currency_keywords),
			     &after);
		/* The total line's currency counts twice: a border shop's
		 * "Total CHF" over its "Total EUR" conversion. */
		if (k && code_printed(k, l->text, after) &&
		    !((k->flags & PLACE) && generic_last_amount(l, NULL, NULL)))
			votes[k->value] += 1 + (find_row(l, total_keywords,
							 NROWS(total_keywords),
							 NULL) != NULL);
		votes[CUR_USD] += us_address(l);
		if ((g = us_phone(l)) >= 0)
			votes[g]++;
		votes[CUR_GBP] += uk_postcode(l) + uk_vat_number(l);
		if ((g = vat_number_currency(l)) >= 0)
			votes[g]++;
		if ((g = gst_number(l)) >= 0)
			votes[g]++;
		votes[CUR_CAD] += ca_postcode(l) + ca_business_number(l);
		for (j = 0; j < l->len; j++) {
			if ((g = money_sign(l, j)) >= 0)
				votes[g] += sign_apart(l, j, 3);
			else if (l->text[j] == '$' && j &&
				 (g = dollar_prefix(l->text, j)) >= 0)
				votes[g]++;
			else if (l->text[j] == '$')
				dollars += lone_sign(l, j);
			else if (j + 1 < l->len &&
				 memcmp(l->text + j, "\xC2\xA3", 2) == 0)
				votes[CUR_GBP] += sign_apart(l, j, 2);
			else if (j + 2 < l->len &&
				 (l->text[j] == 'z' || l->text[j] == 'Z') &&
				 memcmp(l->text + j + 1, "\xC5\x82", 2) == 0)
				votes[CUR_PLN]++; /* zł */
			else if (j + 2 < l->len &&
				 (l->text[j] == 'k' || l->text[j] == 'K') &&
				 memcmp(l->text + j + 1, "\xC4\x8D", 2) == 0)
				votes[CUR_CZK]++; /* Kč */
			else if (j >= 2 && j + 1 < l->len &&
				 l->text[j] == 'F' && l->text[j + 1] == 't' &&
				 l->text[j - 1] == ' ' &&
				 isdigit((unsigned char)l->text[j - 2]) &&
				 (j + 2 == l->len ||
				  !isalpha((unsigned char)l->text[j + 2])))
				votes[CUR_HUF]++; /* "3 403 Ft" */
			else if (j + 1 < l->len &&
				 memcmp(l->text + j, "RM", 2) == 0 &&
				 (j == 0 ||
				  !isalpha((unsigned char)l->text[j - 1])) &&
				 !province_rm(l, j) &&
				 (j + 2 == l->len ||
				  !isalpha((unsigned char)l->text[j + 2])))
				votes[CUR_MYR]++;
			else if (rand_sign(l, j))
				votes[CUR_ZAR]++;
			else if (j + 3 < l->len &&
				 cyrillic_word(l, j, "\xD0\xBB\xD0\xB2"))
				votes[CUR_BGN]++; /* лв */
			else if (j + 5 < l->len &&
				 cyrillic_word(l, j,
					       "\xD0\xB4\xD0\xB8\xD0\xBD"))
				votes[CUR_RSD]++; /* дин */
			else if (j + 2 < l->len &&
				 memcmp(l->text + j, "\xE2\x82\xBA", 3) == 0)
				votes[CUR_TRY]++; /* ₺ */
		}
		for (g = 0; g < CUR_COUNT; g++)
			if (votes[g] && first[g] == SIZE_MAX)
				first[g] = i;
	}
	/* Addresses where nothing else says. */
	for (g = 0; g < CUR_COUNT && !votes[g]; g++)
		;
	for (i = 0; g == CUR_COUNT && i < doc->nlines; i++)
		if ((k = find_row(&doc->lines[i], region_keywords,
				  NROWS(region_keywords), &after)))
			votes[k->value]++;
	/* A '$' is the dollar of the country the receipt names, else the
	 * US dollar. */
	for (i = CUR_SGD; i < CUR_COUNT; i++)
		if (votes[i] > votes[land])
			land = (int)i;
	votes[land] += dollars;
	/* Among equals the first named: "Total CHF" above "Total EUR". */
	for (i = 0; i < CUR_COUNT; i++)
		if (votes[i] > 0 &&
		    (best < 0 || votes[i] > votes[best] ||
		     (votes[i] == votes[best] && first[i] < first[best])))
			best = (int)i;
	if (best >= 0)
		memcpy(r->currency, currency_iso[best], 4);
}

/* Whether the receipt's amounts print a decimal comma as a rule, a
 * total OCR read with a point aside ("Surnme 4.73" over "Pfand 0,15"). */
static int commas_rule(const struct parser_doc *doc)
{
	int commas = 0, points = 0;
	char sep;

	for (size_t i = 0; i < doc->nlines; i++) {
		sep = 0;
		if (generic_last_amount(&doc->lines[i], &sep, NULL)) {
			commas += sep == ',';
			points += sep == '.';
		}
	}
	return commas >= 3 && commas > 2 * points;
}

/* Lines above unlabelled cash searched for the amount paid. */
#define GUESS_PAID_ABOVE 3

/* Cash handed over in whole units and the change under it, their labels
 * unread ("Sumrie 26,46 / Bar 50,00 / rRückgein 23,54"): the amount they
 * differ by, printed on one of the few lines above them, was paid. */
static int64_t paid_unlabelled(const struct parser_doc *doc)
{
	for (size_t i = doc->nlines; i-- > 1;) {
		int64_t cash = generic_last_positive(&doc->lines[i - 1], NULL);
		int64_t change = generic_last_positive(&doc->lines[i], NULL);

		if (cash <= 0 || cash % 100 != 0 || change <= 0 ||
		    change >= cash)
			continue;
		for (size_t j = i - 1; j-- > 0 && j + GUESS_PAID_ABOVE >= i;)
			if (generic_last_positive(&doc->lines[j], NULL) ==
			    cash - change)
				return cash - change;
	}
	return 0;
}

/* No total keyword at all: the largest amount not returned or taxed is
 * the best remaining guess; cash tendered counts only when no change was
 * given back. */
/* Units a measured figure ends in: "Geladen 41,20 kWh", "45,23 l". */
static const struct keyword measure_units[] = {
	{ "kwh", W, 0 }, { "l", W, 0 },	 { "ltr", W, 0 },
	{ "kg", W, 0 },	 { "km", W, 0 }, { "liter", W, 0 },
};

/* Whether the line's last figure measures something, no money. */
static int measured(const struct parser_line *l)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	size_t n =
		generic_amounts(l->text, line_end(l), a, GENERIC_MAX_AMOUNTS);
	const char *p, *after;

	if (!n)
		return 0;
	p = a[n - 1].end;
	lex_skip_spaces(&p, line_end(l));
	for (size_t i = 0; i < NROWS(measure_units); i++)
		if (lex_find_keyword(p, line_end(l), measure_units[i].kw,
				     measure_units[i].flags, &after) == p)
			return 1;
	return 0;
}

static void guess_total(const struct parser_doc *doc,
			const struct generic_line *info,
			struct generic_total *best)
{
	int change = 0;
	int64_t v;
	size_t i;

	for (i = 0; i < doc->nlines; i++)
		if (info[i].cls == GENERIC_LINE_CHANGE &&
		    generic_last_positive(&doc->lines[i], NULL) > 0)
			change = 1;
	for (i = 0; i < doc->nlines; i++) {
		if (info[i].cls != GENERIC_LINE_PLAIN &&
		    info[i].cls != GENERIC_LINE_CARD &&
		    (info[i].cls != GENERIC_LINE_CASH || change))
			continue;
		if (measured(&doc->lines[i]))
			continue;
		v = generic_last_positive(&doc->lines[i], NULL);
		if (v > best->cents)
			best->cents = v;
	}
}

/* A line's last word as a figure whose decimal comma OCR lost ("SUMME
 * EUR -3498"): three to seven digits, signed, read as cents; 0 where
 * it is no such word. */
static int64_t undotted_cents(const struct parser_line *l)
{
	const char *e = line_end(l), *p = e;
	int64_t v = 0;

	while (p > l->text && isdigit((unsigned char)p[-1]) && e - p <= 7)
		p--;
	if (e - p < 3 || e - p > 7 ||
	    (p > l->text && p[-1] != ' ' && p[-1] != '-'))
		return 0;
	for (const char *q = p; q < e; q++)
		v = v * 10 + (*q - '0');
	return p > l->text && p[-1] == '-' ? -v : v;
}

/* Whether a line from line from down ends in amount v. */
static int printed_from(const struct parser_doc *doc, size_t from, int64_t v)
{
	for (size_t i = from; i < doc->nlines; i++)
		if (generic_last_amount(&doc->lines[i], NULL, NULL) == v)
			return 1;
	return 0;
}

/* A refund (a return, "Erstattung", "REFUND"): its items, with any tax
 * refunded on top ("SUBTOTAL -24.97 / TAX -2.06 / TOTAL -27.03"), add up
 * to a negative total printed on a total line at or below items_end.
 * Returns that total, or 0. Points go by purchases, so the ledger flags
 * these for staff rather than crediting or debiting on its own. */
static int64_t refund_total(const struct parser_doc *doc,
			    const struct generic_line *info, size_t items_end,
			    int64_t items_sum)
{
	int64_t want = items_sum, v;

	for (size_t i = 0; items_sum < 0 && i < doc->nlines; i++) {
		v = generic_last_amount(&doc->lines[i], NULL, NULL);
		/* The refund paid out says it too ("Rückerstattung girocard
		 * -34,98"), and a total whose comma was lost ("SUMME -3498")
		 * or whose minus faded, where another line prints it
		 * ("Summe EUR 18,24 / Rückzahlung Bar -18,24"). */
		if (i >= items_end &&
		    ((info[i].prio &&
		      (v == want || undotted_cents(&doc->lines[i]) == want ||
		       (v == -want && printed_from(doc, items_end, want)))) ||
		     (v == want && (info[i].cls == GENERIC_LINE_CARD ||
				    info[i].cls == GENERIC_LINE_CASH))))
			return want;
		if (v < 0 && generic_tax_line(&doc->lines[i]))
			want += v;
	}
	return 0;
}

/* A total-like line that sums part of the bill: no total, a subtotal. */
static void make_subtotal(struct generic_line *g)
{
	g->prio = 0;
	g->cls = GENERIC_LINE_NOT_TOTAL;
	g->subtotal = 1;
}

/* Words that put a tax on top of the figure above ("zzgl. 19 % MwSt."). */
static const struct keyword plus_tax_keywords[] = {
	{ "zzgl", W, 0 },
	{ "zuzgl", W, 0 },
	{ "zuzuglich", W, 0 },
	{ "plus", W, 0 },
};

/* "Summe 54,60 / zzgl. 19 % MwSt. 10,37 / Rechnungsbetrag 64,97": a
 * total line with tax added under it and a total line further down is
 * the net subtotal. */
static void net_totals(const struct parser_doc *doc, struct generic_line *info)
{
	size_t i, j, k;

	for (i = 0; i < doc->nlines; i++) {
		if (!info[i].prio)
			continue;
		for (j = i + 1; j < doc->nlines && !doc->lines[j].len; j++)
			;
		if (j == doc->nlines || info[j].cls != GENERIC_LINE_TAX ||
		    !find_row(&doc->lines[j], plus_tax_keywords,
			      NROWS(plus_tax_keywords), NULL))
			continue;
		for (k = j + 1; k < doc->nlines && !info[k].prio; k++)
			;
		if (k < doc->nlines) {
			make_subtotal(&info[i]);
		}
	}
}

/* "TOTAL 27.66 / GIFTCARD 20.00 / BALANCE DUE 7.66": a total line under
 * another, less the payments printed between them, is what was left to
 * pay, not the bill; right under cash, more than the bill, the change. */
static void balance_left(const struct parser_doc *doc,
			 struct generic_line *info)
{
	size_t i, j, k = doc->nlines;
	int64_t paid, v, total;
	int pays;

	for (i = 0; i < doc->nlines; i++) {
		if (!info[i].prio)
			continue;
		for (j = k + 1, paid = 0, pays = 0; k < i && j < i; j++) {
			unsigned char c = info[j].cls;

			v = generic_last_positive(&doc->lines[j], NULL);
			if (v > 0 && (c == GENERIC_LINE_VOUCHER ||
				      c == GENERIC_LINE_CARD ||
				      c == GENERIC_LINE_CASH)) {
				paid += v;
				pays++;
			}
		}
		v = generic_last_positive(&doc->lines[i], NULL);
		total = k < i ? generic_last_positive(&doc->lines[k], NULL) : 0;
		if (pays && v > 0 && total - paid == v) {
			info[i].prio = 0;
			info[i].cls = GENERIC_LINE_NOT_TOTAL;
			continue;
		}
		/* "NET AMOUNT 771.00 / CASH 1000.00 / BALANCE 229.00": what
		 * the cash left over, the change. */
		if (pays && v > 0 && total > 0 && paid - total == v &&
		    info[i - 1].cls == GENERIC_LINE_CASH) {
			info[i].prio = 0;
			info[i].cls = GENERIC_LINE_CHANGE;
			continue;
		}
		k = i;
	}
}

/* "1 19,00 % 59,51 50,01 9,50 / Summe 164,59 148,22 16,37": a total
 * word under VAT rows, with their columns' sums, is the table's sum row;
 * its last figure is the tax. Two figures do where OCR lost the third
 * ("Gesamt 47,22 8,18 55 40"). */
static void vat_sum_rows(const struct parser_doc *doc,
			 struct generic_line *info)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	const struct parser_line *above;
	const char *rs, *re;
	size_t i, j;
	int bp;

	for (i = 1; i < doc->nlines; i++) {
		if (!info[i].prio ||
		    generic_amounts(doc->lines[i].text,
				    line_end(&doc->lines[i]), a,
				    GENERIC_MAX_AMOUNTS) < 2)
			continue;
		for (j = i - 1; j > 0 && !doc->lines[j].len; j--)
			;
		above = &doc->lines[j];
		if (lex_rate(above->text, line_end(above), 10000, &bp, &rs,
			     &re) == 0 &&
		    generic_amounts(above->text, line_end(above), a,
				    GENERIC_MAX_AMOUNTS) >= 3) {
			info[i].prio = 0;
			info[i].cls = GENERIC_LINE_NOT_TOTAL;
		}
	}
}

/* Whether l looks like an item: a name and an amount, no keyword. */
static int item_like(const struct parser_line *l, const struct generic_line *g)
{
	return g->cls == GENERIC_LINE_PLAIN && !g->prio &&
	       generic_last_amount(l, NULL, NULL) &&
	       generic_letters(l->text, line_end(l)) >= 3;
}

/* "Summe Privatrezept 38,44 / Voltaren 12,95 A / Gesamtsumme 51,39": a
 * total line that the items under it and the next total line add up
 * from sums a section; it is a subtotal, and the items go on. */
static void section_totals(const struct parser_doc *doc,
			   struct generic_line *info)
{
	int64_t v, sum;
	size_t i, j;
	int items;

	for (i = 0; i < doc->nlines; i++) {
		if (!info[i].prio ||
		    (v = generic_last_amount(&doc->lines[i], NULL, NULL)) <= 0)
			continue;
		for (j = i + 1, sum = v, items = 0;
		     j < doc->nlines && !info[j].prio; j++)
			if (item_like(&doc->lines[j], &info[j])) {
				sum += generic_last_amount(&doc->lines[j], NULL,
							   NULL);
				items++;
			}
		if (j < doc->nlines && items &&
		    generic_last_amount(&doc->lines[j], NULL, NULL) == sum) {
			make_subtotal(&info[i]);
		}
		return; /* the first total line's only */
	}
}

/* "Summe Lohn 160,20 / Summe Teile 114,45 / Summe Nebenkosten 4,50 /
 * Gesamtbetrag netto 279,15": a run of total lines whose figures a
 * later line adds up sums parts of the bill; they are subtotals. */
static void partial_sums(const struct parser_doc *doc,
			 struct generic_line *info)
{
	int64_t v, sum;
	size_t i, j, k;

	for (i = 0; i < doc->nlines; i++) {
		for (j = i, sum = 0;
		     j < doc->nlines && info[j].prio &&
		     (v = generic_last_amount(&doc->lines[j], NULL, NULL)) > 0;
		     j++)
			sum += v;
		if (j - i < 2)
			continue;
		if (printed_from(doc, j, sum))
			for (k = i; k < j; k++)
				make_subtotal(&info[k]);
		i = j;
	}
}

/* Words of three letters or more in [s, at) that are no currency:
 * "Waschmittel Color" in "Total Waschmittel Color 2l 14.95", none in
 * "TOTAL EUR 12,00". */
static int name_words(const char *s, const char *at)
{
	static const char *const currencies[] = { "eur", "chf", "usd", "gbp",
						  "sgd", "myr", NULL };
	int n = 0;

	while (s < at) {
		const char *w = s, *m;
		size_t k;

		while (s < at && lex_is_letter((unsigned char)*s))
			s++;
		if (s - w < 3) {
			s += s == w;
			continue;
		}
		for (k = 0; currencies[k]; k++) {
			m = w;
			if (s - w == 3 && lex_keyword(&m, s, currencies[k],
						      W | LEX_KW_EXACT) == 0)
				break;
		}
		n += !currencies[k];
	}
	return n;
}

/* "1 COLGATE TOTAL TPASTE 5.79", "Total Waschmittel Color 2l 14.95": a
 * total word in a name, on an item line, with a name on both sides or
 * more items under it (named lines with an amount, no payment between;
 * always where it starts the line and two words follow), and then a
 * total line of as high a rank. */
/* Letters of the one word after a total word that make it a product's
 * name ("Total Waschmittel"), not the total's label ("Total CHF"). */
#define TOTAL_NAME_WORD_MIN 6

static int total_in_name(const struct parser_doc *doc,
			 const struct generic_line *info, size_t i)
{
	const struct parser_line *l = &doc->lines[i];
	const struct keyword *k;
	const char *at, *after;
	struct generic_amount a;
	int items = 0, named, before, single;
	size_t j;

	k = find_row(l, total_keywords, NROWS(total_keywords), NULL);
	at = k ? lex_find_keyword(l->text, line_end(l), k->kw, k->flags, &after)
	       : NULL;
	if (!at)
		return 0;
	/* "Eat-In Total (incl GST)": a total with its tax, no product. */
	before = named_before(l->text, at) &&
		 !find_row(l, incl_keywords, NROWS(incl_keywords), NULL);
	named = generic_amounts(after, line_end(l), &a, 1) &&
		(before ? named_before(after, a.start)
			: name_words(after, a.start) >= 2);
	/* "Total Waschmittel 2l 16.90": one word after it, which more
	 * items under it must bear out. */
	single = !before && !named &&
		 generic_amounts(after, line_end(l), &a, 1) &&
		 name_words(after, a.start) == 1 &&
		 generic_letters(after, a.start) >= TOTAL_NAME_WORD_MIN;
	if (!before && !named && !single)
		return 0;
	/* Named on both sides ("COLGATE TOTAL 75ML 3.00"): no more items
	 * need follow; named after it only ("Total Sales (Incl GST)"),
	 * they must. */
	named &= before;
	for (j = i + 1; j < doc->nlines; j++) {
		l = &doc->lines[j];
		if (info[j].prio >= info[i].prio)
			return items > single || named;
		if (info[j].cls == GENERIC_LINE_CARD ||
		    info[j].cls == GENERIC_LINE_CASH)
			return 0;
		items += item_like(l, &info[j]);
	}
	return 0;
}

/* Lines above a slip's amount line its slip words may be. */
#define SLIP_SPAN 8
/* Item lines under a slip that make it a slip printed above the items. */
#define SLIP_ITEMS_UNDER 2

/* "Kundenbeleg / ... / Betrag EUR 79,36 / ... / Pumpe 6 Diesel 68,38
 * / ... / Gesamt EUR 79,36": total line i is a card slip's, printed
 * above the receipt's items, which a total line of as high a rank ends. */
static int slip_above_items(const struct parser_doc *doc,
			    const struct generic_line *info, size_t i)
{
	size_t j, items = 0;

	for (j = i > SLIP_SPAN ? i - SLIP_SPAN : 0; j < i; j++)
		if (find_row(&doc->lines[j], slip_keywords,
			     NROWS(slip_keywords), NULL))
			break;
	if (j == i)
		return 0;
	for (j = i + 1; j < doc->nlines; j++) {
		if (info[j].prio >= info[i].prio)
			return items >= SLIP_ITEMS_UNDER;
		items += item_like(&doc->lines[j], &info[j]);
	}
	return 0;
}

/* Where the items end: the first total line, passing over a total word
 * in an item's name and a card slip printed above the items (whose
 * amount line becomes the card payment it is). */
static size_t first_total_line(const struct parser_doc *doc,
			       struct generic_line *info)
{
	size_t i;
	int above = 0, here;

	/* A total word on no amount and under none heads a column ("Menge
	 * Preis Betrag"): the total follows the items. */
	for (i = 0; i < doc->nlines; i++) {
		/* Any amount: a refund's total and items are negative. */
		here = generic_last_amount(&doc->lines[i], NULL, NULL) != 0;
		if (info[i].prio && here && slip_above_items(doc, info, i)) {
			info[i].prio = 0;
			info[i].cls = GENERIC_LINE_CARD;
			continue;
		}
		if (info[i].prio && (above || here) &&
		    !total_in_name(doc, info, i))
			return i;
		above |= here;
	}
	/* No total line read: the items end where a subtotal, a card
	 * payment or the change is printed (cash only right above the
	 * change: "Bar" also names chocolate), or a voucher right above a
	 * card pays a share (one sold is an item). */
	for (i = 0; i < doc->nlines; i++) {
		if (info[i].subtotal || info[i].cls == GENERIC_LINE_CARD)
			return i;
		if (info[i].cls == GENERIC_LINE_VOUCHER &&
		    i + 1 < doc->nlines && info[i + 1].cls == GENERIC_LINE_CARD)
			return i;
		if (info[i].cls == GENERIC_LINE_CHANGE)
			return i > 0 && info[i - 1].cls == GENERIC_LINE_CASH
				       ? i - 1
				       : i;
	}
	return doc->nlines;
}

/* An invoice's layout: "Gesamtbetrag 86,84 / bezahlt mit girocard" over
 * the item list, no item above. The items are the plain lines under the
 * total line at, from the first that looks like one to the next line of
 * another class (the VAT table's head); two at least. Returns their
 * sum. */
static int64_t items_below(const struct parser_doc *doc,
			   const struct generic_line *info, size_t at,
			   struct receipt *r, int *repaired)
{
	struct parser_doc below = *doc;
	size_t i, from = 0, items = 0;

	if (at >= doc->nlines || !info[at].prio)
		return 0;
	for (i = at + 1; i < doc->nlines; i++) {
		if (info[i].cls != GENERIC_LINE_PLAIN || info[i].prio) {
			if (items)
				break;
			continue;
		}
		if (item_like(&doc->lines[i], &info[i]) && !items++)
			from = i;
	}
	if (items < 2)
		return 0;
	below.lines = doc->lines + from;
	below.nlines = i - from;
	return generic_items(&below, info + from, below.nlines, r, repaired);
}

/* Without a total line read, a last item whose amount is the sum of the
 * three or more above it is the total line, its keyword misread
 * ("Casanıt EUR 8,47" for Gesamt): it leaves the items, which then end
 * at it. Returns where the items end. */
static size_t sum_line(const struct parser_doc *doc,
		       const struct generic_line *info, size_t items_end,
		       struct receipt *r, int64_t *items_sum)
{
	const struct receipt_item *last;
	size_t i;

	/* first_total_line() ends the items at a total line if any. */
	if ((items_end < doc->nlines && info[items_end].prio) || r->nitems < 4)
		return items_end;
	last = &r->items[r->nitems - 1];
	if (last->kind != RECEIPT_ITEM || last->qty_milli != 1000 ||
	    2 * last->amount != *items_sum)
		return items_end;
	for (i = items_end; i-- > 0;)
		if (generic_last_positive(&doc->lines[i], NULL) == last->amount)
			break;
	if (i == (size_t)-1)
		return items_end;
	*items_sum -= last->amount;
	r->nitems--;
	return i;
}

static void money_text(char *buf, size_t len, int64_t cents, char sep)
{
	int64_t a = cents < 0 ? -cents : cents;

	snprintf(buf, len, "%s%lld%c%02lld", cents < 0 ? "-" : "",
		 (long long)(a / 100), sep, (long long)(a % 100));
}

/* Tesseract's confidence in the amounts on a line: the lowest of its
 * words that hold a digit; negative when OCR gave no words. */
static float amount_conf(const struct parser_line *l)
{
	float c = -1.0f;

	for (size_t i = 0; i < l->nwords; i++) {
		const struct parser_word *w = &l->words[i];
		int digit = 0;

		for (size_t j = 0; j < w->len && w->off + j < l->len; j++)
			digit |= l->text[w->off + j] >= '0' &&
				 l->text[w->off + j] <= '9';
		if (digit && (c < 0.0f || w->conf < c))
			c = w->conf;
	}
	return c;
}

static void set_total(struct receipt *r, const struct generic_total *t,
		      int64_t items_sum, char sep, float conf)
{
	char a[32], b[32];
	double c = 0.0;

	r->total = t->cents;
	c += t->keyword ? 0.45 : 0.15;
	if (t->confirmed)
		c += 0.2;
	if (r->nitems && items_sum != t->cents) {
		money_text(a, sizeof(a), items_sum, sep);
		money_text(b, sizeof(b), t->cents, sep);
		receipt_warn(r, "items sum to %s but total is %s", a, b);
		c -= 0.1;
	}
	c -= t->penalty;
	if (conf >= 0.0f && conf < TOTAL_MIN_CONF) {
		receipt_warn(r, "total read with low OCR confidence (%.0f %%)",
			     (double)conf);
		c -= 0.2;
	}
	c += r->date[0] ? 0.15 : 0.0;
	c += r->time[0] ? 0.05 : 0.0;
	c += r->store_name[0] ? 0.05 : 0.0;
	c += r->nitems ? 0.1 : 0.0;
	r->confidence = c > 1.0 ? 1.0 : c < 0.0 ? 0.0 : c;
}

static int generic_match(const struct parser_doc *doc)
{
	(void)doc;
	return GENERIC_MATCH_SCORE;
}

/* Lines searched below another receipt's total for its payment and for
 * this one's address, and name lines above the address taken as this
 * one's head. */
#define FOREIGN_PAY_LINES 3
#define FOREIGN_ADDRESS_LINES 15
#define FOREIGN_NAME_LINES 3

size_t generic_foreign_head(const struct parser_doc *doc)
{
	struct generic_line g;
	size_t i, t = doc->nlines, p = 0, start;

	/* A total before any item, paid: the end of another receipt (an
	 * invoice prints its total in the head, unpaid). */
	for (i = 0; i < doc->nlines && t == doc->nlines; i++) {
		classify(&doc->lines[i], &g);
		if (g.prio)
			t = i;
		else if (item_like(&doc->lines[i], &g))
			return 0;
	}
	for (i = t + 1; i < doc->nlines && i <= t + FOREIGN_PAY_LINES; i++) {
		classify(&doc->lines[i], &g);
		if (g.cls == GENERIC_LINE_CASH || g.cls == GENERIC_LINE_CARD ||
		    g.cls == GENERIC_LINE_CHANGE)
			break;
	}
	if (i >= doc->nlines || i > t + FOREIGN_PAY_LINES)
		return 0;
	for (i = t + 1; i < doc->nlines && i <= t + FOREIGN_ADDRESS_LINES && !p;
	     i++)
		if (postcode_line(&doc->lines[i]))
			p = i;
	if (!p)
		return 0;
	for (start = p; start > t + 1 && p - start < FOREIGN_NAME_LINES &&
			plausible_name(&doc->lines[start - 1], 0);
	     start--)
		;
	/* This receipt's own items and total below its head. */
	for (i = p + 1; i < doc->nlines; i++) {
		classify(&doc->lines[i], &g);
		if (g.prio)
			return 0;
		if (item_like(&doc->lines[i], &g))
			break;
	}
	for (; i < doc->nlines; i++) {
		classify(&doc->lines[i], &g);
		if (g.prio)
			return start;
	}
	return 0;
}

size_t generic_foreign_tail(const struct parser_doc *doc)
{
	const char *s, *e, *fs = NULL, *fe = NULL;
	size_t i, first = SIZE_MAX;
	int total = 0, items = 0, printed;
	struct generic_line g;

	for (i = 0; i < doc->nlines; i++) {
		s = doc->lines[i].text;
		e = line_end(&doc->lines[i]);
		generic_trim(&s, &e);
		if (!fs) {
			if (e > s)
				fs = s, fe = e;
			continue;
		}
		classify(&doc->lines[i], &g);
		generic_last_amount(&doc->lines[i], NULL, &printed);
		printed = printed && g.prio; /* a total, printed */
		if (first == SIZE_MAX) {
			total |= printed;
			/* The first line's name again under a total. */
			if (total && e - s == fe - fs &&
			    generic_letters(s, e) >= 3 &&
			    !strncasecmp(s, fs, (size_t)(e - s)))
				first = i;
		} else if (printed) {
			/* Its own items: a footer's name over a card slip
			 * has none. */
			return items ? first : doc->nlines;
		} else {
			items |= item_like(&doc->lines[i], &g);
		}
	}
	return doc->nlines;
}

/* The first subtotal's amount, or 0. */
static int64_t printed_subtotal(const struct parser_doc *doc,
				const struct generic_line *info)
{
	int64_t v;

	for (size_t i = 0; i < doc->nlines; i++)
		if (info[i].subtotal &&
		    (v = generic_last_positive(&doc->lines[i], NULL)) > 0)
			return v;
	return 0;
}

/* Bytes a line grows by in whole_units: ",00" after the unit price and
 * after the amount. */
#define WHOLE_UNITS_GROWTH 6

/* Where the whole figure ending at e starts, its thousands spaced ("3
 * 403"), after a column's gap of two spaces or a currency's sign ("Kč
 * 756"); NULL where there is none. */
static const char *whole_figure(const char *s, const char *e)
{
	const char *p = e, *g, *q;

	/* More figures ungrouped are a number ("ENGEDÉLYSZÁM: 507218"). */
	while (p > s && isdigit((unsigned char)p[-1]))
		p--;
	if (p == e || e - p > 5)
		return NULL;
	/* Each group after the first holds three figures; a space or a
	 * point parts them ("3 403", "5.772"). */
	for (g = p; g - s >= 2 && (g[-1] == ' ' || g[-1] == '.') &&
		    isdigit((unsigned char)g[-2]);
	     p = g = q) {
		for (q = g; q < e && isdigit((unsigned char)*q);)
			q++;
		if (q - g != 3)
			break;
		for (q = g - 1; q > s && isdigit((unsigned char)q[-1]);)
			q--;
		if (g - 1 - q > 3)
			break;
	}
	/* "kedvezmény  -150", "KEREKÍTÉS  +1" */
	q = p > s && (p[-1] == '-' || p[-1] == '+') ? p - 1 : p;
	if (q - s >= 4 && q[-1] == ' ' && !memcmp(q - 4, "K\xC4\x8D", 3))
		return p;
	return q - s >= 3 && q[-1] == ' ' && q[-2] == ' ' ? p : NULL;
}

/* Cuts a currency's mark off the end of s..*e: " Ft", " Kč", ",-";
 * 1 where one was. */
static int cut_unit_mark(const char *s, const char **e)
{
	static const char *const marks[] = { " Ft",	   " FT", " HUF",
					     " K\xC4\x8D", ",-",  NULL };
	const char *t = *e;
	size_t n;

	for (size_t i = 0; marks[i]; i++) {
		n = strlen(marks[i]);
		if ((size_t)(t - s) > n && !memcmp(t - n, marks[i], n) &&
		    isdigit((unsigned char)t[-n - 1])) {
			for (t -= n; t > s && t[-1] == ' ';)
				t--;
			*e = t;
			return 1;
		}
	}
	return 0;
}

/* The whole unit price after a times sign ("4 x 329", "0,765 kg x 2 999
 * Ft/kg", "á Kč 189"): its end, or NULL where there is none. *at is set
 * to its start. */
static const char *whole_unit_price(const char *s, const char *e,
				    const char **at)
{
	const char *p, *q;

	for (p = s; p + 2 < e; p++) {
		if ((*p == 'x' || *p == 'X') && p > s && p[-1] == ' ' &&
		    p[1] == ' ')
			p += 2;
		else if (!memcmp(p, "\xC3\xA1 ", 3) ||
			 !memcmp(p, "\xC3\xA0 ", 3))
			p += 3; /* "á Kč 189" */
		else
			continue;
		for (; p < e && *p == ' ';)
			p++;
		if (e - p > 4 && !memcmp(p, "K\xC4\x8D ", 4))
			p += 4;
		*at = p;
		for (q = p; q < e && isdigit((unsigned char)*q) && q - p < 3;)
			q++;
		while (q > p && q + 4 <= e && *q == ' ' &&
		       isdigit((unsigned char)q[1]) &&
		       isdigit((unsigned char)q[2]) &&
		       isdigit((unsigned char)q[3]) &&
		       (q + 4 == e || !isdigit((unsigned char)q[4])))
			q += 4;
		if (q == p || (q < e && isdigit((unsigned char)*q)) ||
		    (q + 1 < e && (*q == ',' || *q == '.') &&
		     isdigit((unsigned char)q[1])))
			return NULL;
		return q;
	}
	return NULL;
}

/* Copies the figure p..e to o without its spaces and points, then ",00";
 * a crown's sign before it ("Kč 756") goes: a word between a unit price
 * and its amount would make them a name's. o is past start. */
static char *copy_whole(char *start, char *o, const char *p, const char *e)
{
	if (o - start >= 4 && !memcmp(o - 4, "K\xC4\x8D ", 4)) {
		o -= 4;
		*o++ = ' ';
	}
	for (; p < e; p++)
		if (*p != ' ' && *p != '.')
			*o++ = *p;
	memcpy(o, ",00", 3);
	return o + 3;
}

/* Forints print no decimals ("Tej 1l   399 A", "4 x 329   1 316 A",
 * "ÖSSZESEN: 3 403 Ft"), Czech pubs not always ("CELKEM 918,-", "372
 * Kč"): in a copy of the lines, each line's last whole figure becomes
 * the amount it is ("399,00 A", "3403,00 Ft"), and so does a unit price
 * after a times sign (their words dropped: the offsets would not fit).
 * Crowns only where marked so: their receipts print decimals as a rule.
 * Returns the copy's buffer (the caller frees it), or NULL where it
 * cannot be had. */
static char *whole_units(const struct parser_doc *doc,
			 struct parser_line *lines, int marked_only)
{
	size_t i, used = 0, total = 0;
	const char *s, *e, *p, *tail, *u, *ue;
	char *buf, *o;
	int marked;

	for (i = 0; i < doc->nlines; i++)
		total += doc->lines[i].len + WHOLE_UNITS_GROWTH;
	if (!(buf = malloc(total + 1)))
		return NULL;
	for (i = 0; i < doc->nlines; i++) {
		lines[i] = doc->lines[i];
		s = doc->lines[i].text;
		e = tail = s + doc->lines[i].len;
		while (e > s && e[-1] == ' ')
			e--;
		marked = cut_unit_mark(s, &e);
		/* a VAT class after the amount: "399 A" */
		if (!marked && e - s >= 3 && e[-2] == ' ' &&
		    isupper((unsigned char)e[-1]) &&
		    isdigit((unsigned char)e[-3]))
			e -= 2;
		if (!(p = whole_figure(s, e)) ||
		    (marked_only && !marked &&
		     !(p - s >= 4 && !memcmp(p - 4, "K\xC4\x8D ", 4))))
			continue;
		o = buf + used;
		u = s;
		if ((ue = whole_unit_price(s, p, &u))) {
			memcpy(o, s, (size_t)(u - s));
			o = copy_whole(buf + used, o + (u - s), u, ue);
			u = ue;
		}
		memcpy(o, u, (size_t)(p - u));
		o = copy_whole(buf + used, o + (p - u), p, e);
		memcpy(o, e, (size_t)(tail - e));
		o += tail - e;
		lines[i].text = buf + used;
		lines[i].len = (size_t)(o - (buf + used));
		lines[i].words = NULL;
		lines[i].nwords = 0;
		used += lines[i].len;
	}
	return buf;
}

/* Italy's return document prints its figures positive: "DOCUMENTO
 * COMMERCIALE emesso per RESO MERCE"; so does a refund's own paper
 * ("ERSTATTUNGSBELEG ... Erstattungsbetrag 77,50 EUR"). */
static int returned_goods(const struct parser_doc *doc)
{
	static const struct keyword returns[] = {
		{ "emesso per reso", 0, 0 },
		{ "erstattungsbeleg", LEAD, 0 },
	};

	for (size_t i = 0; i < doc->nlines; i++)
		if (find_row(&doc->lines[i], returns, NROWS(returns), NULL))
			return 1;
	return 0;
}

/* Whether the bill says nothing is left to pay: a total line of rank
 * TOTAL_ZERO_PRIO or more prints 0,00 ("Zu zahlen EUR 0,00" for a patient
 * exempt from co-payment, "Reste a charge 0,00" where the insurers pay
 * all) and no voucher paid it, no cash or card line took money (a
 * folio's "Payment VISA -361.20 / Balance Due 0.00"). */
#define TOTAL_ZERO_PRIO 80
static int nothing_to_pay(const struct parser_doc *doc,
			  const struct generic_line *info)
{
	struct generic_amount a[GENERIC_MAX_AMOUNTS];
	int zero = 0;
	size_t n;

	for (size_t i = 0; i < doc->nlines; i++) {
		const struct parser_line *l = &doc->lines[i];

		if (info[i].cls == GENERIC_LINE_VOUCHER ||
		    ((info[i].cls == GENERIC_LINE_CARD ||
		      info[i].cls == GENERIC_LINE_CASH) &&
		     generic_last_amount(l, NULL, NULL) != 0))
			return 0;
		n = generic_amounts(l->text, line_end(l), a,
				    GENERIC_MAX_AMOUNTS);
		zero |= info[i].prio >= TOTAL_ZERO_PRIO && n &&
			a[n - 1].cents == 0;
	}
	return zero;
}

static int generic_parse_doc(const struct parser_doc *doc, struct receipt *r)
{
	struct generic_line info[PARSER_MAX_LINES];
	struct generic_total best;
	size_t i, items_end;
	int64_t items_sum;
	int repaired;
	char sep = ',';

	for (i = 0; i < doc->nlines; i++)
		classify(&doc->lines[i], &info[i]);
	net_totals(doc, info);
	section_totals(doc, info);
	partial_sums(doc, info);
	balance_left(doc, info);
	vat_sum_rows(doc, info); /* the currency: read by generic_parse */
	find_date_time(doc, r);
	find_receipt_number(doc, r);
	find_store_name(doc, r);
	items_end = first_total_line(doc, info);
	items_sum = generic_items(doc, info, items_end, r, &repaired);
	if (!r->nitems)
		items_sum = items_below(doc, info, items_end, r, &repaired);
	items_end = sum_line(doc, info, items_end, r, &items_sum);
	memset(&best, 0, sizeof(best));
	if ((best.cents = refund_total(doc, info, items_end, items_sum))) {
		best.keyword = 1;
		best.confirmed = 1;
		receipt_warn(r, "refund: the total is negative");
	} else if (nothing_to_pay(doc, info)) {
		receipt_warn(r, "nothing to pay: the total line prints 0,00");
		r->total = 0;
		r->confidence = r->date[0] ? 0.1 : 0.0;
		return 0;
	} else if (generic_pick_total(doc, info, items_end, items_sum, r,
				      &best) < 0) {
		/* Cash minus change, the VAT table's gross column, which
		 * adds up to the total, or under a total line whose figure
		 * did not read the items it ends: better guesses than the
		 * largest amount, which may be cash or a VAT row. */
		memset(&best, 0, sizeof(best));
		best.cents = paid_unlabelled(doc);
		if (best.cents > 0) {
			receipt_warn(r, "no total keyword found; took cash "
					"minus change");
		} else if ((best.cents = generic_vat_gross(doc, items_end,
							   NULL)) > 0) {
			receipt_warn(r, "no total keyword found; took the VAT "
					"table's gross sum");
		} else if (items_sum > 0 && items_end < doc->nlines &&
			   info[items_end].prio) {
			/* Nothing printed backs it: staff should see it. */
			best.cents = items_sum;
			best.penalty = ITEMS_GUESS_PENALTY;
			receipt_warn(r, "total line's figure unread; took the "
					"items' sum");
		} else {
			guess_total(doc, info, &best);
			if (best.cents)
				receipt_warn(r, "no total keyword found; "
						"guessed the largest amount");
		}
		r->mended |= RECEIPT_MENDED_TOTAL;
	}
	if (best.cents > items_sum && r->nitems) {
		int64_t sub = printed_subtotal(doc, info);

		/* Where tax is added to the subtotal, the subtotal is what
		 * the items lack. */
		if (generic_undotted_item(doc, info, items_end,
					  best.cents - items_sum, r))
			items_sum = best.cents;
		else if (sub > items_sum && sub < best.cents &&
			 generic_undotted_item(doc, info, items_end,
					       sub - items_sum, r))
			items_sum = sub;
	}
	if (best.cents > 0 && returned_goods(doc)) {
		best.cents = -best.cents;
		receipt_warn(r, "refund: the total is negative");
	}
	if (!best.cents) {
		receipt_warn(r, "no total found");
		r->confidence = r->date[0] ? 0.1 : 0.0;
		return 0;
	}
	for (i = 0; i < doc->nlines; i++)
		if ((best.cents > 0
			     ? generic_last_positive(&doc->lines[i], &sep)
			     : generic_last_amount(&doc->lines[i], &sep,
						   NULL)) == best.cents)
			break;
	if (!r->currency[0] && (sep == ',' || commas_rule(doc)))
		memcpy(r->currency, "EUR", 4);
	/* A mended item is a less sure reading than a clean one. */
	best.penalty += 0.05 * repaired;
	set_total(r, &best, items_sum, sep,
		  i < doc->nlines ? amount_conf(&doc->lines[i]) : -1.0f);
	if (!r->date[0])
		receipt_warn(r, "no date found");
	return 0;
}

char *generic_whole_doc(const struct parser_doc *doc, const char *currency,
			struct parser_line *lines, struct parser_doc *whole)
{
	char *buf;

	if ((strcmp(currency, "HUF") != 0 && strcmp(currency, "CZK") != 0) ||
	    doc->nlines > PARSER_MAX_LINES ||
	    !(buf = whole_units(doc, lines, !strcmp(currency, "CZK"))))
		return NULL;
	*whole = *doc;
	whole->lines = lines;
	return buf;
}

static int generic_parse(const struct parser_doc *doc, struct receipt *r)
{
	struct parser_line lines[PARSER_MAX_LINES];
	struct parser_doc whole;
	char *buf;
	int rc;

	if (doc->nlines > PARSER_MAX_LINES)
		return PARSER_ERR_TOO_LARGE;
	find_currency(doc, r);
	if (!(buf = generic_whole_doc(doc, r->currency, lines, &whole)))
		return generic_parse_doc(doc, r);
	rc = generic_parse_doc(&whole, r);
	free(buf);
	return rc;
}

const struct parser parser_generic = {
	.id = "generic",
	.name = "Generic German/English receipt",
	.match = generic_match,
	.parse = generic_parse,
};
