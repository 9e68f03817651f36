/*
 * receipt.h: the parsed receipt, the one structure every stage after OCR
 * shares. It is a plain value with fixed-size fields: the caller owns it
 * (stack or heap), nothing inside needs freeing, and it can be copied.
 */
#ifndef RD_RECEIPT_H
#define RD_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define RECEIPT_MAX_ITEMS 200
#define RECEIPT_MAX_WARNINGS 16
#define RECEIPT_NAME_LEN 80
#define RECEIPT_WARNING_LEN 120
#define RECEIPT_NUMBER_LEN 40
/* VAT rates a receipt summarises: Germany prints two, a few print three. */
#define RECEIPT_MAX_VAT 4
#define RECEIPT_TSE_LEN 72
#define RECEIPT_METHOD_LEN 16

/* Marks an amount (total, unit price) that could not be read. */
#define RECEIPT_UNKNOWN INT64_MIN

enum receipt_item_kind {
	RECEIPT_ITEM = 0,
	RECEIPT_DEPOSIT,	/* Pfand charged */
	RECEIPT_DEPOSIT_RETURN, /* Leergut / Pfand returned: negative amount */
	RECEIPT_DISCOUNT,	/* discount or coupon: negative amount */
};

/* Goods and deposits are charged: a quantity line ("2 Stk x 0,25")
 * multiplies to their amount. */
static inline int receipt_kind_charged(enum receipt_item_kind kind)
{
	return kind == RECEIPT_ITEM || kind == RECEIPT_DEPOSIT;
}

struct receipt_item {
	char name[RECEIPT_NAME_LEN];
	int64_t qty_milli;  /* thousandths: 1 piece = 1000, 0.874 kg = 874 */
	int64_t unit_price; /* cents, or RECEIPT_UNKNOWN */
	int64_t amount;	    /* cents; negative for returns and discounts */
	enum receipt_item_kind kind;
	char vat_class; /* class letter or digit as printed ('A'), or 0 */
};

/* One row of the VAT summary; any amount may be RECEIPT_UNKNOWN. */
struct receipt_vat {
	int rate; /* basis points: 19 % = 1900, 7 % = 700; 0 not printed */
	char vat_class; /* letter the items carry for this rate, or 0 */
	int64_t net, tax, gross; /* cents */
};

/* How it was paid: method "cash", "card", "ec", "credit", "voucher",
 * "mobile" or "" when no payment line was read. */
struct receipt_payment {
	char method[RECEIPT_METHOD_LEN];
	int64_t amount; /* cents tendered, or RECEIPT_UNKNOWN */
	int64_t change; /* cents given back, or RECEIPT_UNKNOWN */
};

/* The German fiscal (KassenSichV) block: "" where not printed. start and
 * end are as the receipt prints them, normalised to ISO-8601 when they
 * read as date and time. */
struct receipt_tse {
	char serial[RECEIPT_TSE_LEN];
	char transaction[24];
	char signature_counter[24];
	char start[24];
	char end[24];
};

/* What the paper is, from its title (struct receipt.document): only a
 * receipt proves a purchase. */
enum receipt_document {
	RECEIPT_DOC_RECEIPT = 0,
	RECEIPT_DOC_QUOTE,	  /* "Angebot", "Kostenvoranschlag", "DEVIS" */
	RECEIPT_DOC_ORDER,	  /* "Auftragsbestätigung", "Lieferschein" */
	RECEIPT_DOC_INTERIM_BILL, /* "Zwischenrechnung", "Pro-forma" */
	RECEIPT_DOC_TRAINING,	  /* a till in training mode */
	RECEIPT_DOC_CANCELLED,	  /* "STORNO BON", "VOID TRANSACTION" */
	RECEIPT_DOC_CARD_SLIP,	  /* a card terminal's slip alone */
	RECEIPT_DOC_DEPOSIT_VOUCHER, /* "LEERGUTBON": bottles returned */
	RECEIPT_DOC_TILL_REPORT, /* "Z-BERICHT", "Kassensturz": a day's sums */
	RECEIPT_DOC_COUNT
};

/* The document's name in JSON ("receipt", "quote", ...). */
const char *receipt_document_name(enum receipt_document d);

/* Fields a parser guessed rather than read (struct receipt.mended):
 * its warnings tell support staff, these bits tell code. */
enum receipt_mended {
	RECEIPT_MENDED_DATE = 1u << 0,	/* a misread digit put right */
	RECEIPT_MENDED_ITEMS = 1u << 1, /* an item made to fit the total */
	RECEIPT_MENDED_TOTAL = 1u << 2, /* no total line: another figure's */
	RECEIPT_MENDED_TOTAL_DIGIT = 1u << 3, /* its line's figure misread */
};

/* Figures printed apart from the total line that agree with the total
 * (struct receipt.backed). A total no other figure backs is one OCR
 * reading alone: the ledger may send it to review (docs/api.md). */
enum receipt_backing {
	RECEIPT_BACKED_ITEMS = 1u << 0,	  /* the items (plus tax on top) */
	RECEIPT_BACKED_VAT = 1u << 1,	  /* the VAT table's gross column */
	RECEIPT_BACKED_PAYMENT = 1u << 2, /* paid (less change) */
};

struct receipt {
	char store[32]; /* canonical id, "generic" if unknown */
	/* As printed, a chain's own name, "" if unknown. */
	char store_name[RECEIPT_NAME_LEN];
	char date[11];	  /* YYYY-MM-DD, "" if unknown */
	char time[6];	  /* HH:MM, "" if unknown */
	int64_t total;	  /* cents, or RECEIPT_UNKNOWN */
	char currency[4]; /* ISO 4217 (EUR, USD, GBP, MYR, ...) or "" */
	struct receipt_item items[RECEIPT_MAX_ITEMS];
	size_t nitems;
	char receipt_number[RECEIPT_NUMBER_LEN]; /* "" if unknown */
	double confidence;			 /* 0.0 .. 1.0 */
	unsigned mended;			 /* enum receipt_mended bits */
	unsigned backed;			 /* enum receipt_backing bits */
	char warnings[RECEIPT_MAX_WARNINGS][RECEIPT_WARNING_LEN];
	size_t nwarnings;
	struct receipt_vat vat[RECEIPT_MAX_VAT];
	size_t nvat;
	struct receipt_payment payment;
	struct receipt_tse tse;
	/* Cents a printed rounding line adds to the sum ("Rounding Adj
	 * -0.01"), 0 if none: the checks add it; it is not reported. */
	int64_t rounding;
	/* Cents of a tip written under the bill, left out of the total
	 * (points go by the purchase) but in the payment; 0 if none. */
	int64_t tip;
	/* Cents of an advance paid before ("Anzahlung -150,00"), deducted
	 * from the bill to give the total: its own receipt credited it;
	 * 0 if none. The checks add it back to the items and the VAT. */
	int64_t advance;
	enum receipt_document document;
};

/* Sets every field to "unknown": empty strings, RECEIPT_UNKNOWN amounts. */
void receipt_init(struct receipt *r);

/*
 * Appends a printf-style warning. Silently drops it when the list is full
 * and truncates it to RECEIPT_WARNING_LEN - 1 bytes: warnings are advice.
 */
void receipt_warn(struct receipt *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Appends an item. Returns 0, or -1 when RECEIPT_MAX_ITEMS is reached (the
 * receipt is left as it was). The name is truncated to fit.
 */
int receipt_add_item(struct receipt *r, const char *name, size_t name_len,
		     int64_t qty_milli, int64_t unit_price, int64_t amount,
		     enum receipt_item_kind kind);

/*
 * Builds the receipt's JSON object (fields as documented in docs/api.md:
 * store, store_name, date, time, total, currency, items, receipt_number,
 * confidence, warnings, vat, total_backed_by, payment, tse; null where
 * unknown; items carry vat_class). Returns a new reference the
 * caller must json_decref, or NULL when out of memory.
 */
json_t *receipt_to_json(const struct receipt *r);

const char *receipt_item_kind_name(enum receipt_item_kind kind);

/*
 * Reads back into r (receipt_init first) what the ledger credits by from
 * receipt_to_json's form: store, store_name, date, time, total, currency,
 * receipt_number, confidence and the items (not VAT, payment, TSE or
 * warnings). Returns 0, or -1 where a field has the wrong type or does
 * not fit (r is then partly filled).
 */
int receipt_from_json(const json_t *o, struct receipt *r);

#endif
