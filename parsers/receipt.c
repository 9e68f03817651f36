/*
 * receipt.c: life cycle and JSON form of the parsed receipt. The JSON form
 * is the one receipt-scan prints and the daemon serves, so it lives here
 * once rather than in each program.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "receipt.h"
#include "banned.h"

void receipt_init(struct receipt *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->store, "generic", sizeof("generic"));
	r->total = RECEIPT_UNKNOWN;
	r->payment.amount = RECEIPT_UNKNOWN;
	r->payment.change = RECEIPT_UNKNOWN;
}

const char *receipt_document_name(enum receipt_document d)
{
	static const char *const names[RECEIPT_DOC_COUNT] = {
		"receipt",	"quote",	   "order",
		"interim_bill", "training",	   "cancelled",
		"card_slip",	"deposit_voucher", "till_report",
	};

	return (unsigned)d < RECEIPT_DOC_COUNT ? names[d] : "receipt";
}

void receipt_warn(struct receipt *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwarnings >= RECEIPT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->warnings[r->nwarnings], RECEIPT_WARNING_LEN, fmt, ap);
	va_end(ap);
	r->nwarnings++;
}

int receipt_add_item(struct receipt *r, const char *name, size_t name_len,
		     int64_t qty_milli, int64_t unit_price, int64_t amount,
		     enum receipt_item_kind kind)
{
	struct receipt_item *it;

	if (r->nitems >= RECEIPT_MAX_ITEMS)
		return -1;
	it = &r->items[r->nitems++];
	if (name_len >= sizeof(it->name))
		name_len = sizeof(it->name) - 1;
	memcpy(it->name, name, name_len);
	it->name[name_len] = '\0';
	it->qty_milli = qty_milli;
	it->unit_price = unit_price;
	it->amount = amount;
	it->kind = kind;
	return 0;
}

const char *receipt_item_kind_name(enum receipt_item_kind kind)
{
	switch (kind) {
	case RECEIPT_ITEM:
		return "item";
	case RECEIPT_DEPOSIT:
		return "deposit";
	case RECEIPT_DEPOSIT_RETURN:
		return "deposit_return";
	case RECEIPT_DISCOUNT:
		return "discount";
	}
	return "item";
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *cents_or_null(int64_t v)
{
	return v == RECEIPT_UNKNOWN ? json_null() : json_integer(v);
}

/* Whole quantities print as integers (2), weights as decimals (0.874). */
static json_t *qty_json(int64_t qty_milli)
{
	if (qty_milli % 1000 == 0)
		return json_integer(qty_milli / 1000);
	return json_real((double)qty_milli / 1000.0);
}

static json_t *class_or_null(char c)
{
	char s[2] = { c, '\0' };

	return c ? json_string(s) : json_null();
}

static json_t *item_to_json(const struct receipt_item *it)
{
	return json_pack("{s:s, s:o, s:o, s:I, s:s, s:o}", "name", it->name,
			 "qty", qty_json(it->qty_milli), "unit_price",
			 cents_or_null(it->unit_price), "amount",
			 (json_int_t)it->amount, "kind",
			 receipt_item_kind_name(it->kind), "vat_class",
			 class_or_null(it->vat_class));
}

/* Rates in basis points: 19 % is 1900, 5.5 % is 550, no fractions;
 * null for a lone tax line that prints none. */
static json_t *vat_to_json(const struct receipt *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < r->nvat; i++) {
		const struct receipt_vat *v = &r->vat[i];

		if (json_array_append_new(
			    a, json_pack("{s:o, s:o, s:o, s:o, s:o}", "rate",
					 v->rate || v->net != RECEIPT_UNKNOWN
						 ? json_integer(v->rate)
						 : json_null(),
					 "class", class_or_null(v->vat_class),
					 "net", cents_or_null(v->net), "tax",
					 cents_or_null(v->tax), "gross",
					 cents_or_null(v->gross)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *payment_to_json(const struct receipt_payment *p)
{
	if (!p->method[0] && p->amount == RECEIPT_UNKNOWN)
		return json_null();
	return json_pack("{s:o, s:o, s:o}", "method", str_or_null(p->method),
			 "amount", cents_or_null(p->amount), "change",
			 cents_or_null(p->change));
}

/* The names of the figures that back the total (enum receipt_backing). */
static json_t *backing_to_json(unsigned backed)
{
	static const char *const names[] = { "items", "vat", "payment" };
	json_t *a = json_array();

	for (size_t i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
		if ((backed & (1u << i)) &&
		    json_array_append_new(a, json_string(names[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *tse_to_json(const struct receipt_tse *t)
{
	if (!t->serial[0] && !t->transaction[0] && !t->signature_counter[0])
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "serial",
			 str_or_null(t->serial), "transaction",
			 str_or_null(t->transaction), "signature_counter",
			 str_or_null(t->signature_counter), "start",
			 str_or_null(t->start), "end", str_or_null(t->end));
}

json_t *receipt_to_json(const struct receipt *r)
{
	json_t *o, *items, *warnings;
	size_t i;

	items = json_array();
	warnings = json_array();
	if (!items || !warnings)
		goto fail;
	for (i = 0; i < r->nitems; i++)
		if (json_array_append_new(items, item_to_json(&r->items[i])))
			goto fail;
	for (i = 0; i < r->nwarnings; i++)
		if (json_array_append_new(warnings,
					  json_string(r->warnings[i])))
			goto fail;
	/* Confidence to two decimals: more digits suggest false precision. */
	o = json_pack(
		"{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o}", "store",
		r->store, "store_name", str_or_null(r->store_name), "date",
		str_or_null(r->date), "time", str_or_null(r->time), "total",
		cents_or_null(r->total), "currency", str_or_null(r->currency),
		"items", items, "receipt_number",
		str_or_null(r->receipt_number), "confidence",
		(double)(int)(r->confidence * 100 + 0.5) / 100.0, "warnings",
		warnings);
	if (o &&
	    (json_object_set_new(o, "vat", vat_to_json(r)) ||
	     json_object_set_new(o, "total_backed_by",
				 backing_to_json(r->backed)) ||
	     json_object_set_new(o, "payment", payment_to_json(&r->payment)) ||
	     json_object_set_new(o, "tse", tse_to_json(&r->tse)) ||
	     json_object_set_new(
		     o, "document",
		     json_string(receipt_document_name(r->document))))) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	json_decref(items);
	json_decref(warnings);
	return NULL;
}

/* Copies the string member key of o (absent or null: "") into buf. */
static int str_from(const json_t *o, const char *key, char *buf, size_t size)
{
	const json_t *v = json_object_get(o, key);
	size_t n;

	buf[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	n = json_string_length(v);
	if (n >= size || memchr(json_string_value(v), '\0', n))
		return -1;
	memcpy(buf, json_string_value(v), n + 1);
	return 0;
}

/* The integer member key of o into *out (absent or null: RECEIPT_UNKNOWN). */
static int cents_from(const json_t *o, const char *key, int64_t *out)
{
	const json_t *v = json_object_get(o, key);

	*out = RECEIPT_UNKNOWN;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

/* Quantities beyond this are no reading of ours (and would overflow). */
#define RECEIPT_QTY_MAX 1e9

static int item_from(const json_t *o, struct receipt *r)
{
	static const enum receipt_item_kind kinds[] = { RECEIPT_ITEM,
							RECEIPT_DEPOSIT,
							RECEIPT_DEPOSIT_RETURN,
							RECEIPT_DISCOUNT };
	struct receipt_item *it = &r->items[r->nitems];
	const json_t *qty = json_object_get(o, "qty");
	char kind[16], cls[2];
	size_t k;

	if (r->nitems >= RECEIPT_MAX_ITEMS || !json_is_object(o) ||
	    str_from(o, "name", it->name, sizeof(it->name)) ||
	    cents_from(o, "unit_price", &it->unit_price) ||
	    cents_from(o, "amount", &it->amount) ||
	    it->amount == RECEIPT_UNKNOWN ||
	    str_from(o, "kind", kind, sizeof(kind)) ||
	    str_from(o, "vat_class", cls, sizeof(cls)) ||
	    !json_is_number(qty) || json_number_value(qty) > RECEIPT_QTY_MAX ||
	    json_number_value(qty) < -RECEIPT_QTY_MAX)
		return -1;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(kind, receipt_item_kind_name(kinds[k])))
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return -1;
	it->kind = kinds[k];
	it->vat_class = cls[0];
	it->qty_milli = (int64_t)(json_number_value(qty) * 1000.0 +
				  (json_number_value(qty) < 0 ? -0.5 : 0.5));
	r->nitems++;
	return 0;
}

int receipt_from_json(const json_t *o, struct receipt *r)
{
	const json_t *items = json_object_get(o, "items"), *v;
	const json_t *conf = json_object_get(o, "confidence");
	size_t i;

	receipt_init(r);
	if (!json_is_object(o) ||
	    str_from(o, "store", r->store, sizeof(r->store)) ||
	    str_from(o, "store_name", r->store_name, sizeof(r->store_name)) ||
	    str_from(o, "date", r->date, sizeof(r->date)) ||
	    str_from(o, "time", r->time, sizeof(r->time)) ||
	    cents_from(o, "total", &r->total) ||
	    str_from(o, "currency", r->currency, sizeof(r->currency)) ||
	    str_from(o, "receipt_number", r->receipt_number,
		     sizeof(r->receipt_number)) ||
	    (items != NULL && !json_is_array(items)) ||
	    (conf != NULL && !json_is_number(conf)))
		return -1;
	r->confidence = conf != NULL ? json_number_value(conf) : 0.0;
	json_array_foreach(items, i, v)
	{
		if (item_from(v, r))
			return -1;
	}
	return 0;
}
